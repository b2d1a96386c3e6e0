//! JSON as the docs write it: a parser that repairs the syntax mistakes the pages
//! make (trailing or missing commas, Python's `True`/`False`/`None`, `nil`, single
//! quotes) and records each repair, and refuses anything else. It never changes a
//! value: strings, numbers and keys are read exactly as written.

use serde_json::{Map, Value};

/// One repair, at a line of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub line: usize,
    pub what: String,
}

/// Reads `text` (which starts at page line `line`): the value and the repairs.
pub fn repair(text: &str, line: usize) -> Result<(Value, Vec<Repair>), String> {
    let mut p = Parser {
        chars: text.chars().collect(),
        at: 0,
        first_line: line,
        repairs: Vec::new(),
    };
    let value = p.value()?;
    p.blank();
    if p.at < p.chars.len() {
        return Err(format!("line {}: text after the JSON value", p.line()));
    }
    Ok((value, p.repairs))
}

struct Parser {
    chars: Vec<char>,
    at: usize,
    first_line: usize,
    repairs: Vec<Repair>,
}

impl Parser {
    fn line(&self) -> usize {
        self.first_line + self.chars[..self.at].iter().filter(|c| **c == '\n').count()
    }

    fn note(&mut self, what: impl Into<String>) {
        let line = self.line();
        self.repairs.push(Repair {
            line,
            what: what.into(),
        });
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn blank(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn fail<T>(&self, what: &str) -> Result<T, String> {
        let found = match self.peek() {
            Some(c) => format!("`{c}`"),
            None => "the end".to_owned(),
        };
        Err(format!("line {}: {what}, found {found}", self.line()))
    }

    fn value(&mut self) -> Result<Value, String> {
        self.blank();
        match self.peek() {
            Some('{') => self.object(),
            Some('[') => self.array(),
            Some('"' | '\'') => self.string().map(Value::String),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            Some(c) if c.is_ascii_alphabetic() => self.word(),
            _ => self.fail("expected a value"),
        }
    }

    fn object(&mut self) -> Result<Value, String> {
        self.at += 1;
        let mut out = Map::new();
        loop {
            self.blank();
            match self.peek() {
                Some('}') => {
                    self.at += 1;
                    return Ok(Value::Object(out));
                }
                Some('"' | '\'') => {}
                _ => return self.fail("expected a key or `}`"),
            }
            let key = self.string()?;
            self.blank();
            if self.peek() != Some(':') {
                return self.fail("expected `:`");
            }
            self.at += 1;
            let value = self.value()?;
            out.insert(key, value);
            if self.separator('}')? {
                self.at += 1;
                return Ok(Value::Object(out));
            }
        }
    }

    fn array(&mut self) -> Result<Value, String> {
        self.at += 1;
        let mut out = Vec::new();
        loop {
            self.blank();
            if self.peek() == Some(']') {
                self.at += 1;
                return Ok(Value::Array(out));
            }
            out.push(self.value()?);
            if self.separator(']')? {
                self.at += 1;
                return Ok(Value::Array(out));
            }
        }
    }

    /// After a member: `,` (then perhaps a trailing one before `close`), `close`,
    /// or a missing comma before the next member. True when `close` is next.
    fn separator(&mut self, close: char) -> Result<bool, String> {
        self.blank();
        match self.peek() {
            Some(',') => {
                self.at += 1;
                self.blank();
                if self.peek() == Some(close) {
                    self.note(format!("trailing comma before `{close}`"));
                    return Ok(true);
                }
                Ok(false)
            }
            Some(c) if c == close => Ok(true),
            Some('"' | '\'' | '{' | '[') => {
                self.note("missing comma");
                Ok(false)
            }
            _ => self.fail(&format!("expected `,` or `{close}`")),
        }
    }

    fn string(&mut self) -> Result<String, String> {
        let quote = self.chars[self.at];
        let start = self.at;
        self.at += 1;
        let mut raw = String::new();
        loop {
            match self.peek() {
                None | Some('\n') => {
                    self.at = start;
                    return self.fail("unterminated string");
                }
                Some('\\') => {
                    let next = self.chars.get(self.at + 1).copied().unwrap_or('\\');
                    // `\'` means a quote only inside single quotes.
                    if next == '\'' {
                        raw.push('\'');
                    } else {
                        raw.push('\\');
                        raw.push(next);
                    }
                    self.at += 2;
                }
                Some(c) if c == quote => {
                    self.at += 1;
                    break;
                }
                Some('"') => {
                    raw.push_str("\\\"");
                    self.at += 1;
                }
                Some(c) => {
                    raw.push(c);
                    self.at += 1;
                }
            }
        }
        if quote == '\'' {
            self.note("single quotes");
        }
        serde_json::from_str(&format!("\"{raw}\""))
            .map_err(|e| format!("line {}: a string JSON cannot read: {e}", self.line()))
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || "+-.eE".contains(c))
        {
            self.at += 1;
        }
        let text: String = self.chars[start..self.at].iter().collect();
        match serde_json::from_str::<serde_json::Number>(&text) {
            Ok(n) => Ok(Value::Number(n)),
            Err(_) => {
                self.at = start;
                self.fail("not a JSON number")
            }
        }
    }

    fn word(&mut self) -> Result<Value, String> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            self.at += 1;
        }
        let word: String = self.chars[start..self.at].iter().collect();
        let value = match word.as_str() {
            "true" => return Ok(Value::Bool(true)),
            "false" => return Ok(Value::Bool(false)),
            "null" => return Ok(Value::Null),
            "True" => Value::Bool(true),
            "False" => Value::Bool(false),
            "None" | "nil" => Value::Null,
            _ => {
                self.at = start;
                return self.fail("expected a value");
            }
        };
        self.note(format!("`{word}` for `{value}`"));
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn repairs_syntax_and_says_where() {
        let text = "{\n  'a': True,\n  \"b\": [1, 2,]\n  \"c\": None,\n  \"d\": nil,\n}";
        let (value, repairs) = repair(text, 10).unwrap();
        assert_eq!(value, json!({"a": true, "b": [1, 2], "c": null, "d": null}));
        let found: Vec<(usize, &str)> = repairs.iter().map(|r| (r.line, r.what.as_str())).collect();
        assert_eq!(
            found,
            [
                (11, "single quotes"),
                (11, "`True` for `true`"),
                (12, "trailing comma before `]`"),
                (13, "missing comma"),
                (13, "`None` for `null`"),
                (14, "`nil` for `null`"),
                (15, "trailing comma before `}`"),
            ]
        );
    }

    #[test]
    fn values_are_kept_as_written() {
        let (value, repairs) = repair(r#"{"n": 50000.0, "s": "it's \"x\"", "i": -1}"#, 1).unwrap();
        assert_eq!(value["n"].to_string(), "50000.0");
        assert_eq!(value["s"], "it's \"x\"");
        assert_eq!(value["i"], -1);
        assert!(repairs.is_empty());
        let (value, _) = repair(r#"{'s': 'say "hi"', 't': 'it\'s'}"#, 1).unwrap();
        assert_eq!(value, json!({"s": "say \"hi\"", "t": "it's"}));
    }

    #[test]
    fn anything_else_is_refused() {
        assert_eq!(
            repair("{a: 1}", 3).unwrap_err(),
            "line 3: expected a key or `}`, found `a`"
        );
        assert!(repair("{\"a\": ...}", 1).is_err());
        assert!(repair("{\"a\": 1} trailing", 1).is_err());
        assert!(repair("{\"a\": 01x}", 1).is_err());
    }
}
