//! Generates the `stamps` subcommands from `openapi/stamps.yaml` with progenitor's CLI
//! generator, on the spec prepared as the library's build.rs prepares it.

use std::{env, fs, path::Path};

const SPEC: &str = "../openapi/stamps.yaml";

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=build.rs");
    let text = fs::read_to_string(SPEC).unwrap_or_else(|e| panic!("cannot read {SPEC}: {e}"));
    // Every group: the CLI enables `stamps`'s `fake` feature, which enables them all.
    let prepared = stamps_codegen::generate::prepare(&text, &|_| true)
        .unwrap_or_else(|e| panic!("{SPEC}: {e}"));
    let settings = stamps_codegen::generate::settings("stamps", true);
    let tokens = progenitor::Generator::new(&settings)
        .cli(&prepared.openapi, "stamps")
        .unwrap_or_else(|e| panic!("progenitor cannot generate a CLI from {SPEC}: {e}"));
    let mut file: syn::File = syn::parse2(tokens).expect("progenitor emitted invalid Rust");
    // What the generator expects of the SDK, made to match it once for all operations.
    let paginated = stamps_spec::pagination::paginations(&prepared.enabled)
        .unwrap_or_else(|e| panic!("{SPEC}: {e}"));
    let changes = stamps_codegen::cli::reconcile(&mut file, &paginated);
    assert!(
        changes.errors == 2 && changes.all == paginated.len() && changes.body_files > 0,
        "stamps_codegen::cli::reconcile changed {changes:?} for {} paginated operations: \
         has progenitor's CLI changed?",
        paginated.len()
    );
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("cli.rs");
    fs::write(&out, prettyplease::unparse(&file))
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}
