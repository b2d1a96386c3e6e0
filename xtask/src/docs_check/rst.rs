//! Reads what `docs-check` needs from one reStructuredText page of the Stamps docs,
//! by hand: the pages use a small, regular subset of the format (section titles,
//! `| URL endpoint:` lines, simple tables, `.. code-block::` directives), and a
//! line-based reading keeps every item's line number for the findings.

use serde_json::{Map, Value};

use super::json::{self, Repair};
use super::shell;

/// One page, as read.
#[derive(Debug, Default)]
pub struct Page {
    /// The file name, e.g. `transaction_api.rst`.
    pub name: String,
    /// Its operation sections, in order.
    pub operations: Vec<DocOperation>,
    /// Examples that could not be read, even after repair: `(line, why)`.
    pub unreadable: Vec<(usize, String)>,
    /// The JSON repairs made to read the examples.
    pub repairs: Vec<Repair>,
}

/// One operation section: a section with an `URL endpoint` line.
#[derive(Debug, Default)]
pub struct DocOperation {
    /// The section's title, e.g. `1. Adding a Transaction`.
    pub section: String,
    /// The line of the `URL endpoint`.
    pub line: usize,
    /// Host and path, without scheme or query: `stamps.co.id/api/ping`.
    pub url: String,
    /// The methods the page names (`Allowed method`) and then those its cURL
    /// examples of the same URL use, uppercase, each with its line.
    pub methods: Vec<(String, usize)>,
    /// The rows of the request's parameter tables.
    pub params: Vec<Row>,
    /// The request examples.
    pub requests: Vec<Request>,
    /// The cURL examples that send no body and no query: method and line.
    pub bare_curls: Vec<(String, usize)>,
    /// `Requires authentication: Yes/No`, with its line.
    pub auth: Option<(bool, usize)>,
    /// The answers and error examples.
    pub answers: Vec<Answer>,
}

/// A parameter table's row.
#[derive(Debug, Clone)]
pub struct Row {
    /// The parameter's name; `a/b` names alternatives.
    pub name: String,
    /// The `Required` column: `Some(true)` for Yes, `Some(false)` for No or
    /// Optional, `None` for anything else.
    pub required: Option<bool>,
    pub line: usize,
    /// The whole row's text (its description says which object it holds).
    pub text: String,
    /// The rows of the object table its description refers to (`:ref:`).
    pub nested: Vec<Row>,
}

/// Where a request example puts its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The JSON body.
    Body,
    /// The URL's query string (values are strings).
    Query,
}

/// A request example.
#[derive(Debug)]
pub struct Request {
    pub line: usize,
    /// The method of a cURL example; `None` for a JSON block.
    pub method: Option<String>,
    pub place: Place,
    pub value: Value,
}

/// An answer example: a status line with its body, or a bare JSON block (200).
#[derive(Debug)]
pub struct Answer {
    pub line: usize,
    pub status: u16,
    /// The body read as JSON; `None` if it is not JSON (an HTML page, text).
    pub body: Option<Value>,
    /// Whether the example shows a body at all.
    pub has_body: bool,
}

/// A section title.
struct Title {
    line: usize,
    text: String,
    level: usize,
}

