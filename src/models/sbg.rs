//! sBG in SQL (Fader and Hardie 2007, "How to project customer retention"): the `crm_sbg` model
//! of contractual retention, its fit aggregates over a cohort's survival table (`period`,
//! `active`) or over customers (`tenure`, `churned`), its fit from an array of survivors, and its
//! predictors (retention rate, survival, churn probability, DERL, cohort value, a projection
//! table). The math is `crm_core::models::sbg`.

use crate::models::model_common::model_accessors;
use crate::models::model_type::model_type;
use crate::models::model_value::{finish_fit, Fit, ModelKind, ModelValue};
use crate::pg::aggregate_support::{check_interrupts, fit_or_warn, AggState};
use crate::pg::errors::{raise, OrRaise};
use crate::pg::row_call::row_function;
use crate::pg::state_type::{self, state_type_functions, StateType};
use crate::pg::stored_form::stored_form;
use crm_core::error::{CrmError, CrmResult};
use crm_core::models::fit_options::FitOptions;
use crm_core::models::sbg::{self, SbgParams, SurvivalSummary};
use pgrx::pg_sys;
use pgrx::prelude::*;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub struct Sbg;

impl ModelKind for Sbg {
    type Params = SbgParams;
    const NAME: &'static str = "sbg";
    const TYPE_NAME: &'static str = "crm_sbg";
    const TITLE: &'static str = "sBG";
    const PARAMETERS: &'static [&'static str] = &["alpha", "beta"];
    const HAS_UNIT: bool = false;
    fn estimates(p: &SbgParams) -> Vec<f64> {
        p.to_array().to_vec()
    }
    fn from_estimates(v: &[f64]) -> SbgParams {
        SbgParams::from_array([v[0], v[1]])
    }
    fn validate(p: &SbgParams) -> CrmResult<()> {
        sbg::validate_params(p)
    }
}

model_type!(crm_sbg, Sbg);
stored_form!(crm_sbg, crm_sbg_send, "crm__sbg_send", crm_sbg_recv, "crm__sbg_recv");
model_accessors!(
    crm_sbg,
    "crm_sbg_params",
    [
        crm_std_error_sbg,
        crm_log_likelihood_sbg,
        crm_converged_sbg,
        crm_customers_sbg,
        crm_skipped_sbg,
        crm_iterations_sbg,
        crm_penalizer_sbg,
        crm_sbg_params,
        crm_parameter_sbg,
        crm_confidence_intervals_sbg,
        crm_model_summary_sbg
    ]
);

/// The state of the sBG fit aggregates (`crm__sbg_state`): the rows of a survival table
/// (period -> customers active after it) or customers (tenure, churned) already summarised,
/// and rows skipped for NULLs.
#[derive(Default)]
pub struct SbgState {
    table: BTreeMap<u64, u64>,
    customers: SurvivalSummary,
    skipped_null: u64,
}

impl SbgState {
    fn add_table_row(&mut self, period: Option<i32>, active: Option<i64>) {
        let (Some(period), Some(active)) = (period, active) else {
            self.skipped_null += 1;
            return;
        };
        let (Ok(period), Ok(active)) = (u64::try_from(period), u64::try_from(active)) else {
            raise(CrmError::invalid("period and active must not be negative").with_detail(format!("got period {period}, active {active}")))
        };
        if self.table.insert(period, active).is_some_and(|old| old != active) {
            raise(duplicate_period(period));
        }
        if self.table.len() > MAX_TABLE_PERIODS {
            raise(
                CrmError::invalid(format!("a survival table has at most {MAX_TABLE_PERIODS} periods"))
                    .with_hint("fit customers with crm_sbg_fit(tenure, churned) instead"),
            );
        }
    }

    fn add_customer(&mut self, tenure: Option<i32>, churned: Option<bool>) {
        let (Some(tenure), Some(churned)) = (tenure, churned) else {
            self.skipped_null += 1;
            return;
        };
        let Ok(tenure) = u64::try_from(tenure) else { raise(CrmError::invalid(format!("tenure must not be negative, got {tenure}"))) };
        self.customers.add(tenure, churned, 1).or_raise();
    }

