//! Gamma-Gamma in SQL: the `crm_gamma_gamma` model type, the parallel `crm_gamma_gamma_fit`
//! aggregate, accessors and the expected-spend predictor. The math is `crm_core::models::gamma_gamma`.

use crate::models::model_common::{model_accessors, ModelState};
use crate::models::model_type::model_type;
use crate::models::model_value::{warn_not_converged, Fit, ModelKind, ModelValue};
use crate::pg::aggregate_support as agg;
use crate::pg::errors::{warn, OrRaise};
use crate::pg::row_call::row_function;
use crate::pg::state_type;
use crate::pg::stored_form::stored_form;
use crm_core::error::CrmResult;
use crm_core::models::fit_options::FitOptions;
use crm_core::models::gamma_gamma::{self, GammaGammaParams, GammaGammaSummary};
use pgrx::pg_sys;
use pgrx::prelude::*;

/// Gamma-Gamma for the generic layer: its names, parameters and their check.
#[derive(Clone, Debug)]
pub struct GammaGamma;

impl ModelKind for GammaGamma {
    type Params = GammaGammaParams;
    const NAME: &'static str = "gamma_gamma";
    const TYPE_NAME: &'static str = "crm_gamma_gamma";
    const TITLE: &'static str = "Gamma-Gamma";
    const PARAMETERS: &'static [&'static str] = &["p", "q", "v"];
    const HAS_UNIT: bool = false;
    const OMIT_EMPTY_WARNINGS: bool = true;
    const COUNTS: &'static [&'static str] = &["customers", "skipped", "skipped_null", "distinct_rows"];
    fn estimates(p: &GammaGammaParams) -> Vec<f64> {
        vec![p.p, p.q, p.v]
    }
    fn from_estimates(v: &[f64]) -> GammaGammaParams {
        GammaGammaParams { p: v[0], q: v[1], v: v[2] }
    }
    fn validate(p: &GammaGammaParams) -> CrmResult<()> {
        gamma_gamma::validate_params(p)
    }
}

// A fitted (or user-specified) Gamma-Gamma spend model. Text form: JSON with parameters p, q, v
// (the text form of 0.1.0: `skipped` counts the rows without repeat purchases or spend; no
// "warnings" when there are none).
model_type!(crm_gamma_gamma, GammaGamma);
stored_form!(crm_gamma_gamma, crm_gamma_gamma_send, "crm__gamma_gamma_send", crm_gamma_gamma_recv, "crm__gamma_gamma_recv");

impl crm_gamma_gamma {
    pub fn params(&self) -> GammaGammaParams {
        self.0.params
    }
}

/// Aggregate state: distinct (x, m) rows with counts, skipped-row counts, fit settings.
pub type GammaGammaState = ModelState<GammaGammaSummary>;

impl ModelState<GammaGammaSummary> {
    /// The fitted model; NULL for no rows, or (crm_ext.fit_errors) for data that cannot be fitted.
    pub(crate) fn fit(&self, fcinfo: pg_sys::FunctionCallInfo, penalizer: f64) -> Option<crm_gamma_gamma> {
        if self.summary.customers() == 0 {
            return None;
        }
        let opts = FitOptions { penalizer, ..FitOptions::default() };
        let (distinct, skipped_null) = (self.summary.distinct() as u64, self.settings.skipped_null);
        let value = gamma_gamma::fit(&self.summary, &opts, &mut crate::pg::aggregate_support::check_interrupts).and_then(|f| {
            let p = f.params;
            let fit = Fit::of_arrays([p.p, p.q, p.v], f.log_likelihood, f.std_errors, f.covariance.as_ref(), f.iterations, f.converged);
            let value = ModelValue::<GammaGamma>::fitted(fit, None, penalizer, (f.customers, distinct, skipped_null))?;
            Ok(ModelValue { skipped: f.skipped, ..value })
        });
        let mut value = agg::fit_or_warn(fcinfo, "crm_gamma_gamma_fit", value)?;
        warn_not_converged("crm_gamma_gamma_fit", &value, "add a small penalizer, e.g. 0.01");
        let q = value.params.q;
        if q <= 1.0 {
            value.warnings.push(format!("q = {q:.4} <= 1: the population mean spend p*v/(q-1) is undefined"));
            warn(
                "the fitted Gamma-Gamma q is <= 1: the population mean spend p*v/(q-1) is undefined",
                Some(format!("q = {q:.4}")),
                Some("crm_expected_spend raises an error for customers without repeat purchases; a penalizer may help"),
            );
        }
        Some(crm_gamma_gamma(value))
    }
}

