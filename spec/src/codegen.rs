//! Passes over progenitor's output (the `codegen` feature, for build.rs): what the
//! generator settings cannot say.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::Spec;

/// The component schemas a caller may build: those reachable (transitively) from a
/// request body or parameter. Computed on the whole spec, so that a type's API does
/// not change with the enabled features.
pub fn input_schemas(spec: &Spec) -> BTreeSet<String> {
    let mut todo: Vec<&Value> = Vec::new();
    for op in spec.operations() {
        todo.push(&op.object["requestBody"]);
        todo.push(&op.object["parameters"]);
    }
    let mut found = BTreeSet::new();
    while let Some(value) = todo.pop() {
        match value {
            Value::Object(members) => {
                if let Some(name) = members
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    && found.insert(name.to_owned())
                {
                    todo.push(&spec.doc["components"]["schemas"][name]);
                }
                if let Some(reference) = members.get("$ref").and_then(Value::as_str)
                    && !reference.starts_with("#/components/schemas/")
                {
                    todo.push(spec.resolve(value));
                }
                todo.extend(members.values());
            }
            Value::Array(items) => todo.extend(items),
            _ => {}
        }
    }
    found
}

/// Removes typify's builder (`types::builder::X`, its impls, and `X::builder()`) for
/// every component schema `X` that is not in `keep`: a type only ever decoded from an
/// answer needs none. Returns how many builders it removed.
pub fn prune_builders(
    file: &mut syn::File,
    schemas: &BTreeSet<String>,
    keep: &BTreeSet<String>,
) -> usize {
    let drop: BTreeSet<String> = schemas
        .iter()
        .filter(|s| !keep.contains(*s))
        .map(|s| crate::pagination::pascal_case(s))
        .collect();
    let Some(types) = module(&mut file.items, "types") else {
        return 0;
    };
    let mut removed = 0;
    if let Some(builder) = module(types, "builder") {
        builder.retain(|item| match item {
            syn::Item::Struct(s) if drop.contains(&s.ident.to_string()) => {
                removed += 1;
                false
            }
            syn::Item::Impl(i) => !self_type(i).is_some_and(|t| drop.contains(&t)),
            _ => true,
        });
    }
    // `impl X { pub fn builder() -> builder::X }`
    types.retain_mut(|item| {
        let syn::Item::Impl(i) = item else {
            return true;
        };
        if i.trait_.is_some() || !self_type(i).is_some_and(|t| drop.contains(&t)) {
            return true;
        }
        i.items
            .retain(|f| !matches!(f, syn::ImplItem::Fn(f) if f.sig.ident == "builder"));
        !i.items.is_empty()
    });
    removed
}

/// Marks the client's method of every operation the spec declares `deprecated: true`
/// with `#[deprecated]` (progenitor only drops the flag), naming the replacement the
/// operation's description gives; returns how many it marked.
pub fn mark_deprecated(file: &mut syn::File, spec: &Spec) -> usize {
    let deprecated: Vec<String> = spec
        .operations()
        .iter()
        .filter(|op| op.object["deprecated"] == true)
        .map(|op| op.id.to_owned())
        .collect();
    let mut marked = 0;
    for item in &mut file.items {
        let syn::Item::Impl(i) = item else { continue };
        if i.trait_.is_some() || self_type(i).as_deref() != Some("Client") {
            continue;
        }
        for f in &mut i.items {
            if let syn::ImplItem::Fn(f) = f
                && deprecated.iter().any(|id| f.sig.ident == id)
            {
                f.attrs.push(syn::parse_quote!(
                    #[deprecated(note = "a legacy (v1) endpoint; the docs recommend its v2 counterpart")]
                ));
                marked += 1;
            }
        }
    }
    marked
}

fn module<'a>(items: &'a mut [syn::Item], name: &str) -> Option<&'a mut Vec<syn::Item>> {
    items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The last segment of an impl's self type: `X` for `impl .. for super::X`.
fn self_type(i: &syn::ItemImpl) -> Option<String> {
    match &*i.self_ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deprecated_operations_get_the_attribute() {
        let spec = Spec::from_yaml(
            "paths: {/a: {post: {operationId: old, deprecated: true}}, /b: {post: {operationId: new}}}",
        )
        .unwrap();
        let mut file: syn::File =
            syn::parse_str("impl Client { pub fn old(&self) {} pub fn new(&self) {} }").unwrap();
        assert_eq!(mark_deprecated(&mut file, &spec), 1);
        let code = quote::quote!(#file).to_string();
        assert!(code.contains("# [deprecated"), "{code}");
        assert_eq!(code.matches("deprecated").count(), 1, "{code}");
    }

    #[test]
    fn inputs_reach_through_bodies_parameters_and_nested_schemas() {
        let spec = Spec::from_yaml(
            r##"
paths:
  /a:
    post:
      operationId: a
      parameters: [{$ref: '#/components/parameters/P'}]
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Req'}}}}
      responses: {'200': {content: {application/json: {schema: {$ref: '#/components/schemas/Resp'}}}}}
components:
  parameters:
    P: {name: p, in: query, schema: {$ref: '#/components/schemas/Param'}}
  schemas:
    Req: {type: object, properties: {item: {$ref: '#/components/schemas/Item'}}}
    Item: {type: object}
    Param: {type: string}
    Resp: {type: object}
"##,
        )
        .unwrap();
        assert_eq!(
            input_schemas(&spec).into_iter().collect::<Vec<_>>(),
            ["Item", "Param", "Req"]
        );
    }

    #[test]
    fn removes_the_builders_of_answer_types_only() {
        let mut file: syn::File = syn::parse_str(
            "pub mod types {
                pub struct Req {}
                impl Req { pub fn builder() -> builder::Req { todo!() } }
                pub struct Resp {}
                impl Resp { pub fn builder() -> builder::Resp { todo!() } }
                impl From<&Resp> for Resp { fn from(r: &Resp) -> Resp { todo!() } }
                pub mod builder {
                    pub struct Req {}
                    pub struct Resp {}
                    impl Default for Resp { fn default() -> Self { todo!() } }
                    impl Resp { pub fn x(self) -> Self { self } }
                    impl TryFrom<Resp> for super::Resp { type Error = (); fn try_from(_: Resp) -> Result<super::Resp, ()> { todo!() } }
                    impl From<super::Resp> for Resp { fn from(_: super::Resp) -> Resp { todo!() } }
                }
            }",
        )
        .unwrap();
        let schemas = ["Req".to_owned(), "Resp".to_owned()].into();
        let removed = prune_builders(&mut file, &schemas, &["Req".to_owned()].into());
        assert_eq!(removed, 1);
        let code = quote::quote!(#file).to_string();
        assert!(!code.contains("builder :: Resp"), "{code}");
        assert!(code.contains("builder :: Req"), "{code}");
        assert!(code.contains("impl From < & Resp > for Resp"), "{code}");
        assert_eq!(code.matches("struct Resp").count(), 1, "{code}");
    }
}
