//! sBG on the two cohorts of Fader and Hardie (2007), "How to project customer retention":
//! 1,000 customers each, "regular" and "high end", fitted on years 0-7 and projected to years
//! 8-12 against the actual counts.

use crm_core::models::fit_options::FitOptions;
use crm_core::models::sbg::{self, SbgParams, SurvivalSummary};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/retention_fader_hardie_2007.csv");

/// Active customers of `segment` for years 0..=12.
fn active(segment: &str) -> Vec<u64> {
    let text = std::fs::read_to_string(DATA).expect("retention data");
    let rows: Vec<(u64, u64)> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.trim().split(',').collect();
            (f[0] == segment).then(|| (f[1].parse().unwrap(), f[2].parse().unwrap()))
        })
        .collect();
    assert!(rows.iter().enumerate().all(|(i, r)| r.0 == i as u64), "years in order");
    rows.into_iter().map(|r| r.1).collect()
}

fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

/// Fits years 0-7 and returns the parameters and the largest relative error of the projected
/// counts 1000 S(t) for t = 8..12.
fn fit_and_project(segment: &str, want: [f64; 2], want_ll: f64) -> (SbgParams, f64) {
    let counts = active(segment);
    let s = SurvivalSummary::from_survivors(&counts[..8]).unwrap();
    assert_eq!(s.customers(), 1000);
    let fit = sbg::fit(&s, &FitOptions::default(), &mut || {}).unwrap();
    eprintln!("{segment}: {fit:?}");
    assert!(fit.converged);
    for (got, want) in fit.params.iter().zip(want) {
        assert!(rel(*got, want) < 1e-3, "{segment}: got {got}, want {want}");
    }
    assert!(rel(fit.log_likelihood, want_ll) < 1e-3 && (fit.log_likelihood - want_ll).abs() < 0.01, "{segment}: LL {}", fit.log_likelihood);
    let p = SbgParams::from_array(fit.params);
    assert_eq!(sbg::log_likelihood(&p, &s).unwrap(), fit.log_likelihood);
    let mut worst: f64 = 0.0;
    for (t, &actual) in counts.iter().enumerate().skip(8) {
        let projected = 1000.0 * sbg::survival(&p, t as u64).unwrap();
        let err = (projected - actual as f64) / actual as f64;
        eprintln!("{segment} year {t}: projected {projected:.1}, actual {actual}, error {:+.2}%", 100.0 * err);
        worst = worst.max(err.abs());
    }
    (p, worst)
}

#[test]
fn fits_match_the_published_estimates_and_project_the_holdout_years() {
    // FH 2007 section "Estimating model parameters": regular alpha 0.704, beta 1.182, LL -1680.27;
    // high end alpha 0.668, beta 3.806, LL -1611.16.
    let (_, regular) = fit_and_project("regular", [0.704, 1.182], -1680.27);
    let (_, high_end) = fit_and_project("high_end", [0.668, 3.806], -1611.16);
    // Years 8-12 projected from years 0-7 (1000 S(t)) against the actual counts: regular
    // -1.31%, -1.25%, -1.45%, -1.71%, -1.71% (170.0 projected for 173 in year 12); high end
    // -1.62%, -2.07%, -3.00%, -3.41%, -4.06% (378.0 for 394). The model slightly
    // under-projects both cohorts' later years, the high end more.
    assert!(regular < 0.018, "regular: {regular}");
    assert!(high_end < 0.041, "high end: {high_end}");
}

#[test]
fn cohorts_observed_for_different_lengths_fit_together() {
    // A second regular cohort of 1,000 acquired three years later (observed for years 0-4)
    // adds to the first: the fit of the merged summary is the maximum of the summed likelihood.
    let counts = active("regular");
    let mut s = SurvivalSummary::from_survivors(&counts[..8]).unwrap();
    s.merge(&SurvivalSummary::from_survivors(&counts[..5]).unwrap());
    assert_eq!(s.customers(), 2000);
    let fit = sbg::fit(&s, &FitOptions::default(), &mut || {}).unwrap();
    assert!(fit.converged);
    let p = SbgParams::from_array(fit.params);
    for (da, db) in [(1e-3, 0.0), (-1e-3, 0.0), (0.0, 1e-3), (0.0, -1e-3)] {
        let q = SbgParams { alpha: p.alpha * (1.0 + da), beta: p.beta * (1.0 + db) };
        assert!(sbg::log_likelihood(&q, &s).unwrap() < fit.log_likelihood);
    }
    let both = sbg::log_likelihood(&p, &SurvivalSummary::from_survivors(&counts[..8]).unwrap()).unwrap()
        + sbg::log_likelihood(&p, &SurvivalSummary::from_survivors(&counts[..5]).unwrap()).unwrap();
    assert!((both - fit.log_likelihood).abs() < 1e-9 * both.abs());
}

#[test]
fn a_large_simulated_cohort_recovers_its_parameters() {
    // 1,000,000 customers observed for 12 periods with the high-end parameters: within 3%, which
    // the test checks is at least 3 of the fit's standard errors.
    let want = SbgParams { alpha: 0.668, beta: 3.806 };
    let cs = sbg::simulate(1_000_000, &want, 12, 20240601, &mut || {}).unwrap();
    let s = sbg::SbgCustomer::summary(&cs);
    let fit = sbg::fit(&s, &FitOptions::default(), &mut || {}).unwrap();
    eprintln!("{fit:?}");
    let se = fit.std_errors.unwrap();
    for (i, want) in want.to_array().into_iter().enumerate() {
        assert!(rel(fit.params[i], want) < 0.03, "param {i}: got {}, want {want}", fit.params[i]);
        assert!(3.0 * se[i] < 0.03 * want, "param {i}: SE {} too large for the tolerance", se[i]);
    }
    let again = sbg::simulate(1000, &want, 12, 7, &mut || {}).unwrap();
    assert_eq!(again, sbg::simulate(1000, &want, 12, 7, &mut || {}).unwrap());
    assert!(again.iter().all(|c| (c.churned && (1..=12).contains(&c.duration)) || (!c.churned && c.duration == 12)));
}
