//! Pieces shared by the model types: fit settings carried through an aggregate, named standard
//! errors, and the JSON text form.

use crate::pg::errors::OrRaise;
use crm_core::error::{CrmError, CrmResult};
use crm_core::summary::units::TimeUnit;
use pgrx::prelude::*;
use pgrx::StringInfo;
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::ffi::CStr;
use std::fmt;

/// Penalizer and time unit of a fit aggregate. They are aggregate arguments, so every row repeats
/// them; all rows of a group must agree. Also counts rows skipped for NULLs.
#[derive(Default, Clone, Debug, PartialEq)]
pub struct FitSettings {
    penalizer: Option<f64>,
    unit: Option<TimeUnit>,
    pub skipped_null: u64,
}

impl FitSettings {
    /// Records the settings of one row. `None` means the aggregate form without that argument.
    pub fn set(&mut self, penalizer: Option<Option<f64>>, unit: Option<Option<&str>>) -> CrmResult<()> {
        if let Some(p) = penalizer {
            let p = check_penalizer(p.ok_or_else(|| CrmError::null_not_allowed("penalizer must not be null"))?)?;
            match self.penalizer {
                Some(old) if old != p => return Err(differs("penalizer", old, p)),
                _ => self.penalizer = Some(p),
            }
        }
        if let Some(u) = unit {
            let u = u.ok_or_else(|| CrmError::null_not_allowed("unit must not be null"))?;
            // parse only when it could differ from the recorded one: this runs once per row
            if self.unit.map(|old| old.as_str() != u).unwrap_or(true) {
                let parsed = TimeUnit::parse(u)?;
                match self.unit {
                    Some(old) if old != parsed => return Err(differs("unit", old.as_str(), parsed.as_str())),
                    _ => self.unit = Some(parsed),
                }
            }
        }
        Ok(())
    }

    /// Settings as recorded (None: not given), as a summary's text form shows them.
    pub fn recorded(&self) -> (Option<f64>, Option<TimeUnit>) {
        (self.penalizer, self.unit)
    }

    /// Settings read back from a summary's text form (the penalizer checked as on a row).
    pub fn from_recorded(penalizer: Option<f64>, unit: Option<TimeUnit>, skipped_null: u64) -> CrmResult<Self> {
        let mut s = FitSettings { penalizer: None, unit, skipped_null };
        s.set(penalizer.map(Some), None)?;
        Ok(s)
    }

    /// The penalizer of a fit from a summary: `given` (checked as on a row), else the recorded one.
    pub fn penalizer_or(&self, given: Option<f64>) -> CrmResult<f64> {
        given.map_or(Ok(self.penalizer()), check_penalizer)
    }

    pub fn penalizer(&self) -> f64 {
        self.penalizer.unwrap_or(0.0)
    }

    pub fn unit(&self) -> TimeUnit {
        self.unit.unwrap_or(TimeUnit::Week)
    }

    /// Merges the settings of two states or summaries (combine, crm_rollup): they must agree.
    pub fn merge(&mut self, other: &FitSettings) -> CrmResult<()> {
        if let (Some(a), Some(b)) = (self.unit, other.unit) {
            if a != b {
                return Err(CrmError::invalid(format!(
                    "summaries in different time units cannot be merged: {}s and {}s",
                    a.as_str(),
                    b.as_str()
                ))
                .with_hint("summarise every part in the same unit"));
            }
        }
        if let (Some(a), Some(b)) = (self.penalizer, other.penalizer) {
            if a != b {
                return Err(CrmError::invalid(format!("summaries recording different penalizers cannot be merged: {a} and {b}"))
                    .with_hint("summarise with crm_rft_summary or crm_spend_summary (no penalizer) and pass the penalizer to the fit"));
            }
        }
        self.set(other.penalizer.map(Some), other.unit.map(|u| Some(u.as_str())))?;
        self.skipped_null += other.skipped_null;
        Ok(())
    }

