//! MBG/NBD over extreme inputs: values within 1e-9 of mpmath (60 digits, formulas written
//! independently: tests/golden/mbgnbd.json from scripts/golden/mbgnbd_golden.py) on a grid with
//! a near and at 1, tiny a and b, huge and tiny alpha and r, x up to 1e4 and horizons up to 1e4;
//! never NaN or infinity anywhere, and every failure an InvalidParameter or OutOfRange error
//! whose message names the quantity.

use crm_core::error::{CrmError, ErrorKind};
use crm_core::models::mbgnbd::{self, MbgNbdParams};
use proptest::prelude::*;
use serde_json::Value;

const GOLDEN: &str = include_str!("golden/mbgnbd.json");

fn num(v: &Value) -> f64 {
    v.as_str().map_or_else(|| v.as_f64().unwrap(), |s| s.parse().unwrap())
}

/// Relative error, with values below the normal double range (P(alive) ~ 1e-3000) wanted as
/// anything that small.
fn err(got: f64, want: f64) -> f64 {
    if want.abs() < 1e-300 {
        (got - want).abs() / 1e-300
    } else {
        ((got - want) / want).abs()
    }
}

/// An allowed failure: InvalidParameter or OutOfRange, naming `quantity`, with the values.
fn check_error(what: &str, e: &CrmError, quantity: &str) {
    assert!(matches!(e.kind, ErrorKind::InvalidParameter | ErrorKind::OutOfRange), "{what}: {e:?}");
    assert!(e.message.contains(quantity) && e.detail.is_some(), "{what}: {e:?} does not name {quantity}");
}

struct Worst {
    errors: u64,
    values: u64,
    worst: f64,
}

impl Worst {
    /// `may_fail`: whether an error is acceptable here (a horizon beyond the series' reach).
    fn check(&mut self, what: &str, got: Result<f64, CrmError>, want: f64, tol: f64, quantity: &str, may_fail: bool) {
        match got {
            Ok(v) => {
                self.values += 1;
                assert!(v.is_finite(), "{what}: {v}");
                let e = err(v, want);
                self.worst = self.worst.max(e);
                assert!(e < tol, "{what}: got {v}, mpmath {want}, relative error {e:e}");
            }
            Err(e) => {
                self.errors += 1;
                eprintln!("{what}: {}", e.message);
                check_error(what, &e, quantity);
                assert!(may_fail, "{what}: {e:?}");
            }
        }
    }
}

/// Horizons of more than 2.5e5 times alpha + T: the expectation's series would need more than
/// their 1e7-term budget (the BG/NBD routine's limit, which says so in its error).
fn beyond_reach(p: &MbgNbdParams, t: f64, h: f64) -> bool {
    h / (p.alpha + t) > 2.5e5
}

