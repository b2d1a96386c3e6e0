//! Testing and Error Handling (docs page testing.rst): `ping` on the wire and decoded,
//! and the endpoints that always fail (`/api/400`, `/api/500`, GET and POST) mapped to
//! the client's error kinds. Their documented JSON errors (401, 403) decode too.
//!
//! The failing endpoints answer a text/html page, not the API's JSON error. A 500 is
//! `Error::Server`; so is an HTML 400: `src/error.rs` keeps `Error::Api` for a 4xx
//! whose body is the API's JSON error, and classes any other error body (an HTML page
//! from Stamps or a proxy) as `Error::Server`, keeping the excerpt.

use crate::common;

use common::{Api, response_example};
use httpmock::Method;
use stamps::MerchantId;

#[tokio::test]
async fn ping_sends_an_empty_body_and_decodes_the_pong() {
    let api = Api::start().await;
    // The page's example sends no body; the client sends the empty object.
    let mock = api.expect(
        "ping",
        |when| when.json_body(serde_json::json!({})),
        200,
        &response_example("ping", "200", "docs"),
    );

    let answer = api
        .client
        .ping()
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let pong = answer.pong.expect("the pong");
    assert_eq!(pong.merchant.as_deref(), Some("My Merchant"));
    assert_eq!(pong.merchant_id, Some(MerchantId::new(1)));
}

/// Expects one call of `operation` (method, path, `Authorization`) and answers
/// `status` with the documented text/html `page`.
fn html_answer<'a>(api: &'a Api, operation: &str, status: u16) -> httpmock::Mock<'a> {
    let op = stamps::operations::find(operation).unwrap();
    let page = common::html_example(operation, &status.to_string());
    let token = api.token.clone();
    let mock = api.server.mock(|when, then| {
        let when = when
            .method(if op.method == "GET" {
                Method::GET
            } else {
                Method::POST
            })
            .path(op.path)
            .header("authorization", format!("Token {token}"))
            .query_param_count(".*", ".*", 0);
        if op.method == "POST" {
            when.header("content-type", "application/json")
                .json_body(serde_json::json!({}));
        }
        then.status(status)
            .header("content-type", "text/html")
            .body(page);
    });
    api.fail_anything_else();
    mock
}

fn assert_html_error(error: &stamps::Error, status: u16, page: &str) {
    assert!(matches!(error, stamps::Error::Server(_)), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
    let api_error = error.api_error().expect("the answer");
    assert!(!api_error.is_json(), "{error:?}");
    assert_eq!(api_error.body_excerpt(), page);
    assert_eq!(error.code(), None);
    assert_eq!(error.message(), None);
    assert!(error.field_errors().is_empty());
    // 400 and 500 are not worth retrying (and were not retried: one call each).
    assert!(!error.is_retryable(), "{error:?}");
}

/// Calls `operation` (through `call`) against its documented HTML answer and checks
/// the error: one call, `Error::Server` with the page as its excerpt.
async fn assert_always_html(
    operation: &str,
    status: u16,
    page: &str,
    call: impl AsyncFn(&stamps::Client) -> stamps::Result<()>,
) {
    let api = Api::start().await;
    let mock = html_answer(&api, operation, status);
    let error = call(&api.client).await.expect_err("always an error");
    mock.assert();
    assert_html_error(&error, status, page);
}

#[tokio::test]
async fn get_test_server_error_is_a_server_error() {
    assert_always_html(
        "get_test_server_error",
        500,
        "Server error - 500",
        async |c| {
            c.get_test_server_error().send().await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn send_test_server_error_is_a_server_error() {
    assert_always_html(
        "send_test_server_error",
        500,
        "Server error - 500",
        async |c| {
            c.send_test_server_error().send().await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn get_test_bad_request_is_a_server_error_because_its_body_is_html() {
    assert_always_html(
        "get_test_bad_request",
        400,
        "Bad request - 400",
        async |c| {
            c.get_test_bad_request().send().await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn send_test_bad_request_is_a_server_error_because_its_body_is_html() {
    assert_always_html(
        "send_test_bad_request",
        400,
        "Bad request - 400",
        async |c| {
            c.send_test_bad_request().send().await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("ping", async |client| {
        client.ping().send().await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("get_test_server_error", async |client| {
        client.get_test_server_error().send().await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("send_test_server_error", async |client| {
        client.send_test_server_error().send().await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("get_test_bad_request", async |client| {
        client.get_test_bad_request().send().await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("send_test_bad_request", async |client| {
        client.send_test_bad_request().send().await?;
        Ok(())
    })
    .await;
}