    /// 1 flag byte, penalizer (f64 LE), unit code, skipped count (u64 LE): 18 bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(18);
        out.push(u8::from(self.penalizer.is_some()));
        out.extend_from_slice(&self.penalizer.unwrap_or(0.0).to_le_bytes());
        out.push(match self.unit {
            None => 0,
            Some(TimeUnit::Hour) => 1,
            Some(TimeUnit::Day) => 2,
            Some(TimeUnit::Week) => 3,
            Some(TimeUnit::Month) => 4,
        });
        out.extend_from_slice(&self.skipped_null.to_le_bytes());
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> CrmResult<(FitSettings, &[u8])> {
        if bytes.len() < 18 {
            return Err(CrmError::invalid("corrupt aggregate state: settings truncated"));
        }
        let penalizer = (bytes[0] == 1).then(|| f64::from_le_bytes(bytes[1..9].try_into().unwrap()));
        let unit = match bytes[9] {
            0 => None,
            1 => Some(TimeUnit::Hour),
            2 => Some(TimeUnit::Day),
            3 => Some(TimeUnit::Week),
            4 => Some(TimeUnit::Month),
            c => return Err(CrmError::invalid(format!("corrupt aggregate state: unit code {c}"))),
        };
        let skipped_null = u64::from_le_bytes(bytes[10..18].try_into().unwrap());
        Ok((FitSettings { penalizer, unit, skipped_null }, &bytes[18..]))
    }
}

/// A penalizer argument checked: finite and >= 0 (22023 otherwise).
pub fn check_penalizer(p: f64) -> CrmResult<f64> {
    if !(p.is_finite() && p >= 0.0) {
        return Err(CrmError::invalid(format!("penalizer must be a finite number >= 0, got {p}")));
    }
    Ok(p)
}

fn differs(what: &str, old: impl fmt::Display, new: impl fmt::Display) -> CrmError {
    CrmError::invalid(format!("{what} differs between rows of one fit: {old} and {new}"))
        .with_hint(format!("pass the same {what} on every row (a constant)"))
}

/// Standard errors by parameter name, in the paper's order; JSON: {"r": 0.0125, "alpha": ...}.
#[derive(Clone, Debug, PartialEq)]
pub struct StdErrors(Vec<(String, f64)>);

impl StdErrors {
    pub fn named(names: &[&str], values: &[f64]) -> StdErrors {
        StdErrors(names.iter().zip(values).map(|(n, v)| (n.to_string(), *v)).collect())
    }

    pub fn get(&self, name: &str) -> Option<f64> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }

    /// The same standard errors in the order of `names` (the paper's), as a text form read back
    /// from jsonb (which sorts keys) must be stored; 22023 for a name that is not a parameter.
    pub fn in_order(self, names: &[&str]) -> CrmResult<StdErrors> {
        if let Some((n, _)) = self.0.iter().find(|(n, _)| !names.contains(&n.as_str())) {
            return Err(CrmError::invalid(format!("std_errors names an unknown parameter \"{n}\""))
                .with_hint(format!("the parameters are {}", names.join(", "))));
        }
        Ok(StdErrors(names.iter().filter_map(|n| self.get(n).map(|v| (n.to_string(), v))).collect()))
    }
}

/// Puts a parsed model's standard errors in the paper's order (see [`StdErrors::in_order`]).
pub fn order_std_errors(std_errors: &mut Option<StdErrors>, names: &[&str]) {
    if let Some(se) = std_errors.take() {
        *std_errors = Some(se.in_order(names).or_raise());
    }
}

