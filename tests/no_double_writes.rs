//! Nothing doubled: against a server that drops a third of the connections it is
//! handed (after reading the request, or halfway through its answer), 1,000 credits
//! each reach it exactly once, and 1,000 GETs all succeed through retries.
//!
//! Each call is distinguishable (a credit by its amount, a GET by its user), and the
//! faults are a fixed function of the call and the attempt, so the counts are the same
//! on every run whatever the scheduling. Run with `--nocapture` to see them.

use crate::common;
use crate::common::no_token;
use crate::common::raw_server;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::TOKEN;
use no_token::assert_no_token;
use raw_server::{RawServer, Reply, Request, head, json};
use serde_json::json;
use stamps::Error;
use tokio::task::JoinSet;

const CALLS: u64 = 1_000;
/// Calls in flight at once.
const CONCURRENCY: u64 = 16;
/// Enough that a GET failing 1 time in 3 practically always gets through:
/// (1/3)^11 per call.
const MAX_RETRIES: u32 = 10;

/// The ways the server lets a request down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Fault {
    /// Reads the request, then closes the connection without a word.
    CloseAfterRequest,
    /// Reads the request, then resets the connection.
    ResetAfterRequest,
    /// Sends the headers and half the body, then resets.
    HalfBodyThenReset,
    /// Sends half the status line and headers, then closes.
    HalfHeadThenClose,
}

const FAULTS: [Fault; 4] = [
    Fault::CloseAfterRequest,
    Fault::ResetAfterRequest,
    Fault::HalfBodyThenReset,
    Fault::HalfHeadThenClose,
];

/// A well-mixed hash (splitmix64), so that faults look random but are reproducible.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Attempt `attempt` (0-based) of call `id`: a fault one time in three.
fn fault_for(id: u64, attempt: u64, salt: u64) -> Option<Fault> {
    let h = mix(mix(id ^ salt).wrapping_add(attempt));
    h.is_multiple_of(3).then(|| FAULTS[((h / 3) % 4) as usize])
}

fn reply(fault: Option<Fault>, status: u16, body: &str) -> Reply {
    let full = json(status, body);
    match fault {
        None => Reply::Send(full),
        Some(Fault::CloseAfterRequest) => raw_server::close(),
        Some(Fault::ResetAfterRequest) => raw_server::reset(),
        Some(Fault::HalfBodyThenReset) => {
            let head_len = head(status, &[]).len();
            let cut = full.len() - (full.len() - head_len) / 2;
            Reply::SendAndReset(full[..cut].to_vec())
        }
        // `HTTP/1.1 200 OK\r\nconten`: cut inside the headers.
        Some(Fault::HalfHeadThenClose) => Reply::SendAndClose(full[..24].to_vec()),
    }
}

/// What the server saw, per call.
#[derive(Default)]
struct Seen {
    /// Credit amount to the number of times it arrived.
    credits: HashMap<u64, u32>,
    /// GET user to the number of attempts that arrived.
    gets: HashMap<u64, u64>,
    faults: HashMap<Fault, u32>,
}

const CREDIT_SALT: u64 = 0xc4ed;
const GET_SALT: u64 = 0x6e7;

async fn server(seen: Arc<Mutex<Seen>>) -> RawServer {
    RawServer::start(move |request: &Request| {
        let mut seen = seen.lock().unwrap();
        let (fault, body) = match request.path() {
            "/api/balances/credit" => {
                let amount = request.json()["amount"].as_u64().expect("an amount");
                *seen.credits.entry(amount).or_default() += 1;
                // A credit's fate does not depend on the attempt: a second attempt
                // would be the bug this test looks for.
                let body = json!({
                    "customer": {"id": 6, "balance": amount},
                    "balance_update": {"id": amount, "amount": amount},
                });
                (fault_for(amount, 0, CREDIT_SALT), body)
            }
            "/api/v2/memberships/full-profile" => {
                let user: u64 = request.query_param("user").unwrap().parse().unwrap();
                let attempts = seen.gets.entry(user).or_default();
                let attempt = *attempts;
                *attempts += 1;
                let body = json!({"user": {"id": user, "name": format!("Customer {user}")}});
                (fault_for(user, attempt, GET_SALT), body)
            }
            other => panic!("unexpected request to {other}"),
        };
        if let Some(fault) = fault {
            *seen.faults.entry(fault).or_default() += 1;
        }
        reply(fault, 200, &body.to_string())
    })
    .await
}

