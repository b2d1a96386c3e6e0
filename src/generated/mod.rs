//! Everything build.rs generates from `openapi/stamps.yaml` is included under this
//! folder, and nowhere else (build.rs's header lists the files). Nothing included is
//! written by hand, and nothing is checked in: to change an operation, change the spec.
//!
//! - the client, with its pagination glue and `schemars` impls (re-exported by the
//!   crate root: `Client`, `builder`, `types`);
//! - `operations`: the operations table, read through `crate::operations`;
//! - `error_codes`: `ErrorCode`, re-exported by the crate root;
//! - `mock` (with `httpmock`): progenitor's typed mocks, public as `stamps::mock`;
//! - `fake_table.rs` (with `fake`): what the fake serves, a child module of
//!   `src/fake/engine.rs` (mounted there by `#[path]`, to build its private rows).

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

/// `ErrorCode` and its wire forms (see `crate::error_code`).
pub(crate) mod error_codes {
    include!(concat!(env!("OUT_DIR"), "/error_codes.rs"));
}

#[cfg(feature = "httpmock")]
pub mod mock;
