//! Timing of the Pareto/NBD fit on (x, t_x, T) CSV files (a header line, then x,t_x,T columns,
//! or id,x,t_x,T with `--id`). Run:
//! `cargo run --release -p crm_core --example pnbd_bench -- /work/flo_rft.csv`
//! Prints the estimate at full precision, the log-likelihood, iterations and the fit time.

use std::time::Instant;

use crm_core::summary::rft::BgNbdSummary;

use crm_core::models::fit_options::FitOptions;
use crm_core::models::pareto_nbd;

fn main() {
    let mut skip_id = false;
    for arg in std::env::args().skip(1) {
        if arg == "--id" {
            skip_id = true;
            continue;
        }
        let text = std::fs::read_to_string(&arg).expect("readable CSV");
        let mut s = BgNbdSummary::default();
        for l in text.lines().skip(1) {
            let f: Vec<f64> = l.trim().split(',').skip(usize::from(skip_id)).map(|v| v.parse().expect("number")).collect();
            s.add(f[0], f[1], f[2]).expect("valid row");
        }
        s.compact();
        let t = Instant::now();
        let f = pareto_nbd::fit(&s, &FitOptions::default(), &mut || {}).expect("fit");
        let secs = t.elapsed().as_secs_f64();
        println!("{arg}: {} distinct rows, fit {secs:.3} s, {} iterations, converged {}", s.distinct(), f.iterations, f.converged);
        println!("  params {:?}", f.params);
        println!("  log_likelihood {:.12}", f.log_likelihood);
        println!("  std_errors {:?}", f.std_errors);
    }
}
