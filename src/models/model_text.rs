//! The text form of [`ModelValue`]: a JSON object with the model's name, its parameters by the
//! paper's names (in the paper's order), the unit (for a model in a time unit), and the fit's
//! diagnostics, in a fixed order (the counts in the model's, `ModelKind::COUNTS`).
//! Written by hand rather than derived so that the parameters need no serde of their own and
//! reading names the first missing field in that order (`missing field \`alpha\``), as the
//! derived form of the BG/NBD value did; unknown fields are ignored.

use crate::models::model_common::StdErrors;
use crate::models::model_value::{ModelKind, ModelValue};
use crm_core::summary::units::TimeUnit;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::marker::PhantomData;

impl<K: ModelKind> Serialize for ModelValue<K> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("model", &self.model)?;
        for (name, value) in K::PARAMETERS.iter().zip(K::estimates(&self.params)) {
            m.serialize_entry(name, &value)?;
        }
        if let (true, Some(unit)) = (K::HAS_UNIT, &self.unit) {
            m.serialize_entry("unit", unit)?;
        }
        m.serialize_entry("penalizer", &self.penalizer)?;
        m.serialize_entry("log_likelihood", &self.log_likelihood)?;
        m.serialize_entry("std_errors", &self.std_errors)?;
        m.serialize_entry("covariance", &self.covariance)?;
        for name in K::COUNTS {
            m.serialize_entry(name, &self.count(name))?;
        }
        m.serialize_entry("iterations", &self.iterations)?;
        m.serialize_entry("converged", &self.converged)?;
        if !(K::OMIT_EMPTY_WARNINGS && self.warnings.is_empty()) {
            m.serialize_entry("warnings", &self.warnings)?;
        }
        m.end()
    }
}

/// The counts a text form may have (`ModelKind::COUNTS` says which and in what order).
const COUNTS: [&str; 4] = ["customers", "distinct_rows", "skipped_null", "skipped"];

impl<K: ModelKind> ModelValue<K> {
    /// The count of this name (one of [`COUNTS`]).
    fn count(&self, name: &str) -> u64 {
        match name {
            "customers" => self.customers,
            "distinct_rows" => self.distinct_rows,
            "skipped_null" => self.skipped_null,
            "skipped" => self.skipped,
            other => unreachable!("not a count: {other}"),
        }
    }
}

/// The fields read so far.
#[derive(Default)]
struct Read {
    model: Option<String>,
    params: Vec<Option<f64>>,
    unit: Option<TimeUnit>,
    penalizer: Option<f64>,
    log_likelihood: Option<Option<f64>>,
    std_errors: Option<Option<StdErrors>>,
    covariance: Option<Option<Vec<Vec<f64>>>>,
    /// In the order of [`COUNTS`].
    counts: [Option<u64>; 4],
    iterations: Option<u64>,
    converged: Option<bool>,
    warnings: Option<Vec<String>>,
}

/// Stores a field's value, or fails on a repeated field.
fn once<T, E: de::Error>(slot: &mut Option<T>, name: &'static str, value: T) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(name));
    }
    *slot = Some(value);
    Ok(())
}

struct ValueVisitor<K>(PhantomData<K>);

impl<'de, K: ModelKind> Visitor<'de> for ValueVisitor<K> {
    type Value = ModelValue<K>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a {} model as a JSON object", K::TITLE)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ModelValue<K>, A::Error> {
        let mut r = Read { params: vec![None; K::PARAMETERS.len()], ..Read::default() };
        while let Some(key) = map.next_key::<String>()? {
            if let Some(i) = K::PARAMETERS.iter().position(|p| *p == key) {
                once(&mut r.params[i], K::PARAMETERS[i], map.next_value::<f64>()?)?;
                continue;
            }
            if let Some(i) = COUNTS.iter().position(|c| *c == key && K::COUNTS.contains(c)) {
                once(&mut r.counts[i], COUNTS[i], map.next_value::<u64>()?)?;
                continue;
            }
            match key.as_str() {
                "model" => once(&mut r.model, "model", map.next_value()?)?,
                "unit" if K::HAS_UNIT => once(&mut r.unit, "unit", map.next_value()?)?,
                "penalizer" => once(&mut r.penalizer, "penalizer", map.next_value()?)?,
                "log_likelihood" => once(&mut r.log_likelihood, "log_likelihood", map.next_value()?)?,
                "std_errors" => once(&mut r.std_errors, "std_errors", map.next_value()?)?,
                "covariance" => once(&mut r.covariance, "covariance", map.next_value()?)?,
                "iterations" => once(&mut r.iterations, "iterations", map.next_value()?)?,
                "converged" => once(&mut r.converged, "converged", map.next_value()?)?,
                "warnings" => once(&mut r.warnings, "warnings", map.next_value()?)?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        finish(r)
    }
}

/// The value from the fields read; the first missing required field in the text form's order is
/// the error: `model`, the parameters, `unit` (for a model with one), `penalizer`, the model's
/// counts, `iterations`, `converged`.
fn finish<K: ModelKind, E: de::Error>(r: Read) -> Result<ModelValue<K>, E> {
    let model = r.model.ok_or_else(|| E::missing_field("model"))?;
    let mut estimates = Vec::with_capacity(K::PARAMETERS.len());
    for (name, value) in K::PARAMETERS.iter().zip(&r.params) {
        estimates.push(value.ok_or_else(|| E::missing_field(name))?);
    }
    if K::HAS_UNIT && r.unit.is_none() {
        return Err(E::missing_field("unit"));
    }
    let penalizer = r.penalizer.ok_or_else(|| E::missing_field("penalizer"))?;
    let mut counts = [0; 4];
    for name in K::COUNTS {
        let i = COUNTS.iter().position(|c| c == name).expect("ModelKind::COUNTS names counts");
        counts[i] = r.counts[i].ok_or_else(|| E::missing_field(name))?;
    }
    let [customers, distinct_rows, skipped_null, skipped] = counts;
    Ok(ModelValue {
        model,
        params: K::from_estimates(&estimates),
        unit: r.unit,
        penalizer,
        log_likelihood: r.log_likelihood.flatten(),
        std_errors: r.std_errors.flatten(),
        covariance: r.covariance.flatten(),
        customers,
        distinct_rows,
        skipped_null,
        skipped,
        iterations: r.iterations.ok_or_else(|| E::missing_field("iterations"))?,
        converged: r.converged.ok_or_else(|| E::missing_field("converged"))?,
        warnings: r.warnings.unwrap_or_default(),
    })
}

impl<'de, K: ModelKind> Deserialize<'de> for ModelValue<K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ValueVisitor(PhantomData))
    }
}
