//! Passes over progenitor's output (for the build scripts): what the
//! generator settings cannot say. [`apply`] runs them all, in this order:
//!
//! - [`prune_builders`]: build time (no builders for the types only ever decoded);
//! - [`mark_deprecated`]: the API (`#[deprecated]` on the legacy operations);
//! - [`preparsed_urls`]: allocations (fixed paths use the URLs parsed once);
//! - [`buffered_decode`]: behaviour (answers decode the body the hooks read);
//! - [`cheap_builder_defaults`]: allocations and behaviour (builders start without
//!   allocating, and report every missing field);
//! - [`calls::client_merchant`], [`calls::value_setters`], [`calls::sdk_error_send`]:
//!   the API (the client's merchant, setters taking plain values, `send()` failing
//!   with `stamps::Error`);
//! - [`strip_api_version_header`]: the wire and allocations (no `api-version`
//!   header, and no header map to carry it).
//!
//! A pass stays only where what it buys is felt: the API, build time, allocations,
//! or the wire. What each was measured to buy, and the passes removed for buying
//! only a fraction of a microsecond, are in `docs/performance.md` ("The passes over
//! the generated client").
//!
//! Each pass counts the sites it changed, and [`apply`] compares the count with what
//! the spec, or typify's own output, says it must be: a progenitor or typify upgrade
//! that changes the shape a pass looks for fails the build naming that pass
//! ([`Unexpected`]), rather than leaving a site unchanged.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::calls;
use stamps_spec::Spec;

/// A pass found a different number of sites than the spec or typify's output says it
/// should have: progenitor's or typify's output has changed shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unexpected {
    /// The pass (its function's name).
    pub pass: &'static str,
    /// How many sites it changed.
    pub found: usize,
    /// How many it should have changed.
    pub expected: usize,
    /// What the expected sites are.
    pub sites: String,
}

impl std::fmt::Display for Unexpected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "codegen pass `{}` changed {} sites, expected {} ({}): has progenitor's or \
             typify's output changed?",
            self.pass, self.found, self.expected, self.sites
        )
    }
}

impl std::error::Error for Unexpected {}

/// `Ok` if `found == expected`.
fn check(
    pass: &'static str,
    found: usize,
    expected: usize,
    sites: impl FnOnce() -> String,
) -> Result<(), Unexpected> {
    if found == expected {
        return Ok(());
    }
    Err(Unexpected {
        pass,
        found,
        expected,
        sites: sites(),
    })
}

/// Runs every pass over progenitor's client `file`, generated from `enabled` (the
/// operations of the enabled features, secrets marked), in order, and checks that
/// each changed every site it expects. `whole` is the whole spec (a type's API does
/// not change with the features).
pub fn apply(file: &mut syn::File, whole: &Spec, enabled: &Spec) -> Result<(), Unexpected> {
    let operations = enabled.operations();
    let ops = operations.len();
    // The operations table (and so the client's URL table) lists `enabled`'s
    // operations in this order.
    let url_order: Vec<String> = operations.iter().map(|op| op.id.to_owned()).collect();

    let schemas: BTreeSet<String> = object_keys(&enabled.doc["components"]["schemas"]);
    let inputs = input_schemas(whole);
    let answer_only = structs_of(file, &schemas, &inputs);
    let pruned = prune_builders(file, &schemas, &inputs);
    check("prune_builders", pruned, answer_only, || {
        "one per struct with fields typify made for a schema no request reaches".into()
    })?;

    let count =
        |f: fn(&stamps_spec::Operation) -> bool| operations.iter().filter(|op| f(op)).count();
    let deprecated = count(|op| op.object["deprecated"] == true);
    let marked = mark_deprecated(file, enabled);
    check("mark_deprecated", marked, deprecated, || {
        "one per operation with `deprecated: true`".into()
    })?;

    let fixed = count(|op| !op.path.contains('{'));
    let preparsed = preparsed_urls(file, &url_order);
    check("preparsed_urls", preparsed, fixed, || {
        "one per operation whose path has no parameter".into()
    })?;

    // One decoder per documented answer with a body: the success and each error status.
    let answers = operations
        .iter()
        .map(|op| 1 + error_statuses(enabled, op.object))
        .sum();
    let decoders = buffered_decode(file);
    check("buffered_decode", decoders, answers, || {
        "one per operation's success, and per documented error status with a body".into()
    })?;

    let builders = builder_fields(file);
    let conversions = builders
        .iter()
        .filter(|(_, fields)| !fields.is_empty())
        .count();
    let cheap = cheap_builder_defaults(file);
    check("cheap_builder_defaults", cheap, conversions, || {
        "one per request builder with fields".into()
    })?;

    let marks = calls::ClientMerchant::of(whole);
    let filled = calls::client_merchant(file, &marks);
    check("client_merchant", filled, marks.sites(enabled), || {
        format!(
            "one per `{}` parameter, and per body marked",
            calls::CLIENT_MERCHANT
        )
    })?;

    let optional_or_lists = builders
        .iter()
        .flat_map(|(_, fields)| fields)
        .filter(|ty| calls::takes_values(ty))
        .count();
    let setters = calls::value_setters(file);
    check("value_setters", setters, optional_or_lists, || {
        "one per optional or list field of a request builder".into()
    })?;

    let sends = calls::sdk_error_send(file);
    check("sdk_error_send", sends, ops, || "one per operation".into())?;

    let removed = strip_api_version_header(&mut file.items);
    check("strip_api_version_header", removed, ops, || {
        "one per operation".into()
    })?;
    Ok(())
}

