//! Rules on Schema Objects, wherever they are written.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::lint::spec::Operation;
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
/// values have the schema's `type` (`null` only with `nullable: true`).
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
                if !nullable {
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

/// Keys beside a `$ref` that only document, so losing them changes no type.
const DOC_KEYS: &[&str] = &[
    "description",
    "title",
    "example",
    "externalDocs",
    "deprecated",
];

/// `ref-siblings`: a schema with `$ref` has no other keys that change the
/// type (`nullable`, `type`, `properties`, ...). OpenAPI 3.0 ignores every
/// sibling of `$ref`, and so does progenitor: `{$ref: X, nullable: true}`
/// generates a non-nullable field that fails on `null`. Wrap the reference
/// instead: `{allOf: [{$ref: X}], nullable: true}`.
pub fn ref_siblings(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    for (pointer, schema) in nodes_of(&spec.doc, Kind::Schema) {
        if !schema.contains_key("$ref") {
            continue;
        }
        let ignored: Vec<&str> = schema
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "$ref" && !k.starts_with("x-") && !DOC_KEYS.contains(k))
            .collect();
        if let Some(first) = ignored.first() {
            let keys = ignored
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            issues.push(Issue::new(
                format!("{pointer}/{}", escape(first)),
                format!(
                    "{keys} beside `$ref` {} ignored in OpenAPI 3.0 (and by progenitor); write `allOf: [{{$ref: ...}}]` instead of the `$ref`, and keep {keys} beside the `allOf`",
                    if ignored.len() == 1 { "is" } else { "are" },
                ),
            ));
        }
    }
    issues
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
