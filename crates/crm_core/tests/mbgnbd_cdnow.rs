//! MBG/NBD on the CDNOW sample (2,357 customers, weeks) against lifetimes 0.11.3's
//! ModifiedBetaGeoFitter: the fit, and every predictor per customer at fixed parameters
//! (tests/golden/mbgnbd.json, written by scripts/golden/mbgnbd_golden.py).

// Four parameters and a 4x4 covariance read best with explicit indices.
#![allow(clippy::needless_range_loop)]

use crm_core::summary::rft::BgNbdSummary;

use crm_core::clv::discounted_purchases;
use crm_core::models::fit_options::FitOptions;
use crm_core::models::mbgnbd::{self, MbgNbdParams};
use crm_core::models::PurchaseModel;
use serde_json::Value;

const SUMMARY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/cdnow/cdnow_customers_summary.csv");
const GOLDEN: &str = include_str!("golden/mbgnbd.json");

fn golden() -> Value {
    serde_json::from_str(GOLDEN).unwrap()
}

/// A number written as a string (bit-exact repr) or a JSON number.
fn num(v: &Value) -> f64 {
    v.as_str().map_or_else(|| v.as_f64().unwrap(), |s| s.parse().unwrap())
}

/// (x, t_x, T) rows of cdnow_customers_summary.csv.
fn rows() -> Vec<(f64, f64, f64)> {
    let text = std::fs::read_to_string(SUMMARY).expect("CDNOW summary file");
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<f64> = l.trim().split(',').map(|v| v.parse().unwrap()).collect();
            (f[1], f[2], f[3])
        })
        .collect()
}

fn summary() -> BgNbdSummary {
    let mut s = BgNbdSummary::default();
    for (x, tx, t) in rows() {
        s.add(x, tx, t).unwrap();
    }
    s.compact();
    s
}

fn rel(got: f64, want: f64) -> f64 {
    if got == want {
        0.0
    } else {
        ((got - want) / want).abs()
    }
}

fn params_of(v: &Value) -> MbgNbdParams {
    let p: Vec<f64> = v.as_array().unwrap().iter().map(num).collect();
    MbgNbdParams { r: p[0], alpha: p[1], a: p[2], b: p[3] }
}

#[test]
fn fit_matches_lifetimes() {
    let g = golden();
    let lt = &g["lifetimes"];
    let want = ["r", "alpha", "a", "b"].map(|k| num(&lt["params"][k]));
    let want_se = ["r", "alpha", "a", "b"].map(|k| num(&lt["std_errors"][k]));
    let want_ll = num(&lt["log_likelihood"]);
    let s = summary();
    assert_eq!(s.customers(), 2357);
    let mut checks = 0u64;
    let fit = mbgnbd::fit(&s, &FitOptions::default(), &mut || checks += 1).unwrap();
    eprintln!("{fit:?}; lifetimes {want:?}, LL {want_ll}, SE {want_se:?}");
    assert!(fit.converged);
    assert!(checks >= fit.iterations);
    for i in 0..4 {
        assert!(rel(fit.params[i], want[i]) < 1e-3, "param {i}: got {}, lifetimes {}", fit.params[i], want[i]);
    }
    // The published-style figures of the brief (lifetimes' estimate to 4 decimals).
    for (got, want) in fit.params.iter().zip([0.5248, 6.1830, 0.8914, 1.6140]) {
        assert!(rel(*got, want) < 1e-3, "got {got}, want {want}");
    }
    // At least as likely as lifetimes' estimate, and not by more than its optimiser's slack.
    assert!(
        fit.log_likelihood >= want_ll - 1e-6 && fit.log_likelihood - want_ll < 1e-3,
        "LL {} vs lifetimes {want_ll}",
        fit.log_likelihood
    );
    let se = fit.std_errors.unwrap();
    for i in 0..4 {
        // Both are inverse Hessians at (slightly different) estimates, ours by differences of the gradient.
        assert!(rel(se[i], want_se[i]) < 0.01, "SE {i}: got {}, lifetimes {}", se[i], want_se[i]);
    }
    let cov = fit.covariance.unwrap();
    for i in 0..4 {
        assert_eq!(cov[i][i].sqrt(), se[i]);
        for j in 0..4 {
            assert_eq!(cov[i][j], cov[j][i]);
        }
    }
    let p = MbgNbdParams { r: fit.params[0], alpha: fit.params[1], a: fit.params[2], b: fit.params[3] };
    let total: f64 = rows().iter().map(|&(x, tx, t)| mbgnbd::log_likelihood(&p, x, tx, t)).sum();
    assert!((total - fit.log_likelihood).abs() < 1e-8, "{total} vs {}", fit.log_likelihood);
    // A penalty shrinks the (scaled) parameters, as in lifetimes.
    let pen = mbgnbd::fit(&s, &FitOptions { penalizer: 0.1, ..FitOptions::default() }, &mut || {}).unwrap();
    assert!(pen.log_likelihood < fit.log_likelihood && pen.params[0] < fit.params[0], "{pen:?}");
}

