//! Intervals in SQL: `crm_confidence_intervals(model, level)` for every model type (made by
//! `model_accessors!`), and per-customer intervals of expected purchases and CLV for every
//! purchase model (`prediction_intervals!`), all over `crm_core::intervals`. They express the
//! uncertainty of the fitted parameters (their covariance, stored in the model value), not the
//! randomness of a customer's purchases.

use crate::models::gamma_gamma::crm_gamma_gamma;
use crate::models::model_common::FittedModel;
use crate::pg::errors::{raise, OrRaise};
use crm_core::error::CrmError;
use crm_core::intervals::{self, Interval, IntervalMethod};
use crm_core::models::PurchaseModel;
use crm_core::summary::units::TimeUnit;
use pgrx::iter::TableIterator;

/// A purchase model type as the interval functions read it.
pub trait PurchaseInterval: FittedModel {
    type Params: PurchaseModel;
    fn purchase_params(&self) -> Self::Params;
    /// The unit of the model's times (models in periods: none).
    fn time_unit(&self) -> Option<TimeUnit>;
}

/// (parameter, estimate, std_error, low, high): a row of `crm_confidence_intervals`.
pub type ParameterInterval = (String, f64, Option<f64>, Option<f64>, Option<f64>);

/// The rows at `level`: log-scale Wald intervals from the standard errors (NULL bounds without them).
pub fn parameter_rows<M: FittedModel>(model: &M, level: f64) -> Vec<ParameterInterval> {
    intervals::check_level(level).or_raise();
    model
        .parameter_rows()
        .into_iter()
        .map(|(name, estimate, se)| {
            let bounds = se.map(|se| intervals::parameter_interval(estimate, se, level).or_raise());
            (name, estimate, se, bounds.map(|b| b.0), bounds.map(|b| b.1))
        })
        .collect()
}

/// The covariance a prediction interval needs; 22023 for a model without one.
fn covariance_of<M: FittedModel>(model: &M, what: &str) -> Vec<Vec<f64>> {
    model.covariance().unwrap_or_else(|| {
        raise(
            CrmError::invalid(format!("the {what} model has no covariance matrix: intervals need a fitted model with standard errors"))
                .with_detail("models given by parameters, and fits whose Hessian is not negative definite, have none")
                .with_hint("fit the model (crm_<model>_fit); for a fit without standard errors try a small penalizer"),
        )
    })
}

/// Rows of a per-customer interval function.
pub type IntervalRow = TableIterator<'static, (pgrx::name!(low, f64), pgrx::name!(estimate, f64), pgrx::name!(high, f64))>;

fn one_row(i: Interval) -> IntervalRow {
    TableIterator::once((i.low, i.estimate, i.high))
}

/// `crm_expected_purchases_interval(model, frequency, recency, t, horizon, level, method, draws, seed)`.
#[allow(clippy::too_many_arguments)]
pub fn expected_purchases<M: PurchaseInterval>(
    model: &M,
    x: f64,
    t_x: f64,
    t: f64,
    horizon: f64,
    level: f64,
    method: &str,
    draws: i32,
    seed: i64,
) -> IntervalRow {
    let method = IntervalMethod::parse(method, draws, seed).or_raise();
    let cov = covariance_of(model, "purchase");
    let i = intervals::expected_purchases_interval(
        &model.purchase_params(),
        &cov,
        x,
        t_x,
        t,
        horizon,
        level,
        method,
        &mut crate::pg::aggregate_support::check_interrupts,
    )
    .or_raise();
    one_row(i)
}

/// `crm_clv_interval(model, gg, frequency, recency, t, monetary, months, discount, level, method, draws, seed)`.
#[allow(clippy::too_many_arguments)]
pub fn clv<M: PurchaseInterval>(
    model: &M,
    gg: &crm_gamma_gamma,
    x: f64,
    t_x: f64,
    t: f64,
    monetary: f64,
    months: i32,
    discount: f64,
    level: f64,
    method: &str,
    draws: i32,
    seed: i64,
) -> IntervalRow {
    let method = IntervalMethod::parse(method, draws, seed).or_raise();
    let Ok(months) = u32::try_from(months) else { raise(CrmError::invalid(format!("months must not be negative, got {months}"))) };
    let (cov, gg_cov) = (covariance_of(model, "purchase"), covariance_of(gg, "Gamma-Gamma"));
    let step = model.time_unit().unwrap_or(TimeUnit::Week).per_month();
    let i = intervals::clv_interval(
        &model.purchase_params(),
        &cov,
        &gg.params(),
        &gg_cov,
        x,
        t_x,
        t,
        monetary,
        step,
        months,
        discount,
        level,
        method,
        &mut crate::pg::aggregate_support::check_interrupts,
    )
    .or_raise();
    one_row(i)
}

/// `crm_expected_purchases_interval` (and, with a third name, `crm_clv_interval`) for the
/// purchase model type `$ty` (a [`PurchaseInterval`]), under the Rust names given (the caller
/// imports pgrx's prelude: pgrx reads the return type by its tokens). With
/// `$params, newtype`, it also implements [`PurchaseInterval`] for a newtype over
/// `ModelValue<K>` whose parameters are `$params`.
macro_rules! prediction_intervals {
    ($ty:ty, $params:ty, newtype, $expected:ident $(, $clv:ident)?) => {
        impl $crate::models::intervals::PurchaseInterval for $ty {
            type Params = $params;
            fn purchase_params(&self) -> $params {
                self.0.params
            }
            fn time_unit(&self) -> Option<::crm_core::summary::units::TimeUnit> {
                self.0.unit
            }
        }
        $crate::models::intervals::prediction_intervals!($ty, $expected $(, $clv)?);
    };
    ($ty:ty, $expected:ident $(, $clv:ident)?) => {
        #[::pgrx::pg_extern(immutable, parallel_safe, name = "crm_expected_purchases_interval")]
        #[allow(clippy::too_many_arguments)]
        fn $expected(
            model: $ty,
            frequency: f64,
            recency: f64,
            t: f64,
            horizon: f64,
            level: ::pgrx::default!(f64, 0.9),
            method: ::pgrx::default!(&str, "'delta'"),
            draws: ::pgrx::default!(i32, 1000),
            seed: ::pgrx::default!(i64, 0),
        ) -> TableIterator<'static, (name!(low, f64), name!(estimate, f64), name!(high, f64))> {
            $crate::models::intervals::expected_purchases(&model, frequency, recency, t, horizon, level, method, draws, seed)
        }
        $(
        #[::pgrx::pg_extern(immutable, parallel_safe, name = "crm_clv_interval")]
        #[allow(clippy::too_many_arguments)]
        fn $clv(
            model: $ty,
            gg: $crate::models::gamma_gamma::crm_gamma_gamma,
            frequency: f64,
            recency: f64,
            t: f64,
            monetary: f64,
            months: ::pgrx::default!(i32, 12),
            discount: ::pgrx::default!(f64, 0.01),
            level: ::pgrx::default!(f64, 0.9),
            method: ::pgrx::default!(&str, "'delta'"),
            draws: ::pgrx::default!(i32, 1000),
            seed: ::pgrx::default!(i64, 0),
        ) -> TableIterator<'static, (name!(low, f64), name!(estimate, f64), name!(high, f64))> {
            $crate::models::intervals::clv(&model, &gg, frequency, recency, t, monetary, months, discount, level, method, draws, seed)
        }
        )?
    };
}
pub(crate) use prediction_intervals;
