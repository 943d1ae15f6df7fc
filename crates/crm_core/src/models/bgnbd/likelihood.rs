//! The BG/NBD log-likelihood (docs/references.md section 4): of one customer
//! ([`log_likelihood`]) and of a summary's rows in evaluation form (`FitData`), with its
//! analytic gradient and Hessian, for the fit ([`super::fit`](mod@super::fit)).

// Small dense matrices read best with explicit indices.
#![allow(clippy::needless_range_loop)]

use crate::error::{CrmError, CrmResult};
use crate::interrupt::Countdown;
use crate::math::special::{digamma, ln_beta, ln_gamma, trigamma};
use crate::summary::rft::validate_customer;

use super::{validate_params, BgNbdParams};

/// Log-likelihood of one customer; -inf (never NaN) for invalid parameters or data.
pub fn log_likelihood(p: &BgNbdParams, x: f64, t_x: f64, t: f64) -> f64 {
    if validate_params(p).is_err() || validate_customer(x, t_x, t).is_err() {
        return f64::NEG_INFINITY;
    }
    let BgNbdParams { r, alpha, a, b } = *p;
    let k = r + x;
    let head = ln_gamma(k) - ln_gamma(r) + r * alpha.ln() + ln_beta(a, b + x) - ln_beta(a, b);
    let l1 = -k * (alpha + t).ln();
    if x == 0.0 {
        return head + l1;
    }
    let l2 = a.ln() - (b + (x - 1.0)).ln() - k * (alpha + t_x).ln();
    let (hi, lo) = if l1 >= l2 { (l1, l2) } else { (l2, l1) };
    head + hi + (lo - hi).exp().ln_1p()
}

/// The summary (or a coarse copy) in evaluation form: its rows as stored, read in order (a scan
/// per evaluation, no lookups and no converted copy), and the sums per distinct x. The
/// optimiser works in time scaled by `scale` (1 / max T, as `lifetimes` does, which sets its
/// start and the meaning of the penalizer); the rows keep the data's unit, and evaluations
/// convert (alpha / scale).
pub(super) struct FitData<'a> {
    /// Distinct x (0 included) with their total weights.
    xs: Vec<f64>,
    x_weight: Vec<f64>,
    /// x = 0 rows: T bits and count.
    zeros: &'a ZeroRows,
    /// x > 0 rows in x order: (x, t_x bits, T bits) and count.
    rows: &'a KeyRows,
    /// Per distinct x > 0: its index in `xs` and the end of its rows in `rows`.
    groups: Vec<(usize, usize)>,
    pub(super) total_weight: f64,
    /// Sum of weight * x (for the time-scale correction of the log-likelihood).
    pub(super) sum_wx: f64,
    pub(super) scale: f64,
}

/// Summary rows of x > 0 as stored: (x, t_x bits, T bits) with counts, ascending.
pub(super) type KeyRows = [((u64, u64, u64), u64)];
/// Summary rows of x = 0 as stored: T bits with counts, ascending.
pub(super) type ZeroRows = [(u64, u64)];

/// 1 / max T of the rows: the optimiser's time scale. Err when every T is 0.
pub(super) fn time_scale(zeros: &ZeroRows, rows: &KeyRows, countdown: &mut Countdown) -> CrmResult<f64> {
    let max_t = zeros
        .iter()
        .map(|r| f64::from_bits(r.0))
        .chain(rows.iter().map(|r| f64::from_bits(r.0 .2)))
        .inspect(|_| countdown.tick())
        .fold(0.0, f64::max);
    if max_t <= 0.0 {
        return Err(CrmError::invalid("cannot fit BG/NBD: every customer has T = 0")
            .with_hint("T is the time since the first purchase; the data carry no information yet"));
    }
    Ok(1.0 / max_t)
}

