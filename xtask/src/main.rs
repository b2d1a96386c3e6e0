//! Repository chores, run with `cargo xtask <task>` (see [`USAGE`]).
//!
//! Plain Rust with arguments parsed by hand, in the style of rust-analyzer's
//! xtask: each task is a module, `main` only dispatches.

mod bench_fake;
mod bench_instructions;
mod build_cost;
mod bundle;
mod diff;
mod docs;
mod docs_check;

mod lint;
mod yaml_positions;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The spec, relative to the workspace root.
const SPEC: &str = "openapi/stamps.yaml";

const USAGE: &str = "\
usage: cargo xtask <task> [options]

tasks:
  lint [--deny-warnings] [PATH]   check the OpenAPI spec (default: openapi/stamps.yaml);
                                  exits 1 on errors (and on warnings with --deny-warnings)
  lint --list-rules               list the lint rules with their ids
  bundle [PATH] [--out DIR]       lint the spec, then write DIR/stamps.yaml and DIR/stamps.json
                                  for other languages' generators (default DIR: target/openapi)
  diff [--allow-breaking] OLD [NEW]
                                  compare two versions of the spec and list the changes,
                                  breaking or not, for the wire contract and for the
                                  generated Rust API; exits 1 if any is breaking (0 with
                                  --allow-breaking), 2 if the versions cannot be read
  build-cost [REV]                clean debug builds, dependencies included, of a generated
                                  user crate calling one operation through `stamps` (feature
                                  memberships; the working tree, or git revision REV) and of
                                  the same crate written with reqwest + serde; prints the
                                  ratio and the units only the stamps build compiles
  bench-instructions [REV]        count the client's instructions per call (valgrind's
                                  callgrind) for every arm of the sdk_vs_reqwest bench, and
                                  print SDK / hand-written reqwest ratios (with REV: and the
                                  SDK's arms at git revision REV, before / after)
  bench-fake                      time the fake server in a debug build, as users' tests
                                  build it (first start, first call of an operation,
                                  calls/s, memory), beside httpmock serving the same
                                  documented answer, each in a fresh process
  docs [--check]                  write docs/operations.md, the operations reference, from
                                  the spec (--check: fail if it is out of date)
  docs-check [--docs DIR] [SPEC]  compare the spec (default: openapi/stamps.yaml) with the
                                  docs' reStructuredText pages in DIR (default: docs/upstream,
                                  the pages at the spec's x-docs-revision): operations,
                                  parameter tables, request and answer examples; lists the
                                  spec's x-docs-deviation marks and the docs' JSON errata;
                                  exits 1 on findings, 2 if something cannot be read
  help                            show this message

A relative PATH is taken from the current directory if it exists there, else
from the workspace root. OLD and NEW of `diff` are each a file (if it exists),
else a git revision: `REV` reads REV:openapi/stamps.yaml, `REV:PATH` reads that
file at REV. NEW defaults to openapi/stamps.yaml, the working copy:
  cargo xtask diff main                 # main's spec vs. the working copy
  cargo xtask diff HEAD~3 HEAD          # two commits";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (task, rest) = match args.split_first() {
        Some((task, rest)) => (task.as_str(), rest),
        None => return usage_error("no task given"),
    };
    match task {
        "lint" => lint_task(rest),
        "bundle" => bundle_task(rest),
        "diff" => diff_task(rest),
        "docs" => docs_task(rest),
        "docs-check" => docs_check_task(rest),
        "build-cost" => match rest {
            [] => report(build_cost::run(&workspace_root(), None)),
            [rev] if !rev.starts_with('-') => report(build_cost::run(&workspace_root(), Some(rev))),
            _ => usage_error("`build-cost` takes at most a git revision"),
        },
        "bench-instructions" => match rest {
            [] => report(bench_instructions::run(&workspace_root(), None)),
            [rev] if !rev.starts_with('-') => {
                report(bench_instructions::run(&workspace_root(), Some(rev)))
            }
            _ => usage_error("`bench-instructions` takes at most a git revision"),
        },
        "bench-fake" => report(bench_fake::run(&workspace_root())),
        "help" | "-h" | "--help" => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        other => usage_error(&format!("unknown task `{other}`")),
    }
}

