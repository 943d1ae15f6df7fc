//! Pareto/NBD predictors against lifetimes 0.11.3 on every CDNOW customer (fixed parameters) and
//! against mpmath (50 digits, the papers' closed forms) on an extreme grid of parameters and
//! customers. Golden values: tests/golden/pareto_nbd_golden.json, written by
//! scripts/golden/pareto_nbd_golden.py.

use crm_core::models::pareto_nbd::{self, ParetoNbdParams};
use serde_json::Value;

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/pareto_nbd_golden.json");

fn golden() -> Value {
    serde_json::from_str(&std::fs::read_to_string(GOLDEN).expect("golden file")).expect("golden JSON")
}

fn params(v: &Value) -> ParetoNbdParams {
    let a: Vec<f64> = v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
    ParetoNbdParams { r: a[0], alpha: a[1], s: a[2], beta: a[3] }
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

/// Relative difference, with an absolute floor for values near 0 (probabilities).
fn rel(got: f64, want: f64, floor: f64) -> f64 {
    (got - want).abs() / want.abs().max(floor)
}

/// Tracks the worst relative error of each quantity and how many values were compared.
#[derive(Default)]
struct Worst(Vec<(String, f64, String)>, usize);

impl Worst {
    fn see(&mut self, what: &str, err: f64, at: impl FnOnce() -> String) {
        self.1 += 1;
        match self.0.iter_mut().find(|w| w.0 == what) {
            Some(w) if err > w.1 => (w.1, w.2) = (err, at()),
            Some(_) => {}
            None => self.0.push((what.to_string(), err, at())),
        }
    }
    fn check(&self, tol: &dyn Fn(&str) -> f64, at_least: usize) {
        eprintln!("{} values compared", self.1);
        assert!(self.1 >= at_least, "only {} values compared", self.1);
        for (what, err, at) in &self.0 {
            eprintln!("{what}: worst relative error {err:.2e} at {at}");
        }
        for (what, err, at) in &self.0 {
            assert!(*err <= tol(what), "{what}: relative error {err:e} at {at}");
        }
    }
}

#[test]
fn every_cdnow_customer_matches_lifetimes() {
    let g = golden();
    let c = &g["cdnow"];
    let p = params(&c["params"]);
    let mut w = Worst::default();
    for row in c["customers"].as_array().unwrap() {
        let (x, tx, t) = (f(&row["x"]), f(&row["t_x"]), f(&row["T"]));
        let at = || format!("({x}, {tx}, {t})");
        w.see("log-likelihood", rel(pareto_nbd::log_likelihood(&p, x, tx, t), f(&row["ll"]), 1.0), at);
        w.see("p_alive", rel(pareto_nbd::p_alive(&p, x, tx, t).unwrap(), f(&row["p_alive"]), 1e-300), at);
        w.see("expected_purchases", rel(pareto_nbd::expected_purchases(&p, x, tx, t, 39.0).unwrap(), f(&row["expected_39"]), 1e-300), at);
        for (n, want) in row["prob_39"].as_array().unwrap().iter().enumerate() {
            let got = pareto_nbd::conditional_prob_purchases(&p, n as u64, x, tx, t, 39.0).unwrap();
            w.see("conditional_prob_purchases", rel(got, f(want), 1e-300), || format!("n = {n} at ({x}, {tx}, {t})"));
        }
    }
    for (t, want) in c["expected_new"].as_object().unwrap() {
        let t: f64 = t.parse().unwrap();
        w.see("expected_purchases_new", rel(pareto_nbd::expected_purchases_new(&p, t).unwrap(), f(want), 1e-300), || format!("t = {t}"));
    }
    // 2,357 customers x 7 values, and 3 new-customer expectations.
    w.check(&|_| 1e-6, 2357 * 7 + 3);
}

#[test]
fn extreme_grid_matches_mpmath() {
    let g = golden();
    let meta = &g["grid_meta"];
    let deltas: Vec<f64> = meta["deltas"].as_array().unwrap().iter().map(f).collect();
    let ns: Vec<u64> = meta["n"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    let new_ns: Vec<u64> = meta["new_n"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    let h = f(&meta["horizon"]);
    let mut w = Worst::default();
    for case in g["grid"].as_array().unwrap() {
        let p = params(&case["params"]);
        for new in case["new"].as_array().unwrap() {
            let t = f(&new["t"]);
            let at = || format!("{p:?} t = {t}");
            w.see("expected_purchases_new", rel(pareto_nbd::expected_purchases_new(&p, t).unwrap(), f(&new["expected"]), 1e-300), at);
            for (n, want) in new_ns.iter().zip(new["prob"].as_array().unwrap()) {
                if want.is_null() {
                    continue;
                }
                let got = pareto_nbd::prob_purchases(&p, *n, t).unwrap();
                w.see("prob_purchases", rel(got, f(want), 1e-300), || format!("{p:?} n = {n} t = {t}: {got:e} vs {want}"));
            }
        }
        for c in case["customers"].as_array().unwrap() {
            let (x, tx, t) = (f(&c["x"]), f(&c["t_x"]), f(&c["T"]));
            let at = || format!("{p:?} ({x}, {tx}, {t})");
            w.see("log-likelihood", rel(pareto_nbd::log_likelihood(&p, x, tx, t), f(&c["ll"]), 1.0), at);
            w.see("p_alive", rel(pareto_nbd::p_alive(&p, x, tx, t).unwrap(), f(&c["p_alive"]), 1e-300), at);
            w.see("expected_purchases", rel(pareto_nbd::expected_purchases(&p, x, tx, t, h).unwrap(), f(&c["expected_39"]), 1e-300), at);
            for (n, want) in ns.iter().zip(c["prob_39"].as_array().unwrap()) {
                if want.is_null() {
                    continue;
                }
                let got = pareto_nbd::conditional_prob_purchases(&p, *n, x, tx, t, h).unwrap();
                w.see("conditional_prob_purchases", rel(got, f(want), 1e-300), || {
                    format!("{p:?} n = {n} ({x}, {tx}, {t}): {got:e} vs {want}")
                });
            }
            for (delta, want) in deltas.iter().zip(c["dert"].as_array().unwrap()) {
                let got = pareto_nbd::dert(&p, x, tx, t, *delta).unwrap();
                w.see("dert", rel(got, f(want), 1e-300), || format!("{p:?} delta = {delta} ({x}, {tx}, {t}): {got:e} vs {want}"));
            }
        }
    }
    for v in g["hyperu"].as_array().unwrap() {
        let (b, z, want) = (f(&v[0]), f(&v[1]), f(&v[2]));
        w.see("hyperu_a1", rel(pareto_nbd::hyperu_a1(b, z).unwrap(), want, 1e-300), || format!("b = {b}, z = {z}"));
    }
    // 14 parameter sets x (3 horizons x 5 + 11 customers x 8) + 63 U values, none left out.
    w.check(&|_| 1e-9, 14 * (3 * 5 + 11 * 8) + 63);
}
