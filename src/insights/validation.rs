//! Validation as data (`crm_tracking`, `crm_calibration_holdout`, `crm_frequency_histogram`,
//! `crm_frequency_recency_matrix`, `crm_holdout_metrics`): PL/pgSQL in sql/extension/validation.sql,
//! written once over the generic predictors of every purchase model type.

use crate::pg::errors::OrRaise;
use crm_core::summary::units::TimeUnit;
use pgrx::prelude::*;

/// Days in one model time unit (hour 1/24, day 1, week 7, month 30): ages from dates in the
/// model's unit (`crm_tracking`). 22023 for an unknown unit.
#[pg_extern(immutable, strict, parallel_safe)]
#[allow(non_snake_case)] // the double underscore marks the function internal in SQL
fn crm__unit_days(unit: &str) -> f64 {
    TimeUnit::parse(unit).or_raise().days()
}

extension_sql_file!(
    "../../sql/extension/validation.sql",
    name = "crm_validation",
    // The models are checked by type when the functions run: only the helpers they call must
    // exist before them.
    requires = ["crm_cltv_pipeline", "crm__check_columns_comment", crm__unit_days]
);
