//! The typed httpmock mocks (`--features httpmock`), used as a user's test uses them:
//! an expectation on the request the client must send, and the answer to decode.

use stamps::mock::MockServerExt;
use stamps::types;

fn client(server: &httpmock::MockServer) -> stamps::Client {
    stamps::Client::builder()
        .token("test-key")
        .base_url(server.base_url())
        .max_retries(0)
        .build()
        .expect("a client")
}

fn request() -> types::BalanceUpdateRequest {
    serde_json::from_value(serde_json::json!({
        "user": "alice@example.com", "amount": 250, "merchant": 14, "store": 3
    }))
    .unwrap()
}

#[tokio::test]
async fn credit_balance_matches_the_body_and_answers_the_documented_type() {
    let server = httpmock::MockServer::start_async().await;
    let answer: types::BalanceUpdateResult = serde_json::from_value(serde_json::json!({
        "customer": {"id": 6, "balance": 1250, "status": "Blue"},
        "balance_update": {"id": 2, "amount": 250}
    }))
    .unwrap();
    let req = request();
    let mock = server.credit_balance(|when, then| {
        when.body(&req);
        then.ok(&answer);
    });

    let got = client(&server)
        .credit_balance()
        .body_map(|b| {
            b.user("alice@example.com")
                .amount(250)
                .merchant(14)
                .store(3)
        })
        .send()
        .await
        .expect("the mock answers")
        .into_inner();

    assert_eq!(got, answer);
    mock.assert();
}

#[tokio::test]
async fn another_body_does_not_match() {
    let server = httpmock::MockServer::start_async().await;
    let req = request();
    let mock = server.credit_balance(|when, then| {
        when.body(&req);
        then.ok(&types::BalanceUpdateResult::default());
    });

    let error = client(&server)
        .credit_balance()
        .body_map(|b| {
            b.user("alice@example.com")
                .amount(999)
                .merchant(14)
                .store(3)
        })
        .send()
        .await
        .expect_err("no mock matches an amount of 999");

    // httpmock answers 404 when no mock matches.
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404), "{error}");
    mock.assert_calls(0);
}
