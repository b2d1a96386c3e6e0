//! Shared test helpers: a mock Stamps server with typed expectations per operation,
//! and the documentation's examples read straight from `openapi/stamps.yaml`.
#![allow(dead_code, reason = "each test file uses a different subset")]

pub mod no_token;
pub mod raw_server;

use std::sync::OnceLock;

use httpmock::{Method, Mock, MockServer, When};
use serde_json::Value;
use stamps::operations;

/// A credential that looks like a real key, so that a leak is easy to grep for.
pub const TOKEN: &str = "tok_7f3a9c1e5b2d48a6b0c4e8f1a2b3c4d5";

/// A mock server and a client pointed at it.
pub struct Api {
    pub server: MockServer,
    pub client: stamps::Client,
    pub token: String,
}

impl Api {
    /// A server and a client authenticated with [`TOKEN`].
    pub async fn start() -> Self {
        Self::with_token(TOKEN).await
    }

    /// A server and a client authenticated with `token`.
    pub async fn with_token(token: &str) -> Self {
        let server = MockServer::start_async().await;
        let client = builder(&server)
            .token(token)
            .build()
            .expect("a valid test client");
        Api {
            server,
            client,
            token: token.to_owned(),
        }
    }

    /// Expects one call of `operation`: its method and path, the `Authorization`
    /// header (no `token` in the query, but where the spec copies it there), a JSON content
    /// type on POSTs, plus whatever `when` adds. Answers `status` with `body` as JSON.
    pub fn expect(
        &self,
        operation: &str,
        when: impl FnOnce(When) -> When,
        status: u16,
        body: &Value,
    ) -> Mock<'_> {
        let op = operations::find(operation).unwrap_or_else(|| panic!("no operation {operation}"));
        let body = body.to_string();
        let token = self.token.clone();
        let mock = self.server.mock(|w, then| {
            let mut w = w
                .method(if op.method == "GET" {
                    Method::GET
                } else {
                    Method::POST
                })
                .path(op.path)
                .header("authorization", format!("Token {token}"));
            // `documented_query` expects the query's copy where the spec makes one.
            if crate::common::operation(operation)["x-stamps-credential-copy"]["in"] != "query" {
                w = w.query_param_missing("token");
            }
            if op.method == "POST" {
                w = w.header("content-type", "application/json");
            }
            when(w);
            then.status(status)
                .header("content-type", "application/json")
                .body(body);
        });
        self.fail_anything_else();
        mock
    }

    /// Expects one call of `operation` sending exactly its documented request (the
    /// spec's `docs` example: a POST's JSON body, a GET's query), and answers its
    /// documented 200 (see [`Api::expect`] for what every call must carry).
    pub fn expect_documented(&self, operation: &str) -> Mock<'_> {
        let answer = response_example(operation, "200", "docs");
        let op = operations::find(operation).unwrap_or_else(|| panic!("no operation {operation}"));
        if op.method == "GET" {
            self.expect(
                operation,
                |when| documented_query(when, operation),
                200,
                &answer,
            )
        } else {
            let body = with_credential(operation, request_example(operation, "docs"));
            self.expect(operation, |when| when.json_body(body), 200, &answer)
        }
    }

    /// Answers any request no earlier mock matched with a 500 naming it, so that a
    /// wrong path or parameter fails loudly (mocks match in creation order).
    pub fn fail_anything_else(&self) -> Mock<'_> {
        self.server.mock(|when, then| {
            when.any_request();
            then.status(599).body("no mock matched this request");
        })
    }
}

/// A client builder for `server` with fast retries.
pub fn builder(server: &MockServer) -> stamps::ClientBuilder {
    stamps::Client::builder()
        .base_url(server.base_url())
        .retry_backoff(
            std::time::Duration::from_millis(1),
            std::time::Duration::from_millis(20),
        )
}

