//! A tiny HTTP/1.1 server on loopback that answers with exactly the bytes a test
//! chooses, for what a mock server cannot do: close or reset mid-answer, stall after
//! the headers, lie in `Content-Length`, stream a body that never ends.
//!
//! It reads a request up to `\r\n\r\n`, then `Content-Length` bytes of body; nothing
//! more is parsed. Connections are kept alive between requests unless the [`Reply`]
//! ends them. Declare it from a test file with
//! `#[path = "common/raw_server.rs"] mod raw_server;`.
#![allow(dead_code, reason = "each test file uses a different subset")]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// One request as received.
#[derive(Clone, Debug)]
pub struct Request {
    /// The request line and headers, without the blank line.
    pub head: String,
    pub body: Vec<u8>,
    /// The number of the connection it came on (0-based, in accept order).
    pub connection: usize,
}

impl Request {
    pub fn method(&self) -> &str {
        self.head.split(' ').next().unwrap_or_default()
    }

    /// The request target: path and query.
    pub fn target(&self) -> &str {
        self.head.split(' ').nth(1).unwrap_or_default()
    }

    pub fn path(&self) -> &str {
        self.target().split('?').next().unwrap_or_default()
    }

    /// The value of query parameter `name`, percent-decoded.
    pub fn query_param(&self, name: &str) -> Option<String> {
        let query = self.target().split_once('?')?.1;
        reqwest::Url::parse(&format!("http://x/?{query}"))
            .ok()?
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the request body is JSON")
    }
}

/// What the server does with a request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Writes these bytes and waits for the next request on the connection.
    Send(Vec<u8>),
    /// Writes these bytes, then closes the connection (FIN).
    SendAndClose(Vec<u8>),
    /// Writes these bytes, then resets the connection (RST).
    SendAndReset(Vec<u8>),
    /// Writes these bytes, then sends nothing more, keeping the connection open until
    /// the client leaves.
    SendAndStall(Vec<u8>),
    /// Writes `head` (which must declare `Transfer-Encoding: chunked`), then chunks of
    /// `chunk` for as long as the client reads.
    Endless { head: Vec<u8>, chunk: Vec<u8> },
}

/// Closes the connection without answering (FIN).
pub fn close() -> Reply {
    Reply::SendAndClose(Vec::new())
}

/// Resets the connection without answering (RST).
pub fn reset() -> Reply {
    Reply::SendAndReset(Vec::new())
}

#[derive(Default)]
struct Stats {
    connections: AtomicUsize,
    requests: Mutex<Vec<Request>>,
    streamed: AtomicU64,
}

/// A running server; it stops, with all its connections, when dropped.
pub struct RawServer {
    pub addr: SocketAddr,
    stats: Arc<Stats>,
    task: JoinHandle<()>,
}

impl RawServer {
    /// Starts a server that answers each request with `handler`'s reply.
    pub async fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let stats = Arc::new(Stats::default());
        let handler = Arc::new(handler);
        let shared = stats.clone();
        let task = tokio::spawn(async move {
            // Dropping the set (when the accept loop is aborted) aborts every connection.
            let mut connections = JoinSet::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let number = shared.connections.fetch_add(1, Ordering::SeqCst);
                connections.spawn(serve(stream, number, shared.clone(), handler.clone()));
                while connections.try_join_next().is_some() {}
            }
        });
        RawServer { addr, stats, task }
    }

    /// Starts a server that answers every request with the same reply.
    pub async fn always(reply: Reply) -> Self {
        Self::start(move |_| reply.clone()).await
    }

    /// `http://127.0.0.1:<port>`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many TCP connections the server accepted.
    pub fn connections(&self) -> usize {
        self.stats.connections.load(Ordering::SeqCst)
    }

    /// Every request received so far, in order of arrival.
    pub fn requests(&self) -> Vec<Request> {
        self.stats.requests.lock().unwrap().clone()
    }

    /// Body bytes written by [`Reply::Endless`] answers so far.
    pub fn streamed_bytes(&self) -> u64 {
        self.stats.streamed.load(Ordering::SeqCst)
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    connection: usize,
    stats: Arc<Stats>,
    handler: Arc<dyn Fn(&Request) -> Reply + Send + Sync>,
) {
    let mut buf = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buf, connection).await {
        stats.requests.lock().unwrap().push(request.clone());
        match handler(&request) {
            Reply::Send(bytes) => {
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Reply::SendAndClose(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
                return;
            }
            Reply::SendAndReset(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.flush().await;
                let _ = stream.set_zero_linger();
                return;
            }
            Reply::SendAndStall(bytes) => {
                let _ = stream.write_all(&bytes).await;
                // Hold the connection until the client closes it.
                let mut sink = [0u8; 1024];
                while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
                return;
            }
            Reply::Endless { head, chunk } => {
                if stream.write_all(&head).await.is_err() {
                    return;
                }
                let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
                framed.extend_from_slice(&chunk);
                framed.extend_from_slice(b"\r\n");
                while stream.write_all(&framed).await.is_ok() {
                    stats
                        .streamed
                        .fetch_add(chunk.len() as u64, Ordering::SeqCst);
                }
                return;
            }
        }
    }
}

/// Reads one request: up to the blank line, then `Content-Length` bytes. `None` when
/// the client closed the connection (or sent something unreadable).
async fn read_request(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    connection: usize,
) -> Option<Request> {
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        if read_more(stream, buf).await == 0 {
            return None;
        }
    };
    let head = String::from_utf8(buf[..head_end].to_vec()).ok()?;
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    let body_start = head_end + 4;
    while buf.len() < body_start + length {
        if read_more(stream, buf).await == 0 {
            return None;
        }
    }
    let body = buf[body_start..body_start + length].to_vec();
    buf.drain(..body_start + length);
    Some(Request {
        head,
        body,
        connection,
    })
}

async fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>) -> usize {
    let mut chunk = [0u8; 16 * 1024];
    match stream.read(&mut chunk).await {
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            n
        }
        Err(_) => 0,
    }
}

/// A complete answer: status line, `headers`, a `Content-Length` matching `body`.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = head(status, headers);
    // Replace the blank line with Content-Length, then end the head.
    out.truncate(out.len() - 2);
    out.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    out
}

/// A complete JSON answer.
pub fn json(status: u16, body: &str) -> Vec<u8> {
    response(
        status,
        &[("content-type", "application/json")],
        body.as_bytes(),
    )
}

/// A status line and `headers`, ending with the blank line; no `Content-Length`.
pub fn head(status: u16, headers: &[(&str, &str)]) -> Vec<u8> {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Whatever");
    let mut out = format!("HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.into_bytes()
}

/// How long a test waits for anything that should be prompt.
pub const PROMPT: Duration = Duration::from_secs(10);
