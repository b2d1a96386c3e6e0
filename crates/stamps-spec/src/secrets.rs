//! `format: password`: the spec's mark for a secret (a PIN, a password, the static key
//! in the token exchange, a JWT). The build script makes every such string a
//! `stamps::Secret`, whose `Debug` and `Display` show `***`, and lists the field names
//! so that error-body excerpts mask their values: the next sensitive field is a spec
//! edit, not Rust.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

/// The component the secret strings become; build.rs replaces it with `stamps::Secret`.
pub const SECRET_SCHEMA: &str = "Secret";

/// Replaces each property or parameter schema that is a `format: password` string
/// (not a `$ref`) with a `$ref` to [`SECRET_SCHEMA`], which it adds; returns their
/// names ([`marked`]).
pub fn mark(doc: &mut Value) -> BTreeSet<String> {
    let secret = || json!({"$ref": format!("#/components/schemas/{SECRET_SCHEMA}")});
    // Query parameters too (a PIN in a query string): the parameter's name joins the
    // masked ones, so that `pin=...` is masked in error excerpts like `"pin": ...`.
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for (_, operation) in item.iter_mut() {
                let Some(parameters) = operation
                    .get_mut("parameters")
                    .and_then(Value::as_array_mut)
                else {
                    continue;
                };
                for parameter in parameters {
                    if is_secret_string(&parameter["schema"]) {
                        parameter["schema"] = secret();
                    }
                }
            }
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for schema in schemas.values_mut() {
            mark_properties(schema, &secret);
        }
    }
    let names = marked(doc);
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        && !names.is_empty()
    {
        schemas.insert(
            SECRET_SCHEMA.to_owned(),
            json!({"type": "string", "format": "password", "minLength": 1}),
        );
    }
    names
}

fn mark_properties(schema: &mut Value, secret: &dyn Fn() -> Value) {
    let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for property in properties.values_mut() {
        if is_secret_string(property) {
            *property = secret();
        } else {
            mark_properties(property, secret);
        }
    }
}

/// The names of the parameters and properties [`mark`] made secrets in `doc`: read
/// again from a marked document, or from a part of one (the enabled operations).
pub fn marked(doc: &Value) -> BTreeSet<String> {
    let target = format!("#/components/schemas/{SECRET_SCHEMA}");
    let is_secret = |schema: &Value| schema["$ref"].as_str() == Some(target.as_str());
    let mut names: BTreeSet<String> = crate::object(&doc["paths"])
        .values()
        .flat_map(|item| crate::object(item).values())
        .filter_map(|operation| operation["parameters"].as_array())
        .flatten()
        .filter(|parameter| is_secret(&parameter["schema"]))
        .filter_map(|parameter| parameter["name"].as_str().map(str::to_owned))
        .collect();
    fn properties(
        schema: &Value,
        is_secret: &dyn Fn(&Value) -> bool,
        names: &mut BTreeSet<String>,
    ) {
        for (name, property) in crate::object(&schema["properties"]) {
            if is_secret(property) {
                names.insert(name.clone());
            } else {
                properties(property, is_secret, names);
            }
        }
    }
    for schema in crate::object(&doc["components"]["schemas"]).values() {
        properties(schema, &is_secret, &mut names);
    }
    names
}

fn is_secret_string(schema: &Value) -> bool {
    schema.get("$ref").is_none() && schema["type"] == "string" && schema["format"] == "password"
}

/// The operations whose JSON request body or query reaches a [`SECRET_SCHEMA`] (after
/// [`mark`]), each with the names of the fields that hold one: the client looks for
/// those (and only those) in what it sends, to mask them in the answers' bodies too.
pub fn operations(spec: &crate::Spec) -> BTreeMap<String, BTreeSet<String>> {
    let target = format!("#/components/schemas/{SECRET_SCHEMA}");
    spec.operations()
        .iter()
        .filter_map(|op| {
            let mut fields = BTreeSet::new();
            if let Some(schema) = op.request_schema() {
                secret_fields(spec, schema, &target, &mut BTreeSet::new(), &mut fields);
            }
            fields.extend(
                op.parameters(spec)
                    .iter()
                    .filter(|p| p["schema"]["$ref"].as_str() == Some(target.as_str()))
                    .filter_map(|p| p["name"].as_str().map(str::to_owned)),
            );
            (!fields.is_empty()).then(|| (op.id.to_owned(), fields))
        })
        .collect()
}

/// Adds to `fields` the name of every property under `schema` (through `$ref`s, items
/// and compositions) whose schema is `target`.
fn secret_fields<'a>(
    spec: &'a crate::Spec,
    schema: &'a Value,
    target: &str,
    seen: &mut BTreeSet<&'a str>,
    fields: &mut BTreeSet<String>,
) {
    if let Some(reference) = schema["$ref"].as_str() {
        if seen.insert(reference) {
            secret_fields(spec, spec.resolve(schema), target, seen, fields);
        }
        return;
    }
    match schema {
        Value::Object(members) => {
            if let Some(properties) = members.get("properties").and_then(Value::as_object) {
                for (name, property) in properties {
                    if property["$ref"].as_str() == Some(target) {
                        fields.insert(name.clone());
                    }
                }
            }
            members
                .values()
                .for_each(|v| secret_fields(spec, v, target, seen, fields));
        }
        Value::Array(items) => items
            .iter()
            .for_each(|v| secret_fields(spec, v, target, seen, fields)),
        _ => {}
    }
}

