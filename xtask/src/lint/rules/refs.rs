//! Rules on `$ref`s and components: every reference leads somewhere, of the
//! right kind, and every component is reached from some operation.

use std::collections::{BTreeSet, VecDeque};

use serde_json::Value;

use crate::lint::spec::{local_pointer, ref_of};
use crate::lint::walk::{COMPONENT_SECTIONS, Kind, walk};
use crate::lint::{Issue, Spec};
use crate::yaml_positions::{escape, unescape};

/// `ref-resolves`: every `$ref` is local (`#/components/...`), resolves, and
/// points at the component section of the object it stands for (a schema at
/// `#/components/schemas/...`, a response at `#/components/responses/...`).
pub fn ref_resolves(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    walk(&spec.doc, &mut |kind, pointer, obj| {
        let Some(r) = obj.get("$ref") else {
            return;
        };
        let at = format!("{pointer}/$ref");
        let Some(r) = r.as_str() else {
            issues.push(Issue::new(at, "`$ref` must be a string"));
            return;
        };
        let Some(target) = local_pointer(r) else {
            issues.push(Issue::new(
                at,
                format!("`{r}` is not a local reference; only `#/components/...` references are supported (the spec must be one self-contained file)"),
            ));
            return;
        };
        if spec.get(target).is_none() {
            issues.push(Issue::new(
                at,
                format!("`{r}` does not resolve: {}", missing_reason(spec, target)),
            ));
            return;
        }
        if let Some(section) = section_of(kind) {
            let prefix = format!("/components/{section}/");
            if !target.starts_with(&prefix) {
                issues.push(Issue::new(
                    at,
                    format!(
                        "`{r}` stands for {} and must point into `#/components/{section}/`",
                        article(section)
                    ),
                ));
            }
        }
    });
    issues
}

/// Why `pointer` does not resolve: the deepest part that does, and the name
/// that is missing under it.
fn missing_reason(spec: &Spec, pointer: &str) -> String {
    let mut known = "";
    for (i, _) in pointer.match_indices('/').skip(1) {
        if spec.get(&pointer[..i]).is_none() {
            break;
        }
        known = &pointer[..i];
    }
    let missing = pointer[known.len()..].trim_start_matches('/');
    let missing = unescape(missing.split('/').next().unwrap_or(missing));
    if known.is_empty() {
        format!("the document has no `{missing}`")
    } else {
        format!("`#{known}` has no `{missing}`")
    }
}

/// The component section a reference standing for a `kind` must point into.
fn section_of(kind: Kind) -> Option<&'static str> {
    COMPONENT_SECTIONS
        .iter()
        .find(|(_, k)| *k == kind)
        .map(|(section, _)| *section)
}

fn article(section: &str) -> String {
    let singular = section.strip_suffix("ies").map_or_else(
        || section.trim_end_matches('s').to_owned(),
        |stem| format!("{stem}y"),
    );
    format!("a {singular}")
}

/// `unused-component`: every component is used. Uses are counted from the
/// operations (`paths`) and the security requirements, transitively: a schema
/// used only by an unused schema is unused too. A security scheme is used when
/// a security requirement names it. A schema marked `x-stamps-webhook: true` is a
/// payload the API POSTs to the merchant, which no operation returns: it is used, and
/// so are the schemas it reaches.
pub fn unused_component(spec: &Spec) -> Vec<Issue> {
    let Some(components) = spec.doc.get("components").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<String> = VecDeque::new();
    let reach = |value: &Value, queue: &mut VecDeque<String>| {
        let mut refs = Vec::new();
        collect_refs(value, &mut refs);
        queue.extend(refs.into_iter().filter_map(component_of));
    };
    if let Some(paths) = spec.doc.get("paths") {
        reach(paths, &mut queue);
    }
    for name in security_scheme_names(spec) {
        queue.push_back(format!("/components/securitySchemes/{}", escape(&name)));
    }
    for name in stamps_spec::features::webhook_schemas(&spec.doc) {
        queue.push_back(format!("/components/schemas/{}", escape(&name)));
    }
    while let Some(component) = queue.pop_front() {
        if used.insert(component.clone())
            && let Some(value) = spec.get(&component)
        {
            reach(value, &mut queue);
        }
    }
    let mut issues = Vec::new();
    for (section, _) in COMPONENT_SECTIONS {
        let Some(entries) = components.get(*section).and_then(Value::as_object) else {
            continue;
        };
        for name in entries.keys() {
            let pointer = format!("/components/{section}/{}", escape(name));
            if !used.contains(&pointer) {
                issues.push(Issue::new(
                    pointer,
                    format!("`{section}/{name}` is defined but no operation uses it (directly or through other components); remove it or reference it"),
                ));
            }
        }
    }
    issues
}

/// The component (`/components/<section>/<name>`) a local reference points
/// into, if any.
fn component_of(reference: &str) -> Option<String> {
    let pointer = local_pointer(reference)?;
    let mut parts = pointer.splitn(5, '/');
    let (_, components, section, name) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    (components == "components").then(|| format!("/components/{section}/{name}"))
}

/// Every `$ref` string anywhere under `value`.
pub fn collect_refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            if let Some(r) = ref_of(value) {
                out.push(r);
            }
            for v in map.values() {
                collect_refs(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// Names of the security schemes named by any security requirement, at the
/// top level or on an operation.
fn security_scheme_names(spec: &Spec) -> Vec<String> {
    let mut lists = vec![spec.doc.get("security")];
    lists.extend(spec.operations().iter().map(|op| op.value.get("security")));
    lists
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|req| req.keys().cloned())
        .collect()
}
