//! BG/BB in SQL (Fader, Hardie and Shang 2010): the `crm_bgbb` model type for discrete
//! opportunities (donations per year, visits per week, subscriptions billed per period), its fit
//! aggregate and fit-from-summary over `crm_rft_summary` (frequency = transactions after the
//! first opportunity, recency = the opportunity of the last one, t = opportunities observed),
//! accessors and predictors. The math is `crm_core::models::bgbb`.

use crate::models::model_common::model_accessors;
use crate::models::model_type::model_type;
use crate::models::model_value::{Fit, FitsPurchases, ModelKind, ModelValue};
use crate::pg::errors::{raise, OrRaise};
use crate::pg::row_call::{row_function, RowArgs};
use crate::pg::stored_form::stored_form;
use crm_core::error::{CrmError, CrmResult};
use crm_core::models::bgbb::{self, BgBbParams};
use crm_core::models::fit_options::FitOptions;
use crm_core::summary::rft::BgNbdSummary;
use pgrx::prelude::*;

#[derive(Clone, Debug)]
pub struct BgBb;

impl ModelKind for BgBb {
    type Params = BgBbParams;
    const NAME: &'static str = "bgbb";
    const TYPE_NAME: &'static str = "crm_bgbb";
    const TITLE: &'static str = "BG/BB";
    const PARAMETERS: &'static [&'static str] = &["alpha", "beta", "gamma", "delta"];
    const HAS_UNIT: bool = false;
    fn estimates(p: &BgBbParams) -> Vec<f64> {
        p.to_array().to_vec()
    }
    fn from_estimates(v: &[f64]) -> BgBbParams {
        BgBbParams::from_array([v[0], v[1], v[2], v[3]])
    }
    fn validate(p: &BgBbParams) -> CrmResult<()> {
        bgbb::validate_params(p)
    }
}

impl FitsPurchases for BgBb {
    fn fit(summary: &BgNbdSummary, opts: &FitOptions, check_interrupt: &mut dyn FnMut()) -> CrmResult<Fit> {
        bgbb::fit(summary, opts, check_interrupt).map(Fit::from)
    }
}

model_type!(crm_bgbb, BgBb);
stored_form!(crm_bgbb, crm_bgbb_send, "crm__bgbb_send", crm_bgbb_recv, "crm__bgbb_recv");
model_accessors!(
    crm_bgbb,
    "crm_bgbb_params",
    [
        crm_std_error_bgbb,
        crm_log_likelihood_bgbb,
        crm_converged_bgbb,
        crm_customers_bgbb,
        crm_skipped_bgbb,
        crm_iterations_bgbb,
        crm_penalizer_bgbb,
        crm_bgbb_params,
        crm_parameter_bgbb,
        crm_confidence_intervals_bgbb,
        crm_model_summary_bgbb
    ]
);

crate::models::intervals::prediction_intervals!(crm_bgbb, BgBbParams, newtype, crm_expected_purchases_interval_bgbb);

crate::models::model_type::generic_rft_fit!(crm_bgbb, BgBb);
row_function!(pg_finfo_crm__bgbb_final, crm__bgbb_final, |a| crate::models::model_type::final_fit::<crm_bgbb>(a));
row_function!(pg_finfo_crm__bgbb_fit_summary, crm__bgbb_fit_summary, |a| crate::models::model_type::fit_summary::<crm_bgbb>(a));

// The predictors every purchase model has (horizons in whole opportunities).
row_function!(pg_finfo_crm__bgbb_p_alive, crm__bgbb_p_alive, |a| crate::models::model_type::p_alive::<crm_bgbb, _>(a));
row_function!(pg_finfo_crm__bgbb_expected, crm__bgbb_expected, |a| crate::models::model_type::expected_purchases::<crm_bgbb, _>(a));
row_function!(
    pg_finfo_crm__bgbb_expected_new,
    crm__bgbb_expected_new,
    |a| crate::models::model_type::expected_purchases_new::<crm_bgbb, _>(a)
);
row_function!(pg_finfo_crm__bgbb_prob, crm__bgbb_prob, |a| crate::models::model_type::prob_purchases::<crm_bgbb, _>(a));

/// The model argument of a BG/BB predictor, decoded once per query.
fn model(a: &RowArgs) -> BgBbParams {
    a.models::<()>().model::<crm_bgbb>(0).0
}

// crm_p_alive(model, frequency, recency, t, future): P(alive at opportunity t + future).
row_function!(pg_finfo_crm__bgbb_p_alive_at, crm__bgbb_p_alive_at, |a| {
    let future = a.i32(4);
    let Ok(future) = u64::try_from(future) else { raise(CrmError::invalid(format!("future must not be negative, got {future}"))) };
    a.ret_f64(bgbb::p_alive_at(&model(a), a.f64(1), a.f64(2), a.f64(3), future).or_raise())
});

// crm_dert(model, frequency, recency, t, discount): discounted expected residual transactions.
row_function!(pg_finfo_crm__bgbb_dert, crm__bgbb_dert, |a| {
    a.ret_f64(bgbb::dert(&model(a), a.f64(1), a.f64(2), a.f64(3), a.f64(4)).or_raise())
});