    /// The survival summary of everything added: the customers, and the survival table as one
    /// cohort (periods 0, 1, ..., k without gaps).
    fn summary(&self) -> CrmResult<SurvivalSummary> {
        let mut s = self.customers.clone();
        if !self.table.is_empty() {
            let survivors: Vec<u64> = self.table.values().copied().collect();
            if let Some((i, (&p, _))) = self.table.iter().enumerate().find(|(i, (p, _))| **p != *i as u64) {
                return Err(CrmError::invalid(format!("the survival table has no row for period {i}"))
                    .with_detail(format!("the periods run 0, 1, ... without gaps; the next row is period {p}"))
                    .with_hint("period 0 holds the cohort's size, period t the customers still active after t periods"));
            }
            s.merge(&SurvivalSummary::from_survivors(&survivors)?);
        }
        Ok(s)
    }
}

/// Most rows (periods) of one survival table.
const MAX_TABLE_PERIODS: usize = 100_000;

fn duplicate_period(period: u64) -> CrmError {
    CrmError::invalid(format!("period {period} appears twice with different counts"))
        .with_hint("a survival table has one row per period; fit several cohorts with crm_sbg_fit(tenure, churned) over their customers")
}

impl AggState for SbgState {
    fn merge(&mut self, other: &Self) {
        for (&p, &a) in &other.table {
            if self.table.insert(p, a).is_some_and(|old| old != a) {
                raise(duplicate_period(p));
            }
        }
        self.customers.merge(&other.customers);
        self.skipped_null += other.skipped_null;
    }

    /// skipped (u64 LE), table rows (u64 LE count, then period and active u64 LE pairs), the
    /// customers' survival summary.
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + 16 * self.table.len());
        out.extend_from_slice(&self.skipped_null.to_le_bytes());
        out.extend_from_slice(&(self.table.len() as u64).to_le_bytes());
        for (p, a) in &self.table {
            out.extend_from_slice(&p.to_le_bytes());
            out.extend_from_slice(&a.to_le_bytes());
        }
        out.extend_from_slice(&self.customers.to_bytes());
        out
    }

    fn from_bytes(bytes: &[u8]) -> Self {
        let corrupt = || raise(CrmError::invalid("corrupt crm__sbg_state value"));
        let u64_at = |o: usize| bytes.get(o..o + 8).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")));
        let (Some(skipped_null), Some(rows)) = (u64_at(0), u64_at(8)) else { corrupt() };
        let Some(end) = usize::try_from(rows).ok().and_then(|r| r.checked_mul(16)).and_then(|b| b.checked_add(16)) else { corrupt() };
        let mut table = BTreeMap::new();
        for i in 0..rows as usize {
            let (Some(p), Some(a)) = (u64_at(16 + 16 * i), u64_at(24 + 16 * i)) else { corrupt() };
            table.insert(p, a);
        }
        let customers = SurvivalSummary::from_bytes(bytes.get(end..).unwrap_or_else(|| corrupt())).or_raise();
        SbgState { table, customers, skipped_null }
    }

    fn heap_bytes(&self) -> usize {
        48 * self.table.len() + self.customers.heap_bytes()
    }
}

impl StateType for SbgState {
    const TYPE_NAME: &'static str = "crm__sbg_state";
    const FORMAT_VERSION: u8 = 1;
    fn methods() -> &'static pg_sys::ExpandedObjectMethods {
        &SBG_STATE_METHODS
    }
}

state_type_functions!(
    SbgState,
    SBG_STATE_METHODS,
    [pg_finfo_crm__sbg_state_in crm__sbg_state_in],
    [pg_finfo_crm__sbg_state_out crm__sbg_state_out],
    [pg_finfo_crm__sbg_state_send crm__sbg_state_send],
    [pg_finfo_crm__sbg_state_recv crm__sbg_state_recv]
);

