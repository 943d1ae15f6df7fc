//! The SQL type of a model (BG/NBD and the family), and the per-row predictors every purchase model has,
//! written once: [`model_type!`] makes the type (a newtype over `ModelValue<Kind>` with its JSON
//! text form, comparison, argument cache and accessors' trait), [`purchase_predictors!`] the C
//! functions of `crm_p_alive`, `crm_expected_purchases`, `crm_expected_purchases_new`, `crm_clv`
//! `crm_prob_purchases` and the fit's final and
//! fit-from-summary functions. Each model's file declares them in SQL.

use crate::models::gamma_gamma::crm_gamma_gamma;
use crate::models::model_value::{fit_purchase_model, FitsPurchases, ModelValue};
use crate::pg::errors::{raise, OrRaise};
use crate::pg::model_args::ModelArgument;
use crate::pg::row_call::RowArgs;
use crate::pg::state_type;
use crate::summary::rft_summary::RftSummary;
use crm_core::clv::discounted_purchases;
use crm_core::error::CrmError;
use crm_core::models::gamma_gamma;
use crm_core::models::PurchaseModel;
use crm_core::summary::units::TimeUnit;
use pgrx::pg_sys;
use pgrx::IntoDatum;

/// Makes the SQL type `$ty` of the model kind `$kind`: `pub struct $ty(pub ModelValue<$kind>)`
/// with pgrx's type derive, the comparison operators over the stored text form
/// (`crm_sql::model_comparisons!`), the JSON input
/// (checked) and output, [`ModelArgument`] (parameters and unit) and
/// [`crate::models::model_common::FittedModel`].
macro_rules! model_type {
    ($ty:ident, $kind:ty) => {
        #[allow(non_camel_case_types)]
        #[derive(::pgrx::PostgresType, ::serde::Serialize, ::serde::Deserialize, Clone, Debug)]
        #[serde(transparent)]
        #[inoutfuncs]
        #[bikeshed_postgres_type_manually_impl_from_into_datum]
        pub struct $ty(pub $crate::models::model_value::ModelValue<$kind>);

        impl ::pgrx::InOutFuncs for $ty {
            fn input(input: &::std::ffi::CStr) -> Self {
                let mut v: $crate::models::model_value::ModelValue<$kind> =
                    $crate::models::model_common::parse_model_json(input, <$kind as $crate::models::model_value::ModelKind>::TYPE_NAME);
                $crate::models::model_common::order_std_errors(
                    &mut v.std_errors,
                    <$kind as $crate::models::model_value::ModelKind>::PARAMETERS,
                );
                $crate::pg::errors::OrRaise::or_raise(v.check());
                $ty(v)
            }

            fn output(&self, buffer: &mut ::pgrx::StringInfo) {
                $crate::models::model_common::write_model_json(&self.0, buffer);
            }
        }

        ::crm_sql::model_comparisons!($ty);

        impl $crate::pg::model_args::ModelArgument for $ty {
            type Arg = (<$kind as $crate::models::model_value::ModelKind>::Params, Option<::crm_core::summary::units::TimeUnit>);
            fn argument(self) -> Self::Arg {
                (self.0.params, self.0.unit)
            }
        }

        impl From<$crate::models::model_value::ModelValue<$kind>> for $ty {
            fn from(v: $crate::models::model_value::ModelValue<$kind>) -> Self {
                $ty(v)
            }
        }

        impl $crate::models::model_common::FittedModel for $ty {
            const PARAMETERS: &'static [&'static str] = <$kind as $crate::models::model_value::ModelKind>::PARAMETERS;
            fn estimates(&self) -> Vec<f64> {
                self.0.estimates()
            }
            fn std_errors(&self) -> Option<&$crate::models::model_common::StdErrors> {
                self.0.std_errors()
            }
            fn covariance(&self) -> Option<Vec<Vec<f64>>> {
                $crate::models::model_common::FittedModel::covariance(&self.0)
            }
            fn log_likelihood(&self) -> Option<f64> {
                $crate::models::model_common::FittedModel::log_likelihood(&self.0)
            }
            fn converged(&self) -> bool {
                self.0.converged()
            }
            fn customers(&self) -> u64 {
                self.0.customers()
            }
            fn skipped(&self) -> u64 {
                self.0.skipped()
            }
            fn iterations(&self) -> u64 {
                self.0.iterations()
            }
            fn penalizer(&self) -> f64 {
                $crate::models::model_common::FittedModel::penalizer(&self.0)
            }
            fn warnings(&self) -> &[String] {
                $crate::models::model_common::FittedModel::warnings(&self.0)
            }
            fn model_name(&self) -> &str {
                $crate::models::model_common::FittedModel::model_name(&self.0)
            }
            fn unit_name(&self) -> Option<&'static str> {
                $crate::models::model_common::FittedModel::unit_name(&self.0)
            }
        }
    };
}
pub(crate) use model_type;

