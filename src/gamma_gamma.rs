//! Gamma-Gamma in SQL: the `crm_gamma_gamma` model type, the parallel `crm_gamma_gamma_fit`
//! aggregate, accessors and the expected-spend predictor. The math is `crm_core::gamma_gamma`.

use crate::aggregate_support as agg;
use crate::errors::{raise, warn, OrRaise};
use crate::row_call::{row_function, RowArgs};
use crate::model_common::{parse_model_json, write_model_json, ModelState, StdErrors};
use crm_core::bgnbd::FitOptions;
use crm_core::error::CrmError;
use crm_core::gamma_gamma::{self, GammaGammaParams, GammaGammaSummary};
use pgrx::prelude::*;
use pgrx::datum::Internal;
use pgrx::{pg_sys, InOutFuncs, StringInfo};
use serde::{Deserialize, Serialize};
use std::ffi::CStr;

/// A fitted (or user-specified) Gamma-Gamma spend model. Text form: JSON with parameters p, q, v.
#[allow(non_camel_case_types)]
#[derive(PostgresType, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[inoutfuncs]
pub struct crm_gamma_gamma {
    pub model: String,
    pub p: f64,
    pub q: f64,
    pub v: f64,
    pub penalizer: f64,
    pub log_likelihood: Option<f64>,
    pub std_errors: Option<StdErrors>,
    pub covariance: Option<[[f64; 3]; 3]>,
    pub customers: u64,
    /// rows with frequency = 0 or monetary = 0: not informative for the spend model
    pub skipped: u64,
    pub skipped_null: u64,
    pub distinct_rows: u64,
    pub iterations: u64,
    pub converged: bool,
}

impl crm_gamma_gamma {
    pub fn params(&self) -> GammaGammaParams {
        GammaGammaParams { p: self.p, q: self.q, v: self.v }
    }
}

impl InOutFuncs for crm_gamma_gamma {
    fn input(input: &CStr) -> Self {
        let m: crm_gamma_gamma = parse_model_json(input, "crm_gamma_gamma");
        if m.model != "gamma_gamma" {
            raise(CrmError::invalid(format!("invalid crm_gamma_gamma value: model is \"{}\"", m.model))
                .with_hint("a crm_gamma_gamma text form has \"model\": \"gamma_gamma\""));
        }
        gamma_gamma::validate_params(&m.params()).or_raise();
        m
    }

    fn output(&self, buffer: &mut StringInfo) {
        write_model_json(self, buffer);
    }
}

/// Aggregate state: distinct (x, m) rows with counts, skipped-row counts, fit settings.
pub type GammaGammaState = ModelState<GammaGammaSummary>;

impl ModelState<GammaGammaSummary> {
    /// The fitted model; NULL for no rows, or (crm_ext.fit_errors) for data that cannot be fitted.
    fn fit(&self, fcinfo: pg_sys::FunctionCallInfo) -> Option<crm_gamma_gamma> {
        if self.summary.customers() == 0 {
            return None;
        }
        let opts = FitOptions { penalizer: self.settings.penalizer(), ..FitOptions::default() };
        let fit = gamma_gamma::fit(&self.summary, &opts, &mut crate::aggregate_support::check_interrupts);
        let fit = agg::fit_or_warn(fcinfo, "crm_gamma_gamma_fit", fit)?;
        if !fit.converged {
            warn(
                "crm_gamma_gamma_fit did not converge",
                Some(format!("stopped after {} iterations at log-likelihood {}", fit.iterations, fit.log_likelihood)),
                Some("add a small penalizer, e.g. 0.01"),
            );
        }
        let p = fit.params;
        if p.q <= 1.0 {
            warn(
                "the fitted Gamma-Gamma q is <= 1: the population mean spend p*v/(q-1) is undefined",
                Some(format!("q = {:.4}", p.q)),
                Some("crm_expected_spend raises an error for customers without repeat purchases; a penalizer may help"),
            );
        }
        Some(crm_gamma_gamma {
            model: "gamma_gamma".into(),
            p: p.p,
            q: p.q,
            v: p.v,
            penalizer: self.settings.penalizer(),
            log_likelihood: Some(fit.log_likelihood),
            std_errors: fit.std_errors.map(|s| StdErrors::named(&["p", "q", "v"], &s)),
            covariance: fit.covariance,
            customers: fit.customers,
            skipped: fit.skipped,
            skipped_null: self.settings.skipped_null,
            distinct_rows: self.summary.distinct() as u64,
            iterations: fit.iterations,
            converged: fit.converged,
        })
    }
}

/// Transition step: one row, with the penalizer (None: not passed, as in the two-argument form).
fn trans(args: &RowArgs, penalizer: Option<Option<f64>>) -> pg_sys::Datum {
    let state = agg::update(args.internal(0), args.fcinfo(), |s: &mut GammaGammaState| {
        s.settings.set(penalizer, None).or_raise();
        match (args.opt_f64(1), args.opt_f64(2)) {
            (Some(x), Some(m)) => {
                s.summary.add(x, m).or_raise();
            }
            _ => s.settings.skipped_null += 1,
        }
    });
    args.ret_internal(state)
}

row_function!(pg_finfo_crm_gamma_gamma_trans2, crm_gamma_gamma_trans2, |a| trans(a, None));
row_function!(pg_finfo_crm_gamma_gamma_trans3, crm_gamma_gamma_trans3, |a| trans(a, Some(a.opt_f64(3))));

