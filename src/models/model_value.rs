//! The value of a fitted model (BG/NBD, Gamma-Gamma, Pareto/NBD, MBG/NBD, BG/BB, sBG), generic over
//! the model: its parameters by the paper's names, the time unit, the fit's diagnostics and
//! warnings, with one JSON text form (`model_text`). A model's SQL type is a newtype over
//! `ModelValue<Kind>` made by `model_type!`; the fit from a purchase summary is
//! [`fit_purchase_model`].

use crate::models::model_common::{FittedModel, StdErrors};
use crate::pg::aggregate_support::fit_or_warn;
use crate::pg::errors::warn;
use crate::summary::rft_summary::RftSummary;
use crm_core::error::{CrmError, CrmResult};
use crm_core::models::fit_options::FitOptions;
use crm_core::models::mle::MleFit;
use crm_core::summary::units::TimeUnit;
use pgrx::pg_sys;
use std::fmt::Debug;

/// What the generic layer knows of one model.
pub trait ModelKind: Clone + Debug + 'static {
    /// The parameters (the crm_core type); the text form names them by [`ModelKind::PARAMETERS`].
    type Params: Copy + PartialEq + Debug + 'static;
    /// The `"model"` value of the text form, as in SQL names (`pareto_nbd`).
    const NAME: &'static str;
    /// The SQL type (`crm_pareto_nbd`).
    const TYPE_NAME: &'static str;
    /// The model's name in messages (`Pareto/NBD`).
    const TITLE: &'static str;
    /// Parameter names in the paper's order.
    const PARAMETERS: &'static [&'static str];
    /// Whether the model's times are in a unit (hour, day, week, month); models in discrete
    /// periods (BG/BB, sBG) have none.
    const HAS_UNIT: bool = true;
    /// Whether the text form leaves out `"warnings"` when there are none (BG/NBD, whose 0.1.0
    /// text form had no warnings field).
    const OMIT_EMPTY_WARNINGS: bool = false;
    /// The counts of the text form, in its order (after the covariance): `customers`,
    /// `distinct_rows`, `skipped_null` and, for a model that leaves out rows it cannot use,
    /// `skipped` (Gamma-Gamma's order, from 0.1.0: customers, skipped, skipped_null,
    /// distinct_rows).
    const COUNTS: &'static [&'static str] = &["customers", "distinct_rows", "skipped_null"];
    fn estimates(p: &Self::Params) -> Vec<f64>;
    /// Parameters from estimates in the order of [`ModelKind::PARAMETERS`].
    fn from_estimates(v: &[f64]) -> Self::Params;
    /// 22023 for parameters the model does not take.
    fn validate(p: &Self::Params) -> CrmResult<()>;
}

/// A purchase model fitted from the (frequency, recency, T) summary `crm_rft_summary`.
pub trait FitsPurchases: ModelKind {
    fn fit(summary: &crm_core::summary::rft::BgNbdSummary, opts: &FitOptions, check_interrupt: &mut dyn FnMut()) -> CrmResult<Fit>;
}

/// A fit's outcome with the parameters as a vector (the models have 2 to 4).
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    pub estimates: Vec<f64>,
    pub log_likelihood: f64,
    pub std_errors: Option<Vec<f64>>,
    pub covariance: Option<Vec<Vec<f64>>>,
    pub iterations: u64,
    pub converged: bool,
}

impl Fit {
    /// A fit whose estimates, standard errors and covariance come as arrays over the model's N
    /// parameters (the form of crm_core's fits).
    pub fn of_arrays<const N: usize>(
        estimates: [f64; N],
        log_likelihood: f64,
        std_errors: Option<[f64; N]>,
        covariance: Option<&[[f64; N]; N]>,
        iterations: u64,
        converged: bool,
    ) -> Fit {
        Fit {
            estimates: estimates.to_vec(),
            log_likelihood,
            std_errors: std_errors.map(|s| s.to_vec()),
            covariance: covariance.map(crm_core::intervals::covariance_rows),
            iterations,
            converged,
        }
    }
}

impl<const N: usize> From<MleFit<N>> for Fit {
    fn from(m: MleFit<N>) -> Fit {
        Fit::of_arrays(m.params, m.log_likelihood, m.std_errors, m.covariance.as_ref(), m.iterations, m.converged)
    }
}

