//! BG/NBD on the CDNOW sample (2,357 customers, weeks) against Fader, Hardie and Lee (2005) and
//! the per-customer figures of docs/references.md section 4.

use crm_core::models::bgnbd::{self, BgNbdParams};

use crm_core::summary::rft::BgNbdSummary;

use crm_core::models::fit_options::FitOptions;

const SUMMARY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/cdnow/cdnow_customers_summary.csv");

/// (id, x, t_x, T) rows of cdnow_customers_summary.csv.
fn rows() -> Vec<(u64, f64, f64, f64)> {
    let text = std::fs::read_to_string(SUMMARY).expect("CDNOW summary file");
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.trim().split(',').collect();
            (f[0].parse().unwrap(), f[1].parse().unwrap(), f[2].parse().unwrap(), f[3].parse().unwrap())
        })
        .collect()
}

fn summary() -> BgNbdSummary {
    let mut s = BgNbdSummary::default();
    for (_, x, tx, t) in rows() {
        s.add(x, tx, t).unwrap();
    }
    s
}

fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

/// Published FHL (2005) parameters to 6 digits.
const PUBLISHED: BgNbdParams = BgNbdParams { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };

#[test]
fn fit_matches_published_parameters_likelihood_and_standard_errors() {
    let s = summary();
    assert_eq!(s.customers(), 2357);
    let mut checks = 0u64;
    let fit = bgnbd::fit(&s, &FitOptions::default(), &mut || checks += 1).unwrap();
    eprintln!("{fit:?} (interrupt checks {checks})");
    assert!(fit.converged);
    assert!(checks >= fit.iterations);
    let p = fit.params;
    for (got, want) in [(p.r, PUBLISHED.r), (p.alpha, PUBLISHED.alpha), (p.a, PUBLISHED.a), (p.b, PUBLISHED.b)] {
        assert!(rel(got, want) < 1e-3, "got {got}, want {want}");
    }
    assert!((fit.log_likelihood - -9582.43).abs() < 0.01, "LL {}", fit.log_likelihood);
    let se = fit.std_errors.unwrap();
    for (got, want) in se.iter().zip([0.012557, 0.378221, 0.185719, 0.705345]) {
        assert!(rel(*got, want) < 0.02, "SE got {got}, want {want}");
    }
    let cov = fit.covariance.unwrap();
    for i in 0..4 {
        assert_eq!(cov[i][i].sqrt(), se[i]);
        for (j, row) in cov.iter().enumerate() {
            assert_eq!(cov[i][j], row[i]);
        }
    }
    // The summed one-customer log-likelihood agrees with the fit's.
    let total: f64 = rows().iter().map(|&(_, x, tx, t)| bgnbd::log_likelihood(&p, x, tx, t)).sum();
    assert!((total - fit.log_likelihood).abs() < 1e-6, "{total} vs {}", fit.log_likelihood);
}

#[test]
fn fit_is_a_function_of_the_multiset_of_rows() {
    let all = rows();
    // Two halves merged in the opposite order, one half re-added row by row in reverse.
    let (mut left, mut right) = (BgNbdSummary::default(), BgNbdSummary::default());
    for (i, &(_, x, tx, t)) in all.iter().enumerate().rev() {
        if i % 2 == 0 {
            left.add(x, tx, t).unwrap()
        } else {
            right.add(x, tx, t).unwrap()
        }
    }
    right.merge(&left);
    assert_eq!(right, summary());
    let a = bgnbd::fit(&right, &FitOptions::default(), &mut || {}).unwrap();
    let b = bgnbd::fit(&summary(), &FitOptions::default(), &mut || {}).unwrap();
    assert_eq!(a, b);
}

