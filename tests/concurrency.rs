//! `stamps::Client` is `Clone + Send + Sync`, and its clones share one connection
//! pool: many calls from many tasks, each with its own clone, complete without error
//! over few TCP connections (counted where the server accepts them).

use crate::common;
use crate::common::no_token;
use crate::common::raw_server;

use std::sync::Arc;
use std::time::Duration;

use common::TOKEN;
use no_token::assert_no_token;
use raw_server::{RawServer, Reply, Request, json};
use stamps::Error;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

const CALLS: u64 = 1_000;

/// Answers each profile request with the user it asked for, so that a mixed-up answer
/// would show.
async fn server() -> RawServer {
    RawServer::start(|request: &Request| {
        let user = request.query_param("user").unwrap_or_default();
        Reply::Send(json(200, &format!(r#"{{"user": {{"id": {user}}}}}"#)))
    })
    .await
}

fn client(server: &RawServer) -> stamps::Client {
    stamps::Client::builder()
        .token(TOKEN)
        .base_url(server.url())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// Gets user `user`'s profile and checks that the answer is about that user, and that
/// an error would not show the token.
async fn call(client: stamps::Client, user: u64) -> Result<(), Error> {
    let profile = client
        .get_full_profile()
        .user(user)
        .send()
        .await
        .inspect_err(assert_no_token)?
        .into_inner();
    let id = profile.user.and_then(|u| u.id).map(|id| id.get());
    assert_eq!(id, Some(user), "the answer to another call");
    Ok(())
}

/// Runs [`CALLS`] calls, all spawned at once, each task with its own clone; at most
/// `in_flight` at a time. Returns the errors.
async fn spawn_all(client: &stamps::Client, in_flight: usize) -> Vec<Error> {
    let permits = Arc::new(Semaphore::new(in_flight));
    let mut tasks = JoinSet::new();
    for user in 1..=CALLS {
        let (client, permits) = (client.clone(), permits.clone());
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.unwrap();
            call(client, user).await
        });
    }
    tasks
        .join_all()
        .await
        .into_iter()
        .filter_map(Result::err)
        .collect()
}

#[test]
fn the_client_is_clone_send_sync_and_static() {
    fn assert_shareable<T: Clone + Send + Sync + 'static>() {}
    assert_shareable::<stamps::Client>();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_on_clones_share_a_few_connections() {
    let server = server().await;
    let client = client(&server);
    // A caller's usual bound on calls in flight; the pool then needs about as many
    // connections. A clone with a pool of its own would open one per call.
    let in_flight = 32;

    let errors = spawn_all(&client, in_flight).await;

    let connections = server.connections();
    println!(
        "{CALLS} concurrent calls, at most {in_flight} in flight: {} errors, \
         {connections} TCP connections, {} requests",
        errors.len(),
        server.requests().len()
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(server.requests().len() as u64, CALLS);
    // The pool may open a few connections more than the calls in flight (a call
    // races a new connection against a returning one), never one per call.
    assert!(
        connections <= 3 * in_flight,
        "{connections} connections for {in_flight} calls in flight"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_calls_spawned_at_once_stay_within_the_clients_own_bound() {
    let server = server().await;
    let bound = 16;
    let client = stamps::Client::builder()
        .token(TOKEN)
        .base_url(server.url())
        .timeout(Duration::from_secs(20))
        .max_concurrent_calls(bound)
        .build()
        .unwrap();

    // No bound on the caller's side: every call is spawned at once.
    let errors = spawn_all(&client, CALLS as usize).await;

    let connections = server.connections();
    println!(
        "{CALLS} calls spawned at once, max_concurrent_calls({bound}): {} errors, \
         {connections} TCP connections",
        errors.len()
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(server.requests().len() as u64, CALLS);
    assert!(
        connections <= 3 * bound,
        "{connections} connections with at most {bound} calls in flight"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_bound_keeps_a_burst_to_a_few_dozen_connections() {
    let server = server().await;
    let client = client(&server);

    let errors = spawn_all(&client, CALLS as usize).await;

    let connections = server.connections();
    println!("{CALLS} calls spawned at once, default bound: {connections} TCP connections");
    assert!(errors.is_empty(), "{errors:?}");
    assert!(
        connections <= 3 * stamps::DEFAULT_MAX_CONCURRENT_CALLS,
        "{connections} connections"
    );
}

#[tokio::test]
async fn calls_one_after_another_on_a_thousand_clones_use_one_connection() {
    let server = server().await;
    let client = client(&server);
    for user in 1..=CALLS {
        call(client.clone(), user).await.unwrap();
    }
    assert_eq!(
        server.connections(),
        1,
        "clones share the pool's connection"
    );

    // A client built separately has a pool of its own: the count is meaningful.
    let other = self::client(&server);
    call(other, 1).await.unwrap();
    assert_eq!(server.connections(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clones_used_from_plain_threads_work_too() {
    let server = server().await;
    let client = client(&server);
    let handle = tokio::runtime::Handle::current();
    let threads: Vec<_> = (1..=8u64)
        .map(|t| {
            let (client, handle) = (client.clone(), handle.clone());
            std::thread::spawn(move || {
                for user in (t * 100)..(t * 100 + 25) {
                    handle.block_on(call(client.clone(), user)).unwrap();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("no panic");
    }
    assert_eq!(server.requests().len(), 200);
    assert!(
        server.connections() <= 16,
        "{} connections",
        server.connections()
    );
}
