//! The fake as a server others leave running: raw TCP clients that send garbage, stall
//! in the head or the body, or announce a body beyond the cap get an answer (or a
//! closed connection) at once or within the read timeout, and the fake keeps serving.

use std::time::{Duration, Instant};

use stamps::fake::FakeStamps;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Short, so that the stalling clients are cut off quickly.
const READ_TIMEOUT: Duration = Duration::from_millis(300);

async fn fake() -> FakeStamps {
    FakeStamps::builder()
        .read_timeout(READ_TIMEOUT)
        .start()
        .await
        .unwrap()
}

/// Sends `bytes` on a new connection, then reads until the server closes it (at most
/// 3 s); returns what it read and how long the read took.
async fn exchange(fake: &FakeStamps, bytes: &[u8]) -> (String, Duration) {
    let address = fake.base_url().trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(bytes).await.unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(3), stream.read_to_end(&mut answer));
    // A reset after the answer (unread bytes in the server's socket) ends it too.
    let _ = read
        .await
        .expect("the server ends the connection within 3 s");
    (
        String::from_utf8_lossy(&answer).into_owned(),
        started.elapsed(),
    )
}

async fn still_serves(fake: &FakeStamps) {
    fake.client()
        .get_member_details()
        .user("nobody@example.com")
        .merchant(fake.merchant())
        .send()
        .await
        .expect_err("no such member, but an answer");
    assert_eq!(fake.calls().last().unwrap().status, 400);
}

#[tokio::test]
async fn a_garbage_request_line_gets_400_at_once() {
    let fake = fake().await;
    let (answer, took) = exchange(&fake, b"HELLO THERE\r\n\r\n").await;
    assert!(
        answer.starts_with("HTTP/1.1 400 Bad Request\r\n"),
        "{answer:?}"
    );
    assert!(took < READ_TIMEOUT, "answered after {took:?}");
    still_serves(&fake).await;
}

#[tokio::test]
async fn a_header_that_does_not_parse_gets_400_at_once() {
    let fake = fake().await;
    let (answer, took) = exchange(&fake, b"GET /api/ping HTTP/1.1\r\nNo colon here\r\n\r\n").await;
    assert!(
        answer.starts_with("HTTP/1.1 400 Bad Request\r\n"),
        "{answer:?}"
    );
    assert!(took < READ_TIMEOUT, "answered after {took:?}");
}

#[tokio::test]
async fn a_head_never_finished_is_closed_after_the_read_timeout() {
    let fake = fake().await;
    let (_, took) = exchange(&fake, b"GET /api/ping HTTP/1.1\r\nHost: x\r\n").await;
    assert!(took >= READ_TIMEOUT / 2, "closed after {took:?}");
    assert!(took < READ_TIMEOUT * 4, "closed after {took:?}");
    still_serves(&fake).await;
}

#[tokio::test]
async fn a_body_announced_beyond_the_cap_gets_413_at_once() {
    let fake = fake().await;
    let request = "POST /api/v2/memberships/register HTTP/1.1\r\nHost: x\r\n\
                   Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n";
    let (answer, took) = exchange(&fake, request.as_bytes()).await;
    assert!(
        answer.starts_with("HTTP/1.1 413 Payload Too Large\r\n"),
        "{answer:?}"
    );
    assert!(answer.contains("connection: close\r\n"), "{answer:?}");
    assert!(
        answer.ends_with(r#"{"detail":"Request body too large"}"#),
        "{answer:?}"
    );
    assert!(took < READ_TIMEOUT, "answered after {took:?}");
    still_serves(&fake).await;
}

#[tokio::test]
async fn a_body_sent_beyond_the_cap_gets_413() {
    let fake = fake().await;
    // Chunked: no length announced, so the cap is met while reading.
    let mut request = b"POST /api/v2/memberships/register HTTP/1.1\r\nHost: x\r\n\
                        Transfer-Encoding: chunked\r\n\r\n"
        .to_vec();
    let chunk = vec![b'x'; 64 * 1024];
    for _ in 0..17 {
        request.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        request.extend_from_slice(&chunk);
        request.extend_from_slice(b"\r\n");
    }
    let (answer, _) = exchange(&fake, &request).await;
    assert!(
        answer.starts_with("HTTP/1.1 413 Payload Too Large\r\n"),
        "{answer:?}"
    );
}

#[tokio::test]
async fn a_body_that_stalls_gets_408_after_the_read_timeout() {
    let fake = fake().await;
    let request = "POST /api/v2/memberships/register HTTP/1.1\r\nHost: x\r\n\
                   Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"na";
    let (answer, took) = exchange(&fake, request.as_bytes()).await;
    assert!(
        answer.starts_with("HTTP/1.1 408 Request Timeout\r\n"),
        "{answer:?}"
    );
    assert!(answer.contains("connection: close\r\n"), "{answer:?}");
    assert!(took >= READ_TIMEOUT / 2, "answered after {took:?}");
    assert!(took < READ_TIMEOUT * 4, "answered after {took:?}");
    still_serves(&fake).await;
}
