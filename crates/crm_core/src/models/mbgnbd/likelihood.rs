//! The MBG/NBD log-likelihood (Batislam, Denizel and Filiztekin 2007, eq. (A3) of the appendix):
//! per customer
//!
//! L = Γ(r+x) alpha^r / Γ(r) · B(a, b+x+1) / B(a, b) ·
//!     [(alpha+T)^-(r+x) + a/(b+x) (alpha+t_x)^-(r+x)],
//!
//! the first term of the bracket for a customer still alive at T (x + 1 dropout draws survived),
//! the second for one who dropped out right after the purchase at t_x (or at time 0 when x = 0):
//! unlike BG/NBD, the second term is there for x = 0 too. The bracket is summed by log-sum-exp.
//! The fit maximises the sum over a summary's distinct rows with [`crate::models::mle`].

use crate::error::{CrmError, CrmResult};
use crate::interrupt::Countdown;
use crate::math::optim::START;
use crate::math::special::{digamma, ln_beta, ln_gamma};
use crate::models::fit_options::{check_fit_frequency, FitOptions};
use crate::models::mle::{self, Likelihood, MleFit};
use crate::summary::rft::{validate_customer, BgNbdSummary};

use super::{validate_params, MbgNbdParams};

/// ln(e^l1 + e^l2) and the share e^l2 / (e^l1 + e^l2) of the second term, without overflow.
#[inline]
fn log_sum_exp(l1: f64, l2: f64) -> (f64, f64) {
    let ex = (-(l1 - l2).abs()).exp();
    let share_small = ex / (1.0 + ex);
    let w2 = if l1 >= l2 { share_small } else { 1.0 - share_small };
    (l1.max(l2) + ex.ln_1p(), w2)
}

/// Log-likelihood of one customer (the module's formula); -inf (never NaN) for invalid
/// parameters or an invalid customer (see [`crate::summary::rft::validate_customer`]). The powers of
/// alpha are taken relative to alpha, (alpha / (alpha + t))^r = exp(-r ln1p(t / alpha)), so that
/// r ln alpha does not cancel against r ln(alpha + t) when alpha is large.
pub fn log_likelihood(p: &MbgNbdParams, x: f64, t_x: f64, t: f64) -> f64 {
    if validate_params(p).is_err() || validate_customer(x, t_x, t).is_err() {
        return f64::NEG_INFINITY;
    }
    let MbgNbdParams { r, alpha, a, b } = *p;
    let head = ln_gamma(r + x) - ln_gamma(r) + ln_beta(a, b + x + 1.0) - ln_beta(a, b);
    // ln of alpha^r (alpha + t)^-(r+x).
    let ln_power = |t: f64| -r * (t / alpha).ln_1p() - if x == 0.0 { 0.0 } else { x * (alpha + t).ln() };
    let l1 = ln_power(t);
    let l2 = a.ln() - (b + x).ln() + ln_power(t_x);
    let v = head + log_sum_exp(l1, l2).0;
    if v.is_nan() {
        f64::NEG_INFINITY
    } else {
        v
    }
}

/// A sum with Neumaier's compensation: the error of a sum of n terms is about one rounding of
/// the result instead of n. A million rows' log-likelihoods summed plainly carry rounding
/// noise near 1e-13 relative, enough to stall the optimiser's line search before its gradient
/// tolerance (the noise hides the decrease it tests for).
#[derive(Clone, Copy, Default)]
struct CompensatedSum {
    sum: f64,
    compensation: f64,
}

impl CompensatedSum {
    #[inline]
    fn add(&mut self, v: f64) {
        let t = self.sum + v;
        self.compensation += if self.sum.abs() >= v.abs() { (self.sum - t) + v } else { (v - t) + self.sum };
        self.sum = t;
    }

    fn value(self) -> f64 {
        self.sum + self.compensation
    }
}

/// One distinct x: its customers' total weight and the end of its rows in [`FitData::rows`].
struct Group {
    x: f64,
    weight: f64,
    end: usize,
}

