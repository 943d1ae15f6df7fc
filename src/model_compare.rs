//! Choosing among the purchase models: `crm_model_compare` (PL/pgSQL in
//! sql/extension/model_compare.sql over each model's fit-from-summary and the generic accessors).

use pgrx::prelude::*;

extension_sql_file!(
    "../sql/extension/model_compare.sql",
    name = "crm_model_compare",
    requires = ["crm_bgnbd_row_functions", "crm_bgnbd_comments", "crm_mbgnbd_sql", "crm_pareto_nbd_sql", "crm__check_columns_comment"]
);
