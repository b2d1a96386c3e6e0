//! Spec hygiene: what documentation tools and generators expect around the
//! operations.

use serde_json::Value;

use crate::lint::{Issue, Spec};

/// `info`: `info.title` and `info.version` are non-empty strings, and
/// `servers` lists at least one server with a `url` (without it generators
/// default to `/`, a relative URL clients cannot call).
pub fn info(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    let text = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .is_some_and(|s| !s.trim().is_empty())
    };
    let info = spec.doc.get("info");
    for field in ["title", "version"] {
        if !text(info.and_then(|i| i.get(field))) {
            issues.push(Issue::new(
                if info.is_some() { "/info" } else { "" },
                format!("`info.{field}` is missing or empty"),
            ));
        }
    }
    match spec.doc.get("servers").and_then(Value::as_array) {
        Some(servers) if !servers.is_empty() => {
            for (i, server) in servers.iter().enumerate() {
                if !text(server.get("url")) {
                    issues.push(Issue::new(format!("/servers/{i}"), "server has no `url`"));
                }
            }
        }
        _ => issues.push(Issue::new(
            if spec.doc.get("servers").is_some() { "/servers" } else { "" },
            "`servers` is missing or empty; list the API's base URL (e.g. `- url: https://stamps.co.id`)",
        )),
    }
    issues
}

/// `tag-description`: every tag an operation uses has a `description` in the
/// top-level `tags` list (generators turn it into the group's documentation).
pub fn tag_description(spec: &Spec) -> Vec<Issue> {
    let used: Vec<&str> = spec
        .operations()
        .iter()
        .filter_map(|op| op.value.get("tags")?.as_array())
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut issues = Vec::new();
    for (i, tag) in spec
        .doc
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(name) = tag.get("name").and_then(Value::as_str) else {
            continue;
        };
        let described = tag
            .get("description")
            .and_then(Value::as_str)
            .is_some_and(|d| !d.trim().is_empty());
        if used.contains(&name) && !described {
            issues.push(Issue::new(
                format!("/tags/{i}"),
                format!("tag `{name}` has no description"),
            ));
        }
    }
    issues
}
