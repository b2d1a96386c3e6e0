//! Rules on Schema Objects, wherever they are written.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::lint::spec::{Operation, is_null_only};
use crate::lint::walk::{Kind, Object, nodes_of};
use crate::lint::{Issue, Spec};
use crate::yaml_positions::escape;

/// `required-properties`: every name in a schema's `required` is one of its
/// `properties` (or of the `properties` of its `allOf` members). A misspelt
/// name makes a required field that no type has.
pub fn required_properties(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    for (pointer, schema) in nodes_of(&spec.doc, Kind::Schema) {
        let Some(required) = schema.get("required").and_then(Value::as_array) else {
            continue;
        };
        let mut known = BTreeSet::new();
        property_names(spec, schema, &mut known, 0);
        for (i, name) in required.iter().enumerate() {
            let Some(name) = name.as_str() else {
                issues.push(Issue::new(
                    format!("{pointer}/required/{i}"),
                    format!("`required` lists property names, not {name}"),
                ));
                continue;
            };
            if !known.contains(name) {
                let listed: Vec<&str> = known.iter().map(String::as_str).collect();
                issues.push(Issue::new(
                    format!("{pointer}/required/{i}"),
                    format!(
                        "required property `{name}` is not in `properties` ({})",
                        if listed.is_empty() {
                            "there are none".to_owned()
                        } else {
                            listed.join(", ")
                        }
                    ),
                ));
            }
        }
    }
    issues
}

/// Names of `schema`'s properties, including those of its `allOf` members
/// (resolved through `$ref`s).
fn property_names(spec: &Spec, schema: &Object, out: &mut BTreeSet<String>, depth: usize) {
    if depth > 16 {
        return;
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        out.extend(props.keys().cloned());
    }
    for member in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some((_, Value::Object(m))) = spec.resolve(member) {
            property_names(spec, m, out, depth + 1);
        }
    }
}

/// `enum-values`: every `enum` is a non-empty list without duplicates whose
/// values have the schema's `type` (`null` only with `nullable: true`, or in an
/// untyped schema).
pub fn enum_values(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    for (pointer, schema) in nodes_of(&spec.doc, Kind::Schema) {
        let Some(values) = schema.get("enum") else {
            continue;
        };
        let at = format!("{pointer}/enum");
        let Some(values) = values.as_array() else {
            issues.push(Issue::new(at, "`enum` must be a list of values"));
            continue;
        };
        if values.is_empty() {
            issues.push(Issue::new(at, "`enum` is empty: no value would be valid"));
            continue;
        }
        let ty = schema.get("type").and_then(Value::as_str);
        let nullable = schema.get("nullable") == Some(&Value::Bool(true));
        for (i, value) in values.iter().enumerate() {
            let at = format!("{pointer}/enum/{i}");
            if values[..i].contains(value) {
                issues.push(Issue::new(
                    at.clone(),
                    format!("enum value {value} is listed twice"),
                ));
            }
            if value.is_null() {
                // Untyped, `{enum: [null]}` is the null branch of a nullable reference.
                if ty.is_some() && !nullable {
                    issues.push(Issue::new(
                        at,
                        "`null` in an enum needs `nullable: true` on the schema",
                    ));
                }
            } else if let Some(ty) = ty
                && !has_type(value, ty)
            {
                issues.push(Issue::new(
                    at,
                    format!("enum value {value} is not of the schema's type `{ty}`"),
                ));
            }
        }
    }
    issues
}

