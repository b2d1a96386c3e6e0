//! Generates the Stamps client from `openapi/stamps.yaml` with progenitor.
//!
//! Two files are written to `OUT_DIR`:
//! - `stamps_client.rs`: progenitor's client (builder interface), included by
//!   `src/generated.rs`;
//! - `operations.rs`: a table of every operation (id, method, path and tag), included
//!   by `src/operations.rs`;
//! - `mock.rs` (with the `httpmock` feature): progenitor's typed httpmock mocks,
//!   included by `src/mock.rs`;
//! - and the glue the spec-driven passes render (security, schemars, error codes,
//!   pagination), and the tables of `tests/properties.rs`.

use std::{env, fs, path::Path};

use serde_json::{Map, Value};

const SPEC: &str = "openapi/stamps.yaml";

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=build.rs");

    let text = fs::read_to_string(SPEC).unwrap_or_else(|e| panic!("cannot read {SPEC}: {e}"));
    // Only the operations of the enabled cargo features (`x-stamps-feature` of their
    // tag), and the schemas they reach; the CLI's build script prepares it alike.
    let enabled = |feature: &str| {
        let var = format!("CARGO_FEATURE_{}", feature.to_uppercase().replace('-', "_"));
        env::var_os(var).is_some()
    };
    let stamps_spec::generate::Prepared {
        full,
        enabled: spec_with_secrets,
        secret_fields,
        openapi: spec,
    } = stamps_spec::generate::prepare(&text, &enabled).unwrap_or_else(|e| panic!("{SPEC}: {e}"));
    let (operations, operation_ids) = operation_table(&spec_with_secrets);
    let settings =
        stamps_spec::generate::settings("crate", env::var_os("CARGO_FEATURE_SCHEMARS").is_some());

    // With `httpmock`: typed mocks of the same operations (`stamps::mock`).
    if env::var_os("CARGO_FEATURE_HTTPMOCK").is_some() {
        let mocks = progenitor::Generator::new(&settings)
            .httpmock(&spec, "crate")
            .unwrap_or_else(|e| panic!("progenitor cannot generate mocks from {SPEC}: {e}"));
        let mut mocks: syn::File = syn::parse2(mocks).expect("progenitor emitted invalid Rust");
        // List query parameters are matched value by value, as the client sends them.
        stamps_spec::mock::list_query_params(&mut mocks);
        let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
        write(
            Path::new(&out_dir).join("mock.rs"),
            &prettyplease::unparse(&mocks),
        );
    }

    let tokens = progenitor::Generator::new(&settings)
        .generate_tokens(&spec)
        .unwrap_or_else(|e| panic!("progenitor cannot generate a client from {SPEC}: {e}"));
    let mut file: syn::File = syn::parse2(tokens).expect("progenitor emitted invalid Rust");
    // The passes over progenitor's output (`stamps_spec::codegen`), each checking it
    // found every site it expects.
    let mut whole_marked = full.clone();
    stamps_spec::secrets::mark(&mut whole_marked.doc);
    let enabled_spec = stamps_spec::Spec {
        doc: spec_with_secrets.clone(),
    };
    stamps_spec::codegen::apply(&mut file, &whole_marked, &enabled_spec, &operation_ids)
        .unwrap_or_else(|e| panic!("{SPEC}: {e}"));

    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    write(
        Path::new(&out_dir).join("stamps_client.rs"),
        &edition_2024(prettyplease::unparse(&file)),
    );
    write(Path::new(&out_dir).join("operations.rs"), &operations);
    let marked = stamps_spec::Spec {
        doc: spec_with_secrets,
    };
    write(
        Path::new(&out_dir).join("security.rs"),
        &(stamps_spec::secrets::render(
            &secret_fields,
            &stamps_spec::secrets::operations(&marked),
            &stamps_spec::secrets::unauthenticated(&marked),
        ) + &stamps_spec::secrets::render_copies(&stamps_spec::secrets::credential_copies(
            &marked,
        ))),
    );
    // The per-operation tables of `tests/properties.rs` (tests only; nothing includes
    // it in the library).
    write(
        Path::new(&out_dir).join("test_tables.rs"),
        &stamps_spec::test_tables::render(&marked).unwrap_or_else(|e| panic!("{SPEC}: {e}")),
    );
    // With `schemars`: the hand-written replacements describe themselves with the spec.
    write(
        Path::new(&out_dir).join("schemars.rs"),
        &stamps_spec::replacements::render_schemars(&whole_marked),
    );
    // The documented `error_code`s become `stamps::ErrorCode`'s variants.
    write(
        Path::new(&out_dir).join("error_codes.rs"),
        // From the whole spec: the enum is the same whatever the features.
        &stamps_spec::error_codes::render(&stamps_spec::error_codes::documented(&full)),
    );
    // With `fake`: what the fake server serves, read from the whole spec here rather
    // than in each test's process.
    if env::var_os("CARGO_FEATURE_FAKE").is_some() {
        write(
            Path::new(&out_dir).join("fake_table.rs"),
            &stamps_spec::fake::render(&full),
        );
    }
    // `x-stamps-pagination`: the glue between each list operation and `src/pagination.rs`.
    let paginated =
        stamps_spec::pagination::paginations(&marked).unwrap_or_else(|e| panic!("{SPEC}: {e}"));
    write(
        Path::new(&out_dir).join("pagination.rs"),
        &stamps_spec::pagination::render(&paginated),
    );
}

