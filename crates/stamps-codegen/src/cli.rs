//! One pass over progenitor's generated CLI (`Generator::cli`, for `cli/build.rs`):
//! what the generator expects of the SDK made to match what the SDK is, once for every
//! operation.
//!
//! - `send()` fails with `stamps::Error`, not progenitor's `Error<E>`: the
//!   `CliConfig` methods that receive the error take `&Error`.
//! - The JSON body comes from `--body-file FILE` (`-` reads stdin), not
//!   `--json-body`; the generator's unused `--json-body-template` goes.
//! - A flag's value is read as its JSON would be, by the CLI's `crate::parse_item`
//!   (clap's `value_parser!` wants `FromStr`, which typify does not give every type);
//!   a list parameter (`merchant_id=2&merchant_id=3`) is a repeatable flag, one value
//!   per occurrence.
//! - `merchant` is never required on the command line: the client fills it in from
//!   `STAMPS_MERCHANT` where the spec marks it (`x-stamps-client-merchant`), and
//!   `send()` reports it missing otherwise.
//! - Each operation with `x-stamps-pagination` takes `--all`: every item across pages
//!   (every page, for lists with several cursors), printed by `crate::all_items` or
//!   `crate::all_pages` of the CLI.

use quote::ToTokens;
use syn::visit_mut::VisitMut;

use stamps_spec::pagination::Pagination;

/// What [`reconcile`] changed, for build.rs to check against the spec.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// `CliConfig` methods that now take `&stamps::Error` (2: `error`, `list_end_error`).
    pub errors: usize,
    /// Operations whose body now comes from `--body-file`.
    pub body_files: usize,
    /// List parameters made repeatable flags (parser and reader each count).
    pub lists: usize,
    /// Other flags read as JSON reads their value (`crate::parse_item`).
    pub values: usize,
    /// `merchant` flags made optional.
    pub merchants: usize,
    /// Operations given `--all`.
    pub all: usize,
}

/// Applies the pass to the generated CLI; `paginated` is the spec's
/// `x-stamps-pagination` of the enabled operations.
pub fn reconcile(file: &mut syn::File, paginated: &[Pagination]) -> Changes {
    let mut pass = Pass::default();
    for item in &mut file.items {
        match item {
            syn::Item::Trait(t) if t.ident == "CliConfig" => {
                for item in &mut t.items {
                    if let syn::TraitItem::Fn(f) = item
                        && (f.sig.ident == "error" || f.sig.ident == "list_end_error")
                    {
                        f.sig.generics = syn::Generics::default();
                        f.sig.inputs = syn::parse_quote!(&self, value: &Error);
                        pass.changes.errors += 1;
                    }
                }
            }
            syn::Item::Impl(i) => {
                for item in &mut i.items {
                    let syn::ImplItem::Fn(f) = item else { continue };
                    let name = f.sig.ident.to_string();
                    let paging = |prefix: &str| {
                        let id = name.strip_prefix(prefix)?;
                        paginated.iter().find(|p| p.operation == id)
                    };
                    if let Some(p) = paging("cli_") {
                        add_all_flag(f, p);
                        pass.changes.all += 1;
                    } else if let Some(p) = paging("execute_") {
                        all_before_send(f, p);
                    }
                }
            }
            _ => {}
        }
    }
    pass.visit_file_mut(file);
    pass.changes
}

#[derive(Default)]
struct Pass {
    changes: Changes,
}

const ALL_HELP: &str = "Every item of every page (the cursor flag is set for each page in turn)";

/// `Command::new("")...` gets `.arg(--all)`.
fn add_all_flag(f: &mut syn::ImplItemFn, p: &Pagination) {
    let Some(syn::Stmt::Expr(body, None)) = f.block.stmts.last_mut() else {
        panic!("cli_{}: not one expression", p.operation)
    };
    let help = if p.cursors.len() == 1 {
        ALL_HELP.to_owned()
    } else {
        format!("{ALL_HELP}; prints each page, whose lists have their own cursors")
    };
    *body = syn::parse_quote! {
        #body.arg(
            ::clap::Arg::new("all")
                .long("all")
                .action(::clap::ArgAction::SetTrue)
                .help(#help)
        )
    };
}

