//! BG/BB parameter recovery: simulate customers with the donations estimates of FHS 2010 (six
//! opportunities, as in the data), fit, compare.

use crm_core::models::bgbb::{self, BgBbParams};
use crm_core::models::fit_options::FitOptions;
use crm_core::summary::rft::BgNbdSummary;

const PAPER: BgBbParams = BgBbParams { alpha: 1.204, beta: 0.750, gamma: 0.657, delta: 2.783 };

fn fit_simulated(customers: u64, periods: u64, seed: u64) -> crm_core::models::mle::MleFit<4> {
    let cs = bgbb::simulate(customers, &PAPER, periods, seed, &mut || {}).unwrap();
    assert_eq!(cs.len() as u64, customers);
    let mut s = BgNbdSummary::default();
    for c in &cs {
        assert!(c.frequency <= c.recency && c.recency <= c.periods && (c.frequency > 0 || c.recency == 0));
        s.add(c.frequency as f64, c.recency as f64, c.periods as f64).unwrap();
    }
    let fit = bgbb::fit(&s, &FitOptions::default(), &mut || {}).unwrap();
    eprintln!("{customers} customers, {periods} periods: {fit:?}");
    assert!(fit.converged);
    fit
}

#[test]
fn recovers_the_parameters_from_100k_customers_within_4_standard_errors() {
    let fit = fit_simulated(100_000, 6, 20240601);
    let se = fit.std_errors.unwrap();
    for (i, want) in PAPER.to_array().into_iter().enumerate() {
        let got = fit.params[i];
        assert!((got - want).abs() < 4.0 * se[i], "param {i}: got {got}, want {want}, SE {}", se[i]);
        // and the standard errors are those of a real estimate: delta's, the largest, about 4%
        assert!(se[i] < 0.05 * want, "param {i}: SE {}", se[i]);
    }
}

/// 1,000,000 customers, each parameter within 3% (at least 2 standard errors). About 2 s in
/// release builds: `cargo test --release -p crm_core --test bgbb_recovery -- --ignored`.
#[test]
#[ignore]
fn recovers_the_parameters_from_1m_customers_within_3_percent() {
    let fit = fit_simulated(1_000_000, 6, 20240602);
    let se = fit.std_errors.unwrap();
    for (i, want) in PAPER.to_array().into_iter().enumerate() {
        let got = fit.params[i];
        assert!(((got - want) / want).abs() < 0.03, "param {i}: got {got}, want {want}");
        assert!(2.0 * se[i] < 0.03 * want, "param {i}: SE {} too large for the tolerance", se[i]);
    }
}

#[test]
fn simulation_is_deterministic_and_a_long_history_fits() {
    let a = bgbb::simulate(1000, &PAPER, 6, 7, &mut || {}).unwrap();
    assert_eq!(a, bgbb::simulate(1000, &PAPER, 6, 7, &mut || {}).unwrap());
    assert_ne!(a, bgbb::simulate(1000, &PAPER, 6, 8, &mut || {}).unwrap());
    assert!(bgbb::simulate(10, &BgBbParams { alpha: 0.0, ..PAPER }, 6, 1, &mut || {}).is_err());
    // 500 weekly opportunities: every distinct (x, n) is one sweep per evaluation.
    let started = std::time::Instant::now();
    let fit = fit_simulated(20_000, 500, 11);
    let se = fit.std_errors.unwrap();
    for (i, want) in PAPER.to_array().into_iter().enumerate() {
        assert!((fit.params[i] - want).abs() < 4.0 * se[i], "param {i}: got {}, want {want}, SE {}", fit.params[i], se[i]);
    }
    eprintln!("500 opportunities, simulation and fit: {:?}", started.elapsed());
}