/// Reads a page.
pub fn read(name: &str, text: &str) -> Page {
    let lines = uncommented(text);
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let titles = titles(&lines);
    let tables = tables(&lines);
    let blocks = code_blocks(&lines);
    let mut page = Page {
        name: name.to_owned(),
        ..Page::default()
    };
    // Object tables (`Item Object`) that rows refer to with `:ref:`.
    let objects: Vec<(String, &Table)> = tables
        .iter()
        .filter(|t| t.is_parameters())
        .filter_map(|t| {
            let title = titles.iter().rev().find(|ti| ti.line < t.start)?;
            Some((title.text.to_lowercase(), t))
        })
        .collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| field(lines[i], "URL endpoint").is_some())
        .collect();
    for (k, &start) in starts.iter().enumerate() {
        let Some(url) = field(lines[start], "URL endpoint").map(strip_url) else {
            continue;
        };
        let title = titles.iter().rev().find(|t| t.line < start);
        let level = title.map_or(0, |t| t.level);
        let next_start = starts.get(k + 1).copied().unwrap_or(lines.len());
        let end = titles
            .iter()
            .find(|t| t.line > start && t.level <= level)
            .map_or(lines.len(), |t| t.line)
            .min(next_start);
        let mut op = DocOperation {
            section: title.map_or_else(String::new, |t| t.text.clone()),
            line: start + 1,
            url: url.0,
            ..DocOperation::default()
        };
        for (i, line) in lines.iter().enumerate().take(end).skip(start) {
            let methods = field(line, "Allowed method").or_else(|| field(line, "Allowed methods"));
            for m in methods.into_iter().flat_map(method_words) {
                push_method(&mut op.methods, m, i + 1);
            }
            let auth = field(line, "Requires authentication")
                .or_else(|| field(line, "Require authentication"));
            if let Some(yes) = auth.and_then(yes_no) {
                op.auth = Some((yes, i + 1));
            }
        }
        // The response part starts at the first subsection titled as one.
        let response_from = titles
            .iter()
            .find(|t| t.line > start && t.line < end && t.text.to_lowercase().contains("response"))
            .map_or(end, |t| t.line);
        for table in tables.iter().filter(|t| t.start > start && t.start < end) {
            if table.start < response_from && table.is_parameters() {
                let rows = table.rows(&objects);
                // A table introduced as "Each variant object ..." describes the row
                // whose description speaks of variant objects.
                let intro = lines[..table.start]
                    .iter()
                    .rev()
                    .map(|l| l.trim())
                    .find(|l| !l.is_empty())
                    .unwrap_or("")
                    .to_lowercase();
                let holder = intro
                    .strip_prefix("each ")
                    .and_then(|r| r.split(" object").next())
                    .map(|w| format!("{w} object"))
                    .and_then(|phrase| {
                        op.params
                            .iter_mut()
                            .find(|r| r.text.to_lowercase().contains(&phrase))
                    });
                match holder {
                    Some(row) => row.nested.extend(rows),
                    None => op.params.extend(rows),
                }
            }
        }
        for block in blocks.iter().filter(|b| b.line > start && b.line < end) {
            read_block(block, &mut op, block.line < response_from, &mut page);
        }
        page.operations.push(op);
    }
    page
}

/// The page's lines, with comments (`.. text` and what is indented under it)
/// blanked: the pages comment out whole operation sections that way.
fn uncommented(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start();
        let comment = t == ".."
            || t.strip_prefix("..").is_some_and(|r| {
                r.starts_with(char::is_whitespace)
                    && !r.contains("::")
                    && !r.trim_start().starts_with(['_', '|', '['])
            });
        if !comment {
            i += 1;
            continue;
        }
        let base = indent(&lines[i]);
        lines[i].clear();
        i += 1;
        while i < lines.len() {
            let next = lines[i..].iter().find(|l| !l.trim().is_empty());
            if next.is_none_or(|l| indent(l) <= base) {
                break;
            }
            lines[i].clear();
            i += 1;
        }
    }
    lines
}

/// Adds `method` unless it is there.
fn push_method(methods: &mut Vec<(String, usize)>, method: String, line: usize) {
    if !methods.iter().any(|(m, _)| *m == method) {
        methods.push((method, line));
    }
}

/// The value of a `| Name: value` line (case-insensitive name), if it is one.
fn field<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let rest = line
        .trim_start()
        .strip_prefix('|')
        .unwrap_or(line)
        .trim_start();
    let (key, value) = rest.split_once(':')?;
    key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
}

/// `https://host/path?query` → (`host/path`, `query`).
fn strip_url(url: &str) -> (String, String) {
    let url = url.trim_matches(|c| c == '\'' || c == '"' || c == '<' || c == '>');
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    match rest.split_once('?') {
        Some((path, query)) => (path.to_owned(), query.to_owned()),
        None => (rest.to_owned(), String::new()),
    }
}

/// The HTTP methods named in `GET & POST`, `POST, GET`...
fn method_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&w.to_uppercase().as_str()))
        .map(str::to_uppercase)
        .collect()
}

