//! `crm_rft_summary`: the (frequency, recency, T) histogram every purchase model fits from, a
//! base type (`state_type`) with exact text and binary forms. Its aggregates: the summary
//! itself (`crm_rft_summary(frequency, recency, t [, weight [, unit]])`), `crm_rollup` of stored
//! summaries, and the transition of the one-call fit aggregates (`crm_bgnbd_fit(frequency,
//! recency, t, ...)`), which share it and record their penalizer and unit in it.

use crate::models::model_common::{FitSettings, ModelState};
use crate::pg::errors::{raise, OrRaise};
use crate::pg::row_call::{row_function, RowArgs};
use crate::pg::state_type::{self, state_type_functions, StateType};
use crm_core::error::{CrmError, CrmResult};
use crm_core::summary::rft::BgNbdSummary;
use crm_core::summary::units::TimeUnit;
use pgrx::pg_sys;
use pgrx::prelude::*;
use serde::{Deserialize, Serialize};

/// The summary: distinct (x, t_x, T) rows with counts, the time unit, rows skipped for NULLs,
/// and the penalizer of a one-call fit.
pub type RftSummary = ModelState<BgNbdSummary>;

impl ModelState<BgNbdSummary> {
    /// Adds `weight` customers with one (frequency, recency, t); a NULL value skips the row
    /// (counted). Errors: an invalid customer (22023), a negative weight (22023).
    pub fn add_row(&mut self, frequency: Option<f64>, recency: Option<f64>, t: Option<f64>, weight: Option<i64>) {
        let (Some(x), Some(tx), Some(t), Some(w)) = (frequency, recency, t, weight) else {
            self.settings.skipped_null += 1;
            return;
        };
        if w == 1 {
            if !self.summary.add_if_valid(x, tx, t) {
                self.summary.add(x, tx, t).or_raise();
            }
            return;
        }
        self.summary.add_weighted(x, tx, t, weight_arg(w)).or_raise();
    }
}

/// The time unit of a fit from a summary: `given` (which must agree with the summary's
/// recorded unit), else the recorded one, else week.
pub fn fit_unit(settings: &FitSettings, given: Option<TimeUnit>) -> TimeUnit {
    let recorded = settings.recorded().1;
    if let (Some(r), Some(u)) = (recorded, given) {
        if r != u {
            raise(
                CrmError::invalid(format!("the summary's times are in {}s, not {}s", r.as_str(), u.as_str()))
                    .with_hint("leave unit out to fit in the summary's own unit"),
            );
        }
    }
    given.or(recorded).unwrap_or(TimeUnit::Week)
}

/// The number of customers a summary row stands for; 22023 when negative.
pub fn weight_arg(weight: i64) -> u64 {
    u64::try_from(weight).unwrap_or_else(|_| raise(CrmError::invalid(format!("weight must be a number of customers >= 0, got {weight}"))))
}

/// The text form: JSON with the rows as [frequency, recency, t, customers] in key order.
/// `customers` and `distinct_rows` are derived (checked when given).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RftText {
    summary: String,
    version: u8,
    unit: Option<TimeUnit>,
    penalizer: Option<f64>,
    skipped_null: u64,
    #[serde(default)]
    customers: Option<u64>,
    #[serde(default)]
    distinct_rows: Option<u64>,
    rows: Vec<(u64, f64, f64, u64)>,
}

const SUMMARY_KIND: &str = "rft";

/// Checks the kind and format version a summary's text form states.
pub fn check_header(expected: (&str, u8), got: (&str, u8)) -> CrmResult<()> {
    if expected == got {
        return Ok(());
    }
    Err(CrmError::invalid(format!("expected \"summary\": \"{}\", \"version\": {}, got \"{}\", {}", expected.0, expected.1, got.0, got.1)))
}

/// Checks the derived counts of a summary's text form against its rows.
pub fn check_derived(type_name: &str, stated: (Option<u64>, Option<u64>), actual: (u64, u64)) -> CrmResult<()> {
    for (what, s, a) in [("customers", stated.0, actual.0), ("distinct_rows", stated.1, actual.1)] {
        if let Some(s) = s.filter(|s| *s != a) {
            return Err(CrmError::invalid(format!("{type_name} states {what} {s}, its rows give {a}"))
                .with_hint(format!("{what} is derived from the rows: leave it out or correct it")));
        }
    }
    Ok(())
}

