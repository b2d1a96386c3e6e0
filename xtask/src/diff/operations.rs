//! Comparing the operations of two documents: which exist, their ids,
//! security, parameters, request bodies and responses; the schemas inside
//! are compared by [`super::schema`].

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use super::Impact::{Breaking, NonBreaking, Unaffected};
use super::{Ctx, Differ, Dir, Side, rust};
use crate::lint::Spec;
use crate::lint::spec::ref_of;
use crate::yaml_positions::escape;

/// A missing node.
static NULL: Value = Value::Null;

/// One operation, as the diff sees it.
struct Op<'a> {
    method: &'a str,
    path: &'a str,
    /// The path with template names blanked (`/a/{}`): renaming `{id}` to
    /// `{child}` does not change the URL.
    shape: String,
    id: Option<&'a str>,
    pointer: String,
    value: &'a Value,
    path_item: &'a Value,
    path_pointer: String,
}

impl Op<'_> {
    /// `POST /api/children/add`.
    fn label(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }

    /// The name changes list it under: its operationId, else its label.
    fn name(&self) -> String {
        self.id.map_or_else(|| self.label(), str::to_owned)
    }
}

fn operations(spec: &Spec) -> Vec<Op<'_>> {
    spec.operations()
        .into_iter()
        .map(|op| Op {
            method: op.method,
            path: op.path,
            shape: shape(op.path),
            id: op.value.get("operationId").and_then(Value::as_str),
            pointer: op.pointer,
            value: op.value,
            path_item: op.path_item,
            path_pointer: op.path_pointer,
        })
        .collect()
}

/// `/a/{x}/b/{y}` → `/a/{}/b/{}`.
fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut in_name = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_name = true;
                out.push('{');
            }
            '}' => {
                in_name = false;
                out.push('}');
            }
            _ if in_name => {}
            _ => out.push(c),
        }
    }
    out
}

/// The template names of a path, in order.
fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// A parameter of an operation after path-level and operation-level lists
/// are merged and `$ref`s followed.
struct Param<'a> {
    name: &'a str,
    location: &'a str,
    /// Where it is defined (a component's pointer when it is a `$ref`).
    pointer: String,
    value: &'a Value,
}

impl Param<'_> {
    fn required(&self) -> bool {
        self.value.get("required") == Some(&Value::Bool(true))
    }

    /// `query parameter \`user\``.
    fn label(&self) -> String {
        format!("{} parameter `{}`", self.location, self.name)
    }

    /// Why the Rust API does not see it, if it does not: the `token` credential
    /// parameter (a `$ref` to `Token`), which build.rs removed until 0.2.0.
    fn hidden(&self) -> Option<String> {
        let credential = self.name == rust::TOKEN
            && self.location == "query"
            && self.value.get("schema").and_then(ref_of) == Some(rust::TOKEN_REF);
        credential.then(|| {
            "build.rs removed the `token` query parameter until 0.2.0; the client sent the credential itself"
                .to_owned()
        })
    }
}