/// The keys of a JSON object (none if it is not one).
fn object_keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k.clone())
        .collect()
}

/// The Rust names of the `schemas` not in `keep`.
fn answer_only(schemas: &BTreeSet<String>, keep: &BTreeSet<String>) -> BTreeSet<String> {
    schemas
        .iter()
        .filter(|s| !keep.contains(*s))
        .map(|s| crate::pascal_case(s))
        .collect()
}

/// How many structs with fields typify made in `types` for the `schemas` not in
/// `keep` (a newtype has no builder): the builders [`prune_builders`] removes.
fn structs_of(file: &mut syn::File, schemas: &BTreeSet<String>, keep: &BTreeSet<String>) -> usize {
    let drop = answer_only(schemas, keep);
    let Some(types) = module(&mut file.items, "types") else {
        return 0;
    };
    types
        .iter()
        .filter(|item| {
            matches!(item, syn::Item::Struct(s)
                if matches!(s.fields, syn::Fields::Named(_)) && drop.contains(&s.ident.to_string()))
        })
        .count()
}

/// The documented error statuses of an operation (literal codes, not `4XX` or
/// `default`) with a body: progenitor decodes each in its own `match` arm.
fn error_statuses(spec: &Spec, op: &Value) -> usize {
    op["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(status, response)| {
            status.len() == 3
                && status.bytes().all(|b| b.is_ascii_digit())
                && !status.starts_with('2')
                && spec.resolve(response).get("content").is_some()
        })
        .count()
}

/// Each struct of typify's `types::builder` with the types of its fields
/// (`Result<T, String>`: `T`).
fn builder_fields(file: &mut syn::File) -> Vec<(String, Vec<syn::Type>)> {
    let Some(builder) = module(&mut file.items, "types").and_then(|t| module(t, "builder")) else {
        return Vec::new();
    };
    builder
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some((
                s.ident.to_string(),
                s.fields
                    .iter()
                    .map(|f| {
                        calls::generic_argument(&f.ty, "Result").unwrap_or_else(|| f.ty.clone())
                    })
                    .collect(),
            )),
            _ => None,
        })
        .collect()
}

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
    let drop = answer_only(schemas, keep);
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

