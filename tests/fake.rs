//! `stamps::fake`: every operation of the spec answered from it, state where it
//! matters, failures on demand. Driven through raw HTTP where a test must send what
//! the SDK would not, and through the SDK everywhere else.

use crate::common;

use std::time::Duration;

use serde_json::{Map, Value, json};
use stamps::Error;
use stamps::fake::{Failure, FakeStamps, NewMember, stateful_operations};
use stamps::operations::OPERATIONS;

const STORE: u64 = 3;

/// Sends a raw request for operation `id` with `params` as its query (GET) or JSON
/// body (POST), and `authorization` as the header if any.
async fn raw(
    fake: &FakeStamps,
    id: &str,
    params: &Value,
    authorization: Option<&str>,
) -> (u16, Value) {
    let op = stamps::operations::find(id).expect("a documented operation");
    let path = op.path.replace("{reward_code}", "CODE");
    let url = format!("{}{}", fake.base_url(), path);
    let http = reqwest::Client::new();
    let mut request = if op.method == "GET" {
        let query: Vec<(String, String)> = params
            .as_object()
            .into_iter()
            .flatten()
            .flat_map(|(k, v)| match v {
                Value::Array(items) => items.iter().map(|i| (k.clone(), text(i))).collect(),
                other => vec![(k.clone(), text(other))],
            })
            .collect();
        http.get(url).query(&query)
    } else {
        http.post(url).json(params)
    };
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    let response = request.send().await.expect("the fake answers");
    let status = response.status().as_u16();
    let body = response.text().await.expect("a body");
    (
        status,
        serde_json::from_str(&body).unwrap_or(Value::String(body)),
    )
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The documented input of `id`: its `docs` request example, or its query
/// parameters' examples.
fn documented_input(id: &str) -> Value {
    let op = common::operation(id);
    let body = &op["requestBody"]["content"]["application/json"];
    if let Some(examples) = body["examples"].as_object() {
        return examples
            .values()
            .next()
            .map(|e| e["value"].clone())
            .unwrap_or(json!({}));
    }
    let mut query = Map::new();
    for param in op["parameters"].as_array().into_iter().flatten() {
        let param = common::resolve(param);
        let example = param.get("example").cloned().or_else(|| {
            let named = param["examples"].as_object()?;
            named.values().next().map(|e| e["value"].clone())
        });
        if param["in"] == "query"
            && let Some(example) = example
        {
            query.insert(param["name"].as_str().unwrap().to_owned(), example);
        }
    }
    Value::Object(query)
}

/// The documented answer of `id`: (status, body) of its 200 example, or of the
/// error it always answers.
fn documented_answer(id: &str) -> (u16, Value) {
    let op = common::operation(id);
    for (status, response) in op["responses"].as_object().unwrap() {
        let response = common::resolve(response);
        for media in ["application/json", "text/html"] {
            let content = &response["content"][media];
            let example = content["examples"]
                .as_object()
                .and_then(|e| e.values().next())
                .map(|e| e["value"].clone())
                .or_else(|| content.get("example").cloned());
            if let Some(example) = example
                && (status == "200" || op["responses"][status].get("$ref").is_none())
            {
                return (status.parse().unwrap(), example);
            }
        }
    }
    panic!("{id} documents no answer")
}

fn keys(value: &Value) -> Vec<&String> {
    value
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn every_operation_of_the_spec_gets_its_documented_answer() {
    let fake = FakeStamps::start().await;
    let header = format!("Token {}", fake.token());
    let stateful = stateful_operations();
    let mut answered = 0;
    for op in OPERATIONS {
        let (status, body) = raw(&fake, op.id, &documented_input(op.id), Some(&header)).await;
        let (documented_status, documented) = documented_answer(op.id);
        if stateful.contains(&op.id) {
            // Answered from the state: the documented shape, or the page's refusal
            // (the docs' example customer does not exist in a fresh fake).
            let shaped = status == documented_status && keys(&body) == keys(&documented);
            // (The docs' example key is not the fake's either: the docs' 401.)
            let refused = (status == 400 && body.get("errors").is_some())
                || (status == 401 && body == json!({"detail": "Invalid token"}));
            assert!(shaped || refused, "{}: {status} {body}", op.id);
        } else {
            assert_eq!(
                (status, &body),
                (documented_status, &documented),
                "{}",
                op.id
            );
        }
        answered += 1;
    }
    assert_eq!(answered, OPERATIONS.len());
    assert_eq!(fake.calls().len(), OPERATIONS.len());
    assert!(fake.calls().iter().all(|c| c.operation.is_some()));
}

#[tokio::test]
async fn credentials_are_checked_as_documented() {
    let fake = FakeStamps::start().await;
    let forbidden = common::response_example("credit_balance", "403", "credentials_not_provided");
    let unauthorized = common::response_example("credit_balance", "401", "invalid_token");
    let input = documented_input("get_member_details");
    assert_eq!(
        raw(&fake, "get_member_details", &input, None).await,
        (403, forbidden)
    );
    for wrong in ["Token nope", "Bearer not.a.jwt", "Basic abc", "Token"] {
        assert_eq!(
            raw(&fake, "get_member_details", &input, Some(wrong)).await,
            (401, unauthorized.clone()),
            "{wrong}"
        );
    }
}

#[tokio::test]
async fn requests_are_checked_against_the_spec() {
    let fake = FakeStamps::start().await;
    let header = format!("Token {}", fake.token());
    // A required body field missing, and one of the wrong type.
    let (status, body) = raw(
        &fake,
        "credit_balance",
        &json!({"user": 6, "amount": 5, "merchant": 14}),
        Some(&header),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"]["store"], "This field is required.", "{body}");
    let (status, body) = raw(
        &fake,
        "register_member",
        &json!({"name": "A", "merchant": "fourteen"}),
        Some(&header),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"]["merchant"], "Enter a valid value.", "{body}");
    assert_eq!(body["error_code"], "invalid_data");
    // An integer written as a float is not an integer to a server.
    let body = json!({"user": 6, "amount": 5.0, "merchant": 14, "store": 3});
    let (status, body) = raw(&fake, "credit_balance", &body, Some(&header)).await;
    assert_eq!(
        (status, &body["errors"]["amount"]),
        (400, &json!("Enter a valid value."))
    );
    // A required query parameter missing.
    let (status, body) = raw(
        &fake,
        "get_member_details",
        &json!({"user": "a@b.co"}),
        Some(&header),
    )
    .await;
    assert_eq!(
        (status, &body["errors"]["merchant"]),
        (400, &json!("This field is required."))
    );
    // The page's shape: the legacy membership page documents `errors` as a list.
    let (status, body) = raw(&fake, "get_member_status", &json!({}), Some(&header)).await;
    assert_eq!(status, 400);
    assert!(body["errors"].is_array(), "{body}");
    // A path the spec does not have, and a method it does not allow.
    assert_eq!(
        raw(&fake, "get_member_details", &json!({}), Some(&header))
            .await
            .0,
        400
    );
    let http = reqwest::Client::new();
    let missing = http
        .get(format!("{}/api/nope", fake.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let wrong_method = http
        .get(format!("{}/api/balances/credit", fake.base_url()))
        .header("authorization", &header)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status(), 405);
}

#[tokio::test]
async fn members_balances_children_and_tags_keep_state_through_the_sdk() {
    let fake = FakeStamps::start().await;
    let client = fake.client();
    let registered = client
        .register_member()
        .body_map(|b| {
            b.name("Siti Rahma")
                .email("siti@example.com")
                .mobile_number("0813-1482-2365")
                .birthday(stamps::Date::from_ymd(1991, 10, 19).unwrap())
                .gender(stamps::types::Gender::Female)
                .merchant(fake.merchant())
                .store(stamps::StoreId::new(STORE))
        })
        .send()
        .await
        .expect("registered")
        .into_inner();
    let id = registered.id.expect("an id");
    let siti = fake
        .member("siti@example.com")
        .expect("Siti is in the state");
    assert_eq!(siti.id, id);
    assert_eq!(siti.mobile.as_deref(), Some("+6281314822365"));
    assert_eq!(registered.name.as_deref(), Some("Siti Rahma"));

    let details = client
        .get_member_details()
        .user("+6281314822365")
        .merchant(fake.merchant())
        .send()
        .await
        .expect("found by mobile number")
        .into_inner();
    assert_eq!(
        details.user.as_ref().and_then(|u| u.email.as_deref()),
        Some("siti@example.com")
    );

    client
        .credit_balance()
        .body_map(|b| {
            b.user(id)
                .amount(1000)
                .merchant(fake.merchant())
                .store(STORE)
        })
        .send()
        .await
        .expect("credited");
    let debit = client
        .debit_balance()
        .body_map(|b| {
            b.user(id)
                .amount(300)
                .merchant(fake.merchant())
                .store(STORE)
        })
        .send()
        .await
        .expect("debited")
        .into_inner();
    assert_eq!(fake.balance(id), Some(700));
    assert_eq!(debit.customer.and_then(|c| c.balance), Some(700));
    let update = debit
        .balance_update
        .and_then(|u| u.id)
        .expect("an update id");
    client
        .cancel_balance_update()
        .body_map(|b| b.id(update))
        .send()
        .await
        .expect("cancelled");
    assert_eq!(fake.balance(id), Some(1000));
    let again = client
        .cancel_balance_update()
        .body_map(|b| b.id(update))
        .send()
        .await;
    assert!(matches!(again.unwrap_err(), Error::Api(_)));
    let overdraft = client
        .debit_balance()
        .body_map(|b| {
            b.user(id)
                .amount(5000)
                .merchant(fake.merchant())
                .store(STORE)
        })
        .send()
        .await;
    assert!(
        overdraft
            .unwrap_err()
            .to_string()
            .contains("Insufficient balance")
    );

    let child = client
        .add_child()
        .body_map(|b| {
            b.user(id)
                .name("Budi")
                .birthday("2015-01-02")
                .gender(stamps::types::ChildGender::M)
        })
        .send()
        .await
        .expect("a child")
        .into_inner();
    assert_eq!(fake.member(id).unwrap().children.len(), 1);
    let child_id = child.child.id.expect("the child's id");
    client
        .delete_child()
        .body_map(|b| b.child(child_id))
        .send()
        .await
        .expect("deleted");
    assert!(fake.member(id).unwrap().children.is_empty());

    let unknown = client
        .get_member_details()
        .user("nobody@example.com")
        .merchant(14)
        .send()
        .await;
    let unknown = unknown.unwrap_err();
    assert_eq!(unknown.message(), Some("User not found"), "{unknown:?}");
}

#[tokio::test]
async fn seeded_members_are_found_by_every_identifier() {
    let fake = FakeStamps::start().await;
    let alice = fake.add_member(
        NewMember::new("Alice")
            .email("alice@example.com")
            .mobile("0812-3456-7890")
            .member_id("CARD42")
            .balance(500),
    );
    for user in ["alice@example.com", "+6281234567890", "CARD42"] {
        assert_eq!(fake.member(user).map(|m| m.id), Some(alice.id), "{user}");
    }
    let status = fake
        .client()
        .get_member_status()
        .user("CARD42")
        .merchant(fake.merchant())
        .send()
        .await
        .expect("found by card")
        .into_inner();
    assert_eq!(status.balance, Some(500));
    assert_eq!(status.name.as_deref(), Some("Alice"));
}

#[tokio::test]
async fn an_injected_503_is_retried_by_the_client_and_a_post_is_not() {
    let fake = FakeStamps::start().await;
    let alice = fake.add_member(NewMember::new("Alice").email("alice@example.com"));
    let client = fake
        .client_builder()
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap();
    fake.fail_next(
        "get_member_details",
        1,
        Failure::status(503, "<h1>Service Unavailable</h1>"),
    );
    client
        .get_member_details()
        .user(alice.id)
        .merchant(14)
        .send()
        .await
        .expect("the retry succeeds");
    let statuses: Vec<u16> = fake.calls().iter().map(|c| c.status).collect();
    assert_eq!(statuses, [503, 200]);

    fake.fail_next(
        "credit_balance",
        1,
        Failure::json(503, &json!({"detail": "busy"})),
    );
    let error = client
        .credit_balance()
        .body_map(|b| b.user(alice.id).amount(5).merchant(14).store(STORE))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        fake.balance(alice.id),
        Some(0),
        "the POST was not sent again"
    );
    assert_eq!(fake.calls().len(), 3);
}

#[tokio::test]
async fn an_injected_stall_times_the_client_out_and_a_drop_is_a_connection_error() {
    let fake = FakeStamps::start().await;
    let alice = fake.add_member(NewMember::new("Alice"));
    let client = fake
        .client_builder()
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .build()
        .unwrap();
    fake.fail_next(
        "get_member_details",
        1,
        Failure::Stall(Duration::from_secs(2)),
    );
    let error = client
        .get_member_details()
        .user(alice.id)
        .merchant(14)
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");

    fake.fail_next("credit_balance", 1, Failure::Drop);
    let error = client
        .credit_balance()
        .body_map(|b| b.user(alice.id).amount(5).merchant(14).store(STORE))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    let dropped = fake.calls().into_iter().last().unwrap();
    assert_eq!(
        (dropped.operation, dropped.status),
        (Some("credit_balance"), 0)
    );
    assert_eq!(fake.balance(alice.id), Some(0));
    // The queue is used up: the next call is answered.
    client
        .credit_balance()
        .body_map(|b| b.user(alice.id).amount(5).merchant(14).store(STORE))
        .send()
        .await
        .expect("answered");
    assert_eq!(fake.balance(alice.id), Some(5));
}

#[tokio::test]
async fn calls_record_the_query_and_the_json_body() {
    let fake = FakeStamps::start().await;
    let alice = fake.add_member(NewMember::new("Alice").email("alice@example.com"));
    let client = fake.client();
    client
        .get_member_details()
        .user("alice@example.com")
        .merchant(14)
        .send()
        .await
        .unwrap();
    client
        .credit_balance()
        .body_map(|b| b.user(alice.id).amount(7).merchant(14).store(STORE))
        .send()
        .await
        .unwrap();
    let calls = fake.calls();
    assert_eq!(calls[0].operation, Some("get_member_details"));
    assert_eq!(calls[0].query_param("user"), Some("alice@example.com"));
    assert_eq!(calls[0].query_param("merchant"), Some("14"));
    assert_eq!(calls[0].body, None);
    assert_eq!(
        calls[1].body,
        Some(
            json!({"user": alice.id.get(), "amount": 7, "merchant": 14, "store": STORE, "type": "stamps"})
        )
    );
}

#[test]
#[should_panic(expected = "the spec has no operation")]
fn failures_name_a_documented_operation() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        FakeStamps::start()
            .await
            .fail_next("no_such_operation", 1, Failure::Drop);
    });
}
