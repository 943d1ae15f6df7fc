//! The BG/BB log-likelihood (FHS 2010 eq. 5), its analytic gradient, and the fit.
//!
//! L(x, t_x, n) = B(alpha+x, beta+n-x)/B(alpha,beta) B(gamma, delta+n)/B(gamma,delta)
//!     + sum_{i=0}^{n-t_x-1} f(x, t_x+i),
//! f(x, m) = B(alpha+x, beta+m-x)/B(alpha,beta) B(gamma+1, delta+m)/B(gamma,delta):
//! alive through opportunity n (A), or alive through opportunity m >= t_x without transacting
//! after t_x and gone at the start of m + 1. The rows of one (x, n) share the terms f(x, m) and
//! differ only in where the sum starts, so one sweep from m = n - 1 down to the smallest t_x
//! serves all of them: S_m = sum_{k=m}^{n-1} f(x,k) / f(x,m) = 1 + r_m S_{m+1} with
//! r_m = f(x,m+1)/f(x,m) = (beta+m-x)(delta+m) / ((alpha+beta+m)(gamma+delta+1+m)) < 1, and the
//! digammas of the gradient follow psi(z-1) = psi(z) - 1/(z-1): a few divisions per step, no
//! special function. Per row the cost is one log-sum-exp.

// Small arrays of the four parameters read best with explicit indices.
#![allow(clippy::needless_range_loop)]

use std::collections::BTreeMap;

use super::{validate_customer, validate_params, BgBbParams};
use crate::error::{CrmError, CrmResult};
use crate::interrupt::Countdown;
use crate::math::special::{digamma, ln_beta_ratio, ln_poch};
use crate::models::fit_options::FitOptions;
use crate::models::mle::{self, Likelihood, MleFit};
use crate::summary::rft::BgNbdSummary;

/// Most sweep steps (sum over the distinct (x, n) of n minus their smallest t_x) a fit takes:
/// each likelihood evaluation costs about 10 ns per step.
pub const MAX_FIT_STEPS: u64 = 100_000_000;

/// The rows of one (x, n): (t_x, weight) with t_x descending.
#[derive(Clone, Debug)]
struct Group {
    x: u64,
    n: u64,
    rows: Vec<(u64, f64)>,
}

/// Distinct rows grouped by (x, n): what an evaluation reads (built once per fit).
#[derive(Clone, Debug, Default)]
pub(crate) struct FitData {
    groups: Vec<Group>,
    weight: f64,
}

/// The per-row results of a sweep: weight, ln A (alive through n), ln L, and d ln L (natural
/// parameters; zero unless the gradient was asked for).
struct RowValue {
    weight: f64,
    ln_alive: f64,
    ln_l: f64,
    grad: [f64; 4],
}

impl FitData {
    /// From a summary's rows (x, t_x, T = n, count), each checked by [`validate_customer`] (the
    /// error names the row). Err (22003) beyond [`MAX_FIT_STEPS`].
    pub(crate) fn from_summary(summary: &BgNbdSummary, check_interrupt: &mut dyn FnMut()) -> CrmResult<Self> {
        let mut countdown = Countdown::new(check_interrupt);
        let mut groups = BTreeMap::<(u64, u64), Vec<(u64, f64)>>::new();
        for (i, (x, t_x, n, count)) in summary.rows().into_iter().enumerate() {
            countdown.tick();
            let (x, t_x, n) = validate_customer(x as f64, t_x, n)
                .map_err(|e| e.with_detail(format!("row {} of the summary: frequency {x}, recency {t_x}, periods {n}", i + 1)))?;
            groups.entry((x, n)).or_default().push((t_x, count as f64));
        }
        let mut data = FitData::default();
        let mut steps = 0u64;
        for ((x, n), mut rows) in groups {
            rows.sort_by_key(|r| std::cmp::Reverse(r.0));
            steps += n - rows.last().map_or(n, |r| r.0);
            data.weight += rows.iter().map(|r| r.1).sum::<f64>();
            data.groups.push(Group { x, n, rows });
        }
        if steps > MAX_FIT_STEPS {
            return Err(CrmError::out_of_range("too many transaction opportunities to fit BG/BB")
                .with_detail(format!("the likelihood needs {steps} steps per evaluation, at most {MAX_FIT_STEPS}"))
                .with_hint("BG/BB suits a few hundred or thousand opportunities; aggregate the periods (weeks instead of days)"));
        }
        Ok(data)
    }

