//! Every masking of secrets and customer identifiers, in one place.
//!
//! Errors quote the start of a response body, and a misbehaving server or proxy may
//! echo the request in it (`...?token=...`, `"token": "..."`, `Authorization: Token
//! ...`). Excerpts are redacted by those patterns ([`excerpt`]); every body the client
//! reads, and a `Location` header, is masked by the value of its own credential
//! ([`SecretFinder`]); the answer to a call that sent a PIN or password is masked by
//! those values ([`sent_secrets`], [`mask_answer`]). URLs lose their query (customer
//! identifiers, a copied `token`) before an error or a log line holds them
//! ([`without_query`], [`shown_url`]). `Debug` of a secret shows [`MASK`].

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, LOCATION};

use crate::hooks::DOCUMENTED_SUCCESS;
use crate::operations::{Operation, SECRET_FIELDS};
use crate::response_body::{self, Received};

/// How much of a body an error quotes.
pub(crate) const EXCERPT_CHARS: usize = 300;
/// How much is scanned for credentials before cutting: a pattern that starts inside
/// the excerpt is redacted even if its value runs past the cut.
const SCAN_BYTES: usize = 4096;
/// What replaces a secret wherever one would show.
pub(crate) const MASK: &str = "***";

/// The first [`EXCERPT_CHARS`] characters of a body as text (invalid UTF-8 replaced),
/// with credential-looking values masked.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(SCAN_BYTES)]);
    let redacted = patterns(&text);
    match redacted.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}...", &redacted[..cut]),
        None => redacted,
    }
}

/// Secrets shorter than this are not masked by value: a short test key such as
/// `abc` would mangle ordinary data. Real keys and JWTs are far longer.
pub(crate) const MIN_SECRET_LEN: usize = 16;

/// Finds the client's own credential in bodies, prepared once per client.
#[derive(Clone)]
pub(crate) struct SecretFinder(Option<memchr::memmem::Finder<'static>>);

impl SecretFinder {
    pub(crate) fn new(secret: &str) -> Self {
        let long_enough = secret.len() >= MIN_SECRET_LEN;
        SecretFinder(
            long_enough.then(|| memchr::memmem::Finder::new(secret.as_bytes()).into_owned()),
        )
    }

    /// `body` with every occurrence of the secret replaced by `***`, in case a
    /// server echoes it; the same `Bytes` (no copy) when it does not.
    pub(crate) fn mask(&self, body: Bytes) -> Bytes {
        match &self.0 {
            Some(finder) => replace_all(body, finder),
            None => body,
        }
    }
}

/// `body` with every match of `finder` replaced by [`MASK`]; the same `Bytes` (no
/// copy) when there is none.
fn replace_all(body: Bytes, finder: &memchr::memmem::Finder<'_>) -> Bytes {
    if finder.find(&body).is_none() {
        return body;
    }
    let needle_len = finder.needle().len();
    let mut out = Vec::with_capacity(body.len());
    let mut rest = &body[..];
    while let Some(at) = finder.find(rest) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(MASK.as_bytes());
        rest = &rest[at + needle_len..];
    }
    out.extend_from_slice(rest);
    out.into()
}

/// Masks the client's secret in a `Location` header, in place: errors quote it, and a
/// server may echo the credential in it too.
pub(crate) fn mask_location(headers: &mut HeaderMap, secret: &SecretFinder) {
    if let Some(location) = headers.get_mut(LOCATION) {
        let masked = secret.mask(Bytes::copy_from_slice(location.as_bytes()));
        if let Ok(value) = HeaderValue::from_maybe_shared(masked) {
            *location = value;
        }
    }
}

/// A URL as an error shows it: without its query and fragment, which carry customer
/// identifiers (and the `token` some operations copy into the query).
pub(crate) fn shown_url(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or_default()
}

/// Where a redirect the HTTP client followed led, as an error shows it: [`shown_url`],
/// then the client's secret masked (cut first, so nothing of the query is left over).
pub(crate) fn redirect_target(url: &reqwest::Url, secret: &SecretFinder) -> String {
    let shown = Bytes::copy_from_slice(shown_url(url.as_str()).as_bytes());
    String::from_utf8_lossy(&secret.mask(shown)).into_owned()
}

/// A transport error without its URL's query, which holds customer identifiers: no
/// error is logged or leaves the hooks with it, even one the caller prints before
/// converting it to `stamps::Error`.
pub(crate) fn without_query(mut error: reqwest::Error) -> reqwest::Error {
    if let Some(url) = error.url_mut() {
        url.set_query(None);
    }
    error
}

