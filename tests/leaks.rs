//! Nothing leaked: redirects are not followed (so the `Authorization` header goes
//! nowhere else), no error shows the token whatever
//! the server echoes, and `tracing` output holds neither the token nor a request's
//! query or body, through retries, errors, redirects and timeouts.

mod common;
use common::no_token;
use common::raw_server;

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use common::TOKEN;
use no_token::{assert_no_token, assert_text_has_no_token};
use raw_server::{RawServer, Reply, Request, head, json, response};
use serde_json::json;
use stamps::Error;
use tracing_subscriber::fmt::format::FmtSpan;

fn builder(server: &RawServer) -> stamps::ClientBuilder {
    stamps::Client::builder()
        .token(TOKEN)
        .base_url(server.url())
        .timeout(Duration::from_secs(5))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

/// A v2 GET, a v2 POST, and a POST that moves a balance (the token always in the
/// header only).
#[derive(Clone, Copy, Debug)]
enum Call {
    Profile,
    Tag,
    Credit,
}

const CALLS: [Call; 3] = [Call::Profile, Call::Tag, Call::Credit];

impl Call {
    async fn send(self, client: &stamps::Client) -> Result<(), Error> {
        match self {
            Call::Profile => client
                .get_full_profile()
                .user("alice@example.com")
                .send()
                .await
                .map(|_| ()),
            Call::Tag => client
                .add_membership_tag()
                .body_map(|b| b.user(1).merchant(14).key("BODY-MARKER").value("vvip"))
                .send()
                .await
                .map(|_| ()),
            Call::Credit => client
                .credit_balance()
                .body_map(|b| {
                    b.user("alice@example.com")
                        .amount(987_654_321_987u64)
                        .merchant(14)
                        .store(3)
                })
                .send()
                .await
                .map(|_| ()),
        }
    }
}

#[tokio::test]
async fn redirects_to_another_host_are_not_followed_and_report_no_query_and_no_token() {
    log();
    for status in [301, 302, 303, 307, 308] {
        for call in CALLS {
            let elsewhere = RawServer::always(Reply::Send(json(200, "{}"))).await;
            // The redirect echoes the token in its path and query.
            let location = format!(
                "{}/steal/{TOKEN}?token={TOKEN}&user=alice%40example.com#{TOKEN}",
                elsewhere.url()
            );
            let server = RawServer::always(Reply::Send(response(
                status,
                &[("location", &location)],
                b"",
            )))
            .await;
            let client = builder(&server).build().unwrap();

            let error = call.send(&client).await.unwrap_err();

            let context = format!("{status} on {call:?}: {error:?}");
            assert_no_token(&error);
            let Error::UnexpectedStatus {
                status: got,
                location,
                ..
            } = &error
            else {
                panic!("{context}")
            };
            assert_eq!(got.as_u16(), status, "{context}");
            let expected = format!("{}/steal/***", elsewhere.url());
            assert_eq!(location.as_deref(), Some(expected.as_str()), "{context}");
            assert!(
                error
                    .to_string()
                    .ends_with(&format!("(redirect to {expected})")),
                "{error}"
            );
            assert_eq!(
                elsewhere.connections(),
                0,
                "{context}: the other host was contacted"
            );
            assert_eq!(server.requests().len(), 1, "{context}: not retried");
        }
    }
}

#[tokio::test]
async fn a_redirect_followed_by_a_callers_own_http_client_is_refused_not_decoded() {
    log();
    let elsewhere = RawServer::always(Reply::Send(json(200, r#"{"tags": []}"#))).await;
    let location = format!("{}/steal/{TOKEN}?q=1", elsewhere.url());
    let server =
        RawServer::always(Reply::Send(response(302, &[("location", &location)], b""))).await;
    // reqwest's default policy follows up to 10 redirects.
    let client = builder(&server)
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();

    let error = Call::Profile.send(&client).await.unwrap_err();

    assert_no_token(&error);
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains(&format!(
            "followed a redirect to {}/steal/***",
            elsewhere.url()
        )),
        "{message}"
    );
    assert!(message.contains("Policy::none()"), "{message}");
    // The other host's answer was not used; reqwest kept the header from it, but the
    // request was sent there (only `Policy::none()` prevents that).
    let received = elsewhere.requests();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].header("authorization"), None);
    println!(
        "with a redirect-following HTTP client, the other host received:\n{}",
        received[0].head
    );
}

/// Echoes the request back in every way a broken server or proxy might.
fn echo(request: &Request, how: usize) -> Reply {
    let echoed = format!(
        "{}\n\n{}",
        request.head,
        String::from_utf8_lossy(&request.body)
    );
    match how {
        0 => Reply::Send(json(
            400,
            &json!({"detail": echoed, "error_code": TOKEN, "errors": {"token": [TOKEN]}})
                .to_string(),
        )),
        1 => Reply::Send(json(401, &json!({"detail": echoed}).to_string())),
        2 => Reply::Send(response(
            500,
            &[("content-type", "text/html")],
            format!("<pre>{echoed}</pre>").as_bytes(),
        )),
        3 => Reply::Send(json(
            200,
            &json!({"user": {"id": TOKEN, "name": echoed}, "customer": {"id": TOKEN}, "tags": echoed})
                .to_string(),
        )),
        4 => Reply::Send(response(200, &[], echoed.as_bytes())),
        5 => Reply::Send(response(
            302,
            &[("location", &format!("https://{TOKEN}.example/{TOKEN}"))],
            echoed.as_bytes(),
        )),
        6 => Reply::Send(response(204, &[("x-echo", TOKEN)], echoed.as_bytes())),
        // A long page: the token sits where the excerpt is cut.
        7 => Reply::Send(response(
            502,
            &[],
            format!("{}{echoed}", "x".repeat(280)).as_bytes(),
        )),
        _ => Reply::SendAndReset(
            [head(200, &[("content-length", "5000")]), echoed.into_bytes()].concat(),
        ),
    }
}

#[tokio::test]
async fn no_error_shows_the_token_whatever_the_server_echoes() {
    log();
    let mut kinds = std::collections::BTreeSet::new();
    for how in 0..=8 {
        for call in CALLS {
            for bearer in [false, true] {
                let server = RawServer::start(move |r: &Request| echo(r, how)).await;
                let builder = builder(&server).max_retries(0);
                let client = if bearer {
                    builder.bearer(TOKEN)
                } else {
                    builder
                }
                .build()
                .unwrap();
                let error = call.send(&client).await.unwrap_err();
                assert_no_token(&error);
                kinds.insert(
                    format!("{error:?}")
                        .split(['(', ' '])
                        .next()
                        .unwrap()
                        .to_owned(),
                );
            }
        }
    }
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            "Api",
            "Connection",
            "Decode",
            "Server",
            "Unauthorized",
            "UnexpectedStatus"
        ]
    );
}

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Everything every test of this file logs, at `TRACE`, with span events, from every
/// thread: a process-wide subscriber, installed by the first test that calls this (a
/// thread-local one misses events when tests run in parallel, as `tracing` caches
/// which callsites are enabled).
fn log() -> &'static Captured {
    static LOG: OnceLock<Captured> = OnceLock::new();
    LOG.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(FmtSpan::FULL)
            .with_ansi(false)
            .without_time()
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
        captured
    })
}

