//! Line numbers of the nodes of a YAML document, keyed by JSON pointer.
//!
//! serde-saphyr turns the spec into a `serde_json::Value`, which knows nothing of
//! lines; this module parses the same text a second time with saphyr's
//! `MarkedYaml`, which keeps a span on every node, and records the line of each
//! node under the JSON pointer that reaches the same node in the `Value`.

use std::collections::{HashMap, HashSet};

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

/// The line (1-based) of every node of a document, by JSON pointer.
#[derive(Debug, Default)]
pub struct Positions {
    lines: HashMap<String, usize>,
    /// Mapping entries whose key YAML reads as something other than a string
    /// (an unquoted `200` is an integer).
    non_string_keys: HashSet<String>,
}

/// A YAML syntax error: where the parser stopped, and why.
#[derive(Debug)]
pub struct SyntaxError {
    pub line: usize,
    pub message: String,
}

impl Positions {
    /// Parses `text` (its first document) and records the line of every node.
    ///
    /// saphyr rejects duplicate mapping keys, so this also catches a key written
    /// twice, which a plain YAML-to-JSON conversion would silently collapse.
    pub fn parse(text: &str) -> Result<Positions, SyntaxError> {
        let docs = MarkedYaml::load_from_str(text).map_err(|e| SyntaxError {
            line: e.marker().line(),
            message: e.info().to_owned(),
        })?;
        let mut positions = Positions::default();
        match docs.first() {
            // The document's own line is that of its first key, past any
            // leading comments: findings about a missing top-level key go there.
            Some(root) => positions.record(root, String::new(), root.span.start.line().max(1)),
            None => positions.record_line(String::new(), 1),
        }
        Ok(positions)
    }

    /// The line of the node at `pointer`, if that node exists.
    pub fn line(&self, pointer: &str) -> Option<usize> {
        self.lines.get(pointer).copied()
    }

    /// Whether the mapping entry at `pointer` has a key that YAML reads as a
    /// string (quoted, or plain text that is not a number, boolean or null).
    pub fn key_is_string(&self, pointer: &str) -> bool {
        !self.non_string_keys.contains(pointer)
    }

    /// The line of the node at `pointer`, or of its nearest ancestor that
    /// exists: a finding about a missing key points at the object lacking it.
    pub fn nearest_line(&self, pointer: &str) -> Option<usize> {
        let mut pointer = pointer;
        loop {
            if let Some(line) = self.line(pointer) {
                return Some(line);
            }
            pointer = &pointer[..pointer.rfind('/')?];
        }
    }

    /// Records `node` at `pointer`. A mapping entry is recorded at the line of
    /// its key (for a block mapping the value starts on the next line, and
    /// people look for the key).
    fn record(&mut self, node: &MarkedYaml<'_>, pointer: String, line: usize) {
        match &node.data {
            YamlData::Mapping(map) => {
                for (key, value) in map {
                    let child = format!("{pointer}/{}", escape(&key_text(key)));
                    if !matches!(key.data, YamlData::Value(Scalar::String(_))) {
                        self.non_string_keys.insert(child.clone());
                    }
                    self.record(value, child, key.span.start.line());
                }
            }
            YamlData::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.record(item, format!("{pointer}/{i}"), item.span.start.line());
                }
            }
            YamlData::Tagged(_, inner) => {
                self.record(inner, pointer.clone(), line);
            }
            _ => {}
        }
        self.record_line(pointer, line);
    }

    fn record_line(&mut self, pointer: String, line: usize) {
        self.lines.entry(pointer).or_insert(line);
    }
}

/// The text of a mapping key as serde-saphyr spells it in the JSON object.
fn key_text(key: &MarkedYaml<'_>) -> String {
    match &key.data {
        YamlData::Value(scalar) => match scalar {
            Scalar::Null => "null".to_owned(),
            Scalar::Boolean(b) => b.to_string(),
            Scalar::Integer(i) => i.to_string(),
            Scalar::FloatingPoint(f) => f.to_string(),
            Scalar::String(s) => s.to_string(),
        },
        YamlData::Representation(text, _, _) => text.to_string(),
        YamlData::Tagged(_, inner) => key_text(inner),
        _ => String::new(),
    }
}

/// Escapes one JSON pointer segment (RFC 6901: `~` as `~0`, `/` as `~1`).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Reverses [`escape`].
pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_keys_items_and_flow_nodes() {
        let text = "# comment\na:\n  b: 1\n  'c/d':\n    - x\n    - {y: [1, 2]}\n";
        let p = Positions::parse(text).unwrap();
        assert_eq!(p.line(""), Some(2));
        assert_eq!(p.line("/a"), Some(2));
        assert_eq!(p.line("/a/b"), Some(3));
        assert_eq!(p.line("/a/c~1d"), Some(4));
        assert_eq!(p.line("/a/c~1d/0"), Some(5));
        assert_eq!(p.line("/a/c~1d/1/y/1"), Some(6));
        assert_eq!(p.nearest_line("/a/b/missing"), Some(3));
        assert!(p.key_is_string("/a/c~1d"));
    }

    #[test]
    fn unquoted_numbers_are_not_string_keys() {
        let p = Positions::parse("r:\n  200: a\n  '201': b\n  \"202\": c\n").unwrap();
        assert!(!p.key_is_string("/r/200"));
        assert!(p.key_is_string("/r/201"));
        assert!(p.key_is_string("/r/202"));
    }

    #[test]
    fn duplicate_keys_are_syntax_errors() {
        let err = Positions::parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.line, 3, "{err:?}");
    }
}