/// Makes typify's request builders start without allocating, and their conversion
/// into the request type cost code in proportion to their fields.
///
/// - Each required field's default is `Err("no value supplied for <field>".to_string())`,
///   a `String` per required field on every call. This pass makes it
///   `Err(String::new())` (no allocation), and the conversion puts the message back, so
///   a missing field still reports exactly the same text.
/// - The conversion is `Ok(Self { a: value.a?, b: value.b?, .. })`: each `?` that fails
///   must drop every field converted before it and every one still in `value`, so its
///   code grows with the square of the fields (4k lines of LLVM IR for
///   `RegisterMemberRequest`). This pass matches all the fields at once instead, and
///   reports every field's error.
///
/// Returns how many conversions it rewrote.
pub fn cheap_builder_defaults(file: &mut syn::File) -> usize {
    let Some(builder) = module(&mut file.items, "types").and_then(|t| module(t, "builder")) else {
        return 0;
    };
    // (builder type, field) -> the message its default carried.
    let mut messages: Vec<(String, String, syn::LitStr)> = Vec::new();
    for item in builder.iter_mut() {
        let syn::Item::Impl(i) = item else { continue };
        if !trait_is(i, "Default") {
            continue;
        }
        let Some(ty) = self_type(i) else { continue };
        for field in struct_fields(i) {
            if let Some(message) = missing_value_message(&field.expr) {
                messages.push((ty.clone(), member_name(&field.member), message));
                field.expr = syn::parse_quote!(Err(::std::string::String::new()));
            }
        }
    }
    let mut changed = 0;
    for item in builder.iter_mut() {
        let syn::Item::Impl(i) = item else { continue };
        if !trait_is(i, "TryFrom") {
            continue;
        }
        // `impl TryFrom<X> for super::X`: the builder type is the trait's argument.
        let Some(ty) = trait_argument(i) else {
            continue;
        };
        let message = |name: &str| {
            messages
                .iter()
                .find(|(t, f, _)| *t == ty && *f == name)
                .map(|(_, _, m)| m.value())
                .unwrap_or_default()
        };
        let Some(body) = linear_conversion(i, message) else {
            assert!(
                !messages.iter().any(|(t, _, _)| *t == ty),
                "the conversion of builder `{ty}` is not `Ok(Self {{ f: value.f?, .. }})`: \
                 has typify's output changed? Its missing-field messages would be lost"
            );
            continue;
        };
        let Some(syn::ImplItem::Fn(f)) = i
            .items
            .iter_mut()
            .find(|f| matches!(f, syn::ImplItem::Fn(_)))
        else {
            continue;
        };
        f.block.stmts = vec![syn::Stmt::Expr(body, None)];
        changed += 1;
    }
    if changed > 0 {
        builder.push(syn::parse_quote! {
            /// Every error among a builder's fields, for its conversion; a required
            /// field's error is empty (its default costs no allocation) and takes the
            /// field's message.
            fn all_errors(
                errors: &mut [(::std::option::Option<::std::string::String>, &'static str)],
            ) -> super::error::ConversionError {
                let mut all = ::std::vec::Vec::new();
                for (error, message) in errors.iter_mut() {
                    if let Some(error) = error.take() {
                        all.push(if error.is_empty() { (*message).to_owned() } else { error });
                    }
                }
                if all.is_empty() {
                    return "a field failed to convert".into();
                }
                all.join("; ").into()
            }
        });
    }
    changed
}

/// `match (value.a, ..) { (Ok(a), ..) => Ok(Self { a, .. }), (a, ..) => Err(all_errors(..)) }`
/// for a conversion `Ok(Self { a: value.a?, .. })`, with `message(field)` the text of a
/// required field's missing value ("" for the others); `None` if it has another shape.
fn linear_conversion(i: &mut syn::ItemImpl, message: impl Fn(&str) -> String) -> Option<syn::Expr> {
    let fields = struct_fields(i);
    if fields.is_empty() {
        return None;
    }
    let mut names = Vec::new();
    for field in &fields {
        let syn::Member::Named(name) = &field.member else {
            return None;
        };
        let syn::Expr::Try(t) = &field.expr else {
            return None;
        };
        let syn::Expr::Field(value) = &*t.expr else {
            return None;
        };
        let is_value = matches!(&*value.base, syn::Expr::Path(p) if p.path.is_ident("value"));
        if !is_value || value.member != field.member {
            return None;
        }
        names.push(name.clone());
    }
    let messages = names.iter().map(|n| message(&n.to_string()));
    Some(syn::parse_quote! {
        match (#(value.#names,)*) {
            (#(Ok(#names),)*) => Ok(Self { #(#names,)* }),
            (#(#names,)*) => Err(all_errors(&mut [#((#names.err(), #messages),)*])),
        }
    })
}

/// The message of `Err("...".to_string())`.
fn missing_value_message(expr: &syn::Expr) -> Option<syn::LitStr> {
    let syn::Expr::Call(call) = expr else {
        return None;
    };
    let syn::Expr::Path(f) = &*call.func else {
        return None;
    };
    if !f.path.is_ident("Err") || call.args.len() != 1 {
        return None;
    }
    let syn::Expr::MethodCall(m) = &call.args[0] else {
        return None;
    };
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(text),
        ..
    }) = &*m.receiver
    else {
        return None;
    };
    (m.method == "to_string" && text.value().starts_with("no value supplied for "))
        .then(|| text.clone())
}

/// The fields of the `Self { .. }` each function of `i` builds (directly or in `Ok(..)`).
fn struct_fields(i: &mut syn::ItemImpl) -> Vec<&mut syn::FieldValue> {
    let mut fields = Vec::new();
    for f in &mut i.items {
        let syn::ImplItem::Fn(f) = f else { continue };
        if let Some(syn::Stmt::Expr(expr, None)) = f.block.stmts.last_mut()
            && let Some(s) = built_struct(expr)
        {
            fields.extend(s.fields.iter_mut());
        }
    }
    fields
}

/// `Self { .. }` or `Ok(Self { .. })`.
fn built_struct(expr: &mut syn::Expr) -> Option<&mut syn::ExprStruct> {
    match expr {
        syn::Expr::Struct(s) => Some(s),
        syn::Expr::Call(call) if call.args.len() == 1 => match &mut call.args[0] {
            syn::Expr::Struct(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

fn member_name(member: &syn::Member) -> String {
    match member {
        syn::Member::Named(ident) => ident.to_string(),
        syn::Member::Unnamed(index) => index.index.to_string(),
    }
}

fn trait_is(i: &syn::ItemImpl, name: &str) -> bool {
    i.trait_
        .as_ref()
        .and_then(|(path, _)| path.segments.last())
        .is_some_and(|s| s.ident == name)
}

/// `X` in `impl TryFrom<X> for ..`.
fn trait_argument(i: &syn::ItemImpl) -> Option<String> {
    let (path, _) = i.trait_.as_ref()?;
    let syn::PathArguments::AngleBracketed(args) = &path.segments.last()?.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(syn::Type::Path(p)) => {
            p.path.segments.last().map(|s| s.ident.to_string())
        }
        _ => None,
    }
}

/// Makes each operation with a fixed path use a URL parsed once, when the client is
/// built: progenitor's `send` formats `"{baseurl}/api/..."` and reqwest parses it on
/// every call (a `String` and the URL parser, about 5 % of a GET's instructions).
/// `ids` are the operations in the order of the client's URL table (`OPERATIONS`).
/// Returns how many `send`s it changed; templated paths keep `format!`.
pub fn preparsed_urls(file: &mut syn::File, ids: &[String]) -> usize {
    let mut changed = 0;
    for f in send_fns(file) {
        let Some(index) = operation_id(&f.block).and_then(|id| ids.iter().position(|i| *i == id))
        else {
            continue;
        };
        for stmt in &mut f.block.stmts {
            let syn::Stmt::Local(local) = stmt else {
                continue;
            };
            let Some(init) = &mut local.init else {
                continue;
            };
            let Some(path) = fixed_path(&init.expr) else {
                continue;
            };
            *init.expr = syn::parse_quote!(
                client.inner.urls.url(#index, &client.baseurl, #path).map_err(Error::InvalidRequest)?
            );
            changed += 1;
        }
    }
    changed
}

/// Makes each `send` decode its answer with `crate::response_body::decode(response)`
/// instead of `ResponseValue::from_response(response).await`. The hooks have already
/// read the body (within the client's limit) and attached it to the response, so
/// progenitor's decoder would only stream it a second time and clone the headers (3
/// allocations and a future per call); the sync decoder takes both as they are. Returns
/// how many decoders it replaced (two per operation: the success and the error arm).
pub fn buffered_decode(file: &mut syn::File) -> usize {
    let mut replaced = 0;
    for f in send_fns(file) {
        if let Some(syn::Stmt::Expr(syn::Expr::Match(m), None)) = f.block.stmts.last_mut() {
            for arm in &mut m.arms {
                replaced += replace_decoder(&mut arm.body);
            }
        }
    }
    replaced
}

/// Replaces every `ResponseValue::from_response(x).await` in `expr` (through calls,
/// `?` and blocks, the shapes of progenitor's arms) with `crate::response_body::decode(x)`.
fn replace_decoder(expr: &mut syn::Expr) -> usize {
    match expr {
        syn::Expr::Await(a) => match &*a.base {
            syn::Expr::Call(call) if is_path(&call.func, &["ResponseValue", "from_response"]) => {
                let args = &call.args;
                *expr = syn::parse_quote!(crate::response_body::decode(#args));
                1
            }
            _ => replace_decoder(&mut a.base),
        },
        syn::Expr::Call(call) => call.args.iter_mut().map(replace_decoder).sum(),
        syn::Expr::Try(t) => replace_decoder(&mut t.expr),
        syn::Expr::Paren(p) => replace_decoder(&mut p.expr),
        syn::Expr::Block(b) => b
            .block
            .stmts
            .iter_mut()
            .map(|stmt| match stmt {
                syn::Stmt::Expr(e, _) => replace_decoder(e),
                _ => 0,
            })
            .sum(),
        _ => 0,
    }
}

/// Whether `expr` is the path `segments` (`ResponseValue::from_response`).
fn is_path(expr: &syn::Expr, segments: &[&str]) -> bool {
    let syn::Expr::Path(p) = expr else {
        return false;
    };
    p.path.segments.len() == segments.len()
        && p.path
            .segments
            .iter()
            .zip(segments)
            .all(|(s, want)| s.ident == want)
}

/// Every operation's `send`, in progenitor's `builder` module.
fn send_fns(file: &mut syn::File) -> Vec<&mut syn::ImplItemFn> {
    let Some(builder) = module(&mut file.items, "builder") else {
        return Vec::new();
    };
    builder
        .iter_mut()
        .filter_map(|item| match item {
            syn::Item::Impl(i) => Some(&mut i.items),
            _ => None,
        })
        .flatten()
        .filter_map(|f| match f {
            syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
            _ => None,
        })
        .collect()
}

/// The `operation_id` of `let info = OperationInfo { operation_id: "..." }`.
pub(crate) fn operation_id(block: &syn::Block) -> Option<String> {
    block.stmts.iter().find_map(|stmt| {
        let syn::Stmt::Local(local) = stmt else {
            return None;
        };
        let syn::Expr::Struct(s) = &*local.init.as_ref()?.expr else {
            return None;
        };
        s.fields
            .iter()
            .find_map(|field| match (&field.member, &field.expr) {
                (
                    syn::Member::Named(name),
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(id),
                        ..
                    }),
                ) if name == "operation_id" => Some(id.value()),
                _ => None,
            })
    })
}

/// The path of `format!("{}/api/...", client.baseurl)` when it has no parameter.
fn fixed_path(expr: &syn::Expr) -> Option<String> {
    let syn::Expr::Macro(m) = expr else {
        return None;
    };
    if !m.mac.path.is_ident("format") {
        return None;
    }
    let args = m
        .mac
        .parse_body_with(syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
        .ok()?;
    let mut args = args.iter();
    let (
        Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        })),
        Some(base),
        None,
    ) = (args.next(), args.next(), args.next())
    else {
        return None;
    };
    let base_is_client = matches!(base, syn::Expr::Field(f)
        if matches!(&f.member, syn::Member::Named(n) if n == "baseurl"));
    let path = text.value().strip_prefix("{}")?.to_owned();
    (base_is_client && !path.contains('{')).then_some(path)
}

/// Removes the `api-version` header progenitor adds to every request (Stamps does not
/// document it) from each generated `send`, and shrinks the header map it went into
/// accordingly; returns how many it removed. Done here rather than in the `pre` hook
/// so that no call allocates a header map only to empty it: with no other header
/// parameter the map is `with_capacity(0)`, which does not allocate.
pub fn strip_api_version_header(items: &mut [syn::Item]) -> usize {
    let mut removed = 0;
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &mut m.content {
                    removed += strip_api_version_header(items);
                }
            }
            syn::Item::Impl(i) => {
                for item in &mut i.items {
                    if let syn::ImplItem::Fn(f) = item {
                        let before = f.block.stmts.len();
                        f.block.stmts.retain(|stmt| !appends_api_version(stmt));
                        let here = before - f.block.stmts.len();
                        if here > 0 {
                            shrink_header_map(&mut f.block.stmts, here);
                        }
                        removed += here;
                    }
                }
            }
            _ => {}
        }
    }
    removed
}

/// `header_map.append(HeaderName::from_static("api-version"), ..);`
fn appends_api_version(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else {
        return false;
    };
    let Some(syn::Expr::Call(header_name)) = call.args.first() else {
        return false;
    };
    let Some(syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(name),
        ..
    })) = header_name.args.first()
    else {
        return false;
    };
    call.method == "append" && name.value() == "api-version"
}