#[tokio::test]
async fn tracing_output_holds_no_token_no_query_and_no_body_through_retries_errors_and_redirects() {
    let log = log();
    let mut errors = Vec::new();

    // Retries on 503, then success; the 503 page echoes the request.
    let attempts = Arc::new(AtomicUsize::new(0));
    let counter = attempts.clone();
    let flaky = RawServer::start(move |r: &Request| {
        if counter.fetch_add(1, Ordering::SeqCst) < 2 {
            Reply::Send(response(503, &[], r.head.as_bytes()))
        } else {
            Reply::Send(json(200, "{}"))
        }
    })
    .await;
    let client = builder(&flaky).max_retries(3).build().unwrap();
    Call::Profile.send(&client).await.unwrap();
    assert_eq!(attempts.load(Ordering::SeqCst), 3);

    // Retries on broken connections, then giving up.
    let broken = RawServer::always(raw_server::reset()).await;
    let client = builder(&broken).max_retries(2).build().unwrap();
    errors.push(Call::Profile.send(&client).await.unwrap_err());
    errors.push(Call::Tag.send(&client).await.unwrap_err());

    // Error answers echoing the request, for each call.
    for how in [0, 2, 3, 5] {
        let server = RawServer::start(move |r: &Request| echo(r, how)).await;
        let client = builder(&server).build().unwrap();
        for call in CALLS {
            errors.push(call.send(&client).await.unwrap_err());
        }
    }

    // A registration: a body full of personal data and a password.
    let server = RawServer::always(Reply::Send(json(400, r#"{"detail": "no"}"#))).await;
    let client = builder(&server).build().unwrap();
    errors.push(
        client
            .register_member()
            .body_map(|b| {
                b.merchant(stamps::MerchantId::new(14))
                    .name("BODY-MARKER Customer")
                    .email("alice@example.com")
                    .mobile_number("+6281314822365")
                    .birthday(stamps::Date::from_ymd(1991, 10, 19).unwrap())
                    .gender(stamps::types::Gender::Female)
                    .store(stamps::StoreId::new(412))
                    .password(stamps::Secret::try_from("hunter2-password").unwrap())
            })
            .send()
            .await
            .unwrap_err(),
    );

    // A timeout and an answer over the size limit.
    let stalled = RawServer::always(Reply::SendAndStall(Vec::new())).await;
    let client = builder(&stalled)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    errors.push(Call::Credit.send(&client).await.unwrap_err());
    let large = RawServer::always(Reply::Send(json(200, &" ".repeat(4096)))).await;
    let client = builder(&large).max_response_bytes(1024).build().unwrap();
    errors.push(Call::Tag.send(&client).await.unwrap_err());

    for error in &errors {
        assert_no_token(error);
    }
    let log = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    // The capture works and covers what it should.
    for expected in [
        "stamps.call",
        "retrying",
        "status=503",
        "attempts=3",
        "stamps call failed",
        "operation=\"register_member\"",
        "status=302",
    ] {
        assert!(log.contains(expected), "missing {expected:?} in:\n{log}");
    }
    assert_text_has_no_token(&log, "the tracing output");
    for secret in [
        "alice@example.com",
        "alice%40example.com",
        "BODY-MARKER",
        "hunter2-password",
        "+6281314822365",
        "token=",
        "user=",
        "987654321987",
    ] {
        assert!(!log.contains(secret), "{secret:?} leaked into:\n{log}");
    }
    println!(
        "tracing: {} lines captured, {} errors checked",
        log.lines().count(),
        errors.len()
    );
}

/// A PIN (`format: password` in the spec, so a `stamps::Secret`) shows in no `Debug`
/// of the request, and not in the error either when the server echoes it back.
#[tokio::test]
async fn a_pin_never_shows_even_when_the_server_echoes_it() {
    const PIN: &str = "9137462851";
    let body = json!({
        "detail": format!("pin: {PIN} is not valid"),
        "errors": {"pin": format!("{PIN} is not valid")},
        "error_code": "invalid_pin",
        "error_message": "Invalid PIN",
        "echo": {"pin": PIN}
    })
    .to_string();
    let server = RawServer::always(Reply::Send(response(
        400,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )))
    .await;
    let client = builder(&server).build().unwrap();
    let request = stamps::types::AuthorizeRedemptionRequest::builder()
        .user(123)
        .pin(PIN)
        .request_id("abcdefgh".to_owned())
        .timeout(900);
    let built: stamps::types::AuthorizeRedemptionRequest = request.clone().try_into().unwrap();
    assert!(!format!("{built:?}").contains(PIN), "{built:?}");
    assert!(!format!("{request:?}").contains(PIN));
    let error = client
        .authorize_redemption()
        .body(request)
        .send()
        .await
        .unwrap_err();
    // It was sent, as the docs say...
    assert!(String::from_utf8_lossy(&server.requests()[0].body).contains(PIN));
    // ...and shows nowhere after.
    assert_eq!(error.code(), Some(&stamps::ErrorCode::InvalidPin));
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(PIN), "the PIN leaked: {text}");
    }
    let excerpt = format!("{error:?}");
    assert!(
        excerpt.contains(r#"\"pin\": \"***"#) || excerpt.contains(r#"\"pin\":\"***"#),
        "{excerpt}"
    );
}

/// A PIN sent in a query string (`format: password` on a query parameter, the KLG
/// page's duplicate check) is a `Secret` too, and an error that echoes it shows `***`.
#[tokio::test]
async fn a_pin_in_a_query_string_never_shows_either() {
    const PIN: &str = "8264091735";
    let body = format!("<html>no legacy member with pin={PIN} (you sent {PIN})</html>");
    let server = RawServer::always(Reply::Send(response(
        400,
        &[("Content-Type", "text/html")],
        body.as_bytes(),
    )))
    .await;
    let client = builder(&server).build().unwrap();
    let call = client
        .get_duplicate_legacy_members_with_pin()
        .user("customer@stamps.co.id")
        .pin(PIN);
    assert!(!format!("{call:?}").contains(PIN), "{call:?}");
    let error = call.send().await.unwrap_err();
    // It was sent, as the docs say...
    assert!(
        server.requests()[0]
            .target()
            .contains(&format!("pin={PIN}"))
    );
    // ...and shows nowhere after.
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(PIN), "the PIN leaked: {text}");
    }
}
