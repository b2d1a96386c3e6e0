//! Generates the Stamps client from `openapi/stamps.yaml`, as a short pipeline: prepare
//! the spec once (`stamps_codegen::generate::prepare`: the whole spec, and the enabled
//! operations, secrets marked), have progenitor generate the client, apply the passes
//! over its output ([`apply_passes`]), render the tables, write.
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

use stamps_codegen::generate::Prepared;

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
    let file: syn::File = syn::parse2(tokens).expect("progenitor emitted invalid Rust");
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
    // The passes last: they take the prepared spec.
    let file = apply_passes(file, prepared);
    write(
        out("stamps_client.rs"),
        &edition_2024(prettyplease::unparse(&file)),
    );
}

/// The passes over progenitor's client, each checking that it found what it expects
/// (else the build fails, naming the pass). `prepared.full` is the spec as written,
/// `prepared.marked` the whole spec with its secrets marked, `prepared.enabled` the
/// spec the client was generated from.
fn apply_passes(mut file: syn::File, prepared: Prepared) -> syn::File {
    let Prepared {
        full,
        marked: whole_marked,
        enabled: enabled_spec,
        ..
    } = prepared;
    let spec_with_secrets = &enabled_spec.doc;
    let operations = enabled_spec.operations();
    let operation_ids: Vec<String> = operations.iter().map(|op| op.id.to_owned()).collect();
    let operation_paths: Vec<&str> = operations.iter().map(|op| op.path).collect();
    // No builders for the types only ever decoded from answers (about half the code).
    let generated: std::collections::BTreeSet<String> = spec_with_secrets["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k.clone())
        .collect();
    let inputs = stamps_codegen::passes::input_schemas(&whole_marked);
    let pruned = stamps_codegen::passes::prune_builders(&mut file, &generated, &inputs);
    assert!(
        pruned > 0,
        "no builder was pruned: has typify's output changed?"
    );
    // `deprecated: true` (the legacy pages) becomes `#[deprecated]` on the method.
    stamps_codegen::passes::mark_deprecated(&mut file, &full);
    // Fixed paths use the URLs the client parsed once (`src/operation_urls.rs`).
    let preparsed = stamps_codegen::passes::preparsed_urls(&mut file, &operation_ids);
    let fixed = operation_paths.iter().filter(|p| !p.contains('{')).count();
    assert!(
        preparsed == fixed,
        "codegen::preparsed_urls changed {preparsed} sends, the spec has {fixed} fixed paths: \
         has progenitor's `send` changed?"
    );
    // One arm, and one decoder `.await`, for all the statuses answered alike.
    let merged = stamps_codegen::passes::merge_status_arms(&mut file);
    assert!(
        merged > 0,
        "no status arms were merged: has progenitor's `send` changed?"
    );
    // Answers are decoded from the body the hooks buffered, without a second read.
    let decoders = stamps_codegen::passes::buffered_decode(&mut file);
    assert!(
        decoders == 2 * operation_ids.len(),
        "codegen::buffered_decode replaced {decoders} decoders, expected two per operation \
         (the success arm and the error arm) for {}: has progenitor's `send` changed?",
        operation_ids.len()
    );
    // A request builder starts without allocating (one `String` per required field).
    let cheap = stamps_codegen::passes::cheap_builder_defaults(&mut file);
    assert!(
        cheap > 0,
        "no builder default was made cheap: has typify's output changed?"
    );
    // Conversions to request types are compiled by the crates that build requests.
    let lazy = stamps_codegen::passes::lazy_builder_conversions(&mut file);
    assert!(
        lazy > 0,
        "no builder conversion was marked: has typify's output changed?"
    );
    // The merchant a call takes from its client (`x-stamps-client-merchant`).
    let marks = stamps_codegen::calls::ClientMerchant::of(&full);
    let filled = stamps_codegen::calls::client_merchant(&mut file, &marks);
    let expected = marks.sites(&enabled_spec);
    assert!(
        filled == expected,
        "calls::client_merchant changed {filled} builders, the spec marks {expected}: \
         has progenitor's output changed?"
    );
    // Optional and list fields of request builders take plain values and builders.
    let setters = stamps_codegen::calls::value_setters(&mut file);
    assert!(
        (setters > 0) == stamps_codegen::calls::has_value_setters(&enabled_spec),
        "calls::value_setters changed {setters} setters, and the spec's request schemas \
         say otherwise: has typify's output changed?"
    );
    // `send()` fails with `stamps::Error`, reporting every bad input at once.
    let sends = stamps_codegen::calls::sdk_error_send(&mut file);
    assert!(
        sends == operation_ids.len(),
        "calls::sdk_error_send changed {sends} sends for {} operations: \
         has progenitor's `send` changed?",
        operation_ids.len()
    );
    let removed = strip_api_version_header(&mut file.items);
    assert!(
        removed == operation_ids.len(),
        "strip_api_version_header removed {removed} `api-version` headers for {} operations: \
         has progenitor's `send` changed?",
        operation_ids.len()
    );
    file
}

/// Whether cargo feature `name` (uppercase, `_` for `-`) is on.
fn feature(name: &str) -> bool {
    env::var_os(format!("CARGO_FEATURE_{name}")).is_some()
}

/// Removes the `api-version` header progenitor adds to every request (Stamps does not
/// document it) from each generated `send`, and shrinks the header map it went into
/// accordingly; returns how many it removed. Done here rather than in the `pre` hook
/// so that no call allocates a header map only to empty it: with no other header
/// parameter the map is `with_capacity(0)`, which does not allocate.
fn strip_api_version_header(items: &mut [syn::Item]) -> usize {
    let mut removed = 0;
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &mut m.content {
                    removed += strip_api_version_header(items);
                }
            }
            syn::Item::Impl(i) => {
                for item in &mut i.items {
                    if let syn::ImplItem::Fn(f) = item {
                        let before = f.block.stmts.len();
                        f.block.stmts.retain(|stmt| !appends_api_version(stmt));
                        let here = before - f.block.stmts.len();
                        if here > 0 {
                            shrink_header_map(&mut f.block.stmts, here);
                        }
                        removed += here;
                    }
                }
            }
            _ => {}
        }
    }
    removed
}

