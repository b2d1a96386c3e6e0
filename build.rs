//! Generates the Stamps client from `openapi/stamps.yaml`, as a short pipeline: prepare
//! the spec once (`stamps_codegen::generate::prepare`: the whole spec, and the enabled
//! operations, secrets marked), have progenitor generate the client, apply the passes
//! over its output (`stamps_codegen::passes`), render the tables, write.
//!
//! It writes to `OUT_DIR` every generated file, all included by `src/generated/`:
//! - `stamps_client.rs`: progenitor's client (`Client`, `builder`, `types`), after the
//!   passes;
//! - `pagination.rs`: `pages()`, `stream()` and `collect_all()` of the list operations;
//! - `operations.rs`: the operations table (`stamps::operations`), one row per
//!   operation, and the names of the secret fields;
//! - `error_codes.rs`: `stamps::ErrorCode`, one variant per documented code;
//! - `schemars.rs`: the `JsonSchema` impls of the hand-written replacements (used with
//!   the `schemars` feature);
//! - `mock.rs` (with `httpmock`): progenitor's typed mocks (`stamps::mock`);
//! - `fake_table.rs` (with `fake`): what the fake server serves;
//! - and `test_tables.rs`, the per-operation tables of `tests/properties.rs` (tests
//!   only).

use std::{env, fs, path::Path};

const SPEC: &str = "openapi/stamps.yaml";

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=build.rs");

    let text = fs::read_to_string(SPEC).unwrap_or_else(|e| panic!("cannot read {SPEC}: {e}"));
    // Only the operations of the enabled cargo features (`x-stamps-feature` of their
    // tag), and the schemas they reach; the CLI's build script prepares it alike.
    let enabled = |name: &str| feature(&name.to_uppercase().replace('-', "_"));
    let prepared = stamps_codegen::generate::prepare(&text, &enabled)
        .unwrap_or_else(|e| panic!("{SPEC}: {e}"));
    let settings = stamps_codegen::generate::settings("crate", feature("SCHEMARS"));
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = |name: &str| Path::new(&out_dir).join(name);

    // With `httpmock`: typed mocks of the same operations (`stamps::mock`).
    if feature("HTTPMOCK") {
        let mocks = progenitor::Generator::new(&settings)
            .httpmock(&prepared.openapi, "crate")
            .unwrap_or_else(|e| panic!("progenitor cannot generate mocks from {SPEC}: {e}"));
        let mut mocks: syn::File = syn::parse2(mocks).expect("progenitor emitted invalid Rust");
        // List query parameters are matched value by value, as the client sends them.
        stamps_codegen::mock::list_query_params(&mut mocks);
        write(out("mock.rs"), &prettyplease::unparse(&mocks));
    }

    let tokens = progenitor::Generator::new(&settings)
        .generate_tokens(&prepared.openapi)
        .unwrap_or_else(|e| panic!("progenitor cannot generate a client from {SPEC}: {e}"));
    let mut file: syn::File = syn::parse2(tokens).expect("progenitor emitted invalid Rust");
    // `x-stamps-pagination`: the glue between each list operation and `src/pagination.rs`.
    let paginated = stamps_spec::pagination::paginations(&prepared.enabled)
        .unwrap_or_else(|e| panic!("{SPEC}: {e}"));
    write(
        out("pagination.rs"),
        &stamps_codegen::pagination::render(&paginated),
    );
    write(
        out("operations.rs"),
        &stamps_codegen::operations::render(&prepared.enabled, &prepared.secret_fields)
            .unwrap_or_else(|e| panic!("{SPEC}: {e}")),
    );
    // The documented `error_code`s become `stamps::ErrorCode`'s variants: from the whole
    // spec, so that the enum is the same whatever the features.
    write(
        out("error_codes.rs"),
        &stamps_codegen::error_codes::render(&stamps_spec::error_codes::documented(&prepared.full)),
    );
    // With `schemars`: the hand-written replacements describe themselves with the spec.
    write(
        out("schemars.rs"),
        &stamps_codegen::replacements::render_schemars(&prepared.marked),
    );
    // With `fake`: what the fake server serves, read from the whole spec here rather
    // than in each test's process.
    if feature("FAKE") {
        write(
            out("fake_table.rs"),
            &stamps_codegen::fake::render(&prepared.full),
        );
    }
    // The per-operation tables of `tests/properties.rs` (tests only; nothing includes
    // it in the library).
    write(
        out("test_tables.rs"),
        &stamps_codegen::test_tables::render(&prepared.enabled)
            .unwrap_or_else(|e| panic!("{SPEC}: {e}")),
    );
    // The passes over progenitor's output (`stamps_codegen::passes`, whose doc lists
    // them and why each stays), each checking that it found every site it expects.
    stamps_codegen::passes::apply(&mut file, &prepared.marked, &prepared.enabled)
        .unwrap_or_else(|e| panic!("{SPEC}: {e}"));
    write(
        out("stamps_client.rs"),
        &edition_2024(prettyplease::unparse(&file)),
    );
}

/// Whether cargo feature `name` (uppercase, `_` for `-`) is on.
fn feature(name: &str) -> bool {
    env::var_os(format!("CARGO_FEATURE_{name}")).is_some()
}

/// typify's hand-rolled `JsonSchema` impls (with the `schemars` feature) name their
/// generator `gen`, a keyword in this crate's edition.
fn edition_2024(code: String) -> String {
    code.replace("::schemars::gen::", "::schemars::r#gen::")
        .replace("gen: &mut ::schemars", "r#gen: &mut ::schemars")
        .replace("json_schema(gen)", "json_schema(r#gen)")
}

fn write(path: impl AsRef<Path>, contents: &str) {
    let path = path.as_ref();
    fs::write(path, contents).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