// Final function of the one-call fit aggregates: the fit with the recorded penalizer.
row_function!(pg_finfo_crm__gamma_gamma_final, crm__gamma_gamma_final, |a| {
    // SAFETY: declared with a crm_spend_summary argument.
    let fit = unsafe { state_type::with_state::<GammaGammaState, _>(a.fcinfo(), 0, |s| s.fit(a.fcinfo(), s.settings.penalizer())) };
    a.ret_opt(fit.flatten())
});

// crm_gamma_gamma_fit(summary, penalizer): the fit of a stored or rolled-up summary (NULL
// penalizer: the summary's own, 0 when it records none).
row_function!(pg_finfo_crm__gamma_gamma_fit_summary, crm__gamma_gamma_fit_summary, |a| {
    let penalizer = a.opt_f64(1);
    // SAFETY: declared with a crm_spend_summary argument 0.
    let fit = unsafe {
        state_type::with_state::<GammaGammaState, _>(a.fcinfo(), 0, |s| {
            let penalizer = s.settings.penalizer_or(penalizer).or_raise();
            s.fit(a.fcinfo(), penalizer)
        })
    };
    a.ret_opt(fit.flatten())
});

// Expected mean spend per purchase of a customer with `frequency` repeat purchases of mean
// `monetary`: crm_expected_spend(model, frequency, monetary).
row_function!(pg_finfo_crm_expected_spend, crm_expected_spend, |a| {
    let (gg, _) = a.models::<()>().model::<crm_gamma_gamma>(0);
    a.ret_f64(gamma_gamma::expected_spend(&gg, a.f64(1), a.f64(2)).or_raise())
});

