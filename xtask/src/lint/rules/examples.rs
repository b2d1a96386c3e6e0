//! `example-valid` and `default-valid`: every example and every schema
//! `default` matches its schema, read with OpenAPI 3.0 semantics (see
//! [`stamps_spec::json_schema`]) and checked by the `jsonschema` crate.

use serde_json::{Value, json};

use crate::lint::spec::ref_of;
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