fn params<'a>(spec: &'a Spec, op: &Op<'a>) -> Vec<Param<'a>> {
    let mut out: Vec<Param<'a>> = Vec::new();
    let lists = [
        (op.path_item.get("parameters"), &op.path_pointer),
        (op.value.get("parameters"), &op.pointer),
    ];
    for (list, owner) in lists {
        let Some(list) = list.and_then(Value::as_array) else {
            continue;
        };
        for (i, param) in list.iter().enumerate() {
            let Some((target, value)) = spec.resolve(param) else {
                continue;
            };
            let (Some(name), Some(location)) = (
                value.get("name").and_then(Value::as_str),
                value.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            let pointer = target.unwrap_or_else(|| format!("{owner}/parameters/{i}"));
            // An operation's parameter overrides the path item's.
            out.retain(|p| !(p.name == name && p.location == location));
            out.push(Param {
                name,
                location,
                pointer,
                value,
            });
        }
    }
    out
}

/// The names of the top-level properties of an operation's JSON request body.
fn body_properties<'a>(spec: &'a Spec, op: &Op<'a>) -> BTreeSet<&'a str> {
    let schema = op
        .value
        .get("requestBody")
        .and_then(|b| spec.resolve(b))
        .and_then(|(_, body)| body.get("content")?.get("application/json")?.get("schema"))
        .and_then(|s| spec.resolve(s));
    schema
        .and_then(|(_, s)| s.get("properties")?.as_object())
        .map(|props| props.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// An operation's security alternatives: each a set of `scheme` (or
/// `scheme[scopes]`) names, any one of which grants access. `[]` means no
/// authentication; `[{}]`, that it is optional.
type Alternatives = Vec<BTreeSet<String>>;

/// The security requirements in force for `op`, and where they are written.
fn security(spec: &Spec, op: &Op<'_>) -> (Alternatives, String) {
    let (list, pointer) = match op.value.get("security") {
        Some(list) => (list, format!("{}/security", op.pointer)),
        None => (
            spec.doc.get("security").unwrap_or(&NULL),
            "/security".to_owned(),
        ),
    };
    let alternatives = list
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|requirement| {
            requirement
                .iter()
                .map(|(scheme, scopes)| {
                    let scopes: Vec<&str> = scopes
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect();
                    if scopes.is_empty() {
                        scheme.clone()
                    } else {
                        format!("{scheme}[{}]", scopes.join(", "))
                    }
                })
                .collect()
        })
        .collect();
    (alternatives, pointer)
}

fn show_alternative(alternative: &BTreeSet<String>) -> String {
    if alternative.is_empty() {
        "no authentication".to_owned()
    } else {
        let names: Vec<&str> = alternative.iter().map(String::as_str).collect();
        format!("`{}`", names.join("` + `"))
    }
}

impl<'a> Differ<'a> {
    /// Compares the whole documents.
    pub(super) fn document(&mut self) {
        let (old_spec, new_spec) = (self.old, self.new);
        let (old_ops, new_ops) = (operations(old_spec), operations(new_spec));

        // Pair operations: same method and URL first, then same operationId
        // (an operation that moved).
        let mut old_of_new: Vec<Option<usize>> = vec![None; new_ops.len()];
        let mut old_taken = vec![false; old_ops.len()];
        let by_url: HashMap<(&str, &str), usize> = old_ops
            .iter()
            .enumerate()
            .map(|(i, op)| ((op.method, op.shape.as_str()), i))
            .collect();
        for (j, op) in new_ops.iter().enumerate() {
            if let Some(&i) = by_url.get(&(op.method, op.shape.as_str()))
                && !old_taken[i]
            {
                old_taken[i] = true;
                old_of_new[j] = Some(i);
            }
        }
        for (j, op) in new_ops.iter().enumerate() {
            if old_of_new[j].is_some() || op.id.is_none() {
                continue;
            }
            if let Some(i) = (0..old_ops.len()).find(|&i| !old_taken[i] && old_ops[i].id == op.id) {
                old_taken[i] = true;
                old_of_new[j] = Some(i);
            }
        }

        for (j, new_op) in new_ops.iter().enumerate() {
            self.operations.push(new_op.name());
            self.user = Some(self.operations.len() - 1);
            match old_of_new[j] {
                Some(i) => self.operation(&old_ops[i], new_op),
                None => {
                    let message = format!(
                        "operation `{}` added: new method {}",
                        new_op.label(),
                        rust::method(&new_op.name())
                    );
                    self.report(
                        "operation-added",
                        Side::New,
                        &new_op.pointer,
                        message,
                        NonBreaking,
                        NonBreaking,
                    );
                }
            }
        }
        let removed = old_ops.iter().zip(&old_taken).filter(|(_, taken)| !**taken);
        for (old_op, _) in removed {
            self.operations.push(old_op.name());
            self.user = Some(self.operations.len() - 1);
            let message = format!(
                "operation `{}` removed: calls to it fail, and method {} is gone",
                old_op.label(),
                rust::method(&old_op.name())
            );
            self.report(
                "operation-removed",
                Side::Old,
                &old_op.pointer,
                message,
                Breaking,
                Breaking,
            );
        }

        self.user = None;
        self.component_schemas();
        if old_spec.doc.get("servers") != new_spec.doc.get("servers") {
            self.report(
                "servers-changed",
                Side::New,
                "/servers",
                "`servers` changed (the Rust client's base URL is set in code, not read from the spec)".to_owned(),
                Unaffected,
                Unaffected,
            );
        }
    }

    fn operation(&mut self, old: &Op<'a>, new: &Op<'a>) {
        let at = new.pointer.as_str();
        if (old.method, old.shape.as_str()) != (new.method, new.shape.as_str()) {
            let message = format!(
                "operation `{}` moved to `{}`: calls to the old URL fail (same Rust method)",
                old.label(),
                new.label()
            );
            self.report(
                "operation-path-changed",
                Side::New,
                at,
                message,
                Breaking,
                Unaffected,
            );
        }
        if old.id != new.id {
            let message = format!(
                "operationId of `{}` changed from `{}` to `{}`: Rust method {} is now {}",
                new.label(),
                old.name(),
                new.name(),
                rust::method(&old.name()),
                rust::method(&new.name())
            );
            self.report(
                "operation-id-changed",
                Side::New,
                at,
                message,
                Unaffected,
                Breaking,
            );
        }
        for key in ["summary", "description", "tags", "externalDocs"] {
            if old.value.get(key) != new.value.get(key) {
                let message = format!("`{key}` of `{}` changed", new.label());
                self.report(
                    "description-changed",
                    Side::New,
                    at,
                    message,
                    Unaffected,
                    Unaffected,
                );
            }
        }
        let label = format!("`{}`", new.label());
        let ctx = Ctx::root(
            Dir::Request,
            old.pointer.clone(),
            new.pointer.clone(),
            label,
            false,
        );
        self.extensions(old.value, new.value, &ctx);
        if old.value.get("deprecated") != new.value.get("deprecated") {
            let now = new.value.get("deprecated") == Some(&Value::Bool(true));
            let message = format!(
                "`{}` is {} deprecated",
                new.label(),
                if now { "now" } else { "no longer" }
            );
            self.report(
                "operation-deprecated",
                Side::New,
                at,
                message,
                NonBreaking,
                Unaffected,
            );
        }
        self.security(old, new);
        self.parameters(old, new);
        self.request_body(old, new);
        self.responses(old, new);
    }

    fn security(&mut self, old: &Op<'a>, new: &Op<'a>) {
        let (old_spec, new_spec) = (self.old, self.new);
        let (old_alts, _) = security(old_spec, old);
        let (new_alts, pointer) = security(new_spec, new);
        let anonymous_now = new_alts.is_empty() || new_alts.iter().any(BTreeSet::is_empty);
        for alt in old_alts.iter().filter(|a| !new_alts.contains(a)) {
            let wire = if anonymous_now { NonBreaking } else { Breaking };
            let message = format!(
                "{} no longer accepted{}",
                show_alternative(alt),
                if anonymous_now {
                    " (no authentication is required any more)"
                } else {
                    ": callers authenticating that way are refused"
                }
            );
            self.report(
                "security-removed",
                Side::New,
                &pointer,
                message,
                wire,
                Unaffected,
            );
        }
        for alt in new_alts.iter().filter(|a| !old_alts.contains(a)) {
            // A new way in breaks nothing, unless there was no lock before.
            let wire = if old_alts.is_empty() {
                Breaking
            } else {
                NonBreaking
            };
            let message = if old_alts.is_empty() {
                format!(
                    "authentication now required ({}): unauthenticated callers are refused",
                    show_alternative(alt)
                )
            } else {
                format!("{} now accepted", show_alternative(alt))
            };
            self.report(
                "security-added",
                Side::New,
                &pointer,
                message,
                wire,
                Unaffected,
            );
        }
        // The definitions of the schemes still in use.
        let in_both: BTreeSet<&str> = old_alts
            .iter()
            .flatten()
            .filter(|scheme| new_alts.iter().flatten().any(|s| s == *scheme))
            .map(|scheme| scheme.split('[').next().unwrap_or(scheme))
            .collect();
        for scheme in in_both {
            let pointer = format!("/components/securitySchemes/{}", escape(scheme));
            let (a, b) = (old_spec.get(&pointer), new_spec.get(&pointer));
            let strip = |v: Option<&Value>| {
                let mut v = v.cloned().unwrap_or(Value::Null);
                if let Some(obj) = v.as_object_mut() {
                    obj.remove("description");
                }
                v
            };
            if strip(a) != strip(b) {
                let message = format!(
                    "security scheme `{scheme}` changed: {} (was {}); the Rust client's credentials are \
                     hand-written (src/credentials.rs), check them",
                    scheme_summary(b),
                    scheme_summary(a)
                );
                self.report(
                    "security-scheme-changed",
                    Side::New,
                    &pointer,
                    message,
                    Breaking,
                    Unaffected,
                );
            } else if a != b {
                let message = format!("description of security scheme `{scheme}` changed");
                self.report(
                    "description-changed",
                    Side::New,
                    &pointer,
                    message,
                    Unaffected,
                    Unaffected,
                );
            }
        }
    }

    fn parameters(&mut self, old: &Op<'a>, new: &Op<'a>) {
        let (old_spec, new_spec) = (self.old, self.new);
        let (old_params, new_params) = (params(old_spec, old), params(new_spec, new));
        let (old_body, new_body) = (
            body_properties(old_spec, old),
            body_properties(new_spec, new),
        );

        // `{id}` renamed `{child}` at the same place of the URL.
        let renamed: HashMap<&str, &str> = template_names(old.path)
            .into_iter()
            .zip(template_names(new.path))
            .filter(|(a, b)| a != b)
            .collect();
        for (from, to) in &renamed {
            let message = format!(
                "path parameter `{{{from}}}` of `{}` renamed `{{{to}}}` (same URL): its Rust builder method is now `.{to}()`",
                new.label()
            );
            self.report(
                "parameter-renamed",
                Side::New,
                &new.pointer,
                message,
                Unaffected,
                Breaking,
            );
        }
        let key_of_old = |p: &Param<'_>| {
            let name = match (p.location, renamed.get(p.name)) {
                ("path", Some(to)) => *to,
                _ => p.name,
            };
            (p.location.to_owned(), name.to_owned())
        };

        for op in &old_params {
            let key = key_of_old(op);
            let Some(np) = new_params
                .iter()
                .find(|p| (p.location, p.name) == (key.0.as_str(), key.1.as_str()))
            else {
                self.parameter_gone(op, &new_params, &old_body, &new_body, new);
                continue;
            };
            self.parameter(op, np);
        }
        for np in &new_params {
            let known = old_params.iter().any(|op| {
                let (location, name) = key_of_old(op);
                (location.as_str(), name.as_str()) == (np.location, np.name)
            });
            if known {
                continue;
            }
            // Reported as moved with the old parameter.
            if old_params.iter().any(|op| op.name == np.name) {
                continue;
            }
            let ctx = param_ctx(np, np);
            let moved = old_body.contains(np.name) && !new_body.contains(np.name);
            if moved {
                let what = format!(
                    "{} of `{}` moved from the JSON body to the {}: old clients send it in the body",
                    np.label(),
                    new.label(),
                    np.location
                );
                let rust_text = "it is a builder method of the call instead of a body field";
                self.report_at(
                    &ctx,
                    Side::New,
                    "",
                    "parameter-moved",
                    what,
                    rust_text,
                    Breaking,
                    Breaking,
                );
                continue;
            }
            let (kind, impact, why, rust_text) = if np.required() {
                (
                    "parameter-added-required",
                    Breaking,
                    "old clients do not send it",
                    "a new builder method callers must use (calls fail until they do)",
                )
            } else {
                (
                    "parameter-added",
                    NonBreaking,
                    "callers may send it",
                    "a new builder method",
                )
            };
            let what = format!(
                "{} of `{}` added as {}: {why}",
                np.label(),
                new.label(),
                if np.required() {
                    "required"
                } else {
                    "optional"
                }
            );
            self.report_at(&ctx, Side::New, "", kind, what, rust_text, impact, impact);
        }
    }

    /// An old parameter NEW does not have under the same name and place:
    /// moved elsewhere, or removed.
    fn parameter_gone(
        &mut self,
        old: &Param<'a>,
        new_params: &[Param<'a>],
        old_body: &BTreeSet<&str>,
        new_body: &BTreeSet<&str>,
        new_op: &Op<'a>,
    ) {
        let mut ctx = param_ctx(old, old);
        let elsewhere = new_params.iter().find(|p| p.name == old.name);
        let (kind, side, what, rust_text) = if let Some(np) = elsewhere {
            ctx.new = np.pointer.clone();
            (
                "parameter-moved",
                Side::New,
                format!(
                    "{} of `{}` moved to the {}: old clients send it in the wrong place",
                    old.label(),
                    new_op.label(),
                    np.location
                ),
                "its builder method may change",
            )
        } else if new_body.contains(old.name) && !old_body.contains(old.name) {
            (
                "parameter-moved",
                Side::Old,
                format!(
                    "{} of `{}` moved to the JSON request body: old clients send it in the {}",
                    old.label(),
                    new_op.label(),
                    old.location
                ),
                "the builder method becomes a body field, set in `body_map`",
            )
        } else {
            // Old clients still send it, and a server ignores a parameter it does not
            // read: not breaking on the wire (oasdiff rates it a warning). The builder
            // method is gone, though.
            let what = format!(
                "{} of `{}` removed: old clients that still send it are not refused (the server ignores it)",
                old.label(),
                new_op.label()
            );
            let rust_text = "its builder method is gone";
            self.report_at(
                &ctx,
                Side::Old,
                "",
                "parameter-removed",
                what,
                rust_text,
                NonBreaking,
                Breaking,
            );
            return;
        };
        self.report_at(&ctx, side, "", kind, what, rust_text, Breaking, Breaking);
    }

    /// A parameter in both documents.
    fn parameter(&mut self, old: &Param<'a>, new: &Param<'a>) {
        let ctx = param_ctx(old, new);
        match (old.required(), new.required()) {
            (false, true) => {
                let what = format!(
                    "{} is now required: callers that leave it out are refused",
                    new.label()
                );
                let rust_text = "calls fail until they set it";
                self.report_at(
                    &ctx,
                    Side::New,
                    "",
                    "parameter-now-required",
                    what,
                    rust_text,
                    Breaking,
                    Breaking,
                );
            }
            (true, false) => {
                let what = format!("{} is now optional", new.label());
                let rust_text = "callers may leave its builder method out";
                self.report_at(
                    &ctx,
                    Side::New,
                    "",
                    "parameter-now-optional",
                    what,
                    rust_text,
                    NonBreaking,
                    NonBreaking,
                );
            }
            _ => {}
        }
        for key in ["style", "explode", "allowReserved", "allowEmptyValue"] {
            if old.value.get(key) != new.value.get(key) {
                let what = format!(
                    "`{key}` of {} changed from {} to {}: the value is written differently on the wire",
                    new.label(),
                    old.value
                        .get(key)
                        .map_or("none".to_owned(), Value::to_string),
                    new.value
                        .get(key)
                        .map_or("none".to_owned(), Value::to_string)
                );
                self.report_at(
                    &ctx,
                    Side::New,
                    "",
                    "parameter-style-changed",
                    what,
                    "",
                    Breaking,
                    Unaffected,
                );
            }
        }
        for key in ["description", "deprecated"] {
            if old.value.get(key) != new.value.get(key) {
                let what = format!("`{key}` of {} changed", new.label());
                self.report_at(
                    &ctx,
                    Side::New,
                    "",
                    "description-changed",
                    what,
                    "",
                    Unaffected,
                    Unaffected,
                );
            }
        }
        for key in ["example", "examples"] {
            if old.value.get(key) != new.value.get(key) {
                let what = format!("`{key}` of {} changed", new.label());
                self.report_at(
                    &ctx,
                    Side::New,
                    "",
                    "example-changed",
                    what,
                    "",
                    Unaffected,
                    Unaffected,
                );
            }
        }
        let (a, b) = (old.value.get("schema"), new.value.get("schema"));
        let mut schema_ctx = ctx.child(&["schema"], "");
        schema_ctx.path.clear();
        schema_ctx.required = new.required();
        self.schema(a.unwrap_or(&NULL), b.unwrap_or(&NULL), &schema_ctx);
    }

    fn request_body(&mut self, old: &Op<'a>, new: &Op<'a>) {
        let (old_spec, new_spec) = (self.old, self.new);
        let resolve = |spec: &'a Spec, op: &Op<'a>| {
            let body = op.value.get("requestBody")?;
            let (target, value) = spec.resolve(body)?;
            Some((
                target.unwrap_or_else(|| format!("{}/requestBody", op.pointer)),
                value,
            ))
        };
        let required = |v: &Value| v.get("required") == Some(&Value::Bool(true));
        match (resolve(old_spec, old), resolve(new_spec, new)) {
            (None, None) => {}
            (Some((pointer, _)), None) => {
                let message = format!(
                    "request body of `{}` removed: the server no longer reads it, and the Rust `body` methods are gone",
                    new.label()
                );
                self.report(
                    "request-body-removed",
                    Side::Old,
                    &pointer,
                    message,
                    Breaking,
                    Breaking,
                );
            }
            (None, Some((pointer, body))) => {
                let (wire, rust) = if required(body) {
                    (Breaking, Breaking)
                } else {
                    (NonBreaking, NonBreaking)
                };
                let message = format!(
                    "request body added to `{}` ({}): new Rust `body` methods",
                    new.label(),
                    if required(body) {
                        "required"
                    } else {
                        "optional"
                    }
                );
                self.report(
                    "request-body-added",
                    Side::New,
                    &pointer,
                    message,
                    wire,
                    rust,
                );
            }
            (Some((old_ptr, old_body)), Some((new_ptr, new_body))) => {
                if required(old_body) != required(new_body) {
                    let now = required(new_body);
                    let message = format!(
                        "request body of `{}` is now {}",
                        new.label(),
                        if now { "required" } else { "optional" }
                    );
                    let impact = if now { Breaking } else { NonBreaking };
                    self.report(
                        "request-body-required-changed",
                        Side::New,
                        &new_ptr,
                        message,
                        impact,
                        impact,
                    );
                }
                if old_body.get("description") != new_body.get("description") {
                    let message = format!(
                        "`description` of the request body of `{}` changed",
                        new.label()
                    );
                    self.report(
                        "description-changed",
                        Side::New,
                        &new_ptr,
                        message,
                        Unaffected,
                        Unaffected,
                    );
                }
                // A shared request body is named after its component.
                let label = match new_ptr.strip_prefix("/components/requestBodies/") {
                    Some(name) => format!("request body `{name}`"),
                    None => format!("{} request body", new.name()),
                };
                let ctx = Ctx::root(Dir::Request, old_ptr, new_ptr, label, true);
                self.content(old_body, new_body, &ctx, true);
            }
        }
    }

    fn responses(&mut self, old: &Op<'a>, new: &Op<'a>) {
        let (old_spec, new_spec) = (self.old, self.new);
        let statuses = |op: &Op<'a>| {
            op.value
                .get("responses")
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .filter(|(k, _)| !k.starts_with("x-"))
                        .map(|(k, v)| (k.as_str(), v))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        };
        let (old_responses, new_responses) = (statuses(old), statuses(new));
        let pointer =
            |op: &Op<'a>, status: &str| format!("{}/responses/{}", op.pointer, escape(status));
        for (status, old_response) in &old_responses {
            let success = status.starts_with('2');
            let Some((_, new_response)) = new_responses.iter().find(|(s, _)| s == status) else {
                let (wire, rust) = if success {
                    (Breaking, Breaking)
                } else {
                    (NonBreaking, NonBreaking)
                };
                let message = format!(
                    "{status} response of `{}` removed{}",
                    new.label(),
                    if success {
                        ": the Rust method's return type changes"
                    } else {
                        ""
                    }
                );
                self.report(
                    "response-status-removed",
                    Side::Old,
                    &pointer(old, status),
                    message,
                    wire,
                    rust,
                );
                continue;
            };
            let (Some((old_target, old_value)), Some((new_target, new_value))) = (
                old_spec.resolve(old_response),
                new_spec.resolve(new_response),
            ) else {
                continue;
            };
            // A shared response is named after its component, so that its
            // changes are reported once for all its users.
            let label = match &new_target {
                Some(target) => {
                    format!("response `{}`", target.rsplit('/').next().unwrap_or(target))
                }
                None => format!("{} {status} response", new.name()),
            };
            let old_ptr = old_target.unwrap_or_else(|| pointer(old, status));
            let new_ptr = new_target.unwrap_or_else(|| pointer(new, status));
            if old_value.get("description") != new_value.get("description") {
                let message = format!("`description` of {label} changed");
                self.report(
                    "description-changed",
                    Side::New,
                    &new_ptr,
                    message,
                    Unaffected,
                    Unaffected,
                );
            }
            let ctx = Ctx::root(Dir::Response, old_ptr, new_ptr, label, true);
            self.content(old_value, new_value, &ctx, success);
        }
        for (status, _) in &new_responses {
            if old_responses.iter().any(|(s, _)| s == status) {
                continue;
            }
            let success = status.starts_with('2');
            let (wire, rust) = if success {
                (Breaking, Breaking)
            } else {
                (NonBreaking, NonBreaking)
            };
            let message = format!(
                "{status} response added to `{}`{}",
                new.label(),
                if success {
                    ": old clients do not expect it, and the Rust method's return type changes"
                } else {
                    ""
                }
            );
            self.report(
                "response-status-added",
                Side::New,
                &pointer(new, status),
                message,
                wire,
                rust,
            );
        }
    }

    /// The `content` of a request body or response: media types, their
    /// schemas and examples. `ctx` is at the body or response object;
    /// `decisive` says whether a media type change matters (a request body, a
    /// success response) or not (an error response).
    fn content(&mut self, old: &'a Value, new: &'a Value, ctx: &Ctx, decisive: bool) {
        let content = |v: &'a Value| v.get("content").and_then(Value::as_object);
        let (old_content, new_content) = (content(old), content(new));
        let dir = ctx.dir;
        // Some generators read only the first media type (openapi-python-client).
        let order = |c: Option<&'a serde_json::Map<String, Value>>,
                     other: Option<&serde_json::Map<String, Value>>| {
            c.into_iter()
                .flatten()
                .map(|(m, _)| m.as_str())
                .filter(|m| other.is_some_and(|o| o.contains_key(*m)))
                .collect::<Vec<_>>()
        };
        let (old_order, new_order) = (
            order(old_content, new_content),
            order(new_content, old_content),
        );
        if old_order != new_order {
            let what = format!(
                "media types of {} reordered from {} to {}: generators that read only the first one \
                 (openapi-python-client) now decode `{}`",
                ctx.root,
                old_order.join(", "),
                new_order.join(", "),
                new_order.first().unwrap_or(&"")
            );
            let mut at = ctx.clone();
            at.new.push_str("/content");
            self.report_at(
                &at,
                Side::New,
                "",
                "media-type-order-changed",
                what,
                "",
                Unaffected,
                Unaffected,
            );
        }
        for (media, old_media) in old_content.into_iter().flatten() {
            let child = ctx.child(&["content", media], "");
            let Some(new_media) = new_content.and_then(|c| c.get(media)) else {
                let (wire, rust) = if decisive {
                    (Breaking, Breaking)
                } else {
                    (NonBreaking, NonBreaking)
                };
                let kind = dir.pick("request-media-type-removed", "response-media-type-removed");
                let what = format!("{} no longer has `{media}` content", ctx.root);
                let rust_text = if rust == Breaking {
                    "the method's types change"
                } else {
                    ""
                };
                self.report_at(&child, Side::Old, "", kind, what, rust_text, wire, rust);
                continue;
            };
            for key in ["example", "examples"] {
                if old_media.get(key) != new_media.get(key) {
                    let what = format!("`{key}` of the `{media}` content of {} changed", ctx.root);
                    let suffix = format!("/{key}");
                    self.report_at(
                        &child,
                        Side::New,
                        &suffix,
                        "example-changed",
                        what,
                        "",
                        Unaffected,
                        Unaffected,
                    );
                }
            }
            let mut schema_ctx = child.child(&["schema"], "");
            schema_ctx.path.clear();
            schema_ctx.required = true;
            self.schema(
                old_media.get("schema").unwrap_or(&NULL),
                new_media.get("schema").unwrap_or(&NULL),
                &schema_ctx,
            );
        }
        for media in new_content.into_iter().flatten().map(|(m, _)| m) {
            if old_content.is_some_and(|c| c.contains_key(media)) {
                continue;
            }
            let child = ctx.child(&["content", media], "");
            // A new request format is a choice; a new answer format is a
            // surprise for old clients.
            let (wire, rust) = match (dir, decisive) {
                (Dir::Response, true) => (Breaking, Breaking),
                _ => (NonBreaking, NonBreaking),
            };
            let kind = dir.pick("request-media-type-added", "response-media-type-added");
            let what = format!("{} now has `{media}` content", ctx.root);
            let rust_text = if rust == Breaking {
                "the method's types change"
            } else {
                ""
            };
            self.report_at(&child, Side::New, "", kind, what, rust_text, wire, rust);
        }
    }

    /// Component schemas: progenitor makes a `types::` item of each one,
    /// whether an operation uses it or not.
    fn component_schemas(&mut self) {
        let (old_spec, new_spec) = (self.old, self.new);
        let schemas = |spec: &'a Spec| {
            spec.doc
                .pointer("/components/schemas")
                .and_then(Value::as_object)
                .map(|m| m.keys().map(String::as_str).collect::<Vec<_>>())
                .unwrap_or_default()
        };
        let (old_names, new_names) = (schemas(old_spec), schemas(new_spec));
        let skip = |name: &str| name == rust::TOKEN_SCHEMA || rust::replacement(name).is_some();
        for name in old_names
            .iter()
            .filter(|n| !new_names.contains(n) && !skip(n))
        {
            let message = format!(
                "schema `{name}` removed: Rust type {} is gone",
                rust::type_of_component(name)
            );
            let pointer = format!("/components/schemas/{}", escape(name));
            self.report(
                "schema-removed",
                Side::Old,
                &pointer,
                message,
                Unaffected,
                Breaking,
            );
        }
        for name in new_names
            .iter()
            .filter(|n| !old_names.contains(n) && !skip(n))
        {
            let message = format!(
                "schema `{name}` added: new Rust type {}",
                rust::type_of_component(name)
            );
            let pointer = format!("/components/schemas/{}", escape(name));
            self.report(
                "schema-added",
                Side::New,
                &pointer,
                message,
                Unaffected,
                NonBreaking,
            );
        }
    }
}

/// The walk context of a parameter: OLD's and NEW's definitions.
fn param_ctx(old: &Param<'_>, new: &Param<'_>) -> Ctx {
    let mut ctx = Ctx::root(
        Dir::Request,
        old.pointer.clone(),
        new.pointer.clone(),
        new.label(),
        new.required(),
    );
    ctx.hidden = new.hidden().or_else(|| old.hidden());
    ctx
}

/// `apiKey in header \`Authorization\`` and the like.
fn scheme_summary(scheme: Option<&Value>) -> String {
    let Some(scheme) = scheme else {
        return "undefined".to_owned();
    };
    let get = |key: &str| scheme.get(key).and_then(Value::as_str).unwrap_or("");
    match get("type") {
        "apiKey" => format!("apiKey in {} `{}`", get("in"), get("name")),
        "http" => format!("http {} {}", get("scheme"), get("bearerFormat"))
            .trim_end()
            .to_owned(),
        other => other.to_owned(),
    }
}
