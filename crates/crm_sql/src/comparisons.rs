//! `model_comparisons!`: a model type's comparison operators, btree and hash operator classes,
//! over its stored text form (`crate::pg::stored_form::StoredText` in the extension) rather
//! than the decoded value. The functions, operators and classes are those pgrx's `PostgresEq`,
//! `PostgresOrd` and `PostgresHash` derives made in release 0.1.0 (the same names, C symbols,
//! attributes and hash values), so databases created then keep working.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Ident, LitStr};

/// The operator classes of type `t` (the statements pgrx's derives wrote).
pub fn operator_classes(t: &str) -> String {
    format!(
        "
CREATE OPERATOR FAMILY {t}_btree_ops USING btree;
CREATE OPERATOR CLASS {t}_btree_ops DEFAULT FOR TYPE {t} USING btree FAMILY {t}_btree_ops AS
\tOPERATOR 1 <,
\tOPERATOR 2 <=,
\tOPERATOR 3 =,
\tOPERATOR 4 >=,
\tOPERATOR 5 >,
\tFUNCTION 1 {t}_cmp({t}, {t});
CREATE OPERATOR FAMILY {t}_hash_ops USING hash;
CREATE OPERATOR CLASS {t}_hash_ops DEFAULT FOR TYPE {t} USING hash FAMILY {t}_hash_ops AS
\tOPERATOR    1   =  ({t}, {t}),
\tFUNCTION    1   {t}_hash({t});
"
    )
}

/// One comparison operator: its function `<type>_<suffix>` and pgrx's operator attributes.
struct Operator {
    suffix: &'static str,
    op: TokenStream,
    commutator: TokenStream,
    negator: TokenStream,
    restrict: &'static str,
    join: &'static str,
    body: TokenStream,
}

fn operators() -> Vec<Operator> {
    let o = |suffix, op, commutator, negator, restrict, join, body| Operator { suffix, op, commutator, negator, restrict, join, body };
    vec![
        o("eq", quote!(=), quote!(=), quote!(<>), "eqsel", "eqjoinsel", quote!(left == right)),
        o("ne", quote!(<>), quote!(<>), quote!(=), "neqsel", "neqjoinsel", quote!(left != right)),
        o("lt", quote!(<), quote!(>), quote!(>=), "scalarltsel", "scalarltjoinsel", quote!(left < right)),
        o("gt", quote!(>), quote!(<), quote!(<=), "scalargtsel", "scalargtjoinsel", quote!(left > right)),
        o("le", quote!(<=), quote!(>=), quote!(>), "scalarlesel", "scalarlejoinsel", quote!(left <= right)),
        o("ge", quote!(>=), quote!(<=), quote!(<), "scalargesel", "scalargejoinsel", quote!(left >= right)),
    ]
}

/// The expansion of `model_comparisons!(crm_<model>)`.
pub fn expand(ty: &Ident) -> TokenStream {
    let arg = quote!(crate::pg::stored_form::StoredText<#ty>);
    let mut out = TokenStream::new();
    let mut functions = Vec::new();
    for Operator { suffix, op, commutator, negator, restrict, join, body } in operators() {
        let name = format_ident!("{}_{}", ty, suffix);
        let (restrict, join) = (Ident::new(restrict, Span::call_site()), Ident::new(join, Span::call_site()));
        // `=` also lets the planner hash and merge-join (as pgrx's derive declared it)
        let eq_only = if suffix == "eq" { quote!(#[::pgrx::pgrx_macros::merges] #[::pgrx::pgrx_macros::hashes]) } else { quote!() };
        out.extend(quote! {
            #[::pgrx::pgrx_macros::pg_operator(immutable, parallel_safe)]
            #[::pgrx::pgrx_macros::opname(#op)]
            #[::pgrx::pgrx_macros::commutator(#commutator)]
            #[::pgrx::pgrx_macros::negator(#negator)]
            #[::pgrx::pgrx_macros::restrict(#restrict)]
            #[::pgrx::pgrx_macros::join(#join)]
            #eq_only
            fn #name(left: #arg, right: #arg) -> bool {
                #body
            }
        });
        functions.push(name);
    }
    let (cmp, hash) = (format_ident!("{}_cmp", ty), format_ident!("{}_hash", ty));
    let sql = LitStr::new(&operator_classes(&ty.to_string()), Span::call_site());
    let block = LitStr::new(&format!("{ty}_operator_classes"), Span::call_site());
    out.extend(quote! {
        #[::pgrx::pg_extern(immutable, parallel_safe)]
        fn #cmp(left: #arg, right: #arg) -> i32 {
            ::core::cmp::Ord::cmp(&left, &right) as i32
        }

        #[::pgrx::pg_extern(immutable, parallel_safe)]
        fn #hash(value: #arg) -> i32 {
            value.hash() as i32
        }

        ::pgrx::extension_sql!(#sql, name = #block, requires = [#ty, #(#functions,)* #cmp, #hash]);
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_classes_name_the_type_its_functions_and_the_five_btree_strategies() {
        let sql = operator_classes("crm_sbg");
        assert!(sql.contains("CREATE OPERATOR CLASS crm_sbg_btree_ops DEFAULT FOR TYPE crm_sbg USING btree FAMILY crm_sbg_btree_ops AS"));
        assert!(sql.contains("\tFUNCTION 1 crm_sbg_cmp(crm_sbg, crm_sbg);"));
        assert!(sql.contains("\tFUNCTION    1   crm_sbg_hash(crm_sbg);"));
        for (n, op) in [(1, "<"), (2, "<="), (3, "="), (4, ">="), (5, ">")] {
            assert!(sql.contains(&format!("\tOPERATOR {n} {op},")) || sql.contains(&format!("\tOPERATOR {n} {op}\n")), "{op}");
        }
    }

    #[test]
    fn every_operator_negates_and_commutes_into_another_of_the_six() {
        let ops = operators();
        let names: Vec<String> = ops.iter().map(|o| o.op.to_string()).collect();
        for o in &ops {
            assert!(names.contains(&o.negator.to_string()) && names.contains(&o.commutator.to_string()), "{}", o.suffix);
        }
    }
}
