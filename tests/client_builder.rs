//! Building a client: credentials on the wire (the header, nowhere else), refused
//! configurations, and a `Debug` that never shows the secret.

use crate::common;

use common::{Api, TOKEN, builder};
use httpmock::MockServer;
use serde_json::json;
use stamps::{Client, Error};

const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxNCJ9.c2lnbmF0dXJlLXNlY3JldA";

fn status_ok() -> serde_json::Value {
    json!({"status": "ok"})
}

#[tokio::test]
async fn a_static_token_goes_in_the_authorization_header() {
    let api = Api::start().await;
    let mock = api.server.mock(|when, then| {
        when.path("/api/pets/delete")
            .header("authorization", format!("Token {TOKEN}"));
        then.status(200).body(status_ok().to_string());
    });
    api.client
        .delete_pet()
        .body_map(|b| b.pet(1))
        .send()
        .await
        .unwrap();
    mock.assert();
}

#[tokio::test]
async fn a_jwt_goes_in_the_authorization_header_as_bearer() {
    let server = MockServer::start_async().await;
    let client = builder(&server).bearer(JWT).build().unwrap();
    let mock = server.mock(|when, then| {
        when.path("/api/pets/delete")
            .header("authorization", format!("Bearer {JWT}"));
        then.status(200).body(status_ok().to_string());
    });
    client
        .delete_pet()
        .body_map(|b| b.pet(1))
        .send()
        .await
        .unwrap();
    mock.assert();
}

#[tokio::test]
async fn a_v2_get_carries_the_credential_only_in_its_header() {
    let api = Api::start().await;
    let mock = api.server.mock(|when, then| {
        when.path("/api/v2/memberships/full-profile")
            .header("authorization", format!("Token {TOKEN}"))
            .query_param_missing("token")
            .query_param("user", "alice@example.com")
            .query_param_count(".*", ".*", 1);
        then.status(200).body("{}");
    });
    api.client
        .get_full_profile()
        .user("alice@example.com")
        .send()
        .await
        .unwrap();
    mock.assert();
}

#[tokio::test]
async fn a_v2_post_carries_the_credential_only_in_its_header() {
    let server = MockServer::start_async().await;
    let client = builder(&server).bearer(JWT).build().unwrap();
    let mock = server.mock(|when, then| {
        when.path("/api/v2/memberships/anonymize")
            .header("authorization", format!("Bearer {JWT}"))
            .query_param_count(".*", ".*", 0)
            .json_body(json!({"identifier": "alice@example.com"}));
        then.status(200).body(status_ok().to_string());
    });
    client
        .anonymize_member()
        .body_map(|b| b.identifier("alice@example.com"))
        .send()
        .await
        .unwrap();
    mock.assert();
}

#[tokio::test]
async fn legacy_and_balance_calls_carry_no_token_parameter() {
    let api = Api::start().await;
    let mock = api.server.mock(|when, then| {
        when.path("/api/memberships/status")
            .query_param_missing("token")
            .query_param("user", "8120")
            .query_param("merchant", "14");
        then.status(200).body("{}");
    });
    api.client
        .get_member_status()
        .user(8120)
        .merchant(14)
        .send()
        .await
        .unwrap();
    mock.assert();
}