/// `response` with `mask` applied to its recorded body, in case a server echoes a
/// secret the call sent, where an error may quote it: an error answer, or a success
/// that is refused for being an array. A success body is decoded as it came.
pub(crate) fn mask_answer(
    mut response: reqwest::Response,
    mask: impl FnOnce(Bytes) -> Bytes,
) -> reqwest::Response {
    let success = response.status() == DOCUMENTED_SUCCESS;
    if let Some(body) = response
        .extensions_mut()
        .get_mut::<Received>()
        .and_then(Received::body_mut)
        && (!success || response_body::starts_an_array(body))
    {
        *body = mask(body.clone());
    }
    response
}

/// What precedes a value to mask, lowercase: the credential's forms, and each field
/// the spec marks `format: password` as JSON (`"pin":`) and as a query (`pin=`).
fn markers() -> &'static [String] {
    static MARKERS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    MARKERS.get_or_init(|| {
        let mut markers: Vec<String> = [
            "token=",
            "\"token\":",
            "'token':",
            "token ",
            "bearer ",
            "authorization:",
        ]
        .map(str::to_owned)
        .into();
        for field in SECRET_FIELDS {
            let field = field.to_ascii_lowercase();
            markers.extend([
                format!("\"{field}\":"),
                format!("'{field}':"),
                format!("{field}="),
            ]);
        }
        markers.sort();
        markers.dedup();
        markers
    })
}

/// The values of the secret fields (`format: password`) in `request`'s query and JSON
/// body. Only the fields the spec gives `operation` are looked for
/// ([`Operation::secret_fields`]); an operation that has none costs nothing.
pub(crate) fn sent_secrets(operation: &Operation, request: &reqwest::Request) -> Vec<Bytes> {
    let fields = operation.secret_fields;
    if fields.is_empty() {
        return Vec::new();
    }
    // A PIN in a query string (the KLG page's duplicate check).
    let mut found: Vec<Bytes> = request
        .url()
        .query_pairs()
        .filter(|(name, value)| !value.is_empty() && fields.contains(&name.as_ref()))
        .map(|(_, value)| Bytes::from(value.into_owned()))
        .collect();
    let body = request
        .body()
        .and_then(reqwest::Body::as_bytes)
        .unwrap_or_default();
    // Most calls send none (a registration without a PIN): looking for the keys in
    // the bytes spares parsing the whole body. serde_json writes ASCII keys as they are.
    if !fields
        .iter()
        .any(|field| secret_key(field).is_some_and(|key| key.find(body).is_some()))
    {
        return found;
    }
    if let Ok(body) = serde_json::from_slice::<serde_json::Value>(body) {
        collect_secrets(&body, fields, &mut found);
    }
    found
}

/// The searcher for a secret field's `"key"` (one of [`SECRET_FIELDS`]), built once:
/// building one costs more than searching a body. A match may also be a value, which
/// only costs the parse the search spares.
fn secret_key(field: &str) -> Option<&'static memchr::memmem::Finder<'static>> {
    static KEYS: std::sync::OnceLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        SECRET_FIELDS
            .iter()
            .map(|field| memchr::memmem::Finder::new(&format!("\"{field}\"")).into_owned())
            .collect()
    });
    let at = SECRET_FIELDS.binary_search(&field).ok()?;
    keys.get(at)
}

fn collect_secrets(value: &serde_json::Value, fields: &[&str], found: &mut Vec<Bytes>) {
    match value {
        serde_json::Value::Object(members) => {
            for (key, value) in members {
                match value {
                    serde_json::Value::String(s)
                        if !s.is_empty() && fields.contains(&key.as_str()) =>
                    {
                        found.push(Bytes::copy_from_slice(s.as_bytes()));
                    }
                    other => collect_secrets(other, fields, found),
                }
            }
        }
        serde_json::Value::Array(items) => {
            items.iter().for_each(|v| collect_secrets(v, fields, found))
        }
        _ => {}
    }
}

/// `body` with each of `secrets` replaced by `***` wherever it appears (a PIN is short,
/// so this is done only for the answers to the calls that sent one).
pub(crate) fn mask_each(mut body: Bytes, secrets: &[Bytes]) -> Bytes {
    for secret in secrets {
        body = replace_all(body, &memchr::memmem::Finder::new(secret));
    }
    body
}

