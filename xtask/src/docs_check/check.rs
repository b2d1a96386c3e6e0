//! The comparison: each page's operations, parameters and examples against the
//! spec's operations, and each spec operation against its tag's page.

use std::collections::BTreeSet;

use serde_json::Value;
use stamps_spec::{Operation, Spec};

use super::rst::{DocOperation, Page, Place, Row};
use super::schema::{self, Keys, Validators};

/// Something the spec and a page disagree on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub page: String,
    pub line: usize,
    pub section: String,
    /// A short id: `operation-missing`, `parameter-undeclared`...
    pub kind: &'static str,
    pub message: String,
}

/// What was checked, for the summary.
#[derive(Debug, Default)]
pub struct Counts {
    /// The distinct spec operations compared with a section.
    pub operations: BTreeSet<String>,
    pub parameters: usize,
    pub requests: usize,
    pub answers: usize,
}

/// A spec operation with its full URL (server and path, no scheme).
struct SpecOp<'a> {
    op: Operation<'a>,
    url: String,
    page: Option<String>,
}

pub struct Checker<'a> {
    spec: &'a Spec,
    ops: Vec<SpecOp<'a>>,
    validators: Validators,
    pub findings: Vec<Finding>,
    pub counts: Counts,
}

/// Where the finding is: the page, the operation section and the line.
struct At<'p> {
    page: &'p str,
    section: &'p str,
}

impl<'a> Checker<'a> {
    pub fn new(spec: &'a Spec) -> Checker<'a> {
        let default_server = server(&spec.doc["servers"]);
        let pages: Vec<(&str, Option<String>)> = spec
            .tags()
            .into_iter()
            .map(|(name, tag)| (name, tag["externalDocs"]["url"].as_str().map(page_of_url)))
            .collect();
        let ops = spec
            .operations()
            .into_iter()
            .map(|op| {
                let own = server(&spec.doc["paths"][op.path]["servers"]);
                let base = own
                    .or_else(|| server(&op.object["servers"]))
                    .or(default_server.clone());
                let page = pages
                    .iter()
                    .find(|(t, _)| *t == op.tag)
                    .and_then(|(_, p)| p.clone());
                SpecOp {
                    url: format!("{}{}", base.unwrap_or_default(), op.path),
                    op,
                    page,
                }
            })
            .collect();
        Checker {
            spec,
            ops,
            validators: Validators::new(spec),
            findings: Vec::new(),
            counts: Counts::default(),
        }
    }

    fn find(&mut self, at: &At<'_>, line: usize, kind: &'static str, message: String) {
        self.findings.push(Finding {
            page: at.page.to_owned(),
            line,
            section: at.section.to_owned(),
            kind,
            message,
        });
    }

    /// The spec operation for `method` on `url`.
    fn op(&self, method: &str, url: &str) -> Option<Operation<'a>> {
        self.ops
            .iter()
            .find(|o| o.op.method == method && o.url == url)
            .map(|o| o.op)
    }

    /// Checks every operation section of `page`.
    pub fn page(&mut self, page: &Page) {
        for doc in &page.operations {
            let at = At {
                page: &page.name,
                section: &doc.section,
            };
            self.operation(&at, doc);
        }
    }

    /// The spec operations whose tag's page is `page` and which it does not document.
    pub fn undocumented(&mut self, pages: &[Page]) {
        let mut found = Vec::new();
        for o in &self.ops {
            let documented = pages
                .iter()
                .filter(|p| o.page.as_deref() == Some(p.name.as_str()))
                .flat_map(|p| &p.operations)
                .any(|d| d.url == o.url && d.methods.iter().any(|(m, _)| m == o.op.method));
            if documented || mark(o.op.object, None).is_some() {
                continue;
            }
            let page = o.page.clone().unwrap_or_else(|| "(no page)".to_owned());
            let read = pages.iter().any(|p| Some(&p.name) == o.page.as_ref());
            let why = if read {
                ""
            } else {
                " (the page was not found)"
            };
            found.push(Finding {
                page,
                line: 0,
                section: String::new(),
                kind: "operation-undocumented",
                message: format!(
                    "{} ({} {}) is in the spec, but its tag's page does not document it{why}",
                    o.op.id, o.op.method, o.op.path
                ),
            });
        }
        self.findings.extend(found);
    }

