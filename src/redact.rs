//! Keeps credentials out of error messages.
//!
//! Errors quote the start of a response body, and a misbehaving server or proxy may
//! echo the request in it (`...?token=...`, `"token": "..."`, `Authorization: Token
//! ...`). Excerpts are redacted by those patterns; bodies the client knows the secret of
//! are also redacted by value ([`secret`]).

use bytes::Bytes;

/// How much of a body an error quotes.
pub(crate) const EXCERPT_CHARS: usize = 300;
/// How much is scanned for credentials before cutting: a pattern that starts inside
/// the excerpt is redacted even if its value runs past the cut.
const SCAN_BYTES: usize = 4096;
const MASK: &str = "***";

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

/// Replaces every occurrence of `secret` in `body` (the client's own credential, in
/// case the server echoes it).
pub(crate) fn secret(body: &Bytes, secret: &str) -> Bytes {
    let needle = secret.as_bytes();
    if needle.is_empty() || !body.windows(needle.len()).any(|w| w == needle) {
        return body.clone();
    }
    let mut out = Vec::with_capacity(body.len());
    let mut rest = &body[..];
    while let Some(at) = rest.windows(needle.len()).position(|w| w == needle) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(MASK.as_bytes());
        rest = &rest[at + needle.len()..];
    }
    out.extend_from_slice(rest);
    out.into()
}

/// Masks the value after each credential marker (case-insensitive).
fn patterns(text: &str) -> String {
    const MARKERS: &[&str] = &[
        "token=",
        "\"token\":",
        "'token':",
        "token ",
        "bearer ",
        "authorization:",
    ];
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let marker = MARKERS.iter().find(|m| lower[i..].starts_with(**m));
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
        let body = Bytes::from_static(b"echo: xyz-secret-xyz and xyz-secret-xyz");
        assert_eq!(
            secret(&body, "xyz-secret-xyz"),
            Bytes::from_static(b"echo: *** and ***")
        );
        assert_eq!(secret(&body, "absent"), body);
    }
}
