//! The README's operations table is the spec's list of operations: a renamed or added
//! operation fails here until the README says so.

use stamps::operations::{OPERATIONS, TokenPlacement};

#[test]
fn the_readme_lists_every_operation_with_its_method_path_and_token() {
    let readme = include_str!("../README.md");
    let rows: Vec<(String, String, String)> = readme
        .lines()
        .filter(|line| line.starts_with("| `") && line.contains(" /api/"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            (
                cells[1].trim_matches('`').to_owned(),
                cells[2].trim_matches('`').to_owned(),
                cells[4].to_owned(),
            )
        })
        .collect();
    let mut expected: Vec<(String, String, String)> = OPERATIONS
        .iter()
        .map(|op| {
            let token = match op.token {
                TokenPlacement::None => "",
                TokenPlacement::Query => "query",
                TokenPlacement::Body => "body",
            };
            (
                op.id.to_owned(),
                format!("{} {}", op.method, op.path),
                token.to_owned(),
            )
        })
        .collect();
    let mut listed = rows.clone();
    listed.sort();
    expected.sort();
    assert_eq!(
        listed, expected,
        "the README's operations table differs from openapi/stamps.yaml"
    );
    assert_eq!(OPERATIONS.len(), 26);
}
