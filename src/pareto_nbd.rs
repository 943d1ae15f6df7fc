//! Pareto/NBD in SQL (Schmittlein, Morrison and Colombo 1987): the `crm_pareto_nbd` model type, its fit
//! aggregate and fit-from-summary over `crm_rft_summary`, accessors and predictors. The math is
//! `crm_core::models::pareto_nbd`; the SQL layer is the generic one of `model_type`.

use crate::errors::OrRaise;
use crate::model_common::{model_accessors, model_binary_io};
use crate::model_type::{model_type, purchase_predictors};
use crate::model_value::{Fit, FitsPurchases, ModelKind, ModelValue};
use crate::row_call::row_function;
use crm_core::bgnbd::{BgNbdSummary, FitOptions};
use crm_core::error::CrmResult;
use crm_core::models::pareto_nbd::{self, ParetoNbdParams};
use crm_core::units::TimeUnit;
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
model_binary_io!(crm_pareto_nbd, crm_pareto_nbd_send, "crm__pareto_nbd_send", crm_pareto_nbd_recv, "crm__pareto_nbd_recv");
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

crate::intervals::prediction_intervals!(
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
    let n = crate::model_type::purchase_count(a.i64(1));
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
    let unit = crate::errors::OrRaise::or_raise(TimeUnit::parse(unit));
    crm_pareto_nbd(crate::errors::OrRaise::or_raise(ModelValue::given(ParetoNbdParams { r, alpha, s, beta }, Some(unit))))
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
    crate::model_type::simulated(customers, seed, |n, seed| {
        pareto_nbd::simulate(n, &model.0.params, t_max, seed, &mut crate::aggregate_support::check_interrupts)
    })
}

