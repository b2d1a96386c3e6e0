//! The spec-driven part of the fake: every operation of `openapi/stamps.yaml` is
//! routed, checked and answered from the spec itself, with no code of its own.
//!
//! build.rs reads the spec once (`stamps_spec::fake`) into a table this module
//! includes: per operation, its route, its documented answer and its schemas (OpenAPI
//! 3.0 converted to JSON Schema by `stamps_spec::json_schema`), the latter two as JSON
//! text. A test pays only for the operations it calls: at an operation's first call
//! (once per process), its answer is parsed and each declared parameter and the JSON
//! request body get a compiled `jsonschema` validator. Routing:
//! - its method and path template are routed (literal segments win over `{param}`s);
//! - its answer is its documented `200` example, or, for an operation whose only
//!   documented example is an error (the error-test endpoints), that error;
//! - its 400 shape is the one its page documents (see [`ErrorStyle`]).

use std::sync::OnceLock;

use serde_json::{Map, Value, json};

#[path = "../generated/fake_table.rs"]
mod table;
use table::*;

/// One operation as build.rs wrote it (see `stamps_spec::fake::render`).
struct RouteData {
    id: &'static str,
    method: &'static str,
    path: &'static str,
    /// `security: []`.
    public: bool,
    /// The `detail` of the page's legacy 400s, or `None` for the v2 shape.
    legacy_detail: Option<&'static str>,
    status: u16,
    content_type: &'static str,
    /// The documented answer, JSON.
    answer: &'static str,
    /// `{"params": [{name, in, required, array, schema}], "body": schema or null,
    /// "components": [names the schemas reach]}`, JSON.
    checks: &'static str,
}

/// The spec's operations, ready to serve.
pub(super) struct Engine {
    pub(super) routes: Vec<Route>,
    /// `{"detail": "Authentication credentials were not provided."}`, the docs' 403.
    pub(super) forbidden: Value,
    /// `{"detail": "Invalid token"}`, the docs' 401.
    pub(super) unauthorized: Value,
    /// The docs' webhook payload (`MembershipWebhook`'s example): the template of the
    /// webhooks the fake sends.
    pub(super) membership_webhook: Value,
}

/// One operation.
pub(super) struct Route {
    pub(super) id: &'static str,
    pub(super) method: &'static str,
    segments: Vec<Segment>,
    /// Whether the operation needs no `Authorization` (`security: []`).
    pub(super) public: bool,
    pub(super) style: ErrorStyle,
    data: &'static RouteData,
    /// Made at the operation's first call.
    checks: OnceLock<Checks>,
    answer: OnceLock<Answer>,
}

/// What an operation checks, compiled.
struct Checks {
    params: Vec<Param>,
    body: Option<jsonschema::Validator>,
}

enum Segment {
    Literal(&'static str),
    Param(&'static str),
}

struct Param {
    name: String,
    location: String,
    required: bool,
    array: bool,
    validator: jsonschema::Validator,
}

/// What an operation answers when nothing stateful overrides it.
#[derive(Clone, Debug)]
pub(super) struct Answer {
    pub(super) status: u16,
    /// `application/json` or `text/html`.
    pub(super) content_type: &'static str,
    pub(super) body: Value,
}

/// The shape of a 400, as the operation's page documents it.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum ErrorStyle {
    /// `{"errors": {"field": "message"}, "error_code", "error_message", "detail"}`.
    V2,
    /// `{"detail": <the page's detail>, "errors": [{"field": "message"}]}`.
    Legacy { detail: String },
}

/// The engine of this build's spec, made on first use.
pub(super) fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let parse = |text: &str| serde_json::from_str(text).expect("build.rs wrote JSON");
        Engine {
            routes: ROUTES.iter().map(Route::new).collect(),
            forbidden: parse(FORBIDDEN),
            unauthorized: parse(UNAUTHORIZED),
            membership_webhook: parse(MEMBERSHIP_WEBHOOK),
        }
    })
}

/// A request, as the engine sees it.
pub(super) struct Incoming<'a> {
    pub(super) query: &'a [(String, String)],
    pub(super) body: &'a [u8],
}