#[test]
fn per_customer_predictions_match_lifetimes_at_fixed_parameters() {
    let g = golden();
    for set in g["fixed"].as_array().unwrap() {
        let p = params_of(&set["params"]);
        let horizons: Vec<f64> = set["horizons"].as_array().unwrap().iter().map(num).collect();
        let customers = set["customers"].as_array().unwrap();
        assert_eq!(customers.len(), 2357);
        let mut worst = [0.0f64; 3];
        for c in customers {
            let (x, tx, t) = (num(&c["x"]), num(&c["t_x"]), num(&c["T"]));
            let what = format!("{p:?} x={x} t_x={tx} T={t}");
            let ll = mbgnbd::log_likelihood(&p, x, tx, t);
            let alive = mbgnbd::p_alive(&p, x, tx, t).unwrap();
            assert_eq!(alive, p.p_alive(x, tx, t).unwrap());
            worst[0] = worst[0].max(rel(ll, num(&c["ll"])));
            worst[1] = worst[1].max(rel(alive, num(&c["p_alive"])));
            for (h, want) in horizons.iter().zip(c["expected"].as_array().unwrap()) {
                let e = mbgnbd::expected_purchases(&p, x, tx, t, *h).unwrap();
                assert_eq!(e, p.expected_purchases(x, tx, t, *h).unwrap());
                worst[2] = worst[2].max(rel(e, num(want)));
                assert!(rel(e, num(want)) < 1e-6, "{what} h={h}: got {e}, lifetimes {want}");
            }
            assert!(rel(ll, num(&c["ll"])) < 1e-6 && rel(alive, num(&c["p_alive"])) < 1e-6, "{what}: {ll} {alive} vs {c}");
        }
        eprintln!("{p:?}: worst relative differences from lifetimes: LL {:e}, P(alive) {:e}, E[X] {:e}", worst[0], worst[1], worst[2]);
        // A customer without repeat purchases is not surely alive (unlike BG/NBD).
        assert!(mbgnbd::p_alive(&p, 0.0, 0.0, 38.86).unwrap() < 1.0);
    }
}

#[test]
fn new_customer_predictions_match_lifetimes() {
    let g = golden();
    for set in g["fixed"].as_array().unwrap() {
        let p = params_of(&set["params"]);
        for (h, want) in set["new_horizons"].as_array().unwrap().iter().zip(set["expected_new"].as_array().unwrap()) {
            let got = mbgnbd::expected_purchases_new(&p, num(h)).unwrap();
            assert_eq!(got, p.expected_purchases_new(num(h)).unwrap());
            assert!(rel(got, num(want)) < 1e-6, "{p:?} h={h}: got {got}, lifetimes {want}");
        }
        let ns: Vec<u64> = set["prob_n"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
        for (h, probs) in set["prob_horizons"].as_array().unwrap().iter().zip(set["prob"].as_array().unwrap()) {
            let h = num(h);
            for (&n, want) in ns.iter().zip(probs.as_array().unwrap()) {
                let (got, want) = (mbgnbd::prob_purchases(&p, n, h).unwrap(), num(want));
                // lifetimes takes the negative binomial tail as 1 - (its head): its absolute
                // rounding error is about 1e-16 · B(a+1,b+n)/B(a,b), relative only where the
                // value is far above that.
                assert!(rel(got, want) < 1e-6 || (got - want).abs() < 1e-13, "{p:?} P(X({h}) = {n}): got {got}, lifetimes {want}");
            }
            // A distribution whose mean is the expectation.
            let probs: Vec<f64> = (0..2000).map(|n| mbgnbd::prob_purchases(&p, n, h).unwrap()).collect();
            let total: f64 = probs.iter().sum();
            let mean: f64 = probs.iter().enumerate().map(|(n, q)| n as f64 * q).sum();
            assert!((total - 1.0).abs() < 1e-10, "h = {h}: sum {total}");
            assert!(rel(mean, mbgnbd::expected_purchases_new(&p, h).unwrap()) < 1e-9, "h = {h}: mean {mean}");
        }
    }
}

#[test]
fn clv_purchases_part_sums_the_monthly_expectations() {
    let p = MbgNbdParams { r: 0.5248, alpha: 6.183, a: 0.8914, b: 1.614 };
    // Undiscounted, the sum telescopes to the expectation over all periods.
    let total = discounted_purchases(&p, 2.0, 30.43, 38.86, 4.348, 12, 0.0).unwrap();
    let direct = mbgnbd::expected_purchases(&p, 2.0, 30.43, 38.86, 12.0 * 4.348).unwrap();
    assert!(rel(total, direct) < 1e-12, "{total} vs {direct}");
    assert!(discounted_purchases(&p, 2.0, 30.43, 38.86, 4.348, 12, 0.01).unwrap() < total);
    assert_eq!(MbgNbdParams::NAME, "mbgnbd");
}
