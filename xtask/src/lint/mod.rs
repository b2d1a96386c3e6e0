//! `cargo xtask lint`: checks the hand-written OpenAPI spec for every mistake
//! that would give a wrong or broken client, and says where and why.
//!
//! The rules live in [`rules::RULES`], one entry per rule id; each rule is a
//! function from the loaded [`Spec`] to a list of [`Issue`]s located by JSON
//! pointer. This module turns those into [`Finding`]s with line numbers and
//! prints them as `PATH:LINE: error|warning [rule-id] message`.

pub mod rules;
pub mod spec;
pub mod walk;

use std::fmt;
use std::path::Path;

pub use spec::Spec;

/// How bad a finding is. Errors fail the lint; warnings fail it only with
/// `--deny-warnings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad`, not `write_str`: callers align the column with `{:<8}`.
        f.pad(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A lint rule.
#[derive(Debug)]
pub struct Rule {
    /// Stable kebab-case id, printed with every finding.
    pub id: &'static str,
    pub severity: Severity,
    /// One line: what the rule requires.
    pub summary: &'static str,
    /// Finds the places that break the rule.
    pub check: fn(&Spec) -> Vec<Issue>,
}

/// A place that breaks a rule, as a rule reports it.
#[derive(Debug)]
pub struct Issue {
    /// JSON pointer of the offending node (`""` for the document); for a
    /// missing key, the object that lacks it.
    pub pointer: String,
    /// What is wrong, and how to fix it.
    pub message: String,
}

impl Issue {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Issue {
        Issue {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

/// An issue with its rule and its line, ready to print.
#[derive(Debug)]
pub struct Finding {
    pub rule: &'static Rule,
    pub line: Option<usize>,
    pub pointer: Option<String>,
    pub message: String,
}

impl Finding {
    /// `PATH:LINE: severity [rule-id] message`; the JSON pointer stands in for
    /// the line where no line is known.
    pub fn display(&self, path: &str) -> String {
        let place = match (self.line, &self.pointer) {
            (Some(line), _) => line.to_string(),
            (None, Some(pointer)) => format!("#{pointer}"),
            (None, None) => "1".to_owned(),
        };
        let (severity, id) = (self.rule.severity, self.rule.id);
        format!("{path}:{place}: {severity} [{id}] {}", self.message)
    }
}

/// Lints the text of a spec; findings sorted by line.
pub fn lint_text(text: &str) -> Vec<Finding> {
    let spec = match Spec::parse(text) {
        Ok(spec) => spec,
        Err(e) => {
            return vec![Finding {
                rule: rules::rule(rules::YAML_SYNTAX),
                line: Some(e.line),
                pointer: None,
                message: format!("not valid YAML: {}", e.message),
            }];
        }
    };
    let mut findings = Vec::new();
    for rule in rules::RULES {
        for issue in (rule.check)(&spec) {
            findings.push(Finding {
                rule,
                line: spec.line(&issue.pointer),
                pointer: Some(issue.pointer),
                message: issue.message,
            });
        }
    }
    findings.sort_by(|a, b| (a.line, &a.pointer).cmp(&(b.line, &b.pointer)));
    // A node reached along two routes (a shared example, say) is reported once.
    findings.dedup_by(|a, b| {
        a.rule.id == b.rule.id && a.pointer == b.pointer && a.message == b.message
    });
    findings
}

/// Counts of a lint run.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
}

impl Summary {
    pub fn of(findings: &[Finding]) -> Summary {
        let errors = findings
            .iter()
            .filter(|f| f.rule.severity == Severity::Error)
            .count();
        Summary {
            errors,
            warnings: findings.len() - errors,
        }
    }

    /// Whether the run fails: any error, or any warning when they are denied.
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.errors > 0 || (deny_warnings && self.warnings > 0)
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        write!(
            f,
            "{} error{}, {} warning{}",
            self.errors,
            plural(self.errors),
            self.warnings,
            plural(self.warnings)
        )
    }
}

/// Lints the file at `path`, printing findings as `shown` (the path as the
/// user wrote it) to stdout, then a summary. Returns the summary, or an error
/// message if the file cannot be read.
pub fn lint_file(path: &Path, shown: &str) -> Result<Summary, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let findings = lint_text(&text);
    for finding in &findings {
        println!("{}", finding.display(shown));
    }
    let summary = Summary::of(&findings);
    println!("{summary}");
    Ok(summary)
}
