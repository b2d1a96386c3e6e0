//! When the docs folder is inside a checkout of the docs' own repository (one that
//! has the commit a tag's `x-docs-revision` names), the upstream commits that touched
//! each tag's page since that revision: where the maintainer starts reading.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use stamps_spec::Spec;

/// The report, or `None` when `docs` is not in such a checkout (a copy, like
/// `docs/upstream/`, or a repository without those commits).
pub fn report(docs: &Path, spec: &Spec) -> Option<String> {
    git(docs, &["rev-parse", "--is-inside-work-tree"])?;
    let mut seen: Vec<(String, String)> = Vec::new();
    for (_, tag) in spec.tags() {
        let (Some(revision), Some(url)) = (
            tag["x-docs-revision"].as_str(),
            tag["externalDocs"]["url"].as_str(),
        ) else {
            continue;
        };
        let stem = url
            .rsplit('/')
            .next()
            .unwrap_or(url)
            .trim_end_matches(".html");
        let entry = (format!("{stem}.rst"), revision.to_owned());
        if !seen.contains(&entry) {
            seen.push(entry);
        }
    }
    let mut out = String::new();
    let mut any = false;
    for (page, revision) in &seen {
        if git(docs, &["cat-file", "-e", &format!("{revision}^{{commit}}")]).is_none() {
            continue;
        }
        any = true;
        let log = git(
            docs,
            &[
                "log",
                "--format=%h %ad %s",
                "--date=short",
                &format!("{revision}..HEAD"),
                "--",
                page,
            ],
        )
        .unwrap_or_default();
        let commits: Vec<&str> = log.lines().filter(|l| !l.is_empty()).collect();
        let plural = if commits.len() == 1 { "" } else { "s" };
        let _ = writeln!(
            out,
            "  {page}: {} commit{plural} since {revision}",
            commits.len()
        );
        for commit in commits {
            let _ = writeln!(out, "      {commit}");
        }
    }
    any.then(|| {
        format!("Revisions: the docs checkout's HEAD against each tag's x-docs-revision:\n{out}")
    })
}

/// Runs git in `dir`; its standard output if it succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
