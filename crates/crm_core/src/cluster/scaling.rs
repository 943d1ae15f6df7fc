//! Feature scaling for k-means, fitted on the data and stored with the model so new points and
//! centroids can be moved between original and scaled units.
//!
//! Conventions (as scikit-learn's scalers): `standard` uses the population standard deviation
//! (ddof = 0); a constant feature (zero spread) gets scale 1 so it is only centred. `log_standard`
//! applies `ln(1 + x)` first (needs `x > -1`), then standardises.

use crate::error::{CrmError, CrmResult};
use crate::interrupt::Countdown;
use serde::{Deserialize, Serialize};

/// How features are scaled before clustering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scaling {
    /// Features used as they are.
    None,
    /// `(x - mean) / std`.
    Standard,
    /// `(x - min) / (max - min)`.
    MinMax,
    /// `ln(1 + x)`, then standard.
    LogStandard,
}

impl Scaling {
    /// Parses `none`, `standard`, `minmax` (alias `min_max`), `log_standard` (alias `log`),
    /// case-insensitively.
    pub fn parse(s: &str) -> CrmResult<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(Scaling::None),
            "standard" => Ok(Scaling::Standard),
            "minmax" | "min_max" => Ok(Scaling::MinMax),
            "log_standard" | "log" => Ok(Scaling::LogStandard),
            _ => Err(CrmError::invalid(format!("unknown scaling \"{s}\"")).with_hint("use one of none, standard, minmax, log_standard")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Scaling::None => "none",
            Scaling::Standard => "standard",
            Scaling::MinMax => "minmax",
            Scaling::LogStandard => "log_standard",
        }
    }
}

/// A fitted scaler: `scaled = (pre(x) - center) / scale` per feature, with `pre = ln(1 + x)` for
/// `log_standard` and the identity otherwise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scaler {
    pub scaling: Scaling,
    pub center: Vec<f64>,
    pub scale: Vec<f64>,
}

fn log1p_checked(x: f64) -> CrmResult<f64> {
    if x > -1.0 {
        Ok(x.ln_1p())
    } else {
        Err(CrmError::invalid(format!("log scaling needs values greater than -1, got {x}"))
            .with_hint("use scaling => 'standard' for features that can be -1 or less"))
    }
}

/// Column `j` of `points`, through `ln(1 + x)` when `log`.
fn column<P: AsRef<[f64]>>(points: &[P], j: usize, log: bool, countdown: &mut Countdown) -> CrmResult<Vec<f64>> {
    points.iter().inspect(|_| countdown.tick()).map(|p| if log { log1p_checked(p.as_ref()[j]) } else { Ok(p.as_ref()[j]) }).collect()
}

impl Scaler {
    /// Fits a scaler on `points` (rows of equal length >= 1, finite values; at least one row).
    /// `check_interrupt` is called every [`crate::interrupt::CHECK_EVERY`] rows of each pass.
    pub fn fit(points: &[Vec<f64>], scaling: Scaling, check_interrupt: &mut dyn FnMut()) -> CrmResult<Scaler> {
        Self::fit_rows(points, scaling, &mut Countdown::new(check_interrupt))
    }

    /// [`Scaler::fit`] on rows of any slice type.
    pub(crate) fn fit_rows<P: AsRef<[f64]>>(points: &[P], scaling: Scaling, countdown: &mut Countdown) -> CrmResult<Scaler> {
        let dims = points.first().map(|p| p.as_ref().len()).ok_or_else(|| CrmError::invalid("cannot fit a scaler on no points"))?;
        if dims == 0 || points.iter().inspect(|_| countdown.tick()).any(|p| p.as_ref().len() != dims) {
            return Err(CrmError::invalid("all points must have the same, non-zero number of features"));
        }
        if points.iter().inspect(|_| countdown.tick()).flat_map(|p| p.as_ref()).any(|v| !v.is_finite()) {
            return Err(CrmError::invalid("point coordinates must be finite"));
        }
        let log = scaling == Scaling::LogStandard;
        let mut center = Vec::with_capacity(dims);
        let mut scale = Vec::with_capacity(dims);
        for j in 0..dims {
            let (c, s) = match scaling {
                Scaling::None => (0.0, 1.0),
                Scaling::Standard | Scaling::LogStandard => {
                    let col = column(points, j, log, countdown)?;
                    let n = col.len() as f64;
                    let mean = col.iter().inspect(|_| countdown.tick()).sum::<f64>() / n;
                    let var = col.iter().inspect(|_| countdown.tick()).map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
                    (mean, var.sqrt())
                }
                Scaling::MinMax => {
                    let col = column(points, j, log, countdown)?;
                    let min = col.iter().copied().inspect(|_| countdown.tick()).fold(f64::INFINITY, f64::min);
                    let max = col.iter().copied().inspect(|_| countdown.tick()).fold(f64::NEG_INFINITY, f64::max);
                    (min, max - min)
                }
            };
            if !s.is_finite() {
                return Err(CrmError::out_of_range(format!("feature {} spreads too wide to scale", j + 1)));
            }
            center.push(c);
            scale.push(if s > 0.0 { s } else { 1.0 });
        }
        Ok(Scaler { scaling, center, scale })
    }

