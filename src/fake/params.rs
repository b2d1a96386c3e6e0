//! A request's parameters (the query string of a GET, the JSON body of a POST) and
//! their validation, with the messages Django REST framework gives.
//!
//! Handlers read every field they need, then call [`Params::finish`]: it fails with
//! all the field errors at once, so that a handler never acts on a partly valid
//! request. Until then, a missing or invalid field reads as a placeholder value.

use axum::extract::{FromRequest, Query, Request};
use axum::http::{Method, header};
use axum::response::Response;
use bytes::Bytes;
use serde_json::{Map, Value};

use super::errors::{self, Message, Problem};
use super::state::Gender;
use crate::{Date, UserRef};

/// The parameters of a request, or the answer refusing its body.
pub(super) struct Input(pub(super) Result<Map<String, Value>, Response>);

impl<S: Send + Sync> FromRequest<S> for Input {
    type Rejection = std::convert::Infallible;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if request.method() == Method::GET {
            let pairs = Query::<Vec<(String, String)>>::try_from_uri(request.uri())
                .map(|q| q.0)
                .unwrap_or_default();
            let map = pairs
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect();
            return Ok(Input(Ok(map)));
        }
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let essence = content_type.split(';').next().unwrap_or("").trim();
        if !essence.eq_ignore_ascii_case("application/json") {
            return Ok(Input(Err(errors::unsupported_media_type(&content_type))));
        }
        let body = match Bytes::from_request(request, state).await {
            Ok(body) => body,
            Err(rejection) => {
                return Ok(Input(Err(axum::response::IntoResponse::into_response(
                    rejection,
                ))));
            }
        };
        Ok(Input(match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(errors::not_an_object()),
            Err(error) => Err(errors::json_parse_error(&error)),
        }))
    }
}

/// Reads and checks fields, collecting every error.
pub(super) struct Params {
    map: Map<String, Value>,
    errors: Vec<(String, Message)>,
    /// The merchant the token belongs to.
    merchant: u64,
    /// A `merchant` field naming another merchant.
    wrong_merchant: Option<u64>,
}

impl Params {
    pub(super) fn new(map: Map<String, Value>, merchant: u64) -> Self {
        Params {
            map,
            errors: Vec::new(),
            merchant,
            wrong_merchant: None,
        }
    }

    /// Ends reading: every field error as `invalid_data`, else 403 for another
    /// merchant's id.
    pub(super) fn finish(&mut self) -> Result<(), Problem> {
        if !self.errors.is_empty() {
            return Err(Problem::Invalid {
                code: "invalid_data",
                fields: std::mem::take(&mut self.errors),
            });
        }
        if let Some(other) = self.wrong_merchant {
            return Err(Problem::Forbidden(format!(
                "You do not have permission to perform this action: this token belongs to merchant {}, not {other}.",
                self.merchant
            )));
        }
        Ok(())
    }

    fn error(&mut self, name: &str, message: impl Into<String>) {
        self.errors
            .push((name.to_owned(), Message::Text(message.into())));
    }

    /// The raw value of a required field; records "required" when it is missing.
    fn required(&mut self, name: &str) -> Option<Value> {
        match self.map.get(name) {
            None => {
                self.errors.push((name.to_owned(), Message::Required));
                None
            }
            Some(Value::Null) => {
                self.error(name, "This field may not be null.");
                None
            }
            Some(value) => Some(value.clone()),
        }
    }

    /// The raw value of an optional field (`null` counts as absent).
    fn optional(&self, name: &str) -> Option<Value> {
        self.map.get(name).filter(|v| !v.is_null()).cloned()
    }

    /// Text, from a string or a number (as Django REST framework's `CharField`).
    fn text_of(&mut self, name: &str, value: Value, allow_blank: bool) -> Option<String> {
        let text = match value {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            _ => {
                self.error(name, "Not a valid string.");
                return None;
            }
        };
        if !allow_blank && text.trim().is_empty() {
            self.error(name, "This field may not be blank.");
            return None;
        }
        Some(text)
    }

    /// A required, non-blank string.
    pub(super) fn string(&mut self, name: &str) -> String {
        self.required(name)
            .and_then(|v| self.text_of(name, v, false))
            .unwrap_or_default()
    }