/// Whether `value` is of the OpenAPI `type` `ty`.
fn has_type(value: &Value, ty: &str) -> bool {
    match ty {
        "string" => value.is_string(),
        "integer" => value.as_f64().is_some_and(|n| n.fract() == 0.0),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

/// Keys beside a `$ref` that only document: they change no type, but every OpenAPI
/// 3.0 tool drops them, so their text is lost to other generators.
const DOC_KEYS: &[&str] = &[
    "description",
    "title",
    "example",
    "externalDocs",
    "deprecated",
];

/// `ref-siblings`: a schema with `$ref` has no other key. OpenAPI 3.0 ignores
/// every sibling of `$ref`, and so do progenitor and other languages' tools
/// (Spectral's `no-$ref-siblings`, Redocly's `spec-ref-siblings`): a
/// `description` is lost to them, and `{$ref: X, type: ...}` means X alone. Wrap
/// the reference: `{allOf: [{$ref: X}], description: ...}`, which progenitor
/// reads as X itself. (`nullable` beside `$ref` is `nullable-type`'s.)
pub fn ref_siblings(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    for (pointer, schema) in nodes_of(&spec.doc, Kind::Schema) {
        if !schema.contains_key("$ref") {
            continue;
        }
        let ignored: Vec<&str> = schema
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "$ref" && *k != "nullable")
            .collect();
        if let Some(first) = ignored.first() {
            let keys = ignored
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let effect = if ignored.iter().all(|k| DOC_KEYS.contains(k)) {
                "dropped by OpenAPI 3.0 tools (its text is lost to other generators)"
            } else {
                "ignored in OpenAPI 3.0 (and by progenitor)"
            };
            issues.push(Issue::new(
                format!("{pointer}/{}", escape(first)),
                format!(
                    "{keys} beside `$ref` {} {effect}; write `allOf: [{{$ref: ...}}]` instead of the `$ref`, and keep {keys} beside the `allOf`",
                    if ignored.len() == 1 { "is" } else { "are" },
                ),
            ));
        }
    }
    issues
}

/// `nullable-type`: `nullable: true` only where the schema has a `type`. OpenAPI
/// 3.0.3 adds `null` to the values of the `type` beside it, and to nothing else:
/// `{allOf: [{$ref: X}], nullable: true}` or `{$ref: X, nullable: true}` refuses
/// `null` for Spectral, Redocly and other languages' generators (a strict client
/// then fails on the documented `null`). Give the schema its `type`, or write a
/// nullable reference as `oneOf: [{$ref: X}, {enum: [null]}]` (progenitor makes
/// it `Option<X>`).
pub fn nullable_type(spec: &Spec) -> Vec<Issue> {
    nodes_of(&spec.doc, Kind::Schema)
        .into_iter()
        .filter(|(_, s)| s.get("nullable") == Some(&Value::Bool(true)))
        .filter(|(_, s)| s.get("type").is_none())
        .map(|(pointer, s)| {
            let fix = match s.get("$ref").and_then(Value::as_str).or_else(|| single_ref(s)) {
                Some(r) => format!("write `oneOf: [{{$ref: '{r}'}}, {{enum: [null]}}]` instead"),
                None => "give the schema its `type`".to_owned(),
            };
            Issue::new(
                format!("{pointer}/nullable"),
                format!(
                    "`nullable: true` without a `type` admits no `null` in OpenAPI 3.0.3 (Spectral, Redocly and other generators refuse it); {fix}"
                ),
            )
        })
        .collect()
}

/// The reference of `{allOf: [{$ref: X}], ...}`.
fn single_ref(schema: &Object) -> Option<&str> {
    match schema.get("allOf").and_then(Value::as_array)?.as_slice() {
        [only] => only.get("$ref").and_then(Value::as_str),
        _ => None,
    }
}

/// `array-items`: every `type: array` schema has `items` (OpenAPI 3.0
/// requires it; generators reject or guess otherwise).
pub fn array_items(spec: &Spec) -> Vec<Issue> {
    nodes_of(&spec.doc, Kind::Schema)
        .into_iter()
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("array"))
        .filter(|(_, s)| !s.contains_key("items") && !s.contains_key("$ref"))
        .map(|(pointer, _)| {
            Issue::new(
                pointer,
                "`type: array` without `items`; say what the array holds",
            )
        })
        .collect()
}

