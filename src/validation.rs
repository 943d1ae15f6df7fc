//! Validation as data (`crm_tracking`, `crm_calibration_holdout`, `crm_frequency_histogram`,
//! `crm_frequency_recency_matrix`, `crm_holdout_metrics`): PL/pgSQL in sql/extension/validation.sql,
//! written once over the generic predictors of every purchase model type.

use pgrx::prelude::*;

extension_sql_file!(
    "../sql/extension/validation.sql",
    name = "crm_validation",
    // The models are checked by type when the functions run: only the helpers they call must
    // exist before them.
    requires = ["crm_cltv_pipeline", "crm__check_columns_comment"]
);
