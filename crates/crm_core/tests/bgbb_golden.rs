//! BG/BB against `lifetimes`' BetaGeoBetaBinomFitter (its fit on the donations data, and its
//! predictions at fixed parameters) and against mpmath (50 digits) on an extreme grid of
//! parameters and customers; golden/bgbb.json is written by scripts/golden/bgbb_golden.py.

use crm_core::error::{CrmResult, ErrorKind};
use crm_core::models::bgbb::{self, BgBbParams};
use crm_core::models::fit_options::FitOptions;
use crm_core::summary::rft::BgNbdSummary;
use serde_json::Value;

const GOLDEN: &str = include_str!("golden/bgbb.json");
const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/donations.csv");

fn golden() -> Value {
    serde_json::from_str(GOLDEN).unwrap()
}

/// A JSON number, or a decimal string (mpmath values keep their exponent beyond f64's range).
fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| v.as_str().unwrap().parse().unwrap())
}

fn params(v: &Value) -> BgBbParams {
    let p: Vec<f64> = v.as_array().unwrap().iter().map(num).collect();
    BgBbParams::from_array([p[0], p[1], p[2], p[3]])
}

fn rel(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        ((a - b) / b).abs()
    }
}

#[test]
fn fit_matches_lifetimes() {
    let g = golden();
    let want = &g["lifetimes"]["fit"];
    let mut s = BgNbdSummary::default();
    for l in std::fs::read_to_string(DATA).unwrap().lines().skip(1) {
        let f: Vec<u64> = l.split(',').map(|v| v.parse().unwrap()).collect();
        s.add_weighted(f[0] as f64, f[1] as f64, f[2] as f64, f[3]).unwrap();
    }
    let fit = bgbb::fit(&s, &FitOptions::default(), &mut || {}).unwrap();
    for (got, want) in fit.params.iter().zip(want["params"].as_array().unwrap()) {
        assert!(rel(*got, num(want)) < 1e-5, "got {got}, want {want}");
    }
    assert!(rel(fit.log_likelihood, num(&want["log_likelihood"])) < 1e-10, "LL {}", fit.log_likelihood);
}

#[test]
fn predictions_match_lifetimes_at_fixed_parameters() {
    let g = golden();
    let l = &g["lifetimes"];
    let p = params(&l["params"]);
    let mut checked = 0;
    for c in l["customers"].as_array().unwrap() {
        let (x, tx, n) = (num(&c["x"]), num(&c["t_x"]), num(&c["n"]));
        let ll = bgbb::log_likelihood(&p, x, tx, n).unwrap();
        assert!(
            rel(ll, num(&c["log_likelihood"])) < 1e-9 || (ll - num(&c["log_likelihood"])).abs() < 1e-12,
            "LL ({x}, {tx}, {n}): {ll} vs {}",
            c["log_likelihood"]
        );
        for pair in c["p_alive_at"].as_array().unwrap() {
            let (m, want) = (pair[0].as_u64().unwrap(), num(&pair[1]));
            let got = bgbb::p_alive_at(&p, x, tx, n, m).unwrap();
            assert!(rel(got, want) < 1e-6, "P(alive at n + {m}) ({x}, {tx}, {n}): {got} vs {want}");
            checked += 1;
        }
        for pair in c["expected_purchases"].as_array().unwrap() {
            let (m, want) = (pair[0].as_u64().unwrap(), num(&pair[1]));
            let got = bgbb::expected_purchases(&p, x, tx, n, m).unwrap();
            assert!(rel(got, want) < 1e-6, "E[X(n, n + {m})] ({x}, {tx}, {n}): {got} vs {want}");
            checked += 1;
        }
    }
    assert_eq!(bgbb::p_alive(&p, 2.0, 5.0, 6.0).unwrap(), bgbb::p_alive_at(&p, 2.0, 5.0, 6.0, 0).unwrap());
    for t in l["prob_purchases"].as_array().unwrap() {
        let (x, n, want) = (t[0].as_u64().unwrap(), t[1].as_u64().unwrap(), num(&t[2]));
        let got = bgbb::prob_purchases(&p, x, n).unwrap();
        assert!(rel(got, want) < 1e-6, "P(X({n}) = {x}): {got} vs {want}");
        checked += 1;
    }
    assert_eq!(checked, 31 * 6 + 7);
}

