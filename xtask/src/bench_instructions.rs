//! `cargo xtask bench-instructions`: the client's instructions per call, SDK against
//! hand-written reqwest, counted exactly by callgrind in one run.
//!
//! The timing bench (`cargo bench --bench sdk_vs_reqwest`) measures what a user
//! waits for, but on a shared VM its ratios move from run to run with the load.
//! Instruction counts do not move: the same binary and inputs give the same count
//! whatever else the machine does. Each arm of the bench runs alone under
//! `valgrind --tool=callgrind`, counting only inside the bench's `measured_calls`
//! (its warm-up and the server's startup are not counted), on the client's thread.
//!
//! The baseline of each ratio is the hand-written reqwest arm of the same run. With a
//! git revision (`cargo xtask bench-instructions 4cba432`), the SDK's arms are also
//! counted at that revision (its tree unpacked under `target/bench-instructions/` and
//! built there, in a target directory of its own: cargo names a workspace's artifacts
//! alike wherever its tree is, and would take the revision's older sources for
//! fresh): the SDK before and after a change, beside the same baseline.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Calls per arm: enough that the per-call count is stable to the instruction.
const CALLS: u64 = 256;

pub fn run(root: &Path, rev: Option<&str>) -> Result<String, String> {
    Command::new("valgrind")
        .arg("--version")
        .output()
        .map_err(|e| format!("valgrind is needed (apt-get install valgrind): {e}"))?;
    let work = root.join("target/bench-instructions");
    let bench = build_bench(root, &root.join("target"), &work, "now")?;
    let arms = list_arms(&bench)?;
    let before = match rev {
        Some(rev) => {
            let tree = crate::build_cost::checkout(root, &work, rev)?;
            Some((rev, build_bench(&tree, &work.join("target"), &work, rev)?))
        }
        None => None,
    };
    let mut report = String::from(
        "| scenario | instructions per call, SDK / other | ratio | allocations per call, SDK / other | ratio |\n\
         | --- | --- | --- | --- | --- |\n",
    );
    let mut changes = String::new();
    let mut sdk: Option<(String, Count)> = None;
    for arm in &arms {
        let (scenario, label) = arm.rsplit_once('/').ok_or("an arm is scenario/label")?;
        eprintln!("bench-instructions: {arm} ...");
        let count = count_per_call(&bench, arm)?;
        match &sdk {
            Some((s, first)) if s == scenario => {
                let _ = writeln!(
                    report,
                    "| {scenario} vs {label} | {} / {} | {:.3} | {:.1} / {:.1} | {:.2}x |",
                    thousands(first.instructions),
                    thousands(count.instructions),
                    first.instructions / count.instructions,
                    first.allocations,
                    count.allocations,
                    first.allocations / count.allocations,
                );
            }
            _ => {
                if let Some((_, bench)) = &before {
                    let then = count_per_call(bench, arm)?;
                    let _ = writeln!(
                        changes,
                        "| {arm} | {} | {} | {:+.1} % | {:.1} / {:.1} |",
                        thousands(then.instructions),
                        thousands(count.instructions),
                        100.0 * (count.instructions / then.instructions - 1.0),
                        then.allocations,
                        count.allocations,
                    );
                }
                sdk = Some((scenario.to_owned(), count));
            }
        }
    }
    if let Some((rev, _)) = before {
        let _ = write!(
            report,
            "\n| SDK arm | instructions per call at {rev} | now | change | allocations per call, {rev} / now |\n\
             | --- | --- | --- | --- | --- |\n{changes}"
        );
    }
    Ok(report)
}

/// Builds the bench of the workspace at `tree` (release, as `cargo bench` does) in
/// `target`, and returns a copy of its executable in `work`, named after `label`.
fn build_bench(tree: &Path, target: &Path, work: &Path, label: &str) -> Result<PathBuf, String> {
    let built = crate::built_executable(
        tree,
        &[
            "bench",
            "--bench",
            "sdk_vs_reqwest",
            "--no-run",
            "--target-dir",
            &target.display().to_string(),
        ],
        "sdk_vs_reqwest",
    )?;
    std::fs::create_dir_all(work).map_err(|e| format!("{}: {e}", work.display()))?;
    let copy = work.join(format!("sdk_vs_reqwest-{label}"));
    std::fs::copy(&built, &copy).map_err(|e| format!("{}: {e}", copy.display()))?;
    Ok(copy)
}

/// The bench's arms (`scenario/label`), the SDK's first in each scenario.
fn list_arms(bench: &Path) -> Result<Vec<String>, String> {
    let output = Command::new(bench)
        .env("STAMPS_BENCH_ARM", "list")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bench.display()))?;
    if !output.status.success() {
        return Err(format!(
            "{} failed:\n{}",
            bench.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| line.contains('/'))
        .map(str::to_owned)
        .collect())
}

/// What one call of an arm costs the client's thread.
struct Count {
    instructions: f64,
    allocations: f64,
}

/// Runs one arm under callgrind and divides the counted instructions by the calls;
/// the bench counts the allocations itself.
fn count_per_call(bench: &Path, arm: &str) -> Result<Count, String> {
    let out = std::env::temp_dir().join(format!("stamps-callgrind-{}.out", std::process::id()));
    let output = Command::new("valgrind")
        .args([
            "--tool=callgrind",
            "--collect-atstart=no",
            "--toggle-collect=*measured_calls*",
        ])
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(bench)
        .env("STAMPS_BENCH_ARM", arm)
        .env("STAMPS_BENCH_CALLS", CALLS.to_string())
        .output()
        .map_err(|e| format!("cannot run valgrind: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{arm} under callgrind failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    // "<arm>: <calls> calls, <allocations> allocations per call"
    let stdout = String::from_utf8_lossy(&output.stdout);
    let said = stdout
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{arm}: ")))
        .ok_or_else(|| format!("{arm}: the bench did not say how many calls it made"))?;
    let numbers: Vec<f64> = said
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter_map(|n| n.parse().ok())
        .collect();
    let [calls, allocations] = numbers[..] else {
        return Err(format!("{arm}: cannot read `{said}`"));
    };
    let text = std::fs::read_to_string(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let _ = std::fs::remove_file(&out);
    let total: u64 = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("totals: ")
                .or_else(|| l.strip_prefix("summary: "))
        })
        .and_then(|n| n.split_whitespace().next()?.parse().ok())
        .ok_or("callgrind wrote no totals")?;
    Ok(Count {
        instructions: total as f64 / calls,
        allocations,
    })
}

fn thousands(n: f64) -> String {
    format!("{:.1}k", n / 1000.0)
}