/// The spec, parsed once.
pub fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/stamps.yaml");
        let text = std::fs::read_to_string(path).expect("the spec is readable");
        serde_saphyr::from_str(&text).expect("the spec is YAML")
    })
}

/// The spec's operation object for `operation_id`.
pub fn operation(operation_id: &str) -> &'static Value {
    let op =
        operations::find(operation_id).unwrap_or_else(|| panic!("no operation {operation_id}"));
    &spec()["paths"][op.path][op.method.to_lowercase()]
}

/// Follows a `$ref` to a component, if `value` is one.
pub fn resolve(value: &'static Value) -> &'static Value {
    match value["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => spec().pointer(pointer).expect("the $ref resolves"),
        None => value,
    }
}

/// The documented request body example `name` of `operation_id`.
pub fn request_example(operation_id: &str, name: &str) -> Value {
    operation(operation_id)["requestBody"]["content"]["application/json"]["examples"][name]["value"]
        .clone()
}

/// `body` as the client sends it for `operation_id`: with the credential (the test
/// [`TOKEN`]) in the field the spec's `x-stamps-credential-copy` names, if the operation
/// copies it into its body (the KLG page's `token`).
pub fn with_credential(operation_id: &str, mut body: Value) -> Value {
    let copy = &operation(operation_id)["x-stamps-credential-copy"];
    if copy["in"] == "body"
        && let (Some(name), Some(fields)) = (copy["name"].as_str(), body.as_object_mut())
    {
        fields.insert(name.to_owned(), TOKEN.into());
    }
    body
}

/// The documented JSON response example `name` for `status` of `operation_id`
/// (following a shared `components/responses` entry).
pub fn response_example(operation_id: &str, status: &str, name: &str) -> Value {
    let response = resolve(&operation(operation_id)["responses"][status]);
    let media = &response["content"]["application/json"];
    let value = media["examples"][name]["value"].clone();
    assert!(
        !value.is_null(),
        "{operation_id} has no {status} example {name:?}"
    );
    value
}

/// Every documented JSON response example of `operation_id`: (status, name, body).
pub fn all_response_examples(operation_id: &str) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (status, response) in operation(operation_id)["responses"]
        .as_object()
        .expect("responses")
    {
        let response = resolve(response);
        if let Some(examples) = response["content"]["application/json"]["examples"].as_object() {
            for (name, example) in examples {
                all.push((status.clone(), name.clone(), example["value"].clone()));
            }
        }
    }
    all
}

