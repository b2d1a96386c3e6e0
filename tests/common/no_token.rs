//! `assert_no_token`: the check every reliability test applies to every error it
//! sees. Declare it with `#[path = "common/no_token.rs"] mod no_token;` next to
//! `mod common;`.
#![allow(dead_code, reason = "each test file uses a different subset")]

use std::error::Error as _;

use crate::common::TOKEN;

/// The length of a piece of the token that counts as a leak: long enough not to
/// match by chance, short enough to catch a token cut at an excerpt's end.
const FRAGMENT: usize = 12;

/// Fails if `text` holds [`TOKEN`] or any [`FRAGMENT`]-character piece of its secret
/// part.
pub fn assert_text_has_no_token(text: &str, what: &str) {
    let secret = TOKEN.trim_start_matches("tok_");
    for start in 0..=secret.len() - FRAGMENT {
        let piece = &secret[start..start + FRAGMENT];
        assert!(
            !text.contains(piece),
            "{what} leaks the token (fragment {piece:?}):\n{text}"
        );
    }
}

/// Fails if the error's `Display`, `Debug` (plain and alternate) or any error in its
/// `source()` chain shows the token.
pub fn assert_no_token(error: &stamps::Error) {
    let mut shown = format!("{error}\n{error:?}\n{error:#?}");
    let mut source = error.source();
    while let Some(cause) = source {
        shown.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    assert_text_has_no_token(&shown, "an error");
}
