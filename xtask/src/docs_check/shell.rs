//! The words of a cURL command as a POSIX shell splits them: enough quoting
//! (single quotes, double quotes with backslash escapes, backslash-newline) to
//! read the docs' `curl ... -d '{...}'` examples.

/// The words of `text`, quotes removed. An unterminated quote runs to the end.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\n') | None => {}
                Some(next) => {
                    word.push(next);
                    in_word = true;
                }
            },
            '\'' => {
                in_word = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    word.push(c);
                }
            }
            '"' => {
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' if chars.peek().is_some_and(|n| "\"\\$`\n".contains(*n)) => {
                            let next = chars.next().unwrap_or('\\');
                            if next != '\n' {
                                word.push(next);
                            }
                        }
                        _ => word.push(c),
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn splits_as_a_shell_does() {
        let text = "$ curl -X POST -H \"Authorization: Token k\" \\\n  https://x/a?b=1 -d '{\"a\": \"x y\"}' -d \"{\\\"b\\\": 2}\"";
        assert_eq!(
            words(text),
            [
                "$",
                "curl",
                "-X",
                "POST",
                "-H",
                "Authorization: Token k",
                "https://x/a?b=1",
                "-d",
                "{\"a\": \"x y\"}",
                "-d",
                "{\"b\": 2}"
            ]
        );
    }
}