/// The documented example of query parameter `name` of `operation_id`, as the query
/// string carries it.
pub fn param_example(operation_id: &str, name: &str) -> String {
    let params = operation(operation_id)["parameters"]
        .as_array()
        .expect("parameters");
    let param = params
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{operation_id} has no {name}"));
    match &param["example"] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Expects exactly the documented query of `operation_id`: every query parameter that
/// has an example in the spec, with that value, and nothing else.
pub fn documented_query(when: When, operation_id: &str) -> When {
    let params = operation(operation_id)["parameters"]
        .as_array()
        .expect("parameters");
    let documented: Vec<&str> = params
        .iter()
        .filter(|p| p["in"] == "query" && !p["example"].is_null())
        .map(|p| p["name"].as_str().expect("a parameter name"))
        .collect();
    let count = documented.len();
    let when = documented.into_iter().fold(when, |when, name| {
        when.query_param(name, param_example(operation_id, name))
    });
    // The credential, where the spec copies it into the query (the KLG page's `token`).
    let copy = &operation(operation_id)["x-stamps-credential-copy"];
    match copy["name"].as_str().filter(|_| copy["in"] == "query") {
        Some(name) => when
            .query_param(name, TOKEN)
            .query_param_count(".*", ".*", count + 1),
        None => when.query_param_count(".*", ".*", count),
    }
}

/// Serves every documented error body of `operation` and checks that `call` (any
/// valid call of it) fails with the matching kind, status, code, message and field
/// errors (compared as a set: the client's field errors are a sorted map, and an
/// example may name its fields in any order).
pub async fn assert_error_examples_decode(
    operation: &str,
    call: impl AsyncFn(&stamps::Client) -> stamps::Result<()>,
) {
    let examples: Vec<_> = all_response_examples(operation)
        .into_iter()
        .filter(|(s, _, _)| s != "200")
        .collect();
    assert!(
        !examples.is_empty(),
        "{operation} documents no error example"
    );
    for (status, name, body) in examples {
        let api = Api::start().await;
        let code: u16 = status.parse().unwrap();
        api.server.mock(|_, then| {
            then.status(code)
                .header("content-type", "application/json")
                .body(body.to_string());
        });
        let error = call(&api.client)
            .await
            .expect_err("an error status must fail the call");
        let context = format!("{operation} {status} {name}: {error:?}");
        match code {
            401 | 403 => assert!(matches!(error, stamps::Error::Unauthorized(_)), "{context}"),
            500.. => assert!(matches!(error, stamps::Error::Server(_)), "{context}"),
            _ => assert!(matches!(error, stamps::Error::Api(_)), "{context}"),
        }
        assert_eq!(error.status().map(|s| s.as_u16()), Some(code), "{context}");
        assert_eq!(
            error.code().map(|c| c.as_str()),
            body["error_code"].as_str(),
            "{context}"
        );
        let expected_message = body["error_message"].as_str().or(body["detail"].as_str());
        assert_eq!(error.message(), expected_message, "{context}");
        assert_eq!(
            error.api_error().unwrap().detail(),
            body["detail"].as_str(),
            "{context}"
        );
        let mut expected_fields: Vec<String> = match &body["errors"] {
            Value::Object(map) => map.keys().cloned().collect(),
            Value::Array(list) => list
                .iter()
                .filter_map(Value::as_object)
                .flat_map(|m| m.keys().cloned())
                .collect(),
            _ => Vec::new(),
        };
        expected_fields.sort();
        let fields: Vec<String> = error.field_errors().keys().cloned().collect();
        assert_eq!(fields, expected_fields, "{context}");
        assert!(!error.to_string().contains(&api.token), "{context}");
    }
}

/// The named example `example` (under `examples:`, not `example:`) of query parameter
/// `name` of `operation_id`, as the query string carries it.
pub fn named_param_example(operation_id: &str, name: &str, example: &str) -> String {
    let params = operation(operation_id)["parameters"]
        .as_array()
        .expect("parameters");
    let param = params
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{operation_id} has no {name}"));
    match &param["examples"][example]["value"] {
        Value::String(s) => s.clone(),
        Value::Null => panic!("{operation_id} {name} has no example {example:?}"),
        other => other.to_string(),
    }
}

/// Whether `a` and `b` are the same JSON, numbers compared by value (`2` is `2.0`):
/// the client sends a `type: number` field as a float (`50000.0`) where the docs
/// write `50000`, the same JSON number.
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// Expects a JSON body that is `expected`, numbers compared by value (see [`same_json`]).
pub fn json_body_by_value(when: When, expected: Value) -> When {
    when.is_true(move |request| {
        serde_json::from_slice::<Value>(&request.body().0)
            .is_ok_and(|body| same_json(&body, &expected))
    })
}

/// The documented text/html answer for `status` of `operation_id` (its only example).
pub fn html_example(operation_id: &str, status: &str) -> String {
    let response = resolve(&operation(operation_id)["responses"][status]);
    let examples = response["content"]["text/html"]["examples"]
        .as_object()
        .unwrap_or_else(|| panic!("{operation_id} has no text/html {status} example"));
    let [(_, example)] = examples.iter().collect::<Vec<_>>()[..] else {
        panic!("{operation_id} has several text/html {status} examples");
    };
    example["value"]
        .as_str()
        .expect("an HTML page is a string")
        .to_owned()
}
