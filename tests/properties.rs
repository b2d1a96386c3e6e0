//! Properties, checked on generated inputs (`proptest`, modest case counts):
//!
//! - decoding never panics: arbitrary bytes and arbitrary JSON fed to every response
//!   type the spec names, and arbitrary answers with any status served to a call;
//! - every response the spec allows decodes;
//! - every `UserRef` that parses round-trips through its string form (and serde);
//! - every JSON body the client sends validates against the spec's request schema;
//! - no request of any operation carries the credential anywhere but the
//!   `Authorization` header: not in a query string, a path or a JSON body.
//!
//! The spec is read here (`openapi/stamps.yaml`), converted from OpenAPI 3.0 to JSON
//! Schema (`nullable`, `format: int64` bounds, `$ref` into `components`), and both
//! drives the generators and judges their results, so a new operation or response
//! type is covered, or the test naming the gap fails.
#![allow(
    deprecated,
    reason = "the legacy (v1) operations are tested as documented"
)]

use crate::common;
use crate::common::no_token;
use crate::common::raw_server;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::TOKEN;
use no_token::assert_no_token;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use raw_server::{RawServer, Reply, response};
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value, json};
use stamps::operations::OPERATIONS;
use stamps::{Error, UserRef, types};

fn config(cases: u32) -> Config {
    Config {
        cases,
        // Failures print their minimal input; no regression files in the tree.
        failure_persistence: None,
        ..Config::default()
    }
}

// ---- The spec as JSON Schema ---------------------------------------------------------

/// The spec's `components/schemas`.
fn schemas() -> &'static Map<String, Value> {
    common::spec()["components"]["schemas"]
        .as_object()
        .expect("components/schemas")
}