#[test]
fn predictors_match_mpmath_over_the_extreme_grid() {
    let g: Value = serde_json::from_str(GOLDEN).unwrap();
    let mut w = [(); 5].map(|_| Worst { errors: 0, values: 0, worst: 0.0 });
    for set in g["mpmath"].as_array().unwrap() {
        let ps: Vec<f64> = set["params"].as_array().unwrap().iter().map(num).collect();
        let p = MbgNbdParams { r: ps[0], alpha: ps[1], a: ps[2], b: ps[3] };
        let name = set["name"].as_str().unwrap();
        for c in set["customers"].as_array().unwrap() {
            let (x, tx, t) = (num(&c["x"]), num(&c["t_x"]), num(&c["T"]));
            let what = format!("{name} x={x} t_x={tx} T={t}");
            let ll = mbgnbd::log_likelihood(&p, x, tx, t);
            let want = num(&c["ll"]);
            // ln L itself: absolute error relative to max(1, |ln L|) (ln Γ(r+x) - ln Γ(r) at r = 1e4 cancels).
            let e = (ll - want).abs() / want.abs().max(1.0);
            w[0].values += 1;
            w[0].worst = w[0].worst.max(e);
            assert!(e < 1e-9, "{what}: LL {ll}, mpmath {want}");
            w[1].check(&what, mbgnbd::p_alive(&p, x, tx, t), num(&c["p_alive"]), 1e-9, "probability alive", false);
            for (h, want) in c["horizons"].as_array().unwrap().iter().zip(c["expected"].as_array().unwrap()) {
                let h = num(h);
                let e = mbgnbd::expected_purchases(&p, x, tx, t, h);
                w[2].check(&format!("{what} h={h}"), e, num(want), 1e-9, "expected purchases", beyond_reach(&p, t, h));
            }
        }
        for hv in set["new"].as_array().unwrap() {
            let h = num(&hv[0]);
            w[3].check(
                &format!("{name} new h={h}"),
                mbgnbd::expected_purchases_new(&p, h),
                num(&hv[1]),
                1e-9,
                "expected purchases",
                beyond_reach(&p, 0.0, h),
            );
        }
        for hnv in set["prob"].as_array().unwrap() {
            let (h, n) = (num(&hnv[0]), hnv[1].as_u64().unwrap());
            w[4].check(&format!("{name} P(X({h}) = {n})"), mbgnbd::prob_purchases(&p, n, h), num(&hnv[2]), 1e-9, "probability", false);
        }
    }
    for (what, w) in ["log-likelihood", "P(alive)", "conditional E[X]", "new E[X]", "P(X = n)"].iter().zip(&w) {
        eprintln!("{what}: {} values, worst relative error {:e}, {} errors", w.values, w.worst, w.errors);
    }
}

const XS: [f64; 6] = [0.0, 1.0, 2.0, 50.0, 1e3, 1e5];
const TS: [f64; 5] = [0.0, 1e-3, 1.0, 100.0, 1e4];
const HS: [f64; 6] = [0.0, 1e-4, 1.0, 52.0, 1e3, 1e4];

fn param_grid() -> Vec<MbgNbdParams> {
    let mut v = Vec::new();
    // r = 1e4 only with alpha = 1e4 (a rate near 1): with alpha = 6 the series for the longest
    // horizons run to millions of terms, seconds per parameter set.
    let rates = [1e-8, 0.52, 3.7, 200.0].into_iter().flat_map(|r| [1e-8, 6.2, 1e8].map(|alpha| (r, alpha)));
    for (r, alpha) in rates.chain([(1e4, 1e4)]) {
        for &(a, b) in &[(0.89, 1.61), (1.0, 0.5), (1e-12, 1.6), (0.9, 1e-12), (1e-9, 1e-9), (40.0, 3.0), (0.3, 500.0)] {
            v.push(MbgNbdParams { r, alpha, a, b });
        }
    }
    v
}

/// Ok: finite, >= 0 (and <= 1 for a probability); Err: allowed kind, names `quantity`. Returns 1 for an error.
fn finite_or_err(what: &str, v: Result<f64, CrmError>, quantity: &str, probability: bool) -> u64 {
    match v {
        Ok(v) => {
            assert!(v.is_finite() && v >= 0.0 && (!probability || v <= 1.0), "{what}: {v}");
            0
        }
        Err(e) => {
            check_error(what, &e, quantity);
            1
        }
    }
}

