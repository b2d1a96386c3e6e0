//! Webhooks (docs page klg_api.rst, "10. Webhook Security"): `stamps::webhook::verify`
//! against vectors computed with the page's own Python function
//! (`tests/data/webhooks/make_vectors.py`, output checked in as `vectors.json`),
//! properties on generated JSON and bytes, the typed payload, and the fake's signed
//! deliveries to a real HTTP endpoint.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;
use stamps::fake::{FakeStamps, NewMember};
use stamps::webhook::{self, SIGNATURE_HEADER, WebhookError};

const VECTORS: &str = include_str!("data/webhooks/vectors.json");

struct Vector {
    name: String,
    body: Vec<u8>,
    signature: String,
    accepted: bool,
    signed_payload: Option<String>,
}

fn vectors() -> (String, Vec<Vector>) {
    let file: Value = serde_json::from_str(VECTORS).expect("vectors.json is JSON");
    let secret = file["secret"].as_str().expect("a secret").to_owned();
    let vectors = file["vectors"]
        .as_array()
        .expect("vectors")
        .iter()
        .map(|v| {
            let text = |key: &str| v[key].as_str().map(str::to_owned);
            let body = match (text("body"), text("body_hex")) {
                (Some(body), None) => body.into_bytes(),
                (None, Some(hex)) => (0..hex.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
                    .collect(),
                _ => panic!("{v}: one of body and body_hex"),
            };
            Vector {
                name: text("name").expect("a name"),
                body,
                signature: text("signature").expect("a signature"),
                accepted: v["accepted"].as_bool().expect("accepted"),
                signed_payload: text("signed_payload"),
            }
        })
        .collect();
    (secret, vectors)
}

fn vector(name: &str) -> Vector {
    vectors()
        .1
        .into_iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("no vector {name:?}"))
}