/// `open-response-objects`: no object schema used in a response sets
/// `additionalProperties: false`. A field the server adds later must not make
/// old clients reject the response.
pub fn open_response_objects(spec: &Spec) -> Vec<Issue> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<(String, &Value)> = Vec::new();
    let ops = spec.operations();
    for op in &ops {
        response_schemas(spec, op, &mut stack);
    }
    let mut issues = Vec::new();
    while let Some((pointer, schema)) = stack.pop() {
        let Some((target, schema)) = spec.resolve(schema) else {
            continue;
        };
        let pointer = target.unwrap_or(pointer);
        if !seen.insert(pointer.clone()) {
            continue;
        }
        let Some(obj) = schema.as_object() else {
            continue;
        };
        if obj.get("additionalProperties") == Some(&Value::Bool(false)) {
            issues.push(Issue::new(
                format!("{pointer}/additionalProperties"),
                "`additionalProperties: false` on a schema used in a response: a field the server adds later would break existing clients; remove it",
            ));
        }
        let child = |key: &str| format!("{pointer}/{}", escape(key));
        for key in ["items", "additionalProperties", "not"] {
            if let Some(v) = obj.get(key) {
                stack.push((child(key), v));
            }
        }
        if let Some(props) = obj.get("properties").and_then(Value::as_object) {
            for (name, v) in props {
                stack.push((format!("{pointer}/properties/{}", escape(name)), v));
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            for (i, v) in obj
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                stack.push((format!("{}/{i}", child(key)), v));
            }
        }
    }
    issues
}

/// Pushes the schema of every content of every response of `op`.
fn response_schemas<'a>(spec: &'a Spec, op: &Operation<'a>, out: &mut Vec<(String, &'a Value)>) {
    for (status, entry) in op.responses().into_iter().flatten() {
        let Some((target, response)) = spec.resolve(entry) else {
            continue;
        };
        let at = target.unwrap_or_else(|| format!("{}/responses/{}", op.pointer, escape(status)));
        for (media, m) in response
            .get("content")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(schema) = m.get("schema") {
                out.push((format!("{at}/content/{}/schema", escape(media)), schema));
            }
        }
    }
}

/// `one-of-overlap`: no `oneOf` has two branches that one value, as it travels,
/// matches (a validator then refuses the value, since `oneOf` means exactly one).
/// A query, path or header parameter travels as text: `user=8120` matches both an
/// integer and a string branch. A JSON value matches two branches of the same type,
/// an integer and a number, an untyped branch and any other, or `null` and two
/// nullable branches. Use `anyOf`, or a `type: string` where the value is text.
pub fn one_of_overlap(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    for (pointer, param) in nodes_of(&spec.doc, Kind::Parameter) {
        let location = param.get("in").and_then(Value::as_str).unwrap_or("");
        if !matches!(location, "query" | "path" | "header") {
            continue;
        }
        let Some(schema) = param.get("schema") else {
            continue;
        };
        let Some((at, branches)) = reached_one_of(spec, schema) else {
            continue;
        };
        let kinds: Vec<Branch> = branches.iter().map(|b| branch(spec, b)).collect();
        if let Some((a, b)) = overlapping(&kinds, text_overlap) {
            let name = param.get("name").and_then(Value::as_str).unwrap_or("?");
            issues.push(Issue::new(
                format!("{pointer}/schema"),
                format!(
                    "{location} parameter `{name}` is a `oneOf` ({at}) whose branches {a} and {b} \
                     the same text matches (a {location} value is text: `{name}=8120` is both): \
                     use `anyOf`, or `type: string`"
                ),
            ));
        }
    }
    for (pointer, schema) in nodes_of(&spec.doc, Kind::Schema) {
        let Some(branches) = schema.get("oneOf").and_then(Value::as_array) else {
            continue;
        };
        let kinds: Vec<Branch> = branches.iter().map(|b| branch(spec, b)).collect();
        if let Some((a, b)) = overlapping(&kinds, json_overlap) {
            issues.push(Issue::new(
                format!("{pointer}/oneOf"),
                format!(
                    "`oneOf` branches {a} and {b} both match some JSON values: use `anyOf`, \
                     or make the branches exclusive"
                ),
            ));
        }
    }
    issues
}

/// What a `oneOf` branch admits, as far as overlap goes.
#[derive(Clone, Copy)]
struct Branch<'a> {
    /// Its `type`, `None` when it has none (it admits any type); `null` for
    /// `{enum: [null]}`.
    ty: Option<&'a str>,
    nullable: bool,
    /// Untyped but a composition (`oneOf`...): it admits what its members admit,
    /// not `null` unless one of them is nullable (not looked into).
    composed: bool,
}

