//! Runs `xtask diff` on the fixture pairs of `tests/fixtures/diff/`.
//!
//! Each `<kind>/old.yaml` and `<kind>/new.yaml` is `base.yaml` (or
//! `base.yaml` prepared a little, as its first comment says), the new side
//! with one change. A test lists exactly the changes the diff must report,
//! each with its wire and Rust classification, and checks the exit codes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use common::{Run, xtask};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

fn side(kind: &str, which: &str) -> String {
    let path = fixtures().join(kind).join(format!("{which}.yaml"));
    path.to_str().unwrap().to_owned()
}

/// How a change affects one audience, as the report's headings say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum I {
    /// Under "... breaking".
    B,
    /// Under "... non-breaking".
    N,
    /// Under neither.
    U,
}

/// One reported change: its kind and where it is listed.
type Reported = (String, I, I);

/// The changes a report lists, by kind and classification, checking the
/// format of every line: headings, `  [kind] users: message at FILE:LINE #/pointer`,
/// the summary last.
fn reported(run: &Run) -> BTreeSet<Reported> {
    let mut lines = run.stdout.lines();
    let first = lines.next().expect("a first line");
    assert!(first.starts_with("comparing "), "{}", run.stdout);
    let mut heading = "";
    let mut found: Vec<(String, String, String)> = Vec::new();
    let mut summary = None;
    for line in lines {
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("  [") {
            let (kind, rest) = rest.split_once("] ").expect("`[kind] `");
            let (_, place) = rest.rsplit_once(" at ").expect("` at FILE:LINE #pointer`");
            let (file_line, pointer) = place.split_once(" #").expect("`FILE:LINE #pointer`");
            assert!(pointer.starts_with('/') || pointer.is_empty(), "{line}");
            let (_, line_no) = file_line.rsplit_once(':').expect("FILE:LINE");
            line_no.parse::<usize>().expect("a line number");
            found.push((heading.to_owned(), kind.to_owned(), line.to_owned()));
        } else if line.starts_with("summary: ") {
            summary = Some(line);
        } else {
            assert!(
                summary.is_none(),
                "the summary is the last line:\n{}",
                run.stdout
            );
            let (name, count) = line.rsplit_once(" (").expect("`Heading (N)`");
            assert!(count.ends_with(')'), "{line}");
            heading = [
                "Wire contract: breaking",
                "Wire contract: non-breaking",
                "Rust API: breaking",
                "Rust API: non-breaking",
                "Informational",
            ]
            .into_iter()
            .find(|h| *h == name)
            .unwrap_or_else(|| panic!("unknown heading {line:?}"));
        }
    }
    assert!(summary.is_some(), "no summary line:\n{}", run.stdout);
    let kinds: BTreeSet<&String> = found.iter().map(|(_, k, _)| k).collect();
    kinds
        .into_iter()
        .map(|kind| {
            let under = |h: &str| found.iter().any(|(fh, fk, _)| fh == h && fk == kind);
            let impact =
                |breaking: &str, non_breaking: &str| match (under(breaking), under(non_breaking)) {
                    (true, false) => I::B,
                    (false, true) => I::N,
                    (false, false) => I::U,
                    (true, true) => panic!("{kind} listed as breaking and non-breaking"),
                };
            let wire = impact("Wire contract: breaking", "Wire contract: non-breaking");
            let rust = impact("Rust API: breaking", "Rust API: non-breaking");
            if wire == I::U && rust == I::U {
                assert!(under("Informational"), "{kind} is listed nowhere");
            }
            (kind.clone(), wire, rust)
        })
        .collect()
}

