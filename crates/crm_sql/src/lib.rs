//! `model_sql!`: the SQL that every model type of crm_ext shares, generated from one declaration
//! per type, so that each signature and COMMENT is written once (here) rather than once per model
//! file. It expands to a pgrx `extension_sql!` block (pgrx takes SQL only as a string literal, so
//! a macro that builds the literal is the one way to generate it).
//!
//! ```text
//! crm_sql::model_sql! {
//!     model: pareto_nbd,                 // the SQL type crm_pareto_nbd, C symbols crm__pareto_nbd_*
//!     title: "Pareto/NBD",
//!     article: "a",                      // "a Pareto/NBD model", "an MBG/NBD model"
//!     parameters: "r, alpha, s, beta",
//!     timed: true,                       // parameters in a time unit: crm_unit, crm_time_units_per_month
//!     purchase: true,                    // a continuous-time purchase model over crm_rft_summary
//!     type_comment: "A Pareto/NBD model (...)",
//!     p_alive_note: "",                  // appended to crm_p_alive's comment
//!     sql: r#"...the model's own statements..."#,
//!     requires: [crm_simulate_pareto_nbd, "crm_bgnbd_comments"],
//! }
//! ```
//!
//! `type_sql!` writes the part every model type has (casts, binary I/O, comparison COMMENTs) for
//! the types that do not use `model_type!` (BG/NBD, Gamma-Gamma, k-means):
//!
//! ```text
//! crm_sql::type_sql! { model: bgnbd, title: "BG/NBD", article: "a", jsonb_note: "model::jsonb ->> 'converged'" }
//! ```
//!
//! The generated statements are [`template::statements`]; the Rust functions they bind to are made
//! by `model_type!`, `stored_form!`, `model_accessors!` and `purchase_predictors!` in the
//! extension, under the names this macro adds to `requires`.

mod comparisons;
mod template;

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::{bracketed, Ident, LitBool, LitStr, Token};

struct Input {
    model: Ident,
    fields: template::Model,
    requires: Vec<proc_macro2::TokenStream>,
}

