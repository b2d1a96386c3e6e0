//! The spec's side of the comparison: an example checked against a schema with the
//! OpenAPI→JSON Schema conversion of `stamps-spec` and the `jsonschema` crate (as the
//! fake and the linter judge), and the walk from an example's field to the schemas
//! that declare it, for undeclared fields and `x-docs-deviation` marks.

use std::collections::HashMap;

use serde_json::{Value, json};
use stamps_spec::{Spec, json_schema};

/// The extension that marks a deliberate departure from the docs.
pub const MARK: &str = "x-docs-deviation";

/// Validators, compiled once per schema.
pub struct Validators {
    components: Value,
    cache: HashMap<String, Option<jsonschema::Validator>>,
}

impl Validators {
    pub fn new(spec: &Spec) -> Validators {
        Validators {
            components: json_schema::components(&spec.doc),
            cache: HashMap::new(),
        }
    }

    /// The errors of `value` against `schema`: `(instance path, message)`. A schema
    /// that does not compile is the linter's to report, and accepts everything here.
    pub fn errors(&mut self, schema: &Value, value: &Value) -> Vec<(String, String)> {
        let key = schema.to_string();
        let components = &self.components;
        let validator = self.cache.entry(key).or_insert_with(|| {
            let root = json!({ "allOf": [json_schema::convert(schema)], "components": components });
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft7)
                .build(&root)
                .ok()
        });
        let Some(validator) = validator else {
            return Vec::new();
        };
        validator
            .iter_errors(value)
            .map(|e| {
                (
                    e.instance_path().as_str().to_owned(),
                    shorten(&e.to_string()),
                )
            })
            .collect()
    }
}

/// `schema`, resolved, and the members of its compositions (`allOf`, `oneOf`,
/// `anyOf`), recursively: every node that can declare what the value holds. The
/// unresolved node comes first, so that a mark beside an `allOf` counts.
pub fn facets<'a>(spec: &'a Spec, schema: &'a Value) -> Vec<&'a Value> {
    let mut out = Vec::new();
    let mut todo = vec![schema];
    while let Some(node) = todo.pop() {
        if out.len() > 64 {
            break;
        }
        out.push(node);
        let resolved = spec.resolve(node);
        if !std::ptr::eq(resolved, node) {
            todo.push(resolved);
            continue;
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            for member in node[key].as_array().into_iter().flatten().rev() {
                todo.push(member);
            }
        }
    }
    out
}

/// Whether `schema` always requires `name`: its own `required`, or an `allOf`
/// member's (an `anyOf` member's "one of these" does not make one of them required).
pub fn requires(spec: &Spec, schema: &Value, name: &str) -> bool {
    let mut todo = vec![schema];
    let mut seen = 0;
    while let Some(node) = todo.pop() {
        seen += 1;
        if seen > 64 {
            break;
        }
        let node = spec.resolve(node);
        if node["required"]
            .as_array()
            .is_some_and(|r| r.iter().any(|x| x == name))
        {
            return true;
        }
        todo.extend(node["allOf"].as_array().into_iter().flatten());
    }
    false
}

/// What the facets of an object schema say about its keys.
pub enum Keys<'a> {
    /// Declared properties: each name with the schemas that declare it.
    Declared(Vec<(&'a str, Vec<&'a Value>)>),
    /// A map (`additionalProperties`): every key, with the value's schema if given.
    Map(Option<&'a Value>),
    /// A free-form object, or not an object schema: nothing to say.
    Free,
}

pub fn keys<'a>(spec: &'a Spec, schema: &'a Value) -> Keys<'a> {
    let facets = facets(spec, schema);
    let mut declared: Vec<(&str, Vec<&Value>)> = Vec::new();
    for facet in &facets {
        match facet.get("additionalProperties") {
            Some(Value::Bool(false)) | None => {}
            Some(Value::Object(s)) if !s.is_empty() => {
                return Keys::Map(facet.get("additionalProperties"));
            }
            Some(_) => return Keys::Map(None),
        }
        for (name, s) in stamps_spec::object(&facet["properties"]) {
            match declared.iter_mut().find(|(n, _)| n == name) {
                Some((_, list)) => list.push(s),
                None => declared.push((name, vec![s])),
            }
        }
    }
    let described = facets.iter().any(|f| f.get("properties").is_some());
    if described {
        Keys::Declared(declared)
    } else {
        Keys::Free
    }
}

/// The schemas of the items of an array schema.
pub fn items<'a>(spec: &'a Spec, schema: &'a Value) -> Vec<&'a Value> {
    facets(spec, schema)
        .into_iter()
        .filter_map(|f| f.get("items"))
        .collect()
}

/// The schemas that describe the value at `path` (`/a/0/b`) under `schema`.
pub fn at_path<'a>(spec: &'a Spec, schema: &'a Value, path: &str) -> Vec<&'a Value> {
    let mut current = vec![schema];
    for step in path.split('/').skip(1) {
        let step = step.replace("~1", "/").replace("~0", "~");
        let mut next = Vec::new();
        for s in current {
            if step.parse::<usize>().is_ok() {
                next.extend(items(spec, s));
            }
            if let Keys::Declared(props) = keys(spec, s) {
                for (name, schemas) in props {
                    if name == step {
                        next.extend(schemas);
                    }
                }
            }
        }
        current = next;
    }
    current
}

/// The mark that covers a finding about `schemas` (and, if `name` is given, about
/// that key of them): a mark on one of their facets, naming `` `name` `` if given.
pub fn covering<'a>(spec: &'a Spec, schemas: &[&'a Value], name: Option<&str>) -> Option<&'a str> {
    schemas
        .iter()
        .flat_map(|s| facets(spec, s))
        .filter_map(|f| f[MARK].as_str())
        .find(|mark| names(mark, name))
}

/// Whether a mark's text covers `name` (any mark covers a finding without one).
pub fn names(mark: &str, name: Option<&str>) -> bool {
    name.is_none_or(|n| mark.contains(&format!("`{n}`")))
}

/// Cuts a long message (jsonschema quotes the whole failing value).
fn shorten(message: &str) -> String {
    const MAX: usize = 200;
    if message.chars().count() <= MAX {
        return message.to_owned();
    }
    let head: String = message.chars().take(MAX).collect();
    format!("{head}…")
}
