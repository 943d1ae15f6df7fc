//! The inverse of the standard normal distribution function, for the z of an interval.
//!
//! P. J. Acklam's rational approximations (relative error below 1.15e-9), refined by one step
//! of Halley's method (cubic convergence: the error after it is that of the distribution
//! function used, about 1e-16). The step needs Φ(x) - p accurate relative to p (p <= 1/2; the
//! upper half by symmetry): up to p = 1/4 Φ(x) comes from erfc (relatively accurate down to its
//! underflow), above it Φ(x) - 1/2 comes from erf (relatively accurate near 0, where Φ(x) - p
//! would cancel for a p close to 1/2).

use crate::math::special::{erf, erfc};

/// Below it the tail approximation applies, above it the central one.
const P_LOW: f64 = 0.02425;

const A: [f64; 6] = [
    -3.969683028665376e+01,
    2.209460984245205e+02,
    -2.759285104469687e+02,
    1.38357751867269e+02,
    -3.066479806614716e+01,
    2.506628277459239e+00,
];
const B: [f64; 5] = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
const C: [f64; 6] = [
    -7.784894002430293e-03,
    -3.223964580411365e-01,
    -2.400758277161838e+00,
    -2.549732539343734e+00,
    4.374664141464968e+00,
    2.938163982698783e+00,
];
const D: [f64; 4] = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];

/// √(2π).
const SQRT_2PI: f64 = 2.506_628_274_631_000_7;

/// Φ⁻¹(p), the p quantile of the standard normal distribution, accurate to about 1e-15
/// (relative) for p in (1e-300, 1 - 1e-16) (tested against 50-digit values); -inf at 0, +inf
/// at 1, NaN outside [0, 1] and for NaN. Exactly 0 at 1/2, and Φ⁻¹(p) = -Φ⁻¹(1 - p) exactly
/// for p > 1/2 (where 1 - p is exact).
pub fn normal_quantile(p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p > 0.5 {
        -lower_half(1.0 - p)
    } else {
        lower_half(p)
    }
}

/// Φ⁻¹(p) for 0 <= p <= 1/2.
fn lower_half(p: f64) -> f64 {
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    let x = if p < P_LOW {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    };
    // u = (Φ(x) - p) / φ(x), with Φ(x) - p accurate relative to p.
    let u = if p > 0.25 {
        // Φ(x) - p = erf(x/√2)/2 - (p - 1/2) (p - 1/2 exact), relatively accurate for x near
        // 0, where Φ(x) - p itself would cancel.
        let e = 0.5 * erf(x / std::f64::consts::SQRT_2) - (p - 0.5);
        e * SQRT_2PI * (0.5 * x * x).exp()
    } else {
        // (Φ(x)/p - 1) p / φ(x), p / φ(x) = √(2π) exp(ln p + x²/2) without the underflow of
        // φ(x) (or the overflow of exp(x²/2)) for the smallest p.
        let relative = 0.5 * erfc(-x / std::f64::consts::SQRT_2) / p - 1.0;
        relative * SQRT_2PI * (p.ln() + 0.5 * x * x).exp()
    };
    halley(x, u)
}

/// One Halley step for Φ(x) = p given u = (Φ(x) - p) / φ(x).
fn halley(x: f64, u: f64) -> f64 {
    x - u / (1.0 + 0.5 * x * u)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (p, Φ⁻¹(p)) for the double p, from mpmath at 50 digits (20 kept).
    #[allow(clippy::excessive_precision)]
    const KNOWN: [(f64, f64); 16] = [
        (0.95, 1.6448536269514722843),
        (0.975, 1.9599639845400538556),
        (1e-10, -6.3613409024040561991),
        (1e-300, -37.047096299361199237),
        (1e-20, -9.2623400897984075796),
        (0.02425, -1.9729610513118848376),
        (0.3, -0.52440051270804081597),
        (0.999, 3.0902323061678132778),
        (1e-100, -21.273453560965324294),
        (1.0 - 1e-16, 8.2095361516013868556),
        (1e-5, -4.2648907939228246102),
        (0.1, -1.2815515655446004353),
        (0.7, 0.52440051270804065631),
        (0.99, 2.3263478740408407676),
        (0.5000000001, 2.5066284820303539022e-10),
        (0.4999999999999999, -2.7829164246717669222e-16),
    ];

    #[test]
    fn matches_high_precision_values() {
        for (p, want) in KNOWN {
            let got = normal_quantile(p);
            assert!((got - want).abs() <= 1e-14 * want.abs(), "p = {p:e}: got {got:e}, want {want:e}");
        }
        assert_eq!(normal_quantile(0.5), 0.0);
        // The values as scipy prints them.
        assert!((normal_quantile(0.95) - 1.6448536269514722).abs() < 1e-15);
        assert!((normal_quantile(0.975) - 1.959963984540054).abs() < 1e-15);
        assert!((normal_quantile(1e-10) - -6.361340902404056).abs() < 1e-14);
    }

    #[test]
    fn is_odd_monotone_and_inverts_the_distribution_function() {
        // Φ(x) recomputed from x: the rounding of x/√2 alone moves it by about x² 1e-16 relative.
        let check = |p: f64, x: f64| {
            let cdf = 0.5 * erfc(-x / std::f64::consts::SQRT_2);
            assert!((cdf / p - 1.0).abs() <= 1e-15 * (1.0 + x * x), "p = {p:e}: Φ(x) = {cdf:e}");
        };
        let mut previous = f64::NEG_INFINITY;
        for i in 1..2000 {
            let p = f64::from(i) / 2000.0;
            let x = normal_quantile(p);
            assert!(x > previous, "p = {p}");
            previous = x;
            if p >= 0.5 {
                assert_eq!(normal_quantile(1.0 - p), -x, "p = {p}");
            } else {
                check(p, x);
            }
        }
        for k in 1..=300 {
            for m in [1.0, 2.5, 7.0] {
                let p = m * 10f64.powi(-k);
                check(p, normal_quantile(p));
            }
        }
    }

    #[test]
    fn edges() {
        assert_eq!(normal_quantile(0.0), f64::NEG_INFINITY);
        assert_eq!(normal_quantile(1.0), f64::INFINITY);
        for p in [-0.1, 1.1, f64::NAN, f64::INFINITY] {
            assert!(normal_quantile(p).is_nan(), "{p}");
        }
        assert!(normal_quantile(f64::MIN_POSITIVE).is_finite());
        assert!(normal_quantile(5e-324).is_finite());
    }
}
