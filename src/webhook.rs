//! Webhooks: check that a POST to your endpoint comes from Stamps, and read it.
//!
//! Stamps signs each webhook in the [`SIGNATURE_HEADER`] header. The KLG page ("Webhook
//! Security") gives the recipe as a Python function:
//!
//! ```python
//! minified_payload = json.dumps(request.data, separators=[",", ":"])
//! signed_payload = hmac.new(secret.encode(), minified_payload.encode(), hashlib.sha256)
//! return hmac.compare_digest(signature, signed_payload.hexdigest())
//! ```
//!
//! So the signature is not over the bytes received but over Python's re-serialization of
//! them, and [`verify`] rebuilds that text exactly: the sender's key order (a repeated key
//! keeps its first place and its last value, as `json.loads` does), every non-ASCII
//! character as `\uXXXX` (a surrogate pair beyond the BMP), Python's escapes, integers of
//! any size digit for digit, and floats as Python's `repr` writes them (`1e-05`, `1e+16`,
//! `100.0`, `-0.0`). The page's prose says "strip all whitespace", but its code, which is
//! what signs, keeps the spaces inside strings. Re-serializing with serde_json instead
//! would refuse genuine webhooks whenever a name has an accent or a price a fraction.
//!
//! ```
//! use stamps::webhook;
//!
//! let body = br#"{"from": "a@example.com", "to": "b@example.com", "note": "caf\u00e9 1,5"}"#;
//! let signature = webhook::sign(body, "your_secret_key")?;
//! let hook = webhook::verify(body, &signature, "your_secret_key")?;
//! assert_eq!(
//!     hook.signed_payload(),
//!     r#"{"from":"a@example.com","to":"b@example.com","note":"caf\u00e9 1,5"}"#
//! );
//! assert!(webhook::verify(body, &signature, "another key").is_err());
//! # Ok::<(), stamps::webhook::WebhookError>(())
//! ```
//!
//! # An endpoint
//!
//! Stamps POSTs events (the KLG page shows a membership's) to your endpoint. Verify the
//! raw body, not `Json<_>`: the signature is computed from exactly these bytes. The
//! verified [`Webhook`] gives the payload: [`membership()`](Webhook::membership)
//! decodes the documented one (`types::MembershipWebhook`, also in the spec for other
//! languages), [`decode::<T>()`](Webhook::decode) and [`value()`](Webhook::value) any
//! other. With axum:
//!
//! ```no_run
//! use axum::{Router, body::Bytes, http::{HeaderMap, StatusCode}, routing::post};
//! use stamps::webhook::{self, SIGNATURE_HEADER};
//!
//! async fn stamps_webhook(headers: HeaderMap, body: Bytes) -> StatusCode {
//!     let secret = std::env::var("STAMPS_WEBHOOK_SECRET").unwrap_or_default();
//!     let signature = headers
//!         .get(SIGNATURE_HEADER)
//!         .and_then(|v| v.to_str().ok())
//!         .unwrap_or_default();
//!     let Ok(hook) = webhook::verify(&body, signature, &secret) else {
//!         return StatusCode::BAD_REQUEST;
//!     };
//!     if let Ok(event) = hook.membership() {
//!         let level = event.membership.and_then(|m| m.level_text);
//!         println!("{:?} is now {level:?}", event.user.and_then(|u| u.email));
//!     }
//!     StatusCode::OK
//! }
//!
//! let app: Router = Router::new().route("/stamps/webhook", post(stamps_webhook));
//! # let _ = app;
//! ```
//!
//! # Testing it
//!
//! `tests/data/webhooks/make_vectors.py` computes this crate's test vectors with the
//! docs' function itself. [`sign`] makes genuine signatures for your own tests, and the
//! fake server (the `fake` feature) sends signed webhooks to your endpoint:
//! `FakeStamps::set_webhook_url`, `FakeStamps::send_webhook`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use hmac::{Hmac, KeyInit, Mac};
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};
use sha2::Sha256;

/// The header Stamps puts the signature in: 64 lowercase hex digits, the HMAC-SHA256
/// of the payload (see [`verify`]).
pub const SIGNATURE_HEADER: &str = "X-Stamps-Signature";

/// How deep arrays and objects may nest. Python's own limit is its recursion limit
/// (about 1000); this is serde_json's, so that every verified payload also decodes.
pub const MAX_DEPTH: usize = 128;

