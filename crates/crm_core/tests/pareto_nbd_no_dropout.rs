//! Pareto/NBD on customers who never drop out (the regime of the FLO data set): the fit goes to
//! s -> 0 with beta huge, where the likelihood tends to that of the NBD,
//! L = Γ(r+x) / Γ(r) alpha^r / (alpha+T)^(r+x), and the hypergeometric argument of the alpha <
//! beta branch tends to 1 (the case the z -> 1 - z transformation in the likelihood serves).
//! The reference is the NBD maximum likelihood, fitted here from its closed form.

use crm_core::math::special::{digamma, ln_gamma};
use crm_core::models::fit_options::FitOptions;
use crm_core::models::mle::{self, Likelihood};
use crm_core::models::pareto_nbd::{self, ParetoNbdParams};
use crm_core::summary::rft::BgNbdSummary;

/// The NBD (Poisson purchases at a Gamma(r, alpha) rate, no dropout) over (x, t_x, T, count) rows.
struct Nbd(Vec<(f64, f64, f64, f64)>);

fn nbd_row(r: f64, alpha: f64, x: f64, t: f64) -> f64 {
    ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln() - (r + x) * (alpha + t).ln()
}

impl Likelihood<2> for Nbd {
    fn ll_grad(&self, p: &[f64; 2], grad: &mut [f64; 2], _: &mut dyn FnMut()) -> f64 {
        let (r, alpha) = (p[0], p[1]);
        let (mut ll, mut g) = (0.0, [0.0; 2]);
        for &(x, _, t, w) in &self.0 {
            ll += w * nbd_row(r, alpha, x, t);
            g[0] += w * (digamma(r + x) - digamma(r) + alpha.ln() - (alpha + t).ln());
            g[1] += w * (r / alpha - (r + x) / (alpha + t));
        }
        *grad = g;
        ll
    }
    fn weight(&self) -> f64 {
        self.0.iter().map(|r| r.3).sum()
    }
}

#[test]
fn fit_without_dropout_reaches_the_nbd_limit() {
    // Mean dropout rate s / beta = 1e-11 per week: nobody dies within T <= 78 weeks.
    let truth = ParetoNbdParams { r: 2.9, alpha: 40.0, s: 1e-3, beta: 1e8 };
    let cs = pareto_nbd::simulate(3000, &truth, 78.0, 7, &mut || {}).unwrap();
    let mut s = BgNbdSummary::default();
    // Halving the time since the last purchase makes the data favour no dropout at all (a
    // plain NBD sample may, by chance, favour a tiny dropout rate): the supremum is the NBD's.
    for c in &cs {
        let tx = if c.frequency > 0 { c.t - 0.5 * (c.t - c.recency) } else { 0.0 };
        s.add(c.frequency as f64, tx, c.t).unwrap();
    }
    s.compact();
    let rows: Vec<(f64, f64, f64, f64)> = s.rows().iter().map(|&(x, tx, t, c)| (x as f64, tx, t, c as f64)).collect();
    let nbd = mle::fit("NBD", &Nbd(rows.clone()), [1.0, 1.0], 0.0, 1000, &mut || {}).unwrap();
    let fit = pareto_nbd::fit(&s, &FitOptions::default(), &mut || {}).unwrap();
    eprintln!(
        "Pareto/NBD {:?} LL {} ({} iterations); NBD {:?} LL {}",
        fit.params, fit.log_likelihood, fit.iterations, nbd.params, nbd.log_likelihood
    );
    assert!(fit.converged && nbd.converged);
    let [r, alpha, s_hat, beta] = fit.params;
    // The degenerate end: a mean lifetime beta / s far beyond the observation window.
    assert!(s_hat / beta * 78.0 < 1e-6, "s {s_hat}, beta {beta}");
    // The NBD is the s -> 0 limit and, with these data, the Pareto/NBD supremum: the fit
    // reaches its log-likelihood to 1e-9 relative (the optimisers' stopping) and its (r, alpha)
    // to 1e-4 relative.
    let (ll, ll_nbd) = (fit.log_likelihood, nbd.log_likelihood);
    assert!((ll - ll_nbd).abs() <= 1e-9 * ll_nbd.abs(), "{ll} vs NBD {ll_nbd}");
    for (got, want) in [r, alpha].into_iter().zip(nbd.params) {
        assert!(((got - want) / want).abs() < 1e-4, "{:?} vs NBD {:?}", fit.params, nbd.params);
    }
    // Row by row, at the NBD estimate with s -> 0: the Pareto/NBD log-likelihood is the NBD's
    // (the difference is of order s ln(beta) = 1e-8 here).
    let p = ParetoNbdParams { r: nbd.params[0], alpha: nbd.params[1], s: 1e-10, beta: 1e2 };
    for &(x, tx, t, _) in &rows {
        let (got, want) = (pareto_nbd::log_likelihood(&p, x, tx, t), nbd_row(p.r, p.alpha, x, t));
        assert!((got - want).abs() < 1e-8 * want.abs().max(1.0), "{x} {tx} {t}: {got} vs {want}");
    }
}
