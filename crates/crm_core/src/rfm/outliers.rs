//! Outlier limits and capping as the course does it (docs/references.md section 1, step 2):
//! `low = qL - m * (qH - qL)`, `up = qH + m * (qH - qL)`, values beyond a limit replaced by the
//! limit rounded to an integer.

use crate::error::{CrmError, CrmResult};
use crate::math::rounding::RoundMode;
use crate::rfm::quantile::quantile_numpy;
use serde::{Deserialize, Serialize};

/// The limits and the quantiles they were computed from.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutlierLimits {
    pub low: f64,
    pub up: f64,
    pub q_low: f64,
    pub q_high: f64,
}

/// Outlier limits of ascending, finite `sorted` values. The quantiles are linear interpolations
/// at `q * (n - 1)` with pandas' rounding (see [`crate::rfm::quantile::quantile_numpy`]), so the limits
/// equal the notebook's bit for bit. Course defaults: 0.01, 0.99, 1.5 (the textbook IQR rule is
/// 0.25, 0.75, 1.5). Errors (22023) unless `0 <= low_quantile < high_quantile <= 1` and
/// `iqr_multiplier` is finite and `>= 0`, and on empty, unsorted or non-finite input; (22003)
/// when a limit (or the range between the quantiles) is out of range of double precision, as
/// with a multiplier of 1e308.
pub fn outlier_limits(sorted: &[f64], low_quantile: f64, high_quantile: f64, iqr_multiplier: f64) -> CrmResult<OutlierLimits> {
    if !(0.0..=1.0).contains(&low_quantile) || !(0.0..=1.0).contains(&high_quantile) || low_quantile >= high_quantile {
        return Err(CrmError::invalid(format!(
            "outlier quantiles must satisfy 0 <= low < high <= 1, got low {low_quantile}, high {high_quantile}"
        )));
    }
    if !iqr_multiplier.is_finite() || iqr_multiplier < 0.0 {
        return Err(CrmError::invalid(format!("the range multiplier must be finite and >= 0, got {iqr_multiplier}")));
    }
    let q_low = quantile_numpy(sorted, low_quantile)?;
    let q_high = quantile_numpy(sorted, high_quantile)?;
    let range = q_high - q_low;
    let (low, up) = (q_low - iqr_multiplier * range, q_high + iqr_multiplier * range);
    if !(low.is_finite() && up.is_finite()) {
        return Err(CrmError::out_of_range("outlier limits are out of range for double precision")
            .with_detail(format!("quantiles {q_low:e} and {q_high:e}, range multiplier {iqr_multiplier:e}: low {low:e}, up {up:e}"))
            .with_hint("use a smaller range multiplier (the course uses 1.5)"));
    }
    Ok(OutlierLimits { low, up, q_low, q_high })
}

/// Caps `x` as the course does: values above `up` become `mode(up)`, values below `low` become
/// `mode(low)`, values within `[low, up]` are returned untouched. Note the rounded limit can lie
/// inside the range (`up = 48.5` caps 49 to 48 with half-even while 48.3 stays). An infinite
/// limit caps nothing. Errors (22023): `x` not finite, a NaN limit, `low > up`.
pub fn clip(x: f64, low: f64, up: f64, mode: RoundMode) -> CrmResult<f64> {
    if !x.is_finite() {
        return Err(CrmError::invalid(format!("value must be finite, got {x}")));
    }
    if low.is_nan() || up.is_nan() || low > up {
        return Err(CrmError::invalid(format!("outlier limits must satisfy low <= up, got low {low}, up {up}")));
    }
    Ok(if x > up {
        mode.apply(up)
    } else if x < low {
        mode.apply(low)
    } else {
        x
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn limits_and_capping() {
        let v: Vec<f64> = (1..=101).map(f64::from).collect();
        let l = outlier_limits(&v, 0.25, 0.75, 1.5).unwrap();
        assert_eq!((l.q_low, l.q_high, l.low, l.up), (26.0, 76.0, -49.0, 151.0));
        let l = outlier_limits(&[1.0, 2.0], 0.0, 1.0, 0.25).unwrap();
        assert_eq!((l.low, l.up), (0.75, 2.25));
        assert_eq!(clip(3.0, 0.75, 2.25, RoundMode::HalfEven).unwrap(), 2.0);
        assert_eq!(clip(0.0, 0.75, 2.25, RoundMode::HalfEven).unwrap(), 1.0);
        assert_eq!(clip(0.0, 0.75, 2.25, RoundMode::None).unwrap(), 0.75);
        assert_eq!(clip(1.3, 0.75, 2.25, RoundMode::HalfEven).unwrap(), 1.3);
        assert_eq!(clip(49.0, 0.0, 48.5, RoundMode::HalfEven).unwrap(), 48.0);
        assert_eq!(clip(49.0, 0.0, 48.5, RoundMode::HalfAway).unwrap(), 49.0);
        let e = clip(f64::NAN, 0.0, 1.0, RoundMode::HalfEven).unwrap_err();
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::InvalidParameter, "value must be finite, got NaN"));
        assert_eq!(clip(f64::INFINITY, 0.0, 1.0, RoundMode::None).unwrap_err().message, "value must be finite, got inf");
        assert!(clip(1.0, f64::NAN, 2.0, RoundMode::None).is_err());
        assert!(clip(1.0, 2.0, 0.0, RoundMode::None).is_err());
        assert_eq!(clip(1e300, f64::NEG_INFINITY, f64::INFINITY, RoundMode::HalfEven).unwrap(), 1e300);
    }

    #[test]
    fn validates_parameters() {
        let v = [1.0, 2.0, 3.0];
        assert!(outlier_limits(&v, 0.5, 0.5, 1.5).is_err());
        assert!(outlier_limits(&v, -0.1, 0.5, 1.5).is_err());
        assert!(outlier_limits(&v, 0.1, 1.5, 1.5).is_err());
        assert!(outlier_limits(&v, 0.1, 0.9, -1.0).is_err());
        assert!(outlier_limits(&v, 0.1, 0.9, f64::NAN).is_err());
        assert!(outlier_limits(&[], 0.1, 0.9, 1.5).is_err());
        assert!(outlier_limits(&[3.0, 1.0], 0.1, 0.9, 1.5).is_err());
    }

    #[test]
    fn limits_out_of_range_are_errors() {
        // Quantiles 7.5 and 22.5: 15 times 1e308 overflows.
        let v = [0.0, 10.0, 20.0, 30.0];
        let e = outlier_limits(&v, 0.25, 0.75, 1e308).unwrap_err();
        assert_eq!(e.kind, ErrorKind::OutOfRange);
        assert_eq!(e.message, "outlier limits are out of range for double precision");
        // The range itself overflows.
        assert_eq!(outlier_limits(&[-1e308, 1e308], 0.0, 1.0, 0.0).unwrap_err().kind, ErrorKind::OutOfRange);
        let l = outlier_limits(&v, 0.25, 0.75, 1e300).unwrap();
        assert!(l.low.is_finite() && l.up.is_finite());
    }
}