/// `header_map.append(HeaderName::from_static("api-version"), ..);`
fn appends_api_version(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else {
        return false;
    };
    let Some(syn::Expr::Call(header_name)) = call.args.first() else {
        return false;
    };
    let Some(syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(name),
        ..
    })) = header_name.args.first()
    else {
        return false;
    };
    call.method == "append" && name.value() == "api-version"
}

/// `let mut header_map = HeaderMap::with_capacity(N);` becomes `N - removed`.
fn shrink_header_map(stmts: &mut [syn::Stmt], removed: usize) {
    for stmt in stmts {
        let syn::Stmt::Local(local) = stmt else {
            continue;
        };
        let Some(init) = &mut local.init else {
            continue;
        };
        let syn::Expr::Call(call) = &mut *init.expr else {
            continue;
        };
        let syn::Expr::Path(func) = &*call.func else {
            continue;
        };
        if func
            .path
            .segments
            .last()
            .is_none_or(|s| s.ident != "with_capacity")
        {
            continue;
        }
        if let Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(n),
            ..
        })) = call.args.first_mut()
        {
            let capacity = n.base10_parse::<usize>().expect("a usize literal") - removed;
            *n = syn::LitInt::new(&format!("{capacity}usize"), n.span());
            // Nothing is appended any more: `let header_map` (no `unused_mut`).
            if let (0, syn::Pat::Ident(binding)) = (capacity, &mut local.pat) {
                binding.mutability = None;
            }
            return;
        }
    }
    panic!("no `HeaderMap::with_capacity` before the removed `api-version` header");
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
