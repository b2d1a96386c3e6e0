//! Rules on parameters: path templates and `in: path` parameters agree, no
//! parameter is declared twice, and each is of a kind progenitor supports.

use serde_json::Value;

use crate::lint::spec::Operation;
use crate::lint::walk::{Kind, nodes_of};
use crate::lint::{Issue, Spec};

/// A parameter of an operation, after resolving its `$ref`.
struct Param<'a> {
    /// Pointer of the entry in the `parameters` list (where a person fixes it).
    pointer: String,
    name: &'a str,
    location: &'a str,
    value: &'a Value,
    /// Declared on the Path Item rather than the Operation.
    path_level: bool,
}

/// The parameters of `op`, path-level first, as written (refs resolved).
/// Entries that are not objects with `name` and `in` are `openapi-document`'s.
fn params<'a>(spec: &'a Spec, op: &Operation<'a>) -> Vec<Param<'a>> {
    let mut out = Vec::new();
    for (holder, pointer, path_level) in [
        (op.path_item, &op.path_pointer, true),
        (op.value, &op.pointer, false),
    ] {
        let Some(list) = holder.get("parameters").and_then(Value::as_array) else {
            continue;
        };
        for (i, entry) in list.iter().enumerate() {
            let Some((_, value)) = spec.resolve(entry) else {
                continue;
            };
            let (Some(name), Some(location)) = (
                value.get("name").and_then(Value::as_str),
                value.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            out.push(Param {
                pointer: format!("{pointer}/parameters/{i}"),
                name,
                location,
                value,
                path_level,
            });
        }
    }
    out
}

/// The `{name}`s of a path template, in order.
fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// `path-params`: every `{x}` of the path is declared as an `in: path`
/// parameter, every `in: path` parameter appears in the path, and each is
/// `required: true` (OpenAPI requires it; progenitor asserts it).
pub fn path_params(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    for op in spec.operations() {
        let names = template_names(op.path);
        let params = params(spec, &op);
        let path_params: Vec<&Param<'_>> = params.iter().filter(|p| p.location == "path").collect();
        for name in &names {
            if !path_params.iter().any(|p| p.name == *name) {
                issues.push(Issue::new(
                    op.pointer.clone(),
                    format!("{}: `{{{name}}}` is in the path but no `in: path` parameter named `{name}` is declared", op.label()),
                ));
            }
        }
        for p in &path_params {
            if !names.contains(&p.name) {
                issues.push(Issue::new(
                    p.pointer.clone(),
                    format!("{}: path parameter `{}` does not appear in the path template (no `{{{}}}`)", op.label(), p.name, p.name),
                ));
            }
            if p.value.get("required") != Some(&Value::Bool(true)) {
                issues.push(Issue::new(
                    p.pointer.clone(),
                    format!(
                        "{}: path parameter `{}` must have `required: true`",
                        op.label(),
                        p.name
                    ),
                ));
            }
        }
    }
    issues
}

/// `duplicate-param`: no two parameters of an operation (path-level and
/// operation-level together) share a name. The same name and location twice
/// is a duplicate (or an override that some generators do not apply); the
/// same name in two locations is one parameter for progenitor, which keys
/// parameters by name and keeps only one.
pub fn duplicate_param(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    for op in spec.operations() {
        let params = params(spec, &op);
        for (i, p) in params.iter().enumerate() {
            let Some(first) = params[..i].iter().find(|q| q.name == p.name) else {
                continue;
            };
            let line = spec.line(&first.pointer).unwrap_or(0);
            let message = if first.location != p.location {
                format!(
                    "parameter `{}` is declared in {} (line {line}) and in {}; progenitor keys parameters by name and keeps one, so rename one",
                    p.name, first.location, p.location
                )
            } else if first.path_level && !p.path_level {
                format!(
                    "{}: parameter `{}` (in {}) is already declared for the whole path (line {line}); declare it once",
                    op.label(),
                    p.name,
                    p.location
                )
            } else {
                format!(
                    "parameter `{}` (in {}) is declared twice (first on line {line})",
                    p.name, p.location
                )
            };
            issues.push(Issue::new(p.pointer.clone(), message));
        }
    }
    issues
}

/// `parameter-support`: every parameter is one progenitor can generate: in
/// `path`, `query` or `header` (not `cookie`), described by a `schema` (not
/// `content`), with its location's default `style` (`simple` for path and
/// header, `form` for query). progenitor stops with an error on anything else.
pub fn parameter_support(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    for (pointer, p) in nodes_of(&spec.doc, Kind::Parameter) {
        if p.contains_key("$ref") {
            continue;
        }
        let name = p.get("name").and_then(Value::as_str).unwrap_or("?");
        let location = p.get("in").and_then(Value::as_str).unwrap_or("");
        let default_style = match location {
            "path" | "header" => "simple",
            "query" => "form",
            "cookie" => {
                issues.push(Issue::new(
                    format!("{pointer}/in"),
                    format!(
                        "parameter `{name}`: cookie parameters are not supported by progenitor"
                    ),
                ));
                continue;
            }
            _ => continue, // not a location at all: `openapi-document` reports it
        };
        if !p.contains_key("schema") {
            issues.push(Issue::new(
                pointer.clone(),
                format!("parameter `{name}` has no `schema`; progenitor supports `schema`, not `content`"),
            ));
        }
        if let Some(style) = p.get("style").and_then(Value::as_str)
            && style != default_style
        {
            issues.push(Issue::new(
                    format!("{pointer}/style"),
                    format!("parameter `{name}`: `style: {style}` is not supported by progenitor for {location} parameters (only `{default_style}`)"),
                ));
        }
    }
    issues
}
