//! What every build script that generates Rust from the spec shares: the spec cut to
//! the enabled operations with its secrets marked, and progenitor's settings. The
//! library's build.rs generates the client from them, the CLI's (`cli/build.rs`) its
//! subcommands: the two must agree on every type and builder, so neither prepares the
//! spec its own way.

use std::collections::BTreeSet;

use serde_json::Value;

use stamps_spec::Spec;

/// The spec, ready for progenitor.
#[derive(Debug)]
pub struct Prepared {
    /// The whole document, as written.
    pub full: Spec,
    /// The enabled operations and the schemas they reach, with every `format: password`
    /// string a `$ref` to [`stamps_spec::secrets::SECRET_SCHEMA`].
    pub enabled: Value,
    /// The names of the secret fields and parameters (for redaction).
    pub secret_fields: BTreeSet<String>,
    /// [`Prepared::enabled`], as progenitor reads it.
    pub openapi: openapiv3::OpenAPI,
}

/// Parses the spec's YAML and keeps the operations whose group (`x-stamps-feature`)
/// is `enabled`.
pub fn prepare(text: &str, enabled: &dyn Fn(&str) -> bool) -> Result<Prepared, String> {
    let full = Spec::from_yaml(text)?;
    let mut doc = full.doc.clone();
    stamps_spec::features::retain(&mut doc, enabled, &[]);
    // `format: password` strings become `stamps::Secret`s; their names feed redaction.
    let secret_fields = stamps_spec::secrets::mark(&mut doc);
    let openapi = serde_json::from_value(doc.clone())
        .map_err(|e| format!("not an OpenAPI 3.0 document: {e} (run `cargo xtask lint`)"))?;
    Ok(Prepared {
        full,
        enabled: doc,
        secret_fields,
        openapi,
    })
}

/// progenitor's settings for the client, whose Rust items are under `krate` (`crate`
/// in the library, `stamps` in a crate that uses it): the hand-written types of
/// [`stamps_spec::REPLACEMENTS`] are found there.
pub fn settings(krate: &str, schemars: bool) -> progenitor::GenerationSettings {
    let path = |rust: &str| rust.replacen("crate::", &format!("{krate}::"), 1);
    let mut settings = progenitor::GenerationSettings::new();
    settings
        .with_interface(progenitor::InterfaceStyle::Builder)
        .with_tag(progenitor::TagStyle::Merged)
        .with_inner_type(
            path("crate::ClientConfig")
                .parse::<proc_macro2::TokenStream>()
                .expect("a valid Rust path"),
        )
        .with_hooks(progenitor::HooksMode::Expected)
        // Lets callers compare decoded answers in their own tests.
        .with_derive("PartialEq");
    if schemars {
        settings.with_derive("schemars::JsonSchema");
    }
    for (schema, rust_type) in stamps_spec::REPLACEMENTS {
        settings.with_replacement(
            schema,
            path(rust_type),
            [progenitor::TypeImpl::Display, progenitor::TypeImpl::FromStr].into_iter(),
        );
    }
    settings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prepare_keeps_the_enabled_groups_and_marks_secrets() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../openapi/stamps.yaml"
        ))
        .unwrap();
        let all = prepare(&text, &|_| true).unwrap();
        let none = prepare(&text, &|_| false).unwrap();
        assert!(all.openapi.paths.paths.len() > none.openapi.paths.paths.len());
        assert!(all.secret_fields.contains("pin"), "{:?}", all.secret_fields);
        assert!(
            all.enabled["components"]["schemas"]
                .get(stamps_spec::secrets::SECRET_SCHEMA)
                .is_some()
        );
    }
}