    /// Number of features.
    pub fn dims(&self) -> usize {
        self.center.len()
    }

    fn check_point(&self, point: &[f64]) -> CrmResult<()> {
        if point.len() != self.dims() {
            return Err(CrmError::invalid(format!("expected {} features, got {}", self.dims(), point.len())));
        }
        if let Some(bad) = point.iter().find(|v| !v.is_finite()) {
            return Err(CrmError::invalid(format!("point coordinates must be finite, got {bad}")));
        }
        Ok(())
    }

    /// One coordinate in scaled units; errors (22023) for `log_standard` values <= -1 and
    /// (22003) where the scaled value overflows (a point far outside the fitted data).
    #[inline]
    fn scale_one(&self, j: usize, x: f64) -> CrmResult<f64> {
        let v = if self.scaling == Scaling::LogStandard { log1p_checked(x)? } else { x };
        let scaled = (v - self.center[j]) / self.scale[j];
        if scaled.is_finite() {
            Ok(scaled)
        } else {
            Err(out_of_scale(x, j))
        }
    }

    /// Original units to scaled units. Errors (22023): wrong length, non-finite values, and for
    /// `log_standard` values <= -1; (22003) a scaled value out of range of double precision.
    pub fn transform(&self, point: &[f64]) -> CrmResult<Vec<f64>> {
        self.check_point(point)?;
        point.iter().enumerate().map(|(j, &x)| self.scale_one(j, x)).collect()
    }

    /// [`Scaler::transform`] of every row of `points`, appended to `out` row after row.
    pub(crate) fn transform_rows<P: AsRef<[f64]>>(&self, points: &[P], out: &mut Vec<f64>, countdown: &mut Countdown) -> CrmResult<()> {
        for p in points {
            countdown.tick();
            let p = p.as_ref();
            self.check_point(p)?;
            for (j, &x) in p.iter().enumerate() {
                out.push(self.scale_one(j, x)?);
            }
        }
        Ok(())
    }

    /// Scaled units back to original units (`exp(v) - 1` undoes the log). Errors (22023) on a
    /// wrong length or non-finite values, (22003) where the result overflows.
    pub fn inverse_transform(&self, scaled: &[f64]) -> CrmResult<Vec<f64>> {
        self.check_point(scaled)?;
        scaled
            .iter()
            .enumerate()
            .map(|(j, &v)| {
                let u = v * self.scale[j] + self.center[j];
                let x = if self.scaling == Scaling::LogStandard { u.exp_m1() } else { u };
                if x.is_finite() {
                    Ok(x)
                } else {
                    Err(CrmError::out_of_range(format!("feature {} of a scaled point ({v}) is out of range in original units", j + 1)))
                }
            })
            .collect()
    }
}

