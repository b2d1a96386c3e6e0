//! One pass over progenitor's typed httpmock mocks (`Generator::httpmock`, for the
//! library's build.rs with the `httpmock` feature): a list query parameter
//! (`merchant_id=2&merchant_id=3`, as the client sends it) is matched as one
//! `query_param` per value, not as the list's `to_string()`, which a `Vec` lacks.

use quote::ToTokens;
use syn::visit_mut::VisitMut;

/// Rewrites every list query parameter's matcher; returns how many it changed.
pub fn list_query_params(file: &mut syn::File) -> usize {
    let mut pass = Pass::default();
    pass.visit_file_mut(file);
    pass.changed
}

#[derive(Default)]
struct Pass {
    in_list_fn: bool,
    changed: usize,
}

impl VisitMut for Pass {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        self.in_list_fn = f.sig.to_token_stream().to_string().contains("Vec <");
        syn::visit_mut::visit_impl_item_fn_mut(self, f);
        self.in_list_fn = false;
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        if !self.in_list_fn {
            return;
        }
        let syn::Expr::MethodCall(call) = expr else {
            return;
        };
        if call.method != "query_param" || call.receiver.to_token_stream().to_string() != "self . 0"
        {
            return;
        }
        let Some(name) = call.args.first() else {
            return;
        };
        *expr = syn::parse_quote! {
            value.iter().fold(self.0, |when, value| {
                // As the client writes each value: a JSON string bare, others as JSON.
                let value = match ::serde_json::to_value(value) {
                    Ok(::serde_json::Value::String(text)) => text,
                    Ok(other) => other.to_string(),
                    Err(_) => ::std::string::String::new(),
                };
                when.query_param(#name, value)
            })
        };
        self.changed += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_parameters_match_each_value() {
        let mut file: syn::File = syn::parse_quote! {
            impl ListWhen {
                pub fn merchant_id<'a, T>(self, value: T) -> Self
                where
                    T: Into<Option<&'a ::std::vec::Vec<crate::MerchantId>>>,
                {
                    if let Some(value) = value.into() {
                        Self(self.0.query_param("merchant_id", value.to_string()))
                    } else {
                        Self(self.0.query_param_missing("merchant_id"))
                    }
                }
                pub fn user(self, value: &crate::UserRef) -> Self {
                    Self(self.0.query_param("user", value.to_string()))
                }
            }
        };
        assert_eq!(list_query_params(&mut file), 1);
        let text = file.to_token_stream().to_string();
        assert!(
            text.contains("Self (value . iter () . fold (self . 0 , | when , value |"),
            "{text}"
        );
        assert!(
            text.contains("Self (self . 0 . query_param (\"user\" , value . to_string ()))"),
            "{text}"
        );
    }
}
