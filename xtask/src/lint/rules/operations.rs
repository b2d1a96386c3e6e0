//! Rules on operations: naming, documentation, tag, security and request body.

use std::collections::HashMap;

use serde_json::Value;

use crate::lint::{Issue, Spec};

/// Verbs an operationId may start with. Add to this list when an operation
/// needs a new one: ids read as `<verb>_<object>` (`add_child`,
/// `get_member_details`), and progenitor makes them the client's method names.
pub const VERBS: &[&str] = &[
    "activate",
    "add",
    "anonymize",
    "assign",
    "authorize",
    "cancel",
    "change",
    "check",
    "claim",
    "close",
    "complete",
    "confirm",
    "create",
    "credit",
    "deactivate",
    "debit",
    "deduct",
    "delete",
    "get",
    "issue",
    "list",
    "mark",
    "merge",
    "modify",
    "ping",
    "preview",
    "redeem",
    "refund",
    "register",
    "reject",
    "remove",
    "request",
    "resend",
    "reset",
    "search",
    "send",
    "set",
    "submit",
    "suggest",
    "sync",
    "transfer",
    "unblock",
    "update",
    "upgrade",
    "validate",
    "verify",
    "void",
];

/// Whether `id` is lowercase snake_case: `[a-z][a-z0-9]*(_[a-z0-9]+)*`.
fn is_snake_case(id: &str) -> bool {
    id.split('_').enumerate().all(|(i, word)| {
        !word.is_empty()
            && word
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && (i > 0 || word.as_bytes()[0].is_ascii_lowercase())
    })
}

/// `operation-id`: every operation has an `operationId`, unique in the spec
/// and in snake_case (progenitor names the client method after it and panics
/// without one).
pub fn operation_id(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut seen: HashMap<&str, String> = HashMap::new();
    for op in spec.operations() {
        let at = format!("{}/operationId", op.pointer);
        match op.value.get("operationId") {
            None => issues.push(Issue::new(
                op.pointer.clone(),
                format!(
                    "{} has no `operationId`; progenitor names the client method after it",
                    op.label()
                ),
            )),
            Some(Value::String(id)) => {
                if !is_snake_case(id) {
                    issues.push(Issue::new(
                        at.clone(),
                        format!("operationId `{id}` is not snake_case (lowercase words joined by `_`, e.g. `get_member_details`)"),
                    ));
                }
                if let Some(first) = seen.get(id.as_str()) {
                    issues.push(Issue::new(
                        at,
                        format!("operationId `{id}` is already used by {first}; operationIds must be unique"),
                    ));
                } else {
                    seen.insert(id, op.label());
                }
            }
            Some(other) => issues.push(Issue::new(
                at,
                format!("operationId must be a string, not {other}"),
            )),
        }
    }
    issues
}

/// `operation-id-verb`: every operationId starts with a verb of [`VERBS`].
pub fn operation_id_verb(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    for op in spec.operations() {
        let Some(id) = op.value.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        let verb = id.split('_').next().unwrap_or(id);
        if !VERBS.contains(&verb.to_ascii_lowercase().as_str()) {
            issues.push(Issue::new(
                format!("{}/operationId", op.pointer),
                format!(
                    "operationId `{id}` does not start with an accepted verb (`{verb}`; accepted: {}); to accept a new verb, add it to VERBS in xtask/src/lint/rules/operations.rs",
                    VERBS.join(", ")
                ),
            ));
        }
    }
    issues
}

/// `operation-docs`: every operation has a non-empty `summary` and
/// `description` (they become the client's doc comments).
pub fn operation_docs(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    for op in spec.operations() {
        for field in ["summary", "description"] {
            let present = op
                .value
                .get(field)
                .and_then(Value::as_str)
                .is_some_and(|s| !s.trim().is_empty());
            if !present {
                issues.push(Issue::new(
                    op.pointer.clone(),
                    format!("{} has no `{field}`", op.label()),
                ));
            }
        }
    }
    issues
}

/// `operation-tag`: every operation has exactly one tag, declared in the
/// top-level `tags` list (generators group operations by tag; an operation
/// with two tags lands in two groups).
pub fn operation_tag(spec: &Spec) -> Vec<Issue> {
    let declared: Vec<&str> = spec
        .doc
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| t.get("name")?.as_str())
        .collect();
    let mut issues = Vec::new();
    for op in spec.operations() {
        let tags = op.value.get("tags").and_then(Value::as_array);
        match tags.map(Vec::as_slice) {
            None | Some([]) => issues.push(Issue::new(
                op.pointer.clone(),
                format!(
                    "{} has no tag; give it exactly one, from the top-level `tags`",
                    op.label()
                ),
            )),
            Some([tag]) => match tag.as_str() {
                Some(name) if declared.contains(&name) => {}
                _ => issues.push(Issue::new(
                    format!("{}/tags/0", op.pointer),
                    format!(
                        "{}: tag {tag} is not declared in the top-level `tags` (declared: {})",
                        op.label(),
                        declared.join(", ")
                    ),
                )),
            },
            Some(many) => issues.push(Issue::new(
                format!("{}/tags", op.pointer),
                format!(
                    "{} has {} tags; give it exactly one",
                    op.label(),
                    many.len()
                ),
            )),
        }
    }
    issues
}