    /// One customer.
    fn single(x: u64, t_x: u64, n: u64) -> Self {
        FitData { groups: vec![Group { x, n, rows: vec![(t_x, 1.0)] }], weight: 1.0 }
    }

    /// Calls `row` for every row with its values at `p` (valid parameters), d ln L when `GRAD`.
    fn sweep<const GRAD: bool>(&self, p: &BgBbParams, countdown: &mut Countdown, mut row: impl FnMut(RowValue)) {
        let BgBbParams { alpha: a, beta: b, gamma: g, delta: d } = *p;
        let ln_g_share = (g / (g + d)).ln();
        let norm = if GRAD {
            [digamma(a) - digamma(a + b), digamma(b) - digamma(a + b), digamma(g) - digamma(g + d), digamma(d) - digamma(g + d)]
        } else {
            [0.0; 4]
        };
        for group in &self.groups {
            countdown.tick();
            let (x, n) = (group.x as f64, group.n as f64);
            let ln_px = ln_poch(a, x);
            // ln B(alpha+x, beta+m-x)/B(alpha,beta) and ln B(gamma+1, delta+m)/B(gamma,delta).
            let ln_p_part = |m: f64| ln_px + ln_poch(b, m - x) - ln_poch(a + b, m);
            let ln_alive = ln_p_part(n) + ln_beta_ratio(g, d, n);
            let psi_ax = if GRAD { digamma(a + x) } else { 0.0 };
            let d_alive = if GRAD {
                let (p_abn, p_gdn) = (digamma(a + b + n), digamma(g + d + n));
                [psi_ax - p_abn, digamma(b + n - x) - p_abn, digamma(g) - p_gdn, digamma(d + n) - p_gdn]
            } else {
                [0.0; 4]
            };
            let emit = |row: &mut dyn FnMut(RowValue), weight: f64, ln_l: f64, d_l: [f64; 4]| {
                row(RowValue { weight, ln_alive, ln_l, grad: std::array::from_fn(|i| d_l[i] - norm[i]) })
            };
            let rows = &group.rows;
            let mut j = 0;
            while j < rows.len() && rows[j].0 == group.n {
                emit(&mut row, rows[j].1, ln_alive, d_alive);
                j += 1;
            }
            if j == rows.len() {
                continue;
            }
            // Sweep m = n-1 down to the smallest t_x: s = S_m, v = sum_k f_k dlnf_k / (f_m S_m)
            // without the constant parts psi(alpha+x) and psi(gamma+1) of d ln f.
            let top = n - 1.0;
            let ln_f_top = ln_p_part(top) + ln_g_share + ln_poch(d, top) - ln_poch(g + d + 1.0, top);
            let c = if GRAD { [psi_ax, 0.0, digamma(g + 1.0), 0.0] } else { [0.0; 4] };
            // psi(alpha+beta+m), psi(beta+m-x), psi(gamma+delta+1+m), psi(delta+m)
            let mut psi =
                if GRAD { [digamma(a + b + top), digamma(b + top - x), digamma(g + d + 1.0 + top), digamma(d + top)] } else { [0.0; 4] };
            let varying = |psi: &[f64; 4]| [-psi[0], psi[1] - psi[0], -psi[2], psi[3] - psi[2]];
            let (mut s, mut v) = (1.0f64, varying(&psi));
            // prod of r over the steps so far = prod_acc e^ln_acc: ln f_m = ln f_top - ln of it.
            let (mut prod_acc, mut ln_acc) = (1.0f64, 0.0f64);
            let mut m = group.n - 1;
            loop {
                while j < rows.len() && rows[j].0 == m {
                    let (w, ln_s) = (rows[j].1, ln_f_top - ln_acc - prod_acc.ln() + s.ln());
                    let (hi, lo) = if ln_alive >= ln_s { (ln_alive, ln_s) } else { (ln_s, ln_alive) };
                    let e = (lo - hi).exp();
                    let ln_l = hi + e.ln_1p();
                    let mut d_l = [0.0; 4];
                    if GRAD {
                        let w_lo = e / (1.0 + e);
                        let w_alive = if ln_alive >= ln_s { 1.0 - w_lo } else { w_lo };
                        for i in 0..4 {
                            d_l[i] = w_alive * d_alive[i] + (1.0 - w_alive) * (c[i] + v[i] / s);
                        }
                    }
                    emit(&mut row, w, ln_l, d_l);
                    j += 1;
                }
                if j == rows.len() {
                    break;
                }
                countdown.tick();
                m -= 1;
                let mf = m as f64;
                let (i_ab, i_b, i_gd, i_d) = (1.0 / (a + b + mf), 1.0 / (b + mf - x), 1.0 / (g + d + 1.0 + mf), 1.0 / (d + mf));
                let r = (b + mf - x) * (d + mf) * i_ab * i_gd;
                prod_acc *= r;
                if prod_acc < 1e-200 {
                    ln_acc += prod_acc.ln();
                    prod_acc = 1.0;
                }
                s = 1.0 + r * s;
                if GRAD {
                    psi[0] -= i_ab;
                    psi[1] -= i_b;
                    psi[2] -= i_gd;
                    psi[3] -= i_d;
                    let now = varying(&psi);
                    for i in 0..4 {
                        v[i] = now[i] + r * v[i];
                    }
                }
            }
        }
    }
}

