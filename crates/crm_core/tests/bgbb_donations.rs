//! BG/BB on the donations data of Fader, Hardie and Shang (2010): 11,104 first-time donors of
//! 1995, six yearly opportunities (1996-2001), as 22 weighted (x, t_x, n) rows.

use crm_core::models::bgbb;
use crm_core::models::fit_options::FitOptions;
use crm_core::summary::rft::BgNbdSummary;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/donations.csv");

/// (frequency, recency, periods, weight) rows of donations.csv.
pub fn rows() -> Vec<(u64, u64, u64, u64)> {
    let text = std::fs::read_to_string(DATA).expect("donations.csv");
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<u64> = l.trim().split(',').map(|v| v.parse().unwrap()).collect();
            (f[0], f[1], f[2], f[3])
        })
        .collect()
}

fn summary() -> BgNbdSummary {
    let mut s = BgNbdSummary::default();
    for (x, tx, n, w) in rows() {
        s.add_weighted(x as f64, tx as f64, n as f64, w).unwrap();
    }
    s
}

fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

#[test]
fn fit_matches_the_published_estimates_and_likelihood() {
    let s = summary();
    assert_eq!(s.customers(), 11_104);
    let mut checks = 0u64;
    let fit = bgbb::fit(&s, &FitOptions::default(), &mut || checks += 1).unwrap();
    eprintln!("{fit:?}");
    assert!(fit.converged);
    // FHS 2010 section 3: alpha 1.204, beta 0.750, gamma 0.657, delta 2.783, LL -33,225.6.
    for (got, want) in fit.params.iter().zip([1.204, 0.750, 0.657, 2.783]) {
        assert!(rel(*got, want) < 1e-3, "got {got}, want {want}");
    }
    assert!(rel(fit.log_likelihood, -33_225.58) < 1e-3 && (fit.log_likelihood - -33_225.58).abs() < 0.01, "LL {}", fit.log_likelihood);
    // the fit's LL is the weighted sum of the one-customer log-likelihoods
    let p = bgbb::BgBbParams::from_array(fit.params);
    let sum: f64 = rows().iter().map(|&(x, tx, n, w)| w as f64 * bgbb::log_likelihood(&p, x as f64, tx as f64, n as f64).unwrap()).sum();
    assert!((sum - fit.log_likelihood).abs() < 1e-8 * sum.abs());
    assert!(checks >= fit.iterations);
}
