//! Runs the real `xtask` binary on the fixtures of `tests/fixtures/`.
//!
//! Each fixture is `valid.yaml` broken by one rule, with `# expect: <rule-id>`
//! at the end of every line the linter must report. A fixture passes when the
//! linter reports exactly those (rule, line) pairs, in the documented format,
//! and exits as the rules' severities say.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

mod common;

use common::{Run, xtask};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// One printed finding.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Printed {
    rule: String,
    line: usize,
    severity: String,
}

/// Parses the findings printed for `path`, checking each line's format:
/// `PATH:LINE: error|warning [rule-id] message`, then the summary line.
fn printed(run: &Run, path: &str) -> Vec<Printed> {
    let mut lines: Vec<&str> = run.stdout.lines().collect();
    let summary = lines.pop().expect("a summary line");
    assert!(
        summary.ends_with(" warnings") || summary.ends_with(" warning"),
        "last line is not the summary: {summary:?}"
    );
    if lines
        .last()
        .is_some_and(|l| l.starts_with("warnings are denied"))
    {
        lines.pop();
    }
    lines
        .iter()
        .map(|line| {
            let rest = line
                .strip_prefix(&format!("{path}:"))
                .unwrap_or_else(|| panic!("finding does not start with the path: {line}"));
            let (line_no, rest) = rest.split_once(": ").expect("`LINE: `");
            let (severity, rest) = rest.split_once(" [").expect("`severity [`");
            let (rule, message) = rest.split_once("] ").expect("`rule] message`");
            assert!(["error", "warning"].contains(&severity), "{line}");
            assert!(!message.is_empty(), "{line}");
            Printed {
                rule: rule.to_owned(),
                line: line_no
                    .parse()
                    .unwrap_or_else(|_| panic!("no line number: {line}")),
                severity: severity.to_owned(),
            }
        })
        .collect()
}

/// The `(rule, line)` pairs a fixture's `# expect:` markers ask for.
fn expected(text: &str) -> BTreeSet<(String, usize)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let (_, rule) = line.split_once("# expect: ")?;
            Some((rule.trim().to_owned(), i + 1))
        })
        .collect()
}

/// Lints fixture `name` and checks its findings, format and exit codes.
fn check(name: &str) {
    let path = fixture(name);
    let text = std::fs::read_to_string(&path).expect("fixture");
    let want = expected(&text);
    assert!(!want.is_empty(), "{name} has no `# expect:` marker");
    let shown = path.to_str().unwrap();

    let run = xtask(&["lint", shown]);
    let found = printed(&run, shown);
    let got: BTreeSet<(String, usize)> = found.iter().map(|f| (f.rule.clone(), f.line)).collect();
    assert_eq!(
        got, want,
        "{name}: findings differ from the markers\n{}",
        run.stdout
    );

    let errors = found.iter().filter(|f| f.severity == "error").count();
    let warnings = found.len() - errors;
    assert!(
        run.stdout.ends_with(&format!(
            "{errors} error{}, {warnings} warning{}\n",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        )),
        "{name}: wrong summary\n{}",
        run.stdout
    );
    if errors > 0 {
        assert_eq!(run.code, 1, "{name}: errors must exit 1\n{}", run.stdout);
    } else {
        assert_eq!(run.code, 0, "{name}: warnings alone exit 0\n{}", run.stdout);
        let denied = xtask(&["lint", "--deny-warnings", shown]);
        assert_eq!(
            denied.code, 1,
            "{name}: --deny-warnings must fail\n{}",
            denied.stdout
        );
    }
}

macro_rules! fixtures {
    ($($test:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check($file);
            }
        )*

        /// Every fixture file is run by a test above.
        const FIXTURES: &[&str] = &[$($file),*];
    };
}

