//! `cargo xtask docs-check [--docs DIR] [SPEC]`: the spec compared with the docs'
//! own pages (reStructuredText), so that a change of the docs shows up as findings
//! before a merchant's call fails.
//!
//! Each page's operation sections (`URL endpoint`, `Allowed method`), parameter
//! tables (and the object tables they refer to), cURL and JSON request examples, and
//! answers are read ([`rst`]), JSON repaired where the docs get its syntax wrong
//! ([`json`]), and compared with the spec ([`check`]) through the same OpenAPI→JSON
//! Schema conversion the fake uses ([`schema`]). `x-docs-deviation` marks in the spec
//! turn the findings they explain into notes. In a checkout of the docs' repository,
//! the commits since each tag's `x-docs-revision` are listed ([`revisions`]).

mod check;
mod json;
mod revisions;
mod rst;
mod schema;
mod shell;

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;
use stamps_spec::Spec;

pub use check::Finding;

/// The default docs folder, from the workspace root.
pub const DOCS: &str = "docs/upstream";

/// The outcome: the report's text and whether there were findings.
pub struct Outcome {
    pub report: String,
    pub findings: usize,
}

/// Reads the pages of `docs` and the spec at `spec_path`, compares them.
/// `Err` when something cannot be read (exit 2).
pub fn run(docs: &Path, spec_path: &Path, shown_spec: &str) -> Result<Outcome, String> {
    let text = std::fs::read_to_string(spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    let spec = Spec::from_yaml(&text)?;
    let mut names: Vec<String> = std::fs::read_dir(docs)
        .map_err(|e| format!("cannot read the docs folder {}: {e}", docs.display()))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".rst"))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(format!("{} holds no .rst page", docs.display()));
    }
    let mut pages = Vec::new();
    for name in &names {
        let path = docs.join(name);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        pages.push(rst::read(name, &text));
    }
    let mut checker = check::Checker::new(&spec);
    for page in &pages {
        checker.page(page);
    }
    checker.undocumented(&pages);
    let counts = std::mem::take(&mut checker.counts);
    let findings = checker.into_findings();

    let mut out = String::new();
    let _ = writeln!(
        out,
        "docs-check: {shown_spec} against {} ({} pages, {} operation sections)",
        docs.display(),
        pages.len(),
        pages.iter().map(|p| p.operations.len()).sum::<usize>()
    );
    let _ = writeln!(
        out,
        "checked: {} operations, {} parameters, {} request examples, {} answer examples",
        counts.operations.len(),
        counts.parameters,
        counts.requests,
        counts.answers
    );
    let deviations = deviations(&spec.doc);
    let _ = writeln!(out, "\nDeviations the spec marks ({}):", deviations.len());
    for (pointer, text) in &deviations {
        let _ = writeln!(out, "  {pointer}\n      {}", one_line(text));
    }
    let repairs: usize = pages.iter().map(|p| p.repairs.len()).sum();
    let _ = writeln!(
        out,
        "\nErrata: JSON syntax repaired to read the examples ({repairs}):"
    );
    for page in &pages {
        for r in &page.repairs {
            let _ = writeln!(out, "  {}:{}: {}", page.name, r.line, r.what);
        }
    }
    let unreadable: usize = pages.iter().map(|p| p.unreadable.len()).sum();
    let _ = writeln!(
        out,
        "\nErrata: examples that are not JSON even after repair, not checked ({unreadable}):"
    );
    for page in &pages {
        for (line, why) in &page.unreadable {
            let _ = writeln!(out, "  {}:{line}: {why}", page.name);
        }
    }
    if let Some(revisions) = revisions::report(docs, &spec) {
        let _ = write!(out, "\n{revisions}");
    }
    let _ = writeln!(out, "\nFindings ({}):", findings.len());
    for f in &findings {
        let _ = writeln!(out, "  {}", display(f));
    }
    Ok(Outcome {
        report: out,
        findings: findings.len(),
    })
}

/// `page:line [kind] section: message`.
pub fn display(f: &Finding) -> String {
    let section = if f.section.is_empty() {
        String::new()
    } else {
        format!(" \"{}\"", f.section)
    };
    format!("{}:{}{section}: [{}] {}", f.page, f.line, f.kind, f.message)
}

/// Every `x-docs-deviation` of the document: its JSON pointer and text.
fn deviations(doc: &Value) -> Vec<(String, String)> {
    fn walk(value: &Value, pointer: String, out: &mut Vec<(String, String)>) {
        match value {
            Value::Object(members) => {
                for (k, v) in members {
                    if k == schema::MARK {
                        out.push((pointer.clone(), v.as_str().unwrap_or_default().to_owned()));
                    } else {
                        walk(
                            v,
                            format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1")),
                            out,
                        );
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, format!("{pointer}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, "#".to_owned(), &mut out);
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
