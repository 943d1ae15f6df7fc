//! `crm_spend_summary`: the (frequency, monetary) histogram spend models fit from, a base type
//! (`state_type`) with exact text and binary forms. Its aggregates: the summary itself
//! (`crm_spend_summary(frequency, monetary [, weight])`), `crm_rollup`, and the transition of
//! the one-call `crm_gamma_gamma_fit(frequency, monetary, ...)`, which records its penalizer.

use crate::models::model_common::{FitSettings, ModelState};
use crate::pg::errors::OrRaise;
use crate::pg::row_call::{row_function, RowArgs};
use crate::pg::state_type::{self, state_type_functions, StateType};
use crate::summary::rft_summary::{check_derived, check_header, weight_arg};
use crm_core::error::{CrmError, CrmResult};
use crm_core::models::gamma_gamma::GammaGammaSummary;
use pgrx::pg_sys;
use pgrx::prelude::*;
use serde::{Deserialize, Serialize};

/// The summary: distinct (x, m) rows with counts (x >= 1, m > 0), customers without repeat
/// spend (counted, not used), rows skipped for NULLs, and the penalizer of a one-call fit.
pub type SpendSummary = ModelState<GammaGammaSummary>;

impl ModelState<GammaGammaSummary> {
    /// Adds `weight` customers with one (frequency, monetary); a NULL value skips the row
    /// (counted). Errors: invalid values (22023), a negative weight (22023).
    pub fn add_row(&mut self, frequency: Option<f64>, monetary: Option<f64>, weight: Option<i64>) {
        match (frequency, monetary, weight) {
            (Some(x), Some(m), Some(w)) => {
                self.summary.add_weighted(x, m, weight_arg(w)).or_raise();
            }
            _ => self.settings.skipped_null += 1,
        }
    }
}

/// The text form: JSON with the rows as [frequency, monetary, customers] in key order.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SpendText {
    summary: String,
    version: u8,
    penalizer: Option<f64>,
    skipped: u64,
    skipped_null: u64,
    #[serde(default)]
    customers: Option<u64>,
    #[serde(default)]
    distinct_rows: Option<u64>,
    rows: Vec<(u64, f64, u64)>,
}

const SUMMARY_KIND: &str = "spend";

impl StateType for SpendSummary {
    const TYPE_NAME: &'static str = "crm_spend_summary";
    const FORMAT_VERSION: u8 = 1;

    fn methods() -> &'static pg_sys::ExpandedObjectMethods {
        &SPEND_SUMMARY_METHODS
    }

    fn write_text(&self) -> String {
        state_type::summary_text(self, Self::write_json)
    }

    fn read_text(text: &str, check_interrupt: &mut dyn FnMut()) -> CrmResult<Self> {
        state_type::read_summary_text(text, |json| Self::read_json(json, check_interrupt))
    }
}

impl SpendSummary {
    /// The JSON text form.
    fn write_json(&self) -> String {
        let text = SpendText {
            summary: SUMMARY_KIND.into(),
            version: Self::FORMAT_VERSION,
            penalizer: self.settings.recorded().0,
            skipped: self.summary.skipped(),
            skipped_null: self.settings.skipped_null,
            customers: Some(self.summary.customers()),
            distinct_rows: Some(self.summary.distinct() as u64),
            rows: self.summary.sorted_rows().into_iter().map(|(x, m, c)| (x as u64, m, c)).collect(),
        };
        serde_json::to_string(&text).expect("summaries serialize to JSON")
    }

    fn read_json(text: &str, check_interrupt: &mut dyn FnMut()) -> CrmResult<Self> {
        let t: SpendText = serde_json::from_str(text).map_err(|e| CrmError::invalid(e.to_string()))?;
        check_header((SUMMARY_KIND, Self::FORMAT_VERSION), (&t.summary, t.version))?;
        let summary = GammaGammaSummary::from_rows(&t.rows, t.skipped, check_interrupt)?;
        check_derived(Self::TYPE_NAME, (t.customers, t.distinct_rows), (summary.customers(), summary.distinct() as u64))?;
        Ok(ModelState { summary, settings: FitSettings::from_recorded(t.penalizer, None, t.skipped_null)? })
    }
}

state_type_functions!(
    SpendSummary,
    SPEND_SUMMARY_METHODS,
    [pg_finfo_crm__spend_summary_in crm__spend_summary_in],
    [pg_finfo_crm__spend_summary_out crm__spend_summary_out],
    [pg_finfo_crm__spend_summary_send crm__spend_summary_send],
    [pg_finfo_crm__spend_summary_recv crm__spend_summary_recv]
);