/// The section titles (a text line under, or between, a line of one repeated
/// punctuation character), with levels in order of first appearance of each style.
fn titles(lines: &[&str]) -> Vec<Title> {
    let adornment = |l: &str| {
        let l = l.trim_end();
        let mut chars = l.chars();
        match chars.next() {
            Some(c) if l.len() >= 3 && "=-~^*#+\"'`_:.".contains(c) => {
                chars.all(|x| x == c).then_some(c)
            }
            _ => None,
        }
    };
    let mut styles: Vec<(char, bool)> = Vec::new();
    let mut out = Vec::new();
    for i in 0..lines.len().saturating_sub(1) {
        let text = lines[i].trim();
        if text.is_empty() || adornment(lines[i]).is_some() || lines[i].starts_with(' ') {
            continue;
        }
        let Some(under) = adornment(lines[i + 1]) else {
            continue;
        };
        let over = i > 0 && adornment(lines[i - 1]) == Some(under);
        let style = (under, over);
        let level = match styles.iter().position(|s| *s == style) {
            Some(p) => p,
            None => {
                styles.push(style);
                styles.len() - 1
            }
        };
        out.push(Title {
            line: i,
            text: text.to_owned(),
            level,
        });
    }
    out
}

/// A simple table: `====  ====` borders, a header, rows.
#[derive(Debug)]
struct Table {
    /// The line of its first border (0-based).
    start: usize,
    header: Vec<String>,
    /// Each row: its line (1-based) and its cells.
    rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    /// A table of request parameters: first column `Parameter`, a `Required` column.
    fn is_parameters(&self) -> bool {
        self.header
            .first()
            .is_some_and(|h| h.eq_ignore_ascii_case("parameter"))
            && self.required_column().is_some()
    }

    fn required_column(&self) -> Option<usize> {
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case("required"))
    }

    /// The rows, with the object tables their descriptions refer to.
    fn rows(&self, objects: &[(String, &Table)]) -> Vec<Row> {
        let required = self.required_column().unwrap_or(1);
        self.rows
            .iter()
            .map(|(line, cells)| {
                let text = cells.join(" ");
                let nested = refs(&text)
                    .into_iter()
                    .filter_map(|r| objects.iter().find(|(title, _)| *title == r))
                    .flat_map(|(_, t)| t.rows(&[]))
                    .collect::<Vec<_>>();
                Row {
                    name: cells[0].split_whitespace().next().unwrap_or("").to_owned(),
                    required: yes_no(cells.get(required).map_or("", String::as_str)),
                    line: *line,
                    text,
                    nested,
                }
            })
            .collect()
    }
}

/// The targets of `:ref:`text <Target>`` roles, lowercase.
fn refs(text: &str) -> Vec<String> {
    text.split(":ref:`")
        .skip(1)
        .filter_map(|r| {
            let r = r.split('`').next()?;
            let target = r.rsplit_once('<').map_or(r, |(_, t)| t);
            Some(target.trim_end_matches('>').trim().to_lowercase())
        })
        .collect()
}

fn yes_no(cell: &str) -> Option<bool> {
    let word = cell.split_whitespace().next()?.to_lowercase();
    let word = word.trim_matches(|c: char| !c.is_ascii_alphabetic());
    match word {
        "yes" | "required" => Some(true),
        "no" | "optional" => Some(false),
        _ => None,
    }
}

/// Every simple table of the page.
fn tables(lines: &[&str]) -> Vec<Table> {
    let border = |l: &str| {
        let t = l.trim();
        !t.is_empty() && t.contains(' ') && t.chars().all(|c| c == '=' || c == ' ')
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !border(lines[i]) {
            i += 1;
            continue;
        }
        let columns = columns(lines[i]);
        let Some(second) = (i + 1..lines.len()).find(|&j| border(lines[j])) else {
            break;
        };
        let third = (second + 1..lines.len())
            .find(|&j| border(lines[j]) || lines[j].trim().is_empty() && !continues(lines, j))
            .unwrap_or(lines.len());
        let header = (i + 1..second)
            .map(|j| cells(lines[j], &columns))
            .fold(vec![String::new(); columns.len()], merge);
        let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
        for (j, line) in lines.iter().enumerate().take(third).skip(second + 1) {
            if line.trim().is_empty() {
                continue;
            }
            let row = cells(line, &columns);
            match rows.last_mut() {
                Some((_, last)) if row[0].is_empty() => *last = merge(std::mem::take(last), row),
                _ => rows.push((j + 1, row)),
            }
        }
        out.push(Table {
            start: i,
            header: header.into_iter().map(|h| h.trim().to_owned()).collect(),
            rows,
        });
        i = third + 1;
    }
    out
}