/// [`FitsRftSummary`] for the SQL type `$ty` of the family model `$kind` (a [`FitsPurchases`]):
/// the generic fit.
macro_rules! generic_rft_fit {
    ($ty:ty, $kind:ty) => {
        impl $crate::models::model_type::FitsRftSummary for $ty {
            const HAS_UNIT: bool = <$kind as $crate::models::model_value::ModelKind>::HAS_UNIT;
            fn fit_rft(
                s: &$crate::summary::rft_summary::RftSummary,
                fcinfo: ::pgrx::pg_sys::FunctionCallInfo,
                penalizer: f64,
                unit: Option<::crm_core::summary::units::TimeUnit>,
            ) -> Option<Self> {
                $crate::models::model_type::generic_fit_rft::<$kind, $ty>(s, fcinfo, penalizer, unit)
            }
        }
    };
}
pub(crate) use generic_rft_fit;

/// The C functions of a purchase model's SQL API (see the module), as [`crate::pg::row_call::row_function!`]s
/// named by the caller (pgrx needs distinct symbols); their bodies are the generic functions below.
macro_rules! purchase_predictors {
    ($ty:ty, $kind:ty, {
        final: ($final_info:ident, $final:ident),
        fit_summary: ($fit_info:ident, $fit:ident),
        p_alive: ($alive_info:ident, $alive:ident),
        expected: ($expected_info:ident, $expected:ident),
        expected_new: ($new_info:ident, $new:ident),
        prob: ($prob_info:ident, $prob:ident),
        clv: ($clv_info:ident, $clv:ident) $(,)?
    }) => {
        $crate::models::model_type::generic_rft_fit!($ty, $kind);
        $crate::pg::row_call::row_function!($final_info, $final, |a| $crate::models::model_type::final_fit::<$ty>(a));
        $crate::pg::row_call::row_function!($fit_info, $fit, |a| $crate::models::model_type::fit_summary::<$ty>(a));
        $crate::pg::row_call::row_function!($alive_info, $alive, |a| $crate::models::model_type::p_alive::<$ty, _>(a));
        $crate::pg::row_call::row_function!($expected_info, $expected, |a| $crate::models::model_type::expected_purchases::<$ty, _>(a));
        $crate::pg::row_call::row_function!($new_info, $new, |a| $crate::models::model_type::expected_purchases_new::<$ty, _>(a));
        $crate::pg::row_call::row_function!($prob_info, $prob, |a| $crate::models::model_type::prob_purchases::<$ty, _>(a));
        $crate::pg::row_call::row_function!($clv_info, $clv, |a| $crate::models::model_type::clv::<$ty, _>(a));
    };
}
pub(crate) use purchase_predictors;

/// A model type fitted from the purchase summary `crm_rft_summary`: what the final function of
/// its one-call fit aggregates and its `crm_<model>_fit(summary, ...)` need. The family types get
/// it from [`purchase_predictors!`] (the generic fit); BG/NBD implements it with its own fit.
pub trait FitsRftSummary: IntoDatum + Sized {
    /// Whether the model's times are in a unit (see `ModelKind::HAS_UNIT`).
    const HAS_UNIT: bool;
    /// The fit of a summary with this penalizer and unit (None for models in periods); NULL for
    /// no customers, or (crm_ext.fit_errors, `fcinfo` of an aggregate's final function) for data
    /// that cannot be fitted.
    fn fit_rft(summary: &RftSummary, fcinfo: pg_sys::FunctionCallInfo, penalizer: f64, unit: Option<TimeUnit>) -> Option<Self>;
}

/// The generic fit of a family model K as its SQL type T (used by [`purchase_predictors!`]).
pub fn generic_fit_rft<K: FitsPurchases, T: From<ModelValue<K>>>(
    s: &RftSummary,
    fcinfo: pg_sys::FunctionCallInfo,
    penalizer: f64,
    unit: Option<TimeUnit>,
) -> Option<T> {
    fit_purchase_model::<K>(s, fcinfo, &format!("crm_{}_fit", K::NAME), penalizer, unit).map(T::from)
}

/// Final function of a one-call fit aggregate (`crm_<model>_fit(frequency, recency, t [, penalizer [, unit]])`):
/// the fit with the penalizer and unit the rows recorded.
pub fn final_fit<T: FitsRftSummary>(a: &RowArgs) -> pg_sys::Datum {
    // SAFETY: declared with a crm_rft_summary argument.
    let fit = unsafe {
        state_type::with_state::<RftSummary, _>(a.fcinfo(), 0, |s| {
            let unit = T::HAS_UNIT.then(|| s.settings.unit());
            T::fit_rft(s, a.fcinfo(), s.settings.penalizer(), unit)
        })
    };
    a.ret_opt(fit.flatten())
}

/// `crm_<model>_fit(summary, penalizer => NULL, unit => NULL)`: the fit of a stored or rolled-up
/// summary; NULL penalizer or unit: the summary's own (0, and week when it records none). A
/// model without a unit takes no unit argument.
pub fn fit_summary<T: FitsRftSummary>(a: &RowArgs) -> pg_sys::Datum {
    let unit = if T::HAS_UNIT { a.opt_text(2).map(|u| TimeUnit::parse(u).or_raise()) } else { None };
    let penalizer = a.opt_f64(1);
    // SAFETY: declared with a crm_rft_summary argument 0.
    let fit = unsafe {
        state_type::with_state::<RftSummary, _>(a.fcinfo(), 0, |s| {
            let unit = T::HAS_UNIT.then(|| crate::summary::rft_summary::fit_unit(&s.settings, unit));
            let penalizer = s.settings.penalizer_or(penalizer).or_raise();
            T::fit_rft(s, a.fcinfo(), penalizer, unit)
        })
    };
    a.ret_opt(fit.flatten())
}