/// `if matches.get_flag("all") { return crate::all_items(..) }` before the `send()`.
fn all_before_send(f: &mut syn::ImplItemFn, p: &Pagination) {
    let at = f
        .block
        .stmts
        .iter()
        .position(|s| {
            let text = s.to_token_stream().to_string();
            text.starts_with("let result") && text.contains("send ()")
        })
        .unwrap_or_else(|| panic!("execute_{}: no `send()`", p.operation));
    let walk: syn::Path = if p.cursors.len() == 1 {
        syn::parse_quote!(crate::all_items)
    } else {
        syn::parse_quote!(crate::all_pages)
    };
    f.block.stmts.insert(
        at,
        syn::parse_quote! {
            if matches.get_flag("all") {
                return #walk(&self.config, request).await;
            }
        },
    );
}

/// `Vec<T>` -> `T`, or `None`.
fn vec_item(ty: &syn::Type) -> Option<syn::Type> {
    crate::calls::generic_argument(ty, "Vec")
}

/// `Arg::new("name")` at the root of a builder chain, its name.
fn arg_name(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::MethodCall(m) => arg_name(&m.receiver),
        syn::Expr::Call(c) => match c.args.first() {
            Some(syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            })) if c.func.to_token_stream().to_string().ends_with("Arg :: new") => Some(s.value()),
            _ => None,
        },
        _ => None,
    }
}

