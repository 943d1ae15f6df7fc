//! Pareto/NBD in SQL (Schmittlein, Morrison and Colombo 1987): the `crm_pareto_nbd` model type, its fit
//! aggregate and fit-from-summary over `crm_rft_summary`, accessors and predictors. The math is
//! `crm_core::models::pareto_nbd`; the SQL layer is the generic one of `model_type`.

use crate::models::model_common::model_accessors;
use crate::models::model_type::{model_type, purchase_predictors};
use crate::models::model_value::{Fit, FitsPurchases, ModelKind, ModelValue};
use crate::pg::errors::OrRaise;
use crate::pg::row_call::row_function;
use crate::pg::stored_form::stored_form;
use crm_core::error::CrmResult;
use crm_core::models::fit_options::FitOptions;
use crm_core::models::pareto_nbd::{self, ParetoNbdParams};
use crm_core::summary::rft::BgNbdSummary;
use crm_core::summary::units::TimeUnit;
use pgrx::prelude::*;

#[derive(Clone, Debug)]
pub struct ParetoNbd;

impl ModelKind for ParetoNbd {
    type Params = ParetoNbdParams;
    const NAME: &'static str = "pareto_nbd";
    const TYPE_NAME: &'static str = "crm_pareto_nbd";
    const TITLE: &'static str = "Pareto/NBD";
    const PARAMETERS: &'static [&'static str] = &["r", "alpha", "s", "beta"];
    fn estimates(p: &ParetoNbdParams) -> Vec<f64> {
        vec![p.r, p.alpha, p.s, p.beta]
    }
    fn from_estimates(v: &[f64]) -> ParetoNbdParams {
        ParetoNbdParams { r: v[0], alpha: v[1], s: v[2], beta: v[3] }
    }
    fn validate(p: &ParetoNbdParams) -> CrmResult<()> {
        pareto_nbd::validate_params(p)
    }
}

impl FitsPurchases for ParetoNbd {
    fn fit(summary: &BgNbdSummary, opts: &FitOptions, check_interrupt: &mut dyn FnMut()) -> CrmResult<Fit> {
        pareto_nbd::fit(summary, opts, check_interrupt).map(Fit::from)
    }
}

model_type!(crm_pareto_nbd, ParetoNbd);
stored_form!(crm_pareto_nbd, crm_pareto_nbd_send, "crm__pareto_nbd_send", crm_pareto_nbd_recv, "crm__pareto_nbd_recv");
model_accessors!(
    crm_pareto_nbd,
    "crm_pareto_nbd_params",
    [
        crm_std_error_pareto_nbd,
        crm_log_likelihood_pareto_nbd,
        crm_converged_pareto_nbd,
        crm_customers_pareto_nbd,
        crm_skipped_pareto_nbd,
        crm_iterations_pareto_nbd,
        crm_penalizer_pareto_nbd,
        crm_pareto_nbd_params,
        crm_parameter_pareto_nbd,
        crm_confidence_intervals_pareto_nbd,
        crm_model_summary_pareto_nbd
    ]
);

crate::models::intervals::prediction_intervals!(
    crm_pareto_nbd,
    ParetoNbdParams,
    newtype,
    crm_expected_purchases_interval_pareto_nbd,
    crm_clv_interval_pareto_nbd
);
purchase_predictors!(crm_pareto_nbd, ParetoNbd, {
    final: (pg_finfo_crm__pareto_nbd_final, crm__pareto_nbd_final),
    fit_summary: (pg_finfo_crm__pareto_nbd_fit_summary, crm__pareto_nbd_fit_summary),
    p_alive: (pg_finfo_crm__pareto_nbd_p_alive, crm__pareto_nbd_p_alive),
    expected: (pg_finfo_crm__pareto_nbd_expected, crm__pareto_nbd_expected),
    expected_new: (pg_finfo_crm__pareto_nbd_expected_new, crm__pareto_nbd_expected_new),
    prob: (pg_finfo_crm__pareto_nbd_prob, crm__pareto_nbd_prob),
    clv: (pg_finfo_crm__pareto_nbd_clv, crm__pareto_nbd_clv),
});