/// The name of the component a `{"$ref": "#/components/schemas/X"}` points to.
fn ref_name(schema: &Value) -> Option<&str> {
    schema["$ref"]
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

/// Keywords of OpenAPI 3.0 that JSON Schema does not have.
const OPENAPI_ONLY: &[&str] = &[
    "nullable",
    "example",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "deprecated",
];

/// An OpenAPI 3.0 schema as JSON Schema (draft 7): `nullable: true` adds `null` to
/// the type (or the enum, or wraps the schema in `anyOf`); `format: int64`/`int32`
/// become bounds; OpenAPI-only keywords go. Only schema-valued keywords are walked, so
/// a property named like a keyword is left alone.
fn to_json_schema(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        let converted = match key.as_str() {
            k if OPENAPI_ONLY.contains(&k) => continue,
            "properties" => Value::Object(
                value
                    .as_object()
                    .expect("properties is a map")
                    .iter()
                    .map(|(name, s)| (name.clone(), to_json_schema(s)))
                    .collect(),
            ),
            "items" | "additionalProperties" | "not" => to_json_schema(value),
            "allOf" | "oneOf" | "anyOf" => Value::Array(
                value
                    .as_array()
                    .expect("a list of schemas")
                    .iter()
                    .map(to_json_schema)
                    .collect(),
            ),
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    let bounds = match map.get("format").and_then(Value::as_str) {
        Some("int64") => Some((json!(i64::MIN), json!(i64::MAX))),
        Some("int32") => Some((json!(i32::MIN), json!(i32::MAX))),
        _ => None,
    };
    if let Some((min, max)) = bounds {
        out.entry("minimum").or_insert(min);
        out.entry("maximum").or_insert(max);
    }
    assert!(
        !out.contains_key("exclusiveMinimum") && !out.contains_key("exclusiveMaximum"),
        "OpenAPI 3.0's boolean exclusive bounds need converting"
    );
    if map.get("nullable") == Some(&Value::Bool(true)) {
        if let Some(Value::Array(values)) = out.get_mut("enum") {
            values.push(Value::Null);
        }
        match out.remove("type") {
            Some(Value::String(t)) => {
                out.insert("type".into(), json!([t, "null"]));
            }
            Some(other) => panic!("unexpected type {other}"),
            None => return json!({"anyOf": [Value::Object(out), {"type": "null"}]}),
        }
    }
    Value::Object(out)
}

/// A validator for component `name`, its `$ref`s resolved in the converted spec.
fn validator(name: &str) -> jsonschema::Validator {
    let components: Map<String, Value> = schemas()
        .iter()
        .map(|(k, v)| (k.clone(), to_json_schema(v)))
        .collect();
    let root = json!({
        "allOf": [{"$ref": format!("#/components/schemas/{name}")}],
        "components": {"schemas": components},
    });
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("the JSON Schema of {name} does not compile: {e}"))
}

fn validation_errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn the_conversion_handles_nullable_and_int64() {
    let converted = to_json_schema(&json!({
        "type": "object",
        "properties": {
            "a": {"type": "string", "nullable": true, "example": "x"},
            "b": {"type": "integer", "format": "int64", "minimum": 1},
            "nullable": {"oneOf": [{"type": "integer"}], "nullable": true},
            "c": {"type": "string", "enum": ["m", "f"], "nullable": true},
        },
    }));
    assert_eq!(
        converted,
        json!({
            "type": "object",
            "properties": {
                "a": {"type": ["string", "null"]},
                "b": {"type": "integer", "format": "int64", "minimum": 1, "maximum": i64::MAX},
                "nullable": {"anyOf": [{"oneOf": [{"type": "integer"}]}, {"type": "null"}]},
                "c": {"type": ["string", "null"], "enum": ["m", "f", null]},
            },
        })
    );
    let user = validator("User");
    assert!(user.is_valid(&json!({"id": "8120", "email": null, "gender": 2})));
    assert!(!user.is_valid(&json!({"id": true})));
    let balance = validator("BalanceUpdateRequest");
    let ok = json!({"user": 1, "amount": 5, "merchant": 14, "store": 3});
    assert!(balance.is_valid(&ok));
    for bad in [
        json!({"user": 1, "amount": 0, "merchant": 14, "store": 3}),
        json!({"user": 0, "amount": 5, "merchant": 14, "store": 3}),
        json!({"user": 1, "amount": u64::MAX, "merchant": 14, "store": 3}),
        json!({"user": 1, "amount": 5, "merchant": 14}),
        json!({"user": 1, "amount": 5, "merchant": 14, "store": 3, "type": "points"}),
    ] {
        assert!(!balance.is_valid(&bad), "{bad}");
    }
}

// ---- Generators driven by the spec ---------------------------------------------------

/// Requests: what a caller gives a builder (the SDK adds `token`). Responses: what the
/// server may answer, with unknown fields mixed in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    Request,
    Response,
}

/// Arbitrary JSON, a few levels deep.
fn any_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

fn text(min: usize) -> BoxedStrategy<String> {
    prop::collection::vec(any::<char>(), min..min + 16)
        .prop_map(String::from_iter)
        .boxed()
}

fn real_date() -> BoxedStrategy<Value> {
    (1900i32..2100, 1u32..=12, 1u32..=31)
        .prop_filter_map("a real date", |(y, m, d)| {
            chrono::NaiveDate::from_ymd_opt(y, m, d).map(|d| Value::from(d.to_string()))
        })
        .boxed()
}

fn email() -> BoxedStrategy<String> {
    "[a-z0-9]{1,6}([._+-][a-z0-9]{1,6}){0,2}@[a-z0-9]{1,8}(-[a-z0-9]{1,8})?\\.(com|co\\.id|id|org)"
        .prop_map(String::from)
        .boxed()
}

/// Strings `UserRef` accepts, of every kind: emails, mobile numbers (E.164 and
/// Indonesian local forms, with separators), member ids, primary keys in digits.
fn user_ref_text() -> BoxedStrategy<String> {
    prop_oneof![
        email(),
        "\\+[1-9][0-9]{7,13}".prop_map(String::from),
        "08[0-9]{8,11}".prop_map(String::from),
        "628[0-9]{8,11}".prop_map(String::from),
        "\\+62 8[0-9]{2}-[0-9]{4}-[0-9]{4}".prop_map(String::from),
        "[A-Z0-9]{1,16}".prop_map(String::from),
        "[1-9][0-9]{0,8}".prop_map(String::from),
        "[^@+\\s]{1,16}".prop_map(String::from),
    ]
    .prop_filter("parses", |s| s.parse::<UserRef>().is_ok())
    .boxed()
}

