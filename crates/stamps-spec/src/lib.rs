//! The Stamps OpenAPI spec as the SDK's tools read it: `stamps-codegen` (which
//! writes the client, the CLI and their tables from it, for the build scripts) and
//! `cargo xtask` (which lints, diffs and checks it against the docs) share this one
//! reader.
//!
//! It knows the document's structure (operations, parameters, request bodies,
//! examples, the `x-stamps-*` extensions) and converts OpenAPI 3.0 schemas to JSON
//! Schema ([`json_schema`]). It writes no Rust: that is `stamps-codegen`'s job.

pub mod error_codes;
pub mod features;
pub mod json_schema;
pub mod pagination;
pub mod secrets;

use serde_json::{Map, Value};

/// The HTTP methods a path item can hold, lowercase as in OpenAPI.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Spec schemas the build script replaces with other Rust types: mostly the
/// hand-written ones of the `stamps` crate's `src/` (`ids.rs`, `user_ref.rs`,
/// `date.rs`, ...), which validate input and accept every form the server sends. The
/// diff (`cargo xtask diff`) reads the same list to know which schema changes Rust
/// does not see.
pub const REPLACEMENTS: &[(&str, &str)] = &[
    ("UserIdentifier", "crate::UserRef"),
    ("UserId", "crate::UserId"),
    ("BalanceUpdateId", "crate::BalanceUpdateId"),
    ("MerchantId", "crate::MerchantId"),
    ("StoreId", "crate::StoreId"),
    ("ChildId", "crate::ChildId"),
    ("PetId", "crate::PetId"),
    ("Date", "crate::Date"),
    ("DateTime", "crate::DateTime"),
    ("RewardRef", "crate::RewardRef"),
    // Every `format: password` string of the spec (see `secrets`).
    ("Secret", "crate::Secret"),
    // typify cannot make one enum of `female` and `Female` (the legacy examples send
    // the latter); Rust callers send the tables' lowercase values, as the v2 `Gender`.
    ("LegacyGender", "crate::types::Gender"),
];

/// A parsed spec.
#[derive(Clone, Debug)]
pub struct Spec {
    /// The whole document.
    pub doc: Value,
}

/// One operation of the spec, borrowed from it.
#[derive(Clone, Copy, Debug)]
pub struct Operation<'a> {
    /// Its `operationId`.
    pub id: &'a str,
    /// Uppercase: `GET`, `POST`.
    pub method: &'static str,
    /// The path template, e.g. `/api/rewards/{reward_code}`.
    pub path: &'a str,
    /// Its first tag (the API group), or `""`.
    pub tag: &'a str,
    /// The operation object.
    pub object: &'a Value,
}

impl Spec {
    /// Parses YAML text.
    pub fn from_yaml(text: &str) -> Result<Spec, String> {
        serde_saphyr::from_str(text)
            .map(|doc| Spec { doc })
            .map_err(|e| format!("the spec is not valid YAML: {e}"))
    }

    /// Every operation, in the document's order of paths and methods. An operation
    /// without an `operationId` is skipped (the linter reports it).
    pub fn operations(&self) -> Vec<Operation<'_>> {
        let mut out = Vec::new();
        for (path, item) in object(&self.doc["paths"]) {
            for (key, op) in object(item) {
                let Some(method) = METHODS.iter().find(|m| **m == key) else {
                    continue;
                };
                let Some(id) = op["operationId"].as_str() else {
                    continue;
                };
                out.push(Operation {
                    id,
                    method: upper(method),
                    path,
                    tag: op["tags"][0].as_str().unwrap_or(""),
                    object: op,
                });
            }
        }
        out
    }

    /// The operation with `operationId` `id`.
    pub fn operation(&self, id: &str) -> Option<Operation<'_>> {
        self.operations().into_iter().find(|op| op.id == id)
    }

    /// Follows local `$ref`s (`#/...`) until a value without one; `Null` if a
    /// reference does not resolve.
    pub fn resolve<'a>(&'a self, mut value: &'a Value) -> &'a Value {
        for _ in 0..32 {
            match value["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
                Some(pointer) => value = self.doc.pointer(pointer).unwrap_or(&Value::Null),
                None => return value,
            }
        }
        &Value::Null
    }

    /// The tags of the document, in order, with their objects.
    pub fn tags(&self) -> Vec<(&str, &Value)> {
        self.doc["tags"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| Some((t["name"].as_str()?, t)))
            .collect()
    }
}

impl<'a> Operation<'a> {
    /// The declared parameters (path-level ones first), `$ref`s resolved.
    pub fn parameters(&self, spec: &'a Spec) -> Vec<&'a Value> {
        let path_item = &spec.doc["paths"][self.path];
        path_item["parameters"]
            .as_array()
            .into_iter()
            .chain(self.object["parameters"].as_array())
            .flatten()
            .map(|p| spec.resolve(p))
            .collect()
    }

    /// The JSON request body's schema (unresolved: it may be a `$ref`), if any.
    pub fn request_schema(&self) -> Option<&'a Value> {
        let schema = &self.object["requestBody"]["content"]["application/json"]["schema"];
        (!schema.is_null()).then_some(schema)
    }

    /// The JSON request examples, by name.
    pub fn request_examples(&self, spec: &'a Spec) -> Vec<(&'a str, &'a Value)> {
        examples(
            spec,
            &self.object["requestBody"]["content"]["application/json"],
        )
    }