extension_sql!(
    r#"
CREATE FUNCTION crm_expected_spend(model crm_gamma_gamma, frequency float8, monetary float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm_expected_spend';
"#,
    name = "crm_gamma_gamma_row_functions",
    requires = [crm_gamma_gamma, "crm_spend_summary_type"]
);

extension_sql!(
    r#"
CREATE FUNCTION crm__gamma_gamma_final(state crm_spend_summary)
    RETURNS crm_gamma_gamma IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__gamma_gamma_final';
CREATE FUNCTION crm_gamma_gamma_fit(summary crm_spend_summary, penalizer float8 DEFAULT NULL)
    RETURNS crm_gamma_gamma STABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__gamma_gamma_fit_summary';
CREATE AGGREGATE crm_gamma_gamma_fit(frequency float8, monetary float8) (
    sfunc = crm__spend_trans, stype = crm_spend_summary, finalfunc = crm__gamma_gamma_final,
    combinefunc = crm__spend_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_gamma_gamma_fit(frequency float8, monetary float8, penalizer float8) (
    sfunc = crm__spend_trans, stype = crm_spend_summary, finalfunc = crm__gamma_gamma_final,
    combinefunc = crm__spend_combine, sspace = 8192, parallel = safe);
COMMENT ON TYPE crm_gamma_gamma IS 'A Gamma-Gamma spend model (Fader and Hardie 2013): parameters p, q, v with fit diagnostics. Text form is JSON.';
COMMENT ON AGGREGATE crm_gamma_gamma_fit(float8, float8) IS 'Fits a Gamma-Gamma spend model by maximum likelihood. frequency = repeat purchases, monetary = mean spend per repeat purchase. Rows with frequency = 0 or monetary = 0 are skipped and counted; NULL rows are skipped.';
COMMENT ON AGGREGATE crm_gamma_gamma_fit(float8, float8, float8) IS 'Fits a Gamma-Gamma spend model with an L2 penalizer on p, q, v (the lifetimes library''s semantics; 0 = plain maximum likelihood).';
COMMENT ON FUNCTION crm_gamma_gamma_fit(crm_spend_summary, float8) IS 'Fits a Gamma-Gamma spend model to a spend summary (crm_spend_summary, crm_rollup): the same model as the one-call aggregate over the summarised rows. penalizer defaults to the summary''s (0 when it records none).';
"#,
    name = "crm_gamma_gamma_fit_aggregates",
    requires = ["crm_gamma_gamma_row_functions"]
);

/// `crm_gamma_gamma(p, q, v)`: in a module of its own because the function keeps the Rust name
/// (and so the C symbol, `crm_gamma_gamma_wrapper`) that 0.1.0's script names, which is also the
/// name of the type.
mod given {
    use super::{GammaGammaParams, ModelValue, OrRaise};
    use pgrx::prelude::*;

    type Model = super::crm_gamma_gamma;

    /// A Gamma-Gamma model from known parameters.
    #[pg_extern(immutable, parallel_safe)]
    pub fn crm_gamma_gamma(p: f64, q: f64, v: f64) -> Model {
        super::crm_gamma_gamma(ModelValue::given(GammaGammaParams { p, q, v }, None).or_raise())
    }
}

model_accessors!(
    crm_gamma_gamma,
    "crm_gamma_gamma_params",
    [
        crm_std_error_gamma_gamma,
        crm_log_likelihood_gamma_gamma,
        crm_converged_gamma_gamma,
        crm_customers_gamma_gamma,
        crm_skipped_gamma_gamma,
        crm_iterations_gamma_gamma,
        crm_penalizer_gamma_gamma,
        crm_gamma_gamma_params,
        crm_parameter_gamma_gamma,
        crm_confidence_intervals_gamma_gamma,
        crm_model_summary_gamma_gamma
    ]
);

#[pg_extern(immutable, parallel_safe)]
fn crm_gamma_gamma_p(model: crm_gamma_gamma) -> f64 {
    model.params().p
}
#[pg_extern(immutable, parallel_safe)]
fn crm_gamma_gamma_q(model: crm_gamma_gamma) -> f64 {
    model.params().q
}
#[pg_extern(immutable, parallel_safe)]
fn crm_gamma_gamma_v(model: crm_gamma_gamma) -> f64 {
    model.params().v
}

extension_sql!(
    r#"
COMMENT ON FUNCTION crm_gamma_gamma(float8, float8, float8) IS 'A Gamma-Gamma model from known parameters p, q, v.';
COMMENT ON FUNCTION crm_expected_spend(crm_gamma_gamma, float8, float8) IS 'Gamma-Gamma expected mean spend per purchase given frequency (repeat purchases) and monetary (their mean spend); the population mean p*v/(q-1) when frequency = 0.';
COMMENT ON FUNCTION crm_gamma_gamma_params(crm_gamma_gamma) IS 'The parameters p, q, v of a Gamma-Gamma model with standard errors.';
COMMENT ON FUNCTION crm_gamma_gamma_p(crm_gamma_gamma) IS 'Gamma-Gamma shape p of a transaction''s spend.';
COMMENT ON FUNCTION crm_gamma_gamma_q(crm_gamma_gamma) IS 'Gamma-Gamma shape q of the spend-scale distribution.';
COMMENT ON FUNCTION crm_gamma_gamma_v(crm_gamma_gamma) IS 'Gamma-Gamma scale v (gamma in the paper) of the spend-scale distribution.';
COMMENT ON FUNCTION crm_parameter(crm_gamma_gamma, text) IS 'The estimate of one Gamma-Gamma parameter by name (see crm_gamma_gamma_params for the names).';
COMMENT ON FUNCTION crm_std_error(crm_gamma_gamma, text) IS 'Standard error of a Gamma-Gamma parameter (p, q, v) from the inverse Hessian; NULL when unavailable.';
COMMENT ON FUNCTION crm_log_likelihood(crm_gamma_gamma) IS 'Log-likelihood of the Gamma-Gamma fit (unpenalised).';
COMMENT ON FUNCTION crm_converged(crm_gamma_gamma) IS 'Whether the Gamma-Gamma fit converged.';
COMMENT ON FUNCTION crm_customers(crm_gamma_gamma) IS 'Customers used by the Gamma-Gamma fit (repeat buyers with positive spend).';
COMMENT ON FUNCTION crm_skipped(crm_gamma_gamma) IS 'Rows the Gamma-Gamma fit skipped: NULLs, no repeat purchase, or zero spend.';
COMMENT ON FUNCTION crm_iterations(crm_gamma_gamma) IS 'Optimiser iterations of the Gamma-Gamma fit.';
COMMENT ON FUNCTION crm_penalizer(crm_gamma_gamma) IS 'The L2 penalizer of the Gamma-Gamma fit (0 = maximum likelihood).';
"#,
    name = "crm_gamma_gamma_comments",
    requires = [
        crm_gamma_gamma,
        "crm_gamma_gamma_row_functions",
        crm_gamma_gamma_params,
        crm_gamma_gamma_p,
        crm_gamma_gamma_q,
        crm_gamma_gamma_v,
        crm_parameter_gamma_gamma,
        crm_std_error_gamma_gamma,
        crm_log_likelihood_gamma_gamma,
        crm_converged_gamma_gamma,
        crm_customers_gamma_gamma,
        crm_skipped_gamma_gamma,
        crm_iterations_gamma_gamma,
        crm_penalizer_gamma_gamma
    ]
);
// Casts through the text form, binary I/O, and the COMMENTs of the comparison functions that
// `model_comparisons!` defines.
crm_sql::type_sql! { model: gamma_gamma, title: "Gamma-Gamma", article: "a", jsonb_note: "model::jsonb ->> 'converged'" }
