//! ln of integrals of log-concave functions, for the regimes where the model's series converge
//! too slowly (a hypergeometric argument near 1, a tiny discount rate): ln ∫ e^psi(x) dx over a
//! finite interval for a concave psi, with optional moments ∫ g_j e^psi / ∫ e^psi.
//!
//! Method: the maximum of psi by golden-section search (psi is unimodal), the interval trimmed
//! to where psi >= max - 50 (for a concave psi the part cut off is below e^-50 of the integral:
//! the integral from the mode to a point where psi has dropped by 50 is at least the area under
//! the chord, which is 1/50 of the distance times e^max), then globally adaptive Gauss-Kronrod
//! (7/15 points) on e^(psi - max), bisecting the interval with the largest error estimate (that
//! of QUADPACK's qk15: resasc min(1, (200 |K15 - G7| / resasc)^1.5)) until their sum is below
//! 1e-12 of the integral, or until 64 bisections in a row have not halved it (the rounding noise
//! of psi is reached) with the sum below 1e-8. Callers pass psi
//! relative to a reference point computed with ln1p/expm1, so that psi - max keeps its digits
//! even when psi itself is of order 1e6.

/// Kronrod nodes (positive half, the last is 0) of the 15-point rule on [-1, 1].
const XGK: [f64; 8] = [
    0.991_455_371_120_812_6,
    0.949_107_912_342_758_5,
    0.864_864_423_359_769_1,
    0.741_531_185_599_394_4,
    0.586_087_235_467_691_1,
    0.405_845_151_377_397_2,
    0.207_784_955_007_898_5,
    0.0,
];
/// Kronrod weights for XGK.
const WGK: [f64; 8] = [
    0.022_935_322_010_529_22,
    0.063_092_092_629_978_55,
    0.104_790_010_322_250_18,
    0.140_653_259_715_525_92,
    0.169_004_726_639_267_9,
    0.190_350_578_064_785_4,
    0.204_432_940_075_298_9,
    0.209_482_141_084_727_83,
];
/// Gauss weights of the embedded 7-point rule, for XGK[1], XGK[3], XGK[5], XGK[7].
const WG: [f64; 4] = [0.129_484_966_168_869_7, 0.279_705_391_489_276_7, 0.381_830_050_505_118_9, 0.417_959_183_673_469_4];

/// Drop below the maximum of psi where the interval is cut (see the module doc).
const TRIM: f64 = 50.0;
/// Target of the summed error estimates relative to the integral.
const REL_TOL: f64 = 1e-12;
/// Accepted at the noise floor (no progress in STALL bisections) or after MAX_INTERVALS.
const NOISE_TOL: f64 = 1e-8;
const STALL: usize = 64;
/// Most subintervals before giving up.
const MAX_INTERVALS: usize = 1000;

