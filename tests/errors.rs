//! `stamps::Error`: every kind, from the documented error bodies to HTML pages and
//! broken connections, with accessors that work and messages that never show the
//! credential.

use crate::common;

use std::time::Duration;

use common::{Api, TOKEN, builder};
use httpmock::MockServer;
use serde_json::json;
use stamps::{Error, ErrorCode};

/// Calls `get_full_profile` (a GET) and converts the error.
async fn get(api: &Api) -> Error {
    api.client
        .get_full_profile()
        .user(1)
        .send()
        .await
        .map(|_| ())
        .unwrap_err()
}

/// Calls `add_membership_tag` (a POST) and converts the error.
async fn post(client: &stamps::Client) -> Error {
    client
        .add_membership_tag()
        .body_map(|b| b.user(1).merchant(14).key("category").value("vvip"))
        .send()
        .await
        .map(|_| ())
        .unwrap_err()
}

fn answer(api: &Api, status: u16, content_type: &str, body: &str) {
    let (content_type, body) = (content_type.to_owned(), body.to_owned());
    api.server.mock(move |_, then| {
        then.status(status)
            .header("content-type", content_type)
            .body(body);
    });
}

/// Neither the error's `Display` nor its `Debug` may contain the credential.
fn assert_no_secret(error: &Error, secret: &str) {
    let shown = format!("{error} | {error:?} | {error:#?}");
    assert!(!shown.contains(secret), "leak: {shown}");
}

#[tokio::test]
async fn a_v2_error_body_gives_code_message_and_field_errors() {
    let api = Api::start().await;
    answer(
        &api,
        400,
        "application/json",
        r#"{"detail": "user: User does not have membership in Your Merchant",
            "errors": {"user": "User does not have membership in Your Merchant"},
            "error_code": "user_has_no_membership",
            "error_message": "User does not have membership in Your Merchant"}"#,
    );
    let error = post(&api.client).await;
    assert!(matches!(error, Error::Api(_)), "{error:?}");
    assert_eq!(error.status(), Some(reqwest::StatusCode::BAD_REQUEST));
    assert_eq!(error.code(), Some(&ErrorCode::UserHasNoMembership));
    assert_eq!(
        error.message(),
        Some("User does not have membership in Your Merchant")
    );
    assert_eq!(
        error.field_errors()["user"],
        ["User does not have membership in Your Merchant"]
    );
    assert!(!error.is_retryable() && !error.is_timeout());
    assert_eq!(
        error.to_string(),
        "request refused (400 Bad Request) [user_has_no_membership]: User does not have membership in Your Merchant (user)"
    );
}

#[tokio::test]
async fn non_field_errors_are_exposed_under_all() {
    let api = Api::start().await;
    answer(
        &api,
        400,
        "application/json",
        r#"{"errors": {"__all__": "User not found"}, "error_message": "User not found",
            "error_code": "invalid_data", "detail": "__all__: User not found"}"#,
    );
    let error = get(&api).await;
    assert_eq!(error.code(), Some(&ErrorCode::InvalidData));
    assert_eq!(
        error.api_error().unwrap().non_field_errors(),
        ["User not found"]
    );
}

#[tokio::test]
async fn the_legacy_list_of_maps_gives_field_errors() {
    let api = Api::start().await;
    answer(
        &api,
        400,
        "application/json",
        r#"{"detail": "Your transaction cannot be completed due to the following error(s)",
            "errors": [{"reward": "This field is required"}]}"#,
    );
    let error = get(&api).await;
    assert!(matches!(error, Error::Api(_)));
    assert_eq!(error.code(), None);
    assert_eq!(
        error.message(),
        Some("Your transaction cannot be completed due to the following error(s)")
    );
    assert_eq!(error.field_errors()["reward"], ["This field is required"]);
    assert!(
        error
            .to_string()
            .contains("(reward: This field is required)"),
        "{error}"
    );
}

#[tokio::test]
async fn an_unknown_error_code_is_kept() {
    let api = Api::start().await;
    answer(
        &api,
        400,
        "application/json",
        r#"{"error_code": "points_expired", "error_message": "Expired"}"#,
    );
    let error = get(&api).await;
    assert_eq!(
        error.code(),
        Some(&ErrorCode::Other("points_expired".into()))
    );
}