impl<'a> FitData<'a> {
    /// From the summary's x = 0 rows (T bits, count) and x > 0 rows in ascending x order.
    pub(super) fn new(zeros: &'a ZeroRows, rows: &'a KeyRows, scale: f64, countdown: &mut Countdown) -> Self {
        let mut d =
            FitData { xs: Vec::new(), x_weight: Vec::new(), zeros, rows, groups: Vec::new(), total_weight: 0.0, sum_wx: 0.0, scale };
        if !zeros.is_empty() {
            d.total_weight = zeros.iter().inspect(|_| countdown.tick()).map(|&(_, c)| c as f64).sum();
            d.xs.push(0.0);
            d.x_weight.push(d.total_weight);
        }
        // Runs of one x. The weights are whole numbers: the sums are exact (below 2^53).
        let mut rest = rows;
        while let Some(&((x, _, _), _)) = rest.first() {
            let n = rest.iter().inspect(|_| countdown.tick()).position(|r| r.0 .0 != x).unwrap_or(rest.len());
            let w: f64 = rest[..n].iter().inspect(|_| countdown.tick()).map(|r| r.1 as f64).sum();
            d.groups.push((d.xs.len(), rows.len() - rest.len() + n));
            d.xs.push(x as f64);
            d.x_weight.push(w);
            d.total_weight += w;
            d.sum_wx += w * x as f64;
            rest = &rest[n..];
        }
        d
    }

    /// Sum log-likelihood (scaled time) and its gradient in natural parameters (r, alpha, a, b).
    pub(super) fn ll_grad(&self, p: &BgNbdParams, g: &mut [f64; 4], check_interrupt: &mut dyn FnMut()) -> f64 {
        self.eval::<false>(p, g, &mut [[0.0; 4]; 4], check_interrupt)
    }

