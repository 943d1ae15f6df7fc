//! sBG against mpmath (50 digits) on an extreme grid of parameters, periods and discount rates;
//! golden/sbg.json is written by scripts/golden/sbg_golden.py (`lifetimes` has no sBG).

use crm_core::error::ErrorKind;
use crm_core::models::sbg::{self, SbgParams};
use serde_json::Value;

const GOLDEN: &str = include_str!("golden/sbg.json");

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| v.as_str().unwrap().parse().unwrap())
}

/// Relative tolerance: 1e-9, looser where ln S(t) is a difference of two terms of about t ln t
/// (rounding about 1e-16 t ln t): 1e-8 at t = 10^6 and 5e-6 at t = 10^9.
fn tol(t: u64) -> f64 {
    (1e-9f64).max(3e-16 * t as f64 * (t as f64).max(1.0).ln())
}

#[test]
fn predictions_match_mpmath_on_an_extreme_grid() {
    let g: Value = serde_json::from_str(GOLDEN).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut check = |what: String, got: f64, want: f64, tol: f64| {
        assert!(got.is_finite(), "{what}: {got}");
        let ok = if want > 1e-290 { ((got - want) / want).abs() <= tol } else { got <= 1e-290 };
        if !ok {
            failures.push(format!("{what}: got {got:e}, mpmath {want:e}"));
        }
        checked += 1;
    };
    for e in g["mpmath"].as_array().unwrap() {
        let name = e["name"].as_str().unwrap();
        let p = SbgParams { alpha: num(&e["params"][0]), beta: num(&e["params"][1]) };
        for pair in e["survival"].as_array().unwrap() {
            let t = pair[0].as_u64().unwrap();
            check(format!("{name} S({t})"), sbg::survival(&p, t).unwrap(), num(&pair[1]), tol(t));
        }
        for pair in e["churn"].as_array().unwrap() {
            let t = pair[0].as_u64().unwrap();
            check(format!("{name} P(T = {t})"), sbg::churn_probability(&p, t).unwrap(), num(&pair[1]), tol(t));
        }
        for triple in e["derl"].as_array().unwrap() {
            let (d, n) = (num(&triple[0]), triple[1].as_u64().unwrap());
            check(format!("{name} DERL({d}, {n})"), sbg::derl(&p, d, n).unwrap(), num(&triple[2]), tol(n));
        }
        for triple in e["cohort_clv"].as_array().unwrap() {
            let (d, k) = (num(&triple[0]), triple[1].as_u64().unwrap());
            check(format!("{name} cohort value({d}, {k})"), sbg::cohort_clv(&p, 1.0, d, k).unwrap(), num(&triple[2]), tol(k));
        }
    }
    assert_eq!(checked, 6 * (9 + 8 + 15 + 15));
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn bad_input_is_an_invalid_parameter_error_naming_the_quantity() {
    let p = SbgParams { alpha: 0.704, beta: 1.182 };
    for (e, word) in [
        (sbg::survival(&SbgParams { alpha: -1.0, ..p }, 3).unwrap_err(), "alpha"),
        (sbg::retention_rate(&SbgParams { beta: f64::NAN, ..p }, 3).unwrap_err(), "beta"),
        (sbg::retention_rate(&p, 0).unwrap_err(), "retention rate"),
        (sbg::churn_probability(&p, 0).unwrap_err(), "churn probability"),
        (sbg::derl(&p, f64::INFINITY, 3).unwrap_err(), "discount"),
        (sbg::cohort_clv(&p, f64::INFINITY, 0.1, 3).unwrap_err(), "margin"),
    ] {
        assert_eq!(e.kind, ErrorKind::InvalidParameter);
        assert!(e.message.contains(word), "{}", e.message);
    }
    // a discount rate so small that 2F1's series is too long: an out-of-range error, not NaN
    let e = sbg::derl(&p, 1e-12, 3).unwrap_err();
    assert_eq!(e.kind, ErrorKind::OutOfRange);
    assert!(e.message.contains("discounted lifetime"), "{}", e.message);
}
