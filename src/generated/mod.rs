//! Everything build.rs generates from `openapi/stamps.yaml` is included here, and
//! nowhere else (see build.rs's header for the files). Nothing here is written by
//! hand, and nothing is checked in: to change an operation, change the spec.

/// progenitor's client (`Client`, `builder`, `types`), with the pagination glue.
mod client {
    #![allow(missing_docs, missing_debug_implementations, unused_imports, dead_code)]
    #![allow(clippy::all, clippy::pedantic)]

    include!(concat!(env!("OUT_DIR"), "/stamps_client.rs"));
    // `pages()`, `stream()` and `collect_all()` of the list operations (`x-stamps-pagination`).
    include!(concat!(env!("OUT_DIR"), "/pagination.rs"));

    /// `schemars::JsonSchema` for the hand-written types that replace spec schemas: the
    /// spec's own schema, inlined (rendered by build.rs).
    #[cfg(feature = "schemars")]
    mod replacement_schemas {
        include!(concat!(env!("OUT_DIR"), "/schemars.rs"));
    }
}

pub use client::*;

/// The table of `crate::operations`: one row per operation, and the secret field names.
pub(crate) mod operations {
    include!(concat!(env!("OUT_DIR"), "/operations.rs"));
}
