//! Choosing among the purchase models: `crm_model_compare` (PL/pgSQL in
//! sql/extension/model_compare.sql over each model's fit-from-summary and the generic accessors).

use pgrx::prelude::*;

extension_sql_file!(
    "../../sql/extension/model_compare.sql",
    name = "crm_model_compare",
    // The models are found by name when the functions run: only the summary type and the
    // column check must exist before them.
    requires = ["crm_rft_summary_type", "crm_bgnbd_comments", "crm__check_columns_comment"]
);
