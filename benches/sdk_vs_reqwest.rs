//! Does the SDK cost anything over calls written by hand with `reqwest` + `serde`?
//!
//! ```text
//! cargo bench --bench sdk_vs_reqwest            # criterion's output, then the summary table
//! cargo bench --bench sdk_vs_reqwest -- decode  # only the scenarios whose name contains `decode`
//! ```
//!
//! Each scenario runs the same work two ways: through the SDK, and as a user who knows
//! the API would write it with the same `reqwest` (same client settings, same request
//! on the wire, checked at startup) and `serde` (a hand-written struct with the same
//! fields and types as the generated one). An in-process axum server on loopback
//! answers every request with the documentation's example body, read from
//! `openapi/stamps.yaml`, and does nothing else, so the client's own cost dominates.
//!
//! The table printed at the end is the one to quote: its numbers come from an
//! interleaved run (SDK batch, baseline batch, baseline batch, SDK batch, ...), so
//! machine noise hits both sides alike; the ratio is the median of the per-round
//! ratios. Criterion's per-bench output, printed before it, measures each side on
//! its own. Allocations per call are counted on the client's thread when the bench
//! has a counting allocator (see `count_allocations`).
//!
//! The client runs on this thread (a current-thread runtime), the server on another:
//! on a 2-core machine each has a core. One call at a time, the time per call is
//! mostly the two loopback wake-ups; with 64 calls in flight both threads stay busy
//! and it is mostly CPU, which is where the client's own cost shows.
//!
//! Knob: `STAMPS_BENCH_SECS` (default 5), the seconds of interleaved rounds per
//! scenario.
//!
//! Instruction counts: with `STAMPS_BENCH_ARM=<scenario>/<arm>` (names as in the
//! table, e.g. `credit_balance/sdk`) the bench checks equivalence, warms up, runs that
//! arm `STAMPS_BENCH_CALLS` times (default 128) inside `measured_calls`, and exits:
//! run under `valgrind --tool=callgrind --toggle-collect=*measured_calls*` it counts
//! the client's instructions per call exactly, whatever else the machine is doing.
//! `cargo xtask bench-instructions` does that for every arm and prints the ratios.
//! `STAMPS_BENCH_ARM=list` prints the arms' names. Under `cargo test --benches` every scenario runs once (criterion's test
//! mode) and the startup checks run, but nothing is timed.

use std::future::Future;
use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use criterion::Criterion;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};
use serde::Serialize;
use serde_json::Value;
use tokio::runtime::Runtime;

// ---------------------------------------------------------------------------------
// The calls under test: one operation each, with the documented example's values.
// ---------------------------------------------------------------------------------

/// A credential shaped like a real key: long enough (>= 16 bytes) that the SDK's
/// masking of its own secret in response bodies is switched on, as in production.
const TOKEN: &str = "tok_7f3a9c1e5b2d48a6b0c4e8f1a2b3c4d5";
/// The user of the `get_full_profile` example.
const USER: &str = "6";
/// Calls kept in flight by the concurrent scenario.
const IN_FLIGHT: u64 = 64;

/// The client under test and its hand-written counterpart, sharing one server.
struct Bench {
    sdk: stamps::Client,
    baseline: Baseline,
    server: &'static Server,
    /// The documented `get_full_profile` answer, for the decode-only scenario.
    full_profile_body: Bytes,
}

/// What a user writing the calls by hand keeps between calls: the `reqwest::Client`
/// built with the SDK's settings, the URLs and the `Authorization` value.
struct Baseline {
    http: reqwest::Client,
    authorization: HeaderValue,
    full_profile_url: String,
    credit_url: String,
    register_url: String,
    transaction_url: String,
}

impl Baseline {
    /// The same settings the SDK gives the `reqwest::Client` it builds
    /// (`client_builder.rs`); the per-request timeout is set on each call, as the
    /// SDK's `pre` hook does.
    fn new(base_url: &str) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(stamps::DEFAULT_CONNECT_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(stamps::DEFAULT_USER_AGENT)
            .build()
            .expect("a reqwest client");
        let path = |id: &str| {
            let op = stamps::operations::find(id).expect("a documented operation");
            format!("{base_url}{}", op.path)
        };
        Baseline {
            http,
            authorization: HeaderValue::from_str(&format!("Token {TOKEN}")).expect("ASCII"),
            full_profile_url: path("get_full_profile"),
            credit_url: path("credit_balance"),
            register_url: path("register_member"),
            transaction_url: path("add_transaction"),
        }
    }
}

/// `GET /api/v2/memberships/full-profile?user=6` through the SDK.
async fn sdk_full_profile(b: &Bench) -> stamps::types::FullProfile {
    b.sdk
        .get_full_profile()
        .user(6)
        .send()
        .await
        .expect("the SDK call succeeds")
        .into_inner()
}

/// The same GET by hand: same header, same query,
/// the status checked, the body decoded by serde into the hand-written struct.
async fn baseline_full_profile(b: &Bench) -> hand::FullProfile {
    let b = &b.baseline;
    b.http
        .get(&b.full_profile_url)
        .header(AUTHORIZATION, b.authorization.clone())
        .header(ACCEPT, HeaderValue::from_static("application/json"))
        .query(&[("user", USER)])
        .timeout(stamps::DEFAULT_TIMEOUT)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .expect("the hand-written call succeeds")
        .json()
        .await
        .expect("the body decodes")
}