/// Customers simulated from the BG/BB process over `periods` opportunities; deterministic for a seed.
#[pg_extern(immutable, parallel_safe, name = "crm_simulate")]
fn crm_simulate_bgbb(
    model: crm_bgbb,
    customers: i64,
    periods: default!(i32, 6),
    seed: default!(i64, 42),
) -> TableIterator<'static, (name!(customer_id, i64), name!(frequency, i64), name!(recency, i64), name!(t, i64))> {
    let (n, seed) = crate::models::model_type::simulation_counts(customers, seed);
    let Ok(periods) = u64::try_from(periods) else { raise(CrmError::invalid(format!("periods must not be negative, got {periods}"))) };
    let rows = bgbb::simulate(n, &model.0.params, periods, seed, &mut crate::pg::aggregate_support::check_interrupts).or_raise();
    TableIterator::new(rows.into_iter().map(|c| (c.id as i64, c.frequency as i64, c.recency as i64, c.periods as i64)))
}

/// A BG/BB model from known parameters.
#[pg_extern(immutable, parallel_safe, name = "crm_bgbb")]
fn crm_bgbb_given(alpha: f64, beta: f64, gamma: f64, delta: f64) -> crm_bgbb {
    crm_bgbb(ModelValue::given(BgBbParams { alpha, beta, gamma, delta }, None).or_raise())
}

crm_sql::model_sql! {
    model: bgbb,
    title: "BG/BB",
    article: "a",
    parameters: "alpha, beta, gamma, delta",
    timed: false,
    purchase: false,
    type_comment: "A BG/BB model (Fader, Hardie and Shang 2010) for discrete transaction opportunities: transaction probability p ~ Beta(alpha, beta) per opportunity while alive, dropout probability theta ~ Beta(gamma, delta) per opportunity, with fit diagnostics and warnings. Text form is JSON.",
    sql: r#"
CREATE FUNCTION crm__bgbb_final(state crm_rft_summary)
    RETURNS crm_bgbb IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__bgbb_final';
CREATE FUNCTION crm_bgbb_fit(summary crm_rft_summary, penalizer float8 DEFAULT NULL)
    RETURNS crm_bgbb STABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__bgbb_fit_summary';
CREATE AGGREGATE crm_bgbb_fit(frequency float8, recency float8, t float8) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__bgbb_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_bgbb_fit(frequency float8, recency float8, t float8, penalizer float8) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__bgbb_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE FUNCTION crm_p_alive(model crm_bgbb, frequency float8, recency float8, t float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__bgbb_p_alive';
CREATE FUNCTION crm_p_alive(model crm_bgbb, frequency float8, recency float8, t float8, future integer)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__bgbb_p_alive_at';
CREATE FUNCTION crm_expected_purchases(model crm_bgbb, frequency float8, recency float8, t float8, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__bgbb_expected';
CREATE FUNCTION crm_expected_purchases_new(model crm_bgbb, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__bgbb_expected_new';
CREATE FUNCTION crm_prob_purchases(model crm_bgbb, n bigint, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__bgbb_prob';
CREATE FUNCTION crm_dert(model crm_bgbb, frequency float8, recency float8, t float8, discount float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__bgbb_dert';
COMMENT ON FUNCTION crm__bgbb_final(crm_rft_summary) IS 'Internal: final function of the crm_bgbb_fit aggregates.';
COMMENT ON FUNCTION crm_bgbb_fit(crm_rft_summary, float8) IS 'Fits a BG/BB model to a summary of (frequency, recency, opportunities) rows (crm_rft_summary with t = opportunities; weights allowed); penalizer defaults to the summary''s (0).';
COMMENT ON AGGREGATE crm_bgbb_fit(float8, float8, float8) IS 'Fits a BG/BB model by maximum likelihood. frequency = transactions after the first opportunity, recency = the opportunity (1..t) of the last one (0 if none), t = opportunities observed; whole numbers. NULL rows are skipped; empty input gives NULL.';
COMMENT ON AGGREGATE crm_bgbb_fit(float8, float8, float8, float8) IS 'Fits a BG/BB model with an L2 penalizer (the lifetimes library''s semantics; 0 = maximum likelihood).';
COMMENT ON FUNCTION crm_p_alive(crm_bgbb, float8, float8, float8) IS 'BG/BB probability that a customer with frequency, recency and t opportunities is alive at opportunity t.';
COMMENT ON FUNCTION crm_p_alive(crm_bgbb, float8, float8, float8, integer) IS 'BG/BB probability that a customer with frequency, recency and t opportunities is alive at opportunity t + future.';
COMMENT ON FUNCTION crm_expected_purchases(crm_bgbb, float8, float8, float8, float8) IS 'BG/BB expected transactions in the next horizon (whole) opportunities of a customer with frequency, recency and t.';
COMMENT ON FUNCTION crm_expected_purchases_new(crm_bgbb, float8) IS 'BG/BB expected transactions of a new customer in the first horizon (whole) opportunities.';
COMMENT ON FUNCTION crm_prob_purchases(crm_bgbb, bigint, float8) IS 'BG/BB probability that a new customer makes exactly n transactions in the first horizon opportunities.';
COMMENT ON FUNCTION crm_dert(crm_bgbb, float8, float8, float8, float8) IS 'BG/BB discounted expected residual transactions of a customer with frequency, recency and t, at a discount rate per opportunity (Fader, Hardie and Shang 2010).';
COMMENT ON FUNCTION crm_simulate(crm_bgbb, bigint, integer, bigint) IS 'Customers simulated from the BG/BB process over periods opportunities (frequency, recency = opportunity of the last transaction, t = periods); deterministic for a seed.';
"#,
    requires: ["crm_rft_summary_type", crm_simulate_bgbb],
}
