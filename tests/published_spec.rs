//! The `info` of the spec other teams take (`openapi/stamps.yaml`, published by
//! `cargo xtask bundle`) describes this crate's release: its version is the crate's
//! (the document changes with the crate, breaking changes included), its license the
//! crate's, and it names a contact. Spectral and Redocly ask for both.

use serde_json::Value;

fn info() -> Value {
    let spec: Value = serde_saphyr::from_str(include_str!("../openapi/stamps.yaml"))
        .expect("openapi/stamps.yaml is YAML");
    spec["info"].clone()
}

#[test]
fn the_spec_version_is_the_crate_version() {
    assert_eq!(
        info()["version"].as_str(),
        Some(env!("CARGO_PKG_VERSION")),
        "set `info.version` of openapi/stamps.yaml to the crate's version"
    );
}

#[test]
fn the_spec_license_is_the_crate_license() {
    assert_eq!(
        info()["license"]["name"].as_str(),
        Some(env!("CARGO_PKG_LICENSE"))
    );
}

#[test]
fn the_spec_names_a_contact_with_a_url() {
    let contact = &info()["contact"];
    assert!(contact["name"].as_str().is_some_and(|n| !n.is_empty()));
    assert!(
        contact["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://"))
    );
}
