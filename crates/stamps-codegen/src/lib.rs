//! Writes Rust from the Stamps OpenAPI spec (read by `stamps-spec`), for the build
//! scripts of the `stamps` library and the `stamps` CLI: the spec prepared for
//! progenitor and its settings ([`generate`]), the passes over progenitor's output
//! ([`passes`], [`calls`], [`cli`], [`mock`]), and the tables rendered beside it.
//!
//! Nothing here runs in a user's program: only at build time.

pub mod calls;
pub mod cli;
pub mod error_codes;
pub mod fake;
pub mod generate;
pub mod mock;
pub mod operations;
pub mod pagination;
pub mod passes;
pub mod replacements;
pub mod test_tables;

/// `list_member_transactions` → `ListMemberTransactions`, progenitor's builder name.
pub fn pascal_case(snake: &str) -> String {
    snake
        .split('_')
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_builders_as_progenitor_does() {
        assert_eq!(
            pascal_case("list_member_transactions"),
            "ListMemberTransactions"
        );
    }
}