impl Likelihood<4> for FitData {
    fn ll_grad(&self, p: &[f64; 4], grad: &mut [f64; 4], check_interrupt: &mut dyn FnMut()) -> f64 {
        let p = BgBbParams::from_array(*p);
        if validate_params(&p).is_err() {
            return f64::NAN;
        }
        let (mut ll, mut g) = (0.0, [0.0; 4]);
        self.sweep::<true>(&p, &mut Countdown::new(check_interrupt), |r| {
            ll += r.weight * r.ln_l;
            for i in 0..4 {
                g[i] += r.weight * r.grad[i];
            }
        });
        *grad = g;
        ll
    }
    fn weight(&self) -> f64 {
        self.weight
    }
}

/// (ln P(alive through n and the data), ln L) of one validated customer at valid parameters.
pub(crate) fn ln_alive_and_likelihood(p: &BgBbParams, x: u64, t_x: u64, n: u64) -> (f64, f64) {
    let mut out = (f64::NAN, f64::NAN);
    FitData::single(x, t_x, n).sweep::<false>(p, &mut Countdown::new(&mut || {}), |r| out = (r.ln_alive, r.ln_l));
    out
}

/// ln L(alpha, beta, gamma, delta | x, t_x, n) of one customer (FHS 2010 eq. 5), in
/// O(n - t_x) steps. Err (22023) for invalid parameters or an invalid customer
/// ([`validate_customer`]).
pub fn log_likelihood(p: &BgBbParams, x: f64, t_x: f64, n: f64) -> CrmResult<f64> {
    validate_params(p)?;
    let (x, t_x, n) = validate_customer(x, t_x, n)?;
    let ll = ln_alive_and_likelihood(p, x, t_x, n).1;
    if ll.is_finite() {
        Ok(ll)
    } else {
        Err(CrmError::out_of_range("BG/BB log-likelihood is not finite").with_detail(format!("{p:?}, x = {x}, t_x = {t_x}, n = {n}")))
    }
}

