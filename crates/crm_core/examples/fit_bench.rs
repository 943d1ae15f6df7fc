//! Timing of BG/NBD and Gamma-Gamma fits on simulated customers with the CDNOW parameters.
//! Run: `cargo run --release -p crm_core --example fit_bench [customers...]`
//! Prints one row per size: simulation, summary building, BG/NBD fit (continuous times, every
//! row distinct), BG/NBD fit with times rounded to days (as SQL dates give), Gamma-Gamma fit
//! with continuous mean spend (as the SQL benchmark passes it) and with spend rounded to cents;
//! then the Gamma-Gamma estimates at full precision (to compare versions of the fit).

use std::time::Instant;

use crm_core::models::bgnbd::simulate;
use crm_core::models::bgnbd::{self, BgNbdParams};
use crm_core::models::fit_options::FitOptions;
use crm_core::models::gamma_gamma::{self, GammaGammaFit, GammaGammaParams, GammaGammaSummary};
use crm_core::summary::rft::BgNbdSummary;

fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

fn timed_gg(g: &GammaGammaSummary) -> (GammaGammaFit, f64) {
    let t = Instant::now();
    let f = gamma_gamma::fit(g, &FitOptions::default(), &mut || {}).unwrap();
    (f, secs(t))
}

fn main() {
    let sizes: Vec<u64> = std::env::args().skip(1).map(|a| a.parse().expect("customer count")).collect();
    let sizes = if sizes.is_empty() { vec![10_000, 100_000, 1_000_000] } else { sizes };
    let bg = BgNbdParams { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };
    let gg = GammaGammaParams { p: 6.25, q: 3.74, v: 15.44 };
    println!(
        "{:>10} {:>8} {:>8} {:>9} {:>9} {:>6} {:>9} {:>9} {:>6} {:>9} {:>9} {:>6} {:>9} {:>9} {:>6}",
        "customers",
        "sim s",
        "sum s",
        "distinct",
        "bg fit s",
        "iters",
        "distinct",
        "bg day s",
        "iters",
        "gg dist",
        "gg fit s",
        "iters",
        "gg ¢ dist",
        "gg ¢ s",
        "iters"
    );
    let mut estimates = Vec::new();
    for n in sizes {
        let t = Instant::now();
        let cs = simulate(n, &bg, Some(&gg), 78.0, 42, &mut || {}).unwrap();
        let sim = secs(t);
        let t = Instant::now();
        let (mut s, mut days) = (BgNbdSummary::default(), BgNbdSummary::default());
        let (mut g, mut cents) = (GammaGammaSummary::default(), GammaGammaSummary::default());
        for c in &cs {
            s.add(c.frequency as f64, c.recency, c.t).unwrap();
            // Whole days, in weeks.
            let day = |w: f64| (w * 7.0).round() / 7.0;
            days.add(c.frequency as f64, day(c.recency), day(c.t).max(day(c.recency))).unwrap();
            g.add(c.frequency as f64, c.monetary).unwrap();
            cents.add(c.frequency as f64, (c.monetary * 100.0).round() / 100.0).unwrap();
        }
        s.compact();
        days.compact();
        let summ = secs(t);
        let t = Instant::now();
        let f = bgnbd::fit(&s, &FitOptions::default(), &mut || {}).unwrap();
        let fit_s = secs(t);
        let t = Instant::now();
        let fd = bgnbd::fit(&days, &FitOptions::default(), &mut || {}).unwrap();
        let fit_d = secs(t);
        let (fg, fit_g) = timed_gg(&g);
        let (fc, fit_c) = timed_gg(&cents);
        println!(
            "{n:>10} {sim:>8.3} {summ:>8.3} {:>9} {fit_s:>9.3} {:>6} {:>9} {fit_d:>9.3} {:>6} {:>9} {fit_g:>9.3} {:>6} {:>9} {fit_c:>9.3} {:>6}",
            s.distinct(),
            f.iterations,
            days.distinct(),
            fd.iterations,
            g.distinct(),
            fg.iterations,
            cents.distinct(),
            fc.iterations
        );
        estimates.push((n, "continuous", fg));
        estimates.push((n, "cents", fc));
    }
    println!("\nGamma-Gamma estimates (p, q, v, log-likelihood, converged):");
    for (n, kind, f) in estimates {
        let GammaGammaParams { p, q, v } = f.params;
        println!("{n:>10} {kind:<10} {p:.16e} {q:.16e} {v:.16e} {:.16e} {}", f.log_likelihood, f.converged);
    }
}
