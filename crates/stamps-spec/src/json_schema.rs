//! OpenAPI 3.0 Schema Objects as JSON Schema (draft 7), so that the
//! `jsonschema` crate can validate examples with OpenAPI's meaning:
//!
//! - `nullable: true` admits `null` (3.0 has no `null` type), and only beside a
//!   `type`, as OpenAPI 3.0.3 says: without one (`{allOf: [X], nullable: true}`)
//!   it adds nothing, and the other keywords keep their meaning, so an `allOf`
//!   member that refuses `null` still refuses it. Spectral and Redocly read it
//!   so, and so do generators in other languages: an example that needs more
//!   fails here as it fails there. Write a nullable reference as
//!   `oneOf: [{$ref: X}, {enum: [null]}]`;
//! - the siblings of `$ref` are dropped (3.0 ignores them);
//! - boolean `exclusiveMinimum`/`exclusiveMaximum` (draft 4 style) become
//!   draft 7's numeric ones;
//! - OpenAPI-only keywords (`discriminator`, `readOnly`, `example`, `x-`...)
//!   are dropped.
//!
//! `$ref`s are kept as they are (`#/components/schemas/X`): the validator's
//! root document carries the converted components at the same place.

use serde_json::{Map, Value, json};

/// JSON Schema keywords that mean the same in OpenAPI 3.0 and draft 7 and
/// take no subschema.
const PLAIN_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "enum",
    "multipleOf",
    "maximum",
    "minimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "title",
    "description",
];

/// Converts one OpenAPI 3.0 Schema Object (and its subschemas).
pub fn convert(schema: &Value) -> Value {
    let Some(obj) = schema.as_object() else {
        // Not a schema; `openapi-document` reports it. Accept anything here.
        return json!({});
    };
    if let Some(r) = obj.get("$ref") {
        return json!({ "$ref": r });
    }
    let mut out = Map::new();
    for (key, value) in obj {
        match key.as_str() {
            "properties" => {
                let props = value.as_object().map(|props| {
                    props
                        .iter()
                        .map(|(name, s)| (name.clone(), convert(s)))
                        .collect::<Map<_, _>>()
                });
                out.insert(key.clone(), Value::Object(props.unwrap_or_default()));
            }
            "items" | "not" => {
                out.insert(key.clone(), convert(value));
            }
            "additionalProperties" => {
                let v = if value.is_boolean() {
                    value.clone()
                } else {
                    convert(value)
                };
                out.insert(key.clone(), v);
            }
            "allOf" | "oneOf" | "anyOf" => {
                let members = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(convert)
                    .collect();
                out.insert(key.clone(), Value::Array(members));
            }
            "exclusiveMinimum" | "exclusiveMaximum" => {
                let bound = if key == "exclusiveMinimum" {
                    "minimum"
                } else {
                    "maximum"
                };
                if value == &Value::Bool(true)
                    && let Some(limit) = obj.get(bound)
                {
                    out.insert(key.clone(), limit.clone());
                }
            }
            k if PLAIN_KEYWORDS.contains(&k) => {
                out.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    // A boolean exclusive bound replaces the inclusive one.
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if out.contains_key(exclusive) {
            out.remove(bound);
        }
    }
    integer_bounds(&mut out);
    if obj.get("nullable") == Some(&Value::Bool(true)) {
        return nullable(out);
    }
    Value::Object(out)
}

/// OpenAPI's `int32` and `int64` formats bound an integer; JSON Schema knows neither,
/// so they become `minimum`/`maximum` (where the schema sets no narrower one). The
/// lower bound of `int64` is `-(2^63 - 1)`: a JSON number below `-2^63` is read as a
/// float that rounds to `-2^63`, and would otherwise pass.
fn integer_bounds(schema: &mut Map<String, Value>) {
    let (low, high): (i64, i64) = match schema.get("format").and_then(Value::as_str) {
        Some("int32") => (i32::MIN.into(), i32::MAX.into()),
        Some("int64") => (-i64::MAX, i64::MAX),
        _ => return,
    };
    let narrower = |key: &str, keep: &dyn Fn(f64) -> bool| {
        schema.get(key).and_then(Value::as_f64).is_some_and(keep)
    };
    let keep_min =
        narrower("minimum", &|m| m >= low as f64) || schema.contains_key("exclusiveMinimum");
    let keep_max =
        narrower("maximum", &|m| m <= high as f64) || schema.contains_key("exclusiveMaximum");
    if !keep_min {
        schema.insert("minimum".to_owned(), low.into());
    }
    if !keep_max {
        schema.insert("maximum".to_owned(), high.into());
    }
}

/// Adds `null` to the schema's `type` (and `enum`), as OpenAPI 3.0.3's `nullable`
/// does; a schema without a `type` is left as it is.
fn nullable(mut schema: Map<String, Value>) -> Value {
    if let Some(ty) = schema.get("type").and_then(Value::as_str) {
        let ty = ty.to_owned();
        schema.insert("type".to_owned(), json!([ty, "null"]));
        if let Some(Value::Array(values)) = schema.get_mut("enum")
            && !values.contains(&Value::Null)
        {
            values.push(Value::Null);
        }
    }
    Value::Object(schema)
}

/// The converted `components.schemas` of `doc`, as the object that the
/// validator's root document holds under `components`.
pub fn components(doc: &Value) -> Value {
    let schemas: Map<String, Value> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, s)| (name.clone(), convert(s)))
        .collect();
    json!({ "schemas": schemas })
}

