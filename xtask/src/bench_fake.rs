//! `cargo xtask bench-fake`: what the fake (`stamps::fake`) costs a user's test, beside
//! httpmock serving the same documented answer, in one run.
//!
//! Builds `examples/bench_fake.rs` in debug, as `cargo test` builds a user's tests,
//! and runs each arm (the fake, httpmock) in a fresh process, so that "first start"
//! is the first of the process and the resident memory is the arm's own.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The rows of the report: the example's name for the figure, and what it means.
const ROWS: &[(&str, &str)] = &[
    ("first_start_ms", "first start (ms)"),
    ("first_call_ms", "then the first call, a GET (ms)"),
    ("later_start_ms", "a later start in the same process (ms)"),
    (
        "new_operation_ms",
        "first call of a new operation, a POST (ms)",
    ),
    ("get_per_s", "GET calls/s, 16 in flight"),
    ("post_per_s", "POST calls/s, 16 in flight"),
    ("rss_start_mb", "resident memory after the first call (MB)"),
    ("rss_end_mb", "resident memory at the end (MB)"),
    (
        "every_new_operation_ms_median",
        "first call of each other operation, median (ms)",
    ),
    (
        "every_new_operation_ms_max",
        "first call of each other operation, slowest (ms)",
    ),
];

pub fn run(root: &Path) -> Result<String, String> {
    let bench = build(root)?;
    let fake = arm(&bench, "fake")?;
    let mock = arm(&bench, "httpmock")?;
    let mut report = String::from(
        "| debug build, current-thread runtime | fake | httpmock | fake / httpmock |\n\
         | --- | --- | --- | --- |\n",
    );
    for (key, label) in ROWS {
        let Some(f) = fake.get(*key) else { continue };
        let (m, ratio) = match mock.get(*key) {
            Some(m) => (figure(*m), format!("{:.2}", f / m)),
            None => ("-".to_owned(), "-".to_owned()),
        };
        let _ = writeln!(report, "| {label} | {} | {m} | {ratio} |", figure(*f));
    }
    let start_and_call = fake["first_start_ms"] + fake["first_call_ms"];
    let _ = writeln!(
        report,
        "\nThe fake's first start plus first call: {start_and_call:.1} ms (goal: at most 50 ms); \
         the slowest first call of a new operation: {:.1} ms (goal: at most 20 ms).",
        fake["every_new_operation_ms_max"].max(fake["new_operation_ms"])
    );
    Ok(report)
}

/// Builds the example (debug) and returns its executable.
fn build(root: &Path) -> Result<PathBuf, String> {
    crate::built_executable(root, &["build", "--example", "bench_fake"], "bench_fake")
}

/// Runs one arm in its own process; its `name value` lines.
fn arm(bench: &Path, name: &str) -> Result<BTreeMap<String, f64>, String> {
    eprintln!("bench-fake: {name} ...");
    let output = Command::new(bench)
        .arg(name)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bench.display()))?;
    if !output.status.success() {
        return Err(format!(
            "bench_fake {name} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let figures = parse(&String::from_utf8_lossy(&output.stdout));
    for key in ["first_start_ms", "first_call_ms", "get_per_s"] {
        if !figures.contains_key(key) {
            return Err(format!("bench_fake {name} did not report {key}"));
        }
    }
    Ok(figures)
}

fn parse(stdout: &str) -> BTreeMap<String, f64> {
    stdout
        .lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(' ')?;
            Some((key.to_owned(), value.trim().parse().ok()?))
        })
        .collect()
}

/// Three significant digits, at most one decimal above 10.
fn figure(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_examples_lines_and_skips_the_rest() {
        let figures = parse("first_start_ms 3.5\nnoise\nget_per_s 2107.3\nbad x\n");
        assert_eq!(
            figures.into_iter().collect::<Vec<_>>(),
            [
                ("first_start_ms".to_owned(), 3.5),
                ("get_per_s".to_owned(), 2107.3)
            ]
        );
    }

    #[test]
    fn figures_keep_three_digits() {
        assert_eq!(figure(3123.06), "3123");
        assert_eq!(figure(23.456), "23.5");
        assert_eq!(figure(0.154), "0.15");
    }
}