/// The longest integer Python's `json.loads` reads (its `int` conversion limit, since
/// Python 3.11): a longer one makes the recipe fail, so no signature can match it.
const MAX_INT_DIGITS: usize = 4300;

/// Why a webhook was refused, or its payload could not be read.
///
/// Neither `Display` nor `Debug` shows the secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The signature is well formed but is not the body's: a changed body, another
    /// secret, or a request that does not come from Stamps.
    #[error("the webhook signature does not match its body")]
    SignatureMismatch,

    /// The signature is not 64 lowercase hex digits (what Python's `hexdigest()`
    /// writes), e.g. empty, truncated or not hex.
    #[error("the webhook signature is not 64 lowercase hex digits ({length} characters)")]
    MalformedSignature {
        /// Its length in bytes.
        length: usize,
    },

    /// The body is not JSON as Python's `json.loads` reads it, so the recipe cannot
    /// sign it.
    #[error("the webhook body is not JSON: {reason} at byte {offset}")]
    InvalidBody {
        /// Where in the body, in bytes.
        offset: usize,
        /// What is wrong there.
        reason: &'static str,
    },

    /// The secret is empty: with an empty key anyone can sign.
    #[error("the webhook secret is empty")]
    EmptySecret,

    /// A verified payload does not decode into the type asked for
    /// ([`Webhook::decode`]).
    #[error("cannot decode the webhook payload: {source}")]
    Decode {
        /// Why, with the path of the field.
        #[source]
        source: serde_json::Error,
    },
}

/// A webhook whose signature [`verify`] accepted.
#[derive(Clone, Debug, PartialEq)]
pub struct Webhook {
    signed: String,
    value: Value,
}

impl Webhook {
    /// The payload as the recipe signs it: minified, in the sender's key order, ASCII
    /// only.
    pub fn signed_payload(&self) -> &str {
        &self.signed
    }

    /// The payload, parsed. A `serde_json::Value` orders keys by name (unless
    /// serde_json's `preserve_order` feature is on); [`signed_payload`](Self::signed_payload)
    /// keeps the sender's order. Numbers beyond `f64` are `null` here, and integers
    /// beyond 64 bits are `f64`s, as serde_json reads them.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The payload, parsed, taken out.
    pub fn into_value(self) -> Value {
        self.value
    }

    /// The payload decoded into `T`: one of your own types for an event, or
    /// [`types::MembershipWebhook`](crate::types::MembershipWebhook).
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, WebhookError> {
        T::deserialize(&self.value).map_err(|source| WebhookError::Decode { source })
    }

    /// The payload the KLG page documents: `from`, `to`, `membership` and `user`.
    pub fn membership(&self) -> Result<crate::types::MembershipWebhook, WebhookError> {
        self.decode()
    }
}

/// Checks that `signature` (the [`SIGNATURE_HEADER`] value) is the one Stamps computes
/// for `body` with `secret`, exactly as the docs' Python does, and returns the payload.
///
/// The comparison takes constant time. Any body and any signature give an answer,
/// never a panic: a body that is not JSON, or a signature that is not 64 lowercase hex
/// digits, is an error before any comparison.
pub fn verify(body: &[u8], signature: &str, secret: &str) -> Result<Webhook, WebhookError> {
    let tag = parse_signature(signature)?;
    let mut mac = keyed(secret)?;
    let (signed, value) = canonicalize(body)?;
    mac.update(signed.as_bytes());
    mac.verify_slice(&tag)
        .map_err(|_| WebhookError::SignatureMismatch)?;
    Ok(Webhook { signed, value })
}

