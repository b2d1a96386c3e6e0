//! Stamps API (docs page stamps_api.rst): the documented request on the wire, the
//! documented answer decoded, the documented errors decoded.
//!
//! `add_stamps` and `cancel_awarded_stamps` document only a cURL body (`docs_curl`).
//! `deduct_stamps` documents a JSON payload (`user` as the integer `1865`) and a cURL
//! one (`user` as an email); the client sends either, the JSON one is matched.

use crate::common;

use common::{Api, request_example, response_example};
use stamps::{StoreId, UserId, UserRef};

#[tokio::test]
async fn add_stamps_sends_the_documented_body_and_decodes_the_award() {
    let api = Api::start().await;
    let mock = api.expect(
        "add_stamps",
        |when| when.json_body(request_example("add_stamps", "docs_curl")),
        200,
        &response_example("add_stamps", "200", "docs"),
    );

    let result = api
        .client
        .add_stamps()
        .body_map(|b| {
            b.user("customer@stamps.co.id")
                .store(2)
                .number_of_stamps(10)
                .notes("bonus".to_owned())
                .require_email_notification(false)
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let customer = result.customer.expect("the customer");
    assert_eq!(customer.id, Some(UserId::new(114807)));
    assert_eq!(customer.stamps, Some(18));
    assert_eq!(customer.status.as_deref(), Some("Blue"));
    let award = result.award.expect("the award");
    assert_eq!(award.id, Some(1010));
    assert_eq!(award.number_of_stamps, Some(10));
    assert_eq!(award.status, None);
    assert!(result.awards.is_none());
}

#[tokio::test]
async fn cancel_awarded_stamps_sends_the_documented_body_and_decodes_the_canceled_award() {
    let api = Api::start().await;
    let mock = api.expect(
        "cancel_awarded_stamps",
        |when| when.json_body(request_example("cancel_awarded_stamps", "docs_curl")),
        200,
        &response_example("cancel_awarded_stamps", "200", "docs"),
    );

    let result = api
        .client
        .cancel_awarded_stamps()
        .body_map(|b| {
            b.user("customer@stamps.co.id")
                .store(StoreId::new(2))
                .id(1010)
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let customer = result.customer.expect("the customer");
    assert_eq!(customer.id, Some(UserId::new(114807)));
    assert_eq!(customer.stamps, Some(8));
    let award = result.award.expect("the award");
    assert_eq!(award.id, Some(1010));
    assert_eq!(award.number_of_stamps, Some(10));
    assert_eq!(award.status.as_deref(), Some("Canceled"));
}

#[tokio::test]
async fn deduct_stamps_sends_the_documented_body_and_decodes_the_deduction() {
    let api = Api::start().await;
    let mock = api.expect_documented("deduct_stamps");

    let result = api
        .client
        .deduct_stamps()
        .body_map(|b| b.user(UserId::new(1865)).stamps(1).notes("test"))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let membership = result.membership.expect("the membership");
    assert_eq!(membership.status, Some(100));
    assert_eq!(membership.status_text.as_deref(), Some("Blue"));
    assert_eq!(membership.stamps, Some(7));
    assert_eq!(membership.referral_code.as_deref(), Some("JJ3X1"));
    assert_eq!(membership.is_blocked, Some(false));
    let deduction = result.stamps_deduction.expect("the deduction");
    assert_eq!(deduction.id, Some(9));
    assert_eq!(deduction.stamps, Some(1));
    assert_eq!(deduction.notes.as_deref(), Some("test"));
    assert_eq!(
        deduction.created.as_deref(),
        Some("2022-07-13T08:41:10+00:00")
    );
    assert_eq!(deduction.created_timestamp, Some(1657701670));
    assert_eq!(deduction.status, Some(1));
}

#[tokio::test]
async fn deduct_stamps_sends_the_curl_body_with_an_email() {
    let api = Api::start().await;
    let mock = api.expect(
        "deduct_stamps",
        |when| when.json_body(request_example("deduct_stamps", "docs_curl")),
        200,
        &response_example("deduct_stamps", "200", "docs"),
    );

    api.client
        .deduct_stamps()
        .body_map(|b| {
            b.user(UserRef::email("customer@stamps.co.id"))
                .stamps(10)
                .notes("Test deduct")
        })
        .send()
        .await
        .expect("the documented answer decodes");

    mock.assert();
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("add_stamps", async |client| {
        client
            .add_stamps()
            .body_map(|b| {
                b.user("customer@stamps.co.id")
                    .store(2)
                    .number_of_stamps(10)
                    .require_email_notification(false)
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("cancel_awarded_stamps", async |client| {
        client
            .cancel_awarded_stamps()
            .body_map(|b| b.user("customer@stamps.co.id").id(1010))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("deduct_stamps", async |client| {
        client
            .deduct_stamps()
            .body_map(|b| b.user(1865).stamps(1).notes("test"))
            .send()
            .await?;
        Ok(())
    })
    .await;
}
