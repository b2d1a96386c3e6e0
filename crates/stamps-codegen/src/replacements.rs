//! The hand-written types that replace spec schemas ([`REPLACEMENTS`]) describe
//! themselves to `schemars` with the spec's own schema, converted to JSON Schema and
//! inlined: what the spec says of them, by construction.

use std::fmt::Write as _;

use serde_json::Value;

use stamps_spec::{REPLACEMENTS, Spec, json_schema};

/// The spec's schema `name`, as self-contained JSON Schema (every `$ref` inlined).
pub fn inlined(spec: &Spec, name: &str) -> Option<Value> {
    let schema = spec.doc.pointer(&format!("/components/schemas/{name}"))?;
    Some(inline(spec, json_schema::convert(schema), 0))
}

fn inline(spec: &Spec, value: Value, depth: usize) -> Value {
    match value {
        Value::Object(mut members) => {
            if let Some(name) = members
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                && depth < 16
                && let Some(target) = spec.doc.pointer(&format!("/components/schemas/{name}"))
            {
                return inline(spec, json_schema::convert(target), depth + 1);
            }
            for v in members.values_mut() {
                *v = inline(spec, std::mem::take(v), depth);
            }
            Value::Object(members)
        }
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| inline(spec, v, depth)).collect())
        }
        other => other,
    }
}

/// Rust source: `impl schemars::JsonSchema` for each hand-written replacement
/// (`crate::...`), returning the spec's schema.
pub fn render_schemars(spec: &Spec) -> String {
    let mut out = String::new();
    let mut done: Vec<&str> = Vec::new();
    for (schema, rust) in REPLACEMENTS {
        if !rust.starts_with("crate::") || rust.starts_with("crate::types::") || done.contains(rust)
        {
            continue;
        }
        done.push(rust);
        let Some(json) = inlined(spec, schema) else {
            continue;
        };
        let _ = write!(
            out,
            "impl schemars::JsonSchema for {rust} {{\n    \
             fn schema_name() -> String {{\n        {schema:?}.to_owned()\n    }}\n    \
             fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {{\n        \
             ::serde_json::from_str({text:?}).expect(\"build.rs writes a valid schema\")\n    }}\n}}\n",
            text = json.to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inlines_references_and_renders_one_impl_per_type() {
        let spec = Spec::from_yaml(include_str!("../../../openapi/stamps.yaml")).unwrap();
        let user_id = inlined(&spec, "UserId").unwrap();
        assert!(!user_id.to_string().contains("$ref"), "{user_id}");
        assert!(user_id.to_string().contains("\"integer\""), "{user_id}");
        let rust = render_schemars(&spec);
        assert!(
            rust.contains("impl schemars::JsonSchema for crate::UserRef {"),
            "{rust}"
        );
        assert!(rust.contains("impl schemars::JsonSchema for crate::Date {"));
        assert!(!rust.contains("crate::types::Gender"));
        assert_eq!(rust.matches("for crate::UserId {").count(), 1);
    }
}
