//! `x-stamps-pagination`: which list operations page, and how. build.rs renders the
//! glue for each ([`render`]); the stream itself is `stamps::pagination`, written once.
//!
//! ```yaml
//! x-stamps-pagination:
//!   items: transactions          # the 200 body's array of items
//!   cursor:                      # or `cursors:`, a list, for a page with several lists
//!     param: last_transaction_id # the optional parameter that takes the cursor
//!     from: id                   # the field of the last item it comes from
//!     items: transactions        # (in `cursors:` only) the list it follows
//!   more: has_next               # optional: the boolean "more pages" field
//! ```

use std::fmt::Write as _;

use serde_json::Value;

use crate::{Operation, Spec};

/// One paginated operation, checked against the spec.
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    /// The `operationId`.
    pub operation: String,
    /// The 200 body's component name.
    pub page: String,
    /// The items' list field and its items' component name (the first list, for
    /// several cursors).
    pub items: (String, String),
    /// The cursors.
    pub cursors: Vec<Cursor>,
    /// The "more" field and whether the schema requires it.
    pub more: Option<(String, bool)>,
}

/// A cursor: set `param` from field `from` of the last item of list `list`.
#[derive(Clone, Debug, PartialEq)]
pub struct Cursor {
    pub param: String,
    pub from: String,
    /// Whether the item schema requires `from` (the Rust field is then not an `Option`).
    pub from_required: bool,
    pub list: String,
}

/// Every operation's pagination, or the first problem, naming its place in the spec.
pub fn paginations(spec: &Spec) -> Result<Vec<Pagination>, String> {
    spec.operations()
        .iter()
        .filter_map(|op| Some((op, op.extension("pagination")?)))
        .map(|(op, ext)| {
            check(spec, op, ext).map_err(|e| format!("{} x-stamps-pagination: {e}", op.id))
        })
        .collect()
}

fn check(spec: &Spec, op: &Operation<'_>, ext: &Value) -> Result<Pagination, String> {
    let body_ref = &op.object["responses"]["200"]["content"]["application/json"]["schema"];
    let page = component(body_ref).ok_or("the 200 body is not a component `$ref`")?;
    let body = spec.resolve(body_ref);
    let list_of = |field: &str| -> Result<(String, &Value), String> {
        let property = spec.resolve(&body["properties"][field]);
        if property["type"] != "array" {
            return Err(format!("`{field}` is not an array property of {page}"));
        }
        let item = component(&property["items"])
            .ok_or(format!("`{field}` items are not a component `$ref`"))?;
        Ok((item.to_owned(), spec.resolve(&property["items"])))
    };
    let items_field = ext["items"].as_str().ok_or("no `items`")?;
    let (item_type, _) = list_of(items_field)?;
    let raw: Vec<&Value> = match (&ext["cursor"], ext["cursors"].as_array()) {
        (Value::Object(_), None) => vec![&ext["cursor"]],
        (Value::Null, Some(list)) if !list.is_empty() => list.iter().collect(),
        _ => return Err("exactly one of `cursor` and `cursors` (a non-empty list)".to_owned()),
    };
    let mut cursors = Vec::new();
    for c in raw {
        let param = c["param"].as_str().ok_or("a cursor without `param`")?;
        let from = c["from"].as_str().ok_or("a cursor without `from`")?;
        let list = c["items"].as_str().unwrap_or(items_field);
        let declared = op.parameters(spec).into_iter().find(|p| p["name"] == param);
        match declared {
            None => return Err(format!("no parameter `{param}`")),
            Some(p) if p["required"] == true => {
                return Err(format!("`{param}` is required; a cursor must be optional"));
            }
            Some(_) => {}
        }
        let (_, item) = list_of(list)?;
        if item["properties"].get(from).is_none() {
            return Err(format!("the items of `{list}` have no `{from}`"));
        }
        let from_required = required(item, from);
        cursors.push(Cursor {
            param: param.to_owned(),
            from: from.to_owned(),
            from_required,
            list: list.to_owned(),
        });
    }
    let more = match ext["more"].as_str() {
        None => None,
        Some(field) if spec.resolve(&body["properties"][field])["type"] == "boolean" => {
            Some((field.to_owned(), required(body, field)))
        }
        Some(field) => {
            return Err(format!(
                "`more` names `{field}`, not a boolean property of {page}"
            ));
        }
    };
    Ok(Pagination {
        operation: op.id.to_owned(),
        page: page.to_owned(),
        items: (items_field.to_owned(), item_type),
        cursors,
        more,
    })
}

