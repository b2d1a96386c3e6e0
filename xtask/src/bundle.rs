//! `cargo xtask bundle`: the spec for other languages' generators, as
//! `target/openapi/stamps.yaml` and `target/openapi/stamps.json`, written only
//! if the spec passes `cargo xtask lint` without errors.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::lint;

/// Lints the spec at `spec` (findings printed as `shown`), then writes
/// `stamps.yaml` (the file as written, comments included) and `stamps.json`
/// (the same document, keys in the YAML's order) into `out_dir`. Returns the
/// paths written, or why nothing was.
pub fn bundle(spec: &Path, shown: &str, out_dir: &Path) -> Result<[std::path::PathBuf; 2], String> {
    let summary = lint::lint_file(spec, shown)?;
    if summary.errors > 0 {
        return Err(format!("{shown} has lint errors; fix them before bundling"));
    }
    let text =
        fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    // serde_json's `preserve_order` keeps the YAML's key order in the JSON.
    let doc: Value = serde_saphyr::from_str(&text).map_err(|e| format!("{shown}: {e}"))?;
    let mut json = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    json.push('\n');

    fs::create_dir_all(out_dir).map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let yaml_path = out_dir.join("stamps.yaml");
    let json_path = out_dir.join("stamps.json");
    for (path, content) in [(&yaml_path, &text), (&json_path, &json)] {
        fs::write(path, content).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok([yaml_path, json_path])
}