/// `POST /api/balances/credit` through the SDK (the token goes in the header only).
async fn sdk_credit(b: &Bench) -> stamps::types::BalanceUpdateResult {
    b.sdk
        .credit_balance()
        .body_map(|body| {
            body.user("customer@stamps.co.id")
                .amount(1000u64)
                .merchant(14)
                .store(3)
        })
        .send()
        .await
        .expect("the SDK call succeeds")
        .into_inner()
}

/// The same POST by hand, with a borrowed body struct serialised by `.json()`.
async fn baseline_credit(b: &Bench) -> hand::BalanceUpdateResult {
    let body = hand::CreditRequest {
        amount: 1000,
        merchant: 14,
        store: 3,
        r#type: "stamps",
        user: "customer@stamps.co.id",
    };
    post(&b.baseline, &b.baseline.credit_url, &body).await
}

/// `POST /api/v2/memberships/register`, the largest documented request, through the
/// SDK (the credential in the header only).
async fn sdk_register(b: &Bench) -> stamps::types::User {
    b.sdk
        .register_member()
        .body_map(|body| {
            body.name("customer")
                .email("customer@stamps.co.id")
                .mobile_number("+6281314822365")
                .birthday(stamps::Date::from_ymd(1991, 10, 19).unwrap())
                .gender(stamps::types::Gender::Female)
                .merchant(stamps::MerchantId::new(788))
                .address(String::from("221b Baker Street"))
                .store(stamps::StoreId::new(412))
                .is_active(true)
                .registering_employee_code(String::from("EMP001"))
        })
        .send()
        .await
        .expect("the SDK call succeeds")
        .into_inner()
}

/// The same POST by hand.
async fn baseline_register(b: &Bench) -> hand::User {
    let body = hand::RegisterRequest {
        address: "221b Baker Street",
        birthday: "1991-10-19",
        email: "customer@stamps.co.id",
        gender: "female",
        is_active: true,
        merchant: 788,
        mobile_number: "+6281314822365",
        name: "customer",
        registering_employee_code: "EMP001",
        store: 412,
    };
    post(&b.baseline, &b.baseline.register_url, &body).await
}

/// The time of the benchmark's sale, as the docs write it.
const CREATED: &str = "2013-02-15T13:01:01+07";

/// `POST /api/v2/transactions/add`, a sale that earns stamps, through the SDK.
async fn sdk_transaction(b: &Bench) -> stamps::types::TransactionResponse {
    b.sdk
        .add_transaction()
        .body_map(|body| {
            body.user(stamps::UserRef::Email("customer@stamps.co.id".to_owned()))
                .store(stamps::StoreId::new(32))
                .invoice_number("my_invoice_number")
                .total_value(50_000.0)
                .number_of_people(8)
                .created(CREATED.parse::<stamps::DateTime>().unwrap())
        })
        .send()
        .await
        .expect("the SDK call succeeds")
        .into_inner()
}

/// The same POST by hand.
async fn baseline_transaction(b: &Bench) -> hand::TransactionResponse {
    let body = hand::TransactionRequest {
        created: CREATED,
        invoice_number: "my_invoice_number",
        number_of_people: 8,
        store: 32,
        total_value: 50_000.0,
        user: "customer@stamps.co.id",
    };
    post(&b.baseline, &b.baseline.transaction_url, &body).await
}

/// A hand-written JSON POST: header, JSON body, timeout, status check, serde decode.
async fn post<T: Serialize, R: serde::de::DeserializeOwned>(
    b: &Baseline,
    url: &str,
    body: &T,
) -> R {
    b.http
        .post(url)
        .header(AUTHORIZATION, b.authorization.clone())
        .header(ACCEPT, HeaderValue::from_static("application/json"))
        .json(body)
        .timeout(stamps::DEFAULT_TIMEOUT)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .expect("the hand-written call succeeds")
        .json()
        .await
        .expect("the body decodes")
}

