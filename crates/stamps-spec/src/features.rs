//! Cargo features per API group, read off the spec: each tag names its feature
//! (`x-stamps-feature`, else the tag itself; small pages share one), or says the
//! client layer always needs it (`x-stamps-always: true`: the token exchange, the
//! account check). build.rs keeps the operations of the enabled features and the
//! schemas they reach ([`retain`]), so a user compiles what they call, and the payloads
//! Stamps sends rather than answers (`x-stamps-webhook: true`), whatever the features.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::{METHODS, Spec, feature_of_tag, object};

/// Every feature, with its tags in the spec's order; tags that are always built are
/// not in it.
pub fn features(spec: &Spec) -> BTreeMap<String, Vec<String>> {
    let mut features: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (tag, object) in spec.tags() {
        if object["x-stamps-always"] != true {
            features
                .entry(feature_of_tag(object, tag).to_owned())
                .or_default()
                .push(tag.to_owned());
        }
    }
    features
}

/// Keeps the operations whose tag is always built or whose feature `enabled` says is
/// on, then the component schemas they reach (transitively), the webhook payloads
/// ([`webhook_schemas`]) and those `keep` names (the ones hand-written code uses);
/// returns the number of operations kept.
pub fn retain(doc: &mut Value, enabled: &dyn Fn(&str) -> bool, keep: &[&str]) -> usize {
    let spec = Spec { doc: doc.clone() };
    let wanted: BTreeSet<String> = spec
        .tags()
        .into_iter()
        .filter(|(tag, object)| {
            object["x-stamps-always"] == true || enabled(feature_of_tag(object, tag))
        })
        .map(|(tag, _)| tag.to_owned())
        .collect();
    let mut kept = 0;
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            if let Some(item) = item.as_object_mut() {
                item.retain(|key, op| {
                    let is_method = METHODS.contains(&key.as_str());
                    let keep =
                        !is_method || op["tags"][0].as_str().is_some_and(|t| wanted.contains(t));
                    kept += usize::from(is_method && keep);
                    keep
                });
            }
        }
        paths.retain(|_, item| object(item).keys().any(|k| METHODS.contains(&k.as_str())));
    }
    let mut reached: BTreeSet<String> = keep.iter().map(|s| (*s).to_owned()).collect();
    reached.extend(webhook_schemas(doc));
    let mut todo: Vec<Value> = vec![doc["paths"].clone()];
    todo.extend(
        reached
            .iter()
            .map(|name| doc["components"]["schemas"][name].clone()),
    );
    // Shared responses, parameters and examples stay whole; their schema refs count.
    for section in ["responses", "parameters", "requestBodies"] {
        todo.push(doc["components"][section].clone());
    }
    while let Some(value) = todo.pop() {
        refs(&value, &mut |name| {
            // A schema replaced by another generated type (`LegacyGender` by `Gender`)
            // reaches that type too.
            for name in std::iter::once(name).chain(generated_replacement(name)) {
                if reached.insert(name.to_owned()) {
                    todo.push(doc["components"]["schemas"][name].clone());
                }
            }
        });
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        schemas.retain(|name, _| reached.contains(name));
    }
    kept
}

/// The schemas marked `x-stamps-webhook: true`: payloads Stamps POSTs to a merchant
/// (no operation returns them), kept in every build for `stamps::webhook`.
pub fn webhook_schemas(doc: &Value) -> Vec<String> {
    object(&doc["components"]["schemas"])
        .iter()
        .filter(|(_, schema)| schema["x-stamps-webhook"] == true)
        .map(|(name, _)| name.clone())
        .collect()
}

/// Whether the client generated for `feature` alone checks a `pattern` (with the
/// `regress` crate, which such a feature must then enable through the crate's
/// `patterns` feature): a string schema with one among what [`retain`] keeps, except in
/// the schemas replaced by hand-written types and the `format: password` strings (the
/// `Secret`s).
pub fn has_patterns(spec: &Spec, feature: &str) -> bool {
    let mut doc = spec.doc.clone();
    retain(&mut doc, &|f| f == feature, &[]);
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        schemas.retain(|name, _| !crate::REPLACEMENTS.iter().any(|(s, _)| s == name));
    }
    fn patterned(value: &Value) -> bool {
        match value {
            Value::Object(members) => {
                (members.get("pattern").is_some_and(Value::is_string)
                    && members.get("format").and_then(Value::as_str) != Some("password"))
                    || members.values().any(patterned)
            }
            Value::Array(items) => items.iter().any(patterned),
            _ => false,
        }
    }
    patterned(&doc["paths"]) || patterned(&doc["components"])
}