/// The operations that take no `Authorization` header: `security: []`, their
/// credential is in their body (the token exchange).
pub fn unauthenticated(spec: &crate::Spec) -> BTreeSet<String> {
    spec.operations()
        .iter()
        .filter(|op| op.object["security"].as_array().is_some_and(Vec::is_empty))
        .map(|op| op.id.to_owned())
        .collect()
}

/// The operations whose page wants the credential in the JSON body or the query string
/// as well as in the `Authorization` header (`x-stamps-credential-copy: {in: body|query,
/// name: <field>}`): `(operation id, "body" or "query", field name)`, sorted by id.
pub fn credential_copies(spec: &crate::Spec) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = spec
        .operations()
        .iter()
        .filter_map(|op| {
            let copy = op.extension("credential-copy")?;
            let place = copy["in"]
                .as_str()
                .filter(|p| *p == "body" || *p == "query")?;
            Some((
                op.id.to_owned(),
                place.to_owned(),
                copy["name"].as_str()?.to_owned(),
            ))
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_password_strings_and_only_those() {
        let mut doc = json!({"components": {"schemas": {
            "Authorize": {"type": "object", "properties": {
                "pin": {"type": "string", "format": "password", "description": "The PIN."},
                "user": {"type": "string"},
                "nested": {"type": "object", "properties": {"otp": {"type": "string", "format": "password"}}},
                "token": {"$ref": "#/components/schemas/Token"}
            }},
            "Token": {"type": "string", "format": "password"}
        }}});
        let names = mark(&mut doc);
        assert_eq!(names.into_iter().collect::<Vec<_>>(), ["otp", "pin"]);
        let props = &doc["components"]["schemas"]["Authorize"]["properties"];
        assert_eq!(props["pin"], json!({"$ref": "#/components/schemas/Secret"}));
        assert_eq!(
            props["nested"]["properties"]["otp"]["$ref"],
            "#/components/schemas/Secret"
        );
        assert_eq!(props["user"], json!({"type": "string"}));
        assert_eq!(props["token"]["$ref"], "#/components/schemas/Token");
        assert_eq!(doc["components"]["schemas"]["Secret"]["format"], "password");
        assert_eq!(
            marked(&doc).into_iter().collect::<Vec<_>>(),
            ["otp", "pin"],
            "the names are read again from the marked document"
        );
        let unmarked = json!({"components": {"schemas": {"A": {"properties": {"pin": {"type": "string", "format": "password"}}}}}});
        assert!(marked(&unmarked).is_empty());
    }

    #[test]
    fn finds_the_secret_fields_each_operation_sends() {
        let mut spec = crate::Spec::from_yaml(
            r##"
paths:
  /a: {post: {operationId: authorize, requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Outer'}}}}}}
  /b: {post: {operationId: plain, requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Loop'}}}}}}
  /c: {get: {operationId: check, parameters: [{name: pin, in: query, schema: {type: string, format: password}}, {name: user, in: query, schema: {type: string}}]}}
components:
  schemas:
    Outer: {type: object, properties: {inner: {$ref: '#/components/schemas/Inner'}, list: {type: array, items: {allOf: [{$ref: '#/components/schemas/Item'}]}}}}
    Inner: {type: object, properties: {pin: {type: string, format: password}, user: {type: string}}}
    Item: {type: object, properties: {otp: {type: string, format: password}}}
    Loop: {type: object, properties: {next: {$ref: '#/components/schemas/Loop'}}}
"##,
        )
        .unwrap();
        mark(&mut spec.doc);
        let found: Vec<(String, Vec<String>)> = operations(&spec)
            .into_iter()
            .map(|(id, fields)| (id, fields.into_iter().collect()))
            .collect();
        let owned = |id: &str, fields: &[&str]| {
            (
                id.to_owned(),
                fields.iter().map(|f| f.to_string()).collect(),
            )
        };
        assert_eq!(
            found,
            [
                owned("authorize", &["otp", "pin"]),
                owned("check", &["pin"])
            ]
        );
    }

    #[test]
    fn marks_password_query_parameters() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"parameters": [
                {"name": "pin", "in": "query", "schema": {"type": "string", "format": "password"}},
                {"name": "user", "in": "query", "schema": {"type": "string"}}
            ]}}},
            "components": {"schemas": {}}
        });
        let names = mark(&mut doc);
        assert_eq!(names.into_iter().collect::<Vec<_>>(), ["pin"]);
        let parameters = &doc["paths"]["/a"]["get"]["parameters"];
        assert_eq!(
            parameters[0]["schema"]["$ref"],
            "#/components/schemas/Secret"
        );
        assert_eq!(parameters[1]["schema"], json!({"type": "string"}));
        assert_eq!(doc["components"]["schemas"]["Secret"]["format"], "password");
    }

    #[test]
    fn credential_copies_are_read() {
        let spec = crate::Spec::from_yaml(
            r"
paths:
  /b: {post: {operationId: b_op, x-stamps-credential-copy: {in: body, name: token}}}
  /a: {get: {operationId: a_op, x-stamps-credential-copy: {in: query, name: token}}}
  /c: {post: {operationId: c_op, x-stamps-credential-copy: {in: header, name: token}}}
",
        )
        .unwrap();
        let copies = credential_copies(&spec);
        assert_eq!(
            copies,
            [
                ("a_op".to_owned(), "query".to_owned(), "token".to_owned()),
                ("b_op".to_owned(), "body".to_owned(), "token".to_owned())
            ]
        );
    }
}