#[tokio::test]
async fn sends_the_default_user_agent_or_the_chosen_one() {
    let server = MockServer::start_async().await;
    let default_ua = server.mock(|when, then| {
        when.path("/api/pets/delete")
            .header("user-agent", stamps::DEFAULT_USER_AGENT);
        then.status(200).body(status_ok().to_string());
    });
    builder(&server)
        .token(TOKEN)
        .build()
        .unwrap()
        .delete_pet()
        .body_map(|b| b.pet(1))
        .send()
        .await
        .unwrap();
    default_ua.assert();
    assert!(stamps::DEFAULT_USER_AGENT.starts_with("stamps-rust/"));

    let custom = server.mock(|when, then| {
        when.path("/api/pets/add")
            .header("user-agent", "my-pos/2.1");
        then.status(200).body(r#"{"pet": {}}"#);
    });
    // Also through a caller's own reqwest client.
    let own = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = builder(&server)
        .token(TOKEN)
        .user_agent("my-pos/2.1")
        .http_client(own)
        .build()
        .unwrap();
    client
        .add_pet()
        .body_map(|b| b.user(1).name("Kat").type_("cat"))
        .send()
        .await
        .unwrap();
    custom.assert();
}

#[tokio::test]
async fn does_not_send_progenitors_api_version_header() {
    let api = Api::start().await;
    let mock = api.server.mock(|when, then| {
        when.path("/api/pets/delete").header_missing("api-version");
        then.status(200).body(status_ok().to_string());
    });
    api.client
        .delete_pet()
        .body_map(|b| b.pet(1))
        .send()
        .await
        .unwrap();
    mock.assert();
}

#[test]
fn building_without_a_credential_is_an_error() {
    let error = Client::builder().build().unwrap_err();
    assert!(matches!(error, Error::Config { .. }));
    assert_eq!(
        error.to_string(),
        "invalid client configuration: no credential: call .token(key) or .bearer(jwt)"
    );
}

#[test]
fn a_credential_that_cannot_go_in_a_header_is_an_error_that_does_not_echo_it() {
    for secret in [
        "",
        "line\nbreak-secret",
        "tab\tsecret",
        "naïve-secret",
        " padded-secret",
    ] {
        let error = Client::builder().token(secret).build().unwrap_err();
        assert!(
            matches!(error, Error::Config { .. }),
            "{secret:?}: {error:?}"
        );
        if !secret.is_empty() {
            assert!(
                !format!("{error} {error:?}").contains(secret.trim()),
                "{error}"
            );
        }
    }
}

#[test]
fn base_urls_that_would_leak_or_do_not_parse_are_refused() {
    let cases = [
        ("http://stamps.co.id", "refusing plain http to stamps.co.id"),
        ("http://192.168.1.20:8000", "refusing plain http"),
        ("not a url", "invalid base URL"),
        ("ftp://stamps.co.id", "is not http(s)"),
        ("https://user:pass@stamps.co.id", "may not carry"),
    ];
    for (url, expected) in cases {
        let error = Client::builder()
            .token(TOKEN)
            .base_url(url)
            .build()
            .unwrap_err();
        assert!(matches!(error, Error::Config { .. }), "{url}");
        assert!(error.to_string().contains(expected), "{url}: {error}");
    }
}

#[test]
fn plain_http_is_allowed_to_loopback_or_when_asked() {
    for url in ["http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9"] {
        Client::builder()
            .token(TOKEN)
            .base_url(url)
            .build()
            .unwrap();
    }
    let client = Client::builder()
        .token(TOKEN)
        .base_url("http://10.1.2.3/")
        .allow_insecure_http(true)
        .build()
        .unwrap();
    assert_eq!(stamps::ClientInfo::baseurl(&client), "http://10.1.2.3");
    let default = Client::builder().token(TOKEN).build().unwrap();
    assert_eq!(
        stamps::ClientInfo::baseurl(&default),
        "https://stamps.co.id"
    );
}

#[test]
fn debug_never_shows_the_secret() {
    let builder = Client::builder().token(TOKEN);
    let client = builder.clone().build().unwrap();
    let bearer = Client::builder().bearer(JWT).build().unwrap();
    for shown in [
        format!("{builder:?}"),
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{bearer:?}"),
    ] {
        assert!(!shown.contains(TOKEN) && !shown.contains(JWT), "{shown}");
    }
    assert!(format!("{client:?}").contains("Token(***)"));
    assert!(format!("{bearer:?}").contains("Bearer(***)"));
}

#[test]
fn client_and_error_cross_threads_and_the_client_is_cheap_to_clone() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Client>();
    assert_send_sync::<Error>();
    let client = Client::builder().token(TOKEN).build().unwrap();
    let clone = client.clone();
    assert_eq!(
        stamps::ClientInfo::baseurl(&clone),
        stamps::ClientInfo::baseurl(&client)
    );
}

/// What a call in flight holds. rustc stores an `async fn`'s arguments apart from its
/// locals, and nesting copies the request and the answer again at each level; the hooks
/// avoid it (see `exec` in src/hooks.rs). Every future a caller spawns or joins is this
/// size, and it is copied each time it moves: the bound keeps a change to the hooks
/// from making every call's future large again.
#[test]
fn a_call_in_flight_holds_about_two_kilobytes() {
    let client = Client::builder().token(TOKEN).build().unwrap();
    let credit = client.credit_balance().send();
    let add = client.add_transaction().send();
    let sizes = (size_of_val(&credit), size_of_val(&add));
    eprintln!(
        "credit_balance: {} bytes, add_transaction: {} bytes",
        sizes.0, sizes.1
    );
    assert!(sizes.0 <= 2048 && sizes.1 <= 2816, "{sizes:?}");
}