/// Why a request is refused before any state is touched.
#[derive(Debug)]
pub(super) enum Refusal {
    /// No operation has this path.
    NotFound,
    /// The path exists, not with this method.
    MethodNotAllowed,
    /// Field errors: (field, message).
    Invalid(Vec<(String, String)>),
    /// The body is not JSON.
    Malformed(String),
}

impl Engine {
    /// The route of `method` and `path`: literal paths before templated ones.
    pub(super) fn route(
        &self,
        method: &str,
        path: &str,
    ) -> Result<(&Route, Map<String, Value>), Refusal> {
        let segments: Vec<&str> = path.split('/').collect();
        let mut best: Option<(&Route, Map<String, Value>, usize)> = None;
        let mut path_exists = false;
        for route in &self.routes {
            let Some(captured) = route.capture(&segments) else {
                continue;
            };
            path_exists = true;
            if route.method != method {
                continue;
            }
            let templated = captured.len();
            if best.as_ref().is_none_or(|(_, _, t)| templated < *t) {
                best = Some((route, captured, templated));
            }
        }
        match best {
            Some((route, captured, _)) => Ok((route, captured)),
            None if path_exists => Err(Refusal::MethodNotAllowed),
            None => Err(Refusal::NotFound),
        }
    }

    /// The route of operation `id`.
    pub(super) fn find(&self, id: &str) -> Option<&Route> {
        self.routes.iter().find(|r| r.id == id)
    }
}

impl Route {
    fn new(data: &'static RouteData) -> Route {
        let segments = data
            .path
            .split('/')
            .map(
                |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => Segment::Param(name),
                    None => Segment::Literal(s),
                },
            )
            .collect();
        Route {
            id: data.id,
            method: data.method,
            segments,
            public: data.public,
            style: match data.legacy_detail {
                Some(detail) => ErrorStyle::Legacy {
                    detail: detail.to_owned(),
                },
                None => ErrorStyle::V2,
            },
            data,
            checks: OnceLock::new(),
            answer: OnceLock::new(),
        }
    }

    /// The documented answer, parsed at its first use.
    pub(super) fn answer(&self) -> &Answer {
        self.answer.get_or_init(|| Answer {
            status: self.data.status,
            content_type: self.data.content_type,
            body: serde_json::from_str(self.data.answer).expect("build.rs wrote JSON"),
        })
    }

    /// The parameters' and the body's validators, compiled at the first call.
    fn checks(&self) -> &Checks {
        self.checks.get_or_init(|| {
            let checks: Value =
                serde_json::from_str(self.data.checks).expect("build.rs wrote JSON");
            // Only the components these schemas reach: references resolve as in the
            // whole spec, and the validator indexes no more than it needs.
            let schemas: Map<String, Value> = checks["components"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .filter_map(|name| {
                    let at = COMPONENTS.binary_search_by_key(&name, |(n, _)| n).ok()?;
                    let schema =
                        serde_json::from_str(COMPONENTS[at].1).expect("build.rs wrote JSON");
                    Some((name.to_owned(), schema))
                })
                .collect();
            let components = json!({ "schemas": schemas });
            let compile = |schema: &Value| {
                let mut rooted = json!({ "allOf": [schema], "components": components });
                mark_integers(&mut rooted);
                jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft7)
                    .with_keyword(INTEGER_LITERAL, |_, _, _| Ok(Box::new(IntegerLiteral)))
                    .build(&rooted)
                    .unwrap_or_else(|e| panic!("{}: a schema does not compile: {e}", self.id))
            };
            let params = checks["params"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| Param {
                    name: p["name"].as_str().unwrap_or_default().to_owned(),
                    location: p["in"].as_str().unwrap_or_default().to_owned(),
                    required: p["required"] == true,
                    array: p["array"] == true,
                    validator: compile(&p["schema"]),
                })
                .collect();
            let body = Some(&checks["body"]).filter(|b| !b.is_null()).map(compile);
            Checks { params, body }
        })
    }

    /// The path parameters if `segments` match this route's path.
    fn capture(&self, segments: &[&str]) -> Option<Map<String, Value>> {
        if segments.len() != self.segments.len() {
            return None;
        }
        let mut captured = Map::new();
        for (template, actual) in self.segments.iter().zip(segments) {
            match template {
                Segment::Literal(literal) if literal == actual => {}
                Segment::Literal(_) => return None,
                Segment::Param(name) => {
                    let decoded = percent_decode(actual)?;
                    if decoded.is_empty() {
                        return None;
                    }
                    captured.insert((*name).to_owned(), Value::String(decoded));
                }
            }
        }
        Some(captured)
    }

    /// Checks `request` against the declared parameters and body schema; returns the
    /// path and query parameters as one object, and the body (`null` if the operation
    /// has none).
    pub(super) fn check(
        &self,
        request: &Incoming<'_>,
        captured: Map<String, Value>,
    ) -> Result<(Map<String, Value>, Value), Refusal> {
        let checks = self.checks();
        let mut input = captured;
        let mut errors = Vec::new();
        for param in &checks.params {
            let value = match param.location.as_str() {
                "path" => input.get(&param.name).cloned(),
                "query" => query_value(param, request.query),
                _ => continue,
            };
            match value {
                None if param.required => errors.push((param.name.clone(), REQUIRED.to_owned())),
                None => {}
                Some(value) => match typed(&param.validator, value) {
                    Ok(value) => {
                        input.insert(param.name.clone(), value);
                    }
                    Err(message) => errors.push((param.name.clone(), message)),
                },
            }
        }
        let mut body = Value::Null;
        if let Some(validator) = &checks.body {
            body = if request.body.iter().all(u8::is_ascii_whitespace) {
                Value::Object(Map::new())
            } else {
                serde_json::from_slice(request.body)
                    .map_err(|e| Refusal::Malformed(format!("JSON parse error - {e}")))?
            };
            errors.extend(field_errors(validator, &body));
        }
        if errors.is_empty() {
            Ok((input, body))
        } else {
            Err(Refusal::Invalid(errors))
        }
    }
}

