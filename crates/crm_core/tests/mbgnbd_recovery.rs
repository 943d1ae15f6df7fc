//! MBG/NBD parameter recovery: simulate customers with lifetimes' CDNOW estimate (weeks,
//! T ~ U(0, 78]), fit, compare. Each test states how many of the fit's own standard errors its
//! tolerance spans (checked), so a pass is not luck of the seed.

use crm_core::summary::rft::BgNbdSummary;

use crm_core::models::fit_options::FitOptions;
use crm_core::models::mbgnbd::{self, MbgNbdParams};

const MBG: MbgNbdParams = MbgNbdParams { r: 0.5248, alpha: 6.183, a: 0.8914, b: 1.614 };

fn recover(n: u64, tol: f64, sigmas: f64) {
    let started = std::time::Instant::now();
    let cs = mbgnbd::simulate(n, &MBG, 78.0, 20240601, &mut || {}).unwrap();
    assert_eq!(cs.len() as u64, n);
    let mut s = BgNbdSummary::default();
    for c in &cs {
        s.add(c.frequency as f64, c.recency, c.t).unwrap();
    }
    s.compact();
    let simulated = started.elapsed();
    let fit = mbgnbd::fit(&s, &FitOptions::default(), &mut || {}).unwrap();
    let se = fit.std_errors.unwrap();
    eprintln!(
        "n = {n} ({} distinct rows): {:?}, SE {se:?}, {} iterations, simulated in {simulated:?}, fitted in {:?}",
        s.distinct(),
        fit.params,
        fit.iterations,
        started.elapsed() - simulated
    );
    assert!(fit.converged);
    for (i, want) in [MBG.r, MBG.alpha, MBG.a, MBG.b].into_iter().enumerate() {
        let got = fit.params[i];
        assert!(((got - want) / want).abs() < tol, "param {i}: got {got}, want {want}");
        assert!(se[i] / want < tol / sigmas, "param {i}: SE {} too large for the tolerance", se[i]);
    }
}

#[test]
fn recovers_parameters_from_100k_customers() {
    // a and b have the largest relative SEs; the tolerance is at least 3 of each parameter's SEs.
    recover(100_000, 0.17, 3.0);
}

/// 1,000,000 customers, each parameter within 3% (at least 2 SEs). Slow in debug builds:
/// `cargo test --release -p crm_core --test mbgnbd_recovery -- --ignored`.
#[test]
#[ignore]
fn recovers_parameters_from_1m_customers() {
    recover(1_000_000, 0.03, 1.75);
}

#[test]
fn simulation_is_deterministic_and_one_time_buyers_drop_out_at_time_zero() {
    let a = mbgnbd::simulate(20_000, &MBG, 39.0, 7, &mut || {}).unwrap();
    assert_eq!(a, mbgnbd::simulate(20_000, &MBG, 39.0, 7, &mut || {}).unwrap());
    assert_ne!(a, mbgnbd::simulate(20_000, &MBG, 39.0, 8, &mut || {}).unwrap());
    for c in &a {
        assert!(c.t > 0.0 && c.t <= 39.0 && c.recency <= c.t && c.monetary == 0.0);
        assert_eq!(c.frequency == 0, c.recency == 0.0);
    }
    // With p near 1 (a >> b) almost every customer drops out at time 0: no repeat purchase,
    // however fast they would buy. (BG/NBD's process would give each at least one.)
    let gone = MbgNbdParams { r: 100.0, alpha: 1.0, a: 1000.0, b: 1e-3 };
    let cs = mbgnbd::simulate(1000, &gone, 39.0, 1, &mut || {}).unwrap();
    assert!(cs.iter().all(|c| c.frequency == 0), "{:?}", cs.iter().find(|c| c.frequency > 0));
    assert!(mbgnbd::simulate(10, &MBG, 0.0, 1, &mut || {}).is_err());
    assert!(mbgnbd::simulate(10, &MbgNbdParams { r: -1.0, ..MBG }, 39.0, 1, &mut || {}).is_err());
    let e = mbgnbd::simulate(10, &MBG, 1e300, 1, &mut || {}).unwrap_err();
    assert_eq!(e.message, "simulation would generate too many purchases");
    let mut calls = 0usize;
    mbgnbd::simulate(100_000, &MBG, 39.0, 3, &mut || calls += 1).unwrap();
    assert!(calls >= 100_000 / 65_536, "{calls} interrupt checks");
}