/// `let mut header_map = HeaderMap::with_capacity(N);` becomes `N - removed`.
fn shrink_header_map(stmts: &mut [syn::Stmt], removed: usize) {
    for stmt in stmts {
        let syn::Stmt::Local(local) = stmt else {
            continue;
        };
        let Some(init) = &mut local.init else {
            continue;
        };
        let syn::Expr::Call(call) = &mut *init.expr else {
            continue;
        };
        let syn::Expr::Path(func) = &*call.func else {
            continue;
        };
        if func
            .path
            .segments
            .last()
            .is_none_or(|s| s.ident != "with_capacity")
        {
            continue;
        }
        if let Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(n),
            ..
        })) = call.args.first_mut()
        {
            let capacity = n.base10_parse::<usize>().expect("a usize literal") - removed;
            *n = syn::LitInt::new(&format!("{capacity}usize"), n.span());
            // Nothing is appended any more: `let header_map` (no `unused_mut`).
            if let (0, syn::Pat::Ident(binding)) = (capacity, &mut local.pat) {
                binding.mutability = None;
            }
            return;
        }
    }
    panic!("no `HeaderMap::with_capacity` before the removed `api-version` header");
}

pub(crate) fn module<'a>(items: &'a mut [syn::Item], name: &str) -> Option<&'a mut Vec<syn::Item>> {
    items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The last segment of an impl's self type: `X` for `impl .. for super::X`.
