//! The error answers of the fake, in the shapes the documentation shows.
//!
//! - v2/v3 and accounts pages (400):
//!   `{"errors": {"field": "message"}, "error_code": "...", "error_message": "...", "detail": "field: message"}`
//! - legacy pages, i.e. Children, Pets, legacy Membership and Balance (400):
//!   `{"detail": "Your transaction cannot be completed due to the following error(s)", "errors": [{"field": "message"}]}`
//! - authentication (401): `{"detail": "Invalid token"}`

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// The `detail` of every legacy 400, as in the documentation's example.
const LEGACY_DETAIL: &str = "Your transaction cannot be completed due to the following error(s)";

/// The key for errors not tied to one field.
pub(super) const ALL: &str = "__all__";

/// Which documentation page's error shape an operation answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Style {
    /// Children, Pets, legacy Membership and Balance pages: `errors` is a list of maps.
    Legacy,
    /// Membership v2/v3 and accounts pages: `errors` is a map, with `error_code`.
    V2,
}

/// A message of a field error. "This field is required" is the one message whose
/// spelling differs between the pages (the v2 one ends with a period).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Message {
    /// The field is missing.
    Required,
    /// Any other message, the same on every page.
    Text(String),
}

impl Message {
    fn render(&self, style: Style) -> String {
        match (self, style) {
            (Message::Required, Style::Legacy) => "This field is required".to_owned(),
            (Message::Required, Style::V2) => "This field is required.".to_owned(),
            (Message::Text(text), _) => text.clone(),
        }
    }
}

/// Why a request is refused, before it is rendered in its page's shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Problem {
    /// 400 with field errors; `code` is the v2 `error_code` (legacy bodies have none).
    Invalid {
        /// The v2 `error_code`, e.g. `invalid_data`.
        code: &'static str,
        /// Field name (or [`ALL`]) and message, in the order they were found.
        fields: Vec<(String, Message)>,
    },
    /// 403 `{"detail": ...}`: the request names another merchant than the token's.
    Forbidden(String),
}

impl Problem {
    /// An `invalid_data` error on one field.
    pub(super) fn field(field: &str, message: impl Into<String>) -> Self {
        Problem::coded("invalid_data", field, message)
    }

    /// An error with a documented `error_code` on one field.
    pub(super) fn coded(code: &'static str, field: &str, message: impl Into<String>) -> Self {
        Problem::Invalid {
            code,
            fields: vec![(field.to_owned(), Message::Text(message.into()))],
        }
    }

    /// The documentation's "User not found" (`__all__`, `invalid_data`).
    pub(super) fn user_not_found() -> Self {
        Problem::field(ALL, "User not found")
    }

    /// Renders the problem as its page documents it.
    pub(super) fn render(&self, style: Style) -> Response {
        match self {
            Problem::Forbidden(detail) => {
                (StatusCode::FORBIDDEN, Json(json!({ "detail": detail }))).into_response()
            }
            Problem::Invalid { code, fields } => {
                let body = match style {
                    Style::Legacy => legacy_body(fields),
                    Style::V2 => v2_body(code, fields),
                };
                (StatusCode::BAD_REQUEST, Json(body)).into_response()
            }
        }
    }
}

fn legacy_body(fields: &[(String, Message)]) -> Value {
    let errors: Vec<Value> = fields
        .iter()
        .map(|(field, message)| json!({ field: message.render(Style::Legacy) }))
        .collect();
    json!({ "detail": LEGACY_DETAIL, "errors": errors })
}

/// All fields go in `errors`; `error_message` and `detail` name the first one, as the
/// documented single-field examples do.
fn v2_body(code: &str, fields: &[(String, Message)]) -> Value {
    let mut errors = Map::new();
    for (field, message) in fields {
        errors
            .entry(field.clone())
            .or_insert_with(|| message.render(Style::V2).into());
    }
    let (first_field, first_message) = fields
        .first()
        .map(|(f, m)| (f.as_str(), m.render(Style::V2)))
        .unwrap_or((ALL, "Invalid data".to_owned()));
    json!({
        "errors": errors,
        "error_code": code,
        "error_message": first_message,
        "detail": format!("{first_field}: {first_message}"),
    })
}

/// 401 `{"detail": "Invalid token"}`: a missing or wrong credential.
pub(super) fn invalid_token() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Token")],
        Json(json!({ "detail": "Invalid token" })),
    )
        .into_response()
}

/// 400 for a body that is not JSON, as Django REST framework words it.
pub(super) fn json_parse_error(error: &serde_json::Error) -> Response {
    let detail = format!("JSON parse error - {error}");
    (StatusCode::BAD_REQUEST, Json(json!({ "detail": detail }))).into_response()
}

/// 400 for a JSON body that is not an object.
pub(super) fn not_an_object() -> Response {
    let detail = "Invalid data. Expected a dictionary, but got a different type.";
    (StatusCode::BAD_REQUEST, Json(json!({ "detail": detail }))).into_response()
}

/// 415 for a POST whose body is not declared as JSON.
pub(super) fn unsupported_media_type(content_type: &str) -> Response {
    let detail = format!("Unsupported media type \"{content_type}\" in request.");
    (
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Json(json!({ "detail": detail })),
    )
        .into_response()
}

/// 405 `{"detail": "Method \"GET\" not allowed."}`.
pub(super) fn method_not_allowed(method: &str) -> Response {
    let detail = format!("Method \"{method}\" not allowed.");
    (
        StatusCode::METHOD_NOT_ALLOWED,
        Json(json!({ "detail": detail })),
    )
        .into_response()
}

/// An HTML error page, as Stamps (or a proxy) sends for 404 and 5xx.
pub(super) fn html(status: StatusCode, body: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_lists_every_field_and_names_the_first() {
        let problem = Problem::Invalid {
            code: "invalid_data",
            fields: vec![
                ("user".into(), Message::Required),
                ("name".into(), Message::Text("Too long".into())),
            ],
        };
        let Problem::Invalid { code, fields } = &problem else {
            unreachable!()
        };
        assert_eq!(
            v2_body(code, fields),
            json!({
                "errors": {"user": "This field is required.", "name": "Too long"},
                "error_code": "invalid_data",
                "error_message": "This field is required.",
                "detail": "user: This field is required.",
            })
        );
        assert_eq!(
            legacy_body(fields),
            json!({
                "detail": LEGACY_DETAIL,
                "errors": [{"user": "This field is required"}, {"name": "Too long"}],
            })
        );
    }
}