#[test]
fn verify_accepts_every_genuine_vector_and_refuses_every_altered_one() {
    let (secret, vectors) = vectors();
    assert!(vectors.len() >= 50, "{} vectors", vectors.len());
    let mut wrong = Vec::new();
    for v in &vectors {
        let result = webhook::verify(&v.body, &v.signature, &secret);
        match (&result, v.accepted) {
            (Ok(hook), true) => {
                if Some(hook.signed_payload()) != v.signed_payload.as_deref() {
                    wrong.push(format!(
                        "{}: signed {:?}, Python signs {:?}",
                        v.name,
                        hook.signed_payload(),
                        v.signed_payload
                    ));
                }
                // `sign` writes what Python writes, so tests can make genuine webhooks.
                assert_eq!(webhook::sign(&v.body, &secret).unwrap(), v.signature);
            }
            (Err(_), false) => {}
            (result, _) => wrong.push(format!("{}: {result:?}", v.name)),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let accepted = vectors.iter().filter(|v| v.accepted).count();
    assert!(accepted >= 25 && vectors.len() - accepted >= 20);
}

#[test]
fn each_refusal_says_why() {
    let (secret, _) = vectors();
    let mismatch = "the webhook signature does not match its body";
    let malformed =
        |n: usize| format!("the webhook signature is not 64 lowercase hex digits ({n} characters)");
    let not_json =
        |why: &str, at: usize| format!("the webhook body is not JSON: {why} at byte {at}");
    let cases = [
        ("a tampered value", mismatch.to_owned()),
        ("a wrong secret", mismatch.to_owned()),
        ("keys reordered", mismatch.to_owned()),
        ("a float written as an integer", mismatch.to_owned()),
        ("an empty signature", malformed(0)),
        ("a truncated signature", malformed(63)),
        ("a non-hex signature", malformed(64)),
        ("a signature in uppercase", malformed(64)),
        ("an empty body", not_json("unexpected end of the body", 0)),
        (
            "a body that is not JSON",
            not_json("expected a key in double quotes", 1),
        ),
        ("a body with NaN", not_json("expected a JSON value", 6)),
        (
            "a body with a trailing comma",
            not_json("expected a key in double quotes", 8),
        ),
        ("a body in Latin-1, not UTF-8", not_json("not UTF-8", 13)),
        (
            "an integer of 4301 digits",
            not_json("an integer longer than Python reads (4300 digits)", 6),
        ),
    ];
    for (name, want) in cases {
        let v = vector(name);
        let error = webhook::verify(&v.body, &v.signature, &secret).unwrap_err();
        assert_eq!(error.to_string(), want, "{name}");
    }
    let v = vector("a wrong secret");
    assert!(matches!(
        webhook::verify(&v.body, &v.signature, &secret),
        Err(WebhookError::SignatureMismatch)
    ));
    assert!(matches!(
        webhook::verify(b"{}", &"0".repeat(64), ""),
        Err(WebhookError::EmptySecret)
    ));
    assert!(matches!(
        webhook::sign(b"{}", ""),
        Err(WebhookError::EmptySecret)
    ));
}

#[test]
fn errors_never_show_the_secret() {
    let secret = "whsec_9f8e7d6c5b4a";
    let body = br#"{"a": 1}"#;
    let other = webhook::sign(br#"{"a": 2}"#, secret).unwrap();
    for error in [
        webhook::verify(body, &other, secret).unwrap_err(),
        webhook::verify(body, "zz", secret).unwrap_err(),
        webhook::verify(b"{", &other, secret).unwrap_err(),
    ] {
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(secret), "{shown}");
    }
    assert_eq!(
        webhook::verify(body, &other, secret)
            .unwrap_err()
            .to_string(),
        "the webhook signature does not match its body"
    );
}

#[test]
fn the_docs_example_decodes_into_its_typed_view() {
    let (secret, _) = vectors();
    let v = vector("docs example, pretty-printed as on the page");
    let hook = webhook::verify(&v.body, &v.signature, &secret).unwrap();
    let payload = hook.membership().unwrap();
    assert_eq!(payload.from.as_deref(), Some("test@gmail.com"));
    assert_eq!(payload.to.as_deref(), Some("test2@gmail.com"));
    let membership = payload.membership.as_ref().unwrap();
    assert_eq!(membership.level, Some(0));
    assert_eq!(membership.level_text.as_deref(), Some("Silver"));
    assert_eq!(membership.status.as_deref(), Some("Active"));
    let card = membership.primary_card.as_ref().unwrap();
    assert_eq!(
        (card.id, card.number.as_deref(), card.is_active),
        (Some(3713), Some("RRR123456"), Some(true))
    );
    let user = payload.user.as_ref().unwrap();
    assert_eq!(user.id, Some(stamps::UserId::new(2824)));
    assert_eq!(user.email.as_deref(), Some("test2@gmail.com"));
    assert_eq!(user.member_ids, ["RRR123456"]);
    // The raw value stays available for other events.
    assert_eq!(hook.value()["user"]["registration_status"], "Full");
    assert_eq!(SIGNATURE_HEADER, "X-Stamps-Signature");
}

#[test]
fn a_payload_of_another_shape_is_a_decode_error() {
    let body = br#"{"membership": {"level": "high"}}"#;
    let signature = webhook::sign(body, "k").unwrap();
    let hook = webhook::verify(body, &signature, "k").unwrap();
    let error = hook.membership().unwrap_err();
    assert!(matches!(error, WebhookError::Decode { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "cannot decode the webhook payload: invalid type: string \"high\", expected i64"
    );
}

// ---- Properties ----------------------------------------------------------------------

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// JSON text with whitespace, escapes, any Unicode, repeated keys, big integers and
/// floats written several ways.
fn json_text() -> BoxedStrategy<String> {
    let string = prop_oneof![
        any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap()),
        // Escapes of any UTF-16 unit, lone surrogates included, in either case.
        "\"([a-c /]|\\\\u[0-9a-fA-F]{4}|\\\\[\"\\\\/bfnrt])*\"",
    ];
    let float = any::<f64>().prop_filter("finite", |x| x.is_finite());
    let leaf = prop_oneof![
        Just("null".to_owned()),
        any::<bool>().prop_map(|b| b.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        "-?[1-9][0-9]{19,60}",
        float.clone().prop_map(|x| format!("{x:?}")),
        float.clone().prop_map(|x| format!("{x:e}")),
        float.prop_map(|x| format!("{x:.3E}")),
        string.clone(),
    ];
    let space = prop::sample::select(vec!["", " ", "\n  ", "\t", "\r\n"]);
    let key = prop_oneof!["\"[a-c]\"", string];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            (prop::collection::vec(inner.clone(), 0..6), space.clone())
                .prop_map(|(items, s)| format!("[{s}{}{s}]", items.join(&format!("{s},{s}")))),
            (
                prop::collection::vec((key.clone(), inner), 0..6),
                space.clone()
            )
                .prop_map(|(members, s)| {
                    let members: Vec<String> = members
                        .iter()
                        .map(|(k, v)| format!("{k}{s}:{s}{v}"))
                        .collect();
                    format!("{{{s}{}{s}}}", members.join(&format!("{s},{s}")))
                }),
        ]
    })
    .boxed()
}

#[test]
fn a_signed_body_verifies_and_its_signed_payload_is_its_own_fixed_point() {
    let strategy = (json_text(), "[ -~]{1,20}");
    TestRunner::new(config(512))
        .run(&strategy, |(body, secret)| {
            let signature = webhook::sign(body.as_bytes(), &secret).unwrap();
            let hook = webhook::verify(body.as_bytes(), &signature, &secret).unwrap();
            // Python's `json.dumps(json.loads(s))` of its own output is that output.
            let again =
                webhook::verify(hook.signed_payload().as_bytes(), &signature, &secret).unwrap();
            prop_assert_eq!(again.signed_payload(), hook.signed_payload());
            prop_assert!(hook.signed_payload().is_ascii());
            let other = format!("{secret}x");
            prop_assert!(matches!(
                webhook::verify(body.as_bytes(), &signature, &other),
                Err(WebhookError::SignatureMismatch)
            ));
            Ok(())
        })
        .unwrap();
}

#[test]
fn strings_and_integers_read_as_serde_json_reads_them() {
    let strategy = prop::collection::btree_map(
        any::<String>(),
        prop_oneof![
            any::<String>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
        ],
        0..8,
    );
    TestRunner::new(config(256))
        .run(&strategy, |map| {
            let body = serde_json::to_vec(&map).unwrap();
            let signature = webhook::sign(&body, "k").unwrap();
            let hook = webhook::verify(&body, &signature, "k").unwrap();
            prop_assert_eq!(
                hook.value(),
                &serde_json::from_slice::<Value>(&body).unwrap()
            );
            Ok(())
        })
        .unwrap();
}

#[test]
fn no_body_and_no_signature_makes_verify_panic() {
    let strategy = (
        prop_oneof![
            prop::collection::vec(any::<u8>(), 0..200),
            json_text().prop_map(|t| {
                // Truncated or corrupted JSON.
                let cut = t.len() / 2;
                t.as_bytes()[..cut].to_vec()
            }),
        ],
        prop_oneof![any::<String>(), "[0-9a-fA-F]{62,66}"],
        any::<String>(),
    );
    TestRunner::new(config(1024))
        .run(&strategy, |(body, signature, secret)| {
            let _ = webhook::verify(&body, &signature, &secret);
            let _ = webhook::sign(&body, &secret);
            Ok(())
        })
        .unwrap();
    // Deep nesting is refused, not a stack overflow.
    let deep = "[".repeat(100_000);
    assert!(matches!(
        webhook::verify(deep.as_bytes(), &"0".repeat(64), "k"),
        Err(WebhookError::InvalidBody {
            offset: 128,
            reason: "nested too deep"
        })
    ));
}

// ---- The fake's webhooks, to a real endpoint ------------------------------------------

/// What a test endpoint saw: each webhook's verified payload, or why it was refused.
type Seen = Arc<Mutex<Vec<Result<webhook::Webhook, WebhookError>>>>;

/// An axum endpoint at `/hooks` that checks each POST with `verify` and `secret`, as a
/// merchant's would: 200 if genuine, 400 otherwise.
async fn endpoint(secret: &str) -> (String, Seen) {
    let seen: Seen = Arc::default();
    let state = (secret.to_owned(), seen.clone());
    let app =
        axum::Router::new()
            .route(
                "/hooks",
                axum::routing::post(
                    |State((secret, seen)): State<(String, Seen)>,
                     headers: HeaderMap,
                     body: Bytes| async move {
                        let signature = headers
                            .get(SIGNATURE_HEADER)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default();
                        let verified = webhook::verify(&body, signature, &secret);
                        let status = if verified.is_ok() {
                            StatusCode::OK
                        } else {
                            StatusCode::BAD_REQUEST
                        };
                        seen.lock().unwrap().push(verified);
                        status
                    },
                ),
            )
            .with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

fn taken(seen: &Seen) -> Vec<Result<webhook::Webhook, WebhookError>> {
    std::mem::take(&mut *seen.lock().unwrap())
}

#[tokio::test]
async fn the_fake_sends_a_signed_webhook_when_a_members_level_changes() {
    let fake = FakeStamps::start().await;
    let (url, seen) = endpoint(fake.webhook_secret().expose()).await;
    fake.set_webhook_url(&url);
    let zoe = fake.add_member(NewMember::new("Zoë Tan").email("zoe@example.com"));

    fake.client()
        .set_member_level()
        .body_map(|b| b.user("zoe@example.com").level(200))
        .send()
        .await
        .unwrap();

    // Sent before the call was answered, and accepted by `verify`.
    let seen = taken(&seen);
    assert_eq!(seen.len(), 1, "{seen:?}");
    let hook = seen[0].as_ref().unwrap();
    assert!(hook.signed_payload().contains(r#""name":"Zo\u00eb Tan""#));
    let payload = hook.membership().unwrap();
    assert_eq!(payload.from.as_deref(), Some("zoe@example.com"));
    assert_eq!(payload.to.as_deref(), Some("zoe@example.com"));
    let membership = payload.membership.unwrap();
    assert_eq!(
        (membership.level, membership.level_text.as_deref()),
        (Some(200), Some("Silver"))
    );
    assert_eq!(
        membership.primary_card.unwrap().number,
        zoe.member_ids.first().cloned()
    );
    let user = payload.user.unwrap();
    assert_eq!(user.id, Some(zoe.id));
    assert_eq!(user.name.as_deref(), Some("Zoë Tan"));

    let deliveries = fake.webhook_deliveries();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(
        (deliveries[0].url.as_str(), deliveries[0].status),
        (url.as_str(), Some(200))
    );
    assert_eq!(
        webhook::sign(
            deliveries[0].body.as_bytes(),
            fake.webhook_secret().expose()
        )
        .unwrap(),
        deliveries[0].signature
    );
}

#[tokio::test]
async fn a_profile_change_sends_one_and_no_url_sends_none() {
    let fake = FakeStamps::start().await;
    let (url, seen) = endpoint(fake.webhook_secret().expose()).await;
    fake.add_member(NewMember::new("Ana").email("ana@example.com"));
    let client = fake.client();
    let change = |name: &'static str| {
        client
            .change_member_profile()
            .body_map(move |b| b.user("ana@example.com").merchant(14).name(name))
            .send()
    };

    change("Ana B").await.unwrap();
    assert!(fake.webhook_deliveries().is_empty());

    fake.set_webhook_url(&url);
    change("Ana Çelik").await.unwrap();
    let seen = taken(&seen);
    assert_eq!(seen.len(), 1, "{seen:?}");
    let user = seen[0]
        .as_ref()
        .unwrap()
        .membership()
        .unwrap()
        .user
        .unwrap();
    assert_eq!(user.name.as_deref(), Some("Ana Çelik"));

    fake.clear_webhook_url();
    change("Ana C").await.unwrap();
    assert_eq!(fake.webhook_deliveries().len(), 1);
}

#[tokio::test]
async fn an_endpoint_with_another_secret_refuses_the_fakes_webhooks() {
    let fake = FakeStamps::builder()
        .webhook_secret("secret-of-the-fake")
        .start()
        .await
        .unwrap();
    let (url, seen) = endpoint("secret-of-the-endpoint").await;
    fake.set_webhook_url(&url);
    let bo = fake.add_member(NewMember::new("Bo"));

    let refused = fake.send_webhook(bo.id).await;
    assert_eq!(refused.status, Some(400));
    assert!(matches!(
        taken(&seen).as_slice(),
        [Err(WebhookError::SignatureMismatch)]
    ));

    fake.set_webhook_secret("secret-of-the-endpoint");
    assert_eq!(fake.send_webhook(bo.id).await.status, Some(200));
    assert_eq!(fake.webhook_secret().expose(), "secret-of-the-endpoint");
    // The secret stays out of the fake's Debug.
    let shown = format!(
        "{fake:?} {:?}",
        FakeStamps::builder().webhook_secret("s3cr3t")
    );
    assert!(
        !shown.contains("s3cr3t") && !shown.contains("secret-of"),
        "{shown}"
    );
}

#[tokio::test]
async fn any_body_can_be_sent_on_demand_and_a_dead_endpoint_is_recorded() {
    let fake = FakeStamps::start().await;
    let (url, seen) = endpoint(fake.webhook_secret().expose()).await;
    fake.set_webhook_url(&url);

    let body = r#"{"event": "price", "name": "Café ☕", "price": 1.50, "ratio": 0.00001, "id": 123456789012345678901234567890}"#;
    let delivery = fake.send_webhook_body(body).await;
    assert_eq!((delivery.status, delivery.body.as_str()), (Some(200), body));
    let seen = taken(&seen);
    assert_eq!(
        seen[0].as_ref().unwrap().signed_payload(),
        r#"{"event":"price","name":"Caf\u00e9 \u2615","price":1.5,"ratio":1e-05,"id":123456789012345678901234567890}"#
    );

    // Nothing listens there any more.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}/hooks", listener.local_addr().unwrap());
    drop(listener);
    fake.set_webhook_url(&dead);
    let failed = fake.send_webhook_body("{}").await;
    assert_eq!(failed.status, None);
    assert!(failed.error.is_some());
    assert_eq!(fake.webhook_deliveries().len(), 2);
}