impl Serialize for StdErrors {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for StdErrors {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StdErrors;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of parameter names to standard errors")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StdErrors, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, f64>()? {
                    out.push((k, v));
                }
                Ok(StdErrors(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// The warnings a fit records in its model value (every model type): a fit that did not
/// converge, and one without standard errors.
pub fn fit_warnings(converged: bool, iterations: u64, has_std_errors: bool) -> Vec<String> {
    let mut warnings = Vec::new();
    if !converged {
        warnings.push(format!("the fit did not converge (stopped after {iterations} iterations)"));
    }
    if !has_std_errors {
        warnings.push(
            "no standard errors: the Hessian at the estimate is not negative definite (a parameter at a boundary or a flat direction)"
                .into(),
        );
    }
    warnings
}

/// What every fitted model value offers the model-agnostic accessors (`model_accessors!`): its
/// parameters by the paper's names and its fit diagnostics.
pub trait FittedModel {
    /// The parameter names, in the paper's order.
    const PARAMETERS: &'static [&'static str];
    /// The estimates, in the order of [`FittedModel::PARAMETERS`].
    fn estimates(&self) -> Vec<f64>;
    fn std_errors(&self) -> Option<&StdErrors>;
    /// The covariance of the estimates (the inverse of the negative Hessian), in the order of
    /// [`FittedModel::PARAMETERS`]; None for given parameters and fits without standard errors.
    fn covariance(&self) -> Option<Vec<Vec<f64>>>;
    fn log_likelihood(&self) -> Option<f64>;
    fn converged(&self) -> bool;
    /// Customers the fit used.
    fn customers(&self) -> u64;
    /// Rows the fit skipped (NULLs, and what the model cannot use).
    fn skipped(&self) -> u64;
    fn iterations(&self) -> u64;
    fn penalizer(&self) -> f64;
    /// What a user of the numbers should know about the fit (recorded in the value).
    fn warnings(&self) -> &[String];
    /// The `"model"` name of the text form (`bgnbd`, `gamma_gamma`, ...).
    fn model_name(&self) -> &str;
    /// The time unit of the model's times and rates; None for spend models and models in periods.
    fn unit_name(&self) -> Option<&'static str>;

    /// The standard error of one parameter; 22023 for a name the model does not have.
    fn std_error(&self, parameter: &str) -> Option<f64> {
        if !Self::PARAMETERS.contains(&parameter) {
            unknown_parameter(parameter, Self::PARAMETERS);
        }
        self.std_errors().and_then(|s| s.get(parameter))
    }

    /// The estimate of one parameter; 22023 for a name the model does not have.
    fn parameter(&self, parameter: &str) -> f64 {
        match Self::PARAMETERS.iter().position(|p| *p == parameter) {
            Some(i) => self.estimates()[i],
            None => unknown_parameter(parameter, Self::PARAMETERS),
        }
    }

    /// (parameter, estimate, standard error) rows in the paper's order.
    fn parameter_rows(&self) -> Vec<(String, f64, Option<f64>)> {
        let se = self.std_errors();
        Self::PARAMETERS.iter().zip(self.estimates()).map(|(n, v)| (n.to_string(), v, se.and_then(|s| s.get(n)))).collect()
    }
}

/// One row of `crm_model_summary(model)`: the model's name, unit, parameters (as display text
/// `r = 0.2426, alpha = 4.414, ..` and as arrays), fit diagnostics, and its warnings joined
/// with "; " (NULL when there are none).
#[allow(clippy::type_complexity)]
pub fn summary_row<M: FittedModel>(
    model: &M,
) -> (String, Option<String>, String, Vec<String>, Vec<f64>, Vec<Option<f64>>, Option<f64>, i64, i64, i64, f64, bool, i32, Option<String>) {
    let rows = model.parameter_rows();
    let display = rows.iter().map(|(n, v, _)| format!("{n} = {}", significant(*v))).collect::<Vec<_>>().join(", ");
    let warnings = model.warnings();
    (
        model.model_name().to_string(),
        model.unit_name().map(str::to_string),
        display,
        rows.iter().map(|r| r.0.clone()).collect(),
        rows.iter().map(|r| r.1).collect(),
        rows.iter().map(|r| r.2).collect(),
        model.log_likelihood(),
        model.customers() as i64,
        model.skipped() as i64,
        model.iterations() as i64,
        model.penalizer(),
        model.converged(),
        warnings.len() as i32,
        (!warnings.is_empty()).then(|| warnings.join("; ")),
    )
}

/// `v` with (at most) 4 significant digits, in plain notation (`76.17`, `0.0001234`, `2.426`, `0.243`).
fn significant(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return v.to_string();
    }
    let decimals = (3 - v.abs().log10().floor() as i32).clamp(0, 15) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// The error (22023) for a parameter name a model does not have.
fn unknown_parameter(parameter: &str, names: &[&str]) -> ! {
    crate::pg::errors::raise(
        CrmError::invalid(format!("unknown parameter \"{parameter}\"")).with_hint(format!("use one of {}", names.join(", "))),
    )
}

/// The accessors every model type has, as overloads of one SQL name each: `crm_std_error(model,
/// parameter)`, `crm_log_likelihood`, `crm_converged`, `crm_customers`, `crm_skipped`,
/// `crm_iterations`, `crm_penalizer`, `crm_parameter(model, name)`, `<model>_params(model)` and
/// `crm_confidence_intervals(model, level)`, `crm_model_summary(model)`. Give the model type (a
/// [`FittedModel`]) and a Rust name for each function (pgrx needs distinct ones); their COMMENTs
/// are SQL beside the model.
macro_rules! model_accessors {
    ($model:ty, $params:literal, [$std_error:ident, $log_likelihood:ident, $converged:ident, $customers:ident, $skipped:ident, $iterations:ident, $penalizer:ident, $params_fn:ident, $parameter:ident, $intervals:ident, $summary:ident]) => {
        #[::pgrx::pg_extern(immutable, parallel_safe, name = "crm_model_summary")]
        #[allow(clippy::type_complexity)]
        fn $summary(
            model: $model,
        ) -> TableIterator<
            'static,
            (
                name!(model, String),
                name!(unit, Option<String>),
                name!(parameters, String),
                name!(parameter_names, Vec<String>),
                name!(estimates, Vec<f64>),
                name!(std_errors, Vec<Option<f64>>),
                name!(log_likelihood, Option<f64>),
                name!(customers, i64),
                name!(skipped, i64),
                name!(iterations, i64),
                name!(penalizer, f64),
                name!(converged, bool),
                name!(warning_count, i32),
                name!(warnings, Option<String>),
            ),
        > {
            TableIterator::once($crate::models::model_common::summary_row(&model))
        }
        #[::pgrx::pg_extern(immutable, parallel_safe, name = "crm_confidence_intervals")]
        #[allow(clippy::type_complexity)]
        fn $intervals(
            model: $model,
            level: ::pgrx::default!(f64, 0.9),
        ) -> TableIterator<
            'static,
            (
                name!(parameter, String),
                name!(estimate, f64),
                name!(std_error, Option<f64>),
                name!(low, Option<f64>),
                name!(high, Option<f64>),
            ),
        > {
            TableIterator::new($crate::models::intervals::parameter_rows(&model, level).into_iter())
        }
        #[::pgrx::pg_extern(immutable, parallel_safe, name = "crm_parameter")]
        fn $parameter(model: $model, parameter: &str) -> f64 {
            $crate::models::model_common::FittedModel::parameter(&model, parameter)
        }
        #[::pgrx::pg_extern(immutable, parallel_safe, name = "crm_std_error")]
        fn $std_error(model: $model, parameter: &str) -> Option<f64> {
            $crate::models::model_common::FittedModel::std_error(&model, parameter)
        }
        #[::pgrx::pg_extern(immutable, parallel_safe, name = "crm_log_likelihood")]
        fn $log_likelihood(model: $model) -> Option<f64> {
            $crate::models::model_common::FittedModel::log_likelihood(&model)
        }
        #[::pgrx::pg_extern(immutable, parallel_safe, name = "crm_converged")]
        fn $converged(model: $model) -> bool {
            $crate::models::model_common::FittedModel::converged(&model)
        }
        #[::pgrx::pg_extern(immutable, parallel_safe, name = "crm_customers")]
        fn $customers(model: $model) -> i64 {
            $crate::models::model_common::FittedModel::customers(&model) as i64
        }
        #[::pgrx::pg_extern(immutable, parallel_safe, name = "crm_skipped")]
        fn $skipped(model: $model) -> i64 {
            $crate::models::model_common::FittedModel::skipped(&model) as i64
        }
        #[::pgrx::pg_extern(immutable, parallel_safe, name = "crm_iterations")]
        fn $iterations(model: $model) -> i64 {
            $crate::models::model_common::FittedModel::iterations(&model) as i64
        }
        #[::pgrx::pg_extern(immutable, parallel_safe, name = "crm_penalizer")]
        fn $penalizer(model: $model) -> f64 {
            $crate::models::model_common::FittedModel::penalizer(&model)
        }
        #[::pgrx::pg_extern(immutable, parallel_safe, name = $params)]
        fn $params_fn(
            model: $model,
        ) -> TableIterator<'static, (name!(parameter, String), name!(estimate, f64), name!(std_error, Option<f64>))> {
            TableIterator::new($crate::models::model_common::FittedModel::parameter_rows(&model).into_iter())
        }
    };
}
pub(crate) use model_accessors;

/// Parses a model's JSON text form, raising 22P02 with the parser's message on bad input.
pub fn parse_model_json<T: DeserializeOwned>(input: &CStr, type_name: &str) -> T {
    match serde_json::from_slice(input.to_bytes()) {
        Ok(v) => v,
        Err(e) => {
            ereport!(
                ERROR,
                PgSqlErrorCode::ERRCODE_INVALID_TEXT_REPRESENTATION,
                format!("invalid input syntax for type {type_name}"),
                e.to_string()
            );
        }
    }
}

/// Writes a model's JSON text form (what its output function prints).
pub fn write_model_json<T: Serialize>(value: &T, buffer: &mut StringInfo) {
    buffer.push_str(&serde_json::to_string(value).expect("model values serialize to JSON"));
}

/// A model fit aggregate's state: the data summary and the fit settings. Merging, byte form and
/// settings checks are the same for every model; only the summary differs.
#[derive(Default)]
pub struct ModelState<S> {
    pub summary: S,
    pub settings: FitSettings,
}

/// What a model's data summary offers to `ModelState`.
pub trait Summary: Default + 'static {
    fn merge_summary(&mut self, other: &Self);
    fn summary_bytes(&self) -> Vec<u8>;
    fn parse_summary(bytes: &[u8]) -> CrmResult<Self>;
    fn compact_summary(&mut self);
    fn heap_bytes(&self) -> usize;
}