/// A value for component `name`, if the SDK replaces its type (build.rs's
/// `REPLACEMENTS`) and so takes a narrower set than the spec: ids are unsigned and
/// numeric strings are digits (`ids.rs`), identifiers are what `UserRef` parses, dates
/// are real dates (`date.rs`), the legacy gender is sent lowercase.
fn replaced(name: &str) -> Option<BoxedStrategy<Value>> {
    let non_negative = (0..=i64::MAX).prop_map(Value::from).boxed();
    Some(match name {
        "UserIdentifier" => prop_oneof![
            (1..=i64::MAX).prop_map(Value::from),
            user_ref_text().prop_map(Value::from),
        ]
        .boxed(),
        "UserId" | "BalanceUpdateId" => {
            prop_oneof![non_negative, "[0-9]{1,18}".prop_map(Value::from),].boxed()
        }
        "MerchantId" | "StoreId" | "ChildId" | "PetId" => non_negative,
        "Date" => real_date(),
        "DateTime" => (real_date(), 0u32..24, 0u32..60, 0u32..60, -12i32..=14)
            .prop_map(|(date, h, m, sec, offset)| {
                let sign = if offset < 0 { '-' } else { '+' };
                Value::from(format!(
                    "{}T{h:02}:{m:02}:{sec:02}{sign}{:02}",
                    date.as_str().unwrap(),
                    offset.abs()
                ))
            })
            .boxed(),
        "RewardRef" => prop_oneof![
            (1..=i64::MAX).prop_map(Value::from),
            "[A-Za-z0-9][A-Za-z0-9_-]{0,15}".prop_map(Value::from),
        ]
        .boxed(),
        "LegacyGender" => prop::sample::select(vec!["male", "female"])
            .prop_map(Value::from)
            .boxed(),
        _ => return None,
    })
}

/// Values of `schema`, as the spec allows them (narrowed by [`replaced`]).
fn values(schema: &Value, side: Side) -> BoxedStrategy<Value> {
    if let Some(name) = ref_name(schema) {
        return replaced(name).unwrap_or_else(|| values(&schemas()[name], side));
    }
    let nullable = schema["nullable"] == true;
    let strategy = non_null_values(schema, side);
    if nullable {
        prop_oneof![1 => Just(Value::Null), 4 => strategy].boxed()
    } else {
        strategy
    }
}

fn non_null_values(schema: &Value, side: Side) -> BoxedStrategy<Value> {
    if let Some(choices) = schema["enum"].as_array() {
        return prop::sample::select(choices.clone()).boxed();
    }
    if let Some(all) = schema["allOf"].as_array() {
        assert_eq!(all.len(), 1, "allOf with several schemas: {schema}");
        return values(&all[0], side);
    }
    if let Some(one) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        let branches: Vec<_> = one.iter().map(|s| values(s, side)).collect();
        return proptest::strategy::Union::new(branches).boxed();
    }
    match schema["type"].as_str() {
        Some("string") => match schema["format"].as_str() {
            Some("email") => email().prop_map(Value::from).boxed(),
            Some("date") => real_date(),
            _ if schema["pattern"].is_string() => {
                let pattern = schema["pattern"].as_str().unwrap();
                let pattern = pattern.trim_start_matches('^').trim_end_matches('$');
                proptest::string::string_regex(pattern)
                    .unwrap_or_else(|e| panic!("no generator for pattern {pattern}: {e}"))
                    .prop_map(Value::from)
                    .boxed()
            }
            _ => text(schema["minLength"].as_u64().unwrap_or(0) as usize)
                .prop_map(Value::from)
                .boxed(),
        },
        Some("integer") => {
            let min = schema["minimum"].as_i64().unwrap_or(i64::MIN);
            let max = schema["maximum"].as_i64().unwrap_or(i64::MAX);
            (min..=max).prop_map(Value::from).boxed()
        }
        Some("boolean") => any::<bool>().prop_map(Value::from).boxed(),
        Some("number") => {
            let min = schema["minimum"].as_f64().unwrap_or(-1e12);
            let max = schema["maximum"].as_f64().unwrap_or(1e12);
            (min..=max).prop_map(Value::from).boxed()
        }
        Some("array") => {
            let min = schema["minItems"].as_u64().unwrap_or(0) as usize;
            prop::collection::vec(values(&schema["items"], side), min..min + 4)
                .prop_map(Value::Array)
                .boxed()
        }
        Some("object") => objects(schema, side),
        None if schema.get("properties").is_some() => objects(schema, side),
        // A schema with a description only: anything.
        None => any_json(),
        Some(other) => panic!("no generator for type {other}"),
    }
}

