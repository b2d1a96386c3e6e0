//! Voucher API (docs page voucher_api.rst): the documented request on the wire, the
//! documented answer decoded, the documented errors decoded.

use crate::common;

use common::{Api, json_body_by_value, request_example, response_example};
use stamps::UserId;
use stamps::types::{Decimal, IssueVoucherRequestValue, VoucherId};

#[tokio::test]
async fn issue_voucher_sends_the_documented_body_and_decodes_the_voucher() {
    let api = Api::start().await;
    // `value` is a number (`200`), sent as the float `200.0`: the same JSON number.
    let mock = api.expect(
        "issue_voucher",
        |when| json_body_by_value(when, request_example("issue_voucher", "docs")),
        200,
        &response_example("issue_voucher", "200", "docs"),
    );

    let answer = api
        .client
        .issue_voucher()
        .body_map(|b| {
            b.user("customer@stamps.co.id")
                .voucher_template(1)
                .start_date("2013-02-15")
                .quantity(1)
                .notes("Special voucher for e-magazine readers".to_owned())
                .value(IssueVoucherRequestValue::from(200.0))
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let voucher = answer.voucher.expect("the voucher");
    assert_eq!(voucher.id, Some(VoucherId(123054)));
    assert_eq!(voucher.start_date.as_deref(), Some("2014-11-20"));
    assert_eq!(voucher.end_date.as_deref(), Some("2014-11-30"));
    assert_eq!(voucher.quantity, Some(1));
    assert_eq!(
        voucher.notes.as_deref(),
        Some("Special voucher for e-magazine readers")
    );
    assert_eq!(voucher.value, Some(200.0));
    let customer = answer.customer.expect("the customer");
    assert_eq!(customer.id, Some(UserId::new(6)));
    assert_eq!(customer.email.as_deref(), Some("customer@stamps.co.id"));
}

#[tokio::test]
async fn issue_voucher_sends_the_curl_body_with_a_string_value() {
    let api = Api::start().await;
    // The cURL example sends `"value": "200"`, a string: matched exactly.
    let mock = api.expect(
        "issue_voucher",
        |when| when.json_body(request_example("issue_voucher", "docs_curl")),
        200,
        &response_example("issue_voucher", "200", "docs"),
    );

    api.client
        .issue_voucher()
        .body_map(|b| {
            b.user("customer@stamps.co.id")
                .voucher_template(1)
                .start_date("2013-02-15")
                .quantity(1)
                .notes("Special voucher for e-magazine readers".to_owned())
                .value(IssueVoucherRequestValue::Decimal(
                    Decimal::try_from("200").unwrap(),
                ))
        })
        .send()
        .await
        .expect("the documented answer decodes");

    mock.assert();
}

#[tokio::test]
async fn validate_voucher_sends_the_documented_query_and_decodes_the_validation() {
    let api = Api::start().await;
    let mock = api.expect_documented("validate_voucher");

    let answer = api
        .client
        .validate_voucher()
        .voucher_code("VC-ABC")
        .merchant(123)
        .store(123)
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.is_redeemable, Some(true));
    let user = answer.user.expect("the user");
    assert_eq!(user.email.as_deref(), Some("foo@bar.com"));
    assert_eq!(user.name.as_deref(), Some("Alice"));
    assert_eq!(user.phone.as_deref(), Some("+628123123123"));
    let voucher = answer.voucher.expect("the voucher");
    assert_eq!(voucher.id, Some(VoucherId(123)));
    assert_eq!(voucher.name.as_deref(), Some("Rp. 100,000 Discount"));
    assert_eq!(voucher.value, Some(100000.0));
    assert_eq!(voucher.validity.as_deref(), Some("Dynamic"));
    assert_eq!(
        voucher
            .extra_data
            .as_ref()
            .and_then(|e| e["discount"].as_i64()),
        Some(1000)
    );
}

#[tokio::test]
async fn list_vouchers_by_merchant_group_sends_the_documented_query_and_decodes_the_vouchers() {
    let api = Api::start().await;
    let mock = api.expect_documented("list_vouchers_by_merchant_group");

    let answer = api
        .client
        .list_vouchers_by_merchant_group()
        .user("customer@stamps.co.id")
        .channel(2_i64)
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let [march, valentine] = answer.vouchers.as_slice() else {
        panic!("two vouchers: {:?}", answer.vouchers);
    };
    assert_eq!(march.id, Some(VoucherId(1)));
    assert_eq!(march.code.as_deref(), Some("VC-ABC"));
    assert_eq!(march.is_active, Some(true));
    assert_eq!(march.value, Some(200.0));
    assert_eq!(
        march.constraint.as_ref().map(|c| c.channels.clone()),
        Some(vec![1, 2, 3, 4])
    );
    let template = march.template.as_ref().expect("the template");
    assert_eq!(template.name.as_deref(), Some("March Surprise Voucher"));
    assert_eq!(template.merchant_id, Some(1));
    assert_eq!(template.extra_data, None);
    assert_eq!(valentine.code.as_deref(), Some("VC-DEF"));
    assert_eq!(valentine.quantity, Some(2));
    assert_eq!(
        valentine
            .template
            .as_ref()
            .and_then(|t| t.extra_data.as_ref())
            .map(|e| e.is_empty()),
        Some(true)
    );
}

#[tokio::test]
async fn get_voucher_count_by_merchant_group_sends_the_documented_query_and_decodes_the_count() {
    let api = Api::start().await;
    let mock = api.expect_documented("get_voucher_count_by_merchant_group");

    let answer = api
        .client
        .get_voucher_count_by_merchant_group()
        .user("customer@stamps.co.id")
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.count, Some(12));
}

#[tokio::test]
async fn get_voucher_details_sends_the_documented_query_and_decodes_the_voucher() {
    let api = Api::start().await;
    let mock = api.expect_documented("get_voucher_details");

    let voucher = api
        .client
        .get_voucher_details()
        .user("customer@stamps.co.id")
        .code("ABCD123")
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(voucher.id, Some(VoucherId(2)));
    assert_eq!(voucher.code.as_deref(), Some("VC-DEF"));
    assert_eq!(voucher.quantity, Some(2));
    assert_eq!(voucher.terms_and_conditions.as_deref(), Some(""));
    assert_eq!(voucher.start_date.as_deref(), Some("2022-02-14"));
    let template = voucher.template.expect("the template");
    assert_eq!(template.id, Some(2));
    assert_eq!(template.name.as_deref(), Some("Valentine Voucher"));
    assert_eq!(
        template.description.as_deref(),
        Some("Get 50% off on your next purchase")
    );
    assert_eq!(template.instructions.as_deref(), Some(""));
    assert_eq!(template.type_, Some(1));
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("issue_voucher", async |client| {
        client
            .issue_voucher()
            .body_map(|b| {
                b.user("customer@stamps.co.id")
                    .voucher_template(1)
                    .start_date("2013-02-15")
                    .quantity(1)
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("validate_voucher", async |client| {
        client
            .validate_voucher()
            .voucher_code("VC-ABC")
            .merchant(123)
            .store(123)
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("list_vouchers_by_merchant_group", async |client| {
        client
            .list_vouchers_by_merchant_group()
            .user("customer@stamps.co.id")
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("get_voucher_count_by_merchant_group", async |client| {
        client
            .get_voucher_count_by_merchant_group()
            .user("customer@stamps.co.id")
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("get_voucher_details", async |client| {
        client
            .get_voucher_details()
            .user("customer@stamps.co.id")
            .code("ABCD123")
            .send()
            .await?;
        Ok(())
    })
    .await;
}