/// A value against mpmath: within `tol` relative where mpmath's value is a normal double;
/// beyond (underflow) a value below 1e-290. Any Err must say what could not be computed.
fn check(what: &str, got: CrmResult<f64>, want: f64, tol: f64, failures: &mut Vec<String>) {
    match got {
        Ok(v) => {
            assert!(v.is_finite(), "{what}: {v}");
            let ok = if want.abs() > 1e-290 { rel(v, want) <= tol } else { v.abs() <= 1e-290 };
            if !ok {
                failures.push(format!("{what}: got {v:e}, mpmath {want:e}, relative error {:e}", rel(v, want)));
            }
        }
        Err(e) => {
            assert!(matches!(e.kind, ErrorKind::OutOfRange | ErrorKind::InvalidParameter), "{what}: {e:?}");
            assert!(e.message.contains("BG/BB") || e.message.contains("beta survival sum"), "{what}: {}", e.message);
            failures.push(format!("{what}: Err {}", e.message));
        }
    }
}

/// 1e-9, and 5e-9 for a million opportunities ahead: ln B(gamma, delta+n+m)/B(gamma, delta+n) is
/// then a difference of two terms of about m ln m = 1.4e7, whose rounding is about 3e-9.
fn horizon_tol(m: u64) -> f64 {
    if m >= 1_000_000 {
        5e-9
    } else {
        1e-9
    }
}

#[test]
fn predictions_match_mpmath_on_an_extreme_grid() {
    let g = golden();
    let mut failures = Vec::new();
    let mut checked = 0;
    for e in g["mpmath"].as_array().unwrap() {
        let name = e["name"].as_str().unwrap();
        let p = params(&e["params"]);
        for c in e["customers"].as_array().unwrap() {
            let (x, tx, n) = (num(&c["x"]), num(&c["t_x"]), num(&c["n"]));
            let at = format!("{name} ({x}, {tx}, {n})");
            // a log-likelihood is accurate in absolute terms (it is near 0 for L near 1)
            let ll = bgbb::log_likelihood(&p, x, tx, n).unwrap();
            let want_ll = num(&c["log_likelihood"]);
            assert!((ll - want_ll).abs() <= 1e-9 * want_ll.abs().max(1.0), "{at} LL: {ll} vs {want_ll}");
            for pair in c["p_alive_at"].as_array().unwrap() {
                let m = pair[0].as_u64().unwrap();
                check(
                    &format!("{at} P(alive at n + {m})"),
                    bgbb::p_alive_at(&p, x, tx, n, m),
                    num(&pair[1]),
                    horizon_tol(m),
                    &mut failures,
                );
            }
            for pair in c["expected_purchases"].as_array().unwrap() {
                let m = pair[0].as_u64().unwrap();
                check(
                    &format!("{at} E[X(n, n + {m})]"),
                    bgbb::expected_purchases(&p, x, tx, n, m),
                    num(&pair[1]),
                    horizon_tol(m),
                    &mut failures,
                );
            }
            for pair in c["dert"].as_array().unwrap() {
                let d = num(&pair[0]);
                check(&format!("{at} DERT({d})"), bgbb::dert(&p, x, tx, n, d), num(&pair[1]), 1e-9, &mut failures);
            }
            checked += 1;
        }
        for pair in e["new"].as_array().unwrap() {
            let n = pair[0].as_u64().unwrap();
            check(&format!("{name} E[X({n})]"), bgbb::expected_purchases_new(&p, n), num(&pair[1]), horizon_tol(n), &mut failures);
        }
        for t in e["prob"].as_array().unwrap() {
            let (x, n) = (t[0].as_u64().unwrap(), t[1].as_u64().unwrap());
            check(&format!("{name} P(X({n}) = {x})"), bgbb::prob_purchases(&p, x, n), num(&t[2]), 1e-9, &mut failures);
        }
    }
    assert_eq!(checked, 5 * 8);
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn bad_input_is_an_invalid_parameter_error_naming_the_quantity() {
    let p = BgBbParams { alpha: 1.204, beta: 0.750, gamma: 0.657, delta: 2.783 };
    for (x, tx, n) in [(1.0, 0.5, 6.0), (2.0, 1.0, 6.0), (0.0, 2.0, 6.0), (1.0, 7.0, 6.0), (f64::NAN, 1.0, 6.0), (1.0, 1.0, 1e8)] {
        for r in [
            bgbb::p_alive(&p, x, tx, n),
            bgbb::expected_purchases(&p, x, tx, n, 3),
            bgbb::dert(&p, x, tx, n, 0.1),
            bgbb::log_likelihood(&p, x, tx, n),
        ] {
            let e = r.unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidParameter);
            assert!(e.message.starts_with("BG/BB"), "{}", e.message);
        }
    }
    let bad = BgBbParams { gamma: f64::INFINITY, ..p };
    assert!(bgbb::p_alive(&bad, 1.0, 1.0, 6.0).unwrap_err().message.contains("gamma"));
    assert!(bgbb::prob_purchases(&p, 1, 100_000_000).is_err());
    assert!(bgbb::dert(&p, 1.0, 1.0, 6.0, -0.1).unwrap_err().message.contains("discount"));
}
