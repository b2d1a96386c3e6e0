//! Rules on the document as a whole: it is OpenAPI 3.0, as openapiv3 (and so
//! progenitor) reads it, and it holds no key that those tools would drop.

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::Segment;

use crate::lint::walk::{Kind, Object, walk};
use crate::lint::{Issue, Spec};
use crate::yaml_positions::escape;

/// `openapi-document`: the document deserializes as an `openapiv3::OpenAPI`.
///
/// serde's error for the whole document often stops at a `flatten`ed map or
/// an untagged enum (`$ref` or inline), far above the mistake. So each object
/// is also deserialized alone with its openapiv3 type, and the deepest
/// failures are reported, each where serde's path inside the object leads.
pub fn openapi_document(spec: &Spec) -> Vec<Issue> {
    let mut failures: Vec<(String, String)> = Vec::new();
    walk(&spec.doc, &mut |kind, pointer, obj| {
        if let Some(Err((inner, message))) = check_kind(kind, obj) {
            failures.push((format!("{pointer}{inner}"), message));
        }
    });
    if failures.is_empty() {
        // The document is not an object: the walk saw nothing.
        if let Err((inner, message)) = deserialize::<openapiv3::OpenAPI>(&spec.doc) {
            failures.push((inner, message));
        }
    }
    // An object fails when any part of it does: keep only failures with no
    // deeper one below them, and one failure per place (the walk visits
    // parents first, so the last is from the smallest enclosing object).
    let mut issues: Vec<Issue> = Vec::new();
    for (i, (pointer, message)) in failures.iter().enumerate() {
        let deeper = |(q, _): &(String, String)| q.starts_with(&format!("{pointer}/"));
        let later_same = failures[i + 1..].iter().any(|(q, _)| q == pointer);
        if failures.iter().any(deeper) || later_same {
            continue;
        }
        issues.push(Issue::new(
            pointer.clone(),
            format!("not a valid OpenAPI 3.0 object (as openapiv3 reads it): {message}"),
        ));
    }
    issues
}

/// Deserializes `obj` with the openapiv3 type of `kind`; `None` for kinds not
/// checked on their own (their parent's check covers them).
fn check_kind(kind: Kind, obj: &Object) -> Option<Result<(), (String, String)>> {
    use openapiv3 as o;
    let v = &Value::Object(obj.clone());
    Some(match kind {
        Kind::Document => deserialize::<o::OpenAPI>(v),
        Kind::Info => deserialize::<o::Info>(v),
        Kind::Server => deserialize::<o::Server>(v),
        Kind::Components => deserialize::<o::Components>(v),
        Kind::PathItem => item::<o::PathItem>(v),
        Kind::Operation => deserialize::<o::Operation>(v),
        Kind::ExternalDocs => deserialize::<o::ExternalDocumentation>(v),
        Kind::Parameter => item::<o::Parameter>(v),
        Kind::RequestBody => item::<o::RequestBody>(v),
        Kind::MediaType => deserialize::<o::MediaType>(v),
        Kind::Encoding => deserialize::<o::Encoding>(v),
        Kind::Responses => deserialize::<o::Responses>(v),
        Kind::Response => item::<o::Response>(v),
        Kind::Example => item::<o::Example>(v),
        Kind::Header => item::<o::Header>(v),
        Kind::Link => item::<o::Link>(v),
        Kind::Tag => deserialize::<o::Tag>(v),
        Kind::SecurityScheme => item::<o::SecurityScheme>(v),
        Kind::Schema => item::<o::Schema>(v),
        Kind::Discriminator => deserialize::<o::Discriminator>(v),
        _ => return None,
    })
}

/// Deserializes an object that may be a `$ref`: as `ReferenceOr<T>` if it is
/// one, else as `T` itself, whose errors carry a path (the untagged
/// `ReferenceOr`'s do not).
fn item<T: DeserializeOwned>(value: &Value) -> Result<(), (String, String)> {
    if value.get("$ref").is_some() {
        deserialize::<openapiv3::ReferenceOr<T>>(value)
    } else {
        deserialize::<T>(value)
    }
}

/// Deserializes `value` as `T`; on failure, the JSON pointer (relative to
/// `value`) of the failing part and serde's message.
fn deserialize<T: DeserializeOwned>(value: &Value) -> Result<(), (String, String)> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(_) => Ok(()),
        Err(e) => {
            let mut pointer = String::new();
            for segment in e.path().iter() {
                match segment {
                    Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
                    Segment::Map { key } => pointer.push_str(&format!("/{}", escape(key))),
                    Segment::Enum { .. } | Segment::Unknown => break,
                }
            }
            Err((pointer, e.into_inner().to_string()))
        }
    }
}