// SAFETY (the transitions and combine): declared with a crm__sbg_state first argument.
row_function!(pg_finfo_crm__sbg_table_trans, crm__sbg_table_trans, |a| unsafe {
    state_type::transition::<SbgState>(a.fcinfo(), |s| s.add_table_row(a.opt_i32(1), a.opt_i64(2)))
});
row_function!(pg_finfo_crm__sbg_customer_trans, crm__sbg_customer_trans, |a| unsafe {
    state_type::transition::<SbgState>(a.fcinfo(), |s| s.add_customer(a.opt_i32(1), a.opt_bool(2)))
});
row_function!(pg_finfo_crm__sbg_combine, crm__sbg_combine, |a| unsafe { state_type::combine::<SbgState>(a.fcinfo()) });
row_function!(pg_finfo_crm__sbg_final, crm__sbg_final, |a| {
    // SAFETY: declared with a crm__sbg_state argument.
    let fit = unsafe {
        state_type::with_state::<SbgState, _>(a.fcinfo(), 0, |s| {
            let summary = fit_or_warn(a.fcinfo(), "crm_sbg_fit", s.summary())?;
            fit_summary(Some(a.fcinfo()), &summary, 0.0, s.skipped_null)
        })
    };
    a.ret_opt(fit.flatten())
});

/// The sBG model of a survival summary; NULL for no customers or, in an aggregate
/// (`fcinfo`, crm_ext.fit_errors), a fit error.
fn fit_summary(fcinfo: Option<pg_sys::FunctionCallInfo>, summary: &SurvivalSummary, penalizer: f64, skipped: u64) -> Option<crm_sbg> {
    if summary.customers() == 0 {
        return None;
    }
    let opts = FitOptions { penalizer, ..FitOptions::default() };
    let counts = (summary.customers(), summary.rows().len() as u64, skipped);
    let fit = sbg::fit(summary, &opts, &mut check_interrupts).map(Fit::from);
    finish_fit::<Sbg>(fcinfo, "crm_sbg_fit", fit, (None, penalizer, counts), None).map(crm_sbg)
}

/// crm_sbg_fit(active bigint[], penalizer => 0): the fit of one cohort's survivors, active[1] the
/// cohort's size at period 0, active[t + 1] the customers still active after t periods.
#[pg_extern(stable, parallel_safe, name = "crm_sbg_fit")]
fn crm_sbg_fit_survivors(active: Vec<Option<i64>>, penalizer: default!(f64, 0.0)) -> Option<crm_sbg> {
    let survivors: Vec<u64> = active
        .iter()
        .enumerate()
        .map(|(i, v)| match v.map(u64::try_from) {
            Some(Ok(v)) => v,
            _ => raise(
                CrmError::invalid(format!("active customers after period {i} must be a number >= 0"))
                    .with_detail(format!("got {}", v.map_or("NULL".into(), |v| v.to_string()))),
            ),
        })
        .collect();
    let summary = SurvivalSummary::from_survivors(&survivors).or_raise();
    let penalizer = crate::models::model_common::check_penalizer(penalizer).or_raise();
    fit_summary(None, &summary, penalizer, 0)
}

/// Customers simulated from the sBG process, observed for `periods` periods: tenure = periods
/// completed (or the period of the churn), churned; deterministic for a seed.
#[pg_extern(immutable, parallel_safe, name = "crm_simulate")]
fn crm_simulate_sbg(
    model: crm_sbg,
    customers: i64,
    periods: i32,
    seed: default!(i64, 42),
) -> TableIterator<'static, (name!(customer_id, i64), name!(tenure, i32), name!(churned, bool))> {
    let (n, seed) = crate::models::model_type::simulation_counts(customers, seed);
    let rows = sbg::simulate(n, &model.0.params, whole("periods", periods), seed, &mut check_interrupts).or_raise();
    TableIterator::new(rows.into_iter().map(|c| (c.id as i64, c.duration as i32, c.churned)))
}

/// An sBG model from known parameters.
#[pg_extern(immutable, parallel_safe, name = "crm_sbg")]
fn crm_sbg_given(alpha: f64, beta: f64) -> crm_sbg {
    crm_sbg(ModelValue::given(SbgParams { alpha, beta }, None).or_raise())
}

fn whole(what: &str, t: i32) -> u64 {
    u64::try_from(t).unwrap_or_else(|_| raise(CrmError::invalid(format!("{what} must not be negative, got {t}"))))
}

/// r(t): the share of the customers active after t - 1 periods that renew at the end of period t.
#[pg_extern(immutable, parallel_safe)]
fn crm_retention_rate(model: crm_sbg, period: i32) -> f64 {
    sbg::retention_rate(&model.0.params, whole("period", period)).or_raise()
}

