//! `cargo xtask build-cost`: what the generated client costs to build, measured in
//! one run, side by side with a baseline crate that has the same dependencies and no
//! build script. Dependencies are built first and not counted: each number is the
//! `stamps` crate alone (its build script included), as a user's clean build sees it
//! once the dependencies are cached.
//!
//! Uses its own target directory (`target/build-cost`), so the usual one is not
//! disturbed; the first run builds the dependencies twice (debug, release).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The feature sets measured: every group, and the two the issue names.
const SETS: &[(&str, &str)] = &[
    ("all features", ""),
    ("memberships + transactions", "memberships,transactions"),
];

pub fn run(root: &Path) -> Result<String, String> {
    let target = root.join("target/build-cost");
    let baseline = make_baseline(root, &target)?;
    let mut report = String::from("| what | debug | release |\n| --- | --- | --- |\n");
    for (name, features) in SETS {
        let args = feature_args(features);
        let debug = clean_build(root, &target, "stamps", &args, false)?;
        let release = clean_build(root, &target, "stamps", &args, true)?;
        let lines = generated_lines(&target)?;
        let _ = writeln!(
            report,
            "| `stamps`, {name} ({lines} generated lines) | {} | {} |",
            secs(debug),
            secs(release)
        );
    }
    let all = ["--all-features".to_owned()];
    let debug = clean_build(&baseline, &target, "baseline", &all, false)?;
    let release = clean_build(&baseline, &target, "baseline", &all, true)?;
    let _ = writeln!(
        report,
        "| baseline: same dependencies, no build script, no code | {} | {} |",
        secs(debug),
        secs(release)
    );
    let rebuild = rebuild_after_spec_edit(root, &target)?;
    let _ = writeln!(
        report,
        "| `stamps` rebuild after a one-line spec edit | {} | |",
        secs(rebuild)
    );
    Ok(report)
}

fn feature_args(features: &str) -> Vec<String> {
    if features.is_empty() {
        return vec!["--all-features".to_owned()];
    }
    vec![
        "--no-default-features".to_owned(),
        "--features".to_owned(),
        features.to_owned(),
    ]
}

fn cargo(dir: &Path, target: &Path, args: &[&str]) -> Result<Duration, String> {
    let started = Instant::now();
    let status = Command::new(env!("CARGO"))
        .current_dir(dir)
        .args(args)
        .arg("--target-dir")
        .arg(target)
        .arg("--quiet")
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("cargo {} failed", args.join(" ")));
    }
    Ok(started.elapsed())
}

/// Builds `package` (and its dependencies), cleans the package alone, builds again:
/// the second build's time.
fn clean_build(
    dir: &Path,
    target: &Path,
    package: &str,
    extra: &[String],
    release: bool,
) -> Result<Duration, String> {
    let mut build = vec!["build", "-p", package];
    if release {
        build.push("--release");
    }
    build.extend(extra.iter().map(String::as_str));
    cargo(dir, target, &build)?;
    let mut clean = vec!["clean", "-p", package];
    if release {
        clean.push("--release");
    }
    cargo(dir, target, &clean)?;
    cargo(dir, target, &build)
}

/// Lines of the newest generated client under `target`.
fn generated_lines(target: &Path) -> Result<usize, String> {
    let mut newest: Option<(std::time::SystemTime, PathBuf)> = None;
    for profile in ["debug", "release"] {
        let Ok(entries) = std::fs::read_dir(target.join(profile).join("build")) else {
            continue;
        };
        for entry in entries.flatten() {
            let file = entry.path().join("out/stamps_client.rs");
            if let Ok(modified) = file.metadata().and_then(|m| m.modified())
                && newest.as_ref().is_none_or(|(t, _)| modified > *t)
            {
                newest = Some((modified, file));
            }
        }
    }
    let (_, file) = newest.ok_or("no generated client found")?;
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    Ok(text.lines().count())
}

/// Edits one description line of the spec, rebuilds (debug), and puts it back.
fn rebuild_after_spec_edit(root: &Path, target: &Path) -> Result<Duration, String> {
    let spec = root.join("openapi/stamps.yaml");
    let original = std::fs::read_to_string(&spec).map_err(|e| e.to_string())?;
    cargo(root, target, &["build", "-p", "stamps"])?;
    let edited = original.replacen(
        "title: Stamps API",
        "title: Stamps API (build-cost edit)",
        1,
    );
    std::fs::write(&spec, &edited).map_err(|e| e.to_string())?;
    let result = cargo(root, target, &["build", "-p", "stamps"]);
    std::fs::write(&spec, &original).map_err(|e| e.to_string())?;
    result
}

/// A crate with the `stamps` crate's dependencies (as they are written in its
/// manifest) and an empty library.
fn make_baseline(root: &Path, target: &Path) -> Result<PathBuf, String> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let dependencies = manifest
        .split("\n[dependencies]\n")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .ok_or("Cargo.toml has no [dependencies]")?
        .replace(
            "path = \"spec\"",
            &format!("path = {:?}", root.join("spec").display().to_string()),
        );
    let dir = target.join("baseline");
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let toml = format!(
        "[package]\nname = \"baseline\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\n{dependencies}\n[features]\nfake = [\"dep:hyper\", \"dep:hyper-util\", \"dep:jsonschema\", \"dep:stamps-spec\", \"dep:form_urlencoded\"]\nschemars = [\"dep:schemars\"]\n"
    );
    std::fs::write(dir.join("Cargo.toml"), toml).map_err(|e| e.to_string())?;
    std::fs::write(
        dir.join("src/lib.rs"),
        "//! Baseline: dependencies, no code.\n",
    )
    .map_err(|e| e.to_string())?;
    // The same versions as the workspace's.
    let _ = std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));
    Ok(dir)
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}
