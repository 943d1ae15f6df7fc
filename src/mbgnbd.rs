//! MBG/NBD in SQL (Batislam, Denizel and Filiztekin 2007): the `crm_mbgnbd` model type, its fit
//! aggregate and fit-from-summary over `crm_rft_summary`, accessors and predictors. The math is
//! `crm_core::models::mbgnbd`; the SQL layer is the generic one of `model_type`.

use crate::model_common::{model_accessors, model_binary_io};
use crate::model_type::{model_type, purchase_predictors};
use crate::model_value::{Fit, FitsPurchases, ModelKind, ModelValue};
use crm_core::bgnbd::{BgNbdSummary, FitOptions};
use crm_core::error::CrmResult;
use crm_core::models::mbgnbd::{self, MbgNbdParams};
use crm_core::units::TimeUnit;
use pgrx::prelude::*;

#[derive(Clone, Debug)]
pub struct MbgNbd;

impl ModelKind for MbgNbd {
    type Params = MbgNbdParams;
    const NAME: &'static str = "mbgnbd";
    const TYPE_NAME: &'static str = "crm_mbgnbd";
    const TITLE: &'static str = "MBG/NBD";
    const PARAMETERS: &'static [&'static str] = &["r", "alpha", "a", "b"];
    fn estimates(p: &MbgNbdParams) -> Vec<f64> {
        vec![p.r, p.alpha, p.a, p.b]
    }
    fn from_estimates(v: &[f64]) -> MbgNbdParams {
        MbgNbdParams { r: v[0], alpha: v[1], a: v[2], b: v[3] }
    }
    fn validate(p: &MbgNbdParams) -> CrmResult<()> {
        mbgnbd::validate_params(p)
    }
}

impl FitsPurchases for MbgNbd {
    fn fit(summary: &BgNbdSummary, opts: &FitOptions, check_interrupt: &mut dyn FnMut()) -> CrmResult<Fit> {
        mbgnbd::fit(summary, opts, check_interrupt).map(Fit::from)
    }
}

model_type!(crm_mbgnbd, MbgNbd);
model_binary_io!(crm_mbgnbd, crm_mbgnbd_send, "crm__mbgnbd_send", crm_mbgnbd_recv, "crm__mbgnbd_recv");
model_accessors!(
    crm_mbgnbd,
    "crm_mbgnbd_params",
    [
        crm_std_error_mbgnbd,
        crm_log_likelihood_mbgnbd,
        crm_converged_mbgnbd,
        crm_customers_mbgnbd,
        crm_skipped_mbgnbd,
        crm_iterations_mbgnbd,
        crm_penalizer_mbgnbd,
        crm_mbgnbd_params,
        crm_parameter_mbgnbd,
        crm_confidence_intervals_mbgnbd,
        crm_model_summary_mbgnbd
    ]
);

crate::intervals::prediction_intervals!(crm_mbgnbd, MbgNbdParams, newtype, crm_expected_purchases_interval_mbgnbd, crm_clv_interval_mbgnbd);
purchase_predictors!(crm_mbgnbd, MbgNbd, {
    final: (pg_finfo_crm__mbgnbd_final, crm__mbgnbd_final),
    fit_summary: (pg_finfo_crm__mbgnbd_fit_summary, crm__mbgnbd_fit_summary),
    p_alive: (pg_finfo_crm__mbgnbd_p_alive, crm__mbgnbd_p_alive),
    expected: (pg_finfo_crm__mbgnbd_expected, crm__mbgnbd_expected),
    expected_new: (pg_finfo_crm__mbgnbd_expected_new, crm__mbgnbd_expected_new),
    prob: (pg_finfo_crm__mbgnbd_prob, crm__mbgnbd_prob),
    clv: (pg_finfo_crm__mbgnbd_clv, crm__mbgnbd_clv),
});

/// An MBG/NBD model from known parameters (published values, what-if analysis).
#[pg_extern(immutable, parallel_safe, name = "crm_mbgnbd")]
fn crm_mbgnbd_given(r: f64, alpha: f64, a: f64, b: f64, unit: default!(&str, "'week'")) -> crm_mbgnbd {
    let unit = crate::errors::OrRaise::or_raise(TimeUnit::parse(unit));
    crm_mbgnbd(crate::errors::OrRaise::or_raise(ModelValue::given(MbgNbdParams { r, alpha, a, b }, Some(unit))))
}