/// The signature Stamps would send for `body` with `secret`: for your tests, and for
/// the fake server's webhooks.
///
/// Fails if `body` is not JSON (the recipe signs only what Python parses) or `secret` is
/// empty.
pub fn sign(body: &[u8], secret: &str) -> Result<String, WebhookError> {
    let mut mac = keyed(secret)?;
    let (signed, _) = canonicalize(body)?;
    mac.update(signed.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in mac.finalize().into_bytes() {
        let _ = write!(hex, "{byte:02x}");
    }
    Ok(hex)
}

fn keyed(secret: &str) -> Result<Hmac<Sha256>, WebhookError> {
    if secret.is_empty() {
        return Err(WebhookError::EmptySecret);
    }
    Ok(Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length"))
}

/// The 32 bytes of a signature. Python compares the text as is, so uppercase hex or
/// surrounding spaces never match: they are refused here.
fn parse_signature(signature: &str) -> Result<[u8; 32], WebhookError> {
    let malformed = || WebhookError::MalformedSignature {
        length: signature.len(),
    };
    let digits = signature.as_bytes();
    if digits.len() != 64 {
        return Err(malformed());
    }
    let nibble = |d: u8| match d {
        b'0'..=b'9' => Some(d - b'0'),
        b'a'..=b'f' => Some(d - b'a' + 10),
        _ => None,
    };
    let mut tag = [0; 32];
    for (byte, pair) in tag.iter_mut().zip(digits.chunks_exact(2)) {
        *byte = (nibble(pair[0]).ok_or_else(malformed)? << 4)
            | nibble(pair[1]).ok_or_else(malformed)?;
    }
    Ok(tag)
}

/// `json.dumps(json.loads(body), separators=(",", ":"))` as Python writes it, and the
/// value parsed.
fn canonicalize(body: &[u8]) -> Result<(String, Value), WebhookError> {
    let text = std::str::from_utf8(body).map_err(|e| WebhookError::InvalidBody {
        offset: e.valid_up_to(),
        reason: "not UTF-8",
    })?;
    let mut parser = Parser {
        text,
        pos: 0,
        depth: 0,
        out: String::with_capacity(body.len()),
    };
    parser.skip_whitespace();
    let value = parser.value()?;
    parser.skip_whitespace();
    if parser.pos != text.len() {
        return Err(parser.fail("extra data after the JSON value"));
    }
    Ok((parser.out, value))
}

/// A JSON reader that writes what it reads the way Python's `json.dumps` would.
struct Parser<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
    out: String,
}

impl Parser<'_> {
    fn fail(&self, reason: &'static str) -> WebhookError {
        WebhookError::InvalidBody {
            offset: self.pos,
            reason,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// JSON's four whitespace characters, which Python's decoder also skips.
    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, literal: &str, value: Value) -> Result<Value, WebhookError> {
        if self.text[self.pos..].starts_with(literal) {
            self.pos += literal.len();
            self.out.push_str(literal);
            Ok(value)
        } else {
            Err(self.fail("expected a JSON value"))
        }
    }

    fn value(&mut self) -> Result<Value, WebhookError> {
        match self.peek() {
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => {
                let units = self.string()?;
                Ok(Value::String(String::from_utf16_lossy(&units)))
            }
            Some(b't') => self.expect("true", Value::Bool(true)),
            Some(b'f') => self.expect("false", Value::Bool(false)),
            Some(b'n') => self.expect("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            // `NaN` and `Infinity` are Python's but not JSON's; Django REST framework's
            // parser, which gives the recipe its `request.data`, refuses them.
            Some(_) => Err(self.fail("expected a JSON value")),
            None => Err(self.fail("unexpected end of the body")),
        }
    }

    fn nested(
        &mut self,
        read: fn(&mut Self) -> Result<Value, WebhookError>,
    ) -> Result<Value, WebhookError> {
        if self.depth == MAX_DEPTH {
            return Err(self.fail("nested too deep"));
        }
        self.depth += 1;
        let value = read(self);
        self.depth -= 1;
        value
    }

    /// Reads the bracket that opens an array or object and, if it is empty, the one
    /// that closes it: returns whether it was empty.
    fn opens_empty(&mut self, open: char, close: u8) -> bool {
        self.pos += 1;
        self.out.push(open);
        self.skip_whitespace();
        let empty = self.peek() == Some(close);
        if empty {
            self.pos += 1;
            self.out.push(char::from(close));
        }
        empty
    }

    fn array(&mut self) -> Result<Value, WebhookError> {
        let mut items = Vec::new();
        if self.opens_empty('[', b']') {
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value()?);
            if self.at_end_of(b']', "expected `,` or `]`")? {
                break;
            }
            self.out.push(',');
        }
        self.out.push(']');
        Ok(Value::Array(items))
    }

    fn object(&mut self) -> Result<Value, WebhookError> {
        let start = self.out.len();
        let mut map = Map::new();
        if self.opens_empty('{', b'}') {
            return Ok(Value::Object(map));
        }
        // Each member's key (as written) and the range of its value in `out`.
        let mut members: Vec<(Range<usize>, Range<usize>)> = Vec::new();
        let mut repeated = false;
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.fail("expected a key in double quotes"));
            }
            if !members.is_empty() {
                self.out.push(',');
            }
            let key_start = self.out.len();
            let key = String::from_utf16_lossy(&self.string()?);
            let key_range = key_start..self.out.len();
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.fail("expected `:`"));
            }
            self.pos += 1;
            self.out.push(':');
            self.skip_whitespace();
            let value_start = self.out.len();
            let value = self.value()?;
            members.push((key_range, value_start..self.out.len()));
            repeated |= map.insert(key, value).is_some();
            if self.at_end_of(b'}', "expected `,` or `}`")? {
                break;
            }
        }
        if repeated {
            self.dedup(start, &members);
        }
        self.out.push('}');
        Ok(Value::Object(map))
    }

    /// Reads what follows an item of an array or object: `true` for the end of it
    /// (`close`), `false` for a comma.
    fn at_end_of(&mut self, close: u8, expected: &'static str) -> Result<bool, WebhookError> {
        self.skip_whitespace();
        let end = match self.peek() {
            Some(b',') => false,
            Some(c) if c == close => true,
            Some(_) => return Err(self.fail(expected)),
            None => return Err(self.fail("unexpected end of the body")),
        };
        self.pos += 1;
        Ok(end)
    }

    /// Rewrites the object at `out[start..]` as a Python dict holds it: each key once,
    /// where it first appeared, with its last value. Keys are compared as written here,
    /// which is one spelling per string.
    fn dedup(&mut self, start: usize, members: &[(Range<usize>, Range<usize>)]) {
        let written = self.out.split_off(start);
        let shift = |r: &Range<usize>| r.start - start..r.end - start;
        let mut order: Vec<&str> = Vec::new();
        let mut last: HashMap<&str, &str> = HashMap::new();
        for (key, value) in members {
            let key = &written[shift(key)];
            if last.insert(key, &written[shift(value)]).is_none() {
                order.push(key);
            }
        }
        self.out.push('{');
        for (i, key) in order.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.out.push_str(key);
            self.out.push(':');
            self.out.push_str(last[key]);
        }
    }

    /// Reads a string as the UTF-16 code units Python's `str` holds (a lone surrogate
    /// escape stays one unit, as in Python), and writes it as `json.dumps` does with
    /// `ensure_ascii`.
    fn string(&mut self) -> Result<Vec<u16>, WebhookError> {
        self.pos += 1;
        let mut units = Vec::new();
        loop {
            let rest = &self.text[self.pos..];
            let Some(c) = rest.chars().next() else {
                return Err(self.fail("unterminated string"));
            };
            match c {
                '"' => {
                    self.pos += 1;
                    break;
                }
                '\\' => {
                    let escape = rest.as_bytes().get(1).copied();
                    let unit = match escape {
                        Some(b'"') => 0x22,
                        Some(b'\\') => 0x5c,
                        Some(b'/') => 0x2f,
                        Some(b'b') => 0x08,
                        Some(b'f') => 0x0c,
                        Some(b'n') => 0x0a,
                        Some(b'r') => 0x0d,
                        Some(b't') => 0x09,
                        Some(b'u') => {
                            let hex = rest
                                .get(2..6)
                                .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
                            let Some(hex) = hex else {
                                return Err(self.fail("invalid `\\u` escape"));
                            };
                            self.pos += 4;
                            u16::from_str_radix(hex, 16).expect("four hex digits")
                        }
                        _ => return Err(self.fail("invalid escape")),
                    };
                    self.pos += 2;
                    units.push(unit);
                }
                c if u32::from(c) < 0x20 => {
                    return Err(self.fail("control character in a string"));
                }
                c => {
                    self.pos += c.len_utf8();
                    let mut buffer = [0; 2];
                    units.extend_from_slice(c.encode_utf16(&mut buffer));
                }
            }
        }
        self.out.push('"');
        for &unit in &units {
            match unit {
                0x22 => self.out.push_str("\\\""),
                0x5c => self.out.push_str("\\\\"),
                0x0a => self.out.push_str("\\n"),
                0x0d => self.out.push_str("\\r"),
                0x09 => self.out.push_str("\\t"),
                0x08 => self.out.push_str("\\b"),
                0x0c => self.out.push_str("\\f"),
                0x20..=0x7e => self.out.push(char::from(unit as u8)),
                _ => {
                    let _ = write!(self.out, "\\u{unit:04x}");
                }
            }
        }
        self.out.push('"');
        Ok(units)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`: an `int` in Python without a
    /// fraction or exponent, else a `float`.
    fn number(&mut self) -> Result<Value, WebhookError> {
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let digits = |from: usize| {
            bytes[from..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
        };
        let mut end = start + usize::from(bytes[start] == b'-');
        match digits(end) {
            0 => return Err(self.fail("expected a digit")),
            n if bytes[end] == b'0' && n > 1 => {
                self.pos = end + 1;
                return Err(self.fail("extra data after the JSON value"));
            }
            n => end += n,
        }
        let mut float = false;
        if bytes.get(end) == Some(&b'.') && digits(end + 1) > 0 {
            end += 1 + digits(end + 1);
            float = true;
        }
        if matches!(bytes.get(end), Some(b'e' | b'E')) {
            let sign = usize::from(matches!(bytes.get(end + 1), Some(b'+' | b'-')));
            let n = digits(end + 1 + sign);
            if n > 0 {
                end += 1 + sign + n;
                float = true;
            }
        }
        let lexeme = &self.text[start..end];
        self.pos = end;
        if float {
            let x: f64 = lexeme.parse().expect("a JSON number parses as f64");
            write_python_float(&mut self.out, x);
            return Ok(Number::from_f64(x).map_or(Value::Null, Value::Number));
        }
        let magnitude = lexeme.trim_start_matches('-');
        if magnitude.len() > MAX_INT_DIGITS {
            self.pos = start;
            return Err(self.fail("an integer longer than Python reads (4300 digits)"));
        }
        // Python's `int("-0")` is 0.
        if magnitude == "0" {
            self.out.push('0');
        } else {
            self.out.push_str(lexeme);
        }
        let number = lexeme
            .parse::<u64>()
            .map(Number::from)
            .or_else(|_| lexeme.parse::<i64>().map(Number::from))
            .ok()
            .or_else(|| lexeme.parse::<f64>().ok().and_then(Number::from_f64));
        Ok(number.map_or(Value::Null, Value::Number))
    }
}

/// A float as Python's `json.dumps` writes it: `repr`, the shortest digits that read
/// back as the same float, in exponent form when the exponent is below -4 or at least
/// 16; `Infinity` for what overflowed when read (`1e400`).
fn write_python_float(out: &mut String, x: f64) {
    if x.is_infinite() {
        out.push_str(if x > 0.0 { "Infinity" } else { "-Infinity" });
        return;
    }
    if x.is_sign_negative() {
        out.push('-');
    }
    if x == 0.0 {
        out.push_str("0.0");
        return;
    }
    // Rust's `{:e}` also writes the shortest digits that round-trip: `1.2345e-7`.
    let scientific = format!("{:e}", x.abs());
    let (mantissa, exponent) = scientific.split_once('e').expect("`{:e}` has an `e`");
    let exponent: i32 = exponent.parse().expect("an integer exponent");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if !(-4..16).contains(&exponent) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let sign = if exponent < 0 { '-' } else { '+' };
        let _ = write!(out, "e{sign}{:02}", exponent.unsigned_abs());
    } else if exponent < 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-exponent - 1) as usize));
        out.push_str(&digits);
    } else {
        let whole = exponent as usize + 1;
        if digits.len() <= whole {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', whole - digits.len()));
            out.push_str(".0");
        } else {
            out.push_str(&digits[..whole]);
            out.push('.');
            out.push_str(&digits[whole..]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn python(x: f64) -> String {
        let mut out = String::new();
        write_python_float(&mut out, x);
        out
    }

    #[test]
    fn floats_are_written_as_pythons_repr() {
        let cases = [
            (1e-5, "1e-05"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (100.0, "100.0"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (0.0001, "0.0001"),
            (1.5e-7, "1.5e-07"),
            (1.5e300, "1.5e+300"),
            (123.456, "123.456"),
            (0.1, "0.1"),
            (-2.5, "-2.5"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::INFINITY, "Infinity"),
        ];
        for (x, want) in cases {
            assert_eq!(python(x), want, "{x:e}");
        }
    }

    #[test]
    fn a_signature_must_be_64_lowercase_hex_digits() {
        let good = "0123456789abcdef".repeat(4);
        assert_eq!(parse_signature(&good).unwrap()[..2], [0x01, 0x23]);
        for bad in [
            "",
            "ab",
            &good.to_uppercase(),
            &format!(" {}", &good[1..]),
            &"é".repeat(32),
        ] {
            assert!(
                matches!(parse_signature(bad), Err(WebhookError::MalformedSignature { length }) if length == bad.len()),
                "{bad:?}"
            );
        }
    }
}