/// A blank line inside a table's body: the next non-blank line is a row of it.
fn continues(lines: &[&str], j: usize) -> bool {
    lines[j..]
        .iter()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.starts_with(' ') && !l.trim_start().starts_with(".."))
}

/// The start column of each `===` run of a border.
fn columns(border: &str) -> Vec<usize> {
    let chars: Vec<char> = border.chars().collect();
    (0..chars.len())
        .filter(|&k| chars[k] == '=' && (k == 0 || chars[k - 1] == ' '))
        .collect()
}

/// A line cut at the columns' starts (the last cell runs to the end).
fn cells(line: &str, columns: &[usize]) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::with_capacity(columns.len());
    for (k, &from) in columns.iter().enumerate() {
        let to = columns
            .get(k + 1)
            .copied()
            .unwrap_or(chars.len())
            .min(chars.len());
        let from = from.min(to);
        out.push(chars[from..to].iter().collect::<String>().trim().to_owned());
    }
    out
}

fn merge(mut a: Vec<String>, b: Vec<String>) -> Vec<String> {
    for (x, y) in a.iter_mut().zip(b) {
        if !y.is_empty() {
            if !x.is_empty() {
                x.push(' ');
            }
            x.push_str(&y);
        }
    }
    a
}

/// A `.. code-block::` directive's content.
struct Block {
    /// The directive's line (1-based).
    line: usize,
    /// The content lines, dedented, each with its line number.
    content: Vec<(usize, String)>,
    /// The last line of text before the directive.
    caption: Option<String>,
}

fn code_blocks(lines: &[&str]) -> Vec<Block> {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        let Some(rest) = t.strip_prefix("..") else {
            continue;
        };
        if !rest.trim_start().starts_with("code-block") {
            continue;
        }
        let base = indent(line);
        let body: Vec<usize> = (i + 1..lines.len())
            .take_while(|&j| lines[j].trim().is_empty() || indent(lines[j]) > base)
            .collect();
        let common = body
            .iter()
            .filter(|&&j| !lines[j].trim().is_empty())
            .map(|&j| indent(lines[j]))
            .min()
            .unwrap_or(0);
        let content = body
            .iter()
            .map(|&j| {
                (
                    j + 1,
                    lines[j].get(common..).unwrap_or("").trim_end().to_owned(),
                )
            })
            .collect();
        let caption = lines[..i]
            .iter()
            .rev()
            .map(|l| l.trim())
            .find(|l| !l.is_empty())
            .map(str::to_owned);
        out.push(Block {
            line: i + 1,
            content,
            caption,
        });
    }
    out
}

