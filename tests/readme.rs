//! The README's table of API groups is the spec's list of tags, with their operation
//! counts: an added page or operation fails here until the README says so. (The full
//! operations reference, `docs/operations.md`, is checked by `cargo xtask docs --check`.)

use crate::common;

use stamps::operations::OPERATIONS;

#[test]
fn the_readme_lists_every_api_group_with_its_operation_count() {
    let readme = include_str!("../README.md");
    let section = readme
        .split("## Operations\n")
        .nth(1)
        .expect("an Operations section");
    let listed: Vec<(String, usize)> = section
        .lines()
        .take_while(|line| !line.starts_with("## "))
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            (
                cells[1].trim_matches('`').to_owned(),
                cells[3].parse().expect("a count"),
            )
        })
        .collect();
    let mut expected: Vec<(String, usize)> = Vec::new();
    for op in OPERATIONS {
        match expected.iter_mut().find(|(tag, _)| tag == op.tag) {
            Some((_, count)) => *count += 1,
            None => expected.push((op.tag.to_owned(), 1)),
        }
    }
    let mut sorted = listed.clone();
    sorted.sort();
    expected.sort();
    assert_eq!(
        sorted, expected,
        "the README's API groups differ from openapi/stamps.yaml"
    );
    // The feature column is each tag's cargo feature, as build.rs reads it.
    let rows = section
        .lines()
        .take_while(|line| !line.starts_with("## "))
        .filter(|line| line.starts_with("| `"));
    for line in rows {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let tag = cells[1].trim_matches('`');
        let object = common::spec()["tags"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == tag)
            .expect("a tag of the spec");
        let feature = if object["x-stamps-always"] == true {
            "always".to_owned()
        } else {
            format!("`{}`", object["x-stamps-feature"].as_str().unwrap_or(tag))
        };
        assert_eq!(cells[2], feature, "the README's feature of {tag}");
    }
    let total = format!("All {} operations of the spec", OPERATIONS.len());
    assert!(section.contains(&total), "the README should say: {total}");
}
