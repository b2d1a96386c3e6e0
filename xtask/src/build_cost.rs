//! `cargo xtask build-cost [REV]`: what `stamps` costs a user's clean debug build, in
//! one run: a generated user crate that calls one operation through `stamps` (one
//! API group, `memberships`), against the same crate written with `reqwest` + `serde`
//! alone. Both are built clean, dependencies included, in target directories of their
//! own (`target/build-cost/`), with cargo's default profiles, as a new user's are.
//!
//! `stamps` is the working tree, or the tree of git revision `REV` if one is given
//! (to measure a "before"). The report gives both wall times, their ratio, and from
//! cargo's `--timings` the units that only the `stamps` crate's build compiles (or
//! compiles more often), biggest first: what `stamps` adds, unit by unit.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

/// The API group the user's crate enables.
const FEATURE: &str = "memberships";

/// The user's code through the SDK.
const WITH_STAMPS: &str = r#"//! A user's crate: one call through the SDK.

/// The member's details, as the SDK decodes them.
pub async fn member(client: &stamps::Client, user: &str) -> stamps::Result<String> {
    let details = client
        .get_member_details()
        .user(user)
        .merchant(14)
        .send()
        .await?
        .into_inner();
    Ok(format!("{details:?}"))
}
"#;

/// The same call written by hand.
const BY_HAND: &str = r#"//! A user's crate: one call written with reqwest and serde.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct MemberDetails {
    pub user: User,
    pub membership: Option<Membership>,
}

