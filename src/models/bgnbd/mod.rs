//! BG/NBD in SQL: the `crm_bgnbd` model type, the parallel `crm_bgnbd_fit` aggregate,
//! accessors and predictors. The math is `crm_core::models::bgnbd`; `simulate` is `crm_bgnbd_simulate`.

mod simulate;

use crate::models::model_common::{model_accessors, ModelState};
use crate::models::model_type::{final_fit, fit_summary, model_type, FitsRftSummary};
use crate::models::model_value::{warn_not_converged, Fit, ModelKind, ModelValue};
use crate::pg::aggregate_support as agg;
use crate::pg::errors::OrRaise;
use crate::pg::row_call::row_function;
use crate::pg::stored_form::stored_form;
use crm_core::clv::scorer::PurchasesScorer;
use crm_core::error::CrmResult;
use crm_core::models::bgnbd::{self, BgNbdParams};
use crm_core::models::fit_options::FitOptions;
use crm_core::summary::rft::BgNbdSummary;
use crm_core::summary::units::TimeUnit;
use pgrx::pg_sys;
use pgrx::prelude::*;

/// BG/NBD for the generic layer: its names, parameters and their check.
#[derive(Clone, Debug)]
pub struct BgNbd;

impl ModelKind for BgNbd {
    type Params = BgNbdParams;
    const NAME: &'static str = "bgnbd";
    const TYPE_NAME: &'static str = "crm_bgnbd";
    const TITLE: &'static str = "BG/NBD";
    const PARAMETERS: &'static [&'static str] = &["r", "alpha", "a", "b"];
    const OMIT_EMPTY_WARNINGS: bool = true;
    fn estimates(p: &BgNbdParams) -> Vec<f64> {
        vec![p.r, p.alpha, p.a, p.b]
    }
    fn from_estimates(v: &[f64]) -> BgNbdParams {
        BgNbdParams { r: v[0], alpha: v[1], a: v[2], b: v[3] }
    }
    fn validate(p: &BgNbdParams) -> CrmResult<()> {
        bgnbd::validate_params(p)
    }
}

// A fitted (or user-specified) BG/NBD model. Text form: JSON with the paper's parameter names
// (the text form of 0.1.0: no "warnings" when there are none).
model_type!(crm_bgnbd, BgNbd);
stored_form!(crm_bgnbd, crm_bgnbd_send, "crm__bgnbd_send", crm_bgnbd_recv, "crm__bgnbd_recv");

impl crm_bgnbd {
    pub fn params(&self) -> BgNbdParams {
        self.0.params
    }

    /// The time unit (every BG/NBD value has one).
    pub fn unit(&self) -> TimeUnit {
        self.0.unit.unwrap_or(TimeUnit::Week)
    }
}

/// The fit aggregates' state and the fit-from-summary input: `crm_rft_summary`.
pub type BgNbdState = ModelState<BgNbdSummary>;

impl ModelState<BgNbdSummary> {
    /// The fitted model with this penalizer and unit; NULL for no rows, or (crm_ext.fit_errors)
    /// for data that cannot be fitted.
    pub(crate) fn fit(&self, fcinfo: pg_sys::FunctionCallInfo, penalizer: f64, unit: TimeUnit) -> Option<crm_bgnbd> {
        if self.summary.customers() == 0 {
            return None;
        }
        let opts = FitOptions { penalizer, ..FitOptions::default() };
        let (distinct, skipped_null) = (self.summary.distinct() as u64, self.settings.skipped_null);
        let value = bgnbd::fit(&self.summary, &opts, &mut crate::pg::aggregate_support::check_interrupts).and_then(|f| {
            let p = f.params;
            let fit =
                Fit::of_arrays([p.r, p.alpha, p.a, p.b], f.log_likelihood, f.std_errors, f.covariance.as_ref(), f.iterations, f.converged);
            ModelValue::<BgNbd>::fitted(fit, Some(unit), penalizer, (f.customers, distinct, skipped_null))
        });
        let value = agg::fit_or_warn(fcinfo, "crm_bgnbd_fit", value)?;
        warn_not_converged("crm_bgnbd_fit", &value, "check the time unit and the data (recency <= t), or add a small penalizer");
        Some(crm_bgnbd(value))
    }
}