extension_sql!(
    r#"
CREATE FUNCTION crm__pareto_nbd_final(state crm_rft_summary)
    RETURNS crm_pareto_nbd IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__pareto_nbd_final';
CREATE FUNCTION crm_pareto_nbd_fit(summary crm_rft_summary, penalizer float8 DEFAULT NULL, unit text DEFAULT NULL)
    RETURNS crm_pareto_nbd STABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__pareto_nbd_fit_summary';
CREATE AGGREGATE crm_pareto_nbd_fit(frequency float8, recency float8, t float8) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__pareto_nbd_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_pareto_nbd_fit(frequency float8, recency float8, t float8, penalizer float8) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__pareto_nbd_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_pareto_nbd_fit(frequency float8, recency float8, t float8, penalizer float8, unit text) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__pareto_nbd_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE FUNCTION crm_p_alive(model crm_pareto_nbd, frequency float8, recency float8, t float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__pareto_nbd_p_alive';
CREATE FUNCTION crm_expected_purchases(model crm_pareto_nbd, frequency float8, recency float8, t float8, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__pareto_nbd_expected';
CREATE FUNCTION crm_expected_purchases_new(model crm_pareto_nbd, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__pareto_nbd_expected_new';
CREATE FUNCTION crm_prob_purchases(model crm_pareto_nbd, n bigint, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__pareto_nbd_prob';
CREATE FUNCTION crm_clv(model crm_pareto_nbd, gg crm_gamma_gamma, frequency float8, recency float8, t float8, monetary float8,
                        months integer DEFAULT 12, discount float8 DEFAULT 0.01)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__pareto_nbd_clv';
CREATE FUNCTION crm_conditional_prob_purchases(model crm_pareto_nbd, n bigint, frequency float8, recency float8, t float8, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__pareto_nbd_conditional_prob';
CREATE FUNCTION crm_dert(model crm_pareto_nbd, frequency float8, recency float8, t float8, discount float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__pareto_nbd_dert';
COMMENT ON FUNCTION crm_conditional_prob_purchases(crm_pareto_nbd, bigint, float8, float8, float8, float8) IS 'Pareto/NBD probability that a customer with frequency, recency and t makes exactly n purchases in the next horizon time units.';
COMMENT ON FUNCTION crm_dert(crm_pareto_nbd, float8, float8, float8, float8) IS 'Pareto/NBD discounted expected residual transactions of a customer with frequency, recency and t, at a continuous discount rate per time unit (Fader, Hardie and Lee 2005).';
CREATE FUNCTION crm_time_units_per_month(model crm_pareto_nbd) RETURNS float8
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS $$ SELECT @extschema@.crm_time_units_per_month(@extschema@.crm_unit(model)) $$;
CREATE CAST (crm_pareto_nbd AS jsonb) WITH INOUT;
CREATE CAST (jsonb AS crm_pareto_nbd) WITH INOUT;
CREATE CAST (crm_pareto_nbd AS json) WITH INOUT;
ALTER TYPE crm_pareto_nbd SET (SEND = crm__pareto_nbd_send, RECEIVE = crm__pareto_nbd_recv);
COMMENT ON TYPE crm_pareto_nbd IS 'A Pareto/NBD model (Schmittlein, Morrison and Colombo 1987): purchases at a Gamma(r, alpha) distributed Poisson rate while alive, lifetimes exponential with a Gamma(s, beta) distributed dropout rate. Parameters in a time unit, with fit diagnostics and warnings. Text form is JSON.';
COMMENT ON FUNCTION crm__pareto_nbd_final(crm_rft_summary) IS 'Internal: final function of the crm_pareto_nbd_fit aggregates.';
COMMENT ON FUNCTION crm_pareto_nbd_fit(crm_rft_summary, float8, text) IS 'Fits a Pareto/NBD model to a purchase summary (crm_rft_summary, crm_rollup); penalizer and unit default to the summary''s (0, and week when it records none).';
COMMENT ON AGGREGATE crm_pareto_nbd_fit(float8, float8, float8) IS 'Fits a Pareto/NBD model by maximum likelihood. frequency = repeat purchases, recency = age at the last repeat purchase, t = age now, in weeks. NULL rows are skipped; empty input gives NULL.';
COMMENT ON AGGREGATE crm_pareto_nbd_fit(float8, float8, float8, float8) IS 'Fits a Pareto/NBD model with an L2 penalizer (the lifetimes library''s semantics; 0 = maximum likelihood). Times in weeks.';
COMMENT ON AGGREGATE crm_pareto_nbd_fit(float8, float8, float8, float8, text) IS 'Fits a Pareto/NBD model with a penalizer; unit = hour, day, week or month names the unit of recency and t.';
COMMENT ON FUNCTION crm_p_alive(crm_pareto_nbd, float8, float8, float8) IS 'Pareto/NBD probability that a customer with frequency (repeat purchases), recency and t (in the model''s unit) is alive.';
COMMENT ON FUNCTION crm_expected_purchases(crm_pareto_nbd, float8, float8, float8, float8) IS 'Pareto/NBD expected purchases in the next horizon time units of a customer with frequency, recency and t.';
COMMENT ON FUNCTION crm_expected_purchases_new(crm_pareto_nbd, float8) IS 'Pareto/NBD expected purchases of a new customer in the first horizon time units.';
COMMENT ON FUNCTION crm_prob_purchases(crm_pareto_nbd, bigint, float8) IS 'Pareto/NBD probability that a new customer makes exactly n purchases in horizon time units.';
COMMENT ON FUNCTION crm_clv(crm_pareto_nbd, crm_gamma_gamma, float8, float8, float8, float8, integer, float8) IS 'Customer lifetime value over months (default 12) with a monthly discount rate (default 0.01) from a Pareto/NBD and a Gamma-Gamma model; frequency, recency, t in the Pareto/NBD model''s unit, monetary = mean spend per repeat purchase.';
COMMENT ON FUNCTION crm_time_units_per_month(crm_pareto_nbd) IS 'Time units per month of the Pareto/NBD model''s unit.';
COMMENT ON FUNCTION crm_pareto_nbd(float8, float8, float8, float8, text) IS 'A Pareto/NBD model from known parameters r, alpha, s, beta in the given time unit.';
COMMENT ON FUNCTION crm_unit(crm_pareto_nbd) IS 'The time unit of a Pareto/NBD model: hour, day, week or month.';
COMMENT ON FUNCTION crm_simulate(crm_pareto_nbd, bigint, float8, bigint) IS 'Customers simulated from the Pareto/NBD process (frequency = repeat purchases, recency and t in the model''s unit, t uniform on (0, t_max]); deterministic for a seed, for recovery tests and what-if data.';
COMMENT ON FUNCTION crm_pareto_nbd_params(crm_pareto_nbd) IS 'The parameters r, alpha, s, beta of a Pareto/NBD model with standard errors.';
COMMENT ON FUNCTION crm_parameter(crm_pareto_nbd, text) IS 'The estimate of one Pareto/NBD parameter by name (r, alpha, s, beta).';
COMMENT ON FUNCTION crm_std_error(crm_pareto_nbd, text) IS 'Standard error of a Pareto/NBD parameter (r, alpha, s, beta) from the inverse Hessian; NULL when unavailable.';
COMMENT ON FUNCTION crm_log_likelihood(crm_pareto_nbd) IS 'Log-likelihood of the Pareto/NBD fit (unpenalised, in the model''s time unit).';
COMMENT ON FUNCTION crm_converged(crm_pareto_nbd) IS 'Whether the Pareto/NBD fit converged.';
COMMENT ON FUNCTION crm_customers(crm_pareto_nbd) IS 'Customers used by the Pareto/NBD fit.';
COMMENT ON FUNCTION crm_skipped(crm_pareto_nbd) IS 'Rows the Pareto/NBD fit skipped because of NULLs.';
COMMENT ON FUNCTION crm_iterations(crm_pareto_nbd) IS 'Optimiser iterations of the Pareto/NBD fit.';
COMMENT ON FUNCTION crm_penalizer(crm_pareto_nbd) IS 'The L2 penalizer of the Pareto/NBD fit (0 = maximum likelihood).';
COMMENT ON CAST (crm_pareto_nbd AS jsonb) IS 'The Pareto/NBD model''s text form as jsonb (model::jsonb -> ''warnings'').';
COMMENT ON CAST (jsonb AS crm_pareto_nbd) IS 'A Pareto/NBD model from its JSON text form (checked as the type''s input).';
COMMENT ON CAST (crm_pareto_nbd AS json) IS 'The Pareto/NBD model''s text form as json.';
COMMENT ON FUNCTION crm__pareto_nbd_send(crm_pareto_nbd) IS 'Internal: the Pareto/NBD model''s binary form (a version byte and the text form).';
COMMENT ON FUNCTION crm__pareto_nbd_recv(internal) IS 'Internal: reads the Pareto/NBD model''s binary form through the type''s input.';
COMMENT ON FUNCTION crm_pareto_nbd_eq(crm_pareto_nbd, crm_pareto_nbd) IS 'Whether two Pareto/NBD models are equal (the same text form); the function of its operator.';
COMMENT ON FUNCTION crm_pareto_nbd_ne(crm_pareto_nbd, crm_pareto_nbd) IS 'Whether two Pareto/NBD models are not equal; the function of its operator.';
COMMENT ON FUNCTION crm_pareto_nbd_lt(crm_pareto_nbd, crm_pareto_nbd) IS 'Whether the first Pareto/NBD model orders before the second, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_pareto_nbd_le(crm_pareto_nbd, crm_pareto_nbd) IS 'Whether the first Pareto/NBD model orders before the second or equal, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_pareto_nbd_gt(crm_pareto_nbd, crm_pareto_nbd) IS 'Whether the first Pareto/NBD model orders after the second, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_pareto_nbd_ge(crm_pareto_nbd, crm_pareto_nbd) IS 'Whether the first Pareto/NBD model orders after the second or equal, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_pareto_nbd_cmp(crm_pareto_nbd, crm_pareto_nbd) IS 'Order of two Pareto/NBD models by text form (-1, 0, 1), for the btree operator class.';
COMMENT ON FUNCTION crm_pareto_nbd_hash(crm_pareto_nbd) IS 'Hash of a Pareto/NBD model''s text form, for the hash operator class.';
COMMENT ON OPERATOR = (crm_pareto_nbd, crm_pareto_nbd) IS 'Pareto/NBD models equal (the same text form).';
COMMENT ON OPERATOR <> (crm_pareto_nbd, crm_pareto_nbd) IS 'Pareto/NBD models not equal.';
COMMENT ON OPERATOR < (crm_pareto_nbd, crm_pareto_nbd) IS 'Pareto/NBD models ordered before, by text form.';
COMMENT ON OPERATOR <= (crm_pareto_nbd, crm_pareto_nbd) IS 'Pareto/NBD models ordered before or equal, by text form.';
COMMENT ON OPERATOR > (crm_pareto_nbd, crm_pareto_nbd) IS 'Pareto/NBD models ordered after, by text form.';
COMMENT ON OPERATOR >= (crm_pareto_nbd, crm_pareto_nbd) IS 'Pareto/NBD models ordered after or equal, by text form.';
"#,
    name = "crm_pareto_nbd_sql",
    requires = [
        crm_pareto_nbd,
        "crm_rft_summary_type",
        "crm_gamma_gamma_comments",
        crm_pareto_nbd_send,
        crm_pareto_nbd_recv,
        crm_pareto_nbd_eq,
        crm_pareto_nbd_ne,
        crm_pareto_nbd_lt,
        crm_pareto_nbd_le,
        crm_pareto_nbd_gt,
        crm_pareto_nbd_ge,
        crm_pareto_nbd_cmp,
        crm_pareto_nbd_hash,
        crm_pareto_nbd_given,
        crm_unit_pareto_nbd,
        crm_simulate_pareto_nbd,
        crm_pareto_nbd_params,
        crm_parameter_pareto_nbd,
        crm_std_error_pareto_nbd,
        crm_log_likelihood_pareto_nbd,
        crm_converged_pareto_nbd,
        crm_customers_pareto_nbd,
        crm_skipped_pareto_nbd,
        crm_iterations_pareto_nbd,
        crm_penalizer_pareto_nbd,
        "crm_bgnbd_comments"
    ]
);
