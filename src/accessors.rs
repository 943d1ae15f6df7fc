//! Accessors of the model types: parameters, standard errors and fit diagnostics, so that SQL
//! never has to parse the JSON text form.

use crate::bgnbd::crm_bgnbd;
use crate::errors::{raise, OrRaise};
use crate::gamma_gamma::crm_gamma_gamma;
use crm_core::error::CrmError;
use crm_core::units::TimeUnit;
use pgrx::prelude::*;

#[pg_extern(immutable, parallel_safe)]
fn crm_bgnbd_r(model: crm_bgnbd) -> f64 {
    model.r
}
#[pg_extern(immutable, parallel_safe)]
fn crm_bgnbd_alpha(model: crm_bgnbd) -> f64 {
    model.alpha
}
#[pg_extern(immutable, parallel_safe)]
fn crm_bgnbd_a(model: crm_bgnbd) -> f64 {
    model.a
}
#[pg_extern(immutable, parallel_safe)]
fn crm_bgnbd_b(model: crm_bgnbd) -> f64 {
    model.b
}
#[pg_extern(immutable, parallel_safe)]
fn crm_gamma_gamma_p(model: crm_gamma_gamma) -> f64 {
    model.p
}
#[pg_extern(immutable, parallel_safe)]
fn crm_gamma_gamma_q(model: crm_gamma_gamma) -> f64 {
    model.q
}
#[pg_extern(immutable, parallel_safe)]
fn crm_gamma_gamma_v(model: crm_gamma_gamma) -> f64 {
    model.v
}

/// The time unit of a BG/NBD model's recency, t, horizons and alpha.
#[pg_extern(immutable, parallel_safe)]
fn crm_unit(model: crm_bgnbd) -> &'static str {
    model.unit.as_str()
}

/// Time units per month as the CLV uses them: weeks 4.345, days 30, hours 720, months 1.
#[pg_extern(immutable, parallel_safe, name = "crm_time_units_per_month")]
fn crm_time_units_per_month_of_unit(unit: &str) -> f64 {
    TimeUnit::parse(unit).or_raise().per_month()
}

#[pg_extern(immutable, parallel_safe, name = "crm_time_units_per_month")]
fn crm_time_units_per_month_of_model(model: crm_bgnbd) -> f64 {
    model.unit.per_month()
}

fn std_error(se: Option<&crate::model_common::StdErrors>, names: &[&str], parameter: &str) -> Option<f64> {
    if !names.contains(&parameter) {
        raise(CrmError::invalid(format!("unknown parameter \"{parameter}\"")).with_hint(format!("use one of {}", names.join(", "))));
    }
    se.and_then(|s| s.get(parameter))
}

/// The standard error of one parameter (NULL when the Hessian was not positive definite or the
/// model was built from given parameters).
#[pg_extern(immutable, parallel_safe, name = "crm_std_error")]
fn crm_std_error_bgnbd(model: crm_bgnbd, parameter: &str) -> Option<f64> {
    std_error(model.std_errors.as_ref(), &["r", "alpha", "a", "b"], parameter)
}

#[pg_extern(immutable, parallel_safe, name = "crm_std_error")]
fn crm_std_error_gamma_gamma(model: crm_gamma_gamma, parameter: &str) -> Option<f64> {
    std_error(model.std_errors.as_ref(), &["p", "q", "v"], parameter)
}

/// Log-likelihood at the estimate (in the model's time unit); NULL for given parameters.
#[pg_extern(immutable, parallel_safe, name = "crm_log_likelihood")]
fn crm_log_likelihood_bgnbd(model: crm_bgnbd) -> Option<f64> {
    model.log_likelihood
}
#[pg_extern(immutable, parallel_safe, name = "crm_log_likelihood")]
fn crm_log_likelihood_gamma_gamma(model: crm_gamma_gamma) -> Option<f64> {
    model.log_likelihood
}

#[pg_extern(immutable, parallel_safe, name = "crm_converged")]
fn crm_converged_bgnbd(model: crm_bgnbd) -> bool {
    model.converged
}
#[pg_extern(immutable, parallel_safe, name = "crm_converged")]
fn crm_converged_gamma_gamma(model: crm_gamma_gamma) -> bool {
    model.converged
}

/// Customers the fit used.
#[pg_extern(immutable, parallel_safe, name = "crm_customers")]
fn crm_customers_bgnbd(model: crm_bgnbd) -> i64 {
    model.customers as i64
}
#[pg_extern(immutable, parallel_safe, name = "crm_customers")]
fn crm_customers_gamma_gamma(model: crm_gamma_gamma) -> i64 {
    model.customers as i64
}

/// Rows the fit skipped: NULL rows, and for Gamma-Gamma rows without repeat purchases or spend.
#[pg_extern(immutable, parallel_safe, name = "crm_skipped")]
fn crm_skipped_bgnbd(model: crm_bgnbd) -> i64 {
    model.skipped_null as i64
}
#[pg_extern(immutable, parallel_safe, name = "crm_skipped")]
fn crm_skipped_gamma_gamma(model: crm_gamma_gamma) -> i64 {
    (model.skipped + model.skipped_null) as i64
}

#[pg_extern(immutable, parallel_safe, name = "crm_iterations")]
fn crm_iterations_bgnbd(model: crm_bgnbd) -> i64 {
    model.iterations as i64
}
#[pg_extern(immutable, parallel_safe, name = "crm_iterations")]
fn crm_iterations_gamma_gamma(model: crm_gamma_gamma) -> i64 {
    model.iterations as i64
}

