//! Passes over progenitor's output that shape the calls users write (the `codegen`
//! feature, for build.rs): what `send()` returns, which values setters take, and the
//! merchant a call takes from its client. Each pass returns how many sites it changed,
//! and [`crate::passes::apply`] checks that count against what the spec says it
//! should be.

use std::collections::BTreeSet;

use crate::passes::{module, operation_id, self_type};
use quote::ToTokens;
use stamps_spec::Spec;

/// The extension that marks a parameter, or a request body's property, as the calling
/// merchant: the client fills it in from `ClientBuilder::merchant` unless the call
/// sets it. The spec keeps such fields required, as the API does.
pub const CLIENT_MERCHANT: &str = "x-stamps-client-merchant";

/// Where the spec marks the calling merchant ([`CLIENT_MERCHANT`]).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ClientMerchant {
    /// `(operationId, parameter)` of the marked parameters.
    pub parameters: BTreeSet<(String, String)>,
    /// `(component schema, property)` of the marked body properties.
    pub properties: BTreeSet<(String, String)>,
}

impl ClientMerchant {
    /// Reads the marks of `spec`.
    pub fn of(spec: &Spec) -> Self {
        let mut marks = ClientMerchant::default();
        for op in spec.operations() {
            for parameter in op.object["parameters"].as_array().into_iter().flatten() {
                let parameter = spec.resolve(parameter);
                if parameter[CLIENT_MERCHANT] == true
                    && let Some(name) = parameter["name"].as_str()
                {
                    marks.parameters.insert((op.id.to_owned(), name.to_owned()));
                }
            }
        }
        let schemas = spec.doc["components"]["schemas"].as_object();
        for (name, schema) in schemas.into_iter().flatten() {
            let properties = schema["properties"].as_object();
            for (property, value) in properties.into_iter().flatten() {
                if value[CLIENT_MERCHANT] == true {
                    marks.properties.insert((name.clone(), property.clone()));
                }
            }
        }
        marks
    }

