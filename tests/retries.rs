//! Retries: GETs try again on transient failures, POSTs never re-send a request the
//! server may have received.

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{TOKEN, builder};
use httpmock::{HttpMockResponse, MockServer};
use stamps::Error;

/// Answers `statuses` in turn (the last one forever), counting the calls.
fn sequence(
    server: &MockServer,
    path: &'static str,
    statuses: &'static [(u16, &'static str)],
) -> Arc<AtomicUsize> {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    server.mock(move |when, then| {
        when.path(path);
        then.respond_with(move |_| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let (status, body) = statuses[n.min(statuses.len() - 1)];
            HttpMockResponse::builder()
                .status(status)
                .header("content-type", "application/json")
                .body(body)
                .build()
        });
    });
    calls
}

#[tokio::test]
async fn a_get_is_retried_on_503_until_it_succeeds() {
    let server = MockServer::start_async().await;
    let calls = sequence(
        &server,
        "/api/v2/memberships/full-profile",
        &[
            (503, ""),
            (503, ""),
            (200, r#"{"tags": [{"group": "category", "tag": "vvip"}]}"#),
        ],
    );
    let client = builder(&server)
        .token(TOKEN)
        .max_retries(2)
        .build()
        .unwrap();

    let profile = client
        .get_full_profile()
        .user(1)
        .send()
        .await
        .expect("the third attempt succeeds");

    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert_eq!(profile.tags[0].tag.as_deref(), Some("vvip"));
}

#[tokio::test]
async fn a_get_gives_up_after_max_retries() {
    let server = MockServer::start_async().await;
    let calls = sequence(
        &server,
        "/api/memberships/upgrade-requirement",
        &[(502, "")],
    );
    let client = builder(&server)
        .token(TOKEN)
        .max_retries(3)
        .build()
        .unwrap();

    let error = client
        .get_upgrade_requirement()
        .user(1)
        .send()
        .await
        .unwrap_err();

    assert_eq!(
        calls.load(Ordering::SeqCst),
        4,
        "one attempt and three retries"
    );
    assert!(matches!(error, Error::Server(_)));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
}

#[tokio::test]
async fn every_transient_status_is_retried_and_others_are_not() {
    for (status, expected_calls) in [
        (429, 2),
        (502, 2),
        (503, 2),
        (504, 2),
        (500, 1),
        (400, 1),
        (401, 1),
        (404, 1),
    ] {
        let server = MockServer::start_async().await;
        let statuses: &'static [(u16, &'static str)] =
            Box::leak(Box::new([(status, "{}"), (200, r#"{"suggestions": []}"#)]));
        let calls = sequence(&server, "/api/memberships/suggestions", statuses);
        let client = builder(&server)
            .token(TOKEN)
            .max_retries(1)
            .build()
            .unwrap();
        let _ = client
            .suggest_members()
            .query("steve")
            .merchant(14)
            .send()
            .await;
        assert_eq!(
            calls.load(Ordering::SeqCst),
            expected_calls,
            "status {status}"
        );
    }
}

#[tokio::test]
async fn a_credit_answered_503_is_not_sent_again() {
    let server = MockServer::start_async().await;
    let calls = sequence(&server, "/api/balances/credit", &[(503, ""), (200, "{}")]);
    let client = builder(&server)
        .token(TOKEN)
        .max_retries(5)
        .build()
        .unwrap();

    let error = client
        .credit_balance()
        .body_map(|b| {
            b.user("alice@example.com")
                .amount(1000u64)
                .merchant(14)
                .store(3)
        })
        .send()
        .await
        .unwrap_err();

    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "a retried credit would be a double credit"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert!(
        error.is_retryable(),
        "the caller may decide to retry, knowing the risk"
    );
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start_async().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    server.mock(move |_, then| {
        then.respond_with(move |_| match counter.fetch_add(1, Ordering::SeqCst) {
            0 => HttpMockResponse::builder()
                .status(429)
                .header("retry-after", "1")
                .build(),
            _ => HttpMockResponse::builder().status(200).body("{}").build(),
        });
    });
    let client = builder(&server)
        .token(TOKEN)
        .retry_backoff(Duration::from_millis(1), Duration::from_secs(5))
        .build()
        .unwrap();

    let started = Instant::now();
    client.get_full_profile().user(1).send().await.unwrap();

    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_returns_the_answer_at_once() {
    let server = MockServer::start_async().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    server.mock(move |_, then| {
        then.respond_with(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
            HttpMockResponse::builder()
                .status(503)
                .header("retry-after", "3600")
                .build()
        });
    });
    let client = builder(&server).token(TOKEN).build().unwrap();
    let error = client.get_full_profile().user(1).send().await.unwrap_err();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
}

#[tokio::test]
async fn max_retries_zero_means_one_attempt() {
    let server = MockServer::start_async().await;
    let calls = sequence(&server, "/api/v2/memberships/full-profile", &[(503, "")]);
    let client = builder(&server)
        .token(TOKEN)
        .max_retries(0)
        .build()
        .unwrap();
    let _ = client.get_full_profile().user(1).send().await;
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_post_whose_connection_was_refused_is_retried_as_nothing_was_sent() {
    // Bind a port, then free it: connecting to it is refused before a byte is written.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = stamps::Client::builder()
        .token(TOKEN)
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(2)
        .retry_backoff(Duration::from_millis(200), Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client
        .debit_balance()
        .body_map(|b| b.user(1).amount(5u64).merchant(14).store(3))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    // Two backoffs of up to 200 ms each: retried, but the jitter may make them short.
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_stalled_server_times_out_promptly_without_retrying() {
    let server = MockServer::start_async().await;
    let stalled = server.mock(|_, then| {
        then.status(200).body("{}").delay(Duration::from_secs(10));
    });
    let client = builder(&server)
        .token(TOKEN)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();

    let started = Instant::now();
    let error = client.get_full_profile().user(1).send().await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    stalled.assert_calls(1);
}