impl FitsRftSummary for crm_bgnbd {
    const HAS_UNIT: bool = true;
    fn fit_rft(s: &BgNbdState, fcinfo: pg_sys::FunctionCallInfo, penalizer: f64, unit: Option<TimeUnit>) -> Option<Self> {
        s.fit(fcinfo, penalizer, unit.unwrap_or(TimeUnit::Week))
    }
}

// The final function of the one-call fit aggregates and crm_bgnbd_fit(summary, penalizer, unit).
row_function!(pg_finfo_crm__bgnbd_final, crm__bgnbd_final, |a| final_fit::<crm_bgnbd>(a));
row_function!(pg_finfo_crm__bgnbd_fit_summary, crm__bgnbd_fit_summary, |a| fit_summary::<crm_bgnbd>(a));

extension_sql!(
    r#"
CREATE FUNCTION crm_p_alive(model crm_bgnbd, frequency float8, recency float8, t float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm_p_alive';
CREATE FUNCTION crm_expected_purchases(model crm_bgnbd, frequency float8, recency float8, t float8, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm_expected_purchases';
CREATE FUNCTION crm_expected_purchases_new(model crm_bgnbd, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm_expected_purchases_new';
CREATE FUNCTION crm_prob_purchases(model crm_bgnbd, n bigint, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm_prob_purchases';
CREATE FUNCTION crm__bgnbd_final(state crm_rft_summary)
    RETURNS crm_bgnbd IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__bgnbd_final';
CREATE FUNCTION crm_bgnbd_fit(summary crm_rft_summary, penalizer float8 DEFAULT NULL, unit text DEFAULT NULL)
    RETURNS crm_bgnbd STABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__bgnbd_fit_summary';
"#,
    name = "crm_bgnbd_row_functions",
    requires = [crm_bgnbd, "crm_rft_summary_type"]
);

extension_sql!(
    r#"
CREATE AGGREGATE crm_bgnbd_fit(frequency float8, recency float8, t float8) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__bgnbd_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_bgnbd_fit(frequency float8, recency float8, t float8, penalizer float8) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__bgnbd_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_bgnbd_fit(frequency float8, recency float8, t float8, penalizer float8, unit text) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__bgnbd_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
COMMENT ON TYPE crm_bgnbd IS 'A BG/NBD model (Fader, Hardie and Lee 2005): parameters r, alpha, a, b in a time unit, with fit diagnostics. Text form is JSON.';
COMMENT ON AGGREGATE crm_bgnbd_fit(float8, float8, float8) IS 'Fits a BG/NBD model by maximum likelihood. frequency = repeat purchases, recency = age at the last repeat purchase, t = age now, in weeks. NULL rows are skipped; empty input gives NULL.';
COMMENT ON AGGREGATE crm_bgnbd_fit(float8, float8, float8, float8) IS 'Fits a BG/NBD model with an L2 penalizer on the parameters (the lifetimes library''s semantics; 0 = plain maximum likelihood). Times in weeks.';
COMMENT ON AGGREGATE crm_bgnbd_fit(float8, float8, float8, float8, text) IS 'Fits a BG/NBD model with a penalizer; unit = hour, day, week or month names the unit of recency and t.';
COMMENT ON FUNCTION crm_bgnbd_fit(crm_rft_summary, float8, text) IS 'Fits a BG/NBD model to a purchase summary (crm_rft_summary, crm_rollup): the same model as the one-call aggregate over the summarised rows. penalizer and unit default to the summary''s (0, and week when it records none).';
"#,
    name = "crm_bgnbd_fit_aggregates",
    requires = ["crm_bgnbd_row_functions"]
);

/// `crm_bgnbd(r, alpha, a, b, unit)`: in a module of its own because the function keeps the
/// Rust name (and so the C symbol, `crm_bgnbd_wrapper`) that 0.1.0's script names, which is also
/// the name of the type.
mod given {
    use super::{BgNbdParams, ModelValue, OrRaise, TimeUnit};
    use pgrx::prelude::*;

    type Model = super::crm_bgnbd;

    /// A BG/NBD model from known parameters (published values, what-if analysis).
    #[pg_extern(immutable, parallel_safe)]
    pub fn crm_bgnbd(r: f64, alpha: f64, a: f64, b: f64, unit: default!(&str, "'week'")) -> Model {
        let unit = TimeUnit::parse(unit).or_raise();
        super::crm_bgnbd(ModelValue::given(BgNbdParams { r, alpha, a, b }, Some(unit)).or_raise())
    }
}

// The probability that a customer with this history is still alive:
// crm_p_alive(model, frequency, recency, t).
row_function!(pg_finfo_crm_p_alive, crm_p_alive, |a| {
    let (bg, _) = a.models::<()>().model::<crm_bgnbd>(0);
    a.ret_f64(bgnbd::p_alive(&bg, a.f64(1), a.f64(2), a.f64(3)).or_raise())
});

// Expected purchases of a customer with this history in the next `horizon` time units:
// crm_expected_purchases(model, frequency, recency, t, horizon).
row_function!(pg_finfo_crm_expected_purchases, crm_expected_purchases, |a| {
    let mut models = a.models::<PurchasesScorer>();
    let ((bg, _), horizon) = (models.model::<crm_bgnbd>(0), a.f64(4));
    a.ret_f64(models.cache.with_scorer(
        |s| s.is_for(&bg, horizon, 1, 0.0),
        || PurchasesScorer::new(bg, horizon, 1, 0.0),
        |s| s.expected(a.f64(1), a.f64(2), a.f64(3)),
    ))
});

// Expected purchases of a new customer in their first `horizon` time units:
// crm_expected_purchases_new(model, horizon).
row_function!(pg_finfo_crm_expected_purchases_new, crm_expected_purchases_new, |a| {
    let (bg, _) = a.models::<()>().model::<crm_bgnbd>(0);
    a.ret_f64(bgnbd::expected_purchases_new(&bg, a.f64(1)).or_raise())
});

// P(N(horizon) = n), the probability that a new customer makes exactly n purchases in
// `horizon`: crm_prob_purchases(model, n, horizon).
row_function!(pg_finfo_crm_prob_purchases, crm_prob_purchases, |a| {
    let (bg, _) = a.models::<()>().model::<crm_bgnbd>(0);
    let n = crate::models::model_type::purchase_count(a.i64(1));
    a.ret_f64(bgnbd::prob_purchases(&bg, n, a.f64(2)).or_raise())
});

model_accessors!(
    crm_bgnbd,
    "crm_bgnbd_params",
    [
        crm_std_error_bgnbd,
        crm_log_likelihood_bgnbd,
        crm_converged_bgnbd,
        crm_customers_bgnbd,
        crm_skipped_bgnbd,
        crm_iterations_bgnbd,
        crm_penalizer_bgnbd,
        crm_bgnbd_params,
        crm_parameter_bgnbd,
        crm_confidence_intervals_bgnbd,
        crm_model_summary_bgnbd
    ]
);

impl crate::models::intervals::PurchaseInterval for crm_bgnbd {
    type Params = BgNbdParams;
    fn purchase_params(&self) -> BgNbdParams {
        self.params()
    }
    fn time_unit(&self) -> Option<TimeUnit> {
        Some(self.unit())
    }
}
crate::models::intervals::prediction_intervals!(crm_bgnbd, crm_expected_purchases_interval_bgnbd, crm_clv_interval_bgnbd);

#[pg_extern(immutable, parallel_safe)]
fn crm_bgnbd_r(model: crm_bgnbd) -> f64 {
    model.params().r
}
#[pg_extern(immutable, parallel_safe)]
fn crm_bgnbd_alpha(model: crm_bgnbd) -> f64 {
    model.params().alpha
}
#[pg_extern(immutable, parallel_safe)]
fn crm_bgnbd_a(model: crm_bgnbd) -> f64 {
    model.params().a
}
#[pg_extern(immutable, parallel_safe)]
fn crm_bgnbd_b(model: crm_bgnbd) -> f64 {
    model.params().b
}

/// The time unit of a BG/NBD model's recency, t, horizons and alpha.
#[pg_extern(immutable, parallel_safe)]
fn crm_unit(model: crm_bgnbd) -> &'static str {
    model.unit().as_str()
}

/// Time units per month as the CLV uses them: weeks 4.345, days 30, hours 720, months 1.
#[pg_extern(immutable, parallel_safe, name = "crm_time_units_per_month")]
fn crm_time_units_per_month_of_unit(unit: &str) -> f64 {
    TimeUnit::parse(unit).or_raise().per_month()
}

#[pg_extern(immutable, parallel_safe, name = "crm_time_units_per_month")]
fn crm_time_units_per_month_of_model(model: crm_bgnbd) -> f64 {
    model.unit().per_month()
}

extension_sql!(
    r#"
COMMENT ON FUNCTION crm_bgnbd(float8, float8, float8, float8, text) IS 'A BG/NBD model from known parameters r, alpha, a, b in the given time unit.';
COMMENT ON FUNCTION crm_p_alive(crm_bgnbd, float8, float8, float8) IS 'BG/NBD probability that a customer with frequency (repeat purchases), recency and t (in the model''s unit) is alive.';
COMMENT ON FUNCTION crm_expected_purchases(crm_bgnbd, float8, float8, float8, float8) IS 'BG/NBD expected purchases in the next horizon time units of a customer with frequency, recency and t.';
COMMENT ON FUNCTION crm_expected_purchases_new(crm_bgnbd, float8) IS 'BG/NBD expected purchases of a new customer in the first horizon time units.';
COMMENT ON FUNCTION crm_prob_purchases(crm_bgnbd, bigint, float8) IS 'BG/NBD probability that a new customer makes exactly n purchases in horizon time units.';
COMMENT ON FUNCTION crm_bgnbd_params(crm_bgnbd) IS 'The parameters r, alpha, a, b of a BG/NBD model with standard errors.';
COMMENT ON FUNCTION crm_bgnbd_r(crm_bgnbd) IS 'BG/NBD shape r of the purchase-rate Gamma distribution.';
COMMENT ON FUNCTION crm_bgnbd_alpha(crm_bgnbd) IS 'BG/NBD scale alpha of the purchase-rate Gamma distribution (in the model''s time unit).';
COMMENT ON FUNCTION crm_bgnbd_a(crm_bgnbd) IS 'BG/NBD parameter a of the dropout Beta distribution.';
COMMENT ON FUNCTION crm_bgnbd_b(crm_bgnbd) IS 'BG/NBD parameter b of the dropout Beta distribution.';
COMMENT ON FUNCTION crm_unit(crm_bgnbd) IS 'The time unit of a BG/NBD model: hour, day, week or month.';
COMMENT ON FUNCTION crm_time_units_per_month(text) IS 'Time units per month as CLV uses them: week 4.345, day 30, hour 720, month 1.';
COMMENT ON FUNCTION crm_time_units_per_month(crm_bgnbd) IS 'Time units per month of the model''s unit.';
COMMENT ON FUNCTION crm_parameter(crm_bgnbd, text) IS 'The estimate of one BG/NBD parameter by name (see crm_bgnbd_params for the names).';
COMMENT ON FUNCTION crm_std_error(crm_bgnbd, text) IS 'Standard error of a BG/NBD parameter (r, alpha, a, b) from the inverse Hessian; NULL when unavailable.';
COMMENT ON FUNCTION crm_log_likelihood(crm_bgnbd) IS 'Log-likelihood of the BG/NBD fit (unpenalised, in the model''s time unit).';
COMMENT ON FUNCTION crm_converged(crm_bgnbd) IS 'Whether the BG/NBD fit converged.';
COMMENT ON FUNCTION crm_customers(crm_bgnbd) IS 'Customers used by the BG/NBD fit.';
COMMENT ON FUNCTION crm_skipped(crm_bgnbd) IS 'Rows the BG/NBD fit skipped because of NULLs.';
COMMENT ON FUNCTION crm_iterations(crm_bgnbd) IS 'Optimiser iterations of the BG/NBD fit.';
COMMENT ON FUNCTION crm_penalizer(crm_bgnbd) IS 'The L2 penalizer of the BG/NBD fit (0 = maximum likelihood).';
"#,
    name = "crm_bgnbd_comments",
    requires = [
        crm_bgnbd,
        "crm_bgnbd_row_functions",
        crm_bgnbd_params,
        crm_bgnbd_r,
        crm_bgnbd_alpha,
        crm_bgnbd_a,
        crm_bgnbd_b,
        crm_unit,
        crm_time_units_per_month_of_unit,
        crm_time_units_per_month_of_model,
        crm_parameter_bgnbd,
        crm_std_error_bgnbd,
        crm_log_likelihood_bgnbd,
        crm_converged_bgnbd,
        crm_customers_bgnbd,
        crm_skipped_bgnbd,
        crm_iterations_bgnbd,
        crm_penalizer_bgnbd
    ]
);

// Casts through the text form, binary I/O, and the COMMENTs of the comparison functions that
// `model_comparisons!` defines.
crm_sql::type_sql! { model: bgnbd, title: "BG/NBD", article: "a", jsonb_note: "model::jsonb ->> 'converged'" }

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use pgrx::prelude::*;

    fn one_f64(sql: &str) -> f64 {
        Spi::get_one::<f64>(sql).unwrap().unwrap()
    }

    #[pg_test]
    fn text_form_round_trips_extreme_values_exactly() {
        let text = Spi::get_one::<String>("SELECT crm_bgnbd(1e-300, 5e-324, 1.7976931348623157e308, 0.1, 'day')::text").unwrap().unwrap();
        let again = Spi::get_one::<String>(&format!("SELECT '{text}'::crm_bgnbd::text")).unwrap().unwrap();
        assert_eq!(text, again);
        assert_eq!(one_f64(&format!("SELECT crm_bgnbd_r('{text}'::crm_bgnbd)")), 1e-300);
        assert_eq!(one_f64(&format!("SELECT crm_bgnbd_alpha('{text}'::crm_bgnbd)")), 5e-324);
        assert_eq!(one_f64(&format!("SELECT crm_bgnbd_a('{text}'::crm_bgnbd)")), f64::MAX);
        assert_eq!(Spi::get_one::<String>(&format!("SELECT crm_unit('{text}'::crm_bgnbd)")).unwrap().unwrap(), "day");
    }

    #[pg_test]
    fn stored_models_predict_like_fresh_ones() {
        Spi::run(
            "CREATE TABLE sim AS SELECT * FROM crm_bgnbd_simulate(5000, 0.243, 4.414, 0.793, 2.426, p => 6.25, q => 3.74, v => 15.44, t_max => 39, seed => 3);
             CREATE TABLE models AS SELECT crm_bgnbd_fit(frequency, recency, t) AS bg, crm_gamma_gamma_fit(frequency, monetary) AS gg FROM sim;",
        )
        .unwrap();
        let stored = one_f64("SELECT sum(crm_clv(bg, gg, frequency, recency, t, monetary)) FROM models, sim");
        let fresh = one_f64(
            "SELECT sum(crm_clv(bg, gg, frequency, recency, t, monetary))
             FROM (SELECT crm_bgnbd_fit(frequency, recency, t) AS bg, crm_gamma_gamma_fit(frequency, monetary) AS gg FROM sim) m, sim",
        );
        assert_eq!(stored, fresh);
        assert!(stored.is_finite() && stored > 0.0);
        assert_eq!(Spi::get_one::<i64>("SELECT crm_customers(bg) FROM models").unwrap().unwrap(), 5000);
    }
}