/// A JSON Schema document that validates what `schema` (an OpenAPI schema of `doc`,
/// perhaps a `$ref`) describes, with `doc`'s components converted beside it so that
/// references resolve: the root the `jsonschema` crate is given.
pub fn rooted(doc: &Value, schema: &Value) -> Value {
    json!({ "allOf": [convert(schema)], "components": components(doc) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_formats_bound_the_value() {
        let s = convert(&json!({"type": "integer", "format": "int64", "minimum": 1}));
        assert_eq!(
            s,
            json!({"type": "integer", "format": "int64", "minimum": 1, "maximum": i64::MAX})
        );
        let s = convert(&json!({"type": "integer", "format": "int32"}));
        assert_eq!(s["minimum"], i32::MIN);
        assert_eq!(s["maximum"], i32::MAX);
        assert_eq!(
            convert(&json!({"type": "integer"})),
            json!({"type": "integer"})
        );
    }

    #[test]
    fn nullable_adds_null_to_type_and_enum() {
        let s = convert(&json!({"type": "string", "enum": ["a"], "nullable": true}));
        assert_eq!(s, json!({"type": ["string", "null"], "enum": ["a", null]}));
    }

    #[test]
    fn nullable_without_type_adds_nothing() {
        let s = convert(&json!({"allOf": [{"$ref": "#/components/schemas/X"}], "nullable": true}));
        assert_eq!(s, json!({"allOf": [{"$ref": "#/components/schemas/X"}]}));
        // Beside a type, the `allOf` still applies: it refuses `null` if X does.
        let s = convert(&json!({"type": "object", "allOf": [{"$ref": "#/x"}], "nullable": true}));
        assert_eq!(
            s,
            json!({"type": ["object", "null"], "allOf": [{"$ref": "#/x"}]})
        );
    }

    #[test]
    fn a_nullable_reference_is_a_one_of_with_null() {
        let s = convert(&json!({"oneOf": [{"$ref": "#/x"}, {"enum": [null]}]}));
        assert_eq!(s, json!({"oneOf": [{"$ref": "#/x"}, {"enum": [null]}]}));
    }

    #[test]
    fn ref_siblings_and_openapi_keywords_are_dropped() {
        let s = convert(&json!({"$ref": "#/components/schemas/X", "nullable": true}));
        assert_eq!(s, json!({"$ref": "#/components/schemas/X"}));
        let s = convert(&json!({"type": "object", "readOnly": true, "example": {}, "x-a": 1}));
        assert_eq!(s, json!({"type": "object"}));
    }

    #[test]
    fn boolean_exclusive_bounds_become_numbers() {
        let s = convert(&json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true}));
        assert_eq!(s, json!({"type": "integer", "exclusiveMinimum": 0}));
        let s = convert(&json!({"type": "integer", "maximum": 9, "exclusiveMaximum": false}));
        assert_eq!(s, json!({"type": "integer", "maximum": 9}));
    }

    #[test]
    fn subschemas_are_converted() {
        let s = convert(&json!({
            "type": "object",
            "properties": {"a": {"type": "integer", "nullable": true}},
            "additionalProperties": {"type": "string", "nullable": true},
            "items": {"$ref": "#/x", "type": "string"}
        }));
        assert_eq!(
            s,
            json!({
                "type": "object",
                "properties": {"a": {"type": ["integer", "null"]}},
                "additionalProperties": {"type": ["string", "null"]},
                "items": {"$ref": "#/x"}
            })
        );
    }
}