/// Reads one code block into the operation: a cURL request, an answer with its
/// status line, or a bare JSON block (a request before the response part, else a
/// 200 answer).
fn read_block(block: &Block, op: &mut DocOperation, in_request: bool, page: &mut Page) {
    let caption = block.caption.as_deref();
    let first = block.content.iter().find(|(_, l)| !l.trim().is_empty());
    let Some((first_line, first)) = first else {
        return;
    };
    let text: String = block
        .content
        .iter()
        .map(|(_, l)| l.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let trimmed = first.trim_start_matches('$').trim_start();
    if trimmed.starts_with("curl ") {
        read_curl(&text, *first_line, op, page);
    } else if let Some(status) = status_line(first) {
        // The headers end at a blank line, or where the JSON starts without one.
        let rest = block.content.iter().skip_while(|(n, _)| n <= first_line);
        let body: Vec<&(usize, String)> = rest
            .skip_while(|(_, l)| !l.trim().is_empty() && !starts_json(l))
            .skip_while(|(_, l)| l.trim().is_empty())
            .collect();
        let body_line = body.first().map_or(*first_line, |(n, _)| *n);
        let body_text: String = body
            .iter()
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let json_like = body_text.trim_start().starts_with(['{', '[', '"']);
        let json = if json_like {
            parse(&body_text, body_line, page)
        } else {
            None
        };
        // JSON that cannot be read is an erratum, not a text body.
        if json_like && json.is_none() {
            return;
        }
        op.answers.push(Answer {
            line: *first_line,
            status,
            body: json,
            has_body: !body_text.trim().is_empty(),
        });
    } else if first.trim_start().starts_with(['{', '[']) {
        let Some(value) = parse(&text, *first_line, page) else {
            return;
        };
        if in_request {
            op.requests.push(Request {
                line: *first_line,
                method: None,
                place: Place::Body,
                value,
            });
        } else {
            // A bare block that a caption calls an error is a 400's body, as on every
            // page that shows the status.
            let status = if caption.is_some_and(is_error_caption) {
                400
            } else {
                200
            };
            op.answers.push(Answer {
                line: *first_line,
                status,
                body: Some(value),
                has_body: true,
            });
        }
    }
}

/// Whether a line starts a JSON value (`[Redacted Header]` does not).
fn starts_json(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('{')
        || t.starts_with('[') && !t[1..].starts_with(|c: char| c.is_ascii_alphabetic())
}

/// Whether the text before an example says it shows an error.
fn is_error_caption(caption: &str) -> bool {
    let caption = caption.to_lowercase();
    [
        "invalid",
        "error",
        "fail",
        "wrong",
        "not found",
        "does not",
        "doesn't",
    ]
    .iter()
    .any(|w| caption.contains(w))
}

/// `HTTP/1.0 200 OK` → 200.
fn status_line(line: &str) -> Option<u16> {
    let rest = line.trim().strip_prefix("HTTP/")?;
    let code = rest.split_whitespace().nth(1)?;
    code.parse().ok()
}

/// Reads JSON text (repairing its syntax) at `line`; records what was done.
fn parse(text: &str, line: usize, page: &mut Page) -> Option<Value> {
    match json::repair(text, line) {
        Ok((value, repairs)) => {
            page.repairs.extend(repairs);
            Some(value)
        }
        Err(why) => {
            page.unreadable.push((line, why));
            None
        }
    }
}

/// A cURL command: its method, its URL's query string and its `-d` body.
fn read_curl(text: &str, line: usize, op: &mut DocOperation, page: &mut Page) {
    let words = shell::words(text);
    let mut method = None;
    let mut url = None;
    let mut data = None;
    let mut k = 0;
    while k < words.len() {
        let w = words[k].as_str();
        match w {
            "-X" | "--request" => {
                method = words.get(k + 1).map(|m| m.to_uppercase());
                k += 1;
            }
            "-d" | "--data" | "--data-raw" | "--data-binary" => {
                data = words.get(k + 1).cloned();
                k += 1;
            }
            "--url" => {
                url = words.get(k + 1).cloned();
                k += 1;
            }
            "-H" | "--header" => k += 1,
            _ if w.starts_with("http://") || w.starts_with("https://") => {
                url = Some(w.to_owned());
            }
            _ => {}
        }
        k += 1;
    }
    let method = method.unwrap_or_else(|| if data.is_some() { "POST" } else { "GET" }.to_owned());
    let (target, query) = url.as_deref().map(strip_url).unwrap_or_default();
    if target == op.url {
        push_method(&mut op.methods, method.clone(), line);
    }
    if query.is_empty() && data.is_none() {
        op.bare_curls.push((method.clone(), line));
    }
    if !query.is_empty() {
        op.requests.push(Request {
            line,
            method: Some(method.clone()),
            place: Place::Query,
            value: Value::Object(query_object(&query)),
        });
    }
    if let Some(data) = data
        && let Some(value) = parse(&data, line, page)
    {
        op.requests.push(Request {
            line,
            method: Some(method),
            place: Place::Body,
            value,
        });
    }
}

/// `a=1&b=x%40y` → `{"a": "1", "b": "x@y"}` (a repeated key keeps its first value).
fn query_object(query: &str) -> Map<String, Value> {
    let mut out = Map::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        out.entry(percent_decode(k))
            .or_insert_with(|| Value::String(percent_decode(v)));
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if let Some(b) = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok()) =>
            {
                out.push(b);
                i += 3;
                continue;
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
