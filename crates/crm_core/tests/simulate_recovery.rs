//! Parameter recovery: simulate customers with the CDNOW parameters (weeks, T ~ U(0, 78]), fit,
//! and compare. Each test states how many of the fit's own standard errors its tolerance spans
//! (checked), so a pass is not luck of the seed.

use crm_core::models::bgnbd::simulate;
use crm_core::models::bgnbd::{self, BgNbdParams};
use crm_core::models::fit_options::FitOptions;
use crm_core::models::gamma_gamma::{self, GammaGammaParams, GammaGammaSummary};
use crm_core::summary::rft::BgNbdSummary;

const BG: BgNbdParams = BgNbdParams { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };
const GG: GammaGammaParams = GammaGammaParams { p: 6.25, q: 3.74, v: 15.44 };

fn recover(n: u64, tol: f64, sigmas: f64) {
    let cs = simulate(n, &BG, Some(&GG), 78.0, 20240601, &mut || {}).unwrap();
    assert_eq!(cs.len() as u64, n);
    let (mut s, mut g) = (BgNbdSummary::default(), GammaGammaSummary::default());
    for c in &cs {
        s.add(c.frequency as f64, c.recency, c.t).unwrap();
        g.add(c.frequency as f64, c.monetary).unwrap();
    }
    let fit = bgnbd::fit(&s, &FitOptions::default(), &mut || {}).unwrap();
    let se = fit.std_errors.unwrap();
    let p = fit.params;
    eprintln!("n = {n}: {p:?}, SE {se:?}");
    for (i, (got, want)) in [(p.r, BG.r), (p.alpha, BG.alpha), (p.a, BG.a), (p.b, BG.b)].into_iter().enumerate() {
        assert!(((got - want) / want).abs() < tol, "param {i}: got {got}, want {want}");
        assert!(se[i] / want < tol / sigmas, "param {i}: SE {} too large for the tolerance", se[i]);
    }
    let gfit = gamma_gamma::fit(&g, &FitOptions::default(), &mut || {}).unwrap();
    let gp = gfit.params;
    eprintln!("Gamma-Gamma: {gp:?}, SE {:?}", gfit.std_errors);
    for (got, want) in [(gp.p, GG.p), (gp.q, GG.q), (gp.v, GG.v)] {
        assert!(((got - want) / want).abs() < 3.0 * tol, "got {got}, want {want}");
    }
}

#[test]
fn recovers_cdnow_parameters_from_200k_customers() {
    // b has the largest relative SE (about 2.9% at this size): 9% is 3 SEs.
    recover(200_000, 0.09, 3.0);
}

/// 1,000,000 customers, each parameter within 3% (2 SEs of b or more). Slow in debug builds:
/// `cargo test --release -p crm_core --test simulate_recovery -- --ignored`.
#[test]
#[ignore]
fn recovers_cdnow_parameters_from_1m_customers() {
    recover(1_000_000, 0.03, 2.0);
}

#[test]
fn simulation_is_deterministic_and_documented() {
    let a = simulate(1000, &BG, Some(&GG), 39.0, 7, &mut || {}).unwrap();
    let b = simulate(1000, &BG, Some(&GG), 39.0, 7, &mut || {}).unwrap();
    let c = simulate(1000, &BG, Some(&GG), 39.0, 8, &mut || {}).unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    for s in &a {
        assert!(s.t > 0.0 && s.t <= 39.0 && s.recency <= s.t);
        assert_eq!(s.frequency == 0, s.recency == 0.0);
        assert_eq!(s.frequency == 0, s.monetary == 0.0);
    }
    let no_spend = simulate(100, &BG, None, 39.0, 7, &mut || {}).unwrap();
    assert!(no_spend.iter().all(|s| s.monetary == 0.0));
    assert!(simulate(10, &BG, None, 0.0, 1, &mut || {}).is_err());
    assert!(simulate(10, &BgNbdParams { r: -1.0, ..BG }, None, 39.0, 1, &mut || {}).is_err());
}