#[tokio::test]
async fn unauthorized_and_forbidden_have_their_own_kind_with_the_detail() {
    for (status, detail) in [
        (401, "Invalid token"),
        (403, "Authentication credentials were not provided."),
    ] {
        let api = Api::start().await;
        answer(
            &api,
            status,
            "application/json",
            &json!({"detail": detail}).to_string(),
        );
        let error = get(&api).await;
        assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.message(), Some(detail));
        assert_eq!(error.api_error().unwrap().detail(), Some(detail));
        assert!(error.to_string().starts_with("unauthorized ("), "{error}");
    }
}

#[tokio::test]
async fn an_html_server_error_keeps_status_and_an_excerpt() {
    let api = Api::start().await;
    answer(&api, 500, "text/html", "Server error - 500");
    let error = post(&api.client).await;
    assert!(matches!(error, Error::Server(_)), "{error:?}");
    assert_eq!(
        error.status(),
        Some(reqwest::StatusCode::INTERNAL_SERVER_ERROR)
    );
    let api_error = error.api_error().unwrap();
    assert!(!api_error.is_json());
    assert_eq!(api_error.body_excerpt(), "Server error - 500");
    assert_eq!(error.message(), None);
    assert_eq!(
        error.to_string(),
        r#"server error (500 Internal Server Error): "Server error - 500""#
    );
}

#[tokio::test]
async fn a_long_html_page_is_cut_to_an_excerpt() {
    let api = Api::start().await;
    let page = format!("<html><body>{}</body></html>", "Bad gateway. ".repeat(500));
    answer(&api, 502, "text/html", &page);
    let error = post(&api.client).await;
    let excerpt = error.api_error().unwrap().body_excerpt();
    assert!(
        excerpt.starts_with("<html><body>Bad gateway.") && excerpt.ends_with("..."),
        "{excerpt}"
    );
    assert!(excerpt.chars().count() <= 303);
    assert!(error.is_retryable());
}

#[tokio::test]
async fn an_html_bad_request_is_a_server_kind_error_not_an_api_refusal() {
    let api = Api::start().await;
    answer(&api, 400, "text/html", "Bad request - 400");
    let error = post(&api.client).await;
    assert!(matches!(error, Error::Server(_)), "{error:?}");
    assert_eq!(error.status(), Some(reqwest::StatusCode::BAD_REQUEST));
}

#[tokio::test]
async fn a_success_that_does_not_decode_gives_status_excerpt_and_cause() {
    let api = Api::start().await;
    answer(
        &api,
        200,
        "application/json",
        r#"{"user": {"id": "not-a-number"}}"#,
    );
    let error = get(&api).await;
    let Error::Decode {
        status,
        body_excerpt,
        source,
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*status, reqwest::StatusCode::OK);
    assert_eq!(body_excerpt, r#"{"user": {"id": "not-a-number"}}"#);
    assert!(source.to_string().contains("user id"), "{source}");
    assert!(
        error
            .to_string()
            .starts_with("cannot decode the 200 OK response"),
        "{error}"
    );
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let api = Api::start().await;
    let target = MockServer::start_async().await;
    let elsewhere = target.mock(|when, then| {
        when.any_request();
        then.status(200).body("{}");
    });
    let location = format!("{}/steal?x=1", target.base_url());
    api.server.mock(move |_, then| {
        then.status(302).header("location", location);
    });
    let error = get(&api).await;
    let Error::UnexpectedStatus {
        status, location, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(status.as_u16(), 302);
    assert_eq!(
        location.as_deref(),
        Some(format!("{}/steal", target.base_url()).as_str())
    );
    elsewhere.assert_calls(0);
}

#[tokio::test]
async fn a_timeout_is_its_own_kind() {
    let server = MockServer::start_async().await;
    server.mock(|_, then| {
        then.status(200).body("{}").delay(Duration::from_secs(5));
    });
    let client = builder(&server)
        .token(TOKEN)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let error = post(&client).await;
    assert!(error.is_timeout(), "{error:?}");
    assert!(error.is_retryable());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "a timeout must be prompt: {:?}",
        started.elapsed()
    );
    assert_eq!(error.to_string(), "request timed out");
}

#[tokio::test]
async fn a_refused_connection_is_a_connection_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = stamps::Client::builder()
        .token(TOKEN)
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(0)
        .build()
        .unwrap();
    let error = post(&client).await;
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(error.status(), None);
}