/// Runs `total` calls of `call`, [`IN_FLIGHT`] at a time: that many tasks, each
/// making its share of the calls one after another.
async fn in_flight<F, Fut>(total: u64, call: F)
where
    F: Fn() -> Fut + Copy + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..IN_FLIGHT {
        let share = total / IN_FLIGHT + u64::from(task < total % IN_FLIGHT);
        tasks.spawn(async move {
            for _ in 0..share {
                call().await;
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("a call task panicked");
    }
}

// ---------------------------------------------------------------------------------
// The hand-written types: what a user without the SDK would write. Same fields and
// types as the generated ones (`stamps::types::*`), ids as plain `u64`.
// ---------------------------------------------------------------------------------

mod hand {
    use serde::{Deserialize, Serialize};
    use serde_json::{Map, Value};

    #[derive(Serialize)]
    pub struct TransactionRequest {
        pub created: &'static str,
        pub invoice_number: &'static str,
        pub number_of_people: u64,
        pub store: u64,
        pub total_value: f64,
        pub user: &'static str,
    }

    #[derive(Deserialize, Serialize)]
    pub struct TransactionResponse {
        pub customer: Option<TransactionCustomer>,
        pub transaction: Option<Transaction>,
    }

    #[derive(Deserialize, Serialize)]
    pub struct TransactionCustomer {
        pub balance: Option<i64>,
        pub id: Option<Id>,
        pub mobile_phone: Option<String>,
        pub stamps_remaining: Option<i64>,
        pub status: Option<String>,
    }

    #[derive(Deserialize, Serialize)]
    pub struct Transaction {
        pub discount: Option<f64>,
        pub id: Option<Id>,
        pub number_of_people: Option<i64>,
        pub stamps_earned: Option<i64>,
        pub value: Option<f64>,
    }

    #[derive(Deserialize, Serialize)]
    pub struct FullProfile {
        #[serde(default)]
        pub tags: Vec<KeyValueTag>,
        pub user: Option<User>,
    }

    #[derive(Deserialize, Serialize)]
    pub struct KeyValueTag {
        pub group: Option<String>,
        pub tag: Option<String>,
    }

    #[derive(Deserialize, Serialize)]
    pub struct User {
        pub address: Option<String>,
        pub birthday: Option<String>,
        #[serde(default)]
        pub children: Vec<Child>,
        pub email: Option<String>,
        pub email_is_verified: Option<bool>,
        pub gender: Option<CodeOrLabel>,
        pub has_downloaded_app: Option<bool>,
        pub has_incorrect_email: Option<bool>,
        pub has_incorrect_phone: Option<bool>,
        pub has_incorrect_wa_number: Option<bool>,
        pub has_password: Option<bool>,
        pub has_pin: Option<bool>,
        #[serde(default)]
        pub hobbies: Vec<Hobby>,
        pub id: Option<Id>,
        pub id_card_file_name: Option<String>,
        pub is_active: Option<bool>,
        pub is_anonymized: Option<bool>,
        pub location: Option<Location>,
        pub marital_status: Option<CodeOrLabel>,
        #[serde(default)]
        pub member_ids: Vec<String>,
        pub membership: Option<Membership>,
        pub name: Option<String>,
        pub nationality: Option<String>,
        pub notes: Option<String>,
        #[serde(default)]
        pub pets: Vec<Pet>,
        pub phone: Option<String>,
        pub phone_is_verified: Option<bool>,
        pub picture_url: Option<String>,
        pub pin_is_blocked: Option<bool>,
        pub postal_code: Option<String>,
        pub protected_redemption: Option<bool>,
        pub registering_employee_code: Option<String>,
        pub referral_code: Option<String>,
        pub registration_status: Option<String>,
        pub religion: Option<CodeOrLabel>,
        pub social_media_profile: Option<SocialMediaProfile>,
        pub wedding_date: Option<String>,
    }

    /// The API sends ids as numbers, and sometimes as strings of digits (`"123"` in
    /// the registration example): like the SDK's id types, accept both, with a
    /// visitor (no buffering).
    #[derive(Serialize)]
    pub struct Id(pub u64);

    impl<'de> Deserialize<'de> for Id {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct IdVisitor;
            impl serde::de::Visitor<'_> for IdVisitor {
                type Value = Id;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("an id")
                }
                fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Id, E> {
                    Ok(Id(v))
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Id, E> {
                    v.parse().map(Id).map_err(E::custom)
                }
            }
            d.deserialize_any(IdVisitor)
        }
    }

    #[derive(Deserialize, Serialize)]
    #[serde(untagged)]
    pub enum CodeOrLabel {
        Code(i64),
        Label(Option<String>),
    }

    #[derive(Deserialize, Serialize)]
    pub struct Child {
        pub birthday: Option<String>,
        pub gender: Option<String>,
        pub id: Option<Id>,
        pub name: Option<String>,
    }

    #[derive(Deserialize, Serialize)]
    pub struct Pet {
        pub birthday: Option<String>,
        pub breed: Option<PetCategory>,
        pub gender: Option<String>,
        pub id: Option<Id>,
        pub name: Option<String>,
        #[serde(rename = "type")]
        pub type_: Option<PetCategory>,
    }

    #[derive(Deserialize, Serialize)]
    pub struct PetCategory {
        pub code: Option<String>,
        pub name: Option<String>,
    }

    #[derive(Deserialize, Serialize)]
    pub struct Hobby {
        pub code: Option<String>,
        pub id: Option<i64>,
        pub name: Option<String>,
    }

    #[derive(Deserialize, Serialize)]
    pub struct Location {
        pub district: Option<Region>,
        pub province: Option<Region>,
        pub regency: Option<Region>,
    }

    #[derive(Deserialize, Serialize)]
    pub struct Region {
        pub id: Option<i64>,
        pub name: Option<String>,
    }

    #[derive(Deserialize, Serialize)]
    pub struct SocialMediaProfile {
        pub facebook: Option<String>,
        pub instagram: Option<String>,
        pub twitter: Option<String>,
    }

    #[derive(Deserialize, Serialize)]
    pub struct Membership {
        pub balance: Option<i64>,
        pub created: Option<String>,
        pub extra_data: Option<Map<String, Value>>,
        pub is_blocked: Option<bool>,
        pub level: Option<i64>,
        pub level_text: Option<String>,
        pub member_status: Option<String>,
        pub primary_card: Option<Card>,
        pub referral_code: Option<String>,
        pub stamps: Option<i64>,
        pub start_date: Option<String>,
        pub status: Option<i64>,
        pub status_text: Option<String>,
        #[serde(default)]
        pub tags: Vec<String>,
        pub to_upgrade: Option<UpgradeRequirement>,
    }

    #[derive(Deserialize, Serialize)]
    pub struct Card {
        pub activated_time: Option<String>,
        pub id: Option<i64>,
        pub is_active: Option<bool>,
        pub number: Option<String>,
    }

    #[derive(Deserialize, Serialize)]
    pub struct UpgradeRequirement {
        pub deadline: Option<String>,
        pub next_level: Option<String>,
        pub spending_requirement: Option<i64>,
    }

    #[derive(Deserialize, Serialize)]
    pub struct BalanceUpdateResult {
        pub balance_update: Option<BalanceUpdate>,
        pub customer: Option<BalanceCustomer>,
        pub errors: Option<Value>,
    }

    #[derive(Deserialize, Serialize)]
    pub struct BalanceUpdate {
        pub amount: Option<i64>,
        pub id: Option<Id>,
        pub status: Option<String>,
    }

    #[derive(Deserialize, Serialize)]
    pub struct BalanceCustomer {
        pub balance: Option<i64>,
        pub id: Option<Id>,
        pub status: Option<String>,
    }

    /// The credit request; members in the order the SDK writes them, so that both
    /// sides send the same bytes.
    #[derive(Serialize)]
    pub struct CreditRequest<'a> {
        pub amount: u64,
        pub merchant: u64,
        pub store: u64,
        pub r#type: &'a str,
        pub user: &'a str,
    }

    /// The registration request.
    #[derive(Serialize)]
    pub struct RegisterRequest<'a> {
        pub address: &'a str,
        pub birthday: &'a str,
        pub email: &'a str,
        pub gender: &'a str,
        pub is_active: bool,
        pub merchant: u64,
        pub mobile_number: &'a str,
        pub name: &'a str,
        pub registering_employee_code: &'a str,
        pub store: u64,
    }
}