    fn operation(&mut self, at: &At<'_>, doc: &DocOperation) {
        if doc.methods.is_empty() {
            self.find(
                at,
                doc.line,
                "operation-method",
                format!("{} names no method", doc.url),
            );
            return;
        }
        let mut ops = Vec::new();
        for (method, line) in &doc.methods {
            match self.op(method, &doc.url) {
                Some(op) => ops.push(op),
                None => self.find(
                    at,
                    *line,
                    "operation-missing",
                    format!(
                        "{method} {} is documented, but the spec has no such operation",
                        doc.url
                    ),
                ),
            }
        }
        self.counts
            .operations
            .extend(ops.iter().map(|o| o.id.to_owned()));
        for op in &ops {
            self.parameters(at, doc, op);
            self.body_and_auth(at, doc, op);
        }
        for request in &doc.requests {
            self.counts.requests += 1;
            let target = match &request.method {
                Some(m) => ops.iter().find(|o| o.method == m),
                // A JSON block is a body: the POST form, if there is one.
                None => ops
                    .iter()
                    .find(|o| o.request_schema().is_some())
                    .or(ops.first()),
            };
            if let Some(op) = target {
                self.request(at, request.line, request.place, &request.value, op);
            }
        }
        let Some(primary) = ops.first() else {
            return;
        };
        for answer in &doc.answers {
            self.counts.answers += 1;
            self.answer(at, answer, primary);
        }
    }

    /// A body the spec requires that the page's examples never send, and the
    /// page's "Requires authentication" against the operation's security.
    fn body_and_auth(&mut self, at: &At<'_>, doc: &DocOperation, op: &Operation<'a>) {
        let bare = doc.bare_curls.iter().find(|(m, _)| m == op.method);
        let sends_body = doc
            .requests
            .iter()
            .any(|r| r.place == Place::Body && r.method.as_deref().is_none_or(|m| m == op.method));
        if let Some((_, line)) = bare
            && !sends_body
            && op.object["requestBody"]["required"] == true
            && mark(op.object, Some("requestBody")).is_none()
        {
            self.find(
                at,
                *line,
                "request-body-required",
                format!(
                    "{}: the spec requires a request body, but the page's example sends none",
                    op.id
                ),
            );
        }
        let security = op
            .object
            .get("security")
            .unwrap_or(&self.spec.doc["security"]);
        let public = security
            .as_array()
            .is_none_or(|s| s.is_empty() || s.iter().any(|r| stamps_spec::object(r).is_empty()));
        if let Some((documented, line)) = doc.auth
            && documented == public
            && mark(op.object, Some("security")).is_none()
        {
            let (page, spec) = if documented {
                ("Yes", "none")
            } else {
                ("No", "a credential")
            };
            self.find(
                at,
                line,
                "operation-auth",
                format!("{}: the page says \"Requires authentication: {page}\", but the spec requires {spec}", op.id),
            );
        }
    }

    /// The names an operation takes: its parameters, and its body's properties.
    fn inputs(&self, op: &Operation<'a>) -> (Vec<&'a Value>, Keys<'a>) {
        let params = op.parameters(self.spec);
        let body = match op.request_schema() {
            Some(s) => schema::keys(self.spec, s),
            None => Keys::Declared(Vec::new()),
        };
        (params, body)
    }

