//! Chebyshev interpolation of a smooth function on an interval, its degree chosen from the decay
//! of the coefficients (the way chebfun chooses it) and checked against the function itself.
//! Used where one expensive function of one variable is needed for very many arguments.

/// p(y) = sum_k coeffs[k] T_k(u), u = (2 y - lo - hi) / (hi - lo).
#[derive(Clone, Debug)]
pub struct Chebyshev {
    lo: f64,
    hi: f64,
    coeffs: Vec<f64>,
}

/// How an interpolant is accepted.
#[derive(Clone, Copy, Debug)]
pub struct Accuracy {
    /// The last three coefficients must be below this, relative to the largest one; trailing
    /// coefficients below it are then dropped.
    pub tail: f64,
    /// Relative error allowed at the check points (between the nodes) against the function.
    pub check: f64,
    /// Largest degree tried (degrees 16, 32, 64, ... up to this).
    pub max_degree: usize,
}

impl Chebyshev {
    /// Interpolates `f` on [lo, hi] at the n + 1 Chebyshev-Lobatto points for n = 16, 32, ...
    /// (each set contains the previous one, so no value is computed twice) until the last
    /// coefficients are negligible, then compares the interpolant with `f` at four points
    /// between the nodes. None when `f` fails (returns None or a non-finite value) at a point it
    /// needs, the coefficients do not decay by `max_degree`, or a check fails.
    pub fn fit(lo: f64, hi: f64, mut f: impl FnMut(f64) -> Option<f64>, accuracy: Accuracy) -> Option<Chebyshev> {
        if !(lo < hi && lo.is_finite() && hi.is_finite()) {
            return None;
        }
        let at = |u: f64| lo + (hi - lo) * 0.5 * (u + 1.0);
        let mut value = |u: f64| f(at(u)).filter(|v| v.is_finite());
        let mut n = 16;
        // values[j] = f at cos(pi j / n)
        let mut values = (0..=n).map(|j| value(node(j, n))).collect::<Option<Vec<f64>>>()?;
        loop {
            let mut coeffs = coefficients(&values);
            let scale = coeffs.iter().fold(0.0f64, |m, c| m.max(c.abs()));
            let tail = coeffs[n - 2..].iter().fold(0.0f64, |m, c| m.max(c.abs()));
            if tail <= accuracy.tail * scale {
                // The trailing coefficients at the tolerance are rounding noise: drop them.
                while coeffs.len() > 1 && coeffs[coeffs.len() - 1].abs() <= accuracy.tail * scale {
                    coeffs.pop();
                }
                let p = Chebyshev { lo, hi, coeffs };
                // Midpoints of node pairs at both ends and in the middle, where errors peak.
                for j in [0, n / 2 - 1, n / 2, n - 1] {
                    let u = 0.5 * (node(j, n) + node(j + 1, n));
                    let exact = value(u)?;
                    if (p.eval(at(u)) - exact).abs() > accuracy.check * exact.abs() {
                        return None;
                    }
                }
                return Some(p);
            }
            if 2 * n > accuracy.max_degree {
                return None;
            }
            let mut finer = Vec::with_capacity(2 * n + 1);
            for j in 0..=2 * n {
                finer.push(if j % 2 == 0 { values[j / 2] } else { value(node(j, 2 * n))? });
            }
            values = finer;
            n *= 2;
        }
    }

    /// The interpolant at y. The even and odd terms are summed as two independent Clenshaw
    /// recurrences of half the length in w = T_2(u) = 2u^2 - 1 (so the processor overlaps them):
    /// T_2k(u) = T_k(w) and T_2k+1(u) = u V_k(w), V the Chebyshev polynomials of the third kind
    /// (V_0 = 1, V_1 = 2w - 1, same three-term recurrence).
    pub fn eval(&self, y: f64) -> f64 {
        let u = (2.0 * y - self.lo - self.hi) / (self.hi - self.lo);
        let w = 2.0 * u * u - 1.0;
        let two_w = 2.0 * w;
        let (mut e1, mut e2, mut o1, mut o2) = (0.0, 0.0, 0.0, 0.0);
        let pairs = self.coeffs.len().div_ceil(2);
        for k in (1..pairs).rev() {
            let even = self.coeffs[2 * k];
            let odd = self.coeffs.get(2 * k + 1).copied().unwrap_or(0.0);
            // even - e2 does not wait for the previous step: one multiply-add per step on each chain.
            (e1, e2) = ((even - e2) + two_w * e1, e1);
            (o1, o2) = ((odd - o2) + two_w * o1, o1);
        }
        let odd0 = self.coeffs.get(1).copied().unwrap_or(0.0);
        (self.coeffs[0] + w * e1 - e2) + u * (odd0 + (two_w - 1.0) * o1 - o2)
    }