/// Diffs fixture `kind`, checks the reported changes are exactly `want`, the
/// exit code (1 if any is breaking, else 0; 0 with `--allow-breaking`), and
/// that every line contains each of `texts`' strings it is paired with.
fn check(kind: &str, want: &[(&str, I, I)], texts: &[&str]) -> Run {
    let (old, new) = (side(kind, "old"), side(kind, "new"));
    let run = xtask(&["diff", &old, &new]);
    let got = reported(&run);
    let want: BTreeSet<Reported> = want
        .iter()
        .map(|(k, w, r)| ((*k).to_owned(), *w, *r))
        .collect();
    assert_eq!(got, want, "{kind}: reported changes differ\n{}", run.stdout);
    for text in texts {
        assert!(
            run.stdout.contains(text),
            "{kind}: {text:?} missing\n{}",
            run.stdout
        );
    }
    let breaking = want.iter().any(|(_, w, r)| *w == I::B || *r == I::B);
    assert_eq!(
        run.code,
        i32::from(breaking),
        "{kind}: wrong exit code\n{}{}",
        run.stdout,
        run.stderr
    );
    let allowed = xtask(&["diff", "--allow-breaking", &old, &new]);
    assert_eq!(allowed.code, 0, "{kind}: --allow-breaking exits 0");
    assert_eq!(allowed.stdout.lines().count(), run.stdout.lines().count());
    if breaking {
        assert!(
            allowed
                .stdout
                .trim_end()
                .ends_with("breaking changes allowed (--allow-breaking)"),
            "{}",
            allowed.stdout
        );
    }
    run
}

macro_rules! cases {
    ($($test:ident: $kind:literal => [$(($k:literal, $w:ident, $r:ident)),* $(,)?] $(, $text:literal)*;)*) => {
        $(
            #[test]
            fn $test() {
                check($kind, &[$(($k, I::$w, I::$r)),*], &[$($text),*]);
            }
        )*

        /// Every fixture directory has a test above.
        const KINDS: &[&str] = &[$($kind),*];
    };
}