/// A model value. Text form: `{"model": "pareto_nbd", "r": ..., "alpha": ..., ..., "unit": "week",
/// "penalizer": 0, "log_likelihood": ..., "std_errors": {...}, "covariance": [[...]], "customers":
/// ..., "distinct_rows": ..., "skipped_null": ..., "iterations": ..., "converged": true,
/// "warnings": [...]}`; parameters given by hand have no log-likelihood, standard errors or covariance.
/// (De)serialized by `model_text`.
#[derive(Clone, Debug)]
pub struct ModelValue<K: ModelKind> {
    pub model: String,
    pub params: K::Params,
    /// The time unit of the data and of the rate parameters; none for models in periods.
    pub unit: Option<TimeUnit>,
    pub penalizer: f64,
    pub log_likelihood: Option<f64>,
    pub std_errors: Option<StdErrors>,
    pub covariance: Option<Vec<Vec<f64>>>,
    pub customers: u64,
    pub distinct_rows: u64,
    pub skipped_null: u64,
    /// Rows the model does not use (Gamma-Gamma: no repeat purchase or no spend); 0 and left out
    /// of the text form for a model without `skipped` in [`ModelKind::COUNTS`].
    pub skipped: u64,
    pub iterations: u64,
    pub converged: bool,
    /// What a user of the numbers should know (a fit that did not converge, a parameter at a
    /// boundary, no standard errors).
    pub warnings: Vec<String>,
}

impl<K: ModelKind> ModelValue<K> {
    /// A model from known parameters (checked).
    pub fn given(params: K::Params, unit: Option<TimeUnit>) -> CrmResult<Self> {
        K::validate(&params)?;
        Ok(ModelValue {
            model: K::NAME.into(),
            params,
            unit,
            penalizer: 0.0,
            log_likelihood: None,
            std_errors: None,
            covariance: None,
            customers: 0,
            distinct_rows: 0,
            skipped_null: 0,
            skipped: 0,
            iterations: 0,
            converged: true,
            warnings: Vec::new(),
        })
    }

    /// A fitted model with its diagnostics and the warnings they call for.
    pub fn fitted(fit: Fit, unit: Option<TimeUnit>, penalizer: f64, counts: (u64, u64, u64)) -> CrmResult<Self> {
        let params = K::from_estimates(&fit.estimates);
        K::validate(&params).map_err(|_| {
            CrmError::out_of_range(format!("{} fit did not reach finite positive parameters", K::TITLE))
                .with_detail(format!("{:?}", fit.estimates))
                .with_hint("try a small penalizer such as 0.001, or check the time unit of the data")
        })?;
        let warnings = crate::models::model_common::fit_warnings(fit.converged, fit.iterations, fit.std_errors.is_some());
        let (customers, distinct_rows, skipped_null) = counts;
        Ok(ModelValue {
            model: K::NAME.into(),
            params,
            unit,
            penalizer,
            log_likelihood: Some(fit.log_likelihood),
            std_errors: fit.std_errors.map(|s| StdErrors::named(K::PARAMETERS, &s)),
            covariance: fit.covariance,
            customers,
            distinct_rows,
            skipped_null,
            skipped: 0,
            iterations: fit.iterations,
            converged: fit.converged,
            warnings,
        })
    }

    /// Checks a value read from its text form: the model name, the parameters and the shape of
    /// the covariance (one row and column per parameter).
    pub fn check(&self) -> CrmResult<()> {
        if self.model != K::NAME {
            return Err(CrmError::invalid(format!("invalid {} value: model is \"{}\"", K::TYPE_NAME, self.model)).with_hint(format!(
                "a {} text form has \"model\": \"{}\"",
                K::TYPE_NAME,
                K::NAME
            )));
        }
        if let Some(c) = &self.covariance {
            let n = K::PARAMETERS.len();
            if c.len() != n || c.iter().any(|row| row.len() != n) {
                let shape: Vec<usize> = c.iter().map(Vec::len).collect();
                return Err(CrmError::invalid(format!("invalid {} value: covariance must be {n} x {n}", K::TYPE_NAME))
                    .with_detail(format!("got {} rows of lengths {shape:?}", c.len()))
                    .with_hint(format!("one row and column per parameter, in the order {}", K::PARAMETERS.join(", "))));
            }
        }
        K::validate(&self.params)
    }
}