/// Prints a measurement's report, or its error.
fn report(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask lint [--deny-warnings] [--list-rules] [PATH]`
fn lint_task(args: &[String]) -> ExitCode {
    let mut deny_warnings = false;
    let mut path = None;
    for arg in args {
        match arg.as_str() {
            "--deny-warnings" => deny_warnings = true,
            "--list-rules" => {
                for rule in lint::rules::RULES {
                    println!("{:<22} {:<8} {}", rule.id, rule.severity, rule.summary);
                }
                return ExitCode::SUCCESS;
            }
            flag if flag.starts_with('-') => {
                return usage_error(&format!("unknown option `{flag}`"));
            }
            p if path.is_none() => path = Some(p),
            extra => return usage_error(&format!("unexpected argument `{extra}`")),
        }
    }
    let shown = path.unwrap_or(SPEC);
    match lint::lint_file(&resolve(shown), shown) {
        Ok(summary) if summary.fails(deny_warnings) => {
            if summary.errors == 0 {
                eprintln!("error: warnings are denied (--deny-warnings)");
            }
            ExitCode::FAILURE
        }
        Ok(_) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask docs [--check]`
fn docs_task(args: &[String]) -> ExitCode {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return usage_error("`docs` takes only `--check`"),
    };
    let root = workspace_root();
    match docs::run(&root, &root.join(SPEC), check) {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask docs-check [--docs DIR] [SPEC]`
fn docs_check_task(args: &[String]) -> ExitCode {
    let mut docs = None;
    let mut path = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--docs" => match args.next() {
                Some(dir) => docs = Some(dir.as_str()),
                None => return usage_error("`--docs` needs a directory"),
            },
            flag if flag.starts_with('-') => {
                return usage_error(&format!("unknown option `{flag}`"));
            }
            p if path.is_none() => path = Some(p),
            extra => return usage_error(&format!("unexpected argument `{extra}`")),
        }
    }
    let shown = path.unwrap_or(SPEC);
    let docs = resolve(docs.unwrap_or(docs_check::DOCS));
    match docs_check::run(&docs, &resolve(shown), shown) {
        Ok(outcome) => {
            print!("{}", outcome.report);
            if outcome.findings == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// `cargo xtask bundle [PATH] [--out DIR]`
fn bundle_task(args: &[String]) -> ExitCode {
    let mut path = None;
    let mut out = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => match args.next() {
                Some(dir) => out = Some(PathBuf::from(dir)),
                None => return usage_error("`--out` needs a directory"),
            },
            flag if flag.starts_with('-') => {
                return usage_error(&format!("unknown option `{flag}`"));
            }
            p if path.is_none() => path = Some(p),
            extra => return usage_error(&format!("unexpected argument `{extra}`")),
        }
    }
    let shown = path.unwrap_or(SPEC);
    // Always the workspace's own target dir, whatever CARGO_TARGET_DIR says:
    // this is a published artifact's place, not a build cache.
    let out = out.unwrap_or_else(|| workspace_root().join("target/openapi"));
    match bundle::bundle(&resolve(shown), shown, &out) {
        Ok(written) => {
            for path in written {
                println!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask diff [--allow-breaking] OLD [NEW]`
fn diff_task(args: &[String]) -> ExitCode {
    let mut allow_breaking = false;
    let mut sides = Vec::new();
    for arg in args {
        match arg.as_str() {
            "--allow-breaking" => allow_breaking = true,
            flag if flag.starts_with('-') => {
                return usage_error(&format!("unknown option `{flag}`"));
            }
            side if sides.len() < 2 => sides.push(side),
            extra => return usage_error(&format!("unexpected argument `{extra}`")),
        }
    }
    let (old, new) = match sides[..] {
        [old, new] => (old, new),
        [old] => (old, SPEC),
        _ => return usage_error("`diff` needs the old version of the spec (and the new one)"),
    };
    let (old, new) = match (diff::load(old), diff::load(new)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(message), _) | (_, Err(message)) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let changes = diff::compare(&old.spec, &new.spec);
    let sides = diff::Sides {
        old: (&old.shown, &old.spec),
        new: (&new.shown, &new.spec),
    };
    let breaking = diff::print(&changes, &sides, allow_breaking);
    if breaking && !allow_breaking {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs `cargo <args>` in `root` and returns the executable it built for target `name`.
pub(crate) fn built_executable(root: &Path, args: &[&str], name: &str) -> Result<PathBuf, String> {
    let output = std::process::Command::new(env!("CARGO"))
        .current_dir(root)
        .args(args)
        .arg("--message-format=json")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo {} failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == name)
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| format!("cargo built no {name} executable"))
}

/// The workspace root: the parent of this crate's directory, so tasks work
/// from any current directory.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// A path argument: absolute as is; relative from the current directory if
/// it exists there, else from the workspace root.
fn resolve(path: &str) -> PathBuf {
    let path = Path::new(path);
    if path.is_absolute() || path.exists() {
        path.to_path_buf()
    } else {
        workspace_root().join(path)
    }
}

/// Prints the error and the usage to stderr; exit code 2.
fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(2)
}
