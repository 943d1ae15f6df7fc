//! MBG/NBD in SQL (Batislam, Denizel and Filiztekin 2007): the `crm_mbgnbd` model type, its fit
//! aggregate and fit-from-summary over `crm_rft_summary`, accessors and predictors. The math is
//! `crm_core::models::mbgnbd`; the SQL layer is the generic one of `model_type`.

use crate::models::model_common::model_accessors;
use crate::models::model_type::{model_type, purchase_predictors};
use crate::models::model_value::{Fit, FitsPurchases, ModelKind, ModelValue};
use crate::pg::stored_form::stored_form;
use crm_core::error::CrmResult;
use crm_core::models::fit_options::FitOptions;
use crm_core::models::mbgnbd::{self, MbgNbdParams};
use crm_core::summary::rft::BgNbdSummary;
use crm_core::summary::units::TimeUnit;
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
stored_form!(crm_mbgnbd, crm_mbgnbd_send, "crm__mbgnbd_send", crm_mbgnbd_recv, "crm__mbgnbd_recv");
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

crate::models::intervals::prediction_intervals!(
    crm_mbgnbd,
    MbgNbdParams,
    newtype,
    crm_expected_purchases_interval_mbgnbd,
    crm_clv_interval_mbgnbd
);
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
    let unit = crate::pg::errors::OrRaise::or_raise(TimeUnit::parse(unit));
    crm_mbgnbd(crate::pg::errors::OrRaise::or_raise(ModelValue::given(MbgNbdParams { r, alpha, a, b }, Some(unit))))
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
    crate::models::model_type::simulated(customers, seed, |n, seed| {
        mbgnbd::simulate(n, &model.0.params, t_max, seed, &mut crate::pg::aggregate_support::check_interrupts)
    })
}

crm_sql::model_sql! {
    model: mbgnbd,
    title: "MBG/NBD",
    article: "an",
    parameters: "r, alpha, a, b",
    timed: true,
    purchase: true,
    type_comment: "An MBG/NBD model (Batislam, Denizel and Filiztekin 2007): BG/NBD in which a customer may also drop out right after the first purchase, so one-time buyers have P(alive) < 1. Parameters r, alpha (purchase rate Gamma), a, b (dropout Beta) in a time unit, with fit diagnostics and warnings. Text form is JSON.",
    p_alive_note: "below 1 also for one-time buyers",
    sql: r#"
COMMENT ON FUNCTION crm_simulate(crm_mbgnbd, bigint, float8, bigint) IS 'Customers simulated from the MBG/NBD process (frequency = repeat purchases, recency and t in the model''s unit, t uniform on (0, t_max]); deterministic for a seed, for recovery tests and what-if data.';
"#,
    requires: [crm_simulate_mbgnbd, "crm_bgnbd_comments"],
}
