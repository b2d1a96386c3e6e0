//! `cargo xtask build-cost`: what the generated client costs to build, measured in
//! one run, side by side with the SDK as it was at 26 operations and with a baseline
//! crate that has the same dependencies and no build script. Dependencies are built
//! first and not counted: each number is the `stamps` crate alone (compiling and
//! running its build script, compiling the library), as cargo's `--timings` report
//! gives it, which is what a user's clean build adds once the dependencies are cached.
//!
//! Uses its own target directory (`target/build-cost`), so the usual one is not
//! disturbed; the first run builds the dependencies (debug and release) for each
//! tree measured.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The last commit of the 26-operation SDK (before the earning, spending and access
/// token pages): the "before" of the report.
const BEFORE: &str = "8d87f0f";

/// The feature sets measured now: every API group (the default, which is what a user
/// gets), and the two groups the issue names.
const SETS: &[(&str, &str)] = &[
    ("every API group (default features)", ""),
    ("memberships + transactions", "memberships,transactions"),
];

pub fn run(root: &Path) -> Result<String, String> {
    let target = root.join("target/build-cost");
    let mut report = String::from(
        "| what | operations | generated lines | debug | release |\n| --- | --- | --- | --- | --- |\n",
    );
    let before = checkout(root, &target, BEFORE)?;
    let row = measure(&before, &target.join("before"), "stamps", &[])?;
    let _ = writeln!(
        report,
        "| before: `stamps` at {BEFORE} | {} | {} | {} | {} |",
        row.operations,
        row.lines,
        secs(row.debug),
        secs(row.release)
    );
    for (name, features) in SETS {
        let row = measure(root, &target, "stamps", &feature_args(features))?;
        let _ = writeln!(
            report,
            "| now: `stamps`, {name} | {} | {} | {} | {} |",
            row.operations,
            row.lines,
            secs(row.debug),
            secs(row.release)
        );
    }
    let baseline = make_baseline(root, &target)?;
    let row = measure(&baseline, &target, "baseline", &[])?;
    let _ = writeln!(
        report,
        "| baseline: same dependencies, no build script, no code | 0 | 0 | {} | {} |",
        secs(row.debug),
        secs(row.release)
    );
    let rebuild = rebuild_after_spec_edit(root, &target)?;
    let _ = writeln!(
        report,
        "| now: `stamps` rebuild after a one-line spec edit | | | {} | |",
        secs(rebuild)
    );
    Ok(report)
}

/// One crate's clean builds, and the client it generated.
struct Row {
    debug: Duration,
    release: Duration,
    /// Lines of the generated client, and the operations in it (0 for the baseline).
    lines: usize,
    operations: usize,
}

fn measure(dir: &Path, target: &Path, package: &str, args: &[String]) -> Result<Row, String> {
    let debug = clean_build(dir, target, package, args, false)?;
    let release = clean_build(dir, target, package, args, true)?;
    let (lines, operations) = if package == "stamps" {
        generated(target)?
    } else {
        (0, 0)
    };
    Ok(Row {
        debug,
        release,
        lines,
        operations,
    })
}

/// The tree of `rev` (the whole workspace), under `target/rev`.
fn checkout(root: &Path, target: &Path, rev: &str) -> Result<PathBuf, String> {
    let dir = target.join(rev);
    if !dir.join("Cargo.toml").exists() {
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let archive = Command::new("git")
            .current_dir(root)
            .args(["archive", "--format=tar", rev])
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !archive.status.success() {
            return Err(format!("git archive {rev} failed (a shallow clone?)"));
        }
        let mut tar = Command::new("tar")
            .current_dir(&dir)
            .args(["-x", "-f", "-"])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run tar: {e}"))?;
        use std::io::Write as _;
        tar.stdin
            .take()
            .ok_or("tar has no stdin")?
            .write_all(&archive.stdout)
            .map_err(|e| e.to_string())?;
        if !tar.wait().map_err(|e| e.to_string())?.success() {
            return Err(format!("unpacking {rev} failed"));
        }
    }
    Ok(dir)
}

fn feature_args(features: &str) -> Vec<String> {
    if features.is_empty() {
        return Vec::new();
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

/// Builds `package` (and its dependencies), cleans the package alone, builds again,
/// and returns what the second build spent on `package` itself: its build script's
/// compilation and run, and its library, as cargo's `--timings` report records them.
/// (Not the build's wall time: after `cargo clean -p`, cargo recompiles a few of the
/// dependencies too, which is no cost of the crate's own.)
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
    build.push("--timings");
    cargo(dir, target, &build)?;
    crate_time(target, package)
}

/// The seconds cargo's newest `--timings` report gives the units of `package`.
fn crate_time(target: &Path, package: &str) -> Result<Duration, String> {
    let reports = target.join("cargo-timings");
    let newest = std::fs::read_dir(&reports)
        .map_err(|e| format!("{}: {e}", reports.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("cargo-timing-2"))
        })
        .max()
        .ok_or("cargo wrote no --timings report")?;
    let html = std::fs::read_to_string(&newest).map_err(|e| e.to_string())?;
    // The report embeds its data as `const UNIT_DATA = [...];`.
    let data = html
        .split_once("const UNIT_DATA = ")
        .and_then(|(_, rest)| rest.split_once(";\n"))
        .map(|(json, _)| json)
        .ok_or("cargo's --timings report has no UNIT_DATA: has its format changed?")?;
    let units: Vec<serde_json::Value> =
        serde_json::from_str(data).map_err(|e| format!("UNIT_DATA: {e}"))?;
    let seconds: f64 = units
        .iter()
        .filter(|u| u["name"] == package)
        .filter_map(|u| u["duration"].as_f64())
        .sum();
    if seconds == 0.0 {
        return Err(format!("the --timings report has no unit of {package}"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// Lines of the newest generated client under `target`, and its operations (rows
/// of the `OPERATIONS` table generated beside it).
fn generated(target: &Path) -> Result<(usize, usize), String> {
    let mut newest: Option<(std::time::SystemTime, PathBuf)> = None;
    for profile in ["debug", "release"] {
        let Ok(entries) = std::fs::read_dir(target.join(profile).join("build")) else {
            continue;
        };
        for entry in entries.flatten() {
            let out = entry.path().join("out");
            if let Ok(modified) = out
                .join("stamps_client.rs")
                .metadata()
                .and_then(|m| m.modified())
                && newest.as_ref().is_none_or(|(t, _)| modified > *t)
            {
                newest = Some((modified, out));
            }
        }
    }
    let (_, out) = newest.ok_or("no generated client found")?;
    let read = |name: &str| {
        let file = out.join(name);
        std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))
    };
    let operations = read("operations.rs")?.matches("Operation {").count();
    Ok((read("stamps_client.rs")?.lines().count(), operations))
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
