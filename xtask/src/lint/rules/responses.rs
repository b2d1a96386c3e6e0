//! Rules on responses: one JSON success type, the documented error statuses
//! with the shared error schema, and nothing progenitor cannot generate.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::lint::spec::Operation;
use crate::lint::walk::{Kind, walk};
use crate::lint::{Issue, Spec};
use crate::yaml_positions::escape;

/// The error statuses the Stamps documentation lists for every call.
pub const DOCUMENTED_ERRORS: &[&str] = &["400", "401", "403", "405", "500", "502", "503", "504"];

/// The schema every JSON error body must have.
pub const ERROR_SCHEMA: &str = "/components/schemas/ErrorBody";

/// What a response gives progenitor to generate: the `application/json`
/// schema (by identity), a body of another type, or no body. progenitor
/// requires one of these across all success statuses, and one across all
/// error statuses.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Body {
    /// A JSON body: the pointer of the named schema it ends at, or the
    /// inline schema's JSON text.
    Json(String),
    /// `application/json` without a schema (progenitor panics on it).
    JsonWithoutSchema,
    /// Content, but none of it `application/json`.
    Raw,
    NoContent,
}

impl Body {
    fn describe(&self) -> String {
        match self {
            Body::Json(id) if id.starts_with('/') => format!("`#{id}`"),
            Body::Json(_) => "an inline schema".to_owned(),
            Body::JsonWithoutSchema => "`application/json` without a schema".to_owned(),
            Body::Raw => "no `application/json` content".to_owned(),
            Body::NoContent => "no content".to_owned(),
        }
    }
}

/// One response of an operation.
struct Response<'a> {
    status: &'a str,
    /// Pointer of the entry under the operation's `responses`.
    pointer: String,
    /// Pointer of the Response Object (the `$ref` target, or `pointer`).
    target: String,
    /// Pointer of its `application/json` schema, if any.
    schema_pointer: Option<String>,
    body: Body,
}

/// The responses of `op`, `$ref`s resolved; unresolvable ones are skipped
/// (`ref-resolves` reports them).
fn responses<'a>(spec: &'a Spec, op: &Operation<'a>) -> Vec<Response<'a>> {
    let mut out = Vec::new();
    for (status, entry) in op.responses().into_iter().flatten() {
        if status.starts_with("x-") {
            continue;
        }
        let pointer = format!("{}/responses/{}", op.pointer, escape(status));
        let Some((target, response)) = spec.resolve(entry) else {
            continue;
        };
        let target = target.unwrap_or_else(|| pointer.clone());
        let content = response.get("content").and_then(Value::as_object);
        let json = content.and_then(|c| {
            c.iter()
                .find(|(k, _)| *k == "application/json" || k.starts_with("application/json;"))
        });
        let (schema_pointer, body) = match (content, json) {
            (_, Some((media, m))) => {
                let at = format!("{target}/content/{}/schema", escape(media));
                match m.get("schema") {
                    None => (None, Body::JsonWithoutSchema),
                    Some(schema) => (Some(at), Body::Json(identity(spec, schema))),
                }
            }
            (Some(c), None) if !c.is_empty() => (None, Body::Raw),
            _ => (None, Body::NoContent),
        };
        out.push(Response {
            status,
            pointer,
            target,
            schema_pointer,
            body,
        });
    }
    out
}

/// What progenitor sees as the type of `schema`: the schema a chain of
/// `$ref`s ends at, or the inline schema itself.
fn identity(spec: &Spec, schema: &Value) -> String {
    match spec.resolve(schema) {
        Some((Some(target), _)) => target,
        _ => schema.to_string(),
    }
}

fn is_success(status: &str) -> bool {
    status == "2XX" || status == "101" || (status.len() == 3 && status.starts_with('2'))
}

fn is_error(status: &str) -> bool {
    status.starts_with('4') || status.starts_with('5')
}

/// `success-response`: every operation has a 2xx response with an
/// `application/json` schema (the type the client method returns).
pub fn success_response(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    for op in spec.operations() {
        let rs = responses(spec, &op);
        let ok = rs
            .iter()
            .any(|r| is_success(r.status) && matches!(r.body, Body::Json(_)));
        if !ok {
            issues.push(Issue::new(
                format!("{}/responses", op.pointer),
                format!(
                    "{} has no 2xx response with an `application/json` schema",
                    op.label()
                ),
            ));
        }
    }
    issues
}