impl std::fmt::Display for Branch<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.ty {
            Some(ty) => write!(f, "`{ty}`"),
            None => f.write_str("(untyped)"),
        }
    }
}

/// A branch with its `$ref`s and a single `allOf` followed.
fn branch<'a>(spec: &'a Spec, value: &'a Value) -> Branch<'a> {
    let mut value = value;
    for _ in 0..8 {
        value = spec.resolve(value).map_or(value, |(_, v)| v);
        match value.get("allOf").and_then(Value::as_array) {
            Some(all) if all.len() == 1 && value.get("type").is_none() => value = &all[0],
            _ => break,
        }
    }
    // `{enum: [null]}`, the null branch of a nullable reference, admits `null` alone.
    if is_null_only(value) {
        return Branch {
            ty: Some("null"),
            nullable: true,
            composed: false,
        };
    }
    Branch {
        ty: value.get("type").and_then(Value::as_str),
        nullable: value.get("nullable") == Some(&Value::Bool(true)),
        composed: ["oneOf", "anyOf", "allOf"]
            .iter()
            .any(|k| value.get(*k).is_some()),
    }
}

/// The `oneOf` list a parameter's schema is, through `$ref`s and single `allOf`s,
/// with a label of where it is written.
fn reached_one_of<'a>(spec: &'a Spec, schema: &'a Value) -> Option<(String, &'a Vec<Value>)> {
    let mut value = schema;
    let mut label = "written inline".to_owned();
    for _ in 0..8 {
        if let Some((Some(target), v)) = spec.resolve(value) {
            label = format!("`{}`", target.rsplit('/').next().unwrap_or(&target));
            value = v;
        }
        if let Some(one) = value.get("oneOf").and_then(Value::as_array) {
            return Some((label, one));
        }
        match value.get("allOf").and_then(Value::as_array) {
            Some(all) if all.len() == 1 => value = &all[0],
            _ => return None,
        }
    }
    None
}

/// The first pair of branches `overlap` says one value can match.
fn overlapping<'a>(
    kinds: &[Branch<'a>],
    overlap: fn(Branch<'_>, Branch<'_>) -> bool,
) -> Option<(Branch<'a>, Branch<'a>)> {
    kinds.iter().enumerate().find_map(|(i, a)| {
        kinds[i + 1..]
            .iter()
            .find(|b| overlap(*a, **b))
            .map(|b| (*a, *b))
    })
}

const SCALARS: &[&str] = &["string", "integer", "number", "boolean"];

/// As text: a string (or untyped) branch matches what any scalar branch matches;
/// an integer's text is also a number's.
fn text_overlap(a: Branch<'_>, b: Branch<'_>) -> bool {
    let scalar = |x: Branch<'_>| x.ty.is_none_or(|t| SCALARS.contains(&t));
    let is = |x: Branch<'_>, t: &str| x.ty.is_none_or(|ty| ty == t);
    scalar(a)
        && scalar(b)
        && (is(a, "string") || is(b, "string") || numeric_pair(a, b) || a.ty == b.ty)
}

/// As JSON: the same type twice, an integer and a number, an untyped branch, or
/// two branches that both admit `null` (`{enum: [null]}` admits it alone).
fn json_overlap(a: Branch<'_>, b: Branch<'_>) -> bool {
    // The null branch of a nullable reference overlaps only what admits `null`.
    if a.ty == Some("null") || b.ty == Some("null") {
        let admits_null = |x: Branch<'_>| x.nullable || (x.ty.is_none() && !x.composed);
        return admits_null(a) && admits_null(b);
    }
    a.ty.is_none()
        || b.ty.is_none()
        || a.ty == b.ty
        || numeric_pair(a, b)
        || (a.nullable && b.nullable)
}

fn numeric_pair(a: Branch<'_>, b: Branch<'_>) -> bool {
    matches!(
        (a.ty, b.ty),
        (Some("integer"), Some("number")) | (Some("number"), Some("integer"))
    )
}
