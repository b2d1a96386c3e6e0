//! What every build script that generates Rust from the spec shares: the spec cut to
//! the enabled operations with its secrets marked, and progenitor's settings. The
//! library's build.rs generates the client from them, the CLI's (`cli/build.rs`) its
//! subcommands: the two must agree on every type and builder, so neither prepares the
//! spec its own way.

use std::collections::BTreeSet;

use stamps_spec::Spec;

/// The spec, ready for progenitor and the renderers: read and marked once.
#[derive(Debug)]
pub struct Prepared {
    /// The whole document, as written (the fake serves it; the error codes are read
    /// from it).
    pub full: Spec,
    /// The whole document with every `format: password` string a `$ref` to
    /// [`stamps_spec::secrets::SECRET_SCHEMA`]: what is a request type, and the
    /// replacements' schemas, do not depend on the features.
    pub marked: Spec,
    /// [`Prepared::marked`] cut to the enabled operations and the schemas they reach:
    /// the client is generated from it.
    pub enabled: Spec,
    /// The names of the secret fields and parameters of [`Prepared::enabled`] (for
    /// redaction).
    pub secret_fields: BTreeSet<String>,
    /// [`Prepared::enabled`], as progenitor reads it.
    pub openapi: openapiv3::OpenAPI,
}

/// Parses the spec's YAML, marks its secrets and keeps the operations whose group
/// (`x-stamps-feature`) is `enabled`.
pub fn prepare(text: &str, enabled: &dyn Fn(&str) -> bool) -> Result<Prepared, String> {
    let full = Spec::from_yaml(text)?;
    // `format: password` strings become `stamps::Secret`s; their names feed redaction.
    let mut marked = full.clone();
    stamps_spec::secrets::mark(&mut marked.doc);
    let mut doc = marked.doc.clone();
    stamps_spec::features::retain(&mut doc, enabled, &[]);
    let secret_fields = stamps_spec::secrets::marked(&doc);
    let openapi = serde_json::from_value(doc.clone())
        .map_err(|e| format!("not an OpenAPI 3.0 document: {e} (run `cargo xtask lint`)"))?;
    Ok(Prepared {
        full,
        marked,
        enabled: Spec { doc },
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
            all.enabled.doc["components"]["schemas"]
                .get(stamps_spec::secrets::SECRET_SCHEMA)
                .is_some()
        );
    }

    /// Marking the whole spec once, then cutting it, gives what cutting it, then
    /// marking what is left, gave: the same document, the same names, whatever the
    /// features.
    #[test]
    fn marking_once_then_cutting_is_cutting_then_marking() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../openapi/stamps.yaml"
        ))
        .unwrap();
        let spec = Spec::from_yaml(&text).unwrap();
        let features: Vec<String> = stamps_spec::features::features(&spec).into_keys().collect();
        let mut sets: Vec<Vec<&str>> = vec![vec![], features.iter().map(String::as_str).collect()];
        sets.extend(features.iter().map(|f| vec![f.as_str()]));
        for set in sets {
            let enabled = |feature: &str| set.contains(&feature);
            let prepared = prepare(&text, &enabled).unwrap();
            let mut doc = spec.doc.clone();
            stamps_spec::features::retain(&mut doc, &enabled, &[]);
            let names = stamps_spec::secrets::mark(&mut doc);
            assert_eq!(
                serde_json::to_string(&prepared.enabled.doc).unwrap(),
                serde_json::to_string(&doc).unwrap(),
                "{set:?}"
            );
            assert_eq!(prepared.secret_fields, names, "{set:?}");
        }
    }
}