#[test]
fn predictors_never_return_nan() {
    let (mut cases, mut errors) = (0u64, 0u64);
    for p in param_grid() {
        for &x in &XS {
            for &t in &TS {
                for tx in [0.0, t / 2.0, t] {
                    if x == 0.0 && tx > 0.0 {
                        continue;
                    }
                    let what = format!("{p:?} x={x} t_x={tx} T={t}");
                    let alive = mbgnbd::p_alive(&p, x, tx, t).unwrap();
                    assert!((0.0..=1.0).contains(&alive), "{what}: P(alive) {alive}");
                    let ll = mbgnbd::log_likelihood(&p, x, tx, t);
                    assert!(!ll.is_nan() && ll < f64::INFINITY, "{what}: LL {ll}");
                    let mut last = 0.0;
                    for &h in &HS {
                        cases += 1;
                        let e = mbgnbd::expected_purchases(&p, x, tx, t, h);
                        errors += finite_or_err(&format!("{what} h={h}"), e.clone(), "expected purchases", false);
                        if let Ok(e) = e {
                            assert!(e >= last * (1.0 - 1e-9), "{what}: not monotone at h={h}: {e} < {last}");
                            last = e;
                        }
                    }
                }
            }
        }
        for &h in &HS {
            cases += 1;
            errors += finite_or_err(&format!("{p:?} new h={h}"), mbgnbd::expected_purchases_new(&p, h), "expected purchases", false);
            for n in [0u64, 1, 5, 1000] {
                cases += 1;
                errors += finite_or_err(&format!("{p:?} P(X({h}) = {n})"), mbgnbd::prob_purchases(&p, n, h), "probability", true);
            }
        }
    }
    eprintln!("{cases} predictions, {errors} errors");
}

#[test]
fn invalid_inputs_are_errors_not_nan() {
    let p = MbgNbdParams { r: 0.5248, alpha: 6.183, a: 0.8914, b: 1.614 };
    for bad in [MbgNbdParams { a: 0.0, ..p }, MbgNbdParams { r: f64::INFINITY, ..p }, MbgNbdParams { alpha: f64::NAN, ..p }] {
        let e = mbgnbd::p_alive(&bad, 2.0, 1.0, 2.0).unwrap_err();
        assert!(e.kind == ErrorKind::InvalidParameter && e.message.starts_with("MBG/NBD parameter"), "{e:?}");
        assert!(mbgnbd::expected_purchases(&bad, 2.0, 1.0, 2.0, 1.0).is_err());
        assert!(mbgnbd::expected_purchases_new(&bad, 1.0).is_err());
        assert!(mbgnbd::prob_purchases(&bad, 1, 1.0).is_err());
        assert_eq!(mbgnbd::log_likelihood(&bad, 2.0, 1.0, 2.0), f64::NEG_INFINITY);
    }
    for (x, tx, t) in [(-1.0, 0.0, 1.0), (2.5, 1.0, 2.0), (2.0, 3.0, 2.0), (0.0, 1.0, 2.0), (1.0, f64::NAN, 2.0), (1.0, 1.0, f64::INFINITY)]
    {
        let e = mbgnbd::p_alive(&p, x, tx, t).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidParameter, "{x} {tx} {t}");
        assert!(mbgnbd::expected_purchases(&p, x, tx, t, 1.0).is_err());
        assert_eq!(mbgnbd::log_likelihood(&p, x, tx, t), f64::NEG_INFINITY);
    }
}

proptest! {
    #[test]
    fn p_alive_is_a_probability_and_expectations_grow_with_the_horizon(x in 0u32..10_000, frac in 0.0f64..=1.0,
            t in 0.0f64..1e3, h1 in 0.0f64..1e3, dh in 0.0f64..1e3, r in 1e-2f64..20.0, alpha in 1e-2f64..100.0,
            a in 1e-2f64..20.0, b in 1e-2f64..20.0) {
        let p = MbgNbdParams { r, alpha, a, b };
        let tx = if x == 0 { 0.0 } else { frac * t };
        let v = mbgnbd::p_alive(&p, x as f64, tx, t).unwrap();
        prop_assert!((0.0..=1.0).contains(&v));
        let e1 = mbgnbd::expected_purchases(&p, x as f64, tx, t, h1).unwrap();
        let e2 = mbgnbd::expected_purchases(&p, x as f64, tx, t, h1 + dh).unwrap();
        prop_assert!(e1 >= 0.0 && e1.is_finite());
        prop_assert!(e2 >= e1 * (1.0 - 1e-12), "{} < {}", e2, e1);
        prop_assert!(!mbgnbd::log_likelihood(&p, x as f64, tx, t).is_nan());
    }
}