/// Reads a macro's `key: value, ...` input: `field` parses the value of each key (and rejects
/// unknown keys).
fn parse_fields(input: ParseStream, mut field: impl FnMut(&Ident, ParseStream) -> syn::Result<()>) -> syn::Result<()> {
    while !input.is_empty() {
        let key: Ident = input.parse()?;
        input.parse::<Token![:]>()?;
        field(&key, input)?;
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
        }
    }
    Ok(())
}

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut model = None;
        let mut m = template::Model::default();
        let mut requires = Vec::new();
        parse_fields(input, |key, input| {
            match key.to_string().as_str() {
                "model" => model = Some(input.parse::<Ident>()?),
                "title" => m.title = input.parse::<LitStr>()?.value(),
                "article" => m.article = input.parse::<LitStr>()?.value(),
                "parameters" => m.parameters = input.parse::<LitStr>()?.value().split(',').map(|p| p.trim().to_string()).collect(),
                "timed" => m.timed = input.parse::<LitBool>()?.value,
                "purchase" => m.purchase = input.parse::<LitBool>()?.value,
                "type_comment" => m.type_comment = input.parse::<LitStr>()?.value(),
                "p_alive_note" => m.p_alive_note = input.parse::<LitStr>()?.value(),
                "sql" => m.sql = input.parse::<LitStr>()?.value(),
                "requires" => {
                    let content;
                    bracketed!(content in input);
                    while !content.is_empty() {
                        if content.peek(LitStr) {
                            let s: LitStr = content.parse()?;
                            requires.push(quote!(#s));
                        } else {
                            let i: Ident = content.parse()?;
                            requires.push(quote!(#i));
                        }
                        if !content.is_empty() {
                            content.parse::<Token![,]>()?;
                        }
                    }
                }
                other => return Err(syn::Error::new(key.span(), format!("unknown model_sql! key `{other}`"))),
            }
            Ok(())
        })?;
        let model = model.ok_or_else(|| input.error("model_sql! needs `model: <name>`"))?;
        m.name = model.to_string();
        for (what, value) in [("title", &m.title), ("article", &m.article), ("type_comment", &m.type_comment)] {
            if value.is_empty() {
                return Err(syn::Error::new(model.span(), format!("model_sql! needs `{what}`")));
            }
        }
        Ok(Input { model, fields: m, requires })
    }
}

/// `type_sql!`'s input: model, title, article, jsonb_note.
struct TypeInput {
    model: Ident,
    title: String,
    article: String,
    jsonb_note: String,
}

impl Parse for TypeInput {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let (mut model, mut title, mut article, mut jsonb_note) = (None, String::new(), String::new(), String::new());
        parse_fields(input, |key, input| {
            match key.to_string().as_str() {
                "model" => model = Some(input.parse::<Ident>()?),
                "title" => title = input.parse::<LitStr>()?.value(),
                "article" => article = input.parse::<LitStr>()?.value(),
                "jsonb_note" => jsonb_note = input.parse::<LitStr>()?.value(),
                other => return Err(syn::Error::new(key.span(), format!("unknown type_sql! key `{other}`"))),
            }
            Ok(())
        })?;
        let model = model.ok_or_else(|| input.error("type_sql! needs `model: <name>`"))?;
        if title.is_empty() || article.is_empty() {
            return Err(syn::Error::new(model.span(), "type_sql! needs `title` and `article`"));
        }
        Ok(TypeInput { model, title, article, jsonb_note })
    }
}

/// The functions of a model type that its shared statements name (made by `stored_form!`
/// and `model_comparisons!`).
fn type_functions(model: &Ident) -> Vec<Ident> {
    ["send", "recv", "eq", "ne", "lt", "le", "gt", "ge", "cmp", "hash"]
        .iter()
        .map(|suffix| format_ident!("crm_{}_{}", model, suffix))
        .collect()
}

/// Generates a model type's casts, binary I/O and comparison COMMENTs as a pgrx `extension_sql!`
/// block named `crm_<model>_casts`; see the crate documentation.
#[proc_macro]
pub fn type_sql(input: TokenStream) -> TokenStream {
    let TypeInput { model, title, article, jsonb_note } = syn::parse_macro_input!(input as TypeInput);
    let sql =
        LitStr::new(&format!("\n{}", template::type_statements(&model.to_string(), &title, &article, &jsonb_note)), Span::call_site());
    let name = LitStr::new(&format!("crm_{model}_casts"), Span::call_site());
    let ty = format_ident!("crm_{}", model);
    let functions = type_functions(&model);
    quote! {
        ::pgrx::extension_sql!(#sql, name = #name, requires = [#ty, #(#functions),*]);
    }
    .into()
}

/// Generates the shared SQL of a model type as a pgrx `extension_sql!` block named
/// `crm_<model>_sql`; see the crate documentation.
#[proc_macro]
pub fn model_sql(input: TokenStream) -> TokenStream {
    let Input { model, fields, requires } = syn::parse_macro_input!(input as Input);
    let sql = LitStr::new(&template::statements(&fields), Span::call_site());
    let name = LitStr::new(&format!("crm_{model}_sql"), Span::call_site());
    let ty = format_ident!("crm_{}", model);
    let mut generated = type_functions(&model);
    generated.extend(["given", "params"].iter().map(|suffix| format_ident!("crm_{}_{}", model, suffix)));
    let accessors = ["parameter", "std_error", "log_likelihood", "converged", "customers", "skipped", "iterations", "penalizer"];
    generated.extend(accessors.iter().map(|a| format_ident!("crm_{}_{}", a, model)));
    if fields.timed {
        generated.push(format_ident!("crm_unit_{}", model));
    }
    let purchase: Vec<proc_macro2::TokenStream> =
        if fields.purchase { vec![quote!("crm_rft_summary_type"), quote!("crm_gamma_gamma_comments")] } else { Vec::new() };
    quote! {
        ::pgrx::extension_sql!(
            #sql,
            name = #name,
            requires = [#ty, #(#generated,)* #(#purchase,)* #(#requires),*]
        );
    }
    .into()
}

/// A model type's comparison operators (`=`, `<>`, `<`, `<=`, `>`, `>=`), their functions and its
/// default btree and hash operator classes, comparing stored text forms without decoding them:
/// `crm_sql::model_comparisons!(crm_bgnbd);` See the `comparisons` module.
#[proc_macro]
pub fn model_comparisons(input: TokenStream) -> TokenStream {
    let ty = syn::parse_macro_input!(input as Ident);
    comparisons::expand(&ty).into()
}
