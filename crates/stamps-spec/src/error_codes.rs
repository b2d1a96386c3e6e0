//! The `error_code` values the documentation shows: every one that appears in a
//! documented error example becomes a variant of `stamps::ErrorCode`, so that a page
//! that documents a new code costs no Rust.

use std::collections::BTreeMap;

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