/// The crm_core summaries already have these methods under their own names.
macro_rules! summary_from_core {
    ($t:ty) => {
        impl Summary for $t {
            fn merge_summary(&mut self, other: &Self) {
                self.merge(other)
            }
            fn summary_bytes(&self) -> Vec<u8> {
                self.to_bytes()
            }
            fn parse_summary(bytes: &[u8]) -> CrmResult<Self> {
                Self::from_bytes(bytes)
            }
            fn compact_summary(&mut self) {
                self.compact()
            }
            fn heap_bytes(&self) -> usize {
                <$t>::heap_bytes(self)
            }
        }
    };
}
summary_from_core!(crm_core::summary::rft::BgNbdSummary);
summary_from_core!(crm_core::models::gamma_gamma::GammaGammaSummary);

impl<S: Summary> crate::pg::aggregate_support::AggState for ModelState<S> {
    fn merge(&mut self, other: &Self) {
        self.settings.merge(&other.settings).or_raise();
        self.summary.merge_summary(&other.summary);
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.settings.to_bytes();
        out.extend_from_slice(&self.summary.summary_bytes());
        out
    }

    fn from_bytes(bytes: &[u8]) -> Self {
        let (settings, rest) = FitSettings::from_bytes(bytes).or_raise();
        ModelState { settings, summary: S::parse_summary(rest).or_raise() }
    }

    fn compact(&mut self) {
        self.summary.compact_summary();
    }

    #[inline]
    fn heap_bytes(&self) -> usize {
        self.summary.heap_bytes()
    }
}
