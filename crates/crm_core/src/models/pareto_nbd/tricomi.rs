//! The confluent hypergeometric function of the second kind (Tricomi) U(1, b, z), for the
//! discounted expected residual transactions (FHL05 appendix: Ψ(s, s; delta (beta + T)) =
//! z^(1-s) U(1, 2-s, z) by Kummer's transformation U(a, b, z) = z^(1-b) U(a-b+1, 2-b, z), DLMF 13.2.40).
//!
//! U(1, b, z) = ∫_0^∞ e^(-z t) (1 + t)^(b-2) dt (DLMF 13.4.4) = e^z z^(b-1) Γ(1-b, z).
//! For z >= 1 and b < 2 it is Legendre's continued fraction of the incomplete gamma function
//! (DLMF 8.9.2, in the even form of Numerical Recipes' `gcf`): with s = 2 - b,
//! U = 1 / (z + s - 1 s / (z + s + 2 - 2 (s+1) / (z + s + 4 - ...))), evaluated by the modified
//! Lentz method. Otherwise (small z, where the fraction converges slowly, or b >= 2) the integral
//! by quadrature in u = ln(1 + t), where the integrand e^(-z (e^u - 1) + (b-1) u) is log-concave.

use super::integral::ln_integral;
use crate::error::{CrmError, CrmResult};

/// Iterations of the continued fraction before the quadrature takes over.
const MAX_CF: usize = 5000;

fn continued_fraction(s: f64, z: f64) -> Option<f64> {
    let tiny = 1e-300;
    let mut f = z + s;
    let (mut c, mut d) = (f, 0.0f64);
    for i in 1..=MAX_CF {
        let fi = i as f64;
        let a = -fi * (fi - 1.0 + s);
        let b = z + s + 2.0 * fi;
        d = b + a * d;
        if d.abs() < tiny {
            d = tiny;
        }
        c = b + a / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        let delta = c * d;
        f *= delta;
        if !f.is_finite() {
            return None;
        }
        if (delta - 1.0).abs() < 1e-16 {
            return (f > 0.0).then(|| -f.ln());
        }
    }
    None
}

fn by_quadrature(b: f64, z: f64) -> Option<f64> {
    let c = b - 1.0;
    let psi = |u: f64| -z * u.exp_m1() + c * u;
    // An upper bound of the maximum of psi (at z e^u = b - 1 when b - 1 > z), and an upper
    // limit where psi is 60 below it (psi is concave: beyond, it only decreases).
    let top = if c > z { z - c + c * (c / z).ln() } else { 0.0 };
    let mut hi = 1.0f64;
    while psi(hi) > top - 60.0 {
        hi *= 2.0;
        if hi > 1e6 {
            return None;
        }
    }
    ln_integral(psi, |_| [], 0.0, hi).map(|r| r.0)
}

/// ln U(1, b, z) for real b and z > 0 (see the module doc). Errors (22023) for a non-finite b
/// or z <= 0, (22003) where it cannot be computed.
pub fn ln_hyperu_a1(b: f64, z: f64) -> CrmResult<f64> {
    if !(b.is_finite() && z.is_finite() && z > 0.0) {
        return Err(
            CrmError::invalid("Tricomi function U(1, b, z) needs a finite b and a finite z > 0").with_detail(format!("b = {b}, z = {z}"))
        );
    }
    let s = 2.0 - b;
    let cf = if s > 0.0 && z >= 1.0 { continued_fraction(s, z) } else { None };
    cf.or_else(|| by_quadrature(b, z))
        .filter(|v| v.is_finite())
        .ok_or_else(|| CrmError::out_of_range("Tricomi function U(1, b, z) cannot be computed").with_detail(format!("b = {b}, z = {z}")))
}

/// U(1, b, z); see [`ln_hyperu_a1`], and an error (22003) when the value overflows.
pub fn hyperu_a1(b: f64, z: f64) -> CrmResult<f64> {
    let v = ln_hyperu_a1(b, z)?.exp();
    if v.is_finite() {
        Ok(v)
    } else {
        Err(CrmError::out_of_range("Tricomi function U(1, b, z) overflows double precision").with_detail(format!("b = {b}, z = {z}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_forms_and_both_methods_agree() {
        // U(1, 2, z) = 1/z, and the recurrence U(1, b, z) = (1 + (b - 2) U(1, b - 1, z)) / z
        // (integration by parts of DLMF 13.4.4).
        for &z in &[0.01, 0.5, 1.0, 3.0, 50.0] {
            assert!((hyperu_a1(2.0, z).unwrap() - 1.0 / z).abs() < 1e-13 / z, "{z}");
            for &b in &[-3.5, -0.2, 0.7, 1.3, 1.99] {
                let lhs = hyperu_a1(b, z).unwrap();
                let rhs = (1.0 + (b - 2.0) * hyperu_a1(b - 1.0, z).unwrap()) / z;
                assert!((lhs - rhs).abs() < 1e-12 * lhs, "b {b} z {z}: {lhs} vs {rhs}");
            }
        }
        for &(b, z) in &[(0.4, 1.0), (-5.0, 2.0), (1.9, 4.0), (-1e3, 1.5), (1.0, 30.0)] {
            let (cf, q) = (continued_fraction(2.0 - b, z).unwrap(), by_quadrature(b, z).unwrap());
            assert!((cf - q).abs() < 1e-12 * cf.abs().max(1.0), "b {b} z {z}: {cf} vs {q}");
        }
        assert!(ln_hyperu_a1(1.0, 0.0).is_err() && ln_hyperu_a1(f64::NAN, 1.0).is_err());
    }
}