/// `security`: every operation requires authentication, through its own
/// `security` or the top-level one, naming schemes of
/// `components.securitySchemes`. An empty list or an empty requirement (`{}`)
/// makes authentication optional, which no Stamps call is, except one whose
/// credential travels in its body instead (the access-token exchange): it says so
/// with `x-stamps-credential-in-body: true` and `security: []`.
pub fn security(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    let top = spec.doc.get("security");
    if let Some(list) = top {
        check_requirements(
            spec,
            "/security".to_owned(),
            list,
            "top-level security",
            &mut issues,
        );
    }
    for op in spec.operations() {
        match op.value.get("security") {
            Some(Value::Array(list))
                if list.is_empty()
                    && op.value.get("x-stamps-credential-in-body") == Some(&Value::Bool(true)) => {}
            Some(list) => {
                let at = format!("{}/security", op.pointer);
                check_requirements(spec, at, list, &op.label(), &mut issues);
            }
            None if top.is_none() => issues.push(Issue::new(
                op.pointer.clone(),
                format!(
                    "{} has no `security` and the document has no top-level `security`",
                    op.label()
                ),
            )),
            None => {}
        }
    }
    issues
}

/// Checks one `security` list (at `pointer`, of `whose`).
fn check_requirements(
    spec: &Spec,
    pointer: String,
    list: &Value,
    whose: &str,
    issues: &mut Vec<Issue>,
) {
    let schemes = spec
        .get("/components/securitySchemes")
        .and_then(Value::as_object);
    let Some(reqs) = list.as_array() else {
        issues.push(Issue::new(
            pointer,
            format!("{whose}: `security` must be a list of requirements"),
        ));
        return;
    };
    if reqs.is_empty() {
        issues.push(Issue::new(
            pointer.clone(),
            format!("{whose}: `security: []` turns authentication off; every Stamps call needs the Authorization header"),
        ));
    }
    for (i, req) in reqs.iter().enumerate() {
        let at = format!("{pointer}/{i}");
        let Some(req) = req.as_object() else {
            issues.push(Issue::new(
                at,
                format!("{whose}: a security requirement must be a map of scheme names"),
            ));
            continue;
        };
        if req.is_empty() {
            issues.push(Issue::new(
                at.clone(),
                format!("{whose}: the empty requirement `{{}}` makes authentication optional"),
            ));
        }
        for name in req.keys() {
            if !schemes.is_some_and(|s| s.contains_key(name)) {
                issues.push(Issue::new(
                    at.clone(),
                    format!("{whose}: security scheme `{name}` is not defined in `components.securitySchemes`"),
                ));
            }
        }
    }
}

/// `request-body`: GET (and HEAD) operations have no request body, and POST,
/// PUT and PATCH operations have one whose only content is `application/json`
/// with a schema (progenitor panics on a body with several media types), and
/// `required: true` unless the schema admits only the empty object.
pub fn request_body(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    for op in spec.operations() {
        let body = op.value.get("requestBody");
        let at = format!("{}/requestBody", op.pointer);
        match op.method {
            "get" | "head" if body.is_some() => {
                issues.push(Issue::new(
                        at,
                        format!("{} has a request body; GET requests carry none (many clients and proxies drop it): use query parameters", op.label()),
                    ));
            }
            "post" | "put" | "patch" => {
                let Some(body) = body else {
                    issues.push(Issue::new(
                        op.pointer.clone(),
                        format!(
                            "{} has no `requestBody`; it must send an `application/json` body",
                            op.label()
                        ),
                    ));
                    continue;
                };
                // Point at the body as written; follow a `$ref` for its content.
                let Some((target, body)) = spec.resolve(body) else {
                    continue;
                };
                let content_at = match target {
                    Some(t) => format!("{t}/content"),
                    None => format!("{at}/content"),
                };
                let content = body.get("content").and_then(Value::as_object);
                let types: Vec<&str> = content
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| k.as_str())
                    .collect();
                if types != ["application/json"] {
                    issues.push(Issue::new(
                        content_at,
                        format!(
                            "{}: the request body's content must be `application/json` alone, not [{}]",
                            op.label(),
                            types.join(", ")
                        ),
                    ));
                } else if content
                    .and_then(|c| c.get("application/json"))
                    .and_then(|m| m.get("schema"))
                    .is_none()
                {
                    issues.push(Issue::new(
                        format!("{content_at}/application~1json"),
                        format!(
                            "{}: the `application/json` request body has no `schema`",
                            op.label()
                        ),
                    ));
                }
                // A body with nothing in it may be left out (`ping`, whose page sends none).
                if body.get("required") != Some(&Value::Bool(true)) && !empty_body(spec, body) {
                    issues.push(Issue::new(
                        at,
                        format!("{}: the request body must be `required: true` (it defaults to false, and other languages' generators then let callers omit the body)", op.label()),
                    ));
                }
            }
            _ => {}
        }
    }
    issues
}

/// Whether a request body's schema admits only `{}` (no properties, no others).
fn empty_body(spec: &Spec, body: &Value) -> bool {
    let schema = body.pointer("/content/application~1json/schema");
    let Some((_, schema)) = schema.and_then(|s| spec.resolve(s)) else {
        return false;
    };
    schema.get("additionalProperties") == Some(&Value::Bool(false))
        && schema
            .get("properties")
            .and_then(Value::as_object)
            .is_none_or(|p| p.is_empty())
}