/// `openapi-version`: `openapi` is `3.0.x`, the version progenitor and the
/// openapiv3 crate read (3.1 changed the schema dialect).
pub fn openapi_version(spec: &Spec) -> Vec<Issue> {
    match spec.doc.get("openapi") {
        None => vec![Issue::new(
            "",
            "no `openapi` version field; write `openapi: 3.0.3`",
        )],
        Some(Value::String(v)) if is_3_0(v) => Vec::new(),
        Some(Value::String(v)) => vec![Issue::new(
            "/openapi",
            format!(
                "`openapi: {v}` is not 3.0.x; this document and its tools are OpenAPI 3.0 (write `3.0.3`)"
            ),
        )],
        Some(other) => vec![Issue::new(
            "/openapi",
            format!("`openapi` must be a string such as '3.0.3', not {other} (quote it)"),
        )],
    }
}

fn is_3_0(version: &str) -> bool {
    version
        .strip_prefix("3.0.")
        .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

/// `unknown-key`: every key is one OpenAPI 3.0 defines for that object (or an
/// `x-` extension). openapiv3 ignores other keys without a word, so a typo
/// (`requestbody`, `nulable`, `operationID`) silently drops what it meant.
/// Paths must start with `/` and response keys must be status codes, or
/// openapiv3 drops them too.
pub fn unknown_key(spec: &Spec) -> Vec<Issue> {
    let mut issues = Vec::new();
    walk(&spec.doc, &mut |kind, pointer, obj| {
        if obj.contains_key("$ref") && kind != Kind::PathItem {
            // A Reference Object; its siblings are the `ref-siblings` rule's.
            return;
        }
        for key in obj.keys().filter(|k| !k.starts_with("x-")) {
            let at = format!("{pointer}/{}", escape(key));
            match kind {
                Kind::Responses => {
                    if !is_status_key(key) {
                        issues.push(Issue::new(
                            at,
                            format!("`{key}` is not a status code ('200', '4XX') or `default`; openapiv3 ignores it"),
                        ));
                    }
                }
                Kind::Callback => {}
                _ => {
                    if !allowed_keys(kind).contains(&key.as_str()) {
                        issues.push(Issue::new(at, unknown_message(kind, key)));
                    }
                }
            }
        }
        if kind == Kind::Document
            && let Some(paths) = obj.get("paths").and_then(Value::as_object)
        {
            for path in paths
                .keys()
                .filter(|k| !k.starts_with("x-") && !k.starts_with('/'))
            {
                issues.push(Issue::new(
                    format!("/paths/{}", escape(path)),
                    format!("path `{path}` does not start with `/`; openapiv3 ignores it"),
                ));
            }
        }
    });
    issues
}

fn unknown_message(kind: Kind, key: &str) -> String {
    let lower = key.to_ascii_lowercase();
    let hint = allowed_keys(kind)
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_ascii_lowercase()), k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default();
    format!(
        "`{key}` is not a field of {}{hint}; OpenAPI tools ignore it (custom fields start with `x-`)",
        kind_name(kind)
    )
}

/// Levenshtein distance, for "did you mean" hints on misspelt keys.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// A response key: `default`, a code 100-599, or a range `1XX`-`5XX`.
fn is_status_key(key: &str) -> bool {
    let b = key.as_bytes();
    key == "default"
        || (b.len() == 3
            && (b'1'..=b'5').contains(&b[0])
            && ((b[1].is_ascii_digit() && b[2].is_ascii_digit()) || &b[1..] == b"XX"))
}

/// How messages name an object kind.
fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Document => "the OpenAPI document",
        Kind::Info => "an Info object",
        Kind::Contact => "a Contact object",
        Kind::License => "a License object",
        Kind::Server => "a Server object",
        Kind::ServerVariable => "a Server Variable object",
        Kind::Components => "the Components object",
        Kind::PathItem => "a Path Item object",
        Kind::Operation => "an Operation object",
        Kind::ExternalDocs => "an External Documentation object",
        Kind::Parameter => "a Parameter object",
        Kind::RequestBody => "a Request Body object",
        Kind::MediaType => "a Media Type object",
        Kind::Encoding => "an Encoding object",
        Kind::Responses => "a Responses object",
        Kind::Response => "a Response object",
        Kind::Callback => "a Callback object",
        Kind::Example => "an Example object",
        Kind::Link => "a Link object",
        Kind::Header => "a Header object",
        Kind::Tag => "a Tag object",
        Kind::SecurityScheme => "a Security Scheme object",
        Kind::OAuthFlows => "an OAuth Flows object",
        Kind::OAuthFlow => "an OAuth Flow object",
        Kind::Schema => "a Schema object",
        Kind::Discriminator => "a Discriminator object",
        Kind::Xml => "an XML object",
    }
}

