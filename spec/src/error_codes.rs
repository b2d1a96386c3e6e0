//! The `error_code` values the documentation shows: every one that appears in a
//! documented error example becomes a variant of `stamps::ErrorCode`, so that a page
//! that documents a new code costs no Rust.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::Spec;

/// A documented code: the operations whose examples show it, and the first message
/// shown with it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Code {
    pub operations: Vec<String>,
    pub message: Option<String>,
}

/// Every `error_code` of every documented response example (JSON, any status), by code.
pub fn documented(spec: &Spec) -> BTreeMap<String, Code> {
    let mut codes: BTreeMap<String, Code> = BTreeMap::new();
    for op in spec.operations() {
        for status in op.statuses() {
            for (_, example) in op.response_examples(spec, status, "application/json") {
                let Some(code) = example["error_code"].as_str().filter(|c| !c.is_empty()) else {
                    continue;
                };
                let entry = codes.entry(code.to_owned()).or_default();
                if !entry.operations.iter().any(|o| o == op.id) {
                    entry.operations.push(op.id.to_owned());
                }
                if entry.message.is_none() {
                    entry.message = example["error_message"].as_str().map(str::to_owned);
                }
            }
        }
    }
    codes
}

/// The Rust source of the `ErrorCode` enum and its `KNOWN` table.
pub fn render(codes: &BTreeMap<String, Code>) -> String {
    let mut variants = String::new();
    let mut known = String::new();
    for (code, about) in codes {
        let variant = crate::pagination::pascal_case(code);
        let message = about
            .message
            .as_deref()
            .map(|m| format!(": \"{}\"", m.replace('"', "'")))
            .unwrap_or_default();
        let ops: Vec<String> = about.operations.iter().map(|o| format!("`{o}`")).collect();
        let _ = writeln!(
            variants,
            "    /// `{code}`{message} (documented for {}).\n    {variant},",
            ops.join(", ")
        );
        let _ = writeln!(known, "    (ErrorCode::{variant}, {code:?}),");
    }
    format!(
        "/// A machine-readable `error_code` from an error body.\n///\n\
         /// The named variants are the codes the documentation's examples show (generated\n\
         /// from the spec); any other code arrives as [`Other`](ErrorCode::Other), so a new\n\
         /// code on the server never breaks decoding.\n\
         #[derive(Clone, Debug, PartialEq, Eq, Hash)]\n#[non_exhaustive]\npub enum ErrorCode {{\n\
         {variants}    /// A code this version of the SDK does not know.\n    Other(String),\n}}\n\n\
         /// Known codes and their wire form.\nconst KNOWN: &[(ErrorCode, &str)] = &[\n{known}];\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_codes_from_every_example() {
        let spec = Spec::from_yaml(
            r##"
paths:
  /a:
    post:
      operationId: redeem
      responses:
        '400':
          content:
            application/json:
              examples:
                pin: {value: {error_code: invalid_pin, error_message: Invalid PIN}}
                plain: {value: {detail: nothing}}
        '401': {$ref: '#/components/responses/Shared'}
components:
  responses:
    Shared:
      content:
        application/json:
          examples:
            other: {value: {error_code: invalid_data}}
"##,
        )
        .unwrap();
        let codes = documented(&spec);
        assert_eq!(
            codes.keys().collect::<Vec<_>>(),
            ["invalid_data", "invalid_pin"]
        );
        assert_eq!(codes["invalid_pin"].message.as_deref(), Some("Invalid PIN"));
        let rust = render(&codes);
        assert!(
            rust.contains(
                "    /// `invalid_pin`: \"Invalid PIN\" (documented for `redeem`).\n    InvalidPin,"
            ),
            "{rust}"
        );
        assert!(
            rust.contains("    (ErrorCode::InvalidData, \"invalid_data\"),"),
            "{rust}"
        );
    }
}