    /// How many sites [`client_merchant`] changes for the operations of `spec`: one per
    /// marked parameter, and one per operation whose body schema has a marked property.
    pub fn sites(&self, spec: &Spec) -> usize {
        let bodies: BTreeSet<&str> = self.properties.iter().map(|(s, _)| s.as_str()).collect();
        spec.operations()
            .iter()
            .map(|op| {
                let parameters = self.parameters.iter().filter(|(id, _)| id == op.id).count();
                let body =
                    op.object["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                        .as_str()
                        .and_then(|r| r.strip_prefix("#/components/schemas/"))
                        .is_some_and(|s| bodies.contains(s));
                parameters + usize::from(body)
            })
            .sum()
    }
}

/// Makes every operation's builder start with the client's merchant (`ClientConfig`'s
/// `merchant`) in the fields the spec marks ([`CLIENT_MERCHANT`]): a call that sets
/// the field overrides it, and a client without a merchant leaves it unset, as before.
/// Returns how many builders' starting values it changed (see [`ClientMerchant::sites`]).
pub fn client_merchant(file: &mut syn::File, marks: &ClientMerchant) -> usize {
    let body_schemas: BTreeSet<String> = marks
        .properties
        .iter()
        .map(|(s, _)| crate::pascal_case(s))
        .collect();
    let mut changed = 0;
    // Each request builder with a marked property learns to take the client's merchant
    // (the builders of this build: the enabled features' schemas).
    if let Some(builder) = module(&mut file.items, "types").and_then(|t| module(t, "builder")) {
        let built: BTreeSet<String> = builder
            .iter()
            .filter_map(|item| match item {
                syn::Item::Struct(s) => Some(s.ident.to_string()),
                _ => None,
            })
            .collect();
        for schema in body_schemas.iter().filter(|s| built.contains(*s)) {
            let fields: Vec<syn::Ident> = marks
                .properties
                .iter()
                .filter(|(s, _)| crate::pascal_case(s) == *schema)
                .map(|(_, p)| quote::format_ident!("{}", p))
                .collect();
            let ty = quote::format_ident!("{}", schema);
            builder.push(syn::parse_quote! {
                impl #ty {
                    /// Starts the marked fields at the client's merchant, if it has one.
                    pub(crate) fn client_merchant(
                        mut self,
                        merchant: ::std::option::Option<crate::MerchantId>,
                    ) -> Self {
                        if let ::std::option::Option::Some(merchant) = merchant {
                            #(self.#fields = Ok(merchant.into());)*
                        }
                        self
                    }
                }
            });
        }
    }
    let Some(builder) = module(&mut file.items, "builder") else {
        return 0;
    };
    // The operation of each builder type, from its `send`, and its body's builder type.
    let mut ids: Vec<(String, String)> = Vec::new();
    let mut bodies: Vec<(String, String)> = Vec::new();
    for item in builder.iter() {
        match item {
            syn::Item::Impl(i) => {
                for f in &i.items {
                    if let syn::ImplItem::Fn(f) = f
                        && f.sig.ident == "send"
                        && let (Some(ty), Some(id)) = (self_type(i), operation_id(&f.block))
                    {
                        ids.push((ty, id));
                    }
                }
            }
            syn::Item::Struct(s) => {
                let body = s
                    .fields
                    .iter()
                    .find(|f| f.ident.as_ref().is_some_and(|i| i == "body"));
                if let Some(schema) = body
                    .and_then(|f| generic_argument(&f.ty, "Result"))
                    .and_then(|t| last_segment(&t))
                {
                    bodies.push((s.ident.to_string(), schema));
                }
            }
            _ => {}
        }
    }
    for item in builder.iter_mut() {
        let syn::Item::Impl(i) = item else { continue };
        let Some(ty) = self_type(i) else { continue };
        let Some((_, id)) = ids.iter().find(|(t, _)| *t == ty) else {
            continue;
        };
        for f in &mut i.items {
            let syn::ImplItem::Fn(f) = f else { continue };
            if f.sig.ident != "new" {
                continue;
            }
            let Some(syn::Stmt::Expr(syn::Expr::Struct(s), None)) = f.block.stmts.last_mut() else {
                continue;
            };
            for field in &mut s.fields {
                let syn::Member::Named(name) = &field.member else {
                    continue;
                };
                let name = name.to_string();
                if marks.parameters.contains(&(id.clone(), name.clone())) {
                    let message = format!(
                        "{name} was not initialized (set it on the call, or on the client with \
                         ClientBuilder::merchant)"
                    );
                    field.expr = syn::parse_quote! {
                        match client.inner.merchant {
                            ::std::option::Option::Some(merchant) => Ok(merchant),
                            ::std::option::Option::None => Err(#message.to_string()),
                        }
                    };
                    changed += 1;
                } else if name == "body"
                    && let Some((_, schema)) = bodies.iter().find(|(t, _)| *t == ty)
                    && body_schemas.contains(schema)
                {
                    let schema = quote::format_ident!("{}", schema);
                    field.expr = syn::parse_quote! {
                        Ok(types::builder::#schema::default().client_merchant(client.inner.merchant))
                    };
                    changed += 1;
                }
            }
        }
    }
    changed
}

/// Makes every operation's `send()` return `crate::Error`, the SDK's one error type,
/// so that `?` keeps the API's code and message in any application, and makes it
/// report every invalid or missing input at once.
///
/// progenitor's `send` becomes the private `send_generated`, unchanged but for its
/// input checks, and `send` maps its error: a function returning the mapped future,
/// not an `async fn`, so that the future does not hold the builder twice. Returns how
/// many `send`s it changed (one per operation).
pub fn sdk_error_send(file: &mut syn::File) -> usize {
    let Some(builder) = module(&mut file.items, "builder") else {
        return 0;
    };
    let mut changed = 0;
    for item in builder.iter_mut() {
        let syn::Item::Impl(i) = item else { continue };
        let Some(index) = i
            .items
            .iter()
            .position(|f| matches!(f, syn::ImplItem::Fn(f) if f.sig.ident == "send"))
        else {
            continue;
        };
        let syn::ImplItem::Fn(generated) = &mut i.items[index] else {
            unreachable!("found as a function above")
        };
        let Some(success) = success_type(&generated.sig.output) else {
            continue;
        };
        all_input_errors(&mut generated.block);
        let docs: Vec<syn::Attribute> = generated
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .cloned()
            .collect();
        generated.sig.ident = syn::Ident::new("send_generated", generated.sig.ident.span());
        generated.vis = syn::Visibility::Inherited;
        generated.attrs.retain(|a| !a.path().is_ident("doc"));
        let send: syn::ImplItemFn = syn::parse_quote! {
            #(#docs)*
            ///
            /// Fails with [`crate::Error`]: every input left unset or invalid at once
            /// ([`InvalidInput`](crate::Error::InvalidInput)), or what the call met.
            pub fn send(
                self,
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<ResponseValue<#success>, crate::Error>,
            > {
                ::futures_util::FutureExt::map(self.send_generated(), |result| {
                    result.map_err(crate::Error::from)
                })
            }
        };
        i.items.insert(index, syn::ImplItem::Fn(send));
        changed += 1;
    }
    changed
}

/// The last segment of a path type: `X` of `types::builder::X`.
fn last_segment(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `T` of `-> Result<ResponseValue<T>, Error<E>>`.
fn success_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let result = generic_argument(ty, "Result")?;
    generic_argument(&result, "ResponseValue")
}

/// The first type argument of `ty` if its last segment is `name`: `X` of `name<X, ..>`.
pub(crate) fn generic_argument(ty: &syn::Type, name: &str) -> Option<syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    }
}

/// Replaces the run of `let x = x.map_err(Error::InvalidRequest)?;` checks at the
/// start of a `send` (one per parameter, and the body's conversion) with one `match`
/// that reports every failed input, not only the first.
fn all_input_errors(block: &mut syn::Block) {
    let mut checks: Vec<(usize, syn::Ident, syn::Expr)> = Vec::new();
    for (index, stmt) in block.stmts.iter().enumerate() {
        match input_check(stmt) {
            Some((name, input)) => checks.push((index, name, input)),
            None if checks.is_empty() => continue,
            None => break,
        }
    }
    if checks.len() < 2 {
        return;
    }
    let first = checks[0].0;
    let names: Vec<&syn::Ident> = checks.iter().map(|(_, n, _)| n).collect();
    let inputs = checks.iter().map(|(_, _, i)| i);
    let merged: syn::Stmt = syn::parse_quote! {
        let (#(#names,)*) = match (#(#inputs,)*) {
            (#(Ok(#names),)*) => (#(#names,)*),
            (#(#names,)*) => {
                return Err(Error::InvalidRequest(crate::error::input_errors(&[
                    #(#names.err(),)*
                ])));
            }
        };
    };
    block.stmts.splice(first..first + checks.len(), [merged]);
}

/// `(x, input)` of `let x = input.map_err(Error::InvalidRequest)?;` where `input`
/// starts with `x` (a builder field, not the URL).
fn input_check(stmt: &syn::Stmt) -> Option<(syn::Ident, syn::Expr)> {
    let syn::Stmt::Local(local) = stmt else {
        return None;
    };
    let syn::Pat::Ident(name) = &local.pat else {
        return None;
    };
    let syn::Expr::Try(t) = &*local.init.as_ref()?.expr else {
        return None;
    };
    let syn::Expr::MethodCall(call) = &*t.expr else {
        return None;
    };
    let maps_to_invalid_request = call.method == "map_err"
        && call.args.len() == 1
        && call.args[0].to_token_stream().to_string() == "Error :: InvalidRequest";
    let mut root = &*call.receiver;
    while let syn::Expr::MethodCall(inner) = root {
        root = &inner.receiver;
    }
    let starts_with_name = matches!(root, syn::Expr::Path(p) if p.path.is_ident(&name.ident));
    (maps_to_invalid_request && starts_with_name)
        .then(|| (name.ident.clone(), (*call.receiver).clone()))
}

/// Whether a request builder's field of type `ty` has a setter [`value_setters`]
/// rewrites: an `Option` or a `Vec`.
pub fn takes_values(ty: &syn::Type) -> bool {
    generic_argument(ty, "Option").is_some() || generic_argument(ty, "Vec").is_some()
}

/// Makes the setters of typify's request builders take plain values for their
/// optional and list fields, as progenitor's parameter setters do:
/// - an optional field takes what its type converts from (`.user("alice@example.com")`,
///   `.name("Alice")`) rather than an `Option` of it;
/// - a list field takes any iterator of values or of builders
///   (`.items([TransactionItem::builder().name("Latte")..])`), each converted, the
///   first failure named.
///
/// Returns how many setters it changed.
pub fn value_setters(file: &mut syn::File) -> usize {
    let Some(builder) = module(&mut file.items, "types").and_then(|t| module(t, "builder")) else {
        return 0;
    };
    let mut changed = 0;
    for item in builder.iter_mut() {
        let syn::Item::Impl(i) = item else { continue };
        if i.trait_.is_some() {
            continue;
        }
        for f in &mut i.items {
            let syn::ImplItem::Fn(f) = f else { continue };
            if rewrite_setter(f) {
                changed += 1;
            }
        }
    }
    changed
}

/// `pub fn f<T>(mut self, value: T) -> Self where T: TryInto<Ty>, T::Error: Display
/// { self.f = value.try_into().map_err(|e| format!(..)); self }`, rewritten for an
/// `Option<..>` or `Vec<..>` `Ty`; whether it was one.
fn rewrite_setter(f: &mut syn::ImplItemFn) -> bool {
    let Some(target) = setter_target(f) else {
        return false;
    };
    let (optional, inner) = match generic_argument(&target, "Option") {
        Some(inner) => (true, inner),
        None => (false, target.clone()),
    };
    let element = generic_argument(&inner, "Vec");
    if !optional && element.is_none() {
        return false;
    }
    let Some(syn::Stmt::Expr(syn::Expr::Assign(assign), _)) = f.block.stmts.first() else {
        return false;
    };
    let field = (*assign.left).clone();
    let syn::Expr::MethodCall(map_err) = &*assign.right else {
        return false;
    };
    if map_err.method != "map_err" {
        return false;
    }
    let report = map_err.args.clone();
    let some = optional.then(|| quote::quote!(.map(::std::option::Option::Some)));
    let (bounds, convert): (syn::WhereClause, syn::Expr) = match &element {
        Some(element) => (
            syn::parse_quote! {
                where
                    T: ::std::iter::IntoIterator,
                    T::Item: ::std::convert::TryInto<#element>,
                    <T::Item as ::std::convert::TryInto<#element>>::Error: ::std::fmt::Display,
            },
            syn::parse_quote! {
                value
                    .into_iter()
                    .map(::std::convert::TryInto::try_into)
                    .collect::<::std::result::Result<::std::vec::Vec<#element>, _>>()
                    #some
                    .map_err(#report)
            },
        ),
        None => (
            syn::parse_quote! {
                where
                    T: ::std::convert::TryInto<#inner>,
                    T::Error: ::std::fmt::Display,
            },
            syn::parse_quote!(value.try_into() #some .map_err(#report)),
        ),
    };
    f.sig.generics.where_clause = Some(bounds);
    f.block.stmts[0] = syn::parse_quote!(#field = #convert;);
    true
}

/// `Ty` of a setter's `where T: TryInto<Ty>` bound.
fn setter_target(f: &syn::ImplItemFn) -> Option<syn::Type> {
    let where_clause = f.sig.generics.where_clause.as_ref()?;
    where_clause.predicates.iter().find_map(|p| {
        let syn::WherePredicate::Type(p) = p else {
            return None;
        };
        if p.bounded_ty.to_token_stream().to_string() != "T" {
            return None;
        }
        p.bounds.iter().find_map(|b| {
            let syn::TypeParamBound::Trait(t) = b else {
                return None;
            };
            let last = t.path.segments.last()?;
            if last.ident != "TryInto" {
                return None;
            }
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                return None;
            };
            match args.args.first()? {
                syn::GenericArgument::Type(ty) => Some(ty.clone()),
                _ => None,
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unparse(file: &syn::File) -> String {
        file.to_token_stream().to_string()
    }

    #[test]
    fn send_maps_its_error_and_reports_every_input() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> GetMember<'a> {
                    ///Sends a `GET` request
                    pub async fn send(self) -> Result<ResponseValue<types::Member>, Error<types::ErrorBody>> {
                        let Self { client, merchant, user } = self;
                        let merchant = merchant.map_err(Error::InvalidRequest)?;
                        let user = user.map_err(Error::InvalidRequest)?;
                        let url = client.url().map_err(Error::InvalidRequest)?;
                        todo!()
                    }
                }
            }
        };
        assert_eq!(sdk_error_send(&mut file), 1);
        let code = unparse(&file);
        assert!(code.contains("async fn send_generated"), "{code}");
        assert!(code.contains("pub fn send (self ,)"), "{code}");
        assert!(code.contains("crate :: Error :: from"), "{code}");
        assert!(
            code.contains("let (merchant , user ,) = match (merchant , user ,)"),
            "{code}"
        );
        assert!(
            code.contains("input_errors (& [merchant . err () , user . err () ,])"),
            "{code}"
        );
        // The URL is not an input: its check stays as it was.
        assert!(
            code.contains("let url = client . url () . map_err (Error :: InvalidRequest) ?"),
            "{code}"
        );
    }

    #[test]
    fn optional_and_list_setters_take_values() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types { pub mod builder {
                impl Sale {
                    pub fn user<T>(mut self, value: T) -> Self
                    where T: ::std::convert::TryInto<::std::option::Option<crate::UserRef>>, T::Error: ::std::fmt::Display,
                    { self.user = value.try_into().map_err(|e| format!("bad user: {e}")); self }
                    pub fn items<T>(mut self, value: T) -> Self
                    where T: ::std::convert::TryInto<::std::vec::Vec<super::Item>>, T::Error: ::std::fmt::Display,
                    { self.items = value.try_into().map_err(|e| format!("bad items: {e}")); self }
                    pub fn value<T>(mut self, value: T) -> Self
                    where T: ::std::convert::TryInto<i64>, T::Error: ::std::fmt::Display,
                    { self.value = value.try_into().map_err(|e| format!("bad value: {e}")); self }
                }
            } }
        };
        assert_eq!(value_setters(&mut file), 2);
        let code = unparse(&file);
        assert!(
            code.contains("T : :: std :: convert :: TryInto < crate :: UserRef >"),
            "{code}"
        );
        assert!(
            code.contains("T :: Item : :: std :: convert :: TryInto < super :: Item >"),
            "{code}"
        );
        assert!(code.contains("TryInto < i64 >"), "{code}");
    }

    #[test]
    fn marked_merchants_are_read_and_counted() {
        let spec = Spec::from_yaml(concat!(
            "paths:\n",
            "  /a: {get: {operationId: a, parameters: [{name: merchant, in: query, x-stamps-client-merchant: true}]}}\n",
            "  /b: {post: {operationId: b, requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/b_request'}}}}}}\n",
            "components:\n",
            "  schemas:\n",
            "    b_request: {properties: {merchant_id: {x-stamps-client-merchant: true}, user: {}}}\n",
        ))
        .unwrap();
        let marks = ClientMerchant::of(&spec);
        assert_eq!(marks.parameters.len(), 1);
        assert!(
            marks
                .properties
                .contains(&("b_request".into(), "merchant_id".into()))
        );
        assert_eq!(marks.sites(&spec), 2);
    }
}