cases! {
    // Operations.
    operation_removed: "operation-removed" => [("operation-removed", B, B)],
        "get_child: operation `GET /api/children/{child}` removed",
        "method `Client::get_child` is gone";
    operation_added: "operation-added" => [("operation-added", N, N)],
        "list_children: operation `GET /api/children` added: new method `Client::list_children`";
    operation_id_changed: "operation-id-changed" => [("operation-id-changed", U, B)],
        "Rust method `Client::get_child` is now `Client::get_child_details`";
    operation_path_changed: "operation-path-changed" => [("operation-path-changed", B, U)];
    security_removed: "security-removed" => [("security-removed", B, U)],
        "get_child, add_child: `AccessToken` no longer accepted", "#/security";
    security_added: "security-added" => [("security-added", N, U)];
    security_scheme_changed: "security-scheme-changed" => [("security-scheme-changed", B, U)],
        "#/components/securitySchemes/StaticToken";
    // Parameters.
    parameter_added_required: "parameter-added-required" => [("parameter-added-required", B, B)],
        "query parameter `store` of `GET /api/children/{child}` added as required";
    parameter_added: "parameter-added" => [("parameter-added", N, N)];
    parameter_now_required: "parameter-now-required" => [("parameter-now-required", B, B)];
    // Old clients that still send a removed parameter are not refused: non-breaking on
    // the wire (oasdiff: a warning); its builder method is gone.
    parameter_removed: "parameter-removed" => [("parameter-removed", N, B)],
        "at ", "old.yaml:", "old clients that still send it are not refused";
    parameter_moved: "parameter-moved" => [
        ("parameter-moved", B, B),
        ("request-property-added", N, N),
    ], "query parameter `store` of `POST /api/children/add` moved to the JSON request body";
    // build.rs removed `token` from what the Rust API saw, until 0.2.0.
    token_parameter: "token-parameter" => [("parameter-added-required", B, U)],
        "(not in the Rust API: build.rs removed the `token` query parameter until 0.2.0";
    // Docs 23 (upstream c739df4): `token` leaves the query and the body; the crate
    // never exposed it, and old clients that still send it are not refused.
    token_dropped: "token-dropped" => [
        ("parameter-removed", N, U),
        ("request-property-removed", N, U),
    ], "query parameter `token` of `GET /api/children/{child}` removed";
    // Request bodies.
    request_property_added_required: "request-property-added-required" => [
        ("request-property-added-required", B, B),
    ], "`AddChildRequest.birthday` added as required string (date)";
    request_property_added: "request-property-added" => [("request-property-added", N, N)];
    request_property_now_required: "request-property-now-required" => [
        ("request-property-now-required", B, B),
    ];
    request_property_removed: "request-property-removed" => [("request-property-removed", N, B)],
        "old clients that still send it are not refused";
    request_property_removed_closed: "request-property-removed-closed" => [
        ("request-property-removed", B, B),
    ], "`additionalProperties: false`";
    request_enum_value_removed: "request-enum-value-removed" => [
        ("request-enum-value-removed", B, B),
    ], "request enum `ChildGender` lost value \"f\"", "#/components/schemas/ChildGender/enum";
    request_enum_value_added: "request-enum-value-added" => [("request-enum-value-added", N, N)];
    // build.rs replaces UserIdentifier with a hand-written type.
    replaced_component: "replaced-component" => [("request-variant-removed", B, U)],
        "(not in the Rust API: build.rs replaces `UserIdentifier` with the hand-written `crate::UserRef`: check it still matches)";
    // The spec's fix for `user=8120` in a query, where an integer and a string both
    // match: `oneOf` made `anyOf` with the same branches, a widening.
    one_of_to_any_of: "one-of-to-any-of" => [("request-type-changed", N, U)],
        "changed from oneOf to anyOf with the same branches: it now admits values that match more than one";
    // Responses.
    response_property_removed: "response-property-removed" => [
        ("response-property-removed", B, B),
    ], "get_child, add_child: response property `Child.name` removed";
    response_type_changed: "response-type-changed" => [("response-type-changed", B, B)],
        "changed type from string to integer";
    response_property_added: "response-property-added" => [("response-property-added", N, N)];
    response_property_now_optional: "response-property-now-optional" => [
        ("response-property-now-optional", B, B),
    ];
    response_nullable_changed: "response-nullable-changed" => [
        ("response-nullable-changed", B, U),
    ];
    // A nullable reference as OpenAPI 3.0.3 means it, `oneOf: [$ref, {enum: [null]}]`:
    // the same as the `allOf` it replaces (progenitor makes `Option<X>` of both), and
    // a change of nullability where it replaces a plain `$ref`.
    nullable_reference_rewritten: "nullable-reference-rewritten" => [], "summary: no changes";
    nullable_reference_added: "nullable-reference-added" => [
        ("response-nullable-changed", B, U),
    ], "response `Child.status` may now be null";
    response_enum_value_added: "response-enum-value-added" => [
        ("response-enum-value-added", B, B),
    ], "not #[non_exhaustive]";
    response_enum_value_removed: "response-enum-value-removed" => [
        ("response-enum-value-removed", N, B),
    ];
    // `$ref`s.
    shared_component: "shared-component" => [("response-property-added", N, N)],
        "  [response-property-added] get_child, add_child: response property `ErrorBody.code`",
        "#/components/schemas/ErrorBody/properties/code";
    both_directions: "both-directions" => [
        ("request-enum-value-added", N, N),
        ("response-enum-value-added", B, B),
    ];
    rust_type_changed: "rust-type-changed" => [("rust-type-changed", U, B)],
        "was `types::Child`";
    recursive: "recursive" => [("response-property-added", N, N)];
    // A description beside a `$ref` moved beside `allOf: [$ref]`, where OpenAPI 3.0
    // tools keep it: the same type.
    ref_description_wrapped: "ref-description-wrapped" => [], "summary: no changes";
    informational: "informational" => [
        ("description-changed", U, U),
        ("example-changed", U, U),
        ("extension-changed", U, U),
    ], "summary: 4 changes: 0 breaking (0 on the wire, 0 in the Rust API), 0 non-breaking, 4 informational";
    media_type_order_changed: "media-type-order-changed" => [("media-type-order-changed", U, U)],
        "get_child, add_child: media types of response `Error` reordered";
    no_change: "no-change" => [], "summary: no changes";
}

#[test]
fn every_fixture_is_tested() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    on_disk.sort();
    let mut listed: Vec<&str> = KINDS.to_vec();
    listed.sort();
    assert_eq!(on_disk, listed, "add new fixture directories to `cases!`");
}

