//! MBG/NBD over extreme inputs: values within 1e-9 of mpmath (60 digits, formulas written
//! independently: tests/golden/mbgnbd.json from scripts/golden/mbgnbd_golden.py) on a grid with
//! a near and at 1, tiny a and b, huge and tiny alpha and r, x up to 1e4 and horizons up to 1e4;
//! never NaN or infinity anywhere, and every failure an InvalidParameter or OutOfRange error
//! whose message names the quantity.

use crm_core::error::{CrmError, ErrorKind};
use crm_core::models::mbgnbd::{self, MbgNbdParams};
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
    fn check(&mut self, what: &str, got: Result<f64, CrmError>, want: f64, tol: f64, quantity: &str) {
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
                check_error(what, &e, quantity);
            }
        }
    }
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
            w[1].check(&what, mbgnbd::p_alive(&p, x, tx, t), num(&c["p_alive"]), 1e-9, "probability alive");
            for (h, want) in c["horizons"].as_array().unwrap().iter().zip(c["expected"].as_array().unwrap()) {
                let h = num(h);
                w[2].check(&format!("{what} h={h}"), mbgnbd::expected_purchases(&p, x, tx, t, h), num(want), 1e-9, "expected purchases");
            }
        }
        for hv in set["new"].as_array().unwrap() {
            let h = num(&hv[0]);
            w[3].check(&format!("{name} new h={h}"), mbgnbd::expected_purchases_new(&p, h), num(&hv[1]), 1e-9, "expected purchases");
        }
        for hnv in set["prob"].as_array().unwrap() {
            let (h, n) = (num(&hnv[0]), hnv[1].as_u64().unwrap());
            w[4].check(&format!("{name} P(X({h}) = {n})"), mbgnbd::prob_purchases(&p, n, h), num(&hnv[2]), 1e-9, "probability");
        }
    }
    for (what, w) in ["log-likelihood", "P(alive)", "conditional E[X]", "new E[X]", "P(X = n)"].iter().zip(&w) {
        eprintln!("{what}: {} values, worst relative error {:e}, {} errors", w.values, w.worst, w.errors);
    }
}
