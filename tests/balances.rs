//! Balance API (docs file 003): the documented request on the wire, the documented
//! answer decoded, the documented errors decoded.
//!
//! Credit and debit also document a cURL body without `type`; the client always sends
//! `"type": "stamps"` (the table marks it required and it is the only type), so only
//! the JSON example, which has it, can be matched on the wire.

use crate::common;

use common::{Api, request_example, response_example};
use stamps::types::{BalanceType, CancelBalanceUpdateRequest};
use stamps::{BalanceUpdateId, UserId, UserRef};

#[tokio::test]
async fn credit_balance_sends_the_documented_body_and_decodes_the_update() {
    let api = Api::start().await;
    let mock = api.expect_documented("credit_balance");

    let result = api
        .client
        .credit_balance()
        .body_map(|b| {
            b.user("customer@stamps.co.id")
                .amount(1000)
                .merchant(14)
                .store(3)
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let customer = result.customer.expect("the customer");
    assert_eq!(customer.id, Some(UserId::new(6)));
    assert_eq!(customer.balance, Some(1000));
    assert_eq!(customer.status.as_deref(), Some("Blue"));
    let update = result.balance_update.expect("the balance update");
    assert_eq!(update.id, Some(BalanceUpdateId::new(2)));
    assert_eq!(update.amount, Some(10000));
    assert_eq!(update.status, None);
    assert_eq!(result.errors, None);
}

#[tokio::test]
async fn debit_balance_sends_the_documented_body_and_decodes_the_update() {
    let api = Api::start().await;
    let mock = api.expect_documented("debit_balance");

    let result = api
        .client
        .debit_balance()
        .body_map(|b| {
            b.user(UserRef::email("customer@stamps.co.id"))
                .amount(100)
                .type_(BalanceType::Stamps)
                .merchant(14)
                .store(3)
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let customer = result.customer.expect("the customer");
    assert_eq!(customer.id, Some(UserId::new(6)));
    assert_eq!(customer.balance, Some(900));
    assert_eq!(customer.status.as_deref(), Some("Blue"));
    let update = result.balance_update.expect("the balance update");
    assert_eq!(update.id, Some(BalanceUpdateId::new(2)));
    assert_eq!(update.amount, Some(10000));
}

#[tokio::test]
async fn cancel_balance_update_sends_the_documented_curl_body_and_decodes_the_canceled_update() {
    // The JSON example sends the id as a string, `{"id": "123"}`; the client sends ids
    // as integers, like the cURL example, `{"id": 123}`, which is what is matched here.
    // Both forms are the same request for the client's type:
    let docs: CancelBalanceUpdateRequest =
        serde_json::from_value(request_example("cancel_balance_update", "docs"))
            .expect("the JSON example is a valid request");
    assert_eq!(docs.id, BalanceUpdateId::new(123));

    let api = Api::start().await;
    let mock = api.expect(
        "cancel_balance_update",
        |when| when.json_body(request_example("cancel_balance_update", "docs_curl")),
        200,
        &response_example("cancel_balance_update", "200", "docs"),
    );

    let result = api
        .client
        .cancel_balance_update()
        .body_map(|b| b.id(123))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let customer = result.customer.expect("the customer");
    assert_eq!(customer.id, Some(UserId::new(6)));
    assert_eq!(customer.balance, Some(900));
    let update = result.balance_update.expect("the balance update");
    assert_eq!(update.id, Some(BalanceUpdateId::new(2)));
    assert_eq!(update.amount, Some(10000));
    assert_eq!(update.status.as_deref(), Some("Canceled"));
}

#[tokio::test]
async fn balance_updates_refuse_bad_input_before_sending() {
    let api = Api::start().await;
    let anything = api.fail_anything_else();
    // A negative amount does not compile (`amount` is a `NonZeroU64`); zero is refused.
    let zero = api
        .client
        .credit_balance()
        .body_map(|b| b.user(6).amount(0).merchant(14).store(3))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(zero, stamps::Error::InvalidInput { .. }),
        "{zero:?}"
    );
    assert!(zero.to_string().contains("amount"), "{zero}");
    let cases = [
        ("customer@", "no domain after the @"),
        ("", "empty user identifier"),
        ("+62 abc", "it contains letters"),
    ];
    for (user, expected) in cases {
        let error = api
            .client
            .debit_balance()
            .body_map(|b| b.user(user).amount(100).merchant(14).store(3))
            .send()
            .await
            .expect_err("invalid input");
        assert!(
            matches!(error, stamps::Error::InvalidInput { .. }),
            "{error:?}"
        );
        assert!(error.to_string().contains(expected), "{error}");
    }
    let no_store = api
        .client
        .credit_balance()
        .body_map(|b| b.user(6).amount(1000).merchant(14))
        .send()
        .await
        .unwrap_err();
    assert!(no_store.to_string().contains("store"), "{no_store}");
    let negative_id = api
        .client
        .cancel_balance_update()
        .body_map(|b| b.id(-123))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(negative_id, stamps::Error::InvalidInput { .. }),
        "{negative_id:?}"
    );
    assert!(
        negative_id
            .to_string()
            .contains("a balance update id cannot be negative"),
        "{negative_id}"
    );
    anything.assert_calls(0);
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("credit_balance", async |client| {
        client
            .credit_balance()
            .body_map(|b| {
                b.user("customer@stamps.co.id")
                    .amount(1000)
                    .merchant(14)
                    .store(3)
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("debit_balance", async |client| {
        client
            .debit_balance()
            .body_map(|b| {
                b.user("customer@stamps.co.id")
                    .amount(100)
                    .merchant(14)
                    .store(3)
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("cancel_balance_update", async |client| {
        client
            .cancel_balance_update()
            .body_map(|b| b.id(123))
            .send()
            .await?;
        Ok(())
    })
    .await;
}