    /// An optional string (blank allowed).
    pub(super) fn opt_string(&mut self, name: &str) -> Option<String> {
        self.optional(name)
            .and_then(|v| self.text_of(name, v, true))
    }

    fn integer_of(&mut self, name: &str, value: &Value) -> Option<i64> {
        let parsed = match value {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        if parsed.is_none() {
            self.error(name, "A valid integer is required.");
        }
        parsed
    }

    /// A required integer (a JSON number or a string of digits).
    pub(super) fn integer(&mut self, name: &str) -> i64 {
        self.required(name)
            .and_then(|v| self.integer_of(name, &v))
            .unwrap_or_default()
    }

    /// An optional integer.
    pub(super) fn opt_integer(&mut self, name: &str) -> Option<i64> {
        self.optional(name).and_then(|v| self.integer_of(name, &v))
    }

    /// A required integer of at least `min`.
    pub(super) fn at_least(&mut self, name: &str, min: i64) -> u64 {
        let Some(value) = self.required(name) else {
            return 0;
        };
        match self.integer_of(name, &value) {
            Some(n) if n >= min => n as u64,
            Some(_) => {
                self.error(
                    name,
                    format!("Ensure this value is greater than or equal to {min}."),
                );
                0
            }
            None => 0,
        }
    }

    /// The `merchant` field, which must be the token's merchant.
    pub(super) fn merchant(&mut self) {
        let merchant = self.at_least("merchant", 0);
        if self.errors.is_empty() && merchant != self.merchant {
            self.wrong_merchant = Some(merchant);
        }
    }

    /// An optional boolean (`true`/`false`, also as query-string text).
    pub(super) fn opt_bool(&mut self, name: &str) -> Option<bool> {
        match self.optional(name)? {
            Value::Bool(b) => Some(b),
            Value::String(s) => match s.to_ascii_lowercase().as_str() {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => {
                    self.error(name, "Must be a valid boolean.");
                    None
                }
            },
            _ => {
                self.error(name, "Must be a valid boolean.");
                None
            }
        }
    }

    fn date_of(&mut self, name: &str, value: Value) -> Option<String> {
        let text = self.text_of(name, value, false)?;
        match text.parse::<Date>() {
            Ok(date) => Some(date.to_string()),
            Err(_) => {
                self.error(
                    name,
                    "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
                );
                None
            }
        }
    }

    /// A required `YYYY-MM-DD` date.
    pub(super) fn date(&mut self, name: &str) -> String {
        self.required(name)
            .and_then(|v| self.date_of(name, v))
            .unwrap_or_default()
    }

    /// An optional `YYYY-MM-DD` date.
    pub(super) fn opt_date(&mut self, name: &str) -> Option<String> {
        self.optional(name).and_then(|v| self.date_of(name, v))
    }

    fn choice_of(&mut self, name: &str, value: Value, choices: &[&str]) -> Option<String> {
        let text = self.text_of(name, value, true)?;
        if choices.contains(&text.as_str()) {
            Some(text)
        } else {
            self.error(name, format!("\"{text}\" is not a valid choice."));
            None
        }
    }

    /// A required value from `choices`.
    pub(super) fn choice(&mut self, name: &str, choices: &[&str]) -> String {
        self.required(name)
            .and_then(|v| self.choice_of(name, v, choices))
            .unwrap_or_default()
    }

    /// An optional value from `choices`.
    pub(super) fn opt_choice(&mut self, name: &str, choices: &[&str]) -> Option<String> {
        self.optional(name)
            .and_then(|v| self.choice_of(name, v, choices))
    }

    /// A required customer gender: `male` or `female` (any case, as the legacy
    /// examples send `Female`).
    pub(super) fn gender(&mut self, name: &str) -> Option<Gender> {
        let text = self
            .required(name)
            .and_then(|v| self.text_of(name, v, true))?;
        let gender = Gender::parse(&text);
        if gender.is_none() {
            self.error(name, format!("\"{text}\" is not a valid choice."));
        }
        gender
    }

    /// A customer identifier: a JSON integer is a primary key, a string is classified
    /// as [`UserRef`] parses it. `None` for one that does not parse (no member has it).
    fn user_of(&mut self, name: &str, value: Value) -> Option<UserRef> {
        match value {
            Value::Number(n) => n.as_u64().map(UserRef::Id),
            Value::String(s) if s.trim().is_empty() => {
                self.error(name, "This field may not be blank.");
                None
            }
            Value::String(s) => s.parse().ok(),
            _ => {
                self.error(name, "Not a valid string.");
                None
            }
        }
    }

    /// A required customer identifier.
    pub(super) fn user(&mut self, name: &str) -> Option<UserRef> {
        self.required(name).and_then(|v| self.user_of(name, v))
    }

    fn email_of(&mut self, name: &str, value: Value) -> Option<String> {
        let text = self.text_of(name, value, false)?;
        match UserRef::email(&text) {
            Ok(UserRef::Email(email)) => Some(email),
            _ => {
                self.error(name, "Enter a valid email address.");
                None
            }
        }
    }

    /// A required email address.
    pub(super) fn email(&mut self, name: &str) -> String {
        self.required(name)
            .and_then(|v| self.email_of(name, v))
            .unwrap_or_default()
    }

    /// An optional email address.
    pub(super) fn opt_email(&mut self, name: &str) -> Option<String> {
        self.optional(name).and_then(|v| self.email_of(name, v))
    }

    fn mobile_of(&mut self, name: &str, value: Value) -> Option<String> {
        let text = self.text_of(name, value, false)?;
        match UserRef::mobile(&text) {
            Ok(UserRef::Mobile(number)) => Some(number),
            _ => {
                self.error(name, "Enter a valid mobile number.");
                None
            }
        }
    }

    /// A required mobile number, normalised to E.164.
    pub(super) fn mobile(&mut self, name: &str) -> String {
        self.required(name)
            .and_then(|v| self.mobile_of(name, v))
            .unwrap_or_default()
    }

    /// An optional mobile number, normalised to E.164.
    pub(super) fn opt_mobile(&mut self, name: &str) -> Option<String> {
        self.optional(name).and_then(|v| self.mobile_of(name, v))
    }

    /// An optional card number: text without spaces.
    pub(super) fn opt_member_id(&mut self, name: &str) -> Option<String> {
        let text = self.opt_string(name)?;
        match UserRef::member_id(&text) {
            Ok(UserRef::MemberId(card)) => Some(card),
            _ => {
                self.error(name, "Enter a valid member id.");
                None
            }
        }
    }

    /// An optional code-or-label (an integer or a string), as religion and marital
    /// status are sent.
    pub(super) fn opt_code_or_label(&mut self, name: &str) -> Option<Value> {
        match self.optional(name)? {
            value @ (Value::Number(_) | Value::String(_)) => Some(value),
            _ => {
                self.error(name, "Not a valid string.");
                None
            }
        }
    }

    /// An optional JSON object.
    pub(super) fn opt_object(&mut self, name: &str) -> Option<Map<String, Value>> {
        match self.optional(name)? {
            Value::Object(map) => Some(map),
            _ => {
                self.error(
                    name,
                    "Expected a dictionary of items but got a different type.",
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn params(value: Value) -> Params {
        let Value::Object(map) = value else {
            panic!("an object")
        };
        Params::new(map, 14)
    }

    #[test]
    fn collects_every_error_before_failing() {
        let mut p = params(json!({"amount": 0, "user": "", "birthday": "1989-10-1"}));
        p.user("user");
        p.at_least("amount", 1);
        p.date("birthday");
        p.string("name");
        let Err(Problem::Invalid { fields, .. }) = p.finish() else {
            panic!("field errors")
        };
        let names: Vec<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(names, ["user", "amount", "birthday", "name"]);
        assert_eq!(fields[3].1, Message::Required);
    }

    #[test]
    fn reads_query_text_and_json_alike() {
        let mut p = params(json!({"merchant": "14", "verbose": "true", "user": "8120", "n": 7}));
        p.merchant();
        assert_eq!(p.opt_bool("verbose"), Some(true));
        assert_eq!(p.user("user"), Some(UserRef::Id(8120)));
        assert_eq!(p.string("n"), "7");
        p.finish().unwrap();
        let mut other = params(json!({"merchant": 15}));
        other.merchant();
        assert!(matches!(other.finish(), Err(Problem::Forbidden(_))));
    }
}
