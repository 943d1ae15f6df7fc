//! The Gamma-Gamma log-likelihood (Fader and Hardie 2013) of a summary's rows in evaluation
//! form (`FitData`), with its analytic gradient and Hessian, for the fit ([`super::fit`](mod@super::fit)).

use crate::interrupt::Countdown;
use crate::math::special::{digamma, ln_gamma, trigamma};

use super::GammaGammaParams;

/// Rows in evaluation form, grouped by distinct x.
pub(super) struct FitData {
    xs: Vec<f64>,
    ln_xs: Vec<f64>,
    x_weight: Vec<f64>,
    /// Sum over the rows of x of weight * ln m.
    x_wlnm: Vec<f64>,
    /// End (exclusive) in `rows` of the rows of each x.
    x_end: Vec<usize>,
    /// (m, weight), x ascending.
    rows: Vec<(f64, f64)>,
    pub(super) total_weight: f64,
}

impl FitData {
    /// From rows (x, m, count) in ascending (x, m) order.
    pub(super) fn new(sorted: &[(f64, f64, u64)], countdown: &mut Countdown) -> Self {
        let mut d = FitData {
            xs: Vec::new(),
            ln_xs: Vec::new(),
            x_weight: Vec::new(),
            x_wlnm: Vec::new(),
            x_end: Vec::new(),
            rows: Vec::with_capacity(sorted.len()),
            total_weight: 0.0,
        };
        for &(x, m, c) in sorted {
            countdown.tick();
            if d.xs.last() != Some(&x) {
                d.xs.push(x);
                d.ln_xs.push(x.ln());
                d.x_weight.push(0.0);
                d.x_wlnm.push(0.0);
                d.x_end.push(0);
            }
            let (i, w) = (d.xs.len() - 1, c as f64);
            d.x_weight[i] += w;
            d.x_wlnm[i] += w * m.ln();
            d.total_weight += w;
            d.rows.push((m, w));
            d.x_end[i] = d.rows.len();
        }
        d
    }

    /// Sum LL and gradient in (p, q, v).
    pub(super) fn ll_grad(&self, par: &GammaGammaParams, g: &mut [f64; 3], check_interrupt: &mut dyn FnMut()) -> f64 {
        self.eval::<false>(par, g, &mut [[0.0; 3]; 3], check_interrupt)
    }

    /// Sum LL, gradient and, when `HESS`, Hessian in (p, q, v). Per customer the LL is
    /// lnG(px+q) - lnG(px) - lnG(q) + q ln v + (px-1) ln m + px ln x - (px+q) ln(xm+v).
    /// All but the last term depend on m only through sum(w ln m) per x (their second
    /// derivatives are trigamma terms per distinct x); the last term's second derivatives are
    /// d2/dv2 = (px+q)/(xm+v)^2, d2/dp dv = -x/(xm+v), d2/dq dv = -1/(xm+v) and zero in
    /// (p, p), (p, q), (q, q), so one pass over the rows of each x collects sum(w ln(xm+v)),
    /// sum(w/(xm+v)) and sum(w/(xm+v)^2). `check_interrupt` is called every
    /// [`crate::interrupt::CHECK_EVERY`] rows.
    pub(super) fn eval<const HESS: bool>(
        &self,
        par: &GammaGammaParams,
        g: &mut [f64; 3],
        h: &mut [[f64; 3]; 3],
        check_interrupt: &mut dyn FnMut(),
    ) -> f64 {
        let mut countdown = Countdown::new(check_interrupt);
        let GammaGammaParams { p, q, v } = *par;
        let (lg_q, dg_q, ln_v) = (ln_gamma(q), digamma(q), v.ln());
        let tg_q = if HESS { trigamma(q) } else { 0.0 };
        let mut ll = 0.0;
        let mut gr = [0.0; 3];
        let mut hs = [[0.0; 3]; 3];
        let mut row_start = 0;
        for i in 0..self.xs.len() {
            countdown.tick();
            let (x, ln_x, w, wlnm) = (self.xs[i], self.ln_xs[i], self.x_weight[i], self.x_wlnm[i]);
            let px = p * x;
            let k = px + q;
            let (dg_k, dg_px) = (digamma(k), digamma(px));
            ll += w * (ln_gamma(k) - ln_gamma(px) - lg_q + q * ln_v + px * ln_x) + (px - 1.0) * wlnm;
            gr[0] += w * x * (dg_k - dg_px + ln_x) + x * wlnm;
            gr[1] += w * (dg_k - dg_q + ln_v);
            gr[2] += w * q / v;
            // sum(w ln(xm+v)), sum(w/(xm+v)), sum(w/(xm+v)^2) over the rows of x.
            let (mut s_ln, mut s_inv, mut s_inv2) = (0.0, 0.0, 0.0);
            for &(m, wr) in &self.rows[row_start..self.x_end[i]] {
                countdown.tick();
                let xmv = x * m + v;
                let inv = 1.0 / xmv;
                s_ln += wr * xmv.ln();
                s_inv += wr * inv;
                if HESS {
                    s_inv2 += wr * inv * inv;
                }
            }
            row_start = self.x_end[i];
            ll -= k * s_ln;
            gr[0] -= x * s_ln;
            gr[1] -= s_ln;
            gr[2] -= k * s_inv;
            if HESS {
                let tg_k = trigamma(k);
                hs[0][0] += w * x * x * (tg_k - trigamma(px));
                hs[0][1] += w * x * tg_k;
                hs[0][2] -= x * s_inv;
                hs[1][1] += w * (tg_k - tg_q);
                hs[1][2] += w / v - s_inv;
                hs[2][2] += k * s_inv2 - w * q / (v * v);
            }
        }
        *g = gr;
        if HESS {
            (hs[1][0], hs[2][0], hs[2][1]) = (hs[0][1], hs[0][2], hs[1][2]);
            *h = hs;
        }
        ll
    }
}