/// A summary's distinct rows in evaluation form: (t_x, T, count) in ascending x with the
/// per-x groups, and the time scale of the optimiser.
struct FitData {
    groups: Vec<Group>,
    rows: Vec<(f64, f64, f64)>,
    total_weight: f64,
    /// 1 / max T: the optimiser's alpha is alpha * scale, as in `lifetimes` (sets its start and
    /// what the penalizer means).
    scale: f64,
}

impl FitData {
    fn new(summary: &BgNbdSummary, countdown: &mut Countdown) -> CrmResult<Self> {
        // rows(): x = 0 first, then ascending (x, t_x, T): the rows of one x are adjacent.
        let all = summary.rows();
        let (mut groups, mut rows) = (Vec::<Group>::new(), Vec::with_capacity(all.len()));
        let (mut total_weight, mut max_t) = (0.0, 0.0f64);
        for &(x, t_x, t, count) in &all {
            countdown.tick();
            let (x, w) = (x as f64, count as f64);
            match groups.last_mut() {
                Some(g) if g.x == x => g.weight += w,
                _ => groups.push(Group { x, weight: w, end: 0 }),
            }
            rows.push((t_x, t, w));
            groups.last_mut().expect("just pushed").end = rows.len();
            total_weight += w;
            max_t = max_t.max(t);
        }
        if groups.is_empty() {
            return Err(CrmError::invalid("cannot fit MBG/NBD on zero customers"));
        }
        if !(max_t > 0.0) {
            return Err(CrmError::invalid("cannot fit MBG/NBD: every customer has T = 0")
                .with_hint("T is the time since the first purchase; the data carry no information yet"));
        }
        Ok(FitData { groups, rows, total_weight, scale: 1.0 / max_t })
    }
}

impl Likelihood<4> for FitData {
    /// Sum log-likelihood in the data's time unit at (r, alpha * scale, a, b) and its gradient in
    /// those parameters. Per x: the constants of the head ln[Γ(r+x)/Γ(r) alpha^r B(a,b+x+1)/B(a,b)]
    /// and of the bracket (r + x, ln(a/(b+x))) once; per row only ln(alpha + T), ln(alpha + t_x)
    /// and the log-sum-exp. With w2 the bracket's share of its second term, the bracket's
    /// derivatives are -(w1 ln(alpha+T) + w2 ln(alpha+t_x)) in r, -(r+x)(w1/(alpha+T) +
    /// w2/(alpha+t_x)) in alpha, w2/a in a and -w2/(b+x) in b.
    fn ll_grad(&self, p: &[f64; 4], grad: &mut [f64; 4], check_interrupt: &mut dyn FnMut()) -> f64 {
        let mut countdown = Countdown::new(check_interrupt);
        let [r, alpha_scaled, a, b] = *p;
        let alpha = alpha_scaled / self.scale;
        let (ln_alpha, inv_alpha, ln_a) = (alpha.ln(), 1.0 / alpha, a.ln());
        let (lg_r, dg_r, lg_b, dg_b, lg_ab, dg_ab) = (ln_gamma(r), digamma(r), ln_gamma(b), digamma(b), ln_gamma(a + b), digamma(a + b));
        let (mut ll, mut g) = (CompensatedSum::default(), [0.0; 4]);
        let mut start = 0;
        for group in &self.groups {
            let (x, w) = (group.x, group.weight);
            let k = r + x;
            let (bx1, abx1) = (b + x + 1.0, a + b + x + 1.0);
            let dg_abx1 = digamma(abx1);
            ll.add(w * (ln_gamma(k) - lg_r + r * ln_alpha + ln_gamma(bx1) - lg_b + lg_ab - ln_gamma(abx1)));
            g[0] += w * (digamma(k) - dg_r + ln_alpha);
            g[1] += w * r * inv_alpha;
            g[2] += w * (dg_ab - dg_abx1);
            g[3] += w * (digamma(bx1) - dg_b + dg_ab - dg_abx1);
            let ln_ratio = ln_a - (b + x).ln();
            // Group sums: w lse, w w2, w (w1 ln(alpha+T) + w2 ln(alpha+t_x)), w (w1/(alpha+T) + w2/(alpha+t_x)).
            let [mut s_w2, mut s_ln, mut s_inv] = [0.0; 3];
            for &(t_x, t, c) in &self.rows[start..group.end] {
                countdown.tick();
                let (lt, it) = ((alpha + t).ln(), 1.0 / (alpha + t));
                let (ltx, itx) = if t_x == 0.0 { (ln_alpha, inv_alpha) } else { ((alpha + t_x).ln(), 1.0 / (alpha + t_x)) };
                let (lse, w2) = log_sum_exp(-k * lt, ln_ratio - k * ltx);
                let w1 = 1.0 - w2;
                ll.add(c * lse);
                s_w2 += c * w2;
                s_ln += c * (w1 * lt + w2 * ltx);
                s_inv += c * (w1 * it + w2 * itx);
            }
            start = group.end;
            g[0] -= s_ln;
            g[1] -= k * s_inv;
            g[2] += s_w2 / a;
            g[3] -= s_w2 / (b + x);
        }
        // d/d(alpha * scale) = d/d alpha / scale.
        g[1] /= self.scale;
        *grad = g;
        ll.value()
    }