// ---------------------------------------------------------------------------------
// The server: axum on loopback, keep-alive on, its own thread and runtime. It answers
// each path with the documented example and can record requests for the checks.
// ---------------------------------------------------------------------------------

struct Server {
    addr: SocketAddr,
    /// (path, body) for each operation served.
    answers: Vec<(&'static str, Bytes)>,
    recording: AtomicBool,
    recorded: Mutex<Vec<Recorded>>,
}

/// A request as the server saw it.
#[derive(Debug, PartialEq)]
struct Recorded {
    method: String,
    uri: String,
    /// Sorted `name: value` lines.
    headers: Vec<String>,
    body: Bytes,
}

impl Server {
    /// Serves the documented 200 example of each operation, on a thread of its own.
    fn start(operations: &[&str]) -> &'static Server {
        let answers = operations
            .iter()
            .map(|id| {
                let op = stamps::operations::find(id).expect("a documented operation");
                let body = serde_json::to_vec(&spec::response_example(id)).expect("JSON");
                (op.path, Bytes::from(body))
            })
            .collect();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        listener.set_nonblocking(true).expect("non-blocking");
        let server: &'static Server = Box::leak(Box::new(Server {
            addr: listener.local_addr().expect("an address"),
            answers,
            recording: AtomicBool::new(false),
            recorded: Mutex::new(Vec::new()),
        }));
        std::thread::Builder::new()
            .name("server".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime");
                runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener).expect("tokio");
                    let app = axum::Router::new().fallback(answer).with_state(server);
                    axum::serve(listener, app).await.expect("the server runs");
                });
            })
            .expect("a server thread");
        server
    }

    fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests received while `f` ran.
    fn record<T>(&self, f: impl FnOnce() -> T) -> (T, Vec<Recorded>) {
        self.recording.store(true, Ordering::SeqCst);
        let out = f();
        self.recording.store(false, Ordering::SeqCst);
        (
            out,
            std::mem::take(&mut *self.recorded.lock().expect("lock")),
        )
    }
}

/// Reads the request (a real server reads the body too), then answers with the
/// documented example for its path.
async fn answer(State(server): State<&'static Server>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    if server.recording.load(Ordering::Relaxed) {
        let mut headers: Vec<String> = parts
            .headers
            .iter()
            .map(|(k, v)| format!("{k}: {}", v.to_str().unwrap_or("<binary>")))
            .collect();
        headers.sort();
        server.recorded.lock().expect("lock").push(Recorded {
            method: parts.method.to_string(),
            uri: parts.uri.to_string(),
            headers,
            body: body.clone(),
        });
    }
    match server.answers.iter().find(|(p, _)| *p == parts.uri.path()) {
        Some((_, answer)) => ([(CONTENT_TYPE, "application/json")], answer.clone()).into_response(),
        None => (axum::http::StatusCode::NOT_FOUND, Body::empty()).into_response(),
    }
}

/// The documentation's examples, read from the spec.
mod spec {
    use std::sync::OnceLock;

    use serde_json::Value;

    fn spec() -> &'static Value {
        static SPEC: OnceLock<Value> = OnceLock::new();
        SPEC.get_or_init(|| {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/stamps.yaml");
            let text = std::fs::read_to_string(path).expect("the spec is readable");
            serde_saphyr::from_str(&text).expect("the spec is YAML")
        })
    }

    fn operation(id: &str) -> &'static Value {
        let op = stamps::operations::find(id).expect("a documented operation");
        &spec()["paths"][op.path][op.method.to_lowercase()]
    }

    /// The `docs` example of `id`'s 200 answer.
    pub fn response_example(id: &str) -> Value {
        let value = &operation(id)["responses"]["200"]["content"]["application/json"]["examples"]["docs"]
            ["value"];
        assert!(value.is_object(), "{id} has no documented 200 example");
        value.clone()
    }

    /// The `docs` example of `id`'s request body.
    pub fn request_example(id: &str) -> Value {
        operation(id)["requestBody"]["content"]["application/json"]["examples"]["docs"]["value"]
            .clone()
    }
}