    fn parameters(&mut self, at: &At<'_>, doc: &DocOperation, op: &Operation<'a>) {
        let (params, body) = self.inputs(op);
        let examples: Vec<&Value> = doc
            .requests
            .iter()
            .filter(|r| r.method.as_deref().is_none_or(|m| m == op.method))
            .filter(|r| (r.place == Place::Body) == op.request_schema().is_some())
            .map(|r| &r.value)
            .collect();
        for row in &doc.params {
            if HEADERS.iter().any(|h| row.name.eq_ignore_ascii_case(h)) || row.name.is_empty() {
                // Headers: the spec's security schemes and media types say them.
                continue;
            }
            self.counts.parameters += 1;
            let names: Vec<&str> = row.name.split('/').collect();
            let param = params
                .iter()
                .find(|p| names.contains(&p["name"].as_str().unwrap_or("")));
            let property = match &body {
                Keys::Declared(props) => props.iter().find(|(n, _)| names.contains(n)),
                _ => None,
            };
            let open = matches!(body, Keys::Map(_) | Keys::Free) && op.request_schema().is_some();
            let (spot, required): (Vec<&Value>, bool) = match (param, property) {
                (Some(p), _) => (vec![*p], p["required"] == true),
                (None, Some((name, schemas))) => {
                    let required = op
                        .request_schema()
                        .is_some_and(|s| schema::requires(self.spec, s, name));
                    (schemas.clone(), required)
                }
                (None, None) if open => continue,
                (None, None) => {
                    if !copied(op.object, &row.name) && mark(op.object, Some(&row.name)).is_none() {
                        self.find(
                            at,
                            row.line,
                            "parameter-undeclared",
                            format!(
                                "{}: the table's parameter `{}` is not declared",
                                op.id, row.name
                            ),
                        );
                    }
                    continue;
                }
            };
            if names.len() == 1 {
                let sent = examples
                    .iter()
                    .all(|e| !e.is_object() || e.get(&row.name).is_some());
                let expected = row.required.map(|r| r && sent);
                if let Some(expected) = expected
                    && expected != required
                    && schema::covering(self.spec, &spot, None).is_none()
                {
                    let why = match (expected, row.required) {
                        (true, _) => "the table says Yes and every example sends it",
                        (false, Some(true)) => "the table says Yes, but an example leaves it out",
                        (false, _) => "the table says No",
                    };
                    let now = if required { "required" } else { "optional" };
                    self.find(
                        at,
                        row.line,
                        "parameter-requiredness",
                        format!("{}: `{}` is {now} in the spec, but {why}", op.id, row.name),
                    );
                }
            }
            if !row.nested.is_empty() {
                let nested: Vec<&Value> = spot
                    .iter()
                    .flat_map(|s| {
                        let items = schema::items(self.spec, s);
                        if items.is_empty() { vec![*s] } else { items }
                    })
                    .collect();
                self.nested(at, op, &row.name, &row.nested, &nested);
            }
        }
    }

