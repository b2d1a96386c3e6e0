//! A traversal of the document that knows what each object is (an Operation, a
//! Schema, a Media Type...), so that rules can look at "every schema" or "every
//! parameter" wherever it is written, without following `$ref`s (a referenced
//! object is visited once, where it is defined).

use serde_json::Value;

use crate::yaml_positions::escape;

use super::spec::METHODS;

/// The OpenAPI 3.0 object types the walk tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Document,
    Info,
    Contact,
    License,
    Server,
    ServerVariable,
    Components,
    PathItem,
    Operation,
    ExternalDocs,
    Parameter,
    RequestBody,
    MediaType,
    Encoding,
    Responses,
    Response,
    Callback,
    Example,
    Link,
    Header,
    Tag,
    SecurityScheme,
    OAuthFlows,
    OAuthFlow,
    Schema,
    Discriminator,
    Xml,
}

/// The component sections and the kind of object each holds.
pub const COMPONENT_SECTIONS: &[(&str, Kind)] = &[
    ("schemas", Kind::Schema),
    ("responses", Kind::Response),
    ("parameters", Kind::Parameter),
    ("examples", Kind::Example),
    ("requestBodies", Kind::RequestBody),
    ("headers", Kind::Header),
    ("securitySchemes", Kind::SecurityScheme),
    ("links", Kind::Link),
    ("callbacks", Kind::Callback),
];

/// An object of the document, as `walk` hands it to its visitor.
pub type Object = serde_json::Map<String, Value>;

/// Calls `visit` on every object of the document, parents before children.
/// Values that are not objects where an object belongs are skipped: the
/// `openapi-document` rule reports them.
pub fn walk<'a>(doc: &'a Value, visit: &mut dyn FnMut(Kind, &str, &'a Object)) {
    node(Kind::Document, String::new(), doc, visit);
}

fn node<'a>(
    kind: Kind,
    pointer: String,
    value: &'a Value,
    visit: &mut dyn FnMut(Kind, &str, &'a Object),
) {
    let Some(obj) = value.as_object() else {
        return;
    };
    visit(kind, &pointer, obj);
    // A Reference Object: its target is visited where it is defined.
    if obj.contains_key("$ref") && kind != Kind::PathItem {
        return;
    }
    let p = pointer.as_str();
    let one = |key: &str, kind: Kind, visit: &mut dyn FnMut(Kind, &str, &'a Object)| {
        if let Some(v) = obj.get(key) {
            node(kind, format!("{p}/{}", escape(key)), v, visit);
        }
    };
    let list = |key: &str, kind: Kind, visit: &mut dyn FnMut(Kind, &str, &'a Object)| {
        if let Some(items) = obj.get(key).and_then(Value::as_array) {
            for (i, v) in items.iter().enumerate() {
                node(kind, format!("{p}/{}/{i}", escape(key)), v, visit);
            }
        }
    };
    let map = |key: &str, kind: Kind, visit: &mut dyn FnMut(Kind, &str, &'a Object)| {
        if let Some(entries) = obj.get(key).and_then(Value::as_object) {
            for (name, v) in entries {
                let child = format!("{p}/{}/{}", escape(key), escape(name));
                node(kind, child, v, visit);
            }
        }
    };
    match kind {
        Kind::Document => {
            one("info", Kind::Info, visit);
            list("servers", Kind::Server, visit);
            if let Some(paths) = obj.get("paths").and_then(Value::as_object) {
                for (path, item) in paths.iter().filter(|(k, _)| !k.starts_with("x-")) {
                    node(
                        Kind::PathItem,
                        format!("{p}/paths/{}", escape(path)),
                        item,
                        visit,
                    );
                }
            }
            one("components", Kind::Components, visit);
            list("tags", Kind::Tag, visit);
            one("externalDocs", Kind::ExternalDocs, visit);
        }
        Kind::Info => {
            one("contact", Kind::Contact, visit);
            one("license", Kind::License, visit);
        }
        Kind::Server => map("variables", Kind::ServerVariable, visit),
        Kind::Components => {
            for (section, kind) in COMPONENT_SECTIONS {
                map(section, *kind, visit);
            }
        }
        Kind::PathItem => {
            for method in METHODS {
                one(method, Kind::Operation, visit);
            }
            list("servers", Kind::Server, visit);
            list("parameters", Kind::Parameter, visit);
        }
        Kind::Operation => {
            one("externalDocs", Kind::ExternalDocs, visit);
            list("parameters", Kind::Parameter, visit);
            one("requestBody", Kind::RequestBody, visit);
            one("responses", Kind::Responses, visit);
            map("callbacks", Kind::Callback, visit);
            list("servers", Kind::Server, visit);
        }
        Kind::Parameter | Kind::Header => {
            one("schema", Kind::Schema, visit);
            map("examples", Kind::Example, visit);
            map("content", Kind::MediaType, visit);
        }
        Kind::RequestBody => map("content", Kind::MediaType, visit),
        Kind::MediaType => {
            one("schema", Kind::Schema, visit);
            map("examples", Kind::Example, visit);
            map("encoding", Kind::Encoding, visit);
        }
        Kind::Encoding => map("headers", Kind::Header, visit),
        Kind::Responses => {
            for (status, response) in obj.iter().filter(|(k, _)| !k.starts_with("x-")) {
                node(
                    Kind::Response,
                    format!("{p}/{}", escape(status)),
                    response,
                    visit,
                );
            }
        }
        Kind::Response => {
            map("headers", Kind::Header, visit);
            map("content", Kind::MediaType, visit);
            map("links", Kind::Link, visit);
        }
        Kind::Callback => {
            for (expr, item) in obj.iter().filter(|(k, _)| !k.starts_with("x-")) {
                node(Kind::PathItem, format!("{p}/{}", escape(expr)), item, visit);
            }
        }
        Kind::Tag => one("externalDocs", Kind::ExternalDocs, visit),
        Kind::SecurityScheme => one("flows", Kind::OAuthFlows, visit),
        Kind::OAuthFlows => {
            for flow in [
                "implicit",
                "password",
                "clientCredentials",
                "authorizationCode",
            ] {
                one(flow, Kind::OAuthFlow, visit);
            }
        }
        Kind::Schema => {
            map("properties", Kind::Schema, visit);
            one("items", Kind::Schema, visit);
            // `additionalProperties` may also be a boolean; `node` skips those.
            one("additionalProperties", Kind::Schema, visit);
            for key in ["allOf", "oneOf", "anyOf"] {
                list(key, Kind::Schema, visit);
            }
            one("not", Kind::Schema, visit);
            one("discriminator", Kind::Discriminator, visit);
            one("xml", Kind::Xml, visit);
            one("externalDocs", Kind::ExternalDocs, visit);
        }
        Kind::Contact
        | Kind::License
        | Kind::ServerVariable
        | Kind::ExternalDocs
        | Kind::Example
        | Kind::Link
        | Kind::OAuthFlow
        | Kind::Discriminator
        | Kind::Xml => {}
    }
}

/// Every object of `kind`, with its pointer, in document order.
pub fn nodes_of(doc: &Value, kind: Kind) -> Vec<(String, &Object)> {
    let mut found = Vec::new();
    walk(doc, &mut |k, pointer, obj| {
        if k == kind {
            found.push((pointer.to_owned(), obj));
        }
    });
    found
}
