//! `ClientBuilder::access_token_from`: the client gets, caches and refreshes its JWTs
//! itself, against the fake (which issues JWTs with an `exp` and refuses them after).

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use stamps::fake::{Failure, FakeStamps, NewMember};
use stamps::{Client, Error};

const KEY: &str = "static_key_9f8e7d6c5b4a39281706f5e4d3c2b1a0";

async fn fake() -> FakeStamps {
    FakeStamps::builder()
        .token(KEY)
        .start()
        .await
        .expect("a fake")
}

fn managed(fake: &FakeStamps, key: &str) -> Client {
    Client::builder()
        .access_token_from(key, fake.merchant())
        .base_url(fake.base_url())
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .expect("a client")
}

/// The operations the fake saw, in order.
fn operations(fake: &FakeStamps) -> Vec<&'static str> {
    fake.calls().iter().filter_map(|c| c.operation).collect()
}

fn exchanges(fake: &FakeStamps) -> usize {
    operations(fake)
        .iter()
        .filter(|op| **op == "get_access_token")
        .count()
}

/// A call the managed JWT authenticates (the legacy status page has the header alone).
async fn details(client: &Client, user: stamps::UserId) -> Result<(), Error> {
    client
        .get_member_status()
        .user(user)
        .merchant(14)
        .send()
        .await?;
    Ok(())
}

#[tokio::test]
async fn one_exchange_serves_many_calls_and_the_key_only_goes_to_the_exchange() {
    let fake = fake().await;
    let alice = fake.add_member(NewMember::new("Alice"));
    let client = managed(&fake, KEY);
    for _ in 0..5 {
        details(&client, alice.id).await.expect("answered");
    }
    // A clone shares the JWT.
    details(&client.clone(), alice.id).await.expect("answered");
    assert_eq!(
        operations(&fake),
        [
            "get_access_token",
            "get_member_status",
            "get_member_status",
            "get_member_status",
            "get_member_status",
            "get_member_status",
            "get_member_status"
        ]
    );
    let exchange = &fake.calls()[0];
    assert_eq!(
        exchange.body,
        Some(json!({"token": KEY, "crm_merchant_id": 14}))
    );
    for call in &fake.calls()[1..] {
        assert!(call.query.iter().all(|(_, v)| !v.contains(KEY)), "{call:?}");
        assert_eq!(call.body, None);
    }
    assert_eq!(fake.access_tokens().len(), 1);
}

#[tokio::test]
async fn sixteen_concurrent_calls_on_a_fresh_client_make_one_exchange() {
    let fake = fake().await;
    let alice = fake.add_member(NewMember::new("Alice"));
    let client = managed(&fake, KEY);
    // The exchange takes a while, so that every call arrives while it is in flight.
    fake.fail_next(
        "get_access_token",
        1,
        Failure::Stall(Duration::from_millis(200)),
    );
    let calls: Vec<_> = (0..16)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { details(&client, alice.id).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().expect("answered");
    }
    assert_eq!(exchanges(&fake), 1);
    assert_eq!(operations(&fake).len(), 17);
}

#[tokio::test]
async fn a_jwt_is_replaced_before_its_exp_and_never_sent_expired() {
    let fake = fake().await;
    let alice = fake.add_member(NewMember::new("Alice"));
    // 61 s of life minus the 60 s refresh margin: stale after one second.
    fake.set_access_token_lifetime(Duration::from_secs(61));
    let client = managed(&fake, KEY);
    details(&client, alice.id).await.expect("answered");
    details(&client, alice.id)
        .await
        .expect("answered with the same JWT");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    details(&client, alice.id)
        .await
        .expect("answered with a new JWT");
    assert_eq!(
        operations(&fake),
        [
            "get_access_token",
            "get_member_status",
            "get_member_status",
            "get_access_token",
            "get_member_status"
        ]
    );
    assert!(
        fake.calls().iter().all(|c| c.status == 200),
        "no call was refused"
    );
    assert_eq!(fake.access_tokens().len(), 2);
}

