//! A hostile server cannot make the client buffer more than
//! `ClientBuilder::max_response_bytes` (16 MiB by default): an endless body is cut at
//! the limit, promptly, with memory measured; a declared `Content-Length` above the
//! limit is refused before a byte of the body is read. A body read in chunks decodes whole.
//!
//! Memory is the process's peak resident set (`VmHWM`), reset before each scenario
//! (`/proc/self/clear_refs`); the tests of this file run one at a time so that they do
//! not measure each other.

mod common;
use common::no_token;
use common::raw_server;

use std::time::{Duration, Instant};

use common::TOKEN;
use no_token::assert_no_token;
use raw_server::{PROMPT, RawServer, Reply, head, json, response};
use stamps::{DEFAULT_MAX_RESPONSE_BYTES, Error};
use tokio::sync::Mutex;

/// One scenario at a time: they share the process's memory figures.
static SERIAL: Mutex<()> = Mutex::const_new(());

const MIB: u64 = 1024 * 1024;

/// `VmHWM` and `VmRSS` from `/proc/self/status`, in bytes.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or_else(|| panic!("no {name} in /proc/self/status"))
            * 1024
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// Runs `work` and returns its output and how far the peak resident set rose above
/// the resident set at the start; `None` where the peak cannot be reset (a kernel
/// without `clear_refs`), so that the other checks still run.
async fn peak_growth<T>(work: impl Future<Output = T>) -> (T, Option<u64>) {
    // "5" resets the peak to the current resident set (Linux 4.0+).
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok() && {
        let (peak, rss) = memory();
        peak <= rss + MIB
    };
    let (_, rss_before) = memory();
    let output = work.await;
    let (peak_after, _) = memory();
    if !reset {
        println!("cannot reset VmHWM here: peak memory not measured");
    }
    (output, reset.then(|| peak_after.saturating_sub(rss_before)))
}

fn mib(bytes: Option<u64>) -> String {
    bytes.map_or("(not measured)".into(), |b| {
        format!("{:.1} MiB", b as f64 / MIB as f64)
    })
}