    /// Sum log-likelihood (scaled time), its gradient and, when `HESS`, its Hessian in natural
    /// parameters (r, alpha, a, b). Per x > 0 row the bracket is A + B with ln A = L1 =
    /// -k ln(alpha+T), ln B = L2 = ln a - ln(b+x-1) - k ln(alpha+t_x); with shares w1, w2 of A
    /// and B, d ln(A+B) = w1 dL1 + w2 dL2 and d2 ln(A+B) = w1 d2L1 + w2 d2L2 + w1 w2 D D^T,
    /// D = dL1 - dL2 = (ln(alpha+t_x) - ln(alpha+T), k (1/(alpha+t_x) - 1/(alpha+T)), -1/a, 1/(b+x-1)).
    /// Sums over the rows of one x are taken first and multiplied by that x's constants after.
    /// `check_interrupt` is called every [`crate::interrupt::CHECK_EVERY`] rows.
    pub(super) fn eval<const HESS: bool>(
        &self,
        p: &BgNbdParams,
        g: &mut [f64; 4],
        h: &mut [[f64; 4]; 4],
        check_interrupt: &mut dyn FnMut(),
    ) -> f64 {
        let mut countdown = Countdown::new(check_interrupt);
        // In the data's unit: alpha / scale; the results are converted back at the end.
        let BgNbdParams { r, a, b, .. } = *p;
        let alpha = p.alpha / self.scale;
        let ln_alpha = alpha.ln();
        let (lg_r, dg_r, lg_b, lg_ab, dg_b, dg_ab) = (ln_gamma(r), digamma(r), ln_gamma(b), ln_gamma(a + b), digamma(b), digamma(a + b));
        let (tg_r, tg_b, tg_ab) = if HESS { (trigamma(r), trigamma(b), trigamma(a + b)) } else { (0.0, 0.0, 0.0) };
        let mut ll = 0.0;
        let mut gr = [0.0; 4];
        let mut hs = [[0.0; 4]; 4];
        // Per distinct x: lnG(r+x) - lnG(r) + r ln alpha + ln B(a, b+x) - ln B(a, b).
        for (&x, &w) in self.xs.iter().zip(&self.x_weight) {
            countdown.tick();
            let (lg_bx, lg_abx) = (ln_gamma(b + x), ln_gamma(a + b + x));
            let (dg_bx, dg_abx) = (digamma(b + x), digamma(a + b + x));
            ll += w * (ln_gamma(r + x) - lg_r + r * ln_alpha + lg_bx - lg_abx - lg_b + lg_ab);
            gr[0] += w * (digamma(r + x) - dg_r + ln_alpha);
            gr[1] += w * r / alpha;
            gr[2] += w * (dg_ab - dg_abx);
            gr[3] += w * (dg_bx - dg_abx - dg_b + dg_ab);
            if HESS {
                let tg_abx = trigamma(a + b + x);
                hs[0][0] += w * (trigamma(r + x) - tg_r);
                hs[0][1] += w / alpha;
                hs[1][1] -= w * r / (alpha * alpha);
                hs[2][2] += w * (tg_ab - tg_abx);
                hs[2][3] += w * (tg_ab - tg_abx);
                hs[3][3] += w * (trigamma(b + x) - tg_abx - tg_b + tg_ab);
            }
        }
        // x = 0: the bracket is (alpha + T)^-r.
        let (mut s_ln, mut s_inv, mut s_inv2) = (0.0, 0.0, 0.0);
        for &(t, c) in self.zeros {
            countdown.tick();
            let (t, w) = (f64::from_bits(t), c as f64);
            let inv = 1.0 / (alpha + t);
            s_ln += w * (alpha + t).ln();
            s_inv += w * inv;
            s_inv2 += w * inv * inv;
        }
        ll -= r * s_ln;
        gr[0] -= s_ln;
        gr[1] -= r * s_inv;
        hs[0][1] -= s_inv;
        hs[1][1] += r * s_inv2;
        // x > 0: ln[(alpha+T)^-k + a/(b+x-1) (alpha+t_x)^-k] by log-sum-exp; w2 = share of term 2.
        let ln_a = a.ln();
        let (mut s_w2, mut s_w2_ib, mut s_w2_ib2) = (0.0, 0.0, 0.0);
        // Weighted sums of w1 w2 times the products of D's components (the D D^T term).
        let [mut s, mut s0, mut s1, mut sb, mut s00, mut s01, mut s11, mut s0b, mut s1b, mut sbb] = [0.0; 10];
        let mut start = 0;
        for &(xi, end) in &self.groups {
            let x = self.xs[xi];
            let k = r + x;
            let bx1 = b + (x - 1.0);
            let (ln_ratio, ib) = (ln_a - bx1.ln(), 1.0 / bx1);
            // Group sums: w w2; w (w1 ln(alpha+T) + w2 ln(alpha+t_x)); the same with 1/(alpha+.)
            // and 1/(alpha+.)^2; and w w1 w2 times 1, d0, e, d0^2, d0 e, e^2 with
            // d0 = ln(alpha+t_x) - ln(alpha+T), e = 1/(alpha+t_x) - 1/(alpha+T).
            let [mut g_w2, mut g_ln, mut g_inv, mut g_inv2] = [0.0; 4];
            let [mut q, mut q0, mut qe, mut q00, mut q0e, mut qee] = [0.0; 6];
            for &((_, tx, t), c) in &self.rows[start..end] {
                countdown.tick();
                let (at, atx, w) = (alpha + f64::from_bits(t), alpha + f64::from_bits(tx), c as f64);
                let (lt, ltx) = (at.ln(), atx.ln());
                let l1 = -k * lt;
                let l2 = ln_ratio - k * ltx;
                let e = -(l1 - l2).abs();
                let ex = e.exp();
                let share_lo = ex / (1.0 + ex);
                let w2 = if l1 >= l2 { share_lo } else { 1.0 - share_lo };
                let w1 = 1.0 - w2;
                ll += w * (l1.max(l2) + ex.ln_1p());
                g_w2 += w * w2;
                g_ln += w * (w1 * lt + w2 * ltx);
                let (it, itx) = (1.0 / at, 1.0 / atx);
                g_inv += w * (w1 * it + w2 * itx);
                if HESS {
                    g_inv2 += w * (w1 * it * it + w2 * itx * itx);
                    let ww = w * w1 * w2;
                    let (d0, de) = (ltx - lt, itx - it);
                    q += ww;
                    q0 += ww * d0;
                    qe += ww * de;
                    q00 += ww * d0 * d0;
                    q0e += ww * d0 * de;
                    qee += ww * de * de;
                }
            }
            start = end;
            gr[0] -= g_ln;
            gr[1] -= k * g_inv;
            s_w2 += g_w2;
            s_w2_ib += g_w2 * ib;
            if HESS {
                hs[0][1] -= g_inv;
                hs[1][1] += k * g_inv2;
                s_w2_ib2 += g_w2 * ib * ib;
                // D D^T with D = (d0, k e, -1/a, ib): the 1/a factors are applied below.
                s += q;
                s0 += q0;
                s1 += k * qe;
                sb += ib * q;
                s00 += q00;
                s01 += k * q0e;
                s11 += k * k * qee;
                s0b += ib * q0;
                s1b += k * ib * qe;
                sbb += ib * ib * q;
            }
        }
        gr[2] += s_w2 / a;
        gr[3] -= s_w2_ib;
        // Scaled time: ln L changes by -sum(w x) ln(scale), d/d alpha_scaled = d/d alpha / scale.
        gr[1] /= self.scale;
        *g = gr;
        if HESS {
            let ia = 1.0 / a;
            hs[0][0] += s00;
            hs[0][1] += s01;
            hs[1][1] += s11;
            hs[0][2] -= ia * s0;
            hs[0][3] += s0b;
            hs[1][2] -= ia * s1;
            hs[1][3] += s1b;
            hs[2][2] += ia * ia * s - s_w2 * ia * ia;
            hs[2][3] -= ia * sb;
            hs[3][3] += sbb + s_w2_ib2;
            for i in 0..4 {
                hs[1][i] /= self.scale;
                hs[i][1] /= self.scale;
            }
            for i in 0..4 {
                for j in 0..i {
                    hs[i][j] = hs[j][i];
                }
            }
            *h = hs;
        }
        ll - self.sum_wx * self.scale.ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::rft::test_rows::{noop, summary_of};

    #[test]
    fn analytic_gradient_and_hessian_match_finite_differences() {
        let rows: Vec<(f64, f64, f64)> = (0..400)
            .map(|i| {
                let x = (i % 7) as f64;
                let t = 5.0 + (i as f64 * 0.37) % 40.0;
                (x, if x == 0.0 { 0.0 } else { t * ((i % 11) as f64 / 11.0) }, t)
            })
            .collect();
        let summary = summary_of(&rows);
        let (zeros, rows) = (summary.zeros.sorted_slice(), summary.rows.sorted_slice());
        let data = FitData::new(&zeros, &rows, time_scale(&zeros, &rows, &mut noop()).unwrap(), &mut noop());
        for p in [[0.24, 0.11, 0.79, 2.4], [1.5, 0.5, 3.0, 0.7], [0.05, 2.0, 0.4, 9.0]] {
            let params = |v: &[f64; 4]| BgNbdParams { r: v[0], alpha: v[1], a: v[2], b: v[3] };
            let (mut g, mut h) = ([0.0; 4], [[0.0; 4]; 4]);
            let ll = data.eval::<true>(&params(&p), &mut g, &mut h, &mut || {});
            let mut g0 = [0.0; 4];
            assert_eq!(ll, data.ll_grad(&params(&p), &mut g0, &mut || {}));
            assert_eq!(g, g0);
            for i in 0..4 {
                let step = 1e-6 * p[i];
                let (mut up, mut down) = (p, p);
                up[i] += step;
                down[i] -= step;
                let numeric = (data.ll_grad(&params(&up), &mut [0.0; 4], &mut || {})
                    - data.ll_grad(&params(&down), &mut [0.0; 4], &mut || {}))
                    / (2.0 * step);
                assert!((numeric - g[i]).abs() <= 1e-6 * g[i].abs().max(1.0), "gradient {i}: {numeric} vs {}", g[i]);
            }
            let numeric = crate::math::optim::numeric_hessian(
                &mut |v: &[f64; 4]| {
                    let mut g = [0.0; 4];
                    data.ll_grad(&params(v), &mut g, &mut || {});
                    Some(g)
                },
                &p,
            )
            .unwrap();
            for i in 0..4 {
                for j in 0..4 {
                    let scale = h[i][i].abs().sqrt() * h[j][j].abs().sqrt();
                    assert!((numeric[i][j] - h[i][j]).abs() <= 1e-6 * scale, "hessian {i},{j}: {} vs {}", numeric[i][j], h[i][j]);
                }
            }
        }
    }
}