// ---------------------------------------------------------------------------------
// Startup checks: the comparison is only fair if both sides send the same request
// and decode the same data. Any difference stops the run.
// ---------------------------------------------------------------------------------

fn check_equivalence(b: &'static Bench, rt: &Runtime) {
    let server = b.server;
    let same_request = |name: &str, sdk: Vec<Recorded>, baseline: Vec<Recorded>| {
        assert_eq!(sdk.len(), 1, "{name}: the SDK sent {} requests", sdk.len());
        assert_eq!(
            sdk, baseline,
            "{name}: the baseline must send what the SDK sends"
        );
        sdk.into_iter().next().expect("one request")
    };

    let (sdk, sdk_req) = server.record(|| rt.block_on(sdk_full_profile(b)));
    let (base, base_req) = server.record(|| rt.block_on(baseline_full_profile(b)));
    let request = same_request("get_full_profile", sdk_req, base_req);
    assert!(!request.uri.contains(TOKEN), "{request:?}");
    same_data("get_full_profile", &sdk, &base);
    let documented = spec::response_example("get_full_profile");
    assert_eq!(
        pruned(serde_json::to_value(&sdk).expect("JSON")),
        pruned(documented),
        "the generated FullProfile keeps every documented field"
    );

    let (sdk, sdk_req) = server.record(|| rt.block_on(sdk_credit(b)));
    let (base, base_req) = server.record(|| rt.block_on(baseline_credit(b)));
    let request = same_request("credit_balance", sdk_req, base_req);
    assert_eq!(
        serde_json::from_slice::<Value>(&request.body).expect("JSON"),
        spec::request_example("credit_balance"),
        "credit_balance sends the documented example"
    );
    same_data("credit_balance", &sdk, &base);

    let (sdk, sdk_req) = server.record(|| rt.block_on(sdk_register(b)));
    let (base, base_req) = server.record(|| rt.block_on(baseline_register(b)));
    let request = same_request("register_member", sdk_req, base_req);
    let documented = spec::request_example("register_member");
    assert_eq!(
        serde_json::from_slice::<Value>(&request.body).expect("JSON"),
        documented,
        "register_member sends the documented example"
    );
    same_data("register_member", &sdk, &base);

    let (sdk, sdk_req) = server.record(|| rt.block_on(sdk_transaction(b)));
    let (base, base_req) = server.record(|| rt.block_on(baseline_transaction(b)));
    same_request("add_transaction", sdk_req, base_req);
    same_data("add_transaction", &sdk, &base);

    let generated: stamps::types::FullProfile =
        serde_json::from_slice(&b.full_profile_body).expect("decodes");
    let by_hand: hand::FullProfile = serde_json::from_slice(&b.full_profile_body).expect("decodes");
    same_data("decode", &generated, &by_hand);
}

/// Both decoded values hold the same data (the generated types skip absent fields
/// when serialising, the hand-written ones write `null`: both are pruned).
fn same_data(name: &str, sdk: &impl Serialize, baseline: &impl Serialize) {
    let sdk = pruned(serde_json::to_value(sdk).expect("JSON"));
    let baseline = pruned(serde_json::to_value(baseline).expect("JSON"));
    assert_eq!(sdk, baseline, "{name}: both sides decode the same data");
}

/// `value` without `null` members and empty arrays.
fn pruned(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
                .map(|(k, v)| (k, pruned(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(pruned).collect()),
        other => other,
    }
}

// ---------------------------------------------------------------------------------
// The scenarios. Each arm is one way of doing a scenario's work `n` times; the first
// arm of a scenario is the SDK, the others what it is compared with.
// ---------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
enum Arm {
    SdkFullProfile,
    BaselineFullProfile,
    SdkFullProfileInFlight,
    BaselineFullProfileInFlight,
    SdkCredit,
    BaselineCredit,
    SdkRegister,
    BaselineRegister,
    SdkTransaction,
    BaselineTransaction,
    DecodeGenerated,
    DecodeHand,
    DecodeValue,
}

impl Arm {
    /// Does the work `n` times.
    async fn run(self, b: &'static Bench, n: u64) {
        match self {
            Arm::SdkFullProfile => repeat(n, || sdk_full_profile(b)).await,
            Arm::BaselineFullProfile => repeat(n, || baseline_full_profile(b)).await,
            Arm::SdkFullProfileInFlight => {
                in_flight(n, move || async move {
                    black_box(sdk_full_profile(b).await);
                })
                .await;
            }
            Arm::BaselineFullProfileInFlight => {
                in_flight(n, move || async move {
                    black_box(baseline_full_profile(b).await);
                })
                .await;
            }
            Arm::SdkCredit => repeat(n, || sdk_credit(b)).await,
            Arm::BaselineCredit => repeat(n, || baseline_credit(b)).await,
            Arm::SdkRegister => repeat(n, || sdk_register(b)).await,
            Arm::BaselineRegister => repeat(n, || baseline_register(b)).await,
            Arm::SdkTransaction => repeat(n, || sdk_transaction(b)).await,
            Arm::BaselineTransaction => repeat(n, || baseline_transaction(b)).await,
            Arm::DecodeGenerated => decode::<stamps::types::FullProfile>(b, n),
            Arm::DecodeHand => decode::<hand::FullProfile>(b, n),
            Arm::DecodeValue => decode::<Value>(b, n),
        }
    }

    /// Its name in criterion's output and in the table.
    fn label(self) -> &'static str {
        match self {
            Arm::SdkFullProfile
            | Arm::SdkFullProfileInFlight
            | Arm::SdkCredit
            | Arm::SdkRegister
            | Arm::SdkTransaction => "sdk",
            Arm::BaselineFullProfile
            | Arm::BaselineFullProfileInFlight
            | Arm::BaselineCredit
            | Arm::BaselineRegister
            | Arm::BaselineTransaction => "reqwest",
            Arm::DecodeGenerated => "generated",
            Arm::DecodeHand => "hand_struct",
            Arm::DecodeValue => "value",
        }
    }

    /// The smallest batch that makes sense (the concurrent arms need every task busy).
    fn min_batch(self) -> u64 {
        match self {
            Arm::SdkFullProfileInFlight | Arm::BaselineFullProfileInFlight => IN_FLIGHT,
            _ => 1,
        }
    }
}

