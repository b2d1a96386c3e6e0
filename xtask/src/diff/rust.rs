//! What the diff needs to know about how build.rs, progenitor and typify turn
//! the spec into Rust, to say which changes the Rust API sees.
//!
//! - Methods are named after `operationId`s (`Client::get_member_details`),
//!   query parameters are builder methods named after the parameter, and
//!   body fields are builder methods of `types::builder::<Schema>`.
//! - Component schemas become `types::<Name>` (all of them, used or not),
//!   except those build.rs replaces with hand-written types ([`REPLACED`]).
//! - A `token` query parameter, and a `token` property that is a `$ref` to
//!   `Token`, never reached Rust: build.rs removed them while the spec declared
//!   them (until the docs of 2025-10-29), so a diff against such a spec still
//!   treats them as absent.
//! - typify's enums are exhaustive and its structs have public fields; a
//!   required property is `T`, an optional one `Option<T>` unless it has a
//!   `default`; strings with `minLength`/`maxLength`/`pattern` become
//!   newtypes; integers take their Rust type from `format` and `minimum`
//!   (`minimum: 1` is a `NonZeroU64`).

use serde_json::Value;

/// build.rs's replacements (`stamps_spec::REPLACEMENTS`): spec schemas that are
/// hand-written Rust types, so that their contents do not change the generated API.
pub const REPLACED: &[(&str, &str)] = stamps_spec::REPLACEMENTS;

/// The parameter and body property build.rs removed (see the module's doc).
pub const TOKEN: &str = "token";
/// The schema a `token` body property had to refer to for build.rs to remove it.
pub const TOKEN_REF: &str = "#/components/schemas/Token";
/// The schema component of the `token` credential (no Rust type is made of it).
pub const TOKEN_SCHEMA: &str = "Token";

/// The hand-written type build.rs puts in place of component `name`, if any.
pub fn replacement(name: &str) -> Option<&'static str> {
    REPLACED
        .iter()
        .find(|(schema, _)| *schema == name)
        .map(|(_, rust)| *rust)
}

/// The Rust type a `$ref` to component `name` becomes.
pub fn type_of_component(name: &str) -> String {
    match replacement(name) {
        Some(rust) => format!("`{rust}`"),
        None => format!("`types::{}`", pascal_case(name)),
    }
}

/// `Client::<id>`, the method generated for an operation.
pub fn method(operation_id: &str) -> String {
    format!("`Client::{operation_id}`")
}

/// typify's name for a type: the schema name in PascalCase.
pub fn pascal_case(name: &str) -> String {
    name.split(['_', '-', ' ', '.'])
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect()
}

/// A coarse name of the Rust type typify makes of a scalar schema, from the
/// keywords that choose it: two schemas with different shapes have different
/// Rust types. `None` for non-scalars.
pub fn scalar_shape(schema: &Value) -> Option<String> {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    match schema.get("type").and_then(Value::as_str)? {
        "integer" => {
            let minimum = schema.get("minimum").and_then(Value::as_f64);
            let bits = match format {
                "int8" | "uint8" => "8",
                "int16" | "uint16" => "16",
                "int32" | "uint32" => "32",
                _ => "64",
            };
            let unsigned = format.starts_with('u') || minimum.is_some_and(|m| m >= 0.0);
            let non_zero = minimum.is_some_and(|m| m >= 1.0);
            let maximum = schema.get("maximum").map(Value::to_string);
            Some(format!(
                "{}{}{bits} max={}",
                if non_zero { "NonZero" } else { "" },
                if unsigned { "u" } else { "i" },
                maximum.unwrap_or_default()
            ))
        }
        "number" => Some(if format == "float" { "f32" } else { "f64" }.to_owned()),
        "string" => {
            let base = match format {
                "date" => "NaiveDate",
                "date-time" => "DateTime",
                "uuid" => "Uuid",
                "ip" | "ipv4" | "ipv6" => "IpAddr",
                _ => "String",
            };
            let constrained = ["minLength", "maxLength", "pattern"]
                .iter()
                .any(|key| schema.get(key).is_some());
            Some(if constrained && base == "String" {
                "String newtype".to_owned()
            } else {
                base.to_owned()
            })
        }
        "boolean" => Some("bool".to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `REPLACED` is build.rs's `REPLACEMENTS`, entry for entry.
    #[test]
    fn names() {
        assert_eq!(pascal_case("add_child_request"), "AddChildRequest");
        assert_eq!(pascal_case("BalanceUpdateRequest"), "BalanceUpdateRequest");
        assert_eq!(type_of_component("UserIdentifier"), "`crate::UserRef`");
        assert_eq!(type_of_component("Membership"), "`types::Membership`");
    }

    #[test]
    fn shapes() {
        let shape = |text: &str| scalar_shape(&serde_json::from_str(text).unwrap());
        assert_eq!(
            shape(r#"{"type":"integer","format":"int64","minimum":1}"#),
            shape(r#"{"type":"integer","minimum":2}"#)
        );
        assert_ne!(
            shape(r#"{"type":"integer","minimum":1}"#),
            shape(r#"{"type":"integer","minimum":0}"#)
        );
        assert_ne!(
            shape(r#"{"type":"string"}"#),
            shape(r#"{"type":"string","minLength":1}"#)
        );
        assert_eq!(
            shape(r#"{"type":"string","format":"email"}"#),
            shape(r#"{"type":"string"}"#)
        );
        assert_eq!(shape(r#"{"type":"object"}"#), None);
    }
}