// crm_conditional_prob_purchases(model, n, frequency, recency, t, horizon): P(exactly n purchases
// in (t, t + horizon] | frequency, recency, t).
row_function!(pg_finfo_crm__pareto_nbd_conditional_prob, crm__pareto_nbd_conditional_prob, |a| {
    let (model, _) = a.models::<()>().model::<crm_pareto_nbd>(0);
    let n = crate::models::model_type::purchase_count(a.i64(1));
    a.ret_f64(pareto_nbd::conditional_prob_purchases(&model, n, a.f64(2), a.f64(3), a.f64(4), a.f64(5)).or_raise())
});

// crm_dert(model, frequency, recency, t, discount): discounted expected residual transactions at a
// continuous discount rate per time unit.
row_function!(pg_finfo_crm__pareto_nbd_dert, crm__pareto_nbd_dert, |a| {
    let (model, _) = a.models::<()>().model::<crm_pareto_nbd>(0);
    a.ret_f64(pareto_nbd::dert(&model, a.f64(1), a.f64(2), a.f64(3), a.f64(4)).or_raise())
});

/// A Pareto/NBD model from known parameters (published values, what-if analysis).
#[pg_extern(immutable, parallel_safe, name = "crm_pareto_nbd")]
fn crm_pareto_nbd_given(r: f64, alpha: f64, s: f64, beta: f64, unit: default!(&str, "'week'")) -> crm_pareto_nbd {
    let unit = crate::pg::errors::OrRaise::or_raise(TimeUnit::parse(unit));
    crm_pareto_nbd(crate::pg::errors::OrRaise::or_raise(ModelValue::given(ParetoNbdParams { r, alpha, s, beta }, Some(unit))))
}

/// The time unit of a Pareto/NBD model's recency, t, horizons and alpha.
#[pg_extern(immutable, parallel_safe, name = "crm_unit")]
fn crm_unit_pareto_nbd(model: crm_pareto_nbd) -> &'static str {
    model.0.unit.unwrap_or(TimeUnit::Week).as_str()
}

/// Customers simulated from the model: T ~ Uniform(0, t_max] in the model's unit; deterministic for a seed.
#[pg_extern(immutable, parallel_safe, name = "crm_simulate")]
fn crm_simulate_pareto_nbd(
    model: crm_pareto_nbd,
    customers: i64,
    t_max: default!(f64, 52.0),
    seed: default!(i64, 42),
) -> TableIterator<'static, (name!(customer_id, i64), name!(frequency, i64), name!(recency, f64), name!(t, f64))> {
    crate::models::model_type::simulated(customers, seed, |n, seed| {
        pareto_nbd::simulate(n, &model.0.params, t_max, seed, &mut crate::pg::aggregate_support::check_interrupts)
    })
}

crm_sql::model_sql! {
    model: pareto_nbd,
    title: "Pareto/NBD",
    article: "a",
    parameters: "r, alpha, s, beta",
    timed: true,
    purchase: true,
    type_comment: "A Pareto/NBD model (Schmittlein, Morrison and Colombo 1987): purchases at a Gamma(r, alpha) distributed Poisson rate while alive, lifetimes exponential with a Gamma(s, beta) distributed dropout rate. Parameters in a time unit, with fit diagnostics and warnings. Text form is JSON.",
    sql: r#"
CREATE FUNCTION crm_conditional_prob_purchases(model crm_pareto_nbd, n bigint, frequency float8, recency float8, t float8, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__pareto_nbd_conditional_prob';
CREATE FUNCTION crm_dert(model crm_pareto_nbd, frequency float8, recency float8, t float8, discount float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__pareto_nbd_dert';
COMMENT ON FUNCTION crm_conditional_prob_purchases(crm_pareto_nbd, bigint, float8, float8, float8, float8) IS 'Pareto/NBD probability that a customer with frequency, recency and t makes exactly n purchases in the next horizon time units.';
COMMENT ON FUNCTION crm_dert(crm_pareto_nbd, float8, float8, float8, float8) IS 'Pareto/NBD discounted expected residual transactions of a customer with frequency, recency and t, at a continuous discount rate per time unit (Fader, Hardie and Lee 2005).';
COMMENT ON FUNCTION crm_simulate(crm_pareto_nbd, bigint, float8, bigint) IS 'Customers simulated from the Pareto/NBD process (frequency = repeat purchases, recency and t in the model''s unit, t uniform on (0, t_max]); deterministic for a seed, for recovery tests and what-if data.';
"#,
    requires: [crm_simulate_pareto_nbd, "crm_bgnbd_comments"],
}
