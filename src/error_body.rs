//! Reads the API's error bodies, in every shape the documentation shows and leniently
//! beyond it: a new shape must never hide the status and the excerpt.
//!
//! - v2: `{"errors": {"field": "message"}, "error_code": "...", "error_message": "...", "detail": "..."}`
//! - legacy: `{"detail": "...", "errors": [{"field": "message"}]}`
//! - authentication: `{"detail": "..."}`

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error_code::ErrorCode;

/// The key Django uses for errors not tied to one field.
pub(crate) const NON_FIELD_ERRORS: &str = "__all__";

/// What an error body says; every part is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ErrorBody {
    pub(crate) is_json: bool,
    pub(crate) code: Option<ErrorCode>,
    pub(crate) message: Option<String>,
    pub(crate) detail: Option<String>,
    pub(crate) field_errors: BTreeMap<String, Vec<String>>,
}

impl ErrorBody {
    /// Parses a body; `None` unless it is a JSON object.
    pub(crate) fn parse(bytes: &[u8]) -> Option<Self> {
        let Value::Object(map) = serde_json::from_slice::<Value>(bytes).ok()? else {
            return None;
        };
        let mut body = ErrorBody {
            is_json: true,
            code: map
                .get("error_code")
                .and_then(text)
                .map(|c| ErrorCode::from(c.as_str())),
            message: map.get("error_message").and_then(text),
            detail: map.get("detail").and_then(text),
            field_errors: BTreeMap::new(),
        };
        match map.get("errors") {
            Some(Value::Object(fields)) => body.add_fields(fields),
            Some(Value::Array(items)) => {
                for item in items {
                    match item {
                        Value::Object(fields) => body.add_fields(fields),
                        other => body.add(NON_FIELD_ERRORS, other),
                    }
                }
            }
            Some(Value::Null) | None => {}
            Some(other) => body.add(NON_FIELD_ERRORS, other),
        }
        Some(body)
    }

    fn add_fields(&mut self, fields: &serde_json::Map<String, Value>) {
        for (field, messages) in fields {
            self.add(field, messages);
        }
    }

    /// Adds one message, or each message of a list (Django REST framework sends lists).
    fn add(&mut self, field: &str, messages: &Value) {
        let list = self.field_errors.entry(field.to_owned()).or_default();
        match messages {
            Value::Array(items) => list.extend(items.iter().filter_map(text)),
            other => list.extend(text(other)),
        }
    }
}

/// A JSON value as message text: strings as they are, other scalars and structures
/// as JSON; `null` as nothing.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_v2_shape() {
        let body = ErrorBody::parse(
            br#"{"errors": {"__all__": "User not found"}, "error_message": "User not found",
                 "error_code": "invalid_data", "detail": "__all__: User not found"}"#,
        )
        .unwrap();
        assert_eq!(body.code, Some(ErrorCode::InvalidData));
        assert_eq!(body.message.as_deref(), Some("User not found"));
        assert_eq!(body.field_errors[NON_FIELD_ERRORS], ["User not found"]);
    }

    #[test]
    fn reads_the_legacy_list_of_maps() {
        let body = ErrorBody::parse(br#"{"detail": "x", "errors": [{"reward": "This field is required"}, {"reward": "again"}]}"#)
            .unwrap();
        assert_eq!(
            body.field_errors["reward"],
            ["This field is required", "again"]
        );
        assert_eq!(body.code, None);
    }

    #[test]
    fn keeps_odd_shapes_as_non_field_errors() {
        let body = ErrorBody::parse(br#"{"errors": "Something broke", "error_code": 7}"#).unwrap();
        assert_eq!(body.field_errors[NON_FIELD_ERRORS], ["Something broke"]);
        assert_eq!(body.code, Some(ErrorCode::Other("7".into())));
        let lists =
            ErrorBody::parse(br#"{"errors": {"email": ["taken", "invalid"], "n": null}}"#).unwrap();
        assert_eq!(lists.field_errors["email"], ["taken", "invalid"]);
        assert!(lists.field_errors["n"].is_empty());
    }

    #[test]
    fn refuses_what_is_not_a_json_object() {
        for body in [
            &b"<html>Server error - 500</html>"[..],
            b"[1]",
            b"null",
            b"",
            b"\"x\"",
            b"{\"a\":",
        ] {
            assert_eq!(
                ErrorBody::parse(body),
                None,
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