/// The fixed fields of each OpenAPI 3.0.3 object.
fn allowed_keys(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Document => &[
            "openapi",
            "info",
            "servers",
            "paths",
            "components",
            "security",
            "tags",
            "externalDocs",
        ],
        Kind::Info => &[
            "title",
            "description",
            "termsOfService",
            "contact",
            "license",
            "version",
        ],
        Kind::Contact => &["name", "url", "email"],
        Kind::License => &["name", "url"],
        Kind::Server => &["url", "description", "variables"],
        Kind::ServerVariable => &["enum", "default", "description"],
        Kind::Components => &[
            "schemas",
            "responses",
            "parameters",
            "examples",
            "requestBodies",
            "headers",
            "securitySchemes",
            "links",
            "callbacks",
        ],
        Kind::PathItem => &[
            "$ref",
            "summary",
            "description",
            "get",
            "put",
            "post",
            "delete",
            "options",
            "head",
            "patch",
            "trace",
            "servers",
            "parameters",
        ],
        Kind::Operation => &[
            "tags",
            "summary",
            "description",
            "externalDocs",
            "operationId",
            "parameters",
            "requestBody",
            "responses",
            "callbacks",
            "deprecated",
            "security",
            "servers",
        ],
        Kind::ExternalDocs => &["description", "url"],
        Kind::Parameter => &[
            "name",
            "in",
            "description",
            "required",
            "deprecated",
            "allowEmptyValue",
            "style",
            "explode",
            "allowReserved",
            "schema",
            "example",
            "examples",
            "content",
        ],
        Kind::Header => &[
            "description",
            "required",
            "deprecated",
            "allowEmptyValue",
            "style",
            "explode",
            "allowReserved",
            "schema",
            "example",
            "examples",
            "content",
        ],
        Kind::RequestBody => &["description", "content", "required"],
        Kind::MediaType => &["schema", "example", "examples", "encoding"],
        Kind::Encoding => &[
            "contentType",
            "headers",
            "style",
            "explode",
            "allowReserved",
        ],
        Kind::Response => &["description", "headers", "content", "links"],
        Kind::Example => &["summary", "description", "value", "externalValue"],
        Kind::Link => &[
            "operationRef",
            "operationId",
            "parameters",
            "requestBody",
            "description",
            "server",
        ],
        Kind::Tag => &["name", "description", "externalDocs"],
        Kind::SecurityScheme => &[
            "type",
            "description",
            "name",
            "in",
            "scheme",
            "bearerFormat",
            "flows",
            "openIdConnectUrl",
        ],
        Kind::OAuthFlows => &[
            "implicit",
            "password",
            "clientCredentials",
            "authorizationCode",
        ],
        Kind::OAuthFlow => &["authorizationUrl", "tokenUrl", "refreshUrl", "scopes"],
        Kind::Schema => &[
            "title",
            "multipleOf",
            "maximum",
            "exclusiveMaximum",
            "minimum",
            "exclusiveMinimum",
            "maxLength",
            "minLength",
            "pattern",
            "maxItems",
            "minItems",
            "uniqueItems",
            "maxProperties",
            "minProperties",
            "required",
            "enum",
            "type",
            "allOf",
            "oneOf",
            "anyOf",
            "not",
            "items",
            "properties",
            "additionalProperties",
            "description",
            "format",
            "default",
            "nullable",
            "discriminator",
            "readOnly",
            "writeOnly",
            "xml",
            "externalDocs",
            "example",
            "deprecated",
        ],
        Kind::Discriminator => &["propertyName", "mapping"],
        Kind::Xml => &["name", "namespace", "prefix", "attribute", "wrapped"],
        // Keys of these are names, checked elsewhere.
        Kind::Responses | Kind::Callback => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_at_the_closest_field() {
        assert_eq!(edit_distance("nulable", "nullable"), 1);
        assert_eq!(edit_distance("operationid", "operationid"), 0);
        assert!(unknown_message(Kind::Schema, "nulable").contains("did you mean `nullable`?"));
        assert!(unknown_message(Kind::Operation, "operationID").contains("`operationId`"));
        assert!(!unknown_message(Kind::Schema, "whatever").contains("did you mean"));
    }

    #[test]
    fn status_keys() {
        for ok in ["200", "404", "5XX", "default"] {
            assert!(is_status_key(ok), "{ok}");
        }
        for bad in ["20", "2000", "600", "2xx", "ok", "Default"] {
            assert!(!is_status_key(bad), "{bad}");
        }
    }

    #[test]
    fn versions() {
        assert!(is_3_0("3.0.3") && is_3_0("3.0.0"));
        assert!(!is_3_0("3.1.0") && !is_3_0("3.0") && !is_3_0("3.0.x") && !is_3_0("2.0"));
    }
}
