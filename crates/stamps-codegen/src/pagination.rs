//! The glue between each list operation (`x-stamps-pagination`, read by
//! [`stamps_spec::pagination`]) and the `stamps` crate's `src/pagination.rs`: its
//! builder's `Paginated` impl and its `pages`/`stream`/`collect_all` methods.

use std::fmt::Write as _;

use stamps_spec::pagination::Pagination;

use crate::pascal_case;

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
    use stamps_spec::pagination::Cursor;

    use super::*;

    #[test]
    fn renders_a_cursor_with_a_flag() {
        // What `stamps_spec::pagination` reads from a list with one cursor and a flag.
        let found = [Pagination {
            operation: "list_things".into(),
            page: "Things".into(),
            items: ("things".into(), "Thing".into()),
            cursors: vec![Cursor {
                param: "last_id".into(),
                from: "id".into(),
                from_required: true,
                list: "things".into(),
            }],
            more: Some(("has_next".into(), false)),
        }];
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
}
