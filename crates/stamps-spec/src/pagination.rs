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
    fn reads_a_cursor_with_a_flag() {
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
}
