//! What the fake costs a user's test, beside httpmock serving the same documented
//! answer: run by `cargo xtask bench-fake`, which builds it in debug (as `cargo test`
//! builds a user's tests) and runs each arm in a fresh process.
//!
//! ```text
//! cargo run --example bench_fake -- fake       # or: httpmock
//! ```
//!
//! Each arm prints `name value` lines (milliseconds, calls per second, megabytes):
//! - `first_start_ms`: the first start of a server in the process;
//! - `first_call_ms`: then the first call, `get_member_details` through the SDK;
//! - `later_start_ms`: a second server started in the same process;
//! - `new_operation_ms`: the first call of another operation (`credit_balance`, a POST);
//! - `get_per_s`, `post_per_s`: calls per second with 16 in flight, through the SDK,
//!   on a current-thread runtime (as `#[tokio::test]` runs);
//! - `rss_start_mb`, `rss_end_mb`: resident memory after the first call and at the end;
//! - the fake only: `every_new_operation_ms_median`/`_max`, the first call of each of
//!   the spec's other operations (a request without parameters: each is routed,
//!   checked and refused or answered, which is where the fake builds its validators);
//!   with `BENCH_FAKE_EACH` set, each one's time goes to stderr.

use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use httpmock::{Method, MockServer};
use serde_json::Value;
use stamps::fake::{FakeStamps, NewMember};

/// Calls kept in flight by the throughput arms.
const IN_FLIGHT: usize = 16;
/// How long each throughput arm runs.
const LOAD: Duration = Duration::from_secs(2);
const TOKEN: &str = "tok_bench_fake_0123456789abcdef";
const USER: &str = "alice@example.com";

fn main() {
    let arm = std::env::args().nth(1).unwrap_or_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    match arm.as_str() {
        "fake" => runtime.block_on(fake()),
        "httpmock" => runtime.block_on(mock()),
        _ => {
            eprintln!("usage: bench_fake fake|httpmock");
            std::process::exit(2);
        }
    }
}

async fn fake() {
    let started = Instant::now();
    let fake = FakeStamps::builder()
        .token(TOKEN)
        .start()
        .await
        .expect("starts");
    report("first_start_ms", ms(started.elapsed()));
    fake.add_member(NewMember::new("Alice").email(USER).balance(500));
    let client = fake.client();
    let started = Instant::now();
    get(&client).await;
    report("first_call_ms", ms(started.elapsed()));
    report("rss_start_mb", rss_mb());

    let started = Instant::now();
    let later = FakeStamps::start().await;
    report("later_start_ms", ms(started.elapsed()));
    drop(later);

    let started = Instant::now();
    post(&client).await;
    report("new_operation_ms", ms(started.elapsed()));

    report("get_per_s", throughput(|| get(&client)).await);
    report("post_per_s", throughput(|| post(&client)).await);

    // The first call of every other operation, without parameters.
    let http = reqwest::Client::new();
    let mut times = Vec::new();
    for op in stamps::operations::OPERATIONS {
        if matches!(op.id, "get_member_details" | "credit_balance") {
            continue;
        }
        let path: Vec<&str> = op
            .path
            .split('/')
            .map(|s| if s.starts_with('{') { "1" } else { s })
            .collect();
        let url = format!("{}{}", fake.base_url(), path.join("/"));
        let request = match op.method {
            "GET" => http.get(url),
            _ => http.post(url).header("content-type", "application/json"),
        };
        let started = Instant::now();
        request
            .header("authorization", format!("Token {TOKEN}"))
            .send()
            .await
            .expect("the fake answers")
            .bytes()
            .await
            .expect("a body");
        times.push(ms(started.elapsed()));
        if std::env::var_os("BENCH_FAKE_EACH").is_some() {
            eprintln!("{} {:.1}", op.id, ms(started.elapsed()));
        }
    }
    times.sort_by(f64::total_cmp);
    report("every_new_operation_ms_median", times[times.len() / 2]);
    report("every_new_operation_ms_max", times[times.len() - 1]);
    report("rss_end_mb", rss_mb());
}

async fn mock() {
    let spec = stamps_spec::Spec::from_yaml(include_str!("../openapi/stamps.yaml"))
        .expect("the spec is YAML");
    let example = |id: &str| -> String {
        let op = spec.operation(id).expect("in the spec");
        let (_, value) = op.response_examples(&spec, "200", "application/json")[0];
        value.to_string()
    };
    let (details, credit) = (example("get_member_details"), example("credit_balance"));

    let started = Instant::now();
    let server = MockServer::start_async().await;
    report("first_start_ms", ms(started.elapsed()));
    let path = |id: &str| stamps::operations::find(id).expect("in the table").path;
    server
        .mock_async(|when, then| {
            when.method(Method::GET).path(path("get_member_details"));
            then.status(200)
                .header("content-type", "application/json")
                .body(&details);
        })
        .await;
    let client = stamps::Client::builder()
        .token(TOKEN)
        .base_url(server.base_url())
        .build()
        .expect("a client");
    let started = Instant::now();
    get(&client).await;
    report("first_call_ms", ms(started.elapsed()));
    report("rss_start_mb", rss_mb());

    let started = Instant::now();
    let later = MockServer::start_async().await;
    report("later_start_ms", ms(started.elapsed()));
    drop(later);

    let started = Instant::now();
    server
        .mock_async(|when, then| {
            when.method(Method::POST).path(path("credit_balance"));
            then.status(200)
                .header("content-type", "application/json")
                .body(&credit);
        })
        .await;
    post(&client).await;
    report("new_operation_ms", ms(started.elapsed()));

    report("get_per_s", throughput(|| get(&client)).await);
    report("post_per_s", throughput(|| post(&client)).await);
    report("rss_end_mb", rss_mb());
}

async fn get(client: &stamps::Client) {
    client
        .get_member_details()
        .user(USER)
        .merchant(14)
        .send()
        .await
        .expect("get_member_details answers");
}

async fn post(client: &stamps::Client) {
    client
        .credit_balance()
        .body_map(|b| b.user(USER).amount(5).merchant(14).store(3))
        .send()
        .await
        .expect("credit_balance answers");
}

/// Calls per second, `IN_FLIGHT` at a time, for `LOAD`.
async fn throughput<F, Fut>(call: F) -> f64
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()>,
{
    let started = Instant::now();
    let mut done = 0u64;
    while started.elapsed() < LOAD {
        let batch = futures_util::stream::iter(0..IN_FLIGHT * 8)
            .map(|_| call())
            .buffer_unordered(IN_FLIGHT);
        done += batch.count().await as u64;
    }
    done as f64 / started.elapsed().as_secs_f64()
}

/// The process's resident memory (Linux), in megabytes; 0 elsewhere.
fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(name: &str, value: impl Into<Value>) {
    println!("{name} {}", value.into());
}
