//! Cards API (docs page cards_api): the documented request on the wire, the documented
//! answer decoded, the documented errors decoded.

use crate::common;

use common::{Api, response_example};
use stamps::types::NumericId;
use stamps::{StoreId, UserRef};

#[tokio::test]
async fn create_card_sends_the_documented_body_and_decodes_the_card() {
    let api = Api::start().await;
    let mock = api.expect_documented("create_card");

    let created = api
        .client
        .create_card()
        .body_map(|b| b.number("ABC123456").store(StoreId::new(1)))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(created.number.as_deref(), Some("ABC123456"));
    // Not in the response table, but in the example.
    assert_eq!(created.is_active, Some(true));
}

#[tokio::test]
async fn assign_card_sends_the_documented_body_and_decodes_the_card() {
    let api = Api::start().await;
    let mock = api.expect_documented("assign_card");

    let assigned = api
        .client
        .assign_card()
        .body_map(|b| {
            // The example sends `"user": "1"` and `"store": "1"` as strings. A bare "1"
            // would be read as a primary key and sent as the integer 1, so the string
            // form is built explicitly; `store` takes the table's integer or the
            // example's digits.
            b.user(UserRef::member_id("1"))
                .store(NumericId::Digits("1".to_owned()))
                .number("ABC123456")
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let card = assigned.card.expect("the card");
    assert_eq!(card.id, Some(1));
    assert_eq!(card.number.as_deref(), Some("ABC123456"));
    assert_eq!(card.is_active, Some(true));
    assert_eq!(card.activated_time.as_deref(), Some("2024-09-13 10:00:00"));
}

#[tokio::test]
async fn assign_card_sends_an_integer_store_as_the_table_says() {
    let api = Api::start().await;
    let mock = api.expect(
        "assign_card",
        |when| {
            when.json_body(serde_json::json!({
                "user": 1,
                "store": 1,
                "number": "ABC123456"
            }))
        },
        200,
        &response_example("assign_card", "200", "docs"),
    );

    api.client
        .assign_card()
        .body_map(|b| b.user(1).store(NumericId::Integer(1)).number("ABC123456"))
        .send()
        .await
        .expect("the documented answer decodes");

    mock.assert();
}

#[tokio::test]
async fn card_calls_refuse_a_missing_number_before_sending() {
    let api = Api::start().await;
    let anything = api.fail_anything_else();
    let missing = api
        .client
        .create_card()
        .body_map(|b| b.store(StoreId::new(1)))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(missing, stamps::Error::InvalidInput { .. }),
        "{missing:?}"
    );
    assert!(missing.to_string().contains("number"), "{missing}");
    anything.assert_calls(0);
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("create_card", async |client| {
        client
            .create_card()
            .body_map(|b| b.number("ABC123456").store(StoreId::new(1)))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("assign_card", async |client| {
        client
            .assign_card()
            .body_map(|b| {
                b.user(UserRef::member_id("1"))
                    .store(NumericId::Digits("1".to_owned()))
                    .number("ABC123456")
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
}