/// `error-responses`: every operation declares each documented error status
/// (400, 401, 403, 405, 500, 502, 503, 504), each with an `application/json`
/// schema that is `#/components/schemas/ErrorBody`, inline or through a
/// `$ref` to `#/components/responses/...`.
pub fn error_responses(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    for op in spec.operations() {
        let rs = responses(spec, &op);
        let missing: Vec<&str> = DOCUMENTED_ERRORS
            .iter()
            .copied()
            .filter(|s| !rs.iter().any(|r| r.status == *s))
            .collect();
        if !missing.is_empty() {
            issues.push(Issue::new(
                format!("{}/responses", op.pointer),
                format!(
                    "{} does not declare the documented error status(es) {}; add each as a quoted key with the `ErrorBody` JSON schema, e.g. `'{}': {{$ref: '#/components/responses/...'}}`",
                    op.label(),
                    missing.join(", "),
                    missing[0]
                ),
            ));
        }
        for r in rs.iter().filter(|r| DOCUMENTED_ERRORS.contains(&r.status)) {
            if r.body == Body::Json(ERROR_SCHEMA.to_owned()) {
                continue;
            }
            // Report where the fix goes: the shared response if it is one.
            let shared = r.target != r.pointer;
            let (at, whose) = if shared {
                let at = r.schema_pointer.clone().unwrap_or_else(|| r.target.clone());
                (at, format!("`#{}`", r.target))
            } else {
                let at = r
                    .schema_pointer
                    .clone()
                    .unwrap_or_else(|| r.pointer.clone());
                (at, format!("{}: the {} response", op.label(), r.status))
            };
            issues.push(Issue::new(
                at,
                format!(
                    "{whose} has {} where the error schema `#{ERROR_SCHEMA}` is required (as `application/json`)",
                    r.body.describe()
                ),
            ));
        }
    }
    issues
}

/// `response-schemas`: all success statuses of an operation have the same
/// `application/json` schema, and so do all its error statuses (4xx, 5xx).
/// progenitor generates one success type and one error type per operation and
/// panics (`assert!(response_types.len() <= 1)`) otherwise. A response with
/// only `text/html` (or no content) counts as a different type.
pub fn response_schemas(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    for op in spec.operations() {
        let rs = responses(spec, &op);
        for (what, pick) in [
            ("success", is_success as fn(&str) -> bool),
            ("error", is_error as fn(&str) -> bool),
        ] {
            let mut by_body: BTreeMap<&Body, Vec<&str>> = BTreeMap::new();
            for r in rs.iter().filter(|r| pick(r.status)) {
                by_body.entry(&r.body).or_default().push(r.status);
            }
            if by_body.len() > 1 {
                let list: Vec<String> = by_body
                    .iter()
                    .map(|(body, statuses)| {
                        format!("{} → {}", statuses.join(", "), body.describe())
                    })
                    .collect();
                issues.push(Issue::new(
                    format!("{}/responses", op.pointer),
                    format!(
                        "{} has {} different {what} response types ({}); progenitor needs one {what} schema per operation and panics otherwise",
                        op.label(),
                        by_body.len(),
                        list.join("; ")
                    ),
                ));
            }
            for r in rs
                .iter()
                .filter(|r| pick(r.status) && r.body == Body::JsonWithoutSchema)
            {
                issues.push(Issue::new(
                    format!("{}/content", r.target),
                    format!("the {} response's `application/json` has no schema; progenitor panics on it", r.status),
                ));
            }
        }
    }
    issues
}

/// `default-response`: no `default` response beside a 2xx one. progenitor
/// counts `default` as a success and an error response at once, so its schema
/// joins both sets and generation panics; declare each error status instead.
pub fn default_response(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    for op in spec.operations() {
        let Some(responses) = op.responses() else {
            continue;
        };
        if responses.contains_key("default") && responses.keys().any(|s| is_success(s)) {
            issues.push(Issue::new(
                format!("{}/responses/default", op.pointer),
                format!(
                    "{}: a `default` response beside a 2xx one makes progenitor panic (it counts `default` as both success and error); list each error status instead",
                    op.label()
                ),
            ));
        }
    }
    issues
}

/// `quoted-status-codes`: response status codes are quoted (`'200':`).
/// OpenAPI requires it: YAML reads a plain `200` as an integer, which some
/// tools reject or treat differently from the JSON form's `"200"`.
pub fn quoted_status_codes(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    walk(&spec.doc, &mut |kind, pointer, obj| {
        if kind != Kind::Responses {
            return;
        }
        for status in obj.keys() {
            let at = format!("{pointer}/{}", escape(status));
            if !spec.key_is_string(&at) {
                issues.push(Issue::new(
                    at,
                    format!("status code {status} must be quoted: '{status}'"),
                ));
            }
        }
    });
    issues
}