/// Masks the value after each credential marker (case-insensitive).
fn patterns(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let marker = markers()
            .iter()
            .find(|m| lower[i..].starts_with(m.as_str()));
        let Some(marker) = marker else {
            let ch = text[i..].chars().next().expect("i is a char boundary");
            out.push(ch);
            i += ch.len_utf8();
            continue;
        };
        out.push_str(&text[i..i + marker.len()]);
        i += marker.len();
        // Skip spaces and an opening quote, then mask up to the value's end.
        let value_start =
            i + text[i..].len() - text[i..].trim_start_matches([' ', '"', '\'']).len();
        out.push_str(&text[i..value_start]);
        let value_len = text[value_start..]
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '&' | '"' | '\'' | '<' | '>' | ',' | '}' | ';')
            })
            .unwrap_or(text.len() - value_start);
        // "Authorization: Token abc": leave the scheme for the "token " marker to mask abc.
        if matches!(
            &lower[value_start..value_start + value_len],
            "token" | "bearer"
        ) {
            i = value_start;
            continue;
        }
        if value_len > 0 {
            out.push_str(MASK);
        }
        i = value_start + value_len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_echoed_credentials() {
        let cases = [
            (
                "GET /api/v2/memberships/details?token=s3cr3t&user=1",
                "GET /api/v2/memberships/details?token=***&user=1",
            ),
            (
                r#"{"token": "s3cr3t", "user": 1}"#,
                r#"{"token": "***", "user": 1}"#,
            ),
            (
                "Authorization: Token s3cr3t\nnext",
                "Authorization: Token ***\nnext",
            ),
            (
                "authorization: bearer eyJ.abc.def",
                "authorization: bearer ***",
            ),
            ("<p>TOKEN=s3cr3t</p>", "<p>TOKEN=***</p>"),
            // Fields the spec marks `format: password`.
            (
                r#"{"pin": "123456", "user": 1}"#,
                r#"{"pin": "***", "user": 1}"#,
            ),
            (
                r#"{"errors": {"password": "hunter2 is too short"}}"#,
                r#"{"errors": {"password": "*** is too short"}}"#,
            ),
            ("Server error - 500", "Server error - 500"),
        ];
        for (input, expected) in cases {
            assert_eq!(excerpt(input.as_bytes()), expected, "{input}");
        }
    }

    #[test]
    fn cuts_long_bodies_and_survives_invalid_utf8() {
        let long = "é".repeat(1000);
        let cut = excerpt(long.as_bytes());
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 3);
        assert!(cut.ends_with("..."));
        assert_eq!(excerpt(&[0xff, b'a', 0xfe]), "\u{fffd}a\u{fffd}");
    }

    #[test]
    fn masks_a_known_secret_anywhere() {
        let secret = "xyz-secret-xyz-0123";
        let body = Bytes::from(format!("echo: {secret} and {secret}."));
        let masked = SecretFinder::new(secret).mask(body.clone());
        assert_eq!(masked, Bytes::from_static(b"echo: *** and ***."));
        assert_eq!(
            SecretFinder::new("absent-secret-absent").mask(body.clone()),
            body
        );
        assert_eq!(
            SecretFinder::new("xyz").mask(body.clone()),
            body,
            "short secrets are kept"
        );
    }

    #[test]
    fn a_url_shown_in_an_error_has_no_query_no_fragment_and_no_secret() {
        assert_eq!(
            shown_url("https://h.example/a/b?token=x&user=1#f"),
            "https://h.example/a/b"
        );
        assert_eq!(
            shown_url("/api/v3/balances/credit#frag"),
            "/api/v3/balances/credit"
        );
        assert_eq!(shown_url("https://h.example/a"), "https://h.example/a");
        let secret = "0123456789abcdef-secret";
        let url = format!("https://elsewhere.example/steal/{secret}?token={secret}&q=1#{secret}")
            .parse()
            .unwrap();
        assert_eq!(
            redirect_target(&url, &SecretFinder::new(secret)),
            "https://elsewhere.example/steal/***"
        );
    }

    #[test]
    fn finds_the_secrets_a_body_sends_and_skips_bodies_without_them() {
        let sent_secrets = |id, request: &reqwest::Request| {
            sent_secrets(crate::operations::find(id).expect("an operation"), request)
        };
        let request = |body: &str| {
            let mut request = reqwest::Request::new(
                reqwest::Method::POST,
                "https://stamps.co.id/api/v2/memberships/register"
                    .parse()
                    .unwrap(),
            );
            *request.body_mut() = Some(body.to_owned().into());
            request
        };
        let sent = sent_secrets(
            "register_member",
            &request(r#"{"name":"a","pin":"123456","extra":{"pin":"654321"}}"#),
        );
        assert_eq!(sent, [Bytes::from("123456"), Bytes::from("654321")]);
        // Only the operation's own secret fields: a registration sends no OTP.
        assert!(sent_secrets("register_member", &request(r#"{"otp":"123456"}"#)).is_empty());
        let mut change = sent_secrets(
            "change_password",
            &request(r#"{"old_password":"a","new_password":"b","user":"c"}"#),
        );
        change.sort();
        assert_eq!(change, [Bytes::from("a"), Bytes::from("b")]);
        // `pin` as a value, or inside another key, is not a `pin` key.
        for body in [r#"{"name":"pin"}"#, r#"{"pinned":"1"}"#, r#"{"xpin":"1"}"#] {
            assert!(
                sent_secrets("register_member", &request(body)).is_empty(),
                "{body}"
            );
        }
    }
}