/// ln ∫_lo^hi e^psi(x) dx and the moments ∫ g(x)_j e^psi / ∫ e^psi, for psi concave on the
/// finite interval [lo, hi]. None when psi is NaN or +inf somewhere it is evaluated, the
/// maximum is not finite or the quadrature does not converge. `-inf` (and zero moments) for an
/// empty interval.
pub(crate) fn ln_integral<const M: usize>(
    psi: impl Fn(f64) -> f64,
    g: impl Fn(f64) -> [f64; M],
    lo: f64,
    hi: f64,
) -> Option<(f64, [f64; M])> {
    if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
        return None;
    }
    if lo == hi {
        return Some((f64::NEG_INFINITY, [0.0; M]));
    }
    let bad = |v: f64| v.is_nan() || v == f64::INFINITY;
    // Golden-section search for the maximum of a unimodal function.
    let inv_phi = 0.618_033_988_749_894_9;
    let (mut a, mut b) = (lo, hi);
    let mut c = b - inv_phi * (b - a);
    let mut d = a + inv_phi * (b - a);
    let (mut fc, mut fd) = (psi(c), psi(d));
    for _ in 0..200 {
        if bad(fc) || bad(fd) {
            return None;
        }
        if (b - a) <= 1e-15 * (a.abs() + b.abs()) + 1e-300 {
            break;
        }
        if fc >= fd {
            (b, d, fd) = (d, c, fc);
            c = b - inv_phi * (b - a);
            fc = psi(c);
        } else {
            (a, c, fc) = (c, d, fd);
            d = a + inv_phi * (b - a);
            fd = psi(d);
        }
    }
    let (f_lo, f_hi) = (psi(lo), psi(hi));
    if bad(f_lo) || bad(f_hi) {
        return None;
    }
    let (mut mode, mut top) = if fc >= fd { (c, fc) } else { (d, fd) };
    for (x, f) in [(lo, f_lo), (hi, f_hi)] {
        if f > top {
            (mode, top) = (x, f);
        }
    }
    if !top.is_finite() {
        return None;
    }
    // psi is monotone on each side of the mode: bisect for psi = top - TRIM.
    let cut = |inside: f64, outside: f64, f_out: f64| -> f64 {
        if f_out >= top - TRIM {
            return outside;
        }
        let (mut i, mut o) = (inside, outside);
        for _ in 0..200 {
            let m = 0.5 * (i + o);
            if m == i || m == o {
                break;
            }
            if psi(m) >= top - TRIM {
                i = m;
            } else {
                o = m;
            }
        }
        o
    };
    let (a, b) = (cut(mode, lo, f_lo), cut(mode, hi, f_hi));
    if a >= b {
        // A spike narrower than the float spacing: nothing to integrate at double precision.
        return None;
    }
    let rule = |a: f64, b: f64| -> Option<Piece<M>> {
        let (center, half) = (0.5 * (a + b), 0.5 * (b - a));
        let (mut k, mut gs, mut mom) = (0.0, 0.0, [0.0; M]);
        let mut values = [(0.0, 0.0); 15];
        let mut used = 0;
        for (i, (&x, &w)) in XGK.iter().zip(&WGK).enumerate() {
            let points: &[f64] = if x == 0.0 { &[center] } else { &[center - half * x, center + half * x] };
            for &t in points {
                let v = psi(t);
                if bad(v) {
                    return None;
                }
                let e = (v - top).exp();
                values[used] = (w, e);
                used += 1;
                k += w * e;
                if i % 2 == 1 {
                    gs += WG[i / 2] * e;
                }
                if M > 0 {
                    for (m, gv) in mom.iter_mut().zip(g(t)) {
                        *m += w * e * gv;
                    }
                }
            }
        }
        // QUADPACK qk15: resasc = ∫ |f - mean f| by the Kronrod rule.
        let mean = 0.5 * k;
        let resasc: f64 = values[..used].iter().map(|&(w, e)| w * (e - mean).abs()).sum::<f64>() * half;
        let diff = ((k - gs) * half).abs();
        let err = if resasc > 0.0 { resasc * (200.0 * diff / resasc).powf(1.5).min(1.0) } else { diff };
        Some(Piece { a, b, value: k * half, err, moments: mom.map(|m| m * half) })
    };
    let mut pieces = vec![rule(a, b)?];
    let (mut best, mut since) = (f64::INFINITY, 0);
    loop {
        let total: f64 = pieces.iter().map(|p| p.value).sum();
        let err: f64 = pieces.iter().map(|p| p.err).sum();
        if err <= 0.5 * best {
            (best, since) = (err, 0);
        } else {
            since += 1;
        }
        if err <= REL_TOL * total || pieces.len() >= MAX_INTERVALS || (since >= STALL && err <= NOISE_TOL * total) {
            if !(total > 0.0 && total.is_finite()) || err > NOISE_TOL * total {
                return None;
            }
            let mut moments = [0.0; M];
            for p in &pieces {
                for (m, pm) in moments.iter_mut().zip(p.moments) {
                    *m += pm;
                }
            }
            return Some((top + total.ln(), moments.map(|m| m / total)));
        }
        let worst = (0..pieces.len()).max_by(|&i, &j| pieces[i].err.total_cmp(&pieces[j].err)).expect("at least one piece");
        let p = pieces.swap_remove(worst);
        let mid = 0.5 * (p.a + p.b);
        if mid <= p.a || mid >= p.b {
            return None;
        }
        pieces.push(rule(p.a, mid)?);
        pieces.push(rule(mid, p.b)?);
    }
}

struct Piece<const M: usize> {
    a: f64,
    b: f64,
    value: f64,
    err: f64,
    moments: [f64; M],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kronrod_rule_is_exact_for_polynomials_and_weights_sum_to_two() {
        let sum_k: f64 = WGK[..7].iter().sum::<f64>() * 2.0 + WGK[7];
        let sum_g: f64 = (WG[0] + WG[1] + WG[2]) * 2.0 + WG[3];
        assert!((sum_k - 2.0).abs() < 1e-15 && (sum_g - 2.0).abs() < 1e-15, "{sum_k} {sum_g}");
        // ∫_{-1}^{1} x^{2m} = 2 / (2m + 1) up to degree 22 (K15 is exact to degree 22).
        for m in 0..=11 {
            let mut k = WGK[7] * if m == 0 { 1.0 } else { 0.0 };
            for i in 0..7 {
                k += 2.0 * WGK[i] * XGK[i].powi(2 * m);
            }
            assert!((k - 2.0 / (2 * m + 1) as f64).abs() < 2e-15, "degree {}: {k}", 2 * m);
        }
    }

    #[test]
    fn gaussian_exponential_and_moments() {
        // ∫_{-40}^{40} e^{-x^2/2} = sqrt(2 pi); mean of x^2 is 1.
        let (ln, m) = ln_integral(|x| -0.5 * x * x, |x| [x * x], -40.0, 40.0).unwrap();
        assert!((ln - (2.0 * std::f64::consts::PI).sqrt().ln()).abs() < 1e-14, "{ln}");
        assert!((m[0] - 1.0).abs() < 1e-13);
        // ∫_0^1 e^{-1e4 x} = (1 - e^{-1e4}) / 1e4: a peak at the end of a long interval.
        let (ln, _) = ln_integral(|x| -1e4 * x, |_| [], 0.0, 1.0).unwrap();
        assert!((ln + 1e4f64.ln()).abs() < 1e-14, "{ln}");
        // x^-0.5 on [1e-12, 1] in x = e^u: ∫ e^{u/2} du = 2 (1 - 1e-6).
        let (ln, _) = ln_integral(|u| 0.5 * u, |_| [], (1e-12f64).ln(), 0.0).unwrap();
        assert!((ln - (2.0 * (1.0 - 1e-6f64)).ln()).abs() < 1e-14);
        assert_eq!(ln_integral(|x| x, |_| [], 1.0, 1.0).unwrap().0, f64::NEG_INFINITY);
        assert!(ln_integral(|_| f64::NAN, |_| [], 0.0, 1.0).is_none());
    }
}