impl StateType for RftSummary {
    const TYPE_NAME: &'static str = "crm_rft_summary";
    const FORMAT_VERSION: u8 = 1;

    fn methods() -> &'static pg_sys::ExpandedObjectMethods {
        &RFT_SUMMARY_METHODS
    }

    fn write_text(&self) -> String {
        state_type::summary_text(self, Self::write_json)
    }

    fn read_text(text: &str, check_interrupt: &mut dyn FnMut()) -> CrmResult<Self> {
        state_type::read_summary_text(text, |json| Self::read_json(json, check_interrupt))
    }
}

impl RftSummary {
    /// The JSON text form.
    fn write_json(&self) -> String {
        let (penalizer, unit) = self.settings.recorded();
        let text = RftText {
            summary: SUMMARY_KIND.into(),
            version: Self::FORMAT_VERSION,
            unit,
            penalizer,
            skipped_null: self.settings.skipped_null,
            customers: Some(self.summary.customers()),
            distinct_rows: Some(self.summary.distinct() as u64),
            rows: self.summary.rows(),
        };
        serde_json::to_string(&text).expect("summaries serialize to JSON")
    }

    fn read_json(text: &str, check_interrupt: &mut dyn FnMut()) -> CrmResult<Self> {
        let t: RftText = serde_json::from_str(text).map_err(|e| CrmError::invalid(e.to_string()))?;
        check_header((SUMMARY_KIND, Self::FORMAT_VERSION), (&t.summary, t.version))?;
        let summary = BgNbdSummary::from_rows(&t.rows, check_interrupt)?;
        check_derived(Self::TYPE_NAME, (t.customers, t.distinct_rows), (summary.customers(), summary.distinct() as u64))?;
        Ok(ModelState { summary, settings: FitSettings::from_recorded(t.penalizer, t.unit, t.skipped_null)? })
    }
}

state_type_functions!(
    RftSummary,
    RFT_SUMMARY_METHODS,
    [pg_finfo_crm__rft_summary_in crm__rft_summary_in],
    [pg_finfo_crm__rft_summary_out crm__rft_summary_out],
    [pg_finfo_crm__rft_summary_send crm__rft_summary_send],
    [pg_finfo_crm__rft_summary_recv crm__rft_summary_recv]
);

/// Transition step of the summary and fit aggregates. `penalizer` and `unit` are None when the
/// aggregate form has no such argument; `weight` is argument 4 in the weighted forms.
fn trans(a: &RowArgs, weight: Option<usize>, penalizer: Option<usize>, unit: Option<usize>) -> pg_sys::Datum {
    // SAFETY: the SQL declarations below give argument 0 the type crm_rft_summary.
    unsafe {
        state_type::transition::<RftSummary>(a.fcinfo(), |s| {
            s.settings.set(penalizer.map(|i| a.opt_f64(i)), unit.map(|i| a.opt_text(i))).or_raise();
            let w = weight.map_or(Some(1), |i| a.opt_i64(i));
            s.add_row(a.opt_f64(1), a.opt_f64(2), a.opt_f64(3), w);
        })
    }
}

row_function!(pg_finfo_crm__rft_trans3, crm__rft_trans3, |a| trans(a, None, None, None));
row_function!(pg_finfo_crm__rft_trans4, crm__rft_trans4, |a| trans(a, None, Some(4), None));
row_function!(pg_finfo_crm__rft_trans5, crm__rft_trans5, |a| trans(a, None, Some(4), Some(5)));
row_function!(pg_finfo_crm__rft_weighted_trans4, crm__rft_weighted_trans4, |a| trans(a, Some(4), None, None));
row_function!(pg_finfo_crm__rft_weighted_trans5, crm__rft_weighted_trans5, |a| trans(a, Some(4), None, Some(5)));
// SAFETY: declared with two crm_rft_summary arguments.
row_function!(pg_finfo_crm__rft_combine, crm__rft_combine, |a| unsafe { state_type::combine::<RftSummary>(a.fcinfo()) });