/// Transition step: one (frequency, monetary) row, standing for the customers in argument
/// `weight` (or one), with the penalizer in argument `penalizer` when the form has one.
fn trans(a: &RowArgs, weight: Option<usize>, penalizer: Option<usize>) -> pg_sys::Datum {
    // SAFETY: the SQL declarations below give argument 0 the type crm_spend_summary.
    unsafe {
        state_type::transition::<SpendSummary>(a.fcinfo(), |s| {
            s.settings.set(penalizer.map(|i| a.opt_f64(i)), None).or_raise();
            s.add_row(a.opt_f64(1), a.opt_f64(2), weight.map_or(Some(1), |i| a.opt_i64(i)));
        })
    }
}

row_function!(pg_finfo_crm__spend_trans2, crm__spend_trans2, |a| trans(a, None, None));
row_function!(pg_finfo_crm__spend_trans3, crm__spend_trans3, |a| trans(a, None, Some(3)));
row_function!(pg_finfo_crm__spend_weighted_trans3, crm__spend_weighted_trans3, |a| trans(a, Some(3), None));
// SAFETY: declared with two crm_spend_summary arguments.
row_function!(pg_finfo_crm__spend_combine, crm__spend_combine, |a| unsafe { state_type::combine::<SpendSummary>(a.fcinfo()) });

extension_sql!(
    r#"
CREATE TYPE crm_spend_summary;
CREATE FUNCTION crm__spend_summary_in(cstring) RETURNS crm_spend_summary
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__spend_summary_in';
CREATE FUNCTION crm__spend_summary_out(crm_spend_summary) RETURNS cstring
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__spend_summary_out';
CREATE FUNCTION crm__spend_summary_send(crm_spend_summary) RETURNS bytea
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__spend_summary_send';
CREATE FUNCTION crm__spend_summary_recv(internal) RETURNS crm_spend_summary
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__spend_summary_recv';
CREATE TYPE crm_spend_summary (
    INPUT = crm__spend_summary_in, OUTPUT = crm__spend_summary_out,
    SEND = crm__spend_summary_send, RECEIVE = crm__spend_summary_recv,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);

CREATE FUNCTION crm__spend_trans(state crm_spend_summary, frequency float8, monetary float8)
    RETURNS crm_spend_summary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__spend_trans2';
CREATE FUNCTION crm__spend_trans(state crm_spend_summary, frequency float8, monetary float8, penalizer float8)
    RETURNS crm_spend_summary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__spend_trans3';
CREATE FUNCTION crm__spend_weighted_trans(state crm_spend_summary, frequency float8, monetary float8, weight bigint)
    RETURNS crm_spend_summary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__spend_weighted_trans3';
CREATE FUNCTION crm__spend_combine(state crm_spend_summary, other crm_spend_summary)
    RETURNS crm_spend_summary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__spend_combine';

CREATE AGGREGATE crm_spend_summary(frequency float8, monetary float8) (
    sfunc = crm__spend_trans, stype = crm_spend_summary, combinefunc = crm__spend_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_spend_summary(frequency float8, monetary float8, weight bigint) (
    sfunc = crm__spend_weighted_trans, stype = crm_spend_summary, combinefunc = crm__spend_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_rollup(crm_spend_summary) (
    sfunc = crm__spend_combine, stype = crm_spend_summary, combinefunc = crm__spend_combine, sspace = 8192, parallel = safe);

COMMENT ON TYPE crm_spend_summary IS 'Per-customer spend data spend models fit from: distinct (frequency, monetary) rows with customer counts (frequency >= 1, monetary > 0), customers without repeat spend counted apart, rows skipped for NULLs. Text form is JSON; combine with crm_rollup, fit with crm_gamma_gamma_fit(summary).';
COMMENT ON AGGREGATE crm_spend_summary(float8, float8) IS 'Summarises customers'' (frequency = repeat purchases, monetary = mean spend per repeat purchase) for fitting spend models later: crm_gamma_gamma_fit(summary). NULL rows are skipped and counted.';
COMMENT ON AGGREGATE crm_spend_summary(float8, float8, bigint) IS 'Summarises (frequency, monetary) rows that each stand for weight customers (weight >= 0).';
COMMENT ON AGGREGATE crm_rollup(crm_spend_summary) IS 'Merges spend summaries (per day, segment or shard) into one; the same as summarising all their rows at once.';
"#,
    name = "crm_spend_summary_type"
);
