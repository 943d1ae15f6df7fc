//! The one-call CLTV functions (crm_cltv, crm_cltv_models, crm_holdout_check): PL/pgSQL in
//! sql/extension/cltv.sql over the aggregates and predictors of this crate.

use pgrx::prelude::*;

extension_sql_file!(
    "../../sql/extension/cltv.sql",
    name = "crm_cltv_pipeline",
    requires = [
        "crm_bgnbd_fit_aggregates",
        "crm_gamma_gamma_fit_aggregates",
        "crm_bgnbd_comments",
        "crm_gamma_gamma_comments",
        "crm_clv_function",
        "crm__check_columns_comment",
        "crm_model_compare"
    ]
);