pub(crate) fn self_type(i: &syn::ItemImpl) -> Option<String> {
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

    #[test]
    fn required_fields_default_to_an_empty_error_and_keep_their_message() {
        let mut file: syn::File = syn::parse_str(
            r#"pub mod types {
                pub mod builder {
                    pub struct Req { a: Result<u8, String>, b: Result<Option<u8>, String> }
                    impl ::std::default::Default for Req {
                        fn default() -> Self {
                            Self { a: Err("no value supplied for a".to_string()), b: Ok(Default::default()) }
                        }
                    }
                    impl ::std::convert::TryFrom<Req> for super::Req {
                        type Error = super::error::ConversionError;
                        fn try_from(value: Req) -> Result<Self, super::error::ConversionError> {
                            Ok(Self { a: value.a?, b: value.b? })
                        }
                    }
                }
            }"#,
        )
        .unwrap();
        assert_eq!(cheap_builder_defaults(&mut file), 1);
        let code = quote::quote!(#file).to_string();
        assert!(
            code.contains("a : Err (:: std :: string :: String :: new ())"),
            "{code}"
        );
        assert!(!code.contains("to_string"), "{code}");
        // All fields at once, and every error, a required field's with its message.
        assert!(
            code.contains(
                "match (value . a , value . b ,) { (Ok (a) , Ok (b) ,) => Ok (Self { a , b , }) , \
                 (a , b ,) => Err (all_errors (& mut [(a . err () , \"no value supplied for a\") , (b . err () , \"\") ,])) , }"
            ),
            "{code}"
        );
        assert!(code.contains("fn all_errors"), "{code}");
    }

    #[test]
    fn sends_decode_the_buffered_body() {
        let mut file: syn::File = syn::parse_str(
            r#"pub mod builder {
                impl<'a> A<'a> {
                    pub async fn send(self) -> Result<ResponseValue<T>, Error<E>> {
                        let response = result?;
                        match response.status().as_u16() {
                            200u16 => ResponseValue::from_response(response).await,
                            400u16 | 500u16 => {
                                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
                            }
                            _ => Err(Error::UnexpectedResponse(response)),
                        }
                    }
                }
            }"#,
        )
        .unwrap();
        assert_eq!(buffered_decode(&mut file), 2);
        let code = quote::quote!(#file).to_string();
        assert!(!code.contains("from_response"), "{code}");
        assert!(!code.contains("await"), "{code}");
        assert!(
            code.contains("200u16 => crate :: response_body :: decode (response) ,"),
            "{code}"
        );
        assert!(
            code.contains(
                "Err (Error :: ErrorResponse (crate :: response_body :: decode (response) ?))"
            ),
            "{code}"
        );
        assert_eq!(buffered_decode(&mut file), 0, "nothing left to replace");
    }

    #[test]
    fn fixed_paths_use_the_client_s_parsed_urls() {
        let mut file: syn::File = syn::parse_str(
            r#"pub mod builder {
                impl<'a> A<'a> {
                    pub async fn send(self) -> Result<(), Error<()>> {
                        let url = format!("{}/api/a", client.baseurl,);
                        let info = OperationInfo { operation_id: "a" };
                        Ok(())
                    }
                }
                impl<'a> B<'a> {
                    pub async fn send(self) -> Result<(), Error<()>> {
                        let url = format!("{}/api/b/{}", client.baseurl, encode_path(&code.to_string()));
                        let info = OperationInfo { operation_id: "b" };
                        Ok(())
                    }
                }
            }"#,
        )
        .unwrap();
        let ids = ["b".to_owned(), "a".to_owned()];
        assert_eq!(preparsed_urls(&mut file, &ids), 1);
        let code = quote::quote!(#file).to_string();
        assert!(
            code.contains(
                "let url = client . inner . urls . url (1usize , & client . baseurl , \"/api/a\") . map_err (Error :: InvalidRequest) ?"
            ),
            "{code}"
        );
        assert!(code.contains("format ! (\"{}/api/b/{}\""), "{code}");
    }

    #[test]
    fn a_pass_that_misses_sites_names_itself_and_what_it_expected() {
        assert_eq!(check("p", 2, 2, || unreachable!()), Ok(()));
        let error = check("prune_builders", 1, 3, || {
            "one per answer-only struct".into()
        })
        .unwrap_err()
        .to_string();
        assert_eq!(
            error,
            "codegen pass `prune_builders` changed 1 sites, expected 3 (one per answer-only \
             struct): has progenitor's or typify's output changed?"
        );
    }

    #[test]
    fn error_statuses_are_the_literal_failure_codes_with_a_body() {
        let spec = Spec::from_yaml(
            "components: {responses: {Bad: {content: {application/json: {}}}, Gone: {}}}",
        )
        .unwrap();
        let body = serde_json::json!({"content": {"application/json": {}}});
        let op = serde_json::json!({"responses": {
            "200": body, "400": body, "401": {"$ref": "#/components/responses/Bad"},
            "410": {"$ref": "#/components/responses/Gone"}, "404": {},
            "4XX": body, "default": body, "500": body
        }});
        assert_eq!(error_statuses(&spec, &op), 3);
    }

    #[test]
    fn the_api_version_header_goes_and_its_map_shrinks() {
        let mut file: syn::File = syn::parse_str(
            r#"pub mod builder {
                impl<'a> A<'a> {
                    pub async fn send(self) -> Result<(), Error<()>> {
                        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                        header_map.append(
                            ::reqwest::header::HeaderName::from_static("api-version"),
                            ::reqwest::header::HeaderValue::from_static(Client::api_version()),
                        );
                        Ok(())
                    }
                }
            }"#,
        )
        .unwrap();
        assert_eq!(strip_api_version_header(&mut file.items), 1);
        let code = quote::quote!(#file).to_string();
        assert!(!code.contains("api-version"), "{code}");
        assert!(
            code.contains(
                "let header_map = :: reqwest :: header :: HeaderMap :: with_capacity (0usize)"
            ),
            "{code}"
        );
        assert_eq!(strip_api_version_header(&mut file.items), 0, "nothing left");
    }
}