    /// The rows of an object table against the schemas of the field that holds them.
    fn nested(
        &mut self,
        at: &At<'_>,
        op: &Operation<'a>,
        field: &str,
        rows: &[Row],
        schemas: &[&'a Value],
    ) {
        for row in rows {
            self.counts.parameters += 1;
            let names: Vec<&str> = row.name.split('/').collect();
            let mut declared = false;
            let mut free = false;
            for s in schemas {
                match schema::keys(self.spec, s) {
                    Keys::Declared(props) => {
                        declared |= props.iter().any(|(n, _)| names.contains(n))
                    }
                    _ => free = true,
                }
            }
            if !declared && !free && schema::covering(self.spec, schemas, Some(&row.name)).is_none()
            {
                self.find(
                    at,
                    row.line,
                    "parameter-undeclared",
                    format!(
                        "{}: the object table's `{}` (in `{field}`) is not declared",
                        op.id, row.name
                    ),
                );
            }
        }
    }

    /// A request example: its fields declared, its value accepted.
    fn request(
        &mut self,
        at: &At<'_>,
        line: usize,
        place: Place,
        value: &Value,
        op: &Operation<'a>,
    ) {
        let body = op.request_schema().filter(|_| place == Place::Body);
        if let Some(schema) = body {
            for (path, message) in self.validators.errors(schema, value) {
                let spot = schema::at_path(self.spec, schema, &path);
                if schema::covering(self.spec, &spot, None).is_none() {
                    self.find(
                        at,
                        line,
                        "request-refused",
                        format!(
                            "{}: the request example is refused at `{path}`: {message}",
                            op.id
                        ),
                    );
                }
            }
            self.undeclared(at, line, op, "request example", value, schema, "");
            return;
        }
        let params = op.parameters(self.spec);
        for (name, v) in stamps_spec::object(value) {
            let Some(param) = params.iter().find(|p| p["name"] == name.as_str()) else {
                if !copied(op.object, name) && mark(op.object, Some(name)).is_none() {
                    let noun = if place == Place::Query {
                        "query parameter"
                    } else {
                        "field"
                    };
                    self.find(
                        at,
                        line,
                        "example-undeclared",
                        format!(
                            "{}: the request example's {noun} `{name}` is not declared",
                            op.id
                        ),
                    );
                }
                continue;
            };
            // A query value is text; the schema says what it means (`14`, `true`), and
            // an array is the key repeated.
            let read = v
                .as_str()
                .and_then(|s| serde_json::from_str::<Value>(s).ok());
            let mut candidates = vec![v.clone()];
            candidates.extend(read);
            if self.spec.resolve(&param["schema"])["type"] == "array" {
                let items: Vec<Value> = candidates
                    .iter()
                    .map(|c| Value::Array(vec![c.clone()]))
                    .collect();
                candidates.extend(items);
            }
            let ok = candidates
                .iter()
                .any(|c| self.validators.errors(&param["schema"], c).is_empty());
            if !ok && schema::covering(self.spec, &[*param, &param["schema"]], None).is_none() {
                self.find(
                    at,
                    line,
                    "request-refused",
                    format!(
                        "{}: the request example's `{name}` = {v} is refused by its schema",
                        op.id
                    ),
                );
            }
        }
    }

    fn answer(&mut self, at: &At<'_>, answer: &super::rst::Answer, op: &Operation<'a>) {
        let status = answer.status.to_string();
        let Some(response) = op
            .response(self.spec, &status)
            .or_else(|| op.response(self.spec, "default"))
        else {
            if mark(op.object, Some(&status)).is_none() {
                self.find(
                    at,
                    answer.line,
                    "status-undeclared",
                    format!("{}: the page shows a {status} answer, which the operation does not declare", op.id),
                );
            }
            return;
        };
        let schema = &response["content"]["application/json"]["schema"];
        match (&answer.body, schema.is_null()) {
            (Some(body), false) => {
                for (path, message) in self.validators.errors(schema, body) {
                    let spot = schema::at_path(self.spec, schema, &path);
                    if schema::covering(self.spec, &spot, None).is_none() {
                        self.find(
                            at,
                            answer.line,
                            "answer-refused",
                            format!("{}: the {status} example is refused at `{path}`: {message}", op.id),
                        );
                    }
                }
                self.undeclared(at, answer.line, op, &format!("{status} example"), body, schema, "");
            }
            (Some(_), true) => self.find(
                at,
                answer.line,
                "answer-refused",
                format!("{}: the {status} example is JSON, but the spec's {status} declares no JSON body", op.id),
            ),
            (None, false) if answer.has_body && !declares_text(response) => self.find(
                at,
                answer.line,
                "answer-refused",
                format!("{}: the {status} example is not JSON, but the spec's {status} declares only JSON", op.id),
            ),
            _ => {}
        }
    }

    /// Fields of `value` that `schema` does not declare, recursively.
    #[allow(clippy::too_many_arguments)]
    fn undeclared(
        &mut self,
        at: &At<'_>,
        line: usize,
        op: &Operation<'a>,
        what: &str,
        value: &Value,
        schema: &'a Value,
        path: &str,
    ) {
        match value {
            // OpenAPI 3.0.3: `nullable` adds `null` only to a `type` of the same schema
            // object; beside an `allOf` or a `$ref` alone, validators ignore it.
            Value::Null
                if schema["nullable"] == true
                    && schema.get("type").is_none()
                    && schema::covering(self.spec, &[schema], None).is_none() =>
            {
                self.find(
                    at,
                    line,
                    "nullable-ignored",
                    format!(
                        "{}: the {what} has `null` at `{path}`, whose schema says `nullable` beside no `type`, which OpenAPI 3.0.3 ignores: validators refuse the null",
                        op.id
                    ),
                );
            }
            Value::Object(members) => {
                let keys = schema::keys(self.spec, schema);
                for (name, v) in members {
                    let inner = format!("{path}/{name}");
                    match &keys {
                        Keys::Declared(props) => match props.iter().find(|(n, _)| n == name) {
                            Some((_, schemas)) => {
                                for s in schemas.clone() {
                                    self.undeclared(at, line, op, what, v, s, &inner);
                                }
                            }
                            None => {
                                let top = path.is_empty()
                                    && (copied(op.object, name)
                                        || mark(op.object, Some(name)).is_some());
                                if !top
                                    && schema::covering(self.spec, &[schema], Some(name)).is_none()
                                {
                                    self.find(
                                        at,
                                        line,
                                        "field-undeclared",
                                        format!("{}: the {what} has `{inner}`, which the schema does not declare", op.id),
                                    );
                                }
                            }
                        },
                        Keys::Map(Some(s)) => self.undeclared(at, line, op, what, v, s, &inner),
                        Keys::Map(None) | Keys::Free => {}
                    }
                }
            }
            Value::Array(items) => {
                let schemas = schema::items(self.spec, schema);
                for (k, v) in items.iter().enumerate() {
                    for s in &schemas {
                        self.undeclared(at, line, op, what, v, s, &format!("{path}/{k}"));
                    }
                }
            }
            _ => {}
        }
    }

    /// The findings, sorted and without repeats (one field found through two
    /// compositions is one finding).
    pub fn into_findings(self) -> Vec<Finding> {
        let set: BTreeSet<Finding> = self.findings.into_iter().collect();
        set.into_iter().collect()
    }
}

/// Table rows that are HTTP headers, not parameters.
const HEADERS: &[&str] = &["Authorization", "Content-Type", "Accept", "Expect"];

/// Whether the client sends the credential as `name` in the body or the query of
/// this operation (`x-stamps-credential-copy`), so that the page's `name` is declared.
fn copied(operation: &Value, name: &str) -> bool {
    operation["x-stamps-credential-copy"]["name"] == name
}

/// The mark of an operation (or parameter) covering `name`.
fn mark<'v>(object: &'v Value, name: Option<&str>) -> Option<&'v str> {
    object[schema::MARK]
        .as_str()
        .filter(|m| schema::names(m, name))
}

/// Whether a response declares a text (HTML) body.
fn declares_text(response: &Value) -> bool {
    stamps_spec::object(&response["content"])
        .keys()
        .any(|k| k.starts_with("text/"))
}

/// The first server's URL without its scheme or trailing slash.
fn server(servers: &Value) -> Option<String> {
    let url = servers[0]["url"].as_str()?;
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    Some(rest.trim_end_matches('/').to_owned())
}

/// `https://docs.stamps.co.id/en/latest/token_api.html` → `token_api.rst`.
fn page_of_url(url: &str) -> String {
    let last = url.rsplit('/').next().unwrap_or(url);
    let stem = last
        .split('#')
        .next()
        .unwrap_or(last)
        .trim_end_matches(".html");
    format!("{stem}.rst")
}
