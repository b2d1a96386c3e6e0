//! `stamps::ErrorCode`: a variant for each `error_code` the documentation shows
//! ([`stamps_spec::error_codes::documented`]).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use stamps_spec::error_codes::Code;

/// The Rust source of the `ErrorCode` enum and its `KNOWN` table.
pub fn render(codes: &BTreeMap<String, Code>) -> String {
    let mut variants = String::new();
    let mut known = String::new();
    for (code, about) in codes {
        let variant = crate::pascal_case(code);
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
         /// Known codes and their wire form.\npub(crate) const KNOWN: &[(ErrorCode, &str)] = &[\n{known}];\n"
    )
}

#[cfg(test)]
mod tests {
    use stamps_spec::Spec;
    use stamps_spec::error_codes::documented;

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