#[cold]
fn out_of_scale(x: f64, j: usize) -> CrmError {
    CrmError::out_of_range(format!("feature {} ({x}) is out of range in scaled units", j + 1))
        .with_hint("the point lies far outside the data the scaler was fitted on")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts() -> Vec<Vec<f64>> {
        vec![vec![1.0, 5.0, 0.0], vec![3.0, 5.0, 9.0], vec![5.0, 5.0, 99.0]]
    }

    #[test]
    fn standard_and_minmax() {
        let s = Scaler::fit(&pts(), Scaling::Standard, &mut || {}).unwrap();
        assert_eq!(s.center[0], 3.0);
        assert!((s.scale[0] - (8.0f64 / 3.0).sqrt()).abs() < 1e-15);
        assert_eq!((s.center[1], s.scale[1]), (5.0, 1.0)); // constant feature: centred only
        let t = s.transform(&[3.0, 5.0, 9.0]).unwrap();
        assert_eq!(&t[..2], &[0.0, 0.0]);
        let m = Scaler::fit(&pts(), Scaling::MinMax, &mut || {}).unwrap();
        assert_eq!(m.transform(&[5.0, 5.0, 0.0]).unwrap(), vec![1.0, 0.0, 0.0]);
    }

    #[test]
    fn round_trips() {
        for scaling in [Scaling::None, Scaling::Standard, Scaling::MinMax, Scaling::LogStandard] {
            let s = Scaler::fit(&pts(), scaling, &mut || {}).unwrap();
            for p in pts() {
                let back = s.inverse_transform(&s.transform(&p).unwrap()).unwrap();
                for (a, b) in p.iter().zip(&back) {
                    assert!((a - b).abs() <= 1e-12 * a.abs().max(1.0), "{scaling:?}: {p:?} -> {back:?}");
                }
            }
            assert_eq!(Scaling::parse(scaling.as_str()).unwrap(), scaling);
        }
        let log = Scaler::fit(&pts(), Scaling::LogStandard, &mut || {}).unwrap();
        assert!((log.center[2] - (1f64.ln() + 10f64.ln() + 100f64.ln()) / 3.0).abs() < 1e-15);
    }

    #[test]
    fn validation() {
        assert!(Scaler::fit(&[], Scaling::Standard, &mut || {}).is_err());
        assert!(Scaler::fit(&[vec![]], Scaling::Standard, &mut || {}).is_err());
        assert!(Scaler::fit(&[vec![1.0], vec![1.0, 2.0]], Scaling::Standard, &mut || {}).is_err());
        assert!(Scaler::fit(&[vec![f64::NAN]], Scaling::Standard, &mut || {}).is_err());
        assert!(Scaler::fit(&[vec![-1.0]], Scaling::LogStandard, &mut || {}).is_err());
        assert!(Scaler::fit(&[vec![-f64::MAX], vec![f64::MAX]], Scaling::MinMax, &mut || {}).is_err());
        let s = Scaler::fit(&pts(), Scaling::LogStandard, &mut || {}).unwrap();
        assert!(s.transform(&[1.0, 1.0]).is_err());
        assert!(s.transform(&[1.0, 1.0, -2.0]).is_err());
        assert!(s.inverse_transform(&[1.0, f64::NAN, 0.0]).is_err());
        assert!(Scaling::parse("zscore").is_err());
        assert_eq!(Scaling::parse("MIN_MAX").unwrap(), Scaling::MinMax);
    }

    #[test]
    fn fit_and_transform_of_many_points_check_for_interrupts() {
        let n = 300_000;
        let points: Vec<Vec<f64>> = (0..n).map(|i| vec![(i % 1000) as f64, (i % 7) as f64 * 0.5]).collect();
        for scaling in [Scaling::Standard, Scaling::MinMax, Scaling::LogStandard] {
            let mut calls = 0usize;
            let s = Scaler::fit(&points, scaling, &mut || calls += 1).unwrap();
            // Two validation passes and, per feature, two or three passes over the rows.
            assert!(calls >= 6 * n / 65_536, "{scaling:?}: {calls} calls");
            let mut flat = Vec::new();
            let mut calls = 0usize;
            s.transform_rows(&points, &mut flat, &mut Countdown::new(&mut || calls += 1)).unwrap();
            assert!(calls >= n / 65_536, "{scaling:?}: {calls} calls");
            assert_eq!(&flat[2 * 1234..2 * 1235], &s.transform(&points[1234]).unwrap()[..]);
        }
        let s = Scaler::fit(&points, Scaling::Standard, &mut || {}).unwrap();
        assert_eq!(s.center[0], 499.5);
    }

    #[test]
    fn far_points_are_out_of_range_not_infinite() {
        // Scale 1e-300: a point 1e10 away from the data overflows in scaled units.
        let s = Scaler::fit(&[vec![0.0], vec![1e-300]], Scaling::MinMax, &mut || {}).unwrap();
        assert_eq!(s.transform(&[1e-300]).unwrap(), vec![1.0]);
        let e = s.transform(&[1e10]).unwrap_err();
        assert_eq!(e.kind, crate::error::ErrorKind::OutOfRange);
        assert_eq!(e.message, "feature 1 (10000000000) is out of range in scaled units");
        let big = Scaler::fit(&[vec![0.0], vec![1e300]], Scaling::MinMax, &mut || {}).unwrap();
        let e = big.inverse_transform(&[1e10]).unwrap_err();
        assert_eq!(e.kind, crate::error::ErrorKind::OutOfRange);
        assert_eq!(big.inverse_transform(&[0.5]).unwrap(), vec![5e299]);
    }
}