fn objects(schema: &Value, side: Side) -> BoxedStrategy<Value> {
    let required: BTreeSet<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut fields: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        // The caller never gives `token`: the client adds it where documented.
        if side == Side::Request && property["$ref"] == "#/components/schemas/Token" {
            continue;
        }
        let is_required = required.contains(name.as_str());
        let name = name.clone();
        let value = values(property, side).prop_map(move |v| (name.clone(), v));
        fields.push(if is_required {
            value.prop_map(Some).boxed()
        } else {
            prop::option::of(value).boxed()
        });
    }
    let extra = match (&schema["additionalProperties"], side) {
        (Value::Bool(true), _) => {
            prop::collection::btree_map("[a-z_]{1,8}", any_json(), 0..4).boxed()
        }
        // Responses are open: unknown fields must be ignored.
        (Value::Null, Side::Response) => {
            prop::collection::btree_map("x_unknown_[a-z]{1,4}", any_json(), 0..2).boxed()
        }
        _ => Just(BTreeMap::new()).boxed(),
    };
    (fields, extra)
        .prop_map(|(fields, extra)| {
            let mut object: Map<String, Value> = extra.into_iter().collect();
            object.extend(fields.into_iter().flatten());
            Value::Object(object)
        })
        .boxed()
}

/// Keys of a JSON object in the order they appear, duplicates kept.
struct Keys(Vec<String>);

impl<'de> serde::Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeysVisitor;
        impl<'de> Visitor<'de> for KeysVisitor {
            type Value = Keys;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                let mut keys = Vec::new();
                while let Some((key, IgnoredAny)) = map.next_entry::<String, IgnoredAny>()? {
                    keys.push(key);
                }
                Ok(Keys(keys))
            }
        }
        deserializer.deserialize_map(KeysVisitor)
    }
}

// ---- Decoding never panics -----------------------------------------------------------

/// Decodes bytes as one response type: `Ok(())` or the error's message.
type Decoder = fn(&[u8]) -> Result<(), String>;

macro_rules! decoders {
    ($($name:ident),* $(,)?) => {
        /// Every response type of the spec (200 answers and the JSON error body), by
        /// schema name; `the_generated_tables_cover_every_operation` checks the list.
        const DECODERS: &[(&str, Decoder)] = &[$(
            (stringify!($name), |bytes| {
                serde_json::from_slice::<types::$name>(bytes)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }),
        )*];
    };
}

/// The component names of every JSON response schema in the spec.
fn response_schema_names() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for op in OPERATIONS {
        for response in common::operation(op.id)["responses"]
            .as_object()
            .unwrap()
            .values()
        {
            let schema = &common::resolve(response)["content"]["application/json"]["schema"];
            if !schema.is_null() {
                let name = ref_name(schema).expect("response schemas are components");
                names.insert(name.to_owned());
            }
        }
    }
    names
}