/// S(t): the share of a cohort still active after t periods.
#[pg_extern(immutable, parallel_safe)]
fn crm_survival(model: crm_sbg, period: i32) -> f64 {
    sbg::survival(&model.0.params, whole("period", period)).or_raise()
}

/// P(T = t): the probability of churning in period t.
#[pg_extern(immutable, parallel_safe)]
fn crm_churn_probability(model: crm_sbg, period: i32) -> f64 {
    sbg::churn_probability(&model.0.params, whole("period", period)).or_raise()
}

/// DERL: discounted expected residual lifetime (in periods) of a customer who has renewed
/// `renewals` times, before the next renewal decision.
#[pg_extern(immutable, parallel_safe)]
fn crm_derl(model: crm_sbg, discount: f64, renewals: default!(i32, 0)) -> f64 {
    sbg::derl(&model.0.params, discount, whole("renewals", renewals)).or_raise()
}

/// The expected discounted value of a cohort's remaining payments per customer acquired, after
/// `periods_done` periods.
#[pg_extern(immutable, parallel_safe)]
fn crm_cohort_value(model: crm_sbg, margin: f64, discount: f64, periods_done: default!(i32, 0)) -> f64 {
    sbg::cohort_clv(&model.0.params, margin, discount, whole("periods_done", periods_done)).or_raise()
}

/// The projection table of a cohort: per period 0..=periods, survival, the retention rate and
/// churn probability of the period (NULL at 0), and the customers expected active of a cohort of
/// `cohort_size`.
#[pg_extern(immutable, parallel_safe)]
#[allow(clippy::type_complexity)]
fn crm_sbg_projection(
    model: crm_sbg,
    periods: i32,
    cohort_size: default!(f64, 1.0),
) -> TableIterator<
    'static,
    (
        name!(period, i32),
        name!(survival, f64),
        name!(retention_rate, Option<f64>),
        name!(churn_probability, Option<f64>),
        name!(expected_active, f64),
    ),
> {
    let n = whole("periods", periods);
    if n > 100_000 {
        raise(CrmError::invalid(format!("periods must be at most 100000, got {n}")));
    }
    if !(cohort_size.is_finite() && cohort_size >= 0.0) {
        raise(CrmError::invalid(format!("cohort_size must be a finite number >= 0, got {cohort_size}")));
    }
    let p = model.0.params;
    let rows: Vec<_> = (0..=n)
        .map(|t| {
            check_interrupts();
            let s = sbg::survival(&p, t).or_raise();
            let (r, c) = if t == 0 {
                (None, None)
            } else {
                (Some(sbg::retention_rate(&p, t).or_raise()), Some(sbg::churn_probability(&p, t).or_raise()))
            };
            (t as i32, s, r, c, cohort_size * s)
        })
        .collect();
    TableIterator::new(rows)
}

