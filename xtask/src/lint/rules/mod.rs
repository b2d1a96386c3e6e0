//! Every lint rule, in one table: [`RULES`].
//!
//! To add a rule:
//! 1. write `pub fn my_rule(spec: &Spec) -> Vec<Issue>` in the file of its
//!    group below (each [`Issue`](super::Issue) is a JSON pointer and a message saying what
//!    is wrong and how to fix it; the runner turns the pointer into a line);
//! 2. add a row to [`RULES`] with a new kebab-case id (ids are stable: CI
//!    logs and people refer to them);
//! 3. add `xtask/tests/fixtures/<id>.yaml`: a copy of `valid.yaml` broken
//!    only by that rule, with `# expect: <id>` at the end of every line the
//!    rule must report. `tests/lint.rs` fails for a rule without one.

mod document;
mod examples;
mod hygiene;
mod operations;
mod parameters;
mod refs;
mod responses;
mod schemas;

use super::Severity::{Error, Warning};
use super::{Rule, Spec};

/// The rule reported when the file is not YAML; it has no check of its own
/// (without a document there is nothing to check).
pub const YAML_SYNTAX: &str = "yaml-syntax";

/// All rules, in the order of the issue that asked for them.
pub static RULES: &[Rule] = &[
    // Structure and references.
    Rule {
        id: YAML_SYNTAX,
        severity: Error,
        summary: "the file parses as YAML (one document, no duplicate keys)",
        check: |_: &Spec| Vec::new(),
    },
    Rule {
        id: "openapi-document",
        severity: Error,
        summary: "the document deserializes as OpenAPI 3.0 with the openapiv3 crate (as progenitor reads it)",
        check: document::openapi_document,
    },
    Rule {
        id: "openapi-version",
        severity: Error,
        summary: "`openapi` is 3.0.x",
        check: document::openapi_version,
    },
    Rule {
        id: "unknown-key",
        severity: Error,
        summary: "every key is an OpenAPI 3.0 field of its object or an `x-` extension (tools silently drop others)",
        check: document::unknown_key,
    },
    Rule {
        id: "ref-resolves",
        severity: Error,
        summary: "every `$ref` is local, resolves, and points into the right components section",
        check: refs::ref_resolves,
    },
    Rule {
        id: "unused-component",
        severity: Warning,
        summary: "every component is used, transitively, by some operation or security requirement",
        check: refs::unused_component,
    },
    Rule {
        id: "path-params",
        severity: Error,
        summary: "path template `{x}`s and `in: path` parameters match, and path parameters are required",
        check: parameters::path_params,
    },
    Rule {
        id: "duplicate-param",
        severity: Error,
        summary: "no parameter name is declared twice in an operation (path level and operation level together)",
        check: parameters::duplicate_param,
    },
    Rule {
        id: "parameter-support",
        severity: Error,
        summary: "parameters are in path/query/header, with a `schema` and the default style (what progenitor supports)",
        check: parameters::parameter_support,
    },
    // Operations.
    Rule {
        id: "operation-id",
        severity: Error,
        summary: "every operation has an operationId, unique and snake_case",
        check: operations::operation_id,
    },
    Rule {
        id: "operation-id-verb",
        severity: Error,
        summary: "every operationId starts with an accepted verb (operations::VERBS)",
        check: operations::operation_id_verb,
    },
    Rule {
        id: "operation-docs",
        severity: Error,
        summary: "every operation has a summary and a description",
        check: operations::operation_docs,
    },
    Rule {
        id: "operation-tag",
        severity: Error,
        summary: "every operation has exactly one tag, declared in the top-level `tags`",
        check: operations::operation_tag,
    },
    Rule {
        id: "success-response",
        severity: Error,
        summary: "every operation has a 2xx response with an `application/json` schema",
        check: responses::success_response,
    },
    Rule {
        id: "error-responses",
        severity: Error,
        summary: "every operation declares 400, 401, 403, 405, 500, 502, 503, 504 with the ErrorBody JSON schema",
        check: responses::error_responses,
    },
    Rule {
        id: "response-schemas",
        severity: Error,
        summary: "one success schema and one error schema per operation (progenitor panics otherwise)",
        check: responses::response_schemas,
    },
    Rule {
        id: "default-response",
        severity: Error,
        summary: "no `default` response beside a 2xx response (progenitor panics)",
        check: responses::default_response,
    },
    Rule {
        id: "quoted-status-codes",
        severity: Error,
        summary: "response status codes are quoted strings ('200'), as OpenAPI requires",
        check: responses::quoted_status_codes,
    },
    Rule {
        id: "security",
        severity: Error,
        summary: "every operation requires authentication with schemes defined in components.securitySchemes",
        check: operations::security,
    },
    Rule {
        id: "request-body",
        severity: Error,
        summary: "GET has no request body; POST/PUT/PATCH have a required body that is `application/json` alone",
        check: operations::request_body,
    },
    // Schemas and examples.
    Rule {
        id: "required-properties",
        severity: Error,
        summary: "every `required` name is one of the schema's `properties`",
        check: schemas::required_properties,
    },
    Rule {
        id: "enum-values",
        severity: Error,
        summary: "every `enum` is non-empty, without duplicates, with values of the schema's type",
        check: schemas::enum_values,
    },
    Rule {
        id: "example-valid",
        severity: Error,
        summary: "every example validates against its schema (OpenAPI 3.0 semantics)",
        check: examples::example_valid,
    },
    Rule {
        id: "example-fields",
        severity: Error,
        summary: "every field of an example object is a property its schema declares (clients drop the others)",
        check: examples::example_fields,
    },
    Rule {
        id: "default-valid",
        severity: Error,
        summary: "every schema `default` validates against its schema",
        check: examples::default_valid,
    },
    Rule {
        id: "open-response-objects",
        severity: Error,
        summary: "no schema used in a response sets `additionalProperties: false`",
        check: schemas::open_response_objects,
    },
    Rule {
        id: "ref-siblings",
        severity: Error,
        summary: "no key beside a schema `$ref` (OpenAPI 3.0 tools ignore or drop them): `allOf: [{$ref}]` carries a description",
        check: schemas::ref_siblings,
    },
    Rule {
        id: "nullable-type",
        severity: Error,
        summary: "`nullable: true` only beside a `type` (OpenAPI 3.0.3): a nullable reference is `oneOf: [{$ref}, {enum: [null]}]`",
        check: schemas::nullable_type,
    },
    Rule {
        id: "one-of-overlap",
        severity: Error,
        summary: "no `oneOf` has two branches one value can match once serialized (an integer and a string in a query, path or header parameter)",
        check: schemas::one_of_overlap,
    },
    Rule {
        id: "array-items",
        severity: Error,
        summary: "every `type: array` schema has `items`",
        check: schemas::array_items,
    },
    // Spec hygiene.
    Rule {
        id: "info",
        severity: Error,
        summary: "`info.title`, `info.version` and `servers` are present",
        check: hygiene::info,
    },
    Rule {
        id: "tag-description",
        severity: Warning,
        summary: "every tag an operation uses has a description",
        check: hygiene::tag_description,
    },
];

/// The rule with this id.
///
/// # Panics
/// If there is none: ids are compile-time constants of this crate.
pub fn rule(id: &str) -> &'static Rule {
    RULES
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no rule `{id}`"))
}

#[cfg(test)]
mod tests {
    use super::RULES;

    #[test]
    fn ids_are_unique_kebab_case() {
        for (i, rule) in RULES.iter().enumerate() {
            assert!(
                rule.id
                    .split('-')
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase())),
                "{} is not kebab-case",
                rule.id
            );
            assert!(
                RULES[..i].iter().all(|r| r.id != rule.id),
                "{} twice",
                rule.id
            );
        }
    }
}