#[test]
fn arbitrary_bytes_never_panic_any_decoder() {
    let mut runner = TestRunner::new(config(256));
    let bytes = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        // Mostly JSON punctuation, to get past the first byte.
        prop::collection::vec(
            prop::sample::select(b"{}[]\":,0123456789.eE+-tfnul \\".to_vec()),
            0..256
        ),
    ];
    runner
        .run(&bytes, |bytes| {
            for (_, decode) in DECODERS {
                let _ = decode(&bytes);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn arbitrary_json_never_panics_any_decoder() {
    let mut runner = TestRunner::new(config(256));
    runner
        .run(&any_json(), |value| {
            let bytes = serde_json::to_vec(&value).unwrap();
            for (_, decode) in DECODERS {
                let _ = decode(&bytes);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn every_response_the_spec_allows_decodes_and_nearly_valid_ones_do_not_panic() {
    for (name, decode) in DECODERS {
        let schema = json!({"$ref": format!("#/components/schemas/{name}")});
        let validator = validator(name);
        // A valid answer, and the same answer with one field's value replaced by
        // anything.
        let strategy = (
            values(&schema, Side::Response),
            any_json(),
            any::<prop::sample::Index>(),
        );
        let mut runner = TestRunner::new(config(64));
        runner
            .run(&strategy, |(value, junk, index)| {
                let errors = validation_errors(&validator, &value);
                prop_assert!(
                    errors.is_empty(),
                    "the generator made an invalid {name}: {errors:?}\n{value}"
                );
                let bytes = serde_json::to_vec(&value).unwrap();
                decode(&bytes).map_err(|e| {
                    TestCaseError::fail(format!("a valid {name} does not decode: {e}\n{value}"))
                })?;
                let mut broken = value.clone();
                if let Value::Object(map) = &mut broken
                    && !map.is_empty()
                {
                    let key = map.keys().nth(index.index(map.len())).unwrap().clone();
                    map.insert(key, junk);
                }
                let _ = decode(&serde_json::to_vec(&broken).unwrap());
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// Serves whatever `reply` holds, closing the connection after each answer.
struct Stage {
    server: RawServer,
    reply: Arc<Mutex<Vec<u8>>>,
}

impl Stage {
    async fn start() -> Self {
        let reply = Arc::new(Mutex::new(Vec::new()));
        let shared = reply.clone();
        let server =
            RawServer::start(move |_| Reply::SendAndClose(shared.lock().unwrap().clone())).await;
        Stage { server, reply }
    }
}

const STATUSES: &[u16] = &[
    200, 201, 202, 204, 301, 302, 303, 307, 308, 400, 401, 403, 404, 405, 409, 418, 422, 429, 500,
    502, 503, 504, 599,
];

/// Error-body-like JSON objects whose fields have any type.
fn error_like_json() -> BoxedStrategy<Value> {
    (
        prop::option::of(any_json()),
        prop::option::of(any_json()),
        prop::option::of(any_json()),
        prop::option::of(any_json()),
    )
        .prop_map(|(code, message, detail, errors)| {
            let mut map = Map::new();
            for (key, value) in [
                ("error_code", code),
                ("error_message", message),
                ("detail", detail),
                ("errors", errors),
            ] {
                if let Some(value) = value {
                    map.insert(key.to_owned(), value);
                }
            }
            Value::Object(map)
        })
        .boxed()
}

#[test]
fn any_answer_with_any_status_gives_an_error_that_matches_it_never_a_panic() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let stage = runtime.block_on(Stage::start());
    let client = stamps::Client::builder()
        .token(TOKEN)
        .base_url(stage.server.url())
        .timeout(Duration::from_secs(5))
        .max_retries(0)
        .build()
        .unwrap();
    let body = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..300),
        any_json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        error_like_json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
    ];
    let strategy = (prop::sample::select(STATUSES), body);
    let mut runner = TestRunner::new(config(192));
    runner
        .run(&strategy, |(status, body)| {
            // `connection: close`, or the client could reuse the connection just as the
            // server closes it (and rightly not resend the POST).
            *stage.reply.lock().unwrap() = response(status, &[("connection", "close")], &body);
            let outcome = runtime.block_on(async {
                client
                    .credit_balance()
                    .body_map(|b| b.user(1).amount(5u64).merchant(14).store(3))
                    .send()
                    .await
            });
            let error = match (status, outcome) {
                (200, Ok(_)) => return Ok(()),
                (_, Ok(_)) => return Err(TestCaseError::fail(format!("{status} succeeded"))),
                (_, Err(error)) => error,
            };
            assert_no_token(&error);
            prop_assert!(!error.to_string().is_empty());
            prop_assert_eq!(
                error.status().map(|s| s.as_u16()),
                Some(status),
                "{:?}",
                error
            );
            let is_object = matches!(serde_json::from_slice::<Value>(&body), Ok(Value::Object(_)));
            let kind_ok = match status {
                200 => matches!(error, Error::Decode { .. }),
                401 | 403 => matches!(error, Error::Unauthorized(_)),
                400..=499 if is_object => matches!(error, Error::Api(_)),
                400..=599 => matches!(error, Error::Server(_)),
                _ => matches!(error, Error::UnexpectedStatus { .. }),
            };
            prop_assert!(
                kind_ok,
                "{} with {:?}: {:?}",
                status,
                String::from_utf8_lossy(&body),
                error
            );
            Ok(())
        })
        .unwrap();
}

// ---- UserRef round-trips -------------------------------------------------------------

#[test]
fn every_user_ref_that_parses_round_trips_through_its_string_form_and_serde() {
    let mut runner = TestRunner::new(config(256));
    let input = prop_oneof![
        any::<String>(),
        user_ref_text(),
        // With the padding and separators people type.
        (user_ref_text(), "[ \t]{0,2}", "[ \t]{0,2}").prop_map(|(s, a, b)| format!("{a}{s}{b}")),
        "[0-9]{1,20}".prop_map(String::from),
    ];
    runner
        .run(&input, |text| {
            let parsed = match text.parse::<UserRef>() {
                Ok(parsed) => parsed,
                Err(error) => {
                    assert_no_token(&error);
                    prop_assert!(matches!(error, Error::InvalidInput { .. }), "{:?}", error);
                    return Ok(());
                }
            };
            let shown = parsed.to_string();
            let again = shown.parse::<UserRef>().map_err(|e| {
                TestCaseError::fail(format!(
                    "{text:?} parsed as {parsed:?}, shown as {shown:?}, which does not parse: {e}"
                ))
            })?;
            prop_assert_eq!(&again, &parsed, "{:?} shown as {:?}", text, shown);
            let json = serde_json::to_value(&parsed).unwrap();
            let back: UserRef = serde_json::from_value(json.clone())
                .map_err(|e| TestCaseError::fail(format!("{json} does not decode: {e}")))?;
            prop_assert_eq!(&back, &parsed, "through {}", json);
            Ok(())
        })
        .unwrap();
}

// ---- What the client sends validates against the spec -------------------------------

/// Sends `body` (a JSON value, decoded into the operation's typed body first) with
/// operation `op`'s builder. `Err` when the typed body refuses the value.
type Send = for<'a> fn(
    &'a stamps::Client,
    Value,
) -> std::pin::Pin<Box<dyn Future<Output = Result<(), String>> + 'a>>;

macro_rules! posts {
    ($($op:ident: $body:ident),* $(,)?) => {
        /// Every POST operation, its request body's schema name, and how to send it.
        const POSTS: &[(&str, &str, Send)] = &[$(
            (stringify!($op), stringify!($body), |client, value| Box::pin(async move {
                let body: types::$body = serde_json::from_value(value)
                    .map_err(|e| format!("the typed body refuses it: {e}"))?;
                // The answer (a 400) does not matter here, only what was sent.
                if let Err(error) = client.$op().body(body).send().await {
                    assert_no_token(&Error::from(error));
                }
                Ok(())
            })),
        )*];
    };
}

/// The component name of operation `op`'s JSON request body.
fn request_schema_name(op: &str) -> Option<String> {
    let schema = &common::operation(op)["requestBody"]["content"]["application/json"]["schema"];
    ref_name(schema).map(str::to_owned)
}

/// The tables build.rs generates agree with this file's own reading of the spec: every
/// POST with its body's schema, every GET, every response schema.
#[test]
fn the_generated_tables_cover_every_operation() {
    let posts: BTreeMap<String, String> = POSTS
        .iter()
        .map(|(op, body, _)| ((*op).to_owned(), (*body).to_owned()))
        .collect();
    let bodies: BTreeMap<String, String> = OPERATIONS
        .iter()
        .filter_map(|op| Some((op.id.to_owned(), request_schema_name(op.id)?)))
        .collect();
    assert_eq!(posts, bodies);
    let gets: BTreeSet<&str> = GETS.iter().map(|(op, _)| *op).collect();
    let in_spec: BTreeSet<&str> = OPERATIONS
        .iter()
        .filter(|op| op.method == "GET")
        .map(|op| op.id)
        .collect();
    assert_eq!(gets, in_spec);
    let decoders: BTreeSet<String> = DECODERS.iter().map(|(n, _)| (*n).to_owned()).collect();
    assert_eq!(decoders, response_schema_names());
}

#[test]
fn every_body_the_client_sends_validates_against_the_spec() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(RawServer::always(Reply::Send(raw_server::json(
        400,
        r#"{"detail": "recorded"}"#,
    ))));
    let client = stamps::Client::builder()
        .token(TOKEN)
        .base_url(server.url())
        .max_retries(0)
        .build()
        .unwrap();
    let sent = std::sync::atomic::AtomicUsize::new(0);
    let authorization = format!("Token {TOKEN}");
    for (op, body_schema, send) in POSTS {
        let validator = validator(body_schema);
        let schema = json!({"$ref": format!("#/components/schemas/{body_schema}")});
        let mut runner = TestRunner::new(config(24));
        runner
            .run(&values(&schema, Side::Request), |input| {
                let before = server.requests().len();
                runtime
                    .block_on(send(&client, input.clone()))
                    .map_err(|e| TestCaseError::fail(format!("{input}: {e}")))?;
                let requests = server.requests();
                prop_assert_eq!(requests.len(), before + 1, "one request per call");
                let request = requests.last().unwrap();
                let keys = serde_json::from_slice::<Keys>(&request.body)
                    .map_err(|e| TestCaseError::fail(format!("not a JSON object: {e}")))?
                    .0;
                let unique: BTreeSet<&String> = keys.iter().collect();
                prop_assert_eq!(unique.len(), keys.len(), "duplicate keys: {:?}", keys);
                let body = request.json();
                let errors = validation_errors(&validator, &body);
                prop_assert!(
                    errors.is_empty(),
                    "the client sent a body the spec refuses: {:?}\ninput: {}\nsent: {}",
                    errors,
                    input,
                    body
                );
                prop_assert!(!request.target().contains(TOKEN), "{}", request.target());
                let copy = &common::operation(op)["x-stamps-credential-copy"];
                if copy["in"] == "body" {
                    // The page wants the key in the body too (KLG): there, as `token`.
                    prop_assert_eq!(&body[copy["name"].as_str().unwrap()], &json!(TOKEN));
                } else {
                    // No `token` field but the access-token exchange's own, the caller's input.
                    prop_assert_eq!(body.get("token").cloned(), input.get("token").cloned());
                    // The credential only in the header: not in the URL, not in the body.
                    prop_assert!(
                        !String::from_utf8_lossy(&request.body).contains(TOKEN),
                        "{} sent the credential in its body",
                        op
                    );
                }
                // `security: []` (the token exchange): its credential is its body.
                let unauthenticated = common::operation(op)["security"] == json!([]);
                let expected_header = (!unauthenticated).then_some(authorization.as_str());
                prop_assert_eq!(request.header("authorization"), expected_header);
                prop_assert_eq!(request.header("content-type"), Some("application/json"));
                sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{op}: {e}"));
    }
    assert_eq!(sent.into_inner(), POSTS.len() * 24);
}

/// Every GET operation, called with its required parameters (the spec's examples).
type Get = for<'a> fn(&'a stamps::Client) -> std::pin::Pin<Box<dyn Future<Output = ()> + 'a>>;

macro_rules! gets {
    ($($op:ident => |$c:ident| $call:expr),* $(,)?) => {
        const GETS: &[(&str, Get)] = &[$(
            (stringify!($op), |$c| Box::pin(async move {
                // The answer (a 400) does not matter here, only what was sent.
                if let Err(error) = $call.send().await {
                    assert_no_token(&Error::from(error));
                }
            })),
        )*];
    };
}

// `posts!`, `gets!` and `decoders!` for every operation of the spec, generated by build.rs
// (`stamps_codegen::test_tables`): a new operation is covered without an edit here.
include!(concat!(env!("OUT_DIR"), "/test_tables.rs"));

/// No GET carries the credential in its URL (path or query) or a body: only in the
/// `Authorization` header, but where the spec copies it into the query too
/// (`x-stamps-credential-copy`). (The POSTs are checked by
/// `every_body_the_client_sends_validates_against_the_spec`.)
#[test]
fn no_get_carries_the_credential_but_in_its_header() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(RawServer::always(Reply::Send(raw_server::json(
        400,
        r#"{"detail": "recorded"}"#,
    ))));
    for (scheme, client) in [
        ("Token", stamps::Client::builder().token(TOKEN)),
        ("Bearer", stamps::Client::builder().bearer(TOKEN)),
    ] {
        let client = client
            .base_url(server.url())
            .max_retries(0)
            .build()
            .unwrap();
        for (op, call) in GETS {
            let before = server.requests().len();
            runtime.block_on(call(&client));
            let requests = server.requests();
            assert_eq!(requests.len(), before + 1, "{op}: one request");
            let request = requests.last().unwrap();
            assert_eq!(request.method(), "GET", "{op}");
            let copy = &common::operation(op)["x-stamps-credential-copy"];
            if copy["in"] == "query" {
                // The page wants the key in the query too (KLG's one GET): there alone.
                let name = copy["name"].as_str().unwrap();
                assert_eq!(request.query_param(name).as_deref(), Some(TOKEN), "{op}");
            } else {
                assert!(
                    !request.target().contains(TOKEN),
                    "{op} sent the credential in its URL: {}",
                    request.target()
                );
                assert_eq!(request.query_param("token"), None, "{op}");
            }
            assert!(request.body.is_empty(), "{op} sent a body");
            let authorization = format!("{scheme} {TOKEN}");
            assert_eq!(
                request.header("authorization"),
                Some(authorization.as_str()),
                "{op}"
            );
            // Outside the header and the request line, where a copy checked above may be.
            let elsewhere = request
                .head
                .lines()
                .skip(usize::from(copy["in"] == "query"))
                .filter(|line| !line.to_ascii_lowercase().starts_with("authorization:"))
                .any(|line| line.contains(TOKEN));
            assert!(
                !elsewhere,
                "{op} sent the credential outside the header:\n{}",
                request.head
            );
        }
    }
}

/// Builder inputs the spec refuses are refused before sending: a customer primary
/// key of 0 (`UserIdentifier` has `minimum: 1`) and ids above `i64::MAX` (`format:
/// int64`). (Not yet: amounts above `i64::MAX`, which typify types as `NonZeroU64`,
/// and `format: email` on plain string fields, which nothing checks.)
#[tokio::test]
async fn out_of_spec_builder_inputs_are_refused_before_sending() {
    let server = RawServer::always(Reply::Send(raw_server::json(400, "{}"))).await;
    let client = stamps::Client::builder()
        .token(TOKEN)
        .base_url(server.url())
        .build()
        .unwrap();
    let zero_user = client
        .credit_balance()
        .body_map(|b| b.user(0).amount(5u64).merchant(14).store(3))
        .send()
        .await;
    let huge_merchant = client
        .get_member_status()
        .user(1)
        .merchant(u64::MAX)
        .send()
        .await;
    for (what, error) in [
        ("user 0", zero_user.map(|_| ())),
        ("merchant u64::MAX", huge_merchant.map(|_| ())),
    ] {
        assert!(
            matches!(error, Err(Error::InvalidInput { .. })),
            "{what}: {error:?}"
        );
    }
    assert!(server.requests().is_empty());
}
