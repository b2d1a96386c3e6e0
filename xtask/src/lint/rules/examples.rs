//! `example-valid` and `default-valid`: every example and every schema
//! `default` matches its schema, read with OpenAPI 3.0 semantics (see
//! [`stamps_spec::json_schema`]) and checked by the `jsonschema` crate.

use serde_json::{Value, json};

use crate::lint::spec::{is_null_only, ref_of};
use crate::lint::walk::{Kind, walk};
use crate::lint::{Issue, Spec};
use crate::yaml_positions::escape;
use stamps_spec::json_schema;

/// An example and the schema it must match.
struct Site<'a> {
    /// Pointer of the example's value.
    pointer: String,
    value: &'a Value,
    schema: &'a Value,
}

/// `example-valid`: media-type `example`/`examples`, parameter and header
/// `example`/`examples`, and schema `example` each validate against their
/// schema. Each mismatch is reported at the line of the offending part of the
/// example, with its path inside the example.
pub fn example_valid(spec: &Spec) -> Vec<Issue> {
    validate(spec, example_sites(spec), "example")
}

/// `default-valid`: every schema's `default` validates against the schema
/// (progenitor turns defaults into Rust values of the generated type, and a
/// default of the wrong type does not compile or lies to the caller).
pub fn default_valid(spec: &Spec) -> Vec<Issue> {
    let mut sites = Vec::new();
    walk(&spec.doc, &mut |kind, pointer, obj| {
        if kind == Kind::Schema
            && let Some(value) = obj.get("default")
        {
            sites.push(Site {
                pointer: format!("{pointer}/default"),
                value,
                schema: spec_value(spec, pointer),
            });
        }
    });
    validate(spec, sites, "default")
}

/// Validates each site; `noun` names what the site's value is in messages.
fn validate(spec: &Spec, sites: Vec<Site<'_>>, noun: &str) -> Vec<Issue> {
    if sites.is_empty() {
        return Vec::new();
    }
    let components = json_schema::components(&spec.doc);
    let mut issues = Vec::new();
    let mut explained: Option<bool> = None;
    for site in sites {
        let root = json!({
            "allOf": [json_schema::convert(site.schema)],
            "components": components,
        });
        let validator = match jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .build(&root)
        {
            Ok(v) => v,
            Err(e) => {
                // A bad `$ref` or a malformed schema is reported by its own
                // rule; say more here only if nothing else explains it.
                let explained = *explained.get_or_insert_with(|| {
                    !super::refs::ref_resolves(spec).is_empty()
                        || !super::document::openapi_document(spec).is_empty()
                });
                if !explained {
                    issues.push(Issue::new(
                        site.pointer,
                        format!(
                            "cannot check this {noun}: its schema is not valid JSON Schema: {e}"
                        ),
                    ));
                }
                continue;
            }
        };
        let source = match ref_of(site.schema) {
            Some(r) => format!(" `{r}`"),
            None => String::new(),
        };
        for error in validator.iter_errors(site.value) {
            let path = error.instance_path().as_str();
            let inside = if path.is_empty() {
                format!("the {noun}")
            } else {
                format!("`{path}`")
            };
            issues.push(Issue::new(
                format!("{}{path}", site.pointer),
                format!(
                    "{noun} does not match its schema{source}: at {inside}: {}",
                    shorten(&error.to_string())
                ),
            ));
        }
    }
    issues
}

/// Every example of the document with its schema.
fn example_sites(spec: &Spec) -> Vec<Site<'_>> {
    let mut sites = Vec::new();
    walk(&spec.doc, &mut |kind, pointer, obj| {
        // A referenced parameter or header is checked where it is defined; a
        // schema's `example` beside a `$ref` is checked against the target.
        if obj.contains_key("$ref") && kind != Kind::Schema {
            return;
        }
        match kind {
            Kind::MediaType | Kind::Parameter | Kind::Header => {
                let Some(schema) = obj.get("schema") else {
                    return;
                };
                if let Some(value) = obj.get("example") {
                    sites.push(Site {
                        pointer: format!("{pointer}/example"),
                        value,
                        schema,
                    });
                }
                for (name, entry) in obj
                    .get("examples")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    let written = format!("{pointer}/examples/{}", escape(name));
                    let Some((target, example)) = spec.resolve(entry) else {
                        continue;
                    };
                    // `externalValue` examples are not in the document.
                    let Some(value) = example.get("value") else {
                        continue;
                    };
                    sites.push(Site {
                        pointer: format!("{}/value", target.unwrap_or(written)),
                        value,
                        schema,
                    });
                }
            }
            Kind::Schema => {
                if let Some(value) = obj.get("example") {
                    sites.push(Site {
                        pointer: format!("{pointer}/example"),
                        value,
                        schema: spec_value(spec, pointer),
                    });
                }
            }
            _ => {}
        }
    });
    sites
}

