//! Runs `xtask docs-check` on the kept pages (`docs/upstream/`) and the spec, and on
//! copies of them with one mutation each: a test lists exactly the findings the
//! mutation must add to those of the unchanged pair, and checks the exit codes.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use common::{Run, xtask};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A scratch copy of the pages and the spec, removed when dropped.
struct Copy {
    dir: PathBuf,
}

impl Copy {
    fn new(name: &str) -> Copy {
        let dir = std::env::temp_dir().join(format!("docs-check-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("pages")).unwrap();
        for entry in std::fs::read_dir(root().join("docs/upstream")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.join("pages").join(entry.file_name())).unwrap();
        }
        std::fs::copy(root().join("openapi/stamps.yaml"), dir.join("stamps.yaml")).unwrap();
        Copy { dir }
    }

    /// Replaces `from` (which must occur exactly once) by `to` in `file`.
    fn edit(&self, file: &str, from: &str, to: &str) -> &Copy {
        let path = self.dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches(from).count(), 1, "`{from}` once in {file}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        self
    }

    fn run(&self) -> Run {
        let pages = self.dir.join("pages");
        let spec = self.dir.join("stamps.yaml");
        xtask(&[
            "docs-check",
            "--docs",
            pages.to_str().unwrap(),
            spec.to_str().unwrap(),
        ])
    }
}

impl Drop for Copy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The finding lines of a report.
fn findings(report: &str) -> Vec<String> {
    report
        .split_once("\nFindings (")
        .map(|(_, rest)| rest.lines().skip(1).map(|l| l.trim().to_owned()).collect())
        .unwrap_or_default()
}

/// Checks that `copy` exits 1 with exactly the `expected` findings added to the
/// unchanged pair's.
fn expect_new(copy: &Copy, expected: &[&str]) {
    let base = xtask(&["docs-check"]);
    let run = copy.run();
    assert_eq!(run.code, 1, "{}", run.stdout);
    let before = findings(&base.stdout);
    let new: Vec<String> = findings(&run.stdout)
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect();
    assert_eq!(new, expected, "{}", run.stdout);
}

#[test]
fn the_kept_pages_and_the_spec_agree() {
    let run = xtask(&["docs-check"]);
    assert!(findings(&run.stdout).is_empty(), "{}", run.stdout);
    assert!(run.stdout.contains("Findings (0)"), "{}", run.stdout);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("checked: "), "{}", run.stdout);
    // The deviations are listed with their reasons.
    assert!(
        run.stdout.contains(
            "#/paths/~1api~1bookings~1add/post\n      The page says \"Requires authentication: No\""
        ),
        "{}",
        run.stdout
    );
    // The errata: what was repaired to read the examples.
    assert!(
        run.stdout.contains("  hobbies_api.rst:77: single quotes\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_new_operation_section_is_missing_from_the_spec() {
    let copy = Copy::new("new-section");
    copy.edit(
        "pages/booking_api.rst",
        "1. Adding a Booking\n",
        "0. Cancelling a Booking\n=======================\n| URL endpoint: https://stamps.co.id/api/bookings/cancel\n| Allowed method: POST\n\n1. Adding a Booking\n",
    );
    expect_new(
        &copy,
        &[
            "booking_api.rst:8 \"0. Cancelling a Booking\": [operation-missing] POST stamps.co.id/api/bookings/cancel is documented, but the spec has no such operation",
        ],
    );
}

#[test]
fn a_new_required_table_row_is_undeclared() {
    let copy = Copy::new("new-row");
    copy.edit(
        "pages/feedback_api.rst",
        "user                Yes         Email address / Member ID indicating customer\n",
        "user                Yes         Email address / Member ID indicating customer\nrating_source       Yes         Where the score comes from\n",
    );
    expect_new(
        &copy,
        &[
            "feedback_api.rst:22 \"1. Adding a Feedback\": [parameter-undeclared] add_feedback: the table's parameter `rating_source` is not declared",
        ],
    );
}

#[test]
fn an_answer_value_of_another_type_is_refused() {
    let copy = Copy::new("answer-type");
    copy.edit(
        "pages/testing.rst",
        "\"merchant_id\": 1",
        "\"merchant_id\": \"one\"",
    );
    expect_new(
        &copy,
        &[
            "testing.rst:31 \"1. Account Verification\": [answer-refused] ping: the 200 example is refused at `/pong/merchant_id`: \"one\" is not of type \"integer\"",
        ],
    );
}

#[test]
fn a_new_answer_field_is_undeclared() {
    let copy = Copy::new("answer-field");
    copy.edit(
        "pages/testing.rst",
        "\"merchant_id\": 1",
        "\"merchant_id\": 1,\n            \"country\": \"ID\"",
    );
    expect_new(
        &copy,
        &[
            "testing.rst:31 \"1. Account Verification\": [field-undeclared] ping: the 200 example has `/pong/country`, which the schema does not declare",
        ],
    );
}

#[test]
fn a_removed_operation_is_missing() {
    let copy = Copy::new("op-removed");
    let spec = std::fs::read_to_string(copy.dir.join("stamps.yaml")).unwrap();
    let from = spec.find("  /api/ping:\n").unwrap();
    let to = spec.find("  /api/500:\n").unwrap();
    copy.edit("stamps.yaml", &spec[from..to], "");
    expect_new(
        &copy,
        &[
            "testing.rst:12 \"1. Account Verification\": [operation-missing] POST stamps.co.id/api/ping is documented, but the spec has no such operation",
        ],
    );
}

#[test]
fn a_removed_parameter_is_undeclared() {
    let copy = Copy::new("param-removed");
    copy.edit(
        "stamps.yaml",
        "      required: [user]\n      properties:\n        user:\n          $ref: '#/components/schemas/UserIdentifier'\n        score:",
        "      required: [user]\n      properties:\n        score:",
    );
    let run = copy.run();
    assert_eq!(run.code, 1);
    let found = findings(&run.stdout);
    assert!(
        found.iter().any(|f| f.contains(
            "[parameter-undeclared] add_feedback: the table's parameter `user` is not declared"
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn a_narrowed_response_field_is_refused() {
    let copy = Copy::new("narrowed");
    copy.edit(
        "stamps.yaml",
        "        merchant:\n          type: string\n          description: The merchant's name.\n        merchant_id:\n          $ref: '#/components/schemas/MerchantId'\n    PingResponse:",
        "        merchant:\n          type: integer\n          description: The merchant's name.\n        merchant_id:\n          $ref: '#/components/schemas/MerchantId'\n    PingResponse:",
    );
    expect_new(
        &copy,
        &[
            "testing.rst:31 \"1. Account Verification\": [answer-refused] ping: the 200 example is refused at `/pong/merchant`: \"My Merchant\" is not of type \"integer\"",
        ],
    );
}

#[test]
fn a_renamed_query_parameter_is_undeclared() {
    let copy = Copy::new("renamed");
    copy.edit(
        "stamps.yaml",
        "        - name: merchant_id\n          in: query\n          required: false\n          description: Merchant IDs to filter by",
        "        - name: merchant_ids\n          in: query\n          required: false\n          description: Merchant IDs to filter by",
    );
    expect_new(
        &copy,
        &[
            "transaction_api.rst:930 \"7. List User Transaction\": [parameter-undeclared] list_member_transactions: the table's parameter `merchant_id` is not declared",
            "transaction_api.rst:941 \"7. List User Transaction\": [example-undeclared] list_member_transactions: the request example's query parameter `merchant_id` is not declared",
        ],
    );
}

#[test]
fn an_optional_parameter_made_required_breaks_the_convention() {
    let copy = Copy::new("now-required");
    copy.edit(
        "stamps.yaml",
        "    PreviewTransactionEarningsRequest:\n      type: object\n      required: [store, total_value]",
        "    PreviewTransactionEarningsRequest:\n      type: object\n      required: [store, total_value, discount]",
    );
    expect_new(
        &copy,
        &[
            "transaction_api.rst:854 \"6. Preview Transaction Earnings\": [parameter-requiredness] preview_transaction_earnings: `discount` is required in the spec, but the table says No",
        ],
    );
}

#[test]
fn unreadable_input_exits_2() {
    let run = xtask(&["docs-check", "--docs", "/nonexistent/docs-check-pages"]);
    assert_eq!(run.code, 2);
    let run = xtask(&["docs-check", "/nonexistent/stamps.yaml"]);
    assert_eq!(run.code, 2);
}

#[test]
fn in_a_docs_checkout_the_commits_since_the_revision_are_listed() {
    let copy = Copy::new("git");
    let pages = copy.dir.join("pages");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .arg("-C")
            .arg(&pages)
            .args(["-c", "user.name=docs", "-c", "user.email=docs@example.com"])
            .args(args)
            .output()
            .expect("run git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "the pages"]);
    let revision = git(&["rev-parse", "--short=7", "HEAD"]).trim().to_owned();
    copy.edit("pages/testing.rst", "Error 500\n", "Error 500 (always)\n");
    git(&["commit", "-qam", "testing: say always"]);
    let spec = std::fs::read_to_string(copy.dir.join("stamps.yaml")).unwrap();
    std::fs::write(
        copy.dir.join("stamps.yaml"),
        spec.replace(
            "x-docs-revision: 7eaa788",
            // Quoted: a short hash of digits (or digits and one `e`) is a YAML number.
            &format!("x-docs-revision: '{revision}'"),
        ),
    )
    .unwrap();
    let run = copy.run();
    assert!(
        run.stdout.contains("  testing.rst: 1 commit since "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(" testing: say always\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("  token_api.rst: 0 commits since "),
        "{}",
        run.stdout
    );
}

#[test]
fn the_klg_token_is_declared_by_the_credential_copy() {
    let copy = Copy::new("credential-copy");
    copy.edit(
        "stamps.yaml",
        "      operationId: add_klg_card\n      tags: [klg]\n      x-stamps-credential-copy: {in: body, name: token}\n",
        "      operationId: add_klg_card\n      tags: [klg]\n",
    );
    expect_new(
        &copy,
        &[
            "klg_api.rst:1200 \"9. Adding User Card\": [parameter-undeclared] add_klg_card: the table's parameter `token` is not declared",
            "klg_api.rst:1209 \"9. Adding User Card\": [field-undeclared] add_klg_card: the request example has `/token`, which the schema does not declare",
        ],
    );
}

#[test]
fn a_null_admitted_by_an_ignored_nullable_is_found() {
    let copy = Copy::new("nullable");
    copy.edit(
        "stamps.yaml",
        "          description: The merchant's name.\n        merchant_id:\n          $ref: '#/components/schemas/MerchantId'\n    PingResponse:",
        "          description: The merchant's name.\n        merchant_id:\n          allOf:\n            - $ref: '#/components/schemas/MerchantId'\n          nullable: true\n    PingResponse:",
    );
    copy.edit(
        "pages/testing.rst",
        "\"merchant_id\": 1",
        "\"merchant_id\": null",
    );
    expect_new(
        &copy,
        &[
            // The schema refuses the null (stamps-spec reads `nullable` as OpenAPI 3.0.3
            // does), and the second finding says why.
            "testing.rst:31 \"1. Account Verification\": [answer-refused] ping: the 200 example is refused at `/pong/merchant_id`: null is not of type \"integer\"",
            "testing.rst:31 \"1. Account Verification\": [nullable-ignored] ping: the 200 example has `null` at `/pong/merchant_id`, whose schema says `nullable` beside no `type`, which OpenAPI 3.0.3 ignores: validators refuse the null",
        ],
    );
}