#[tokio::test]
async fn a_401_gets_one_new_jwt_and_one_resend_and_a_second_401_is_returned() {
    let fake = fake().await;
    let alice = fake.add_member(NewMember::new("Alice"));
    let client = managed(&fake, KEY);
    let invalid = json!({"detail": "Invalid token"});
    fake.fail_next("get_member_status", 1, Failure::json(401, &invalid));
    details(&client, alice.id)
        .await
        .expect("the re-sent call is answered");
    assert_eq!(
        operations(&fake),
        [
            "get_access_token",
            "get_member_status",
            "get_access_token",
            "get_member_status"
        ]
    );

    fake.fail_next("get_member_status", 2, Failure::json(401, &invalid));
    let error = details(&client, alice.id).await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
    assert_eq!(error.message(), Some("Invalid token"));
    assert_eq!(
        operations(&fake).len(),
        4 + 3,
        "the call, a new JWT, the call once more"
    );
}

#[tokio::test]
async fn a_wrong_key_fails_every_waiting_call_with_unauthorized_and_one_exchange() {
    let fake = fake().await;
    let alice = fake.add_member(NewMember::new("Alice"));
    let client = managed(&fake, "wrong_key_0123456789abcdef0123");
    fake.fail_next(
        "get_access_token",
        1,
        Failure::Stall(Duration::from_millis(200)),
    );
    let calls: Vec<_> = (0..16)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { details(&client, alice.id).await })
        })
        .collect();
    for call in calls {
        let error = call.await.unwrap().unwrap_err();
        assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
        assert_eq!(error.message(), Some("Invalid token"));
    }
    assert_eq!(
        operations(&fake),
        ["get_access_token"],
        "one exchange, no call sent"
    );
    // A later call tries again, once.
    let error = details(&client, alice.id).await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)));
    assert_eq!(exchanges(&fake), 2);
}

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

#[tokio::test]
async fn neither_the_key_nor_a_jwt_shows_in_debug_errors_excerpts_or_tracing() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let fake = fake().await;
    let alice = fake.add_member(NewMember::new("Alice"));
    let client = managed(&fake, KEY);
    details(&client, alice.id).await.expect("answered");
    let jwt = fake.access_tokens().pop().expect("a JWT");
    // A server that echoes both secrets in an error body.
    let echo = json!({"detail": format!("bad {jwt} for {KEY}"), "errors": {"token": KEY}});
    fake.fail_next("get_member_status", 1, Failure::json(400, &echo));
    let error = details(&client, alice.id).await.unwrap_err();
    // And an exchange refused with the key echoed.
    let refused = FakeStamps::builder().start().await.unwrap();
    let other = managed(&refused, KEY);
    let refusal = details(&other, alice.id).await.unwrap_err();

    let outputs = [
        format!("{client:?}"),
        format!("{:?}", Client::builder().access_token_from(KEY, 14)),
        error.to_string(),
        format!("{error:?}"),
        refusal.to_string(),
        format!("{refusal:?}"),
        String::from_utf8(captured.0.lock().unwrap().clone()).unwrap(),
    ];
    for output in &outputs {
        assert!(!output.contains(KEY), "the key leaked: {output}");
        assert!(!output.contains(&jwt), "the JWT leaked: {output}");
        assert!(
            !output.contains(&jwt[jwt.len() - 16..]),
            "part of the JWT leaked: {output}"
        );
    }
    assert!(
        outputs[2].contains("***") || outputs[3].contains("***"),
        "{outputs:?}"
    );
}

#[test]
fn an_invalid_merchant_or_key_is_a_config_error() {
    let error = Client::builder()
        .access_token_from(KEY, -1)
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
    let error = Client::builder()
        .access_token_from("has space", 14)
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
    assert!(!error.to_string().contains("has space"));
}
