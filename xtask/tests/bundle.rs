//! `cargo xtask bundle` writes the spec as YAML and JSON, only when it lints.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    path.to_str().unwrap().to_owned()
}

/// A fresh output directory for one test.
fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn bundle(spec: &str, out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["bundle", spec, "--out", out.to_str().unwrap()])
        .output()
        .expect("run xtask")
}

#[test]
fn writes_yaml_and_json_with_the_same_content_and_key_order() {
    let out = out_dir("bundle-valid");
    let spec = fixture("valid.yaml");
    let run = bundle(&spec, &out);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let yaml = std::fs::read_to_string(out.join("stamps.yaml")).unwrap();
    let json = std::fs::read_to_string(out.join("stamps.json")).unwrap();
    assert_eq!(
        yaml,
        std::fs::read_to_string(&spec).unwrap(),
        "the YAML is the spec as written"
    );

    let from_yaml: Value = serde_saphyr::from_str(&yaml).unwrap();
    let from_json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(from_yaml, from_json);
    // Same text once serialized: same keys in the same order.
    assert_eq!(from_yaml.to_string(), from_json.to_string());
    let keys: Vec<&String> = from_json.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "openapi",
            "info",
            "servers",
            "security",
            "tags",
            "paths",
            "components"
        ]
    );
}

#[test]
fn refuses_a_spec_with_lint_errors() {
    let out = out_dir("bundle-invalid");
    let run = bundle(&fixture("required-properties.yaml"), &out);
    assert_eq!(run.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stdout.contains("[required-properties]"), "{stdout}");
    assert!(stderr.contains("lint errors"), "{stderr}");
    assert!(!out.exists(), "nothing is written");
}