fn endless(status: u16) -> Reply {
    Reply::Endless {
        head: head(
            status,
            &[
                ("content-type", "application/json"),
                ("transfer-encoding", "chunked"),
            ],
        ),
        chunk: [br#"{"user": {"name": ""#.as_slice(), &[b'a'; 64 * 1024]].concat(),
    }
}

fn client(server: &RawServer) -> stamps::ClientBuilder {
    stamps::Client::builder()
        .token(TOKEN)
        .base_url(server.url())
        .timeout(Duration::from_secs(20))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

async fn profile(client: &stamps::Client) -> Result<(), Error> {
    client.get_full_profile().user(1).send().await.map(|_| ())
}

async fn credit(client: &stamps::Client) -> Result<(), Error> {
    client
        .credit_balance()
        .body_map(|b| b.user(1).amount(5u64).merchant(14).store(3))
        .send()
        .await
        .map(|_| ())
}

/// Waits until the server has stopped streaming (the client hung up) and returns how
/// many body bytes it managed to send.
async fn streamed_until_hang_up(server: &RawServer) -> u64 {
    let deadline = Instant::now() + PROMPT;
    let mut last = server.streamed_bytes();
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = server.streamed_bytes();
        if now == last {
            return now;
        }
        assert!(
            Instant::now() < deadline,
            "the server is still streaming: the client did not hang up"
        );
        last = now;
    }
}

fn assert_too_large(error: &Error, status: u16, limit: u64) {
    assert_no_token(error);
    let Error::ResponseTooLarge {
        status: got,
        limit: got_limit,
    } = error
    else {
        panic!("expected ResponseTooLarge, got {error:?}")
    };
    assert_eq!((got.as_u16(), *got_limit), (status, limit));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
    assert!(
        error
            .to_string()
            .contains(&format!("exceeds the limit of {limit} bytes")),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_body_is_cut_at_the_default_limit_promptly_with_bounded_memory() {
    let _serial = SERIAL.lock().await;
    let server = RawServer::always(endless(200)).await;
    let client = client(&server).build().unwrap();
    let limit = DEFAULT_MAX_RESPONSE_BYTES;

    let started = Instant::now();
    let (result, growth) =
        peak_growth(async { tokio::time::timeout(PROMPT, profile(&client)).await }).await;
    let elapsed = started.elapsed();

    let error = result
        .expect("an endless body must not hang the call")
        .unwrap_err();
    let streamed = streamed_until_hang_up(&server).await;
    println!(
        "endless body: refused after {elapsed:?}; the server streamed {:.1} MiB before the \
         client hung up; peak memory rose by {} (limit {} MiB)",
        streamed as f64 / MIB as f64,
        mib(growth),
        limit / MIB
    );
    assert_too_large(&error, 200, limit);
    assert!(elapsed < PROMPT, "took {elapsed:?}");
    assert!(
        streamed >= limit,
        "the client gave up before the limit: {streamed}"
    );
    // What was read, plus what the kernel's socket buffers held when it hung up.
    assert!(
        streamed < limit + 16 * MIB,
        "the client read far past the limit: {streamed}"
    );
    if let Some(growth) = growth {
        assert!(
            growth < 2 * limit,
            "peak memory rose by {growth} bytes for a {limit}-byte limit"
        );
    }
    assert_eq!(server.requests().len(), 1, "a 200 is not retried");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_error_body_is_cut_too_and_each_get_retry_stays_bounded() {
    let _serial = SERIAL.lock().await;
    let server = RawServer::always(endless(503)).await;
    let limit = 4 * MIB;
    let client = client(&server).max_response_bytes(limit).build().unwrap();

    let (result, growth) =
        peak_growth(async { tokio::time::timeout(PROMPT, profile(&client)).await }).await;

    let error = result.expect("prompt").unwrap_err();
    assert_too_large(&error, 503, limit);
    assert!(error.is_retryable(), "a 503 is retryable whatever its body");
    assert_eq!(
        server.requests().len(),
        3,
        "a GET answered 503 is retried twice"
    );
    println!(
        "endless 503 body, 3 attempts: peak memory rose by {} (limit {} MiB)",
        mib(growth),
        limit / MIB
    );
    if let Some(growth) = growth {
        assert!(growth < 2 * limit + 8 * MIB, "peak memory rose by {growth}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_body_answering_a_post_is_cut_and_the_post_is_not_sent_again() {
    let _serial = SERIAL.lock().await;
    let server = RawServer::always(endless(200)).await;
    let client = client(&server).max_response_bytes(MIB).build().unwrap();
    let error = tokio::time::timeout(PROMPT, credit(&client))
        .await
        .expect("prompt")
        .unwrap_err();
    assert_too_large(&error, 200, MIB);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_declared_content_length_above_the_limit_is_refused_before_reading_the_body() {
    let _serial = SERIAL.lock().await;
    // Declares a terabyte, sends 17 bytes, then nothing: a client that read the body
    // would wait for its 5-second timeout.
    let server = RawServer::always(Reply::SendAndStall(
        [
            head(
                200,
                &[
                    ("content-type", "application/json"),
                    ("content-length", "1099511627776"),
                ],
            ),
            br#"{"user": {"name":"#.to_vec(),
        ]
        .concat(),
    ))
    .await;
    let client = client(&server)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = profile(&client).await.unwrap_err();
    assert_too_large(&error, 200, DEFAULT_MAX_RESPONSE_BYTES);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the body was waited for: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn the_limit_is_inclusive_with_and_without_content_length() {
    let _serial = SERIAL.lock().await;
    let body = r#"{"tags": [{"group": "category", "tag": "vvip"}]}"#;
    let exact = body.len() as u64;
    let chunked = |body: &str| {
        let mut bytes = head(200, &[("transfer-encoding", "chunked")]);
        // Two chunks, so that the client meets the limit while accumulating.
        let (a, b) = body.split_at(body.len() / 2);
        for part in [a, b] {
            bytes.extend_from_slice(format!("{:x}\r\n{part}\r\n", part.len()).as_bytes());
        }
        bytes.extend_from_slice(b"0\r\n\r\n");
        bytes
    };
    for (framing, reply) in [
        ("content-length", json(200, body)),
        ("chunked", chunked(body)),
    ] {
        let server = RawServer::always(Reply::Send(reply)).await;
        let at_limit = client(&server).max_response_bytes(exact).build().unwrap();
        profile(&at_limit)
            .await
            .unwrap_or_else(|e| panic!("{framing}: a body of exactly the limit is read: {e}"));
        let below = client(&server)
            .max_response_bytes(exact - 1)
            .build()
            .unwrap();
        let error = profile(&below).await.unwrap_err();
        assert_too_large(&error, 200, exact - 1);
    }
}

#[tokio::test]
async fn an_error_body_over_the_limit_is_refused_not_quoted() {
    let _serial = SERIAL.lock().await;
    let page = format!("<html>{}</html>", "x".repeat(4096));
    let server = RawServer::always(Reply::Send(response(
        500,
        &[("content-type", "text/html")],
        page.as_bytes(),
    )))
    .await;
    let client = client(&server).max_response_bytes(1024).build().unwrap();
    let error = credit(&client).await.unwrap_err();
    assert_too_large(&error, 500, 1024);
    assert!(
        error.api_error().is_none(),
        "no excerpt of an unread body: {error:?}"
    );
}

#[tokio::test]
async fn a_success_read_in_chunks_decodes_whole_with_its_status_and_headers() {
    let _serial = SERIAL.lock().await;
    let body = r#"{"tags": [{"group": "category", "tag": "vvip"}, {"group": "ß", "tag": "ünï"}]}"#;
    let mut reply = head(
        200,
        &[("transfer-encoding", "chunked"), ("x-request-id", "r-42")],
    );
    // Three chunks, one of them cutting a multi-byte character in two.
    let cut = body.find('ß').unwrap() + 1;
    for part in [
        &body.as_bytes()[..10],
        &body.as_bytes()[10..cut],
        &body.as_bytes()[cut..],
    ] {
        reply.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        reply.extend_from_slice(part);
        reply.extend_from_slice(b"\r\n");
    }
    reply.extend_from_slice(b"0\r\n\r\n");
    let server = RawServer::always(Reply::Send(reply)).await;
    let answer = client(&server)
        .build()
        .unwrap()
        .get_full_profile()
        .user(1)
        .send()
        .await
        .expect("a chunked success decodes");
    assert_eq!(answer.status().as_u16(), 200);
    assert_eq!(answer.headers()["x-request-id"], "r-42");
    let tags = answer.into_inner().tags;
    let tags: Vec<(String, String)> = tags
        .into_iter()
        .map(|t| (t.group.unwrap_or_default(), t.tag.unwrap_or_default()))
        .collect();
    assert_eq!(
        tags,
        [
            ("category".to_owned(), "vvip".to_owned()),
            ("ß".to_owned(), "ünï".to_owned())
        ]
    );
}
