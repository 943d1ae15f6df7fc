//! Timing of building a BG/NBD summary (appending rows, then compacting) and of the fit, for
//! simulated customers with the CDNOW parameters and continuous times.
//! Run: `cargo run --release -p crm_core --example summary_bench [customers]`

use std::time::Instant;

use crm_core::models::bgnbd::simulate;
use crm_core::models::bgnbd::{self, BgNbdParams};
use crm_core::models::fit_options::FitOptions;
use crm_core::summary::rft::BgNbdSummary;

fn main() {
    let n: u64 = std::env::args().nth(1).map(|a| a.parse().expect("customer count")).unwrap_or(1_000_000);
    let bg = BgNbdParams { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };
    let cs = simulate(n, &bg, None, 78.0, 42, &mut || {}).unwrap();
    println!("{:>10} {:>8} {:>8} {:>8} {:>8}", "customers", "add s", "compact", "fit s", "total");
    let mut best = [f64::INFINITY; 4];
    for _ in 0..9 {
        let t = Instant::now();
        let mut s = BgNbdSummary::default();
        for c in &cs {
            s.add(c.frequency as f64, c.recency, c.t).unwrap();
        }
        let add = t.elapsed().as_secs_f64();
        let t1 = Instant::now();
        s.compact();
        let compact = t1.elapsed().as_secs_f64();
        let t2 = Instant::now();
        let f = bgnbd::fit(&s, &FitOptions::default(), &mut || {}).unwrap();
        let fit = t2.elapsed().as_secs_f64();
        assert!(f.converged);
        let total = t.elapsed().as_secs_f64();
        for (b, v) in best.iter_mut().zip([add, compact, fit, total]) {
            *b = b.min(v);
        }
    }
    println!("{n:>10} {:>8.3} {:>8.3} {:>8.3} {:>8.3}  (best of 9 runs each)", best[0], best[1], best[2], best[3]);
}