    pub fn degree(&self) -> usize {
        self.coeffs.len() - 1
    }
}

/// The j-th of the n + 1 Chebyshev-Lobatto points cos(pi j / n), computed symmetrically so that
/// the middle point is exactly 0 and the sets for n and 2n share their points bit for bit.
fn node(j: usize, n: usize) -> f64 {
    // sin(pi (n - 2j) / (2n)) = cos(pi j / n), accurate near the ends and symmetric.
    (std::f64::consts::PI * (n as f64 - 2.0 * j as f64) / (2.0 * n as f64)).sin()
}

/// Coefficients of the interpolant through values at the n + 1 Lobatto points (a type-I
/// discrete cosine transform, O(n^2), fine for the degrees used here).
fn coefficients(values: &[f64]) -> Vec<f64> {
    let n = values.len() - 1;
    let cos: Vec<f64> = (0..2 * n).map(|m| node(m, n)).collect();
    (0..=n)
        .map(|k| {
            let mut sum = 0.0;
            for (j, v) in values.iter().enumerate() {
                let half = if j == 0 || j == n { 0.5 } else { 1.0 };
                sum += half * v * cos[(j * k) % (2 * n)];
            }
            let half = if k == 0 || k == n { 0.5 } else { 1.0 };
            half * 2.0 / n as f64 * sum
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCURACY: Accuracy = Accuracy { tail: 1e-14, check: 1e-13, max_degree: 256 };

    #[test]
    fn interpolates_analytic_functions_to_rounding_error() {
        let f = |y: f64| (2.0 + y.ln_1p()) / (2.0 + y.sin());
        let p = Chebyshev::fit(0.0, 3.0, |y| Some(f(y)), ACCURACY).unwrap();
        for i in 0..=1000 {
            let y = 3.0 * i as f64 / 1000.0;
            assert!((p.eval(y) - f(y)).abs() <= 1e-13 * f(y), "{y}: {} vs {}", p.eval(y), f(y));
        }
        assert!(p.degree() <= 64, "degree {}", p.degree());
    }

    #[test]
    fn reproduces_polynomials_exactly_and_lobatto_nodes_nest() {
        let p = Chebyshev::fit(-1.0, 2.0, |y| Some(1.0 - 2.0 * y + 0.5 * y * y * y), ACCURACY).unwrap();
        assert_eq!(p.degree(), 3);
        assert!((p.eval(0.7) - (1.0 - 1.4 + 0.5 * 0.343)).abs() < 1e-15);
        for j in 0..=16 {
            assert_eq!(node(j, 16).to_bits(), node(2 * j, 32).to_bits());
        }
        assert_eq!(node(8, 16), 0.0);
    }

    #[test]
    fn declines_what_it_cannot_represent() {
        // A kink: the coefficients never decay to the tolerance.
        assert!(Chebyshev::fit(-1.0, 1.0, |y| Some(y.abs()), ACCURACY).is_none());
        // A failing or non-finite function value.
        assert!(Chebyshev::fit(0.0, 1.0, |y| (y < 0.9).then_some(y), ACCURACY).is_none());
        assert!(Chebyshev::fit(0.0, 1.0, |y| Some(1.0 / (y - 0.5)), ACCURACY).is_none());
        // An empty interval.
        assert!(Chebyshev::fit(1.0, 1.0, Some, ACCURACY).is_none());
    }
}
