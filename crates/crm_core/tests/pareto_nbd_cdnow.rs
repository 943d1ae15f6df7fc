//! Pareto/NBD on the CDNOW sample (2,357 customers, weeks): the fit against the published
//! estimates (Fader and Hardie 2005 notes: r 0.553, alpha 10.578, s 0.606, beta 11.669,
//! LL -9594.98) and lifetimes 0.11.3, and per-customer predictions against lifetimes at fixed
//! parameters (tests/pareto_nbd_golden.rs; golden file written by scripts/golden/pareto_nbd_golden.py).

use crm_core::summary::rft::BgNbdSummary;

use crm_core::models::fit_options::FitOptions;
use crm_core::models::pareto_nbd::{self, ParetoNbdParams};

const SUMMARY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/cdnow/cdnow_customers_summary.csv");
const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/pareto_nbd_golden.json");

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

#[test]
fn fit_matches_published_parameters_and_likelihood() {
    let s = summary();
    let mut checks = 0u64;
    let t0 = std::time::Instant::now();
    let fit = pareto_nbd::fit(&s, &FitOptions::default(), &mut || checks += 1).unwrap();
    eprintln!("{fit:?} in {:?} (interrupt checks {checks})", t0.elapsed());
    assert!(fit.converged);
    let want = [0.5533, 10.5776, 0.6062, 11.6680];
    for (got, want) in fit.params.iter().zip(want) {
        assert!(rel(*got, want) < 1e-3, "got {got}, want {want}");
    }
    assert!(rel(fit.log_likelihood, -9594.97) < 1e-3, "LL {}", fit.log_likelihood);
    // lifetimes 0.11.3's own fit (Nelder-Mead, tol 1e-4): the same optimum, ours at least as high.
    let golden: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(GOLDEN).unwrap()).unwrap();
    let lt = &golden["lifetimes_fit"];
    for (got, want) in fit.params.iter().zip(lt["params"].as_array().unwrap()) {
        assert!(rel(*got, want.as_f64().unwrap()) < 1e-3, "got {got}, lifetimes {want}");
    }
    assert!(
        fit.log_likelihood >= lt["log_likelihood"].as_f64().unwrap() - 1e-6,
        "LL {} vs lifetimes {}",
        fit.log_likelihood,
        lt["log_likelihood"]
    );
    let se = fit.std_errors.unwrap();
    let cov = fit.covariance.unwrap();
    for i in 0..4 {
        assert!(se[i] > 0.0 && se[i].is_finite() && (cov[i][i].sqrt() - se[i]).abs() <= 1e-12 * se[i]);
    }
    let p = ParetoNbdParams { r: fit.params[0], alpha: fit.params[1], s: fit.params[2], beta: fit.params[3] };
    let total: f64 = rows().iter().map(|&(_, x, tx, t)| pareto_nbd::log_likelihood(&p, x, tx, t)).sum();
    assert!((total - fit.log_likelihood).abs() < 1e-6, "{total} vs {}", fit.log_likelihood);
}

#[test]
fn frequencies_beyond_the_limit_and_empty_summaries_are_rejected() {
    let mut s = BgNbdSummary::default();
    assert_eq!(pareto_nbd::fit(&s, &FitOptions::default(), &mut || {}).unwrap_err().message, "cannot fit Pareto/NBD on zero customers");
    s.add(0.0, 0.0, 0.0).unwrap();
    assert!(pareto_nbd::fit(&s, &FitOptions::default(), &mut || {}).unwrap_err().message.contains("every customer has T = 0"));
    s.add(2e9, 10.0, 20.0).unwrap();
    let e = pareto_nbd::fit(&s, &FitOptions::default(), &mut || {}).unwrap_err();
    assert_eq!(e.kind, crm_core::error::ErrorKind::OutOfRange);
    assert!(e.message.starts_with("frequency must be at most 1000000000 repeat purchases to fit Pareto/NBD"), "{}", e.message);
    assert!(pareto_nbd::fit(&summary(), &FitOptions { penalizer: -1.0, max_iter: 10 }, &mut || {}).is_err());
    // A penalty shrinks the scaled parameters' squares.
    let plain = pareto_nbd::fit(&summary(), &FitOptions::default(), &mut || {}).unwrap();
    let pen = pareto_nbd::fit(&summary(), &FitOptions { penalizer: 0.1, max_iter: 1000 }, &mut || {}).unwrap();
    let sq = |p: &[f64; 4]| p[0] * p[0] + (p[1] / 38.86).powi(2) + p[2] * p[2] + (p[3] / 38.86).powi(2);
    assert!(sq(&pen.params) < sq(&plain.params) && pen.log_likelihood < plain.log_likelihood);
}