    /// The response object for `status` (`"200"`, `"400"`), `$ref` resolved.
    pub fn response(&self, spec: &'a Spec, status: &str) -> Option<&'a Value> {
        let response = &self.object["responses"][status];
        (!response.is_null()).then(|| spec.resolve(response))
    }

    /// The documented statuses, in the document's order.
    pub fn statuses(&self) -> Vec<&'a str> {
        object(&self.object["responses"])
            .keys()
            .map(String::as_str)
            .collect()
    }

    /// The examples of `status`'s answer for `media_type`, by name (a lone `example`
    /// is named `example`).
    pub fn response_examples(
        &self,
        spec: &'a Spec,
        status: &str,
        media_type: &str,
    ) -> Vec<(&'a str, &'a Value)> {
        match self.response(spec, status) {
            Some(response) => examples(spec, &response["content"][media_type]),
            None => Vec::new(),
        }
    }

    /// An `x-stamps-*` extension of the operation, e.g. `extension("pagination")`.
    pub fn extension(&self, name: &str) -> Option<&'a Value> {
        self.object.get(format!("x-stamps-{name}"))
    }
}

/// The examples of a media type object: `examples` (with `$ref`s resolved to their
/// `value`) or a lone `example`.
fn examples<'a>(spec: &'a Spec, media: &'a Value) -> Vec<(&'a str, &'a Value)> {
    if let Some(example) = media.get("example") {
        return vec![("example", example)];
    }
    object(&media["examples"])
        .iter()
        .map(|(name, e)| (name.as_str(), &spec.resolve(e)["value"]))
        .collect()
}

/// The cargo feature that gates tag `name`'s operations: its `x-stamps-feature`, else
/// the tag's own name. Several small pages share one feature this way.
pub fn feature_of_tag<'a>(tag: &'a Value, name: &'a str) -> &'a str {
    tag["x-stamps-feature"].as_str().unwrap_or(name)
}

/// `value`'s members, or none if it is not an object.
pub fn object(value: &Value) -> &Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    value
        .as_object()
        .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

fn upper(method: &str) -> &'static str {
    match method {
        "get" => "GET",
        "put" => "PUT",
        "post" => "POST",
        "delete" => "DELETE",
        "options" => "OPTIONS",
        "head" => "HEAD",
        "patch" => "PATCH",
        _ => "TRACE",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r##"
openapi: 3.0.3
tags: [{name: things, x-docs-revision: abc}]
paths:
  /api/things/{code}:
    parameters:
      - {$ref: '#/components/parameters/Code'}
    get:
      operationId: get_thing
      tags: [things]
      x-stamps-pagination: {items: things}
      parameters:
        - {name: verbose, in: query, schema: {type: boolean}}
      responses:
        '200':
          content:
            application/json:
              examples:
                docs: {value: {a: 1}}
                shared: {$ref: '#/components/examples/Shared'}
        '400': {$ref: '#/components/responses/Bad'}
  /api/things/add:
    post:
      operationId: add_thing
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
            example: {name: x}
      responses:
        '200': {description: ok}
components:
  parameters:
    Code: {name: code, in: path, required: true, schema: {type: string}}
  examples:
    Shared: {value: {b: 2}}
  responses:
    Bad:
      content:
        text/html:
          example: nope
  schemas:
    Thing: {type: object}
"##;

    #[test]
    fn reads_operations_parameters_and_examples() {
        let spec = Spec::from_yaml(DOC).unwrap();
        let ops = spec.operations();
        assert_eq!(
            ops.iter()
                .map(|o| (o.id, o.method, o.path, o.tag))
                .collect::<Vec<_>>(),
            [
                ("get_thing", "GET", "/api/things/{code}", "things"),
                ("add_thing", "POST", "/api/things/add", ""),
            ]
        );
        let get = spec.operation("get_thing").unwrap();
        let names: Vec<_> = get
            .parameters(&spec)
            .iter()
            .map(|p| p["name"].clone())
            .collect();
        assert_eq!(names, ["code", "verbose"]);
        assert_eq!(
            get.response_examples(&spec, "200", "application/json"),
            [
                ("docs", &serde_json::json!({"a": 1})),
                ("shared", &serde_json::json!({"b": 2}))
            ]
        );
        assert_eq!(
            get.response_examples(&spec, "400", "text/html"),
            [("example", &Value::from("nope"))]
        );
        assert_eq!(get.statuses(), ["200", "400"]);
        assert_eq!(get.extension("pagination").unwrap()["items"], "things");
        let add = spec.operation("add_thing").unwrap();
        assert_eq!(
            spec.resolve(add.request_schema().unwrap()),
            &serde_json::json!({"type": "object"})
        );
        assert_eq!(
            add.request_examples(&spec),
            [("example", &serde_json::json!({"name": "x"}))]
        );
        assert_eq!(spec.tags()[0].1["x-docs-revision"], "abc");
    }

    #[test]
    fn unresolvable_and_cyclic_refs_are_null() {
        let spec =
            Spec::from_yaml("a: {$ref: '#/b'}\nb: {$ref: '#/a'}\nc: {$ref: '#/nope'}").unwrap();
        assert!(spec.resolve(&spec.doc["a"]).is_null());
        assert!(spec.resolve(&spec.doc["c"]).is_null());
    }

    #[test]
    fn the_real_spec_reads() {
        let text = include_str!("../../../openapi/stamps.yaml");
        let spec = Spec::from_yaml(text).unwrap();
        assert!(spec.operations().len() >= 26);
        for op in spec.operations() {
            assert!(op.response(&spec, "200").is_some(), "{} has no 200", op.id);
        }
    }
}
