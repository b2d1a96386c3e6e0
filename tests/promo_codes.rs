//! Promo Code API (docs page promo_code_api.rst): the documented query on the wire,
//! the documented answer decoded, the documented errors decoded.

use crate::common;

use common::{Api, response_example};

#[tokio::test]
async fn validate_promo_code_sends_the_documented_query_and_decodes_the_promo_code() {
    let api = Api::start().await;
    let mock = api.expect_documented("validate_promo_code");

    let answer = api
        .client
        .validate_promo_code()
        .promo_code("PROMO_CODE")
        .store(123)
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let promo = answer.promo_code.expect("the promo code");
    assert_eq!(promo.id, Some(1));
    assert_eq!(promo.merchant_id, Some(1));
    assert_eq!(promo.code.as_deref(), Some("PROMOCODE"));
    assert_eq!(promo.name.as_deref(), Some("Promo Code"));
    assert_eq!(promo.description.as_deref(), Some(""));
    assert_eq!(promo.start_date.as_deref(), Some("2024-05-12"));
    assert_eq!(promo.end_date.as_deref(), Some("2024-06-14"));
    assert_eq!(promo.is_active, Some(true));
    assert!(promo.extra_data.is_some_and(|e| e.is_empty()));
    let constraint = promo.constraint.expect("the constraint");
    assert_eq!(constraint.start_time.as_deref(), Some("10:00"));
    assert_eq!(constraint.end_time.as_deref(), Some("18:00"));
    assert!(constraint.registration_statuses.is_empty());
    assert_eq!(constraint.redeemable_in_all_merchants, Some(true));
    assert_eq!(constraint.redeemable_in_all_stores, Some(true));
    assert_eq!(constraint.max_usage_per_person, Some(7));
    assert_eq!(constraint.max_daily_usage_per_person, Some(1));
}

#[tokio::test]
async fn validate_promo_code_sends_the_optional_parameters() {
    let api = Api::start().await;
    let mock = api.expect(
        "validate_promo_code",
        |when| {
            when.query_param("promo_code", "PROMO_CODE")
                .query_param("store", "123")
                .query_param("channel", "2")
                .query_param("user", "+6281234567890")
                .query_param("transaction_value", "150000.5")
                .query_param_count(".*", ".*", 5)
        },
        200,
        &response_example("validate_promo_code", "200", "docs"),
    );

    api.client
        .validate_promo_code()
        .promo_code("PROMO_CODE")
        .store(123)
        .channel(2_i64)
        .user("+6281234567890")
        .transaction_value(150000.5)
        .send()
        .await
        .expect("the documented answer decodes");

    mock.assert();
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("validate_promo_code", async |client| {
        client
            .validate_promo_code()
            .promo_code("PROMO_CODE")
            .store(123)
            .send()
            .await?;
        Ok(())
    })
    .await;
}