async fn repeat<T, Fut: Future<Output = T>>(n: u64, call: impl Fn() -> Fut) {
    for _ in 0..n {
        black_box(call().await);
    }
}

fn decode<T: serde::de::DeserializeOwned>(b: &Bench, n: u64) {
    for _ in 0..n {
        black_box(serde_json::from_slice::<T>(black_box(&b.full_profile_body)).expect("decodes"));
    }
}

struct Scenario {
    /// Its criterion group, and its rows of the table.
    name: &'static str,
    /// The SDK first, then what it is compared with (one table row each).
    arms: &'static [Arm],
    /// Per compared arm, whether the time target applies (not to the
    /// `serde_json::Value` row, which is there for scale).
    time_target: &'static [bool],
    /// Whether the allocation target applies (scenario 1, `get_full_profile`); the
    /// other rows show their counts for information.
    allocation_target: bool,
}

const SCENARIOS: &[Scenario] = &[
    // 1a. The largest documented answer, one call at a time: the SDK's whole path
    // (builder, hooks, retry wrapper, bounded read, masking, decode) against a GET
    // sending the same bytes and decoding into a struct of the same shape. Mostly
    // latency: two loopback wake-ups per call, which a VM makes slow and noisy.
    Scenario {
        name: "get_full_profile/sequential",
        arms: &[Arm::SdkFullProfile, Arm::BaselineFullProfile],
        time_target: &[true],
        allocation_target: true,
    },
    // 1b. The same with 64 calls in flight on one client: both threads stay busy,
    // so the time per call is the client's CPU cost (plus the server's), not
    // wake-up latency. The scenario that shows the SDK's overhead best.
    Scenario {
        name: "get_full_profile/in_flight_64",
        arms: &[
            Arm::SdkFullProfileInFlight,
            Arm::BaselineFullProfileInFlight,
        ],
        time_target: &[true],
        allocation_target: true,
    },
    // 2a. A small POST, credential in the header only: mostly the SDK's fixed
    // per-call cost (body builder, hooks).
    Scenario {
        name: "credit_balance",
        arms: &[Arm::SdkCredit, Arm::BaselineCredit],
        time_target: &[true],
        allocation_target: false,
    },
    // 2b. The largest documented request body.
    Scenario {
        name: "register_member",
        arms: &[Arm::SdkRegister, Arm::BaselineRegister],
        time_target: &[true],
        allocation_target: false,
    },
    // 2c. A sale that earns stamps: the new transactions page's core call.
    Scenario {
        name: "add_transaction",
        arms: &[Arm::SdkTransaction, Arm::BaselineTransaction],
        time_target: &[true],
        allocation_target: false,
    },
    // 3. Decoding alone, from the same bytes: the generated `FullProfile` (with the
    // SDK's own id types) against the hand-written struct, and against
    // `serde_json::Value` for scale.
    Scenario {
        name: "decode/full_profile",
        arms: &[Arm::DecodeGenerated, Arm::DecodeHand, Arm::DecodeValue],
        time_target: &[true, false],
        allocation_target: false,
    },
];

// ---------------------------------------------------------------------------------
// Criterion: each arm measured on its own, for its detailed statistics.
// ---------------------------------------------------------------------------------

fn criterion_benches(c: &mut Criterion, b: &'static Bench, rt: &Runtime) {
    for scenario in SCENARIOS {
        let mut group = c.benchmark_group(scenario.name);
        for &arm in scenario.arms {
            group.bench_function(arm.label(), |bencher| {
                bencher.iter_custom(|iters| {
                    let start = Instant::now();
                    rt.block_on(arm.run(b, iters.max(arm.min_batch())));
                    start
                        .elapsed()
                        .mul_f64(iters as f64 / iters.max(arm.min_batch()) as f64)
                });
            });
        }
        group.finish();
    }
}

// ---------------------------------------------------------------------------------
// The summary: interleaved rounds, then allocations, then one table.
// ---------------------------------------------------------------------------------

/// Per-call times of each arm, one entry per round.
struct Rounds {
    per_call: Vec<Vec<f64>>,
    batch: u64,
}