// Expected mean spend per purchase of a customer with `frequency` repeat purchases of mean
// `monetary`: crm_expected_spend(model, frequency, monetary).
row_function!(pg_finfo_crm_expected_spend, crm_expected_spend, |a| {
    let gg = a.models::<()>().gg(0);
    a.ret_f64(gamma_gamma::expected_spend(&gg.params, a.f64(1), a.f64(2)).or_raise())
});

extension_sql!(
    r#"
CREATE FUNCTION crm_gamma_gamma_trans(state internal, frequency float8, monetary float8)
    RETURNS internal IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm_gamma_gamma_trans2';
CREATE FUNCTION crm_gamma_gamma_trans(state internal, frequency float8, monetary float8, penalizer float8)
    RETURNS internal IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm_gamma_gamma_trans3';
CREATE FUNCTION crm_expected_spend(model crm_gamma_gamma, frequency float8, monetary float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm_expected_spend';
"#,
    name = "crm_gamma_gamma_row_functions",
    requires = [crm_gamma_gamma]
);

crate::aggregate_support::parallel_state_functions!(GammaGammaState, crm_gamma_gamma_combine, crm_gamma_gamma_serialize, crm_gamma_gamma_deserialize);

#[pg_extern(immutable, parallel_safe)]
pub fn crm_gamma_gamma_final(mut state: Internal, fcinfo: pg_sys::FunctionCallInfo) -> Option<crm_gamma_gamma> {
    agg::finish::<GammaGammaState>(&mut state).and_then(|s| s.fit(fcinfo))
}

extension_sql!(
    r#"
CREATE AGGREGATE crm_gamma_gamma_fit(frequency float8, monetary float8) (
    sfunc = crm_gamma_gamma_trans, stype = internal, finalfunc = crm_gamma_gamma_final,
    combinefunc = crm_gamma_gamma_combine, serialfunc = crm_gamma_gamma_serialize,
    deserialfunc = crm_gamma_gamma_deserialize, parallel = safe);
CREATE AGGREGATE crm_gamma_gamma_fit(frequency float8, monetary float8, penalizer float8) (
    sfunc = crm_gamma_gamma_trans, stype = internal, finalfunc = crm_gamma_gamma_final,
    combinefunc = crm_gamma_gamma_combine, serialfunc = crm_gamma_gamma_serialize,
    deserialfunc = crm_gamma_gamma_deserialize, parallel = safe);
COMMENT ON TYPE crm_gamma_gamma IS 'A Gamma-Gamma spend model (Fader and Hardie 2013): parameters p, q, v with fit diagnostics. Text form is JSON.';
COMMENT ON AGGREGATE crm_gamma_gamma_fit(float8, float8) IS 'Fits a Gamma-Gamma spend model by maximum likelihood. frequency = repeat purchases, monetary = mean spend per repeat purchase. Rows with frequency = 0 or monetary = 0 are skipped and counted; NULL rows are skipped.';
COMMENT ON AGGREGATE crm_gamma_gamma_fit(float8, float8, float8) IS 'Fits a Gamma-Gamma spend model with an L2 penalizer on p, q, v (the lifetimes library''s semantics; 0 = plain maximum likelihood).';
"#,
    name = "crm_gamma_gamma_fit_aggregates",
    requires = [
        "crm_gamma_gamma_row_functions", crm_gamma_gamma_combine,
        crm_gamma_gamma_serialize, crm_gamma_gamma_deserialize, crm_gamma_gamma_final
    ]
);

/// A Gamma-Gamma model from known parameters.
#[pg_extern(immutable, parallel_safe)]
pub fn crm_gamma_gamma(p: f64, q: f64, v: f64) -> crm_gamma_gamma {
    let m = crm_gamma_gamma {
        model: "gamma_gamma".into(),
        p,
        q,
        v,
        penalizer: 0.0,
        log_likelihood: None,
        std_errors: None,
        covariance: None,
        customers: 0,
        skipped: 0,
        skipped_null: 0,
        distinct_rows: 0,
        iterations: 0,
        converged: true,
    };
    gamma_gamma::validate_params(&m.params()).or_raise();
    m
}

/// The parameters p, q, v with standard errors.
#[pg_extern(immutable, parallel_safe)]
pub fn crm_gamma_gamma_params(
    model: crm_gamma_gamma,
) -> TableIterator<'static, (name!(parameter, String), name!(estimate, f64), name!(std_error, Option<f64>))> {
    let values = [("p", model.p), ("q", model.q), ("v", model.v)];
    let se = model.std_errors.clone();
    TableIterator::new(
        values.into_iter().map(move |(n, v)| (n.to_string(), v, se.as_ref().and_then(|s| s.get(n)))),
    )
}

extension_sql!(
    r#"
COMMENT ON FUNCTION crm_gamma_gamma(float8, float8, float8) IS 'A Gamma-Gamma model from known parameters p, q, v.';
COMMENT ON FUNCTION crm_expected_spend(crm_gamma_gamma, float8, float8) IS 'Gamma-Gamma expected mean spend per purchase given frequency (repeat purchases) and monetary (their mean spend); the population mean p*v/(q-1) when frequency = 0.';
COMMENT ON FUNCTION crm_gamma_gamma_params(crm_gamma_gamma) IS 'The parameters p, q, v of a Gamma-Gamma model with standard errors.';
"#,
    name = "crm_gamma_gamma_comments",
    requires = [crm_gamma_gamma, "crm_gamma_gamma_row_functions", crm_gamma_gamma_params]
);