fixtures! {
    yaml_syntax => "yaml-syntax.yaml",
    yaml_syntax_indent => "yaml-syntax-indent.yaml",
    openapi_document => "openapi-document.yaml",
    openapi_document_missing_field => "openapi-document-missing-field.yaml",
    openapi_version => "openapi-version.yaml",
    unknown_key => "unknown-key.yaml",
    ref_resolves => "ref-resolves.yaml",
    unused_component => "unused-component.yaml",
    path_params => "path-params.yaml",
    path_params_required => "path-params-required.yaml",
    duplicate_param => "duplicate-param.yaml",
    duplicate_param_path_level => "duplicate-param-path-level.yaml",
    parameter_support => "parameter-support.yaml",
    operation_id => "operation-id.yaml",
    operation_id_style => "operation-id-style.yaml",
    operation_id_verb => "operation-id-verb.yaml",
    operation_docs => "operation-docs.yaml",
    operation_tag => "operation-tag.yaml",
    success_response => "success-response.yaml",
    error_responses => "error-responses.yaml",
    response_schemas => "response-schemas.yaml",
    default_response => "default-response.yaml",
    quoted_status_codes => "quoted-status-codes.yaml",
    security => "security.yaml",
    request_body => "request-body.yaml",
    required_properties => "required-properties.yaml",
    enum_values => "enum-values.yaml",
    example_valid => "example-valid.yaml",
    example_fields => "example-fields.yaml",
    default_valid => "default-valid.yaml",
    open_response_objects => "open-response-objects.yaml",
    ref_siblings => "ref-siblings.yaml",
    nullable_type => "nullable-type.yaml",
    one_of_overlap => "one-of-overlap.yaml",
    array_items => "array-items.yaml",
    info => "info.yaml",
    tag_description => "tag-description.yaml",
}

#[test]
fn every_fixture_is_tested() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixture(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".yaml") && n != "valid.yaml")
        .collect();
    on_disk.sort();
    let mut listed: Vec<&str> = FIXTURES.to_vec();
    listed.sort();
    assert_eq!(on_disk, listed, "add new fixtures to the `fixtures!` list");
}

/// Every rule of `lint --list-rules` has a fixture that expects it.
#[test]
fn every_rule_has_a_fixture() {
    let run = xtask(&["lint", "--list-rules"]);
    assert_eq!(run.code, 0);
    let covered: BTreeSet<String> = FIXTURES
        .iter()
        .flat_map(|f| expected(&std::fs::read_to_string(fixture(f)).unwrap()))
        .map(|(rule, _)| rule)
        .collect();
    let ids: Vec<&str> = run
        .stdout
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert!(ids.len() >= 20, "{}", run.stdout);
    for id in ids {
        assert!(
            covered.contains(id),
            "rule `{id}` has no fixture expecting it"
        );
    }
}

#[test]
fn valid_fixture_passes_clean() {
    let path = fixture("valid.yaml");
    let run = xtask(&["lint", "--deny-warnings", path.to_str().unwrap()]);
    assert_eq!(run.stdout, "0 errors, 0 warnings\n");
    assert_eq!(run.code, 0);
}

#[test]
fn bad_arguments_print_usage_and_exit_2() {
    for args in [
        &[][..],
        &["frobnicate"],
        &["lint", "--nope"],
        &["lint", "a", "b"],
    ] {
        let run = xtask(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(
            run.stderr.contains("usage: cargo xtask <task>"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("lint") && run.stderr.contains("bundle"));
    }
}

#[test]
fn missing_file_fails() {
    let run = xtask(&["lint", "/nonexistent/spec.yaml"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);
}

/// The real spec passes with no errors and no warnings.
#[test]
fn real_spec_passes() {
    // The default path, resolved from the workspace root whatever the cwd.
    let run = xtask(&["lint", "--deny-warnings"]);
    assert_eq!(
        run.code, 0,
        "openapi/stamps.yaml has lint findings:\n{}",
        run.stdout
    );
    let summary = run.stdout.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with("0 errors, 0 warnings"),
        "{}",
        run.stdout
    );
}