/// Measures a scenario's arms in alternating order for `budget`: every round runs
/// one batch of each arm, the order reversed every other round.
fn interleaved(b: &'static Bench, rt: &Runtime, arms: &[Arm], budget: Duration) -> Rounds {
    // Warm up (connections, caches), then size batches to ~20 ms of the first arm.
    for &arm in arms {
        let deadline = Instant::now() + Duration::from_millis(300);
        while Instant::now() < deadline {
            rt.block_on(arm.run(b, arm.min_batch()));
        }
    }
    let mut batch = arms[0].min_batch();
    loop {
        let start = Instant::now();
        rt.block_on(arms[0].run(b, batch));
        if start.elapsed() >= Duration::from_millis(20) {
            break;
        }
        batch *= 2;
    }
    let mut per_call = vec![Vec::new(); arms.len()];
    let started = Instant::now();
    let mut round = 0usize;
    while round < 10 || started.elapsed() < budget {
        let mut order: Vec<usize> = (0..arms.len()).collect();
        if round % 2 == 1 {
            order.reverse();
        }
        for i in order {
            let start = Instant::now();
            rt.block_on(arms[i].run(b, batch));
            per_call[i].push(start.elapsed().as_secs_f64() / batch as f64);
        }
        round += 1;
    }
    Rounds { per_call, batch }
}

/// Heap allocations (and reallocations) made on this thread while `f` runs.
fn count_allocations(f: impl FnOnce()) -> Option<u64> {
    let before = counting::allocations();
    f();
    Some(counting::allocations() - before)
}

/// The system allocator, counting each thread's allocations in a thread-local: a
/// few instructions per allocation, and the client's thread and the server's never
/// share a counter.
#[allow(unsafe_code, reason = "a global allocator is an unsafe trait")]
mod counting {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;

    thread_local! {
        static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    }

    /// Allocations (and reallocations) made so far on this thread.
    pub fn allocations() -> u64 {
        ALLOCATIONS.with(Cell::get)
    }

    fn count() {
        // `try_with`: a thread being torn down has no counter left; not counted.
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
    }

    struct Counting;

    // SAFETY: every method forwards to `System` with the caller's arguments.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            count();
            // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
            unsafe { System.alloc(layout) }
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            count();
            // SAFETY: as above.
            unsafe { System.alloc_zeroed(layout) }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            count();
            // SAFETY: as above.
            unsafe { System.realloc(ptr, layout, new_size) }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // SAFETY: as above.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    #[global_allocator]
    static GLOBAL: Counting = Counting;
}

/// Allocations per call of `arm`, counted on the client thread only (the server
/// runs on its own thread and is not counted).
fn allocations_per_call(b: &'static Bench, rt: &Runtime, arm: Arm) -> Option<f64> {
    let n = 64 * arm.min_batch().max(4);
    rt.block_on(arm.run(b, n));
    count_allocations(|| rt.block_on(arm.run(b, n))).map(|count| count as f64 / n as f64)
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// Median, 25th and 75th percentiles.
fn quartiles(values: &[f64]) -> (f64, f64, f64) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    (
        quantile(&sorted, 0.5),
        quantile(&sorted, 0.25),
        quantile(&sorted, 0.75),
    )
}

fn time(seconds: f64) -> String {
    match seconds {
        s if s >= 1e-3 => format!("{:.2} ms", s * 1e3),
        s if s >= 1e-6 => format!("{:.2} µs", s * 1e6),
        s => format!("{:.0} ns", s * 1e9),
    }
}

/// `median ±half the interquartile range, in percent of the median`.
fn with_spread(values: &[f64]) -> String {
    let (median, p25, p75) = quartiles(values);
    format!(
        "{} ±{:.1}%",
        time(median),
        (p75 - p25) / 2.0 / median * 100.0
    )
}

const TIME_TARGET: f64 = 1.05;
const ALLOCATION_TARGET: f64 = 1.2;

