//! A server that answers badly: each case serves one bad answer to one call and checks
//! the exact `stamps::Error` kind, status, how many requests reached the server (a
//! POST is never sent twice), and that the message says what a reader needs. No case
//! may panic, hang or show the token.

use crate::common;
use crate::common::no_token;
use crate::common::raw_server;

use std::time::{Duration, Instant};

use common::TOKEN;
use no_token::assert_no_token;
use raw_server::{RawServer, Reply, head, json, response};
use serde_json::Value;
use stamps::Error;

/// The calls the cases make: a v2 GET, a legacy GET with int64
/// fields, and a POST that moves a balance.
#[derive(Clone, Copy, Debug)]
enum Call {
    /// `get_full_profile`, decoding `FullProfile`.
    Profile,
    /// `get_member_status`, decoding `LegacyMemberStatus` (`stamps`, `balance`: int64).
    Status,
    /// `credit_balance`, decoding `BalanceUpdateResult`.
    Credit,
}

impl Call {
    /// Sends the call; `Ok` carries the decoded body re-encoded as JSON.
    async fn send(self, client: &stamps::Client) -> Result<Value, Error> {
        match self {
            Call::Profile => client
                .get_full_profile()
                .user(1)
                .send()
                .await
                .map(|r| serde_json::to_value(r.into_inner()).unwrap()),
            Call::Status => client
                .get_member_status()
                .user(8120)
                .merchant(14)
                .send()
                .await
                .map(|r| serde_json::to_value(r.into_inner()).unwrap()),
            Call::Credit => client
                .credit_balance()
                .body_map(|b| b.user(1).amount(1000u64).merchant(14).store(3))
                .send()
                .await
                .map(|r| serde_json::to_value(r.into_inner()).unwrap()),
        }
    }
}

/// What a case must end with.
enum Expect {
    /// An error of this kind (the variant's name) and status, whose `Display` contains
    /// every string of `shows`, after exactly `requests` requests reached the server.
    Error {
        kind: &'static str,
        status: Option<u16>,
        shows: &'static [&'static str],
        requests: usize,
    },
    /// A decoded success equal to this JSON.
    Decoded(&'static str),
}

struct Case {
    name: &'static str,
    call: Call,
    reply: Reply,
    expect: Expect,
}

/// The variant's name, to compare with the table.
fn kind(error: &Error) -> &'static str {
    match error {
        Error::Config { .. } => "Config",
        Error::InvalidInput { .. } => "InvalidInput",
        Error::Api(_) => "Api",
        Error::Unauthorized(_) => "Unauthorized",
        Error::Server(_) => "Server",
        Error::Decode { .. } => "Decode",
        Error::UnexpectedStatus { .. } => "UnexpectedStatus",
        Error::ResponseTooLarge { .. } => "ResponseTooLarge",
        Error::Timeout { .. } => "Timeout",
        Error::Connection { .. } => "Connection",
        _ => "unknown",
    }
}