impl VisitMut for Pass {
    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        let replacement = match lit.value().as_str() {
            "json-body" => "body-file",
            "JSON-FILE" => "FILE",
            "Path to a file that contains the full json body." => {
                "A file holding the whole JSON body (`-`: stdin)"
            }
            _ => return,
        };
        *lit = syn::LitStr::new(replacement, lit.span());
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        match expr {
            syn::Expr::Call(call)
                if call.func.to_token_stream().to_string() == "std :: fs :: read_to_string" =>
            {
                call.func = syn::parse_quote!(crate::read_body);
                self.changes.body_files += 1;
            }
            syn::Expr::MethodCall(m) => {
                let method = m.method.to_string();
                let receiver = &m.receiver;
                let args = &m.args;
                match method.as_str() {
                    // `.arg(Arg::new("json-body-template")...)`: unused by the generator.
                    "arg"
                        if args
                            .to_token_stream()
                            .to_string()
                            .contains("json-body-template") =>
                    {
                        *expr = (**receiver).clone();
                    }
                    "value_parser" => {
                        let Some(syn::Expr::Macro(mac)) = args.first() else {
                            return;
                        };
                        let Ok(ty) = syn::parse2::<syn::Type>(mac.mac.tokens.clone()) else {
                            return;
                        };
                        if ty.to_token_stream().to_string().ends_with("PathBuf") {
                            return;
                        }
                        // clap's `value_parser!` needs `FromStr`, which typify gives
                        // only some types (not the integer enums): a value is read as
                        // its JSON would be.
                        *expr = match vec_item(&ty) {
                            Some(item) => {
                                self.changes.lists += 1;
                                syn::parse_quote! {
                                    #receiver
                                        .value_parser(crate::parse_item::<#item>)
                                        .action(::clap::ArgAction::Append)
                                }
                            }
                            None => {
                                self.changes.values += 1;
                                syn::parse_quote! {
                                    #receiver.value_parser(crate::parse_item::<#ty>)
                                }
                            }
                        };
                    }
                    "get_one" => {
                        let Some(turbofish) = &m.turbofish else {
                            return;
                        };
                        let Some(syn::GenericArgument::Type(ty)) = turbofish.args.first() else {
                            return;
                        };
                        if let Some(item) = vec_item(ty) {
                            *expr = syn::parse_quote! {
                                #receiver
                                    .get_many::<#item>(#args)
                                    .map(|values| values.cloned().collect::<::std::vec::Vec<_>>())
                            };
                            self.changes.lists += 1;
                        }
                    }
                    "required" | "required_unless_present"
                        if arg_name(receiver).as_deref() == Some("merchant") =>
                    {
                        *expr = syn::parse_quote!(#receiver.required(false));
                        self.changes.merchants += 1;
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pagination(operation: &str, cursors: usize) -> Pagination {
        let cursor = stamps_spec::pagination::Cursor {
            param: "last_id".into(),
            from: "id".into(),
            from_required: false,
            list: "items".into(),
        };
        Pagination {
            operation: operation.into(),
            page: "Page".into(),
            items: ("items".into(), "Item".into()),
            cursors: vec![cursor; cursors],
            more: None,
        }
    }

    #[test]
    fn reconciles_errors_bodies_lists_merchants_and_pages() {
        let mut file: syn::File = syn::parse_quote! {
            impl<T: CliConfig> Cli<T> {
                pub fn cli_list_things() -> ::clap::Command {
                    ::clap::Command::new("")
                        .arg(::clap::Arg::new("merchant").long("merchant").value_parser(::clap::value_parser!(stamps::MerchantId)).required_unless_present("json-body"))
                        .arg(::clap::Arg::new("tag").long("tag").value_parser(::clap::value_parser!(::std::vec::Vec<types::Tag>)).required(false))
                        .arg(::clap::Arg::new("json-body").long("json-body").value_name("JSON-FILE").value_parser(::clap::value_parser!(std::path::PathBuf)))
                        .arg(::clap::Arg::new("json-body-template").long("json-body-template"))
                }
                pub async fn execute_list_things(&self, matches: &::clap::ArgMatches) -> anyhow::Result<()> {
                    let mut request = self.client.list_things();
                    if let Some(value) = matches.get_one::<::std::vec::Vec<types::Tag>>("tag") {
                        request = request.tag(value.clone());
                    }
                    if let Some(value) = matches.get_one::<std::path::PathBuf>("json-body") {
                        let body_txt = std::fs::read_to_string(value)?;
                    }
                    let result = request.send().await;
                    Ok(())
                }
            }
            pub trait CliConfig {
                fn error<T>(&self, value: &Error<T>) where T: schemars::JsonSchema;
                fn list_end_error<T>(&self, value: &Error<T>) where T: schemars::JsonSchema;
                fn list_start<T>(&self) where T: schemars::JsonSchema;
            }
        };
        let changes = reconcile(&mut file, &[pagination("list_things", 1)]);
        assert_eq!(
            changes,
            Changes {
                errors: 2,
                body_files: 1,
                lists: 2,
                values: 1,
                merchants: 1,
                all: 1
            }
        );
        let text = file.to_token_stream().to_string();
        for expected in [
            "fn error (& self , value : & Error) ;",
            "fn list_end_error (& self , value : & Error) ;",
            "fn list_start < T > (& self)",
            "value_parser (crate :: parse_item :: < stamps :: MerchantId >) . required (false)",
            "value_parser (:: clap :: value_parser ! (std :: path :: PathBuf))",
            "value_parser (crate :: parse_item :: < types :: Tag >) . action (:: clap :: ArgAction :: Append)",
            "get_many :: < types :: Tag > (\"tag\")",
            "Arg :: new (\"body-file\") . long (\"body-file\") . value_name (\"FILE\")",
            "crate :: read_body (value)",
            "if matches . get_flag (\"all\") { return crate :: all_items (& self . config , request) . await ; } let result",
            ". arg (:: clap :: Arg :: new (\"all\")",
        ] {
            assert!(text.contains(expected), "{expected}\nnot in\n{text}");
        }
        assert!(!text.contains("json-body"), "{text}");
    }

    #[test]
    fn lists_with_several_cursors_print_pages() {
        let mut file: syn::File = syn::parse_quote! {
            impl<T: CliConfig> Cli<T> {
                pub async fn execute_list_things(&self, matches: &::clap::ArgMatches) -> anyhow::Result<()> {
                    let result = request.send().await;
                    Ok(())
                }
            }
        };
        reconcile(&mut file, &[pagination("list_things", 2)]);
        let text = file.to_token_stream().to_string();
        assert!(text.contains("crate :: all_pages"), "{text}");
    }
}