/// The time unit of an MBG/NBD model's recency, t, horizons and alpha.
#[pg_extern(immutable, parallel_safe, name = "crm_unit")]
fn crm_unit_mbgnbd(model: crm_mbgnbd) -> &'static str {
    model.0.unit.unwrap_or(TimeUnit::Week).as_str()
}

/// Customers simulated from the model: T ~ Uniform(0, t_max] in the model's unit; deterministic for a seed.
#[pg_extern(immutable, parallel_safe, name = "crm_simulate")]
fn crm_simulate_mbgnbd(
    model: crm_mbgnbd,
    customers: i64,
    t_max: default!(f64, 52.0),
    seed: default!(i64, 42),
) -> TableIterator<'static, (name!(customer_id, i64), name!(frequency, i64), name!(recency, f64), name!(t, f64))> {
    crate::model_type::simulated(customers, seed, |n, seed| {
        mbgnbd::simulate(n, &model.0.params, t_max, seed, &mut crate::aggregate_support::check_interrupts)
    })
}

extension_sql!(
    r#"
CREATE FUNCTION crm__mbgnbd_final(state crm_rft_summary)
    RETURNS crm_mbgnbd IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__mbgnbd_final';
CREATE FUNCTION crm_mbgnbd_fit(summary crm_rft_summary, penalizer float8 DEFAULT NULL, unit text DEFAULT NULL)
    RETURNS crm_mbgnbd STABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__mbgnbd_fit_summary';
CREATE AGGREGATE crm_mbgnbd_fit(frequency float8, recency float8, t float8) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__mbgnbd_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_mbgnbd_fit(frequency float8, recency float8, t float8, penalizer float8) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__mbgnbd_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_mbgnbd_fit(frequency float8, recency float8, t float8, penalizer float8, unit text) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__mbgnbd_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE FUNCTION crm_p_alive(model crm_mbgnbd, frequency float8, recency float8, t float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__mbgnbd_p_alive';
CREATE FUNCTION crm_expected_purchases(model crm_mbgnbd, frequency float8, recency float8, t float8, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__mbgnbd_expected';
CREATE FUNCTION crm_expected_purchases_new(model crm_mbgnbd, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__mbgnbd_expected_new';
CREATE FUNCTION crm_prob_purchases(model crm_mbgnbd, n bigint, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__mbgnbd_prob';
CREATE FUNCTION crm_clv(model crm_mbgnbd, gg crm_gamma_gamma, frequency float8, recency float8, t float8, monetary float8,
                        months integer DEFAULT 12, discount float8 DEFAULT 0.01)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__mbgnbd_clv';
CREATE FUNCTION crm_time_units_per_month(model crm_mbgnbd) RETURNS float8
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS $$ SELECT @extschema@.crm_time_units_per_month(@extschema@.crm_unit(model)) $$;
CREATE CAST (crm_mbgnbd AS jsonb) WITH INOUT;
CREATE CAST (jsonb AS crm_mbgnbd) WITH INOUT;
CREATE CAST (crm_mbgnbd AS json) WITH INOUT;
ALTER TYPE crm_mbgnbd SET (SEND = crm__mbgnbd_send, RECEIVE = crm__mbgnbd_recv);
COMMENT ON TYPE crm_mbgnbd IS 'An MBG/NBD model (Batislam, Denizel and Filiztekin 2007): BG/NBD in which a customer may also drop out right after the first purchase, so one-time buyers have P(alive) < 1. Parameters r, alpha (purchase rate Gamma), a, b (dropout Beta) in a time unit, with fit diagnostics and warnings. Text form is JSON.';
COMMENT ON FUNCTION crm__mbgnbd_final(crm_rft_summary) IS 'Internal: final function of the crm_mbgnbd_fit aggregates.';
COMMENT ON FUNCTION crm_mbgnbd_fit(crm_rft_summary, float8, text) IS 'Fits an MBG/NBD model to a purchase summary (crm_rft_summary, crm_rollup); penalizer and unit default to the summary''s (0, and week when it records none).';
COMMENT ON AGGREGATE crm_mbgnbd_fit(float8, float8, float8) IS 'Fits an MBG/NBD model by maximum likelihood. frequency = repeat purchases, recency = age at the last repeat purchase, t = age now, in weeks. NULL rows are skipped; empty input gives NULL.';
COMMENT ON AGGREGATE crm_mbgnbd_fit(float8, float8, float8, float8) IS 'Fits an MBG/NBD model with an L2 penalizer (the lifetimes library''s semantics; 0 = maximum likelihood). Times in weeks.';
COMMENT ON AGGREGATE crm_mbgnbd_fit(float8, float8, float8, float8, text) IS 'Fits an MBG/NBD model with a penalizer; unit = hour, day, week or month names the unit of recency and t.';
COMMENT ON FUNCTION crm_p_alive(crm_mbgnbd, float8, float8, float8) IS 'MBG/NBD probability that a customer with frequency (repeat purchases), recency and t (in the model''s unit) is alive; below 1 also for one-time buyers.';
COMMENT ON FUNCTION crm_expected_purchases(crm_mbgnbd, float8, float8, float8, float8) IS 'MBG/NBD expected purchases in the next horizon time units of a customer with frequency, recency and t.';
COMMENT ON FUNCTION crm_expected_purchases_new(crm_mbgnbd, float8) IS 'MBG/NBD expected purchases of a new customer in the first horizon time units.';
COMMENT ON FUNCTION crm_prob_purchases(crm_mbgnbd, bigint, float8) IS 'MBG/NBD probability that a new customer makes exactly n purchases in horizon time units.';
COMMENT ON FUNCTION crm_clv(crm_mbgnbd, crm_gamma_gamma, float8, float8, float8, float8, integer, float8) IS 'Customer lifetime value over months (default 12) with a monthly discount rate (default 0.01) from an MBG/NBD and a Gamma-Gamma model; frequency, recency, t in the MBG/NBD model''s unit, monetary = mean spend per repeat purchase.';
COMMENT ON FUNCTION crm_time_units_per_month(crm_mbgnbd) IS 'Time units per month of the MBG/NBD model''s unit.';
COMMENT ON FUNCTION crm_mbgnbd(float8, float8, float8, float8, text) IS 'An MBG/NBD model from known parameters r, alpha, a, b in the given time unit.';
COMMENT ON FUNCTION crm_unit(crm_mbgnbd) IS 'The time unit of an MBG/NBD model: hour, day, week or month.';
COMMENT ON FUNCTION crm_simulate(crm_mbgnbd, bigint, float8, bigint) IS 'Customers simulated from the MBG/NBD process (frequency = repeat purchases, recency and t in the model''s unit, t uniform on (0, t_max]); deterministic for a seed, for recovery tests and what-if data.';
COMMENT ON FUNCTION crm_mbgnbd_params(crm_mbgnbd) IS 'The parameters r, alpha, a, b of an MBG/NBD model with standard errors.';
COMMENT ON FUNCTION crm_parameter(crm_mbgnbd, text) IS 'The estimate of one MBG/NBD parameter by name (r, alpha, a, b).';
COMMENT ON FUNCTION crm_std_error(crm_mbgnbd, text) IS 'Standard error of an MBG/NBD parameter (r, alpha, a, b) from the inverse Hessian; NULL when unavailable.';
COMMENT ON FUNCTION crm_log_likelihood(crm_mbgnbd) IS 'Log-likelihood of the MBG/NBD fit (unpenalised, in the model''s time unit).';
COMMENT ON FUNCTION crm_converged(crm_mbgnbd) IS 'Whether the MBG/NBD fit converged.';
COMMENT ON FUNCTION crm_customers(crm_mbgnbd) IS 'Customers used by the MBG/NBD fit.';
COMMENT ON FUNCTION crm_skipped(crm_mbgnbd) IS 'Rows the MBG/NBD fit skipped because of NULLs.';
COMMENT ON FUNCTION crm_iterations(crm_mbgnbd) IS 'Optimiser iterations of the MBG/NBD fit.';
COMMENT ON FUNCTION crm_penalizer(crm_mbgnbd) IS 'The L2 penalizer of the MBG/NBD fit (0 = maximum likelihood).';
COMMENT ON CAST (crm_mbgnbd AS jsonb) IS 'The MBG/NBD model''s text form as jsonb (model::jsonb -> ''warnings'').';
COMMENT ON CAST (jsonb AS crm_mbgnbd) IS 'An MBG/NBD model from its JSON text form (checked as the type''s input).';
COMMENT ON CAST (crm_mbgnbd AS json) IS 'The MBG/NBD model''s text form as json.';
COMMENT ON FUNCTION crm__mbgnbd_send(crm_mbgnbd) IS 'Internal: the MBG/NBD model''s binary form (a version byte and the text form).';
COMMENT ON FUNCTION crm__mbgnbd_recv(internal) IS 'Internal: reads the MBG/NBD model''s binary form through the type''s input.';
COMMENT ON FUNCTION crm_mbgnbd_eq(crm_mbgnbd, crm_mbgnbd) IS 'Whether two MBG/NBD models are equal (the same text form); the function of its operator.';
COMMENT ON FUNCTION crm_mbgnbd_ne(crm_mbgnbd, crm_mbgnbd) IS 'Whether two MBG/NBD models are not equal; the function of its operator.';
COMMENT ON FUNCTION crm_mbgnbd_lt(crm_mbgnbd, crm_mbgnbd) IS 'Whether the first MBG/NBD model orders before the second, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_mbgnbd_le(crm_mbgnbd, crm_mbgnbd) IS 'Whether the first MBG/NBD model orders before the second or equal, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_mbgnbd_gt(crm_mbgnbd, crm_mbgnbd) IS 'Whether the first MBG/NBD model orders after the second, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_mbgnbd_ge(crm_mbgnbd, crm_mbgnbd) IS 'Whether the first MBG/NBD model orders after the second or equal, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_mbgnbd_cmp(crm_mbgnbd, crm_mbgnbd) IS 'Order of two MBG/NBD models by text form (-1, 0, 1), for the btree operator class.';
COMMENT ON FUNCTION crm_mbgnbd_hash(crm_mbgnbd) IS 'Hash of an MBG/NBD model''s text form, for the hash operator class.';
COMMENT ON OPERATOR = (crm_mbgnbd, crm_mbgnbd) IS 'MBG/NBD models equal (the same text form).';
COMMENT ON OPERATOR <> (crm_mbgnbd, crm_mbgnbd) IS 'MBG/NBD models not equal.';
COMMENT ON OPERATOR < (crm_mbgnbd, crm_mbgnbd) IS 'MBG/NBD models ordered before, by text form.';
COMMENT ON OPERATOR <= (crm_mbgnbd, crm_mbgnbd) IS 'MBG/NBD models ordered before or equal, by text form.';
COMMENT ON OPERATOR > (crm_mbgnbd, crm_mbgnbd) IS 'MBG/NBD models ordered after, by text form.';
COMMENT ON OPERATOR >= (crm_mbgnbd, crm_mbgnbd) IS 'MBG/NBD models ordered after or equal, by text form.';
"#,
    name = "crm_mbgnbd_sql",
    requires = [
        crm_mbgnbd,
        "crm_rft_summary_type",
        "crm_gamma_gamma_comments",
        crm_mbgnbd_send,
        crm_mbgnbd_recv,
        crm_mbgnbd_eq,
        crm_mbgnbd_ne,
        crm_mbgnbd_lt,
        crm_mbgnbd_le,
        crm_mbgnbd_gt,
        crm_mbgnbd_ge,
        crm_mbgnbd_cmp,
        crm_mbgnbd_hash,
        crm_mbgnbd_given,
        crm_unit_mbgnbd,
        crm_simulate_mbgnbd,
        crm_mbgnbd_params,
        crm_parameter_mbgnbd,
        crm_std_error_mbgnbd,
        crm_log_likelihood_mbgnbd,
        crm_converged_mbgnbd,
        crm_customers_mbgnbd,
        crm_skipped_mbgnbd,
        crm_iterations_mbgnbd,
        crm_penalizer_mbgnbd,
        "crm_bgnbd_comments"
    ]
);