/// Renders `OPERATIONS`, one entry per operation in the spec's order (the docs'),
/// and returns the operation ids in that order too.
fn operation_table(spec: &Value) -> (String, Vec<String>) {
    let mut rows = String::new();
    let mut ids = Vec::new();
    let mut templated = Vec::new();
    for (path, item) in object(&spec["paths"]) {
        for (method, op) in object(item).iter().filter(|(m, _)| is_method(m)) {
            let id = op["operationId"].as_str().unwrap_or_else(|| {
                panic!("{method} {path} has no operationId (run `cargo xtask lint`)")
            });
            let tag = op["tags"][0].as_str().unwrap_or("");
            let success: Vec<&String> = object(&op["responses"])
                .keys()
                .filter(|s| s.starts_with('2'))
                .collect();
            assert!(
                success == ["200"],
                "{id}: the client reports undecodable success bodies as status 200, \
                 so every operation must have exactly one success response, `200`; found {success:?}"
            );
            rows.push_str(&format!(
                "    Operation {{ id: {id:?}, method: {method:?}, path: {path:?}, tag: {tag:?} }},\n",
                method = method.to_uppercase(),
            ));
            if path.contains('{') {
                templated.push(ids.len().to_string());
            }
            ids.push(id.to_owned());
        }
    }
    let mut by_id: Vec<usize> = (0..ids.len()).collect();
    by_id.sort_by_key(|&i| (ids[i].len(), &ids[i]));
    let by_id = by_id.iter().map(usize::to_string).collect::<Vec<_>>();
    let table = format!(
        "/// Every operation of the spec, in the spec's order (generated by build.rs).\n\
         pub const OPERATIONS: &[Operation] = &[\n{rows}];\n\
         /// The indexes of [`OPERATIONS`] ordered by their ids' length, then by id: a binary\n\
         /// search mostly compares lengths.\n\
         const BY_ID: &[u16] = &[{}];\n\
         /// The indexes of [`OPERATIONS`] whose path has a parameter.\n\
         pub(crate) const TEMPLATED: &[u16] = &[{}];\n",
        by_id.join(", "),
        templated.join(", ")
    );
    (table, ids)
}

/// typify's hand-rolled `JsonSchema` impls (with the `schemars` feature) name their
/// generator `gen`, a keyword in this crate's edition.
fn edition_2024(code: String) -> String {
    code.replace("::schemars::gen::", "::schemars::r#gen::")
        .replace("gen: &mut ::schemars", "r#gen: &mut ::schemars")
        .replace("json_schema(gen)", "json_schema(r#gen)")
}

/// Whether a path item key is an operation (rather than `parameters`, `summary`, ...).
fn is_method(key: &str) -> bool {
    matches!(
        key,
        "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
    )
}

fn object(value: &Value) -> &Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    value
        .as_object()
        .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

fn write(path: impl AsRef<Path>, contents: &str) {
    let path = path.as_ref();
    fs::write(path, contents).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