#[test]
fn per_customer_predictions_match_the_paper() {
    let p = PUBLISHED;
    // Customer 1: x = 2, t_x = 30.43, T = 38.86.
    let e1 = bgnbd::expected_purchases(&p, 2.0, 30.43, 38.86, 39.0).unwrap();
    assert!(rel(e1, 1.2259) < 1e-4, "{e1}");
    let a1 = bgnbd::p_alive(&p, 2.0, 30.43, 38.86).unwrap();
    assert!(rel(a1, 0.7266) < 1e-4, "{a1}");
    // Customer 3: no repeat purchase.
    let e3 = bgnbd::expected_purchases(&p, 0.0, 0.0, 38.86, 39.0).unwrap();
    assert!(rel(e3, 0.1948) < 1e-4, "{e3}");
    assert_eq!(bgnbd::p_alive(&p, 0.0, 0.0, 38.86).unwrap(), 1.0);
    // Large x where a direct 2F1 overflows; the reference 1763.65 is for the parameters as
    // printed in the paper (3 decimals).
    let paper = BgNbdParams { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    let big = bgnbd::expected_purchases(&paper, 1000.0, 100.0, 100.0, 365.0).unwrap();
    assert!((big - 1763.65).abs() < 0.005, "{big}");
}

#[test]
fn sum_of_39_week_expectations_with_the_fitted_model() {
    let fit = bgnbd::fit(&summary(), &FitOptions::default(), &mut || {}).unwrap();
    let total: f64 = rows().iter().map(|&(_, x, tx, t)| bgnbd::expected_purchases(&fit.params, x, tx, t, 39.0).unwrap()).sum();
    assert!((total - 1653.4).abs() < 0.1, "{total}");
}

#[test]
fn new_customer_distribution_is_consistent() {
    let p = PUBLISHED;
    for &h in &[1.0, 39.0, 78.0] {
        let probs: Vec<f64> = (0..400).map(|n| bgnbd::prob_purchases(&p, n, h).unwrap()).collect();
        let total: f64 = probs.iter().sum();
        let mean: f64 = probs.iter().enumerate().map(|(n, q)| n as f64 * q).sum();
        let expect = bgnbd::expected_purchases_new(&p, h).unwrap();
        assert!((total - 1.0).abs() < 1e-10, "h = {h}: sum {total}");
        assert!(rel(mean, expect) < 1e-8, "h = {h}: mean {mean} vs {expect}");
    }
    // The series form agrees with the closed form (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(...)].
    let h = 39.0;
    let z = h / (p.alpha + h);
    let f = crm_core::math::special::hyp2f1(p.r, p.b, p.a + p.b - 1.0, z).unwrap();
    let closed = (p.a + p.b - 1.0) / (p.a - 1.0) * (1.0 - (p.alpha / (p.alpha + h)).powf(p.r) * f);
    assert!(rel(bgnbd::expected_purchases_new(&p, h).unwrap(), closed) < 1e-12);
}

#[test]
fn absurd_frequencies_are_an_error_not_a_converged_fit() {
    // Frequencies times 1e12: the fit used to return lifetimes' start values with a
    // log-likelihood of +5.8e16 and converged = true.
    let mut s = BgNbdSummary::default();
    for (_, x, tx, t) in rows() {
        s.add(x * 1e12, tx, t).unwrap();
    }
    let e = bgnbd::fit(&s, &FitOptions::default(), &mut || {}).unwrap_err();
    assert_eq!(e.kind, crm_core::error::ErrorKind::OutOfRange);
    assert_eq!(e.message, "frequency must be at most 1000000000 repeat purchases to fit BG/NBD, got 29000000000000");
    // A thousand times the purchases: an unusual but evaluable likelihood, fitted.
    let mut s = BgNbdSummary::default();
    for (_, x, tx, t) in rows() {
        s.add(x * 1e3, tx, t).unwrap();
    }
    let fit = bgnbd::fit(&s, &FitOptions::default(), &mut || {}).unwrap();
    assert!(fit.converged && fit.log_likelihood.is_finite(), "{fit:?}");
}