/// JSON nested `depth` levels deep: `[[[...]]]`.
fn nested_arrays(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// `{"a":{"a":...{}...}}`, `depth` levels deep.
fn nested_objects(depth: usize) -> String {
    format!("{}{{}}{}", r#"{"a":"#.repeat(depth), "}".repeat(depth))
}

fn cases() -> Vec<Case> {
    use Call::*;
    use Expect::*;
    let html_page =
        b"<html><head><title>502</title></head><body><h1>Internal Server Error</h1></body></html>";
    let deep = 100_000;
    vec![
        // ---- 200 answers that are not the documented JSON object ----
        Case {
            name: "empty body with 200",
            call: Profile,
            reply: Reply::Send(json(200, "")),
            expect: Error {
                kind: "Decode",
                status: Some(200),
                shows: &["cannot decode the 200 OK response", "EOF while parsing"],
                requests: 1,
            },
        },
        Case {
            name: "null with 200",
            call: Credit,
            reply: Reply::Send(json(200, "null")),
            expect: Error {
                kind: "Decode",
                status: Some(200),
                shows: &["cannot decode the 200 OK response", "invalid type: null"],
                requests: 1,
            },
        },
        Case {
            // serde's derived structs would read an array positionally: `[null, null,
            // null]` must not pass for a balance update.
            name: "a JSON array where an object is expected",
            call: Credit,
            reply: Reply::Send(json(200, "[null, null, null]")),
            expect: Error {
                kind: "Decode",
                status: Some(200),
                shows: &[
                    "invalid type: sequence, expected a JSON object",
                    "(body: \"[null, null, null]\")",
                ],
                requests: 1,
            },
        },
        Case {
            name: "a JSON array of values positioned like the fields",
            call: Credit,
            reply: Reply::Send(json(200, r#" [[1000, 7, "ok"], {"id": 6}, null]"#)),
            expect: Error {
                kind: "Decode",
                status: Some(200),
                shows: &["invalid type: sequence, expected a JSON object"],
                requests: 1,
            },
        },
        Case {
            name: "wrong type for a documented string field",
            call: Profile,
            reply: Reply::Send(json(200, r#"{"user": {"name": 5}}"#)),
            expect: Error {
                kind: "Decode",
                status: Some(200),
                shows: &[
                    "invalid type: integer `5`, expected a string",
                    "line 1 column",
                ],
                requests: 1,
            },
        },
        Case {
            name: "a balance as a string",
            call: Credit,
            reply: Reply::Send(json(200, r#"{"customer": {"balance": "1000"}}"#)),
            expect: Error {
                kind: "Decode",
                status: Some(200),
                shows: &[r#"invalid type: string "1000", expected i64"#],
                requests: 1,
            },
        },
        Case {
            name: "a boolean as a string",
            call: Status,
            reply: Reply::Send(json(200, r#"{"is_active": "yes"}"#)),
            expect: Error {
                kind: "Decode",
                status: Some(200),
                shows: &["expected a boolean"],
                requests: 1,
            },
        },
        Case {
            name: "truncated JSON",
            call: Credit,
            reply: Reply::Send(json(200, r#"{"customer": {"id": 6, "balance": 10"#)),
            expect: Error {
                kind: "Decode",
                status: Some(200),
                shows: &[
                    "EOF while parsing",
                    r#"{\"customer\": {\"id\": 6, \"balance\": 10"#,
                ],
                requests: 1,
            },
        },
        Case {
            name: "invalid UTF-8 in a string",
            call: Profile,
            reply: Reply::Send(response(
                200,
                &[("content-type", "application/json")],
                b"{\"user\": {\"name\": \"Al\xff\xfeice\"}}",
            )),
            expect: Error {
                kind: "Decode",
                status: Some(200),
                shows: &["invalid unicode code point", "Al\u{fffd}\u{fffd}ice"],
                requests: 1,
            },
        },
        Case {
            name: "HTML with 200",
            call: Profile,
            reply: Reply::Send(response(200, &[("content-type", "text/html")], html_page)),
            expect: Error {
                kind: "Decode",
                status: Some(200),
                shows: &[
                    "cannot decode the 200 OK response",
                    "expected value",
                    "<h1>Internal Server Error</h1>",
                ],
                requests: 1,
            },
        },
        Case {
            name: "huge number: 1e400 for an i64",
            call: Credit,
            reply: Reply::Send(json(200, r#"{"customer": {"balance": 1e400}}"#)),
            expect: Error {
                kind: "Decode",
                status: Some(200),
                shows: &["number out of range"],
                requests: 1,
            },
        },
        Case {
            name: "huge number: 99999999999999999999999 for an i64",
            call: Status,
            reply: Reply::Send(json(200, r#"{"stamps": 99999999999999999999999}"#)),
            expect: Error {
                kind: "Decode",
                status: Some(200),
                shows: &["expected i64", "99999999999999999999999"],
                requests: 1,
            },
        },
        Case {
            name: "huge number for an id",
            call: Profile,
            reply: Reply::Send(json(200, r#"{"user": {"id": 99999999999999999999999}}"#)),
            expect: Error {
                kind: "Decode",
                status: Some(200),
                shows: &["expected a user id"],
                requests: 1,
            },
        },
        Case {
            name: "a negative balance update id",
            call: Credit,
            reply: Reply::Send(json(200, r#"{"balance_update": {"id": -1}}"#)),
            expect: Error {
                kind: "Decode",
                status: Some(200),
                shows: &["invalid value: integer `-1`, expected a balance update id"],
                requests: 1,
            },
        },
        Case {
            name: "deeply nested arrays at the top",
            call: Credit,
            reply: Reply::Send(json(200, &nested_arrays(deep))),
            expect: Error {
                kind: "Decode",
                status: Some(200),
                shows: &["cannot decode the 200 OK response", "[[[["],
                requests: 1,
            },
        },
        Case {
            name: "deeply nested arrays in a free-form field",
            call: Credit,
            reply: Reply::Send(json(
                200,
                &format!(r#"{{"errors": {}}}"#, nested_arrays(deep)),
            )),
            expect: Error {
                kind: "Decode",
                status: Some(200),
                shows: &["recursion limit exceeded"],
                requests: 1,
            },
        },
        Case {
            // Unknown fields are skipped without recursion: no stack overflow, no error.
            name: "deeply nested objects in an unknown field",
            call: Profile,
            reply: Reply::Send(json(
                200,
                &format!(r#"{{"user": {{"x": {}}}}}"#, nested_objects(deep)),
            )),
            expect: Decoded(r#"{"user": {}}"#),
        },
        // ---- Error statuses ----
        Case {
            name: "HTML with 500",
            call: Credit,
            reply: Reply::Send(response(500, &[("content-type", "text/html")], html_page)),
            expect: Error {
                kind: "Server",
                status: Some(500),
                shows: &[
                    "server error (500 Internal Server Error)",
                    "<h1>Internal Server Error</h1>",
                ],
                requests: 1,
            },
        },
        Case {
            name: "HTML with 502 on a GET, retried",
            call: Profile,
            reply: Reply::Send(response(502, &[("content-type", "text/html")], html_page)),
            expect: Error {
                kind: "Server",
                status: Some(502),
                shows: &["server error (502 Bad Gateway)", "<title>502</title>"],
                requests: 3,
            },
        },
        Case {
            name: "HTML with 503 on a POST, not retried",
            call: Credit,
            reply: Reply::Send(response(503, &[("content-type", "text/html")], html_page)),
            expect: Error {
                kind: "Server",
                status: Some(503),
                shows: &["server error (503 Service Unavailable)"],
                requests: 1,
            },
        },
        Case {
            name: "HTML with 401",
            call: Profile,
            reply: Reply::Send(response(
                401,
                &[("content-type", "text/html")],
                b"<p>Login required</p>",
            )),
            expect: Error {
                kind: "Unauthorized",
                status: Some(401),
                shows: &["unauthorized (401 Unauthorized)", "Login required"],
                requests: 1,
            },
        },
        Case {
            name: "a JSON error with an unknown error_code",
            call: Credit,
            reply: Reply::Send(json(
                400,
                r#"{"error_code": "points_expired", "error_message": "Points expired on 2024-01-01"}"#,
            )),
            expect: Error {
                kind: "Api",
                status: Some(400),
                shows: &[
                    "request refused (400 Bad Request) [points_expired]: Points expired on 2024-01-01",
                ],
                requests: 1,
            },
        },
        Case {
            name: "a 400 with errors as a string",
            call: Credit,
            reply: Reply::Send(json(400, r#"{"errors": "Something broke"}"#)),
            expect: Error {
                kind: "Api",
                status: Some(400),
                shows: &["request refused (400 Bad Request)", "Something broke"],
                requests: 1,
            },
        },
        Case {
            name: "a 400 with errors as a number and error_code as an object",
            call: Profile,
            reply: Reply::Send(json(
                400,
                r#"{"errors": 99999999999999999999999, "error_code": {"a": 1}, "detail": ["x"]}"#,
            )),
            expect: Error {
                kind: "Api",
                status: Some(400),
                shows: &[r#"request refused (400 Bad Request) [{"a":1}]: ["x"]"#],
                requests: 1,
            },
        },
        Case {
            name: "a 400 whose JSON nests too deep",
            call: Credit,
            reply: Reply::Send(json(
                400,
                &format!(r#"{{"errors": {}}}"#, nested_arrays(deep)),
            )),
            expect: Error {
                kind: "Server",
                status: Some(400),
                shows: &["request refused (400 Bad Request)", r#"{\"errors\": [[[["#],
                requests: 1,
            },
        },
        Case {
            name: "a 400 that is invalid UTF-8",
            call: Credit,
            reply: Reply::Send(response(
                400,
                &[("content-type", "text/plain")],
                b"bad \xff request",
            )),
            expect: Error {
                kind: "Server",
                status: Some(400),
                shows: &["request refused (400 Bad Request)", "bad \u{fffd} request"],
                requests: 1,
            },
        },
        Case {
            name: "a 404 with an empty body",
            call: Credit,
            reply: Reply::Send(response(404, &[], b"")),
            expect: Error {
                kind: "Server",
                status: Some(404),
                shows: &["request refused (404 Not Found)"],
                requests: 1,
            },
        },
        // ---- Statuses the API does not document ----
        Case {
            name: "204 No Content",
            call: Credit,
            reply: Reply::Send(response(204, &[], b"")),
            expect: Error {
                kind: "UnexpectedStatus",
                status: Some(204),
                shows: &["unexpected response status 204 No Content"],
                requests: 1,
            },
        },
        Case {
            name: "201 Created with a valid body",
            call: Credit,
            reply: Reply::Send(json(201, r#"{"customer": {"id": 6, "balance": 1000}}"#)),
            expect: Error {
                kind: "UnexpectedStatus",
                status: Some(201),
                shows: &["unexpected response status 201 Created"],
                requests: 1,
            },
        },
        Case {
            name: "301 redirect on a GET",
            call: Profile,
            reply: Reply::Send(response(
                301,
                &[("location", "http://127.0.0.1:9/moved?token=x&user=1")],
                b"",
            )),
            expect: Error {
                kind: "UnexpectedStatus",
                status: Some(301),
                shows: &[
                    "unexpected response status 301 Moved Permanently (redirect to http://127.0.0.1:9/moved)",
                ],
                requests: 1,
            },
        },
        Case {
            name: "302 redirect on a POST",
            call: Credit,
            reply: Reply::Send(response(
                302,
                &[("location", "/api/v3/balances/credit#frag")],
                b"",
            )),
            expect: Error {
                kind: "UnexpectedStatus",
                status: Some(302),
                shows: &[
                    "unexpected response status 302 Found (redirect to /api/v3/balances/credit)",
                ],
                requests: 1,
            },
        },
        Case {
            name: "307 redirect on a POST",
            call: Credit,
            reply: Reply::Send(response(307, &[("location", "https://example.com/x")], b"")),
            expect: Error {
                kind: "UnexpectedStatus",
                status: Some(307),
                shows: &["307 Temporary Redirect (redirect to https://example.com/x)"],
                requests: 1,
            },
        },
        // ---- Content-Type is not looked at: the body is decoded as JSON ----
        Case {
            name: "valid JSON labelled text/html",
            call: Credit,
            reply: Reply::Send(response(
                200,
                &[("content-type", "text/html")],
                br#"{"customer": {"id": 6, "balance": 1000}}"#,
            )),
            expect: Decoded(r#"{"customer": {"id": 6, "balance": 1000}}"#),
        },
        Case {
            name: "valid JSON after blank lines",
            call: Credit,
            reply: Reply::Send(json(200, "\r\n\t {\"customer\": {\"id\": 6}}")),
            expect: Decoded(r#"{"customer": {"id": 6}}"#),
        },
        Case {
            name: "valid JSON without a Content-Type",
            call: Profile,
            reply: Reply::Send(response(
                200,
                &[],
                br#"{"tags": [{"group": "k", "tag": "v"}]}"#,
            )),
            expect: Decoded(r#"{"tags": [{"group": "k", "tag": "v"}]}"#),
        },
        Case {
            name: "valid JSON labelled application/xml",
            call: Status,
            reply: Reply::Send(response(
                200,
                &[("content-type", "application/xml")],
                br#"{"stamps": 10, "balance": 2000}"#,
            )),
            expect: Decoded(r#"{"stamps": 10, "balance": 2000}"#),
        },
        // ---- Broken framing and broken connections ----
        Case {
            name: "connection closed mid-body on a GET, retried",
            call: Profile,
            reply: Reply::SendAndClose(partial(200, br#"{"user": {"name": "Al"#, 100)),
            expect: Error {
                kind: "Connection",
                status: None,
                shows: &[
                    "connection failed",
                    "end of file before message length reached",
                ],
                requests: 3,
            },
        },
        Case {
            name: "connection closed mid-body on a POST, not retried",
            call: Credit,
            reply: Reply::SendAndClose(partial(200, br#"{"customer": {"bal"#, 100)),
            expect: Error {
                kind: "Connection",
                status: None,
                shows: &[
                    "connection failed",
                    "end of file before message length reached",
                ],
                requests: 1,
            },
        },
        Case {
            name: "connection reset mid-body on a POST",
            call: Credit,
            reply: Reply::SendAndReset(partial(200, br#"{"customer": {"bal"#, 100)),
            expect: Error {
                kind: "Connection",
                status: None,
                shows: &["connection failed", "Connection reset by peer"],
                requests: 1,
            },
        },
        Case {
            name: "connection closed before any answer on a POST",
            call: Credit,
            reply: raw_server::close(),
            expect: Error {
                kind: "Connection",
                status: None,
                shows: &[
                    "connection failed",
                    "connection closed before message completed",
                ],
                requests: 1,
            },
        },
        Case {
            name: "connection closed mid-headers on a GET",
            call: Status,
            reply: Reply::SendAndClose(b"HTTP/1.1 200 OK\r\ncontent-ty".to_vec()),
            expect: Error {
                kind: "Connection",
                status: None,
                shows: &[
                    "connection failed",
                    "connection closed before message completed",
                ],
                requests: 3,
            },
        },
        Case {
            name: "Content-Length shorter than the body",
            call: Credit,
            reply: Reply::Send(partial(200, br#"{"customer": {"id": 6}}"#, 10)),
            expect: Error {
                kind: "Decode",
                status: Some(200),
                shows: &["EOF while parsing", r#"(body: "{\"customer")"#],
                requests: 1,
            },
        },
        Case {
            name: "Content-Length that is not a number",
            call: Credit,
            reply: Reply::Send(response_with_raw_length("12abc", br#"{"customer": {}}"#)),
            expect: Error {
                kind: "Connection",
                status: None,
                shows: &["connection failed", "invalid content-length parsed"],
                requests: 1,
            },
        },
        Case {
            name: "two Content-Lengths that disagree",
            call: Credit,
            reply: Reply::Send(
                [
                    head(200, &[("content-length", "2"), ("content-length", "15")]),
                    b"{}".to_vec(),
                ]
                .concat(),
            ),
            expect: Error {
                kind: "Connection",
                status: None,
                shows: &["connection failed", "invalid content-length parsed"],
                requests: 1,
            },
        },
        Case {
            name: "chunked body with broken chunk framing",
            call: Credit,
            reply: Reply::Send(
                [
                    head(200, &[("transfer-encoding", "chunked")]),
                    b"zz\r\n{}\r\n0\r\n\r\n".to_vec(),
                ]
                .concat(),
            ),
            expect: Error {
                kind: "Connection",
                status: None,
                shows: &["connection failed", "Invalid chunk size line"],
                requests: 1,
            },
        },
        Case {
            name: "not HTTP at all",
            call: Credit,
            reply: Reply::SendAndClose(b"SSH-2.0-OpenSSH_9.6\r\n\r\n".to_vec()),
            expect: Error {
                kind: "Connection",
                status: None,
                shows: &["connection failed", "invalid HTTP version parsed"],
                requests: 1,
            },
        },
        // ---- Stalls: the call's timeout (500 ms here) ends them ----
        Case {
            name: "headers then stall on a GET (not retried)",
            call: Profile,
            reply: Reply::SendAndStall(head(
                200,
                &[
                    ("content-type", "application/json"),
                    ("content-length", "100"),
                ],
            )),
            expect: Error {
                kind: "Timeout",
                status: None,
                shows: &["request timed out"],
                requests: 1,
            },
        },
        Case {
            name: "half a body then stall on a POST",
            call: Credit,
            reply: Reply::SendAndStall(partial(200, br#"{"customer": "#, 100)),
            expect: Error {
                kind: "Timeout",
                status: None,
                shows: &["request timed out"],
                requests: 1,
            },
        },
        Case {
            name: "no answer at all on a POST",
            call: Credit,
            reply: Reply::SendAndStall(Vec::new()),
            expect: Error {
                kind: "Timeout",
                status: None,
                shows: &["request timed out"],
                requests: 1,
            },
        },
    ]
}

/// A head declaring `declared` bytes of body, followed by `body` (shorter or longer).
fn partial(status: u16, body: &[u8], declared: usize) -> Vec<u8> {
    let length = declared.to_string();
    [
        head(
            status,
            &[
                ("content-type", "application/json"),
                ("content-length", &length),
            ],
        ),
        body.to_vec(),
    ]
    .concat()
}

fn response_with_raw_length(length: &str, body: &[u8]) -> Vec<u8> {
    [head(200, &[("content-length", length)]), body.to_vec()].concat()
}

const CALL_TIMEOUT: Duration = Duration::from_millis(500);

/// Runs one case against a fresh server and client; returns what went wrong, if
/// anything.
async fn run(case: Case) -> Result<(), String> {
    let server = RawServer::always(case.reply).await;
    let client = stamps::Client::builder()
        .token(TOKEN)
        .base_url(server.url())
        .timeout(CALL_TIMEOUT)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap();
    let started = Instant::now();
    let outcome = tokio::time::timeout(Duration::from_secs(5), case.call.send(&client))
        .await
        .map_err(|_| "the call hung".to_owned())?;
    let elapsed = started.elapsed();
    // Wide margin: the slowest case is a 500 ms timeout.
    if elapsed > Duration::from_secs(3) {
        return Err(format!("took {elapsed:?}"));
    }
    let requests = server.requests().len();
    match (case.expect, outcome) {
        (Expect::Decoded(expected), Ok(decoded)) => {
            let expected: Value = serde_json::from_str(expected).unwrap();
            if decoded != expected {
                return Err(format!("decoded {decoded}, expected {expected}"));
            }
        }
        (Expect::Decoded(_), Err(error)) => {
            assert_no_token(&error);
            return Err(format!("failed: {error} / {error:?}"));
        }
        (Expect::Error { .. }, Ok(decoded)) => {
            return Err(format!("succeeded with {decoded}"));
        }
        (
            Expect::Error {
                kind: expected_kind,
                status,
                shows,
                requests: expected_requests,
            },
            Err(error),
        ) => {
            assert_no_token(&error);
            let shown = error.to_string();
            println!("{:<55} {:<16} {shown}", case.name, kind(&error));
            let mut problems = Vec::new();
            if kind(&error) != expected_kind {
                problems.push(format!("kind {}, expected {expected_kind}", kind(&error)));
            }
            if error.status().map(|s| s.as_u16()) != status {
                problems.push(format!("status {:?}, expected {status:?}", error.status()));
            }
            for fragment in shows {
                if !shown.contains(fragment) {
                    problems.push(format!("the message lacks {fragment:?}"));
                }
            }
            if requests != expected_requests {
                problems.push(format!(
                    "{requests} requests reached the server, expected {expected_requests}"
                ));
            }
            if !problems.is_empty() {
                return Err(format!(
                    "{}\n    message: {shown}\n    debug: {error:?}",
                    problems.join("; ")
                ));
            }
        }
    }
    Ok(())
}

#[tokio::test]
async fn every_bad_answer_fails_clearly_without_panicking_or_repeating_a_post() {
    let cases = cases();
    let total = cases.len();
    let mut failures = Vec::new();
    for case in cases {
        let name = case.name;
        // A panic inside the SDK must fail the case, not stop the table.
        match tokio::spawn(run(case)).await {
            Ok(Ok(())) => {}
            Ok(Err(problem)) => failures.push(format!("{name}: {problem}")),
            Err(panic) => failures.push(format!("{name}: panicked: {panic}")),
        }
    }
    failures.sort();
    println!(
        "{total} bad answers, {} handled as expected",
        total - failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The array check in the client's hooks relies on no documented success being a JSON
/// array (they are objects, and the OMNI inventory's string or object); a new operation
/// answering an array must revisit it.
#[test]
fn no_documented_success_is_a_json_array() {
    for op in stamps::operations::OPERATIONS {
        let schema =
            &common::operation(op.id)["responses"]["200"]["content"]["application/json"]["schema"];
        let schema = common::resolve(schema);
        // The inventory answer is one of a string and an object.
        let types: Vec<&serde_json::Value> = match schema["oneOf"].as_array() {
            Some(members) => members.iter().map(|m| &m["type"]).collect(),
            None => vec![&schema["type"]],
        };
        assert!(
            types.iter().all(|t| *t == "object" || *t == "string"),
            "{}: its 200 answer is a {types:?}, not an object",
            op.id,
        );
    }
}