/// The value at `pointer`, which the walk just visited.
fn spec_value<'a>(spec: &'a Spec, pointer: &str) -> &'a Value {
    spec.get(pointer).unwrap_or(&Value::Null)
}

/// Cuts a long message (jsonschema quotes the whole failing value) to a
/// readable length.
fn shorten(message: &str) -> String {
    const MAX: usize = 240;
    if message.chars().count() <= MAX {
        return message.to_owned();
    }
    let head: String = message.chars().take(MAX / 2).collect();
    let tail: String = {
        let chars: Vec<char> = message.chars().collect();
        chars[chars.len() - MAX / 2..].iter().collect()
    };
    format!("{head} … {tail}")
}

/// `example-fields`: every field of an example object is a property its schema
/// declares (or the schema admits any: `additionalProperties`, or no `properties`).
/// A field the docs' example shows and the schema lacks is decoded and dropped by
/// every generated client; Redocly reports it (`no-invalid-media-type-examples`).
pub fn example_fields(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    for site in example_sites(spec) {
        let mut found = Vec::new();
        undeclared(spec, site.schema, site.value, "", &mut found, 0);
        for (path, field, schema) in found {
            let owner = match schema {
                Some(name) => format!("`{name}`"),
                None => "its schema".to_owned(),
            };
            issues.push(Issue::new(
                format!("{}{path}/{}", site.pointer, escape(&field)),
                format!(
                    "example field `{field}` is not a property of {owner}: declare it (clients drop what the schema does not name), or take it out of the example"
                ),
            ));
        }
    }
    issues
}

/// An undeclared field: the path of its object inside the example, its name, and
/// the component that should declare it (if the object's schema is one).
type Undeclared = (String, String, Option<String>);

/// Collects the fields of `value` (at `path` inside the example) that `schema`
/// does not declare, recursively.
fn undeclared(
    spec: &Spec,
    schema: &Value,
    value: &Value,
    path: &str,
    out: &mut Vec<Undeclared>,
    depth: usize,
) {
    if depth > 32 {
        return;
    }
    let Some((target, schema)) = spec.resolve(schema) else {
        return;
    };
    // A `oneOf`/`anyOf`: of the branches of the value's JSON type, the one it fits
    // best (fewest undeclared fields).
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_array) {
            let best = branches
                .iter()
                .filter(|branch| of_kind(spec, branch, value))
                .map(|branch| {
                    let mut found = Vec::new();
                    undeclared(spec, branch, value, path, &mut found, depth + 1);
                    found
                })
                .min_by_key(Vec::len);
            out.extend(best.unwrap_or_default());
            return;
        }
    }
    match value {
        Value::Object(fields) => {
            let mut declared = serde_json::Map::new();
            if !declared_properties(spec, schema, &mut declared, 0) {
                return;
            }
            for (name, field) in fields {
                let at = format!("{path}/{}", escape(name));
                match declared.get(name) {
                    Some(property) => undeclared(spec, property, field, &at, out, depth + 1),
                    None => out.push((
                        path.to_owned(),
                        name.clone(),
                        target
                            .as_deref()
                            .and_then(|t| t.strip_prefix("/components/schemas/"))
                            .map(str::to_owned),
                    )),
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    undeclared(
                        spec,
                        item_schema,
                        item,
                        &format!("{path}/{i}"),
                        out,
                        depth + 1,
                    );
                }
            }
        }
        _ => {}
    }
}

/// Gathers the `properties` of `schema` and of its `allOf` members into `out`;
/// false when the schema admits any field (`additionalProperties` other than
/// `false`, or no `properties` anywhere: a free-form object).
fn declared_properties(
    spec: &Spec,
    schema: &Value,
    out: &mut serde_json::Map<String, Value>,
    depth: usize,
) -> bool {
    let Some((_, schema)) = spec.resolve(schema) else {
        return false;
    };
    if depth > 16 {
        return false;
    }
    if schema
        .get("additionalProperties")
        .is_some_and(|a| a != &Value::Bool(false))
    {
        return false;
    }
    let mut any = false;
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        out.extend(props.iter().map(|(k, v)| (k.clone(), v.clone())));
        any = true;
    }
    for member in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let mut inner = serde_json::Map::new();
        if !declared_properties(spec, member, &mut inner, depth + 1) {
            return false;
        }
        out.extend(inner);
        any = true;
    }
    any
}

/// Whether `branch` may admit a value of `value`'s JSON type (its `type` matches, or
/// it has none; `{enum: [null]}` only `null`).
fn of_kind(spec: &Spec, branch: &Value, value: &Value) -> bool {
    let Some((_, branch)) = spec.resolve(branch) else {
        return false;
    };
    if is_null_only(branch) {
        return value.is_null();
    }
    match branch.get("type").and_then(Value::as_str) {
        None => true,
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some(_) => !value.is_object() && !value.is_array(),
    }
}
