//! The spec as the rules see it: the JSON value build.rs would see, the line of
//! every node, and helpers to follow `$ref`s and list operations.

use serde_json::Value;

use crate::yaml_positions::{Positions, SyntaxError, escape};

/// HTTP methods of a Path Item Object, in the order OpenAPI lists them.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A loaded spec.
pub struct Spec {
    /// The document, read with serde-saphyr exactly as build.rs reads it.
    pub doc: Value,
    positions: Positions,
}

/// One operation of `paths`.
pub struct Operation<'a> {
    /// The path template, e.g. `/api/children/add`.
    pub path: &'a str,
    /// The lowercase method key, e.g. `post`.
    pub method: &'a str,
    /// JSON pointer of the Operation Object.
    pub pointer: String,
    /// The Operation Object.
    pub value: &'a Value,
    /// JSON pointer of the Path Item Object holding it.
    pub path_pointer: String,
    /// The Path Item Object holding it.
    pub path_item: &'a Value,
}

impl<'a> Operation<'a> {
    /// `POST /api/children/add`, to name the operation in messages.
    pub fn label(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }

    /// The operation's `responses` map, if it is one.
    pub fn responses(&self) -> Option<&'a serde_json::Map<String, Value>> {
        self.value.get("responses")?.as_object()
    }
}

impl Spec {
    /// Parses `text`; a syntax error is the only failure, everything else is a
    /// finding of some rule.
    pub fn parse(text: &str) -> Result<Spec, SyntaxError> {
        let positions = Positions::parse(text)?;
        let doc: Value = serde_saphyr::from_str(text).map_err(|e| SyntaxError {
            line: e.location().map_or(1, |l| l.line() as usize),
            message: e.without_snippet().to_string(),
        })?;
        Ok(Spec { doc, positions })
    }

    /// The line of the node at `pointer`, or of its nearest existing ancestor.
    pub fn line(&self, pointer: &str) -> Option<usize> {
        self.positions.nearest_line(pointer)
    }

    /// Whether the mapping entry at `pointer` has a string key in the YAML.
    pub fn key_is_string(&self, pointer: &str) -> bool {
        self.positions.key_is_string(pointer)
    }

    /// The value at a JSON pointer (`""` is the whole document).
    pub fn get(&self, pointer: &str) -> Option<&Value> {
        self.doc.pointer(pointer)
    }

    /// Follows `value`'s `$ref` chain (if any) and returns the pointer of the
    /// final target (`None` if `value` is not a reference) and its value.
    /// `None` overall if a reference does not resolve, is not local, or loops.
    pub fn resolve<'a>(&'a self, value: &'a Value) -> Option<(Option<String>, &'a Value)> {
        let mut target = None;
        let mut value = value;
        // A bound rather than cycle detection: no sane chain is this long.
        for _ in 0..32 {
            match ref_of(value) {
                None => return Some((target, value)),
                Some(r) => {
                    let pointer = local_pointer(r)?;
                    value = self.get(pointer)?;
                    target = Some(pointer.to_owned());
                }
            }
        }
        None
    }

    /// Every operation under `paths`, in document order.
    pub fn operations(&self) -> Vec<Operation<'_>> {
        let mut ops = Vec::new();
        let Some(paths) = self.doc.get("paths").and_then(Value::as_object) else {
            return ops;
        };
        for (path, item) in paths {
            if path.starts_with("x-") {
                continue;
            }
            let path_pointer = format!("/paths/{}", escape(path));
            let Some(methods) = item.as_object() else {
                continue;
            };
            for (method, value) in methods {
                if METHODS.contains(&method.as_str()) {
                    ops.push(Operation {
                        path,
                        method,
                        pointer: format!("{path_pointer}/{method}"),
                        value,
                        path_pointer: path_pointer.clone(),
                        path_item: item,
                    });
                }
            }
        }
        ops
    }
}

/// The `$ref` string of a Reference Object, if `value` is one.
pub fn ref_of(value: &Value) -> Option<&str> {
    value.get("$ref")?.as_str()
}

/// The JSON pointer of a local reference (`#/components/...` → `/components/...`).
pub fn local_pointer(reference: &str) -> Option<&str> {
    reference.strip_prefix('#')
}

/// Whether `schema` is `{enum: [null]}` (no `type`): it admits `null` alone, the null
/// branch of a nullable reference.
pub fn is_null_only(schema: &Value) -> bool {
    schema.get("type").is_none()
        && schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null))
}

/// A nullable reference, `{oneOf: [X, {enum: [null]}]}` (or `anyOf`, either order):
/// the composition keyword and the index of X, and X. progenitor makes it `Option<X>`.
pub fn nullable_member(schema: &Value) -> Option<(&'static str, usize, &Value)> {
    ["oneOf", "anyOf"].into_iter().find_map(|key| {
        let members = schema.get(key)?.as_array()?;
        match members.as_slice() {
            [x, null] if is_null_only(null) && !is_null_only(x) => Some((key, 0, x)),
            [null, x] if is_null_only(null) && !is_null_only(x) => Some((key, 1, x)),
            _ => None,
        }
    })
}