fn client(server: &RawServer) -> stamps::Client {
    stamps::Client::builder()
        .token(TOKEN)
        .base_url(server.url())
        .timeout(Duration::from_secs(10))
        .max_retries(MAX_RETRIES)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(4))
        .build()
        .unwrap()
}

/// Runs `call(client, i)` for i in 1..=CALLS, CONCURRENCY at a time, each worker on its
/// own clone of the client; returns the outcomes in order of i.
async fn run_all<T, F, Fut>(client: &stamps::Client, call: F) -> Vec<(u64, T)>
where
    T: Send + 'static,
    F: Fn(stamps::Client, u64) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = T> + Send,
{
    let mut set = JoinSet::new();
    for worker in 0..CONCURRENCY {
        let (client, call) = (client.clone(), call.clone());
        set.spawn(async move {
            let mut outcomes = Vec::new();
            let mut i = 1 + worker;
            while i <= CALLS {
                outcomes.push((i, call(client.clone(), i).await));
                i += CONCURRENCY;
            }
            outcomes
        });
    }
    let mut all: Vec<(u64, T)> = set.join_all().await.into_iter().flatten().collect();
    all.sort_by_key(|(i, _)| *i);
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_credits_through_a_faulty_network_each_reach_the_server_at_most_once() {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let server = server(seen.clone()).await;
    let client = client(&server);

    // Credit number i moves i units: the amount names the call.
    let outcomes = run_all(&client, |client, amount| async move {
        client
            .credit_balance()
            .body_map(|b| b.user(1).amount(amount).merchant(14).store(3))
            .send()
            .await
            .map(|r| r.into_inner())
    })
    .await;

    let seen = seen.lock().unwrap();
    let expected_faults = (1..=CALLS)
        .filter(|&a| fault_for(a, 0, CREDIT_SALT).is_some())
        .count();
    let twice: Vec<_> = seen.credits.iter().filter(|(_, n)| **n > 1).collect();
    let never = (1..=CALLS)
        .filter(|a| !seen.credits.contains_key(a))
        .count();
    let ok = outcomes.iter().filter(|(_, r)| r.is_ok()).count();
    let failed = outcomes.len() - ok;
    println!(
        "credits: {CALLS} calls; the server received {} requests for {} distinct credits, \
         {} credits twice or more, {never} never; it dropped {expected_faults} ({:?}); \
         the client reported {ok} successes and {failed} errors",
        seen.credits.values().sum::<u32>(),
        seen.credits.len(),
        twice.len(),
        seen.faults,
    );

    assert!(
        twice.is_empty(),
        "{} credits received more than once, e.g. (amount, times): {:?}",
        twice.len(),
        &twice[..twice.len().min(10)]
    );
    assert_eq!(never, 0, "every credit reaches the server once");
    assert!(
        expected_faults > CALLS as usize / 5,
        "the network must be faulty enough to mean something: {expected_faults}"
    );
    for (amount, outcome) in &outcomes {
        let faulted = fault_for(*amount, 0, CREDIT_SALT).is_some();
        match outcome {
            Ok(result) => {
                assert!(!faulted, "credit {amount} succeeded through a fault");
                let update = result.balance_update.as_ref().unwrap();
                assert_eq!(
                    update.id.map(|id| id.get()),
                    Some(*amount),
                    "answers mixed up"
                );
                assert_eq!(update.amount, Some(*amount as i64));
            }
            Err(error) => {
                assert_no_token(error);
                assert!(faulted, "credit {amount} failed without a fault: {error}");
                assert!(
                    matches!(error, Error::Connection { .. }),
                    "credit {amount}: {error:?}"
                );
                assert!(
                    error.is_retryable(),
                    "the caller decides whether to try again, knowing the risk"
                );
            }
        }
    }
    assert_eq!(failed, expected_faults);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_gets_through_the_same_faults_all_succeed_by_retrying() {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let server = server(seen.clone()).await;
    let client = client(&server);

    let outcomes = run_all(&client, |client, user| async move {
        client
            .get_full_profile()
            .user(user)
            .send()
            .await
            .map(|r| r.into_inner())
    })
    .await;

    let seen = seen.lock().unwrap();
    let attempts: u64 = seen.gets.values().sum();
    let faults: u32 = seen.faults.values().sum();
    let most = seen.gets.values().max().copied().unwrap_or_default();
    let ok = outcomes.iter().filter(|(_, r)| r.is_ok()).count();
    println!(
        "gets: {CALLS} calls, {ok} succeeded; the server received {attempts} attempts and \
         dropped {faults} ({:?}); the most attempts for one call: {most}; \
         {} TCP connections",
        seen.faults,
        server.connections(),
    );

    for (user, outcome) in &outcomes {
        match outcome {
            Ok(profile) => {
                let got = profile.user.as_ref().and_then(|u| u.id).map(|id| id.get());
                assert_eq!(got, Some(*user), "answers mixed up");
            }
            Err(error) => {
                assert_no_token(error);
                panic!("GET {user} failed despite {MAX_RETRIES} retries: {error:?}");
            }
        }
    }
    assert_eq!(ok as u64, CALLS);
    assert_eq!(
        attempts,
        CALLS + u64::from(faults),
        "one attempt per call, plus one retry per fault"
    );
    assert!(
        faults as u64 > CALLS / 5,
        "the network must be faulty enough to mean something: {faults}"
    );
    for fault in FAULTS {
        assert!(
            seen.faults.get(&fault).copied().unwrap_or_default() > 0,
            "{fault:?} never happened"
        );
    }
}

/// With managed access tokens, a 401 gets a new JWT and the call is sent once more
/// (the server did not act on it): a POST answered 401 twice reached the server twice,
/// never more. A transaction or a redemption whose connection drops after the request
/// went out is not sent again.
#[tokio::test]
async fn the_access_token_refresh_sends_a_post_at_most_twice() {
    use stamps::fake::{Failure, FakeStamps, NewMember};
    let key = "static_key_0123456789abcdef0123456789";
    let fake = FakeStamps::builder().token(key).start().await.unwrap();
    let alice = fake.add_member(NewMember::new("Alice").email("alice@example.com"));
    let client = stamps::Client::builder()
        .access_token_from(key, fake.merchant())
        .base_url(fake.base_url())
        .build()
        .unwrap();
    let sent = |op: &str| {
        fake.calls()
            .iter()
            .filter(|c| c.operation == Some(op))
            .count()
    };
    let invalid = json!({"detail": "Invalid token"});

    fake.fail_next("credit_balance", 5, Failure::json(401, &invalid));
    let error = client
        .credit_balance()
        .body_map(|b| b.user(alice.id).amount(10).merchant(14).store(1))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
    assert_eq!(sent("credit_balance"), 2);

    let created = "2024-03-01T10:00:00+07"
        .parse::<stamps::DateTime>()
        .unwrap();
    fake.fail_next("add_transaction", 1, Failure::Drop);
    let dropped = client
        .add_transaction()
        .body_map(|b| {
            b.user(alice.id)
                .store(1)
                .invoice_number("INV-1")
                .total_value(50_000.0)
                .number_of_people(1)
                .created(created)
        })
        .send()
        .await
        .unwrap_err();
    assert!(matches!(dropped, Error::Connection { .. }), "{dropped:?}");
    assert_eq!(
        sent("add_transaction"),
        1,
        "a transaction is never sent twice"
    );
    assert_eq!(fake.stamps(alice.id), Some(0));

    let coffee = fake.add_reward(stamps::fake::NewReward::new("Coffee", 0));
    fake.fail_next("redeem_reward", 1, Failure::Drop);
    let dropped = client
        .redeem_reward()
        .body_map(|b| b.user(alice.id).store(1).reward(coffee.id))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(dropped, Error::Connection { .. }), "{dropped:?}");
    assert_eq!(sent("redeem_reward"), 1, "a redemption is never sent twice");
}