    fn weight(&self) -> f64 {
        self.total_weight
    }
}

/// Fits MBG/NBD to a summary by maximum likelihood (or `lifetimes`' penalised likelihood) with
/// [`mle::fit`]: L-BFGS over the summary's distinct rows with the analytic gradient of
/// `FitData`, then the covariance as the inverse of the Hessian from central differences of
/// that gradient. As `lifetimes`' `ModifiedBetaGeoFitter` (which inherits `BetaGeoFitter.fit`):
/// the optimiser sees time scaled by 1 / max T, every log-parameter starts at 0.1 (alpha in
/// scaled time), and the objective is -(mean log-likelihood) + `opts.penalizer` (r² + alpha² +
/// a² + b²) with alpha in scaled time; 0 is plain maximum likelihood. The result is in the
/// data's time unit: `params` = [r, alpha, a, b], `log_likelihood` the plain sum of the
/// customers' [`log_likelihood`] at them, `std_errors` and `covariance` with alpha in the data's
/// unit. Deterministic for a given summary. Errors (22023): invalid options, no customers,
/// every T = 0; (22003): a frequency above [`crate::models::fit_options::MAX_FIT_FREQUENCY`], a fit that ends
/// at non-finite parameters or log-likelihood.
pub fn fit(summary: &BgNbdSummary, opts: &FitOptions, check_interrupt: &mut dyn FnMut()) -> CrmResult<MleFit<4>> {
    opts.validate()?;
    let data = FitData::new(summary, &mut Countdown::new(&mut *check_interrupt))?;
    let max_x = data.groups.last().map_or(0.0, |g| g.x);
    check_fit_frequency("MBG/NBD", max_x as u64)?;
    let mut f = mle::fit("MBG/NBD", &data, [START.exp(); 4], opts.penalizer, opts.max_iter, check_interrupt)?;
    let s = data.scale;
    f.params[1] /= s;
    if let Some(se) = f.std_errors.as_mut() {
        se[1] /= s;
    }
    if let Some(cov) = f.covariance.as_mut() {
        // Row and column of alpha: cov[1][1] is divided by scale twice.
        cov[1].iter_mut().for_each(|v| *v /= s);
        cov.iter_mut().for_each(|row| row[1] /= s);
    }
    if validate_params(&MbgNbdParams { r: f.params[0], alpha: f.params[1], a: f.params[2], b: f.params[3] }).is_err() {
        return Err(CrmError::out_of_range("MBG/NBD fit did not reach finite parameters")
            .with_detail(format!("r = {}, alpha = {}, a = {}, b = {}", f.params[0], f.params[1], f.params[2], f.params[3]))
            .with_hint("try a small penalizer such as 0.001, or check the time unit of recency and T"));
    }
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary() -> BgNbdSummary {
        let mut s = BgNbdSummary::default();
        for i in 0..400u32 {
            let x = (i % 7) as f64;
            let t = 5.0 + (i as f64 * 0.37) % 40.0;
            s.add_weighted(x, if x == 0.0 { 0.0 } else { t * ((i % 11) as f64 / 11.0) }, t, 1 + (i % 3) as u64).unwrap();
        }
        s.compact();
        s
    }

    #[test]
    fn analytic_gradient_matches_finite_differences_and_the_sum_of_customers() {
        let s = summary();
        let data = FitData::new(&s, &mut Countdown::new(&mut || {})).unwrap();
        for p in [[0.52, 0.15, 0.89, 1.6], [1.5, 0.5, 3.0, 0.7], [0.05, 2.0, 0.4, 9.0], [0.3, 0.1, 1.0, 1e-3]] {
            let mut g = [0.0; 4];
            let ll = data.ll_grad(&p, &mut g, &mut || {});
            // The same as the per-customer function in the data's unit (alpha = p[1] / scale).
            let natural = MbgNbdParams { r: p[0], alpha: p[1] / data.scale, a: p[2], b: p[3] };
            let direct: f64 = s.rows().iter().map(|&(x, tx, t, c)| c as f64 * log_likelihood(&natural, x as f64, tx, t)).sum();
            assert!((ll - direct).abs() <= 1e-10 * direct.abs(), "{ll} vs {direct}");
            for i in 0..4 {
                let step = 1e-6 * p[i];
                let (mut up, mut down) = (p, p);
                up[i] += step;
                down[i] -= step;
                let numeric =
                    (data.ll_grad(&up, &mut [0.0; 4], &mut || {}) - data.ll_grad(&down, &mut [0.0; 4], &mut || {})) / (2.0 * step);
                assert!((numeric - g[i]).abs() <= 1e-6 * g[i].abs().max(1.0), "{p:?} gradient {i}: {numeric} vs {}", g[i]);
            }
        }
    }

    #[test]
    fn one_time_buyers_may_have_dropped_out_at_time_zero() {
        // x = 0: L = b/(a+b) (alpha/(alpha+T))^r + a/(a+b), alive-and-silent or gone at time 0.
        let p = MbgNbdParams { r: 0.5, alpha: 6.0, a: 0.9, b: 1.6 };
        for t in [0.0, 1.0, 38.86, 1e4] {
            let want = (p.b / (p.a + p.b) * (p.alpha / (p.alpha + t)).powf(p.r) + p.a / (p.a + p.b)).ln();
            let got = log_likelihood(&p, 0.0, 0.0, t);
            assert!((got - want).abs() <= 1e-14 * want.abs().max(1.0), "T = {t}: {got} vs {want}");
        }
    }

    #[test]
    fn invalid_input_is_minus_infinity_and_bad_summaries_are_errors() {
        let p = MbgNbdParams { r: 0.5, alpha: 6.0, a: 0.9, b: 1.6 };
        assert_eq!(log_likelihood(&p, 1.5, 1.0, 2.0), f64::NEG_INFINITY);
        assert_eq!(log_likelihood(&p, 1.0, 3.0, 2.0), f64::NEG_INFINITY);
        assert_eq!(log_likelihood(&MbgNbdParams { a: -1.0, ..p }, 1.0, 1.0, 2.0), f64::NEG_INFINITY);
        assert_eq!(log_likelihood(&MbgNbdParams { r: f64::NAN, ..p }, 1.0, 1.0, 2.0), f64::NEG_INFINITY);
        let e = fit(&BgNbdSummary::default(), &FitOptions::default(), &mut || {}).unwrap_err();
        assert_eq!(e.message, "cannot fit MBG/NBD on zero customers");
        let mut s = BgNbdSummary::default();
        s.add(0.0, 0.0, 0.0).unwrap();
        assert!(fit(&s, &FitOptions::default(), &mut || {}).unwrap_err().message.contains("T = 0"));
        let mut s = BgNbdSummary::default();
        s.add(2e9, 1.0, 2.0).unwrap();
        let e = fit(&s, &FitOptions::default(), &mut || {}).unwrap_err();
        assert!(e.message.starts_with("frequency must be at most") && e.message.contains("MBG/NBD"), "{}", e.message);
        assert!(fit(&summary(), &FitOptions { penalizer: -1.0, max_iter: 10 }, &mut || {}).is_err());
    }
}