/// Maximum-likelihood (or `lifetimes`-style penalised: -(mean LL) + penalizer * sum(params^2))
/// fit over the summary's distinct rows (x, t_x, T = n, count), from `lifetimes`' start (every
/// log-parameter 0.1) with [`mle::fit`] and the analytic gradient. Params in the order
/// (alpha, beta, gamma, delta). Err (22023): invalid options, an empty summary, a row that is
/// not a BG/BB customer (fractional periods, frequency above recency); (22003) more than
/// [`MAX_FIT_STEPS`] steps per evaluation, or no finite optimum.
pub fn fit(summary: &BgNbdSummary, opts: &FitOptions, check_interrupt: &mut dyn FnMut()) -> CrmResult<MleFit<4>> {
    opts.validate()?;
    let data = FitData::from_summary(summary, check_interrupt)?;
    let start = [crate::math::optim::START.exp(); 4];
    mle::fit("BG/BB", &data, start, opts.penalizer, opts.max_iter, check_interrupt)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: BgBbParams = BgBbParams { alpha: 1.204, beta: 0.750, gamma: 0.657, delta: 2.783 };

    /// Eq. 5 term by term with ln_gamma, for a few rows.
    fn direct(p: &BgBbParams, x: f64, t_x: f64, n: f64) -> f64 {
        use crate::math::special::ln_beta;
        let BgBbParams { alpha: a, beta: b, gamma: g, delta: d } = *p;
        let norm = ln_beta(a, b) + ln_beta(g, d);
        let mut l = (ln_beta(a + x, b + n - x) + ln_beta(g, d + n) - norm).exp();
        let mut i = 0.0;
        while t_x + i < n {
            l += (ln_beta(a + x, b + t_x - x + i) + ln_beta(g + 1.0, d + t_x + i) - norm).exp();
            i += 1.0;
        }
        l.ln()
    }

    fn data() -> FitData {
        let mut s = BgNbdSummary::default();
        for (x, tx, n, c) in
            [(0, 0, 6, 30), (1, 1, 6, 5), (2, 5, 6, 7), (6, 6, 6, 9), (3, 7, 20, 4), (0, 0, 20, 3), (3, 20, 20, 2), (1, 3, 11, 1)]
        {
            s.add_weighted(x as f64, tx as f64, n as f64, c).unwrap();
        }
        FitData::from_summary(&s, &mut || {}).unwrap()
    }

    #[test]
    fn sweep_matches_the_direct_sum() {
        for (x, tx, n) in [(0, 0, 0), (0, 0, 6), (1, 1, 6), (2, 5, 6), (6, 6, 6), (3, 7, 20), (40, 90, 400)] {
            let got = log_likelihood(&P, x as f64, tx as f64, n as f64).unwrap();
            let want = direct(&P, x as f64, tx as f64, n as f64);
            assert!((got - want).abs() <= 1e-12 * want.abs().max(1.0), "({x}, {tx}, {n}): {got} vs {want}");
        }
        let mut g = [0.0; 4];
        let total = data().ll_grad(&P.to_array(), &mut g, &mut || {});
        let want: f64 = data()
            .groups
            .iter()
            .flat_map(|gr| gr.rows.iter().map(move |&(tx, w)| w * direct(&P, gr.x as f64, tx as f64, gr.n as f64)))
            .sum();
        assert!((total - want).abs() <= 1e-12 * want.abs());
    }

    #[test]
    fn analytic_gradient_matches_finite_differences() {
        let data = data();
        for p in [P.to_array(), [0.05, 3.0, 2.5, 0.1], [7.0, 0.02, 0.9, 40.0]] {
            let mut g = [0.0; 4];
            data.ll_grad(&p, &mut g, &mut || {});
            for i in 0..4 {
                let h = 1e-6 * p[i];
                let (mut up, mut down) = (p, p);
                up[i] += h;
                down[i] -= h;
                let numeric = (data.ll_grad(&up, &mut [0.0; 4], &mut || {}) - data.ll_grad(&down, &mut [0.0; 4], &mut || {})) / (2.0 * h);
                assert!((numeric - g[i]).abs() <= 1e-6 * g[i].abs().max(1.0), "{p:?} gradient {i}: {numeric} vs {}", g[i]);
            }
        }
    }

    #[test]
    fn rows_that_are_not_bgbb_customers_are_rejected_with_the_row() {
        for (x, tx, n) in [(1.0, 2.5, 6.0), (1.0, 2.0, 6.5), (3.0, 2.0, 6.0)] {
            let mut s = BgNbdSummary::default();
            s.add(0.0, 0.0, 6.0).unwrap();
            s.add(x, tx, n).unwrap();
            let e = fit(&s, &FitOptions::default(), &mut || {}).unwrap_err();
            assert_eq!(e.kind, crate::error::ErrorKind::InvalidParameter);
            assert!(e.message.starts_with("BG/BB"), "{}", e.message);
            assert!(e.detail.unwrap().contains("row 2 of the summary"));
        }
        assert!(fit(&BgNbdSummary::default(), &FitOptions::default(), &mut || {}).is_err());
        assert!(log_likelihood(&BgBbParams { alpha: 0.0, ..P }, 0.0, 0.0, 1.0).is_err());
    }
}