fn component(schema: &Value) -> Option<&str> {
    schema["$ref"]
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

fn required(schema: &Value, field: &str) -> bool {
    schema["required"]
        .as_array()
        .is_some_and(|r| r.iter().any(|f| f == field))
}

/// `list_member_transactions` → `ListMemberTransactions`, progenitor's builder name.
pub fn pascal_case(snake: &str) -> String {
    snake
        .split('_')
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The Rust glue: for each operation, `Paginated` (and, with one cursor,
/// `PaginatedItems`) for its builder, and its `pages`/`stream`/`collect_all` methods.
/// It goes inside the generated module, beside `builder` and `types`.
pub fn render(paginations: &[Pagination]) -> String {
    let mut out = String::new();
    for p in paginations {
        let builder = format!("builder::{}<'a>", pascal_case(&p.operation));
        let page = format!("types::{}", p.page);
        let is_empty = p
            .cursors
            .iter()
            .map(|c| format!("page.{}.is_empty()", c.list))
            .collect::<Vec<_>>()
            .join(" && ");
        let more = match &p.more {
            None => "None".to_owned(),
            Some((field, true)) => format!("Some(page.{field})"),
            Some((field, false)) => format!("page.{field}"),
        };
        let more_arg = if p.more.is_some() { "page" } else { "_page" };
        let mut after = String::from(
            "        let mut next = self.clone();\n        let mut key = Vec::new();\n",
        );
        for c in &p.cursors {
            let value = if c.from_required {
                format!("Some(last.{}.clone())", c.from)
            } else {
                format!("last.{}.clone()", c.from)
            };
            let _ = write!(
                after,
                "        if let Some(cursor) = page.{list}.last().and_then(|last| {value}) {{\n            \
                 key.push(::serde_json::to_value(&cursor).unwrap_or_default());\n            \
                 next = next.{param}(cursor);\n        }}\n",
                list = c.list,
                param = c.param,
            );
        }
        after.push_str(
            "        (!key.is_empty()).then(|| (next, ::serde_json::Value::Array(key)))\n",
        );
        let _ = write!(
            out,
            "impl<'a> crate::pagination::Paginated<'a> for {builder} {{\n    \
             type Page = {page};\n    \
             #[inline]\n    \
             fn fetch(self) -> crate::pagination::PageFuture<'a, Self::Page> {{\n        \
             Box::pin(async move {{ Ok(self.send().await?.into_inner()) }})\n    }}\n    \
             fn is_empty(page: &Self::Page) -> bool {{\n        {is_empty}\n    }}\n    \
             fn more({more_arg}: &Self::Page) -> Option<bool> {{\n        {more}\n    }}\n    \
             fn after(&self, page: &Self::Page) -> Option<(Self, ::serde_json::Value)> {{\n{after}    }}\n}}\n\
             impl<'a> {builder} {{\n    \
             /// Every page of the answer, one call each, keeping the filters set on this builder\n    \
             /// (see [`crate::pagination`]).\n    \
             #[inline]\n    \
             pub fn pages(self) -> ::futures_util::stream::BoxStream<'a, crate::Result<{page}>> {{\n        \
             crate::pagination::pages(self)\n    }}\n",
        );
        if p.cursors.len() == 1 {
            let (field, item) = &p.items;
            let _ = write!(
                out,
                "    /// Every item of every page (see [`crate::pagination`]).\n    \
                 #[inline]\n    \
                 pub fn stream(self) -> ::futures_util::stream::BoxStream<'a, crate::Result<types::{item}>> {{\n        \
                 crate::pagination::items(self)\n    }}\n    \
                 /// Every item of every page, collected.\n    \
                 #[inline]\n    \
                 pub async fn collect_all(self) -> crate::Result<Vec<types::{item}>> {{\n        \
                 crate::pagination::collect_all(self).await\n    }}\n}}\n\
                 impl<'a> crate::pagination::PaginatedItems<'a> for {builder} {{\n    \
                 type Item = types::{item};\n    \
                 fn into_items(page: Self::Page) -> Vec<Self::Item> {{\n        page.{field}\n    }}\n}}\n",
            );
        } else {
            out.push_str("}\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(extension: &str) -> Spec {
        let text = format!(
            r##"
paths:
  /api/things:
    get:
      operationId: list_things
      x-stamps-pagination: {extension}
      parameters:
        - {{name: user, in: query, required: true, schema: {{type: string}}}}
        - {{name: last_id, in: query, schema: {{type: integer}}}}
      responses:
        '200':
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Things'}}
components:
  schemas:
    Things:
      type: object
      properties:
        things: {{type: array, items: {{$ref: '#/components/schemas/Thing'}}}}
        has_next: {{type: boolean}}
    Thing:
      type: object
      required: [id]
      properties:
        id: {{type: integer}}
"##
        );
        Spec::from_yaml(&text).unwrap()
    }

    #[test]
    fn reads_and_renders_a_cursor_with_a_flag() {
        let found = paginations(&spec(
            "{items: things, cursor: {param: last_id, from: id}, more: has_next}",
        ))
        .unwrap();
        assert_eq!(
            found,
            [Pagination {
                operation: "list_things".into(),
                page: "Things".into(),
                items: ("things".into(), "Thing".into()),
                cursors: vec![Cursor {
                    param: "last_id".into(),
                    from: "id".into(),
                    from_required: true,
                    list: "things".into()
                }],
                more: Some(("has_next".into(), false)),
            }]
        );
        let rust = render(&found);
        assert!(rust.contains("for builder::ListThings<'a>"), "{rust}");
        assert!(
            rust.contains("page.things.last().and_then(|last| Some(last.id.clone()))"),
            "{rust}"
        );
        assert!(rust.contains("next = next.last_id(cursor);"), "{rust}");
        assert!(rust.contains("        page.has_next\n"), "{rust}");
        assert!(rust.contains("pub fn stream(self)"), "{rust}");
    }

    #[test]
    fn refuses_what_does_not_fit_the_spec() {
        for (extension, why) in [
            (
                "{items: nope, cursor: {param: last_id, from: id}}",
                "`nope` is not an array property",
            ),
            (
                "{items: things, cursor: {param: user, from: id}}",
                "`user` is required",
            ),
            (
                "{items: things, cursor: {param: after, from: id}}",
                "no parameter `after`",
            ),
            (
                "{items: things, cursor: {param: last_id, from: code}}",
                "have no `code`",
            ),
            (
                "{items: things, cursor: {param: last_id, from: id}, more: things}",
                "not a boolean",
            ),
            ("{items: things}", "exactly one of"),
        ] {
            let error = paginations(&spec(extension)).unwrap_err();
            assert!(
                error.starts_with("list_things x-stamps-pagination: "),
                "{error}"
            );
            assert!(error.contains(why), "{extension}: {error}");
        }
    }

    #[test]
    fn names_builders_as_progenitor_does() {
        assert_eq!(
            pascal_case("list_member_transactions"),
            "ListMemberTransactions"
        );
    }
}