crm_sql::model_sql! {
    model: sbg,
    title: "sBG",
    article: "an",
    parameters: "alpha, beta",
    timed: false,
    purchase: false,
    type_comment: "A shifted-beta-geometric model of contractual retention (Fader and Hardie 2007): each customer churns at the end of a period with probability theta ~ Beta(alpha, beta). Text form is JSON.",
    sql: r#"
CREATE TYPE crm__sbg_state;
CREATE FUNCTION crm__sbg_state_in(cstring) RETURNS crm__sbg_state
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__sbg_state_in';
CREATE FUNCTION crm__sbg_state_out(crm__sbg_state) RETURNS cstring
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__sbg_state_out';
CREATE FUNCTION crm__sbg_state_send(crm__sbg_state) RETURNS bytea
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__sbg_state_send';
CREATE FUNCTION crm__sbg_state_recv(internal) RETURNS crm__sbg_state
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__sbg_state_recv';
CREATE TYPE crm__sbg_state (
    INPUT = crm__sbg_state_in, OUTPUT = crm__sbg_state_out,
    SEND = crm__sbg_state_send, RECEIVE = crm__sbg_state_recv,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);
CREATE FUNCTION crm__sbg_table_trans(state crm__sbg_state, period integer, active bigint)
    RETURNS crm__sbg_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__sbg_table_trans';
CREATE FUNCTION crm__sbg_customer_trans(state crm__sbg_state, tenure integer, churned boolean)
    RETURNS crm__sbg_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__sbg_customer_trans';
CREATE FUNCTION crm__sbg_combine(state crm__sbg_state, other crm__sbg_state)
    RETURNS crm__sbg_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__sbg_combine';
CREATE FUNCTION crm__sbg_final(state crm__sbg_state)
    RETURNS crm_sbg IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__sbg_final';
CREATE AGGREGATE crm_sbg_fit(period integer, active bigint) (
    sfunc = crm__sbg_table_trans, stype = crm__sbg_state, finalfunc = crm__sbg_final,
    combinefunc = crm__sbg_combine, sspace = 1024, parallel = safe);
CREATE AGGREGATE crm_sbg_fit(tenure integer, churned boolean) (
    sfunc = crm__sbg_customer_trans, stype = crm__sbg_state, finalfunc = crm__sbg_final,
    combinefunc = crm__sbg_combine, sspace = 1024, parallel = safe);
COMMENT ON TYPE crm__sbg_state IS 'Internal: the state of the crm_sbg_fit aggregates (survival-table rows or a survival summary of customers); text form hexadecimal, for Citus''s partial aggregates.';
COMMENT ON FUNCTION crm__sbg_final(crm__sbg_state) IS 'Internal: final function of the crm_sbg_fit aggregates.';
COMMENT ON AGGREGATE crm_sbg_fit(integer, bigint) IS 'Fits an sBG model to one cohort''s survival table: one row per period 0, 1, ..., k (no gaps) with the customers still active after it (period 0: the cohort''s size; counts must not increase). NULL rows are skipped.';
COMMENT ON AGGREGATE crm_sbg_fit(integer, boolean) IS 'Fits an sBG model to customers: tenure = periods completed, churned = whether the customer has left (then tenure >= 1 is the period in which they left); several cohorts with different observation lengths mix freely. NULL rows are skipped.';
COMMENT ON FUNCTION crm_sbg_fit(bigint[], float8) IS 'Fits an sBG model to one cohort''s survivors: active[1] = the cohort''s size, active[t + 1] = customers still active after t periods; penalizer as lifetimes'' (0 = maximum likelihood).';
COMMENT ON FUNCTION crm_retention_rate(crm_sbg, integer) IS 'sBG retention rate of period t >= 1: the share of the customers active after t - 1 periods that renew at the end of period t, (beta + t - 1) / (alpha + beta + t - 1).';
COMMENT ON FUNCTION crm_survival(crm_sbg, integer) IS 'sBG survival S(t): the share of a cohort still active after t periods.';
COMMENT ON FUNCTION crm_churn_probability(crm_sbg, integer) IS 'sBG probability P(T = t) that a customer churns in period t >= 1.';
COMMENT ON FUNCTION crm_derl(crm_sbg, float8, integer) IS 'sBG discounted expected residual lifetime, in periods, of a customer who has renewed renewals times, just before the next renewal decision, at a discount rate per period (Fader and Hardie 2010); times the margin per period it is the customer''s residual value.';
COMMENT ON FUNCTION crm_cohort_value(crm_sbg, float8, float8, integer) IS 'sBG expected discounted value of a cohort''s remaining payments per customer originally acquired, after periods_done periods, each active customer paying margin per period (the payment now undiscounted); at 0 the expected lifetime value of a new customer.';
COMMENT ON FUNCTION crm_sbg_projection(crm_sbg, integer, float8) IS 'sBG projection per period 0 .. periods: survival, retention rate and churn probability of the period (NULL at 0), and the customers expected active in a cohort of cohort_size.';
COMMENT ON FUNCTION crm_simulate(crm_sbg, bigint, integer, bigint) IS 'Customers simulated from the sBG process observed for periods periods: tenure = periods completed or the period of the churn, churned; deterministic for a seed.';
"#,
    requires: [crm_simulate_sbg, crm_sbg_fit_survivors, crm_retention_rate, crm_survival, crm_churn_probability, crm_derl, crm_cohort_value, crm_sbg_projection],
}