extension_sql!(
    r#"
CREATE TYPE crm_rft_summary;
CREATE FUNCTION crm__rft_summary_in(cstring) RETURNS crm_rft_summary
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__rft_summary_in';
CREATE FUNCTION crm__rft_summary_out(crm_rft_summary) RETURNS cstring
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__rft_summary_out';
CREATE FUNCTION crm__rft_summary_send(crm_rft_summary) RETURNS bytea
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__rft_summary_send';
CREATE FUNCTION crm__rft_summary_recv(internal) RETURNS crm_rft_summary
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__rft_summary_recv';
CREATE TYPE crm_rft_summary (
    INPUT = crm__rft_summary_in, OUTPUT = crm__rft_summary_out,
    SEND = crm__rft_summary_send, RECEIVE = crm__rft_summary_recv,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);

CREATE FUNCTION crm__rft_trans(state crm_rft_summary, frequency float8, recency float8, t float8)
    RETURNS crm_rft_summary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__rft_trans3';
CREATE FUNCTION crm__rft_trans(state crm_rft_summary, frequency float8, recency float8, t float8, penalizer float8)
    RETURNS crm_rft_summary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__rft_trans4';
CREATE FUNCTION crm__rft_trans(state crm_rft_summary, frequency float8, recency float8, t float8, penalizer float8, unit text)
    RETURNS crm_rft_summary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__rft_trans5';
CREATE FUNCTION crm__rft_weighted_trans(state crm_rft_summary, frequency float8, recency float8, t float8, weight bigint)
    RETURNS crm_rft_summary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__rft_weighted_trans4';
CREATE FUNCTION crm__rft_weighted_trans(state crm_rft_summary, frequency float8, recency float8, t float8, weight bigint, unit text)
    RETURNS crm_rft_summary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__rft_weighted_trans5';
CREATE FUNCTION crm__rft_combine(state crm_rft_summary, other crm_rft_summary)
    RETURNS crm_rft_summary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__rft_combine';

-- sspace: the planner's estimate of a group's state, 8 kB as for an internal state (a summary
-- keeps buffers of that order), so that it weighs hash against sorted aggregation as before.
CREATE AGGREGATE crm_rft_summary(frequency float8, recency float8, t float8) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_rft_summary(frequency float8, recency float8, t float8, weight bigint) (
    sfunc = crm__rft_weighted_trans, stype = crm_rft_summary, combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_rft_summary(frequency float8, recency float8, t float8, weight bigint, unit text) (
    sfunc = crm__rft_weighted_trans, stype = crm_rft_summary, combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_rollup(crm_rft_summary) (
    sfunc = crm__rft_combine, stype = crm_rft_summary, combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);

COMMENT ON TYPE crm_rft_summary IS 'Per-customer purchase data every purchase model fits from: distinct (frequency, recency, t) rows with customer counts, their time unit and rows skipped for NULLs. Text form is JSON; combine summaries with crm_rollup and fit them with crm_bgnbd_fit(summary).';
COMMENT ON AGGREGATE crm_rft_summary(float8, float8, float8) IS 'Summarises customers'' (frequency = repeat purchases, recency = age at the last repeat purchase, t = age now) for fitting purchase models later: crm_bgnbd_fit(summary). NULL rows are skipped and counted.';
COMMENT ON AGGREGATE crm_rft_summary(float8, float8, float8, bigint) IS 'Summarises (frequency, recency, t) rows that each stand for weight customers (weight >= 0).';
COMMENT ON AGGREGATE crm_rft_summary(float8, float8, float8, bigint, text) IS 'Summarises weighted (frequency, recency, t) rows whose times are in unit (hour, day, week or month).';
COMMENT ON AGGREGATE crm_rollup(crm_rft_summary) IS 'Merges purchase summaries (per day, segment or shard) into one; the same as summarising all their rows at once. Summaries must agree on the time unit.';
"#,
    name = "crm_rft_summary_type"
);