/// JSON Schema counts `1.0` and `2.3e16` as integers; a server reading an integer
/// field does not. Every `"type": "integer"` of the fake's schemas also carries this
/// keyword, which refuses a number written with a fraction or an exponent.
const INTEGER_LITERAL: &str = "x-stamps-integer-literal";

fn mark_integers(schema: &mut Value) {
    match schema {
        Value::Object(members) => {
            if members.get("type").is_some_and(|t| {
                t == "integer"
                    || t.as_array()
                        .is_some_and(|a| a.iter().any(|t| t == "integer"))
            }) {
                members.insert(INTEGER_LITERAL.to_owned(), Value::Bool(true));
            }
            members.values_mut().for_each(mark_integers);
        }
        Value::Array(items) => items.iter_mut().for_each(mark_integers),
        _ => {}
    }
}

struct IntegerLiteral;

impl<'i> jsonschema::Keyword<'i> for IntegerLiteral {
    fn validate(&self, instance: &'i Value) -> Result<(), jsonschema::ValidationError<'i>> {
        if self.is_valid(instance) {
            Ok(())
        } else {
            Err(jsonschema::ValidationError::custom(
                "an integer is written without a fraction or exponent",
            ))
        }
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        match instance {
            Value::Number(n) => n.is_i64() || n.is_u64(),
            _ => true,
        }
    }
}

/// Django REST framework's message for a missing field, which the pages show.
pub(super) const REQUIRED: &str = "This field is required.";

/// The value of a query parameter: its repeated keys for an array, else its first.
fn query_value(param: &Param, query: &[(String, String)]) -> Option<Value> {
    let mut values = query
        .iter()
        .filter(|(k, _)| *k == param.name)
        .map(|(_, v)| Value::String(v.clone()));
    if param.array {
        let all: Vec<Value> = values.collect();
        (!all.is_empty()).then_some(Value::Array(all))
    } else {
        values.next()
    }
}

/// A query or path value is text; the schema says what it means. Each string (or
/// each item of an array) is read as JSON if that makes it valid (`14`, `true`),
/// else kept as text.
fn typed(validator: &jsonschema::Validator, value: Value) -> Result<Value, String> {
    let read = |v: &Value| match v {
        Value::String(s) => serde_json::from_str::<Value>(s)
            .ok()
            .filter(|j| j.is_number() || j.is_boolean())
            .unwrap_or_else(|| v.clone()),
        other => other.clone(),
    };
    let as_json = match &value {
        Value::Array(items) => Value::Array(items.iter().map(read).collect()),
        other => read(other),
    };
    for candidate in [as_json, value] {
        if validator.is_valid(&candidate) {
            return Ok(candidate);
        }
    }
    Err("Enter a valid value.".to_owned())
}

/// The body's errors by field: a missing required property is named itself; any
/// other error is named by the top-level field it is in.
fn field_errors(validator: &jsonschema::Validator, body: &Value) -> Vec<(String, String)> {
    if !body.is_object() {
        return vec![(
            "non_field_errors".to_owned(),
            "Invalid data. Expected a dictionary.".to_owned(),
        )];
    }
    let mut errors: Vec<(String, String)> = Vec::new();
    for error in validator.iter_errors(body) {
        let pointer = error.instance_path().to_string();
        let field = match error.kind() {
            jsonschema::error::ValidationErrorKind::Required { property } if pointer.is_empty() => {
                let name = property.as_str().unwrap_or_default().to_owned();
                (name, REQUIRED.to_owned())
            }
            _ => {
                let top = pointer
                    .trim_start_matches('/')
                    .split('/')
                    .next()
                    .unwrap_or("");
                let name = if top.is_empty() {
                    "non_field_errors"
                } else {
                    top
                };
                (name.to_owned(), "Enter a valid value.".to_owned())
            }
        };
        if !errors.iter().any(|(f, _)| *f == field.0) {
            errors.push(field);
        }
    }
    errors
}

/// `%2F` and friends; `None` for a malformed escape or non-UTF-8 result.
fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = segment.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A 400 body in `style` for field errors (the first names `error_message` and
/// `detail`, as the documented single-field examples do).
pub(super) fn error_body(style: &ErrorStyle, code: &str, errors: &[(String, String)]) -> Value {
    match style {
        ErrorStyle::V2 => {
            let mut map = Map::new();
            for (field, message) in errors {
                map.entry(field.clone())
                    .or_insert_with(|| message.clone().into());
            }
            let (field, message) = errors
                .first()
                .map(|(f, m)| (f.as_str(), m.as_str()))
                .unwrap_or(("__all__", "Invalid data"));
            json!({
                "errors": map,
                "error_code": code,
                "error_message": message,
                "detail": format!("{field}: {message}"),
            })
        }
        ErrorStyle::Legacy { detail } => {
            let errors: Vec<Value> = errors
                .iter()
                .map(|(field, message)| json!({ field: message.trim_end_matches('.') }))
                .collect();
            json!({ "detail": detail, "errors": errors })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_is_routed_to_itself() {
        let engine = engine();
        for route in &engine.routes {
            let path: String = route
                .segments
                .iter()
                .map(|s| match s {
                    Segment::Literal(l) => (*l).to_owned(),
                    Segment::Param(_) => "X".to_owned(),
                })
                .collect::<Vec<_>>()
                .join("/");
            let (found, _) = engine.route(route.method, &path).unwrap();
            assert_eq!(found.id, route.id);
        }
    }

    #[test]
    fn decodes_escapes_and_refuses_broken_ones() {
        assert_eq!(percent_decode("a%2Fb").as_deref(), Some("a/b"));
        assert_eq!(percent_decode("%2E%2E").as_deref(), Some(".."));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%4"), None);
    }

    #[test]
    fn error_bodies_take_the_page_shape() {
        let errors = [("user".to_owned(), REQUIRED.to_owned())];
        assert_eq!(
            error_body(&ErrorStyle::V2, "invalid_data", &errors),
            json!({"errors": {"user": REQUIRED}, "error_code": "invalid_data",
                   "error_message": REQUIRED, "detail": "user: This field is required."})
        );
        let legacy = ErrorStyle::Legacy {
            detail: "No.".to_owned(),
        };
        assert_eq!(
            error_body(&legacy, "invalid_data", &errors),
            json!({"detail": "No.", "errors": [{"user": "This field is required"}]})
        );
    }
}