#[derive(Debug, Deserialize)]
pub struct User {
    pub id: u64,
    pub name: String,
    pub email: Option<String>,
    pub mobile_number: Option<String>,
    pub birthday: Option<String>,
    pub gender: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Membership {
    pub level: i64,
    pub level_text: String,
    pub stamps: i64,
    pub balance: Option<i64>,
    pub start_date: Option<String>,
    pub expires_on: Option<String>,
}

/// The member's details, decoded.
pub async fn member(
    http: &reqwest::Client,
    base_url: &str,
    token: &str,
    user: &str,
) -> reqwest::Result<String> {
    let details: MemberDetails = http
        .get(format!("{base_url}/api/v2/memberships/details"))
        .header("authorization", format!("Token {token}"))
        .query(&[("user", user), ("merchant", "14")])
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(format!("{details:?}"))
}
"#;

pub fn run(root: &Path, rev: Option<&str>) -> Result<String, String> {
    let work = root.join("target/build-cost");
    let stamps = match rev {
        Some(rev) => checkout(root, &work, rev)?,
        None => root.to_path_buf(),
    };
    let lock = stamps.join("Cargo.lock");
    let reqwest = reqwest_requirement(&stamps)?;
    let by_hand = user_crate(
        &work.join("by-hand"),
        &format!("reqwest = {reqwest}\nserde = {{ version = \"1\", features = [\"derive\"] }}\n"),
        BY_HAND,
        &lock,
    )?;
    let with_stamps = user_crate(
        &work.join("with-stamps"),
        &format!(
            "stamps = {{ path = {:?}, default-features = false, features = [{FEATURE:?}] }}\n",
            stamps.display().to_string()
        ),
        WITH_STAMPS,
        &lock,
    )?;
    let hand = clean_build(&by_hand)?;
    let sdk = clean_build(&with_stamps)?;
    let shown = rev.unwrap_or("the working tree");
    let mut report = format!(
        "| a user's crate, clean debug build with its dependencies | wall time | units |\n\
         | --- | --- | --- |\n\
         | reqwest + serde, by hand | {} | {} |\n\
         | `stamps` ({shown}), feature `{FEATURE}` | {} | {} |\n\n\
         Ratio: {:.2}x (goal: at most 1.4x).\n\n",
        secs(hand.wall),
        hand.units.len(),
        secs(sdk.wall),
        sdk.units.len(),
        sdk.wall.as_secs_f64() / hand.wall.as_secs_f64()
    );
    let added = added_units(&sdk.units, &hand.units);
    let total: f64 = added.iter().map(|u| u.seconds).sum();
    let _ = writeln!(
        report,
        "Units only the `stamps` crate's build compiles ({} of them, {total:.1} s of \
         compile time; on 2 cores they overlap), biggest first:\n\n\
         | unit | seconds |\n| --- | --- |",
        added.len()
    );
    for unit in added.iter().take(20) {
        let _ = writeln!(report, "| {} | {:.1} |", unit.name, unit.seconds);
    }
    Ok(report)
}

/// One unit of cargo's `--timings` report.
#[derive(Clone, Debug, PartialEq)]
struct Unit {
    /// `name version`, and cargo's word for it when not a library (`build-script`,
    /// `build-script (run)`).
    name: String,
    seconds: f64,
}

struct Build {
    wall: Duration,
    units: Vec<Unit>,
}

/// The units of `with` that `without` has not (a unit compiled twice in `with` and
/// once in `without` counts once), biggest first.
fn added_units(with: &[Unit], without: &[Unit]) -> Vec<Unit> {
    let mut left: BTreeMap<&str, usize> = BTreeMap::new();
    for unit in without {
        *left.entry(&unit.name).or_default() += 1;
    }
    let mut added: Vec<Unit> = Vec::new();
    let mut sorted: Vec<&Unit> = with.iter().collect();
    // The cheaper of two same-named units is the one the other build shares.
    sorted.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    for unit in sorted {
        match left.get_mut(unit.name.as_str()) {
            Some(n) if *n > 0 => *n -= 1,
            _ => added.push(unit.clone()),
        }
    }
    added.sort_by(|a, b| b.seconds.total_cmp(&a.seconds));
    added
}

/// The tree of `rev` (the whole workspace), under `work/rev`.
pub(crate) fn checkout(root: &Path, work: &Path, rev: &str) -> Result<PathBuf, String> {
    let dir = work.join(format!("rev-{rev}"));
    if !dir.join("Cargo.toml").exists() {
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let archive = Command::new("git")
            .current_dir(root)
            .args(["archive", "--format=tar", rev])
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !archive.status.success() {
            return Err(format!(
                "git archive {rev} failed: {}",
                String::from_utf8_lossy(&archive.stderr)
            ));
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

/// `stamps`'s own `reqwest` requirement, so that the hand-written crate builds the
/// same reqwest.
fn reqwest_requirement(stamps: &Path) -> Result<String, String> {
    let manifest = std::fs::read_to_string(stamps.join("Cargo.toml")).map_err(|e| e.to_string())?;
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("reqwest = "))
        .map(str::to_owned)
        .ok_or_else(|| "stamps's Cargo.toml has no `reqwest = ` line".to_owned())
}

/// Writes a library crate with `dependencies` and `code`, and the versions of `lock`.
fn user_crate(dir: &Path, dependencies: &str, code: &str, lock: &Path) -> Result<PathBuf, String> {
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let manifest = format!(
        "[package]\nname = \"user\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\n{dependencies}"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("src/lib.rs"), code).map_err(|e| e.to_string())?;
    std::fs::copy(lock, dir.join("Cargo.lock")).map_err(|e| format!("{}: {e}", lock.display()))?;
    Ok(dir.to_path_buf())
}

/// A clean build of the crate in `dir`, dependencies included, in its own target
/// directory.
fn clean_build(dir: &Path) -> Result<Build, String> {
    let target = dir.join("target");
    if target.exists() {
        std::fs::remove_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    // Resolve (and download) first: only the build is timed.
    run_cargo(dir, &["fetch"])?;
    eprintln!("build-cost: building {} ...", dir.display());
    let started = Instant::now();
    run_cargo(dir, &["build", "--timings"])?;
    let wall = started.elapsed();
    let report = target.join("cargo-timings/cargo-timing.html");
    let html =
        std::fs::read_to_string(&report).map_err(|e| format!("{}: {e}", report.display()))?;
    Ok(Build {
        wall,
        units: units(&html)?,
    })
}

fn run_cargo(dir: &Path, args: &[&str]) -> Result<(), String> {
    let cargo = Path::new(env!("CARGO"));
    let mut command = Command::new(cargo);
    // This toolchain's rustc, not rustup's proxy: the proxy would obey a dependency's
    // own `rust-toolchain.toml` (serde_tokenstream ships one) when cargo is run
    // without rustup's environment.
    let rustc = cargo.with_file_name("rustc");
    if rustc.exists() {
        command.env("RUSTC", rustc);
    }
    let status = command
        .current_dir(dir)
        .args(args)
        .arg("--quiet")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTFLAGS")
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "cargo {} failed in {}",
            args.join(" "),
            dir.display()
        ))
    }
}

/// The units of a `--timings` report, which embeds them as `const UNIT_DATA = [...];`.
fn units(html: &str) -> Result<Vec<Unit>, String> {
    let data = html
        .split_once("const UNIT_DATA = ")
        .and_then(|(_, rest)| rest.split_once(";\n"))
        .map(|(json, _)| json)
        .ok_or("cargo's --timings report has no UNIT_DATA: has its format changed?")?;
    let units: Vec<Value> = serde_json::from_str(data).map_err(|e| format!("UNIT_DATA: {e}"))?;
    Ok(units
        .iter()
        .map(|u| {
            let mut name = format!(
                "{} {}",
                u["name"].as_str().unwrap_or("?"),
                u["version"].as_str().unwrap_or("")
            );
            let target = u["target"].as_str().unwrap_or("").trim();
            if !target.is_empty() {
                let _ = write!(name, " ({target})");
            }
            Unit {
                name,
                seconds: u["duration"].as_f64().unwrap_or(0.0),
            }
        })
        .collect())
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(name: &str, seconds: f64) -> Unit {
        Unit {
            name: name.to_owned(),
            seconds,
        }
    }

    #[test]
    fn a_unit_compiled_twice_counts_once_as_added() {
        let with = [
            unit("serde 1", 3.0),
            unit("serde 1", 5.0),
            unit("syn 3", 6.0),
        ];
        let without = [unit("serde 1", 4.0)];
        assert_eq!(
            added_units(&with, &without),
            [unit("syn 3", 6.0), unit("serde 1", 5.0)]
        );
    }

    #[test]
    fn units_are_read_from_the_timings_report() {
        let html = "x\nconst UNIT_DATA = [{\"name\":\"regress\",\"version\":\"0.12.0\",\
                    \"mode\":\"todo\",\"target\":\"\",\"duration\":7.5},{\"name\":\"stamps\",\
                    \"version\":\"0.2.0\",\"mode\":\"run-custom-build\",\"target\":\" build-script (run)\",\
                    \"duration\":3.25}];\nmore";
        assert_eq!(
            units(html).unwrap(),
            [
                unit("regress 0.12.0", 7.5),
                unit("stamps 0.2.0 (build-script (run))", 3.25)
            ]
        );
    }
}
