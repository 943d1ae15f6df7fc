//! The models, one folder per model (parameters and public API in its `mod.rs`, then
//! `likelihood.rs`, `fit.rs` where the fit is the model's own, `predict.rs`, `simulate.rs`, and
//! `summary.rs` for a model with its own data), and what they share: [`PurchaseModel`] (what the
//! CLV and the model-agnostic SQL layer ask of a purchase model), [`mle`] (a maximum-likelihood
//! fit over weighted rows, for the models without a hand-tuned fit), [`fit_options`] (the
//! options and limits of every fit) and [`simulation`] (the simulated customer and the limits of
//! the simulations). The data they are fitted on is in [`crate::summary`].

pub mod bgbb;
pub mod bgnbd;
pub mod fit_options;
pub mod gamma_gamma;
pub mod mbgnbd;
pub mod mle;
pub mod pareto_nbd;
pub mod sbg;
pub mod simulation;

use crate::error::{CrmError, CrmResult};

/// A non-contractual purchase model over (x, t_x, T): x repeat purchases, the last at age t_x,
/// age T, in the model's time unit. The CLV ([`discounted_purchases`](crate::clv::discounted_purchases))
/// and the SQL layer's generic predictors need only this.
pub trait PurchaseModel {
    /// Short lower-case name, as in SQL (`bgnbd`, `pareto_nbd`, `mbgnbd`).
    const NAME: &'static str;
    /// The names of the parameters, in the order of [`PurchaseModel::parameters`].
    const PARAMETER_NAMES: &'static [&'static str];
    /// P(alive at T | x, t_x, T).
    fn p_alive(&self, x: f64, t_x: f64, t: f64) -> CrmResult<f64>;
    /// E[purchases in (T, T + horizon] | x, t_x, T].
    fn expected_purchases(&self, x: f64, t_x: f64, t: f64, horizon: f64) -> CrmResult<f64>;
    /// E[purchases in (0, horizon]] of a new customer.
    fn expected_purchases_new(&self, horizon: f64) -> CrmResult<f64>;
    /// P(X(horizon) = n): a new customer's probability of exactly n purchases in (0, horizon].
    fn prob_purchases(&self, n: u64, horizon: f64) -> CrmResult<f64>;
    /// The parameters in the paper's order: BG/NBD and MBG/NBD (r, alpha, a, b), Pareto/NBD
    /// (r, alpha, s, beta), BG/BB (alpha, beta, gamma, delta). The order of the fits'
    /// estimates, standard errors and covariance matrices.
    fn parameters(&self) -> Vec<f64>;
    /// The model with `values` as parameters, in the order of [`PurchaseModel::parameters`].
    /// Err (22023) for a wrong number of values or values the model's `validate_params` rejects.
    fn with_parameters(values: &[f64]) -> CrmResult<Self>
    where
        Self: Sized;
}

/// A prediction horizon: finite and >= 0 (22023 otherwise).
pub(crate) fn validate_horizon(horizon: f64) -> CrmResult<()> {
    if !(horizon.is_finite() && horizon >= 0.0) {
        return Err(CrmError::invalid("prediction horizon must be a finite non-negative number").with_detail(format!("got {horizon}")));
    }
    Ok(())
}

/// `values` as an array of a model's `names.len()` (= N) parameters; Err (22023) naming the
/// model and its parameters when the count differs.
pub(crate) fn parameter_array<const N: usize>(model: &str, names: &[&str], values: &[f64]) -> CrmResult<[f64; N]> {
    <[f64; N]>::try_from(values).map_err(|_| {
        CrmError::invalid(format!("{model} takes {N} parameters, got {}", values.len()))
            .with_detail(format!("the parameters are ({})", names.join(", ")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::models::bgnbd::BgNbdParams;
    use crate::models::gamma_gamma::GammaGammaParams;

    fn round_trip<M: PurchaseModel + PartialEq + std::fmt::Debug>(m: M, names: &[&str]) {
        assert_eq!(M::PARAMETER_NAMES, names);
        let v = m.parameters();
        assert_eq!(v.len(), names.len());
        assert_eq!(M::with_parameters(&v).unwrap(), m);
        let e = M::with_parameters(&v[1..]).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidParameter);
        assert!(e.message.ends_with(&format!("takes {} parameters, got {}", v.len(), v.len() - 1)), "{}", e.message);
        let mut bad = v.clone();
        bad[2] = -1.0;
        let e = M::with_parameters(&bad).unwrap_err();
        assert!(e.message.contains(&format!("parameter {} must be a finite positive number", names[2])), "{}", e.message);
    }

    #[test]
    fn parameters_round_trip_in_the_papers_order() {
        round_trip(BgNbdParams { r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 }, &["r", "alpha", "a", "b"]);
        round_trip(mbgnbd::MbgNbdParams { r: 0.52, alpha: 6.18, a: 0.89, b: 1.61 }, &["r", "alpha", "a", "b"]);
        round_trip(pareto_nbd::ParetoNbdParams { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 }, &["r", "alpha", "s", "beta"]);
        round_trip(bgbb::BgBbParams { alpha: 1.2, beta: 0.75, gamma: 0.66, delta: 2.78 }, &["alpha", "beta", "gamma", "delta"]);
        let gg = GammaGammaParams { p: 6.25, q: 3.74, v: 15.44 };
        assert_eq!(gg.to_vec(), vec![6.25, 3.74, 15.44]);
        assert_eq!(GammaGammaParams::from_slice(&gg.to_vec()).unwrap(), gg);
        assert!(GammaGammaParams::from_slice(&[1.0, 2.0]).is_err());
        assert!(GammaGammaParams::from_slice(&[1.0, 0.0, 2.0]).is_err());
    }
}