#[pg_extern(immutable, parallel_safe, name = "crm_penalizer")]
fn crm_penalizer_bgnbd(model: crm_bgnbd) -> f64 {
    model.penalizer
}
#[pg_extern(immutable, parallel_safe, name = "crm_penalizer")]
fn crm_penalizer_gamma_gamma(model: crm_gamma_gamma) -> f64 {
    model.penalizer
}

extension_sql!(
    r#"
COMMENT ON FUNCTION crm_bgnbd_r(crm_bgnbd) IS 'BG/NBD shape r of the purchase-rate Gamma distribution.';
COMMENT ON FUNCTION crm_bgnbd_alpha(crm_bgnbd) IS 'BG/NBD scale alpha of the purchase-rate Gamma distribution (in the model''s time unit).';
COMMENT ON FUNCTION crm_bgnbd_a(crm_bgnbd) IS 'BG/NBD parameter a of the dropout Beta distribution.';
COMMENT ON FUNCTION crm_bgnbd_b(crm_bgnbd) IS 'BG/NBD parameter b of the dropout Beta distribution.';
COMMENT ON FUNCTION crm_gamma_gamma_p(crm_gamma_gamma) IS 'Gamma-Gamma shape p of a transaction''s spend.';
COMMENT ON FUNCTION crm_gamma_gamma_q(crm_gamma_gamma) IS 'Gamma-Gamma shape q of the spend-scale distribution.';
COMMENT ON FUNCTION crm_gamma_gamma_v(crm_gamma_gamma) IS 'Gamma-Gamma scale v (gamma in the paper) of the spend-scale distribution.';
COMMENT ON FUNCTION crm_unit(crm_bgnbd) IS 'The time unit of a BG/NBD model: hour, day, week or month.';
COMMENT ON FUNCTION crm_time_units_per_month(text) IS 'Time units per month as CLV uses them: week 4.345, day 30, hour 720, month 1.';
COMMENT ON FUNCTION crm_time_units_per_month(crm_bgnbd) IS 'Time units per month of the model''s unit.';
COMMENT ON FUNCTION crm_std_error(crm_bgnbd, text) IS 'Standard error of a BG/NBD parameter (r, alpha, a, b) from the inverse Hessian; NULL when unavailable.';
COMMENT ON FUNCTION crm_std_error(crm_gamma_gamma, text) IS 'Standard error of a Gamma-Gamma parameter (p, q, v) from the inverse Hessian; NULL when unavailable.';
COMMENT ON FUNCTION crm_log_likelihood(crm_bgnbd) IS 'Log-likelihood of the BG/NBD fit (unpenalised, in the model''s time unit).';
COMMENT ON FUNCTION crm_log_likelihood(crm_gamma_gamma) IS 'Log-likelihood of the Gamma-Gamma fit (unpenalised).';
COMMENT ON FUNCTION crm_converged(crm_bgnbd) IS 'Whether the BG/NBD fit converged.';
COMMENT ON FUNCTION crm_converged(crm_gamma_gamma) IS 'Whether the Gamma-Gamma fit converged.';
COMMENT ON FUNCTION crm_customers(crm_bgnbd) IS 'Customers used by the BG/NBD fit.';
COMMENT ON FUNCTION crm_customers(crm_gamma_gamma) IS 'Customers used by the Gamma-Gamma fit (repeat buyers with positive spend).';
COMMENT ON FUNCTION crm_skipped(crm_bgnbd) IS 'Rows the BG/NBD fit skipped because of NULLs.';
COMMENT ON FUNCTION crm_skipped(crm_gamma_gamma) IS 'Rows the Gamma-Gamma fit skipped: NULLs, no repeat purchase, or zero spend.';
COMMENT ON FUNCTION crm_iterations(crm_bgnbd) IS 'Optimiser iterations of the BG/NBD fit.';
COMMENT ON FUNCTION crm_iterations(crm_gamma_gamma) IS 'Optimiser iterations of the Gamma-Gamma fit.';
COMMENT ON FUNCTION crm_penalizer(crm_bgnbd) IS 'The L2 penalizer of the BG/NBD fit (0 = maximum likelihood).';
COMMENT ON FUNCTION crm_penalizer(crm_gamma_gamma) IS 'The L2 penalizer of the Gamma-Gamma fit (0 = maximum likelihood).';
"#,
    name = "crm_accessor_comments",
    requires = [
        crm_bgnbd_r,
        crm_bgnbd_alpha,
        crm_bgnbd_a,
        crm_bgnbd_b,
        crm_gamma_gamma_p,
        crm_gamma_gamma_q,
        crm_gamma_gamma_v,
        crm_unit,
        crm_time_units_per_month_of_unit,
        crm_time_units_per_month_of_model,
        crm_std_error_bgnbd,
        crm_std_error_gamma_gamma,
        crm_log_likelihood_bgnbd,
        crm_log_likelihood_gamma_gamma,
        crm_converged_bgnbd,
        crm_converged_gamma_gamma,
        crm_customers_bgnbd,
        crm_customers_gamma_gamma,
        crm_skipped_bgnbd,
        crm_skipped_gamma_gamma,
        crm_iterations_bgnbd,
        crm_iterations_gamma_gamma,
        crm_penalizer_bgnbd,
        crm_penalizer_gamma_gamma
    ]
);