/// `crm_p_alive(model, frequency, recency, t)`.
pub fn p_alive<T: ModelArgument<Arg = (P, Option<TimeUnit>)>, P: PurchaseModel + Copy + 'static>(a: &RowArgs) -> pg_sys::Datum {
    let (model, _) = a.models::<()>().model::<T>(0);
    a.ret_f64(model.p_alive(a.f64(1), a.f64(2), a.f64(3)).or_raise())
}

/// `crm_expected_purchases(model, frequency, recency, t, horizon)`.
pub fn expected_purchases<T: ModelArgument<Arg = (P, Option<TimeUnit>)>, P: PurchaseModel + Copy + 'static>(a: &RowArgs) -> pg_sys::Datum {
    let (model, _) = a.models::<()>().model::<T>(0);
    a.ret_f64(model.expected_purchases(a.f64(1), a.f64(2), a.f64(3), a.f64(4)).or_raise())
}

/// `crm_expected_purchases_new(model, horizon)`.
pub fn expected_purchases_new<T: ModelArgument<Arg = (P, Option<TimeUnit>)>, P: PurchaseModel + Copy + 'static>(
    a: &RowArgs,
) -> pg_sys::Datum {
    let (model, _) = a.models::<()>().model::<T>(0);
    a.ret_f64(model.expected_purchases_new(a.f64(1)).or_raise())
}

/// A number of purchases `n` argument of the probability functions; 22023 when negative.
pub fn purchase_count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or_else(|_| raise(CrmError::invalid(format!("number of purchases must not be negative: {n}"))))
}

/// `crm_prob_purchases(model, n, horizon)`: a new customer's P(X(horizon) = n).
pub fn prob_purchases<T: ModelArgument<Arg = (P, Option<TimeUnit>)>, P: PurchaseModel + Copy + 'static>(a: &RowArgs) -> pg_sys::Datum {
    let (model, _) = a.models::<()>().model::<T>(0);
    a.ret_f64(model.prob_purchases(purchase_count(a.i64(1)), a.f64(2)).or_raise())
}

/// `crm_clv(model, gg, frequency, recency, t, monetary, months => 12, discount => 0.01)`: the
/// Gamma-Gamma expected spend times the discounted expected purchases of each month (months
/// in the purchase model's unit), as for BG/NBD.
pub fn clv<T: ModelArgument<Arg = (P, Option<TimeUnit>)>, P: PurchaseModel + Copy + 'static>(a: &RowArgs) -> pg_sys::Datum {
    let mut models = a.models::<()>();
    let ((model, unit), gg) = (models.model::<T>(0), models.model::<crm_gamma_gamma>(1));
    let (months, discount) = (a.i32(6), a.f64(7));
    let Ok(months) = u32::try_from(months) else { raise(CrmError::invalid(format!("months must not be negative, got {months}"))) };
    let (x, t_x, t, m) = (a.f64(2), a.f64(3), a.f64(4), a.f64(5));
    let spend = gamma_gamma::expected_spend(&gg.0, x, m).or_raise();
    let step = unit.unwrap_or(TimeUnit::Week).per_month();
    let purchases = discounted_purchases(&model, x, t_x, t, step, months, discount).or_raise();
    let value = spend * purchases;
    if !value.is_finite() {
        raise(CrmError::out_of_range("customer lifetime value overflows").with_detail(format!("x = {x}, m = {m}")));
    }
    a.ret_f64(value)
}

/// The rows of `crm_simulate(model, customers, t_max, seed)` for a continuous-time purchase
/// model: `simulate(customers, seed)` draws them (22023 for a negative count or seed).
pub fn simulated(
    customers: i64,
    seed: i64,
    simulate: impl FnOnce(u64, u64) -> crm_core::error::CrmResult<Vec<crm_core::models::simulation::SimCustomer>>,
) -> pgrx::iter::TableIterator<'static, SimulatedRow> {
    let (customers, seed) = simulation_counts(customers, seed);
    let rows = simulate(customers, seed).or_raise();
    pgrx::iter::TableIterator::new(rows.into_iter().map(|c| (c.id as i64, c.frequency as i64, c.recency, c.t)))
}

/// (customer_id, frequency, recency, t) of a simulated customer.
pub type SimulatedRow = (i64, i64, f64, f64);

/// The customer count and seed of a simulation, checked (22023 when negative).
pub fn simulation_counts(customers: i64, seed: i64) -> (u64, u64) {
    let Ok(n) = u64::try_from(customers) else {
        raise(CrmError::invalid(format!("number of customers must not be negative, got {customers}")))
    };
    let Ok(seed) = u64::try_from(seed) else { raise(CrmError::invalid(format!("seed must not be negative, got {seed}"))) };
    (n, seed)
}