/// Every fixture is an OpenAPI 3.0 document, as progenitor reads it, and
/// differs from base.yaml by its described change only.
#[test]
fn fixtures_are_valid_openapi() {
    let base = std::fs::read_to_string(fixtures().join("base.yaml")).unwrap();
    let parse = |text: &str, name: &str| {
        let value: serde_json::Value =
            serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        serde_json::from_value::<openapiv3::OpenAPI>(value.clone())
            .unwrap_or_else(|e| panic!("{name} is not OpenAPI 3.0: {e}"));
        value
    };
    let base = parse(&base, "base.yaml");
    for kind in KINDS {
        for which in ["old", "new"] {
            let path = side(kind, which);
            let value = parse(&std::fs::read_to_string(&path).unwrap(), &path);
            let prepared = [
                "both-directions",
                "recursive",
                "media-type-order-changed",
                "token-dropped",
                "request-property-removed-closed",
                "nullable-reference-rewritten",
                "ref-description-wrapped",
            ];
            if which == "old" && !prepared.contains(kind) {
                assert_eq!(value, base, "{path} is base.yaml");
            }
        }
    }
}

/// The real spec compared with itself: nothing.
#[test]
fn real_spec_against_itself_has_no_changes() {
    let run = xtask(&["diff", "openapi/stamps.yaml", "openapi/stamps.yaml"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout,
        "comparing openapi/stamps.yaml (old) with openapi/stamps.yaml (new)\n\nsummary: no changes\n"
    );
}

/// Whether the workspace is a git checkout (a source tarball is not).
fn in_git() -> bool {
    Command::new("git")
        .args(["-C", env!("CARGO_MANIFEST_DIR"), "rev-parse", "HEAD"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A revision is read with `git show REV:openapi/stamps.yaml`; `REV:PATH`
/// names the file; a file edited from it is compared with it.
#[test]
fn git_revisions() {
    if !in_git() {
        eprintln!("skipped: not a git checkout");
        return;
    }
    // The same committed spec, named two ways.
    let run = xtask(&["diff", "HEAD", "HEAD:openapi/stamps.yaml"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.starts_with(
            "comparing HEAD:openapi/stamps.yaml (old) with HEAD:openapi/stamps.yaml (new)"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.ends_with("summary: no changes\n"));

    // HEAD's spec without an operation, as a file: the operation is removed.
    let committed = Command::new("git")
        .args(["-C", env!("CARGO_MANIFEST_DIR")])
        .args(["show", "HEAD:openapi/stamps.yaml"])
        .output()
        .unwrap();
    let text = String::from_utf8(committed.stdout).unwrap();
    let start = text
        .find("  /api/pets/delete:\n")
        .expect("the spec has delete_pet");
    let end = start + text[start..].find("\n\n  /").expect("a next path") + 1;
    let edited = format!("{}{}", &text[..start], &text[end + 1..]);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff-git");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("stamps.yaml");
    std::fs::write(&path, edited).unwrap();
    let run = xtask(&["diff", "HEAD", path.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("[operation-removed] delete_pet: operation `POST /api/pets/delete` removed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("at HEAD:openapi/stamps.yaml:"),
        "removals point into the old side: {}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with(
            "summary: 1 change: 1 breaking (1 on the wire, 1 in the Rust API), 0 non-breaking, 0 informational\n"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn unknown_revision_or_file_exits_2() {
    for arg in [
        "no-such-revision",
        "HEAD:no/such/file.yaml",
        "/nonexistent/spec.yaml",
    ] {
        let run = xtask(&["diff", arg, "openapi/stamps.yaml"]);
        assert_eq!(run.code, 2, "{arg}: {}", run.stderr);
        assert!(
            run.stderr.contains("is neither a file nor a git revision"),
            "{arg}: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty());
    }
}

#[test]
fn invalid_yaml_exits_2() {
    let yaml = fixtures().join("../yaml-syntax.yaml");
    let run = xtask(&["diff", yaml.to_str().unwrap(), "openapi/stamps.yaml"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("not valid YAML"), "{}", run.stderr);
}

#[test]
fn bad_arguments_print_usage_and_exit_2() {
    for args in [
        &["diff"][..],
        &["diff", "a", "b", "c"],
        &["diff", "--nope", "HEAD"],
    ] {
        let run = xtask(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(
            run.stderr.contains("usage: cargo xtask <task>"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("diff [--allow-breaking] OLD [NEW]"));
    }
}

/// `diff OLD` compares OLD with the working copy of the spec.
#[test]
fn new_defaults_to_the_working_copy() {
    let run = xtask(&["diff", "openapi/stamps.yaml"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.ends_with("summary: no changes\n"),
        "{}",
        run.stdout
    );
}