impl<K: ModelKind> FittedModel for ModelValue<K> {
    const PARAMETERS: &'static [&'static str] = K::PARAMETERS;
    fn estimates(&self) -> Vec<f64> {
        K::estimates(&self.params)
    }
    fn std_errors(&self) -> Option<&StdErrors> {
        self.std_errors.as_ref()
    }
    fn covariance(&self) -> Option<Vec<Vec<f64>>> {
        self.covariance.clone()
    }
    fn log_likelihood(&self) -> Option<f64> {
        self.log_likelihood
    }
    fn converged(&self) -> bool {
        self.converged
    }
    fn customers(&self) -> u64 {
        self.customers
    }
    /// NULL rows and rows the model does not use.
    fn skipped(&self) -> u64 {
        self.skipped_null + self.skipped
    }
    fn iterations(&self) -> u64 {
        self.iterations
    }
    fn penalizer(&self) -> f64 {
        self.penalizer
    }
    fn warnings(&self) -> &[String] {
        &self.warnings
    }
    fn model_name(&self) -> &str {
        &self.model
    }
    fn unit_name(&self) -> Option<&'static str> {
        self.unit.map(TimeUnit::as_str)
    }
}

/// The model K fitted to a purchase summary with this penalizer; NULL for no customers, or
/// (crm_ext.fit_errors) for data that cannot be fitted. `unit` is recorded in the value (None
/// for models in periods).
pub fn fit_purchase_model<K: FitsPurchases>(
    state: &RftSummary,
    fcinfo: pg_sys::FunctionCallInfo,
    function: &str,
    penalizer: f64,
    unit: Option<TimeUnit>,
) -> Option<ModelValue<K>> {
    if state.summary.customers() == 0 {
        return None;
    }
    let opts = FitOptions { penalizer, ..FitOptions::default() };
    let counts = (state.summary.customers(), state.summary.distinct() as u64, state.settings.skipped_null);
    let fit = K::fit(&state.summary, &opts, &mut crate::pg::aggregate_support::check_interrupts);
    let hint = Some("check the time unit and the data, or add a small penalizer");
    finish_fit(Some(fcinfo), function, fit, (unit, penalizer, counts), hint)
}

/// A fit's outcome as a model value (the last step of every fit of the family): the value with
/// its diagnostics and warnings, each warning also raised as a WARNING (with `hint`). An error
/// is raised, or, in an aggregate's final function (`fcinfo`) when crm_ext.fit_errors says so,
/// warned about with a NULL model. `settings` are the unit, the penalizer and the counts
/// (customers, distinct rows, rows skipped) the value records.
pub fn finish_fit<K: ModelKind>(
    fcinfo: Option<pg_sys::FunctionCallInfo>,
    function: &str,
    fit: CrmResult<Fit>,
    settings: (Option<TimeUnit>, f64, (u64, u64, u64)),
    hint: Option<&str>,
) -> Option<ModelValue<K>> {
    let (unit, penalizer, counts) = settings;
    let value = fit.and_then(|fit| ModelValue::<K>::fitted(fit, unit, penalizer, counts));
    let value = match fcinfo {
        Some(fcinfo) => fit_or_warn(fcinfo, function, value)?,
        None => crate::pg::errors::OrRaise::or_raise(value),
    };
    for w in &value.warnings {
        warn(&format!("{function}: {w}"), None, hint);
    }
    Some(value)
}

/// The WARNING of a hand-tuned fit (BG/NBD, Gamma-Gamma) that stopped before converging, with
/// where it stopped and `hint`.
pub fn warn_not_converged<K: ModelKind>(function: &str, value: &ModelValue<K>, hint: &str) {
    if let (false, Some(log_likelihood)) = (value.converged, value.log_likelihood) {
        warn(
            &format!("{function} did not converge"),
            Some(format!("stopped after {} iterations at log-likelihood {log_likelihood}", value.iterations)),
            Some(hint),
        );
    }
}