#[tokio::test]
async fn no_error_kind_shows_the_credential() {
    let mut errors = Vec::new();

    // Api, Unauthorized, Server (a page echoing the request), Decode, UnexpectedStatus,
    // ResponseTooLarge: each answered to a GET and a POST.
    let echo = format!("<p>GET /api/v2/memberships/full-profile?token={TOKEN}&user=1</p>");
    let cases: &[(u16, &str, String)] = &[
        (
            400,
            "application/json",
            json!({"detail": format!("bad token {TOKEN}"), "errors": {"token": TOKEN}}).to_string(),
        ),
        (
            401,
            "application/json",
            json!({"detail": "Invalid token"}).to_string(),
        ),
        (500, "text/html", echo.clone()),
        (200, "text/html", echo.clone()),
        (
            200,
            "application/json",
            json!({"user": {"id": TOKEN}, "tags": TOKEN}).to_string(),
        ),
        (302, "text/html", echo),
    ];
    for (status, content_type, body) in cases {
        let api = Api::start().await;
        answer(&api, *status, content_type, body);
        errors.push(get(&api).await);
        errors.push(post(&api.client).await);
    }
    let api = Api::start().await;
    let small = builder(&api.server)
        .token(TOKEN)
        .max_response_bytes(8)
        .build()
        .unwrap();
    answer(
        &api,
        200,
        "application/json",
        r#"{"user": {"name": "long enough"}}"#,
    );
    errors.push(post(&small).await);

    // Timeout and Connection, whose transport errors carry the URL.
    let slow = MockServer::start_async().await;
    slow.mock(|_, then| {
        then.status(200).delay(Duration::from_secs(5));
    });
    let client = builder(&slow)
        .token(TOKEN)
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    errors.push(
        client
            .get_full_profile()
            .user(1)
            .send()
            .await
            .map(|_| ())
            .unwrap_err(),
    );
    let closed = stamps::Client::builder()
        .token(TOKEN)
        .base_url("http://127.0.0.1:9")
        .max_retries(0)
        .build()
        .unwrap();
    errors.push(
        closed
            .get_full_profile()
            .user(1)
            .send()
            .await
            .map(|_| ())
            .unwrap_err(),
    );

    // Config and InvalidInput.
    errors.push(
        stamps::Client::builder()
            .token(format!("{TOKEN}\n"))
            .build()
            .unwrap_err(),
    );
    errors.push(
        api.client
            .get_full_profile()
            .user("")
            .send()
            .await
            .map(|_| ())
            .unwrap_err(),
    );

    let kinds: std::collections::BTreeSet<_> = errors
        .iter()
        .map(|e| {
            format!("{e:?}")
                .split(['(', ' ', '{'])
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            "Api",
            "Config",
            "Connection",
            "Decode",
            "InvalidInput",
            "ResponseTooLarge",
            "Server",
            "Timeout",
            "Unauthorized",
            "UnexpectedStatus"
        ]
    );
    for error in &errors {
        assert_no_secret(error, TOKEN);
    }
}

#[tokio::test]
async fn the_raw_generated_error_does_not_show_the_token_in_its_url_either() {
    let client = stamps::Client::builder()
        .token(TOKEN)
        .base_url("http://127.0.0.1:9")
        .max_retries(0)
        .build()
        .unwrap();
    let raw = client.get_full_profile().user(1).send().await.unwrap_err();
    let shown = format!("{raw} {raw:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
}

/// Every `error_code` a documented example shows is a named `ErrorCode`, not `Other`
/// (the enum is generated from the spec's examples).
#[test]
fn every_documented_error_code_has_a_variant() {
    let mut seen = 0;
    for op in stamps::operations::OPERATIONS {
        for (status, name, body) in common::all_response_examples(op.id) {
            let Some(code) = body["error_code"].as_str() else {
                continue;
            };
            let parsed = stamps::ErrorCode::from(code);
            assert!(
                !matches!(parsed, stamps::ErrorCode::Other(_)),
                "{} {status} {name}: {code} has no variant",
                op.id
            );
            assert_eq!(parsed.as_str(), code);
            seen += 1;
        }
    }
    assert!(seen >= 11, "{seen}");
}