/// The generated type that replaces schema `name` (`Gender` for `LegacyGender`), if any.
fn generated_replacement(name: &str) -> Option<&'static str> {
    crate::REPLACEMENTS
        .iter()
        .find(|(schema, _)| *schema == name)
        .and_then(|(_, rust)| rust.strip_prefix("crate::types::"))
}

/// Calls `found` with the name of each `#/components/schemas/<name>` in `value`.
pub fn refs(value: &Value, found: &mut dyn FnMut(&str)) {
    match value {
        Value::Object(members) => {
            if let Some(name) = members
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                found(name);
            }
            members.values().for_each(|v| refs(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r##"
tags:
  - {name: balances}
  - {name: children, x-stamps-feature: memberships}
  - {name: memberships}
  - {name: access-tokens, x-stamps-always: true}
paths:
  /credit: {post: {operationId: credit, tags: [balances], requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Credit'}}}}}}
  /child: {post: {operationId: add_child, tags: [children], requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Child'}}}}}}
  /token: {post: {operationId: token, tags: [access-tokens], responses: {'400': {$ref: '#/components/responses/Bad'}}}}
components:
  responses:
    Bad: {content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
  schemas:
    Credit: {type: object, properties: {user: {$ref: '#/components/schemas/User'}}}
    User: {type: string}
    Child: {type: object}
    Error: {type: object}
    Unused: {type: object}
    Kept: {type: object}
    Hook: {type: object, x-stamps-webhook: true, properties: {user: {$ref: '#/components/schemas/HookUser'}}}
    HookUser: {type: object}
"##;

    #[test]
    fn the_crates_features_are_the_specs() {
        let spec = Spec::from_yaml(include_str!("../../../openapi/stamps.yaml")).unwrap();
        let manifest = include_str!("../../../Cargo.toml");
        let section = manifest
            .split("\n[features]\n")
            .nth(1)
            .expect("a [features] table");
        let section = section.split("\n[").next().unwrap();
        // Each API group's feature: `name = []`, or `name = ["patterns"]` if its
        // generated code checks a `pattern`.
        let declared: BTreeMap<&str, &str> = section
            .lines()
            .filter_map(|l| l.split_once(" = "))
            .filter(|(_, list)| *list == "[]" || *list == "[\"patterns\"]")
            .collect();
        let from_spec: BTreeSet<String> = features(&spec).into_keys().collect();
        assert_eq!(
            declared.keys().copied().collect::<BTreeSet<_>>(),
            from_spec.iter().map(String::as_str).collect(),
            "Cargo.toml's features"
        );
        for feature in &from_spec {
            let wanted = if has_patterns(&spec, feature) {
                "[\"patterns\"]"
            } else {
                "[]"
            };
            assert_eq!(declared[feature.as_str()], wanted, "Cargo.toml's {feature}");
        }
        let default = section
            .lines()
            .find(|l| l.starts_with("default = "))
            .expect("a default");
        for feature in &from_spec {
            assert!(
                default.contains(&format!("\"{feature}\"")),
                "default lacks {feature}"
            );
        }
    }

    #[test]
    fn groups_tags_into_features() {
        let spec = Spec::from_yaml(DOC).unwrap();
        let features = features(&spec);
        assert_eq!(
            features,
            [
                ("balances".to_owned(), vec!["balances".to_owned()]),
                (
                    "memberships".to_owned(),
                    vec!["children".to_owned(), "memberships".to_owned()]
                ),
            ]
            .into()
        );
    }

    #[test]
    fn keeps_the_enabled_operations_and_the_schemas_they_reach() {
        let mut doc = Spec::from_yaml(DOC).unwrap().doc;
        let kept = retain(&mut doc, &|f| f == "balances", &["Kept"]);
        assert_eq!(kept, 2, "credit, and the always-built token");
        let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
        assert_eq!(paths, ["/credit", "/token"]);
        let schemas: Vec<&String> = doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(
            schemas,
            ["Credit", "User", "Error", "Kept", "Hook", "HookUser"]
        );
    }

    #[test]
    fn a_schema_replaced_by_a_generated_type_keeps_that_type() {
        // The v1 pages use `LegacyGender`, which the client replaces with the v2
        // `Gender`: built alone, `v1` must still generate `Gender`.
        let mut doc = Spec::from_yaml(include_str!("../../../openapi/stamps.yaml"))
            .unwrap()
            .doc;
        retain(&mut doc, &|f| f == "v1", &[]);
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        assert!(schemas.contains_key("LegacyGender"));
        assert!(schemas.contains_key("Gender"));
        assert!(!schemas.contains_key("OmniOrderDetailsResponse"));
    }
}
