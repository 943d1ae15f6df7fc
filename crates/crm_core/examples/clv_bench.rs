//! Timing of CLV scoring (12 months, 1% monthly discount) for every simulated customer with the
//! CDNOW BG/NBD parameters, times continuous and rounded to whole days, against exact scoring.
//! Run: `cargo run --release -p crm_core --example clv_bench [customers...]`

use std::time::Instant;

use crm_core::clv::clv;
use crm_core::clv::scorer::ClvScorer;
use crm_core::models::bgnbd::simulate;
use crm_core::models::bgnbd::BgNbdParams;
use crm_core::models::gamma_gamma::GammaGammaParams;
use crm_core::summary::units::TimeUnit;

fn main() {
    let sizes: Vec<u64> = std::env::args().skip(1).map(|a| a.parse().expect("customer count")).collect();
    let sizes = if sizes.is_empty() { vec![100_000, 1_000_000] } else { sizes };
    let bg = BgNbdParams { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };
    let gg = GammaGammaParams { p: 6.25, q: 3.74, v: 15.44 };
    println!("{:>10} {:>10} {:>9} {:>12} {:>10} {:>14}", "customers", "times", "scorer s", "ns/customer", "exact s", "max rel. diff");
    for n in sizes {
        let cs = simulate(n, &bg, Some(&gg), 78.0, 42, &mut || {}).unwrap();
        let day = |w: f64| (w * 7.0).round() / 7.0;
        for (name, rows) in [
            ("continuous", cs.iter().map(|c| (c.frequency as f64, c.recency, c.t, c.monetary)).collect::<Vec<_>>()),
            ("days", cs.iter().map(|c| (c.frequency as f64, day(c.recency), day(c.t).max(day(c.recency)), c.monetary)).collect()),
        ] {
            let t = Instant::now();
            let mut scorer = ClvScorer::new(bg, gg, 12, 0.01, TimeUnit::Week).unwrap();
            let fast: Vec<f64> = rows.iter().map(|&(x, tx, t, m)| scorer.clv(x, tx, t, m).unwrap()).collect();
            let fast_s = t.elapsed().as_secs_f64();
            // Exact scoring of a sample (every 100th customer), timed per customer.
            let t = Instant::now();
            let mut worst = 0.0f64;
            for (i, &(x, tx, tt, m)) in rows.iter().enumerate().step_by(100) {
                let exact = clv(&bg, &gg, x, tx, tt, m, 12, 0.01, TimeUnit::Week).unwrap();
                worst = worst.max((fast[i] - exact).abs() / exact.abs().max(f64::MIN_POSITIVE));
            }
            let exact_s = t.elapsed().as_secs_f64() * 100.0;
            println!("{n:>10} {name:>10} {fast_s:>9.3} {:>12.0} {exact_s:>10.3} {worst:>14.1e}", fast_s * 1e9 / n as f64);
        }
    }
}