fn summary(b: &'static Bench, rt: &Runtime, filter: Option<&str>) {
    let budget = Duration::from_secs_f64(
        std::env::var("STAMPS_BENCH_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(5.0),
    );
    let load_before = load_average();
    let mut rows = Vec::new();
    for scenario in SCENARIOS {
        if filter.is_some_and(|f| !scenario.name.contains(f)) {
            continue;
        }
        eprintln!("summary: measuring {} ...", scenario.name);
        let rounds = interleaved(b, rt, scenario.arms, budget);
        let allocations: Vec<Option<f64>> = scenario
            .arms
            .iter()
            .map(|&arm| allocations_per_call(b, rt, arm))
            .collect();
        let sdk = &rounds.per_call[0];
        for (i, &arm) in scenario.arms.iter().enumerate().skip(1) {
            let other = &rounds.per_call[i];
            let ratios: Vec<f64> = sdk.iter().zip(other).map(|(s, o)| s / o).collect();
            let (ratio, r25, r75) = quartiles(&ratios);
            let alloc_ratio = allocations[0].zip(allocations[i]).map(|(s, o)| s / o);
            let allocs = match (allocations[0], allocations[i]) {
                (Some(s), Some(o)) => format!("{s:.1} / {o:.1} ({:.2}x)", s / o),
                _ => "not counted".to_owned(),
            };
            let time_verdict = if !scenario.time_target[i - 1] {
                "—"
            } else if ratio <= TIME_TARGET {
                "yes"
            } else {
                "**no**"
            };
            let allocation_verdict = match alloc_ratio {
                _ if !scenario.allocation_target => "—",
                None => "not counted",
                Some(r) if r <= ALLOCATION_TARGET => "yes",
                Some(_) => "**no**",
            };
            rows.push(format!(
                "| {} | {} | {} | {} | {ratio:.3} [{r25:.3}–{r75:.3}] | {allocs} | {time_verdict} | {allocation_verdict} |",
                scenario.name,
                arm.label(),
                with_spread(sdk),
                with_spread(other),
            ));
        }
        eprintln!(
            "summary: {}: {} rounds of {} calls per arm",
            scenario.name,
            rounds.per_call[0].len(),
            rounds.batch
        );
    }
    println!();
    println!(
        "Summary: SDK vs hand-written reqwest + serde, interleaved rounds of {:.0} s per scenario",
        budget.as_secs_f64()
    );
    println!(
        "(load average before: {load_before}, after: {}; {} CPUs)",
        load_average(),
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    println!();
    println!(
        "| Scenario | compared with | SDK median ±IQR/2 | other median ±IQR/2 | time SDK / other [IQR] | allocations per call SDK / other | time ≤ {TIME_TARGET} | allocations ≤ {ALLOCATION_TARGET}x |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for row in rows {
        println!("{row}");
    }
    println!();
}

/// `STAMPS_BENCH_ARM`: every arm's name, or one arm run `STAMPS_BENCH_CALLS` times
/// inside [`measured_calls`] (after a warm-up), for an instruction counter.
fn run_one_arm(b: &'static Bench, rt: &Runtime, name: &str) {
    let arms = SCENARIOS.iter().flat_map(|s| {
        s.arms
            .iter()
            .map(move |&arm| (format!("{}/{}", s.name, arm.label()), arm))
    });
    if name == "list" {
        arms.for_each(|(name, _)| println!("{name}"));
        return;
    }
    let Some((_, arm)) = arms.into_iter().find(|(n, _)| n == name) else {
        panic!("no arm {name}: STAMPS_BENCH_ARM=list lists them");
    };
    let calls: u64 = std::env::var("STAMPS_BENCH_CALLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(128)
        .max(arm.min_batch());
    rt.block_on(arm.run(b, 4 * arm.min_batch()));
    let allocations = count_allocations(|| measured_calls(b, rt, arm, calls));
    let per_call = allocations.map_or(f64::NAN, |n| n as f64 / calls as f64);
    println!("{name}: {calls} calls, {per_call:.1} allocations per call");
}

/// The calls an instruction counter counts (callgrind's `--toggle-collect`).
#[inline(never)]
fn measured_calls(b: &'static Bench, rt: &Runtime, arm: Arm, calls: u64) {
    rt.block_on(arm.run(b, calls));
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

/// The mode `cargo bench`/`cargo test` asked for, and criterion's name filter.
struct Args {
    benchmark: bool,
    filter: Option<String>,
}

impl Args {
    /// Mirrors criterion's reading of its command line: `--bench` without `--test`
    /// or `--list` is a benchmark run; the first positional argument filters.
    fn parse() -> Self {
        const TAKES_VALUE: &[&str] = &[
            "-c",
            "--color",
            "--colour",
            "--save-baseline",
            "--baseline",
            "--baseline-lenient",
            "--format",
            "--profile-time",
            "--load-baseline",
            "--sample-size",
            "--warm-up-time",
            "--measurement-time",
            "--nresamples",
            "--noise-threshold",
            "--confidence-level",
            "--significance-level",
            "--plotting-backend",
            "--output-format",
        ];
        let args: Vec<String> = std::env::args().skip(1).collect();
        let has = |flag: &str| args.iter().any(|a| a == flag);
        let mut filter = None;
        let mut skip_next = false;
        for arg in &args {
            if std::mem::take(&mut skip_next) {
                continue;
            }
            if arg.starts_with('-') {
                skip_next = TAKES_VALUE.contains(&arg.as_str());
            } else if filter.is_none() {
                filter = Some(arg.clone());
            }
        }
        Args {
            benchmark: has("--bench")
                && !has("--test")
                && !has("--list")
                && !args.iter().any(|a| a.starts_with("--profile-time")),
            filter,
        }
    }
}

fn main() {
    let args = Args::parse();
    // The client side runs on this thread alone (a current-thread runtime), the
    // server on another: on a 2-core machine each has a core.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let server = Server::start(&[
        "get_full_profile",
        "credit_balance",
        "register_member",
        "add_transaction",
    ]);
    let sdk = stamps::Client::builder()
        .token(TOKEN)
        .base_url(server.base_url())
        .build()
        .expect("an SDK client");
    let bench: &'static Bench = Box::leak(Box::new(Bench {
        sdk,
        baseline: Baseline::new(&server.base_url()),
        server,
        full_profile_body: server.answers[0].1.clone(),
    }));

    check_equivalence(bench, &rt);

    if let Ok(name) = std::env::var("STAMPS_BENCH_ARM") {
        return run_one_arm(bench, &rt, &name);
    }

    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30)
        .configure_from_args();
    criterion_benches(&mut criterion, bench, &rt);
    criterion.final_summary();

    if args.benchmark {
        summary(bench, &rt, args.filter.as_deref());
    } else {
        println!("sdk_vs_reqwest: equivalence checks passed, every scenario ran once");
    }
}
