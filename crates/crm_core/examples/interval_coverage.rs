//! Coverage of the 90% parameter intervals (log-scale Wald, from the fits' standard errors) on
//! simulated data, per model and parameter, and of the delta-method interval of one customer's
//! expected purchases: [`crm_core::intervals::coverage`].
//! Run: `cargo run -p crm_core --release --example interval_coverage -- <datasets> <customers> <seed>`
//! (defaults 200, 10000, 20240601). Prints a markdown table and the wall time of each model.

use std::time::Instant;

use crm_core::intervals::coverage::{parameter_coverage, CoverageModel, PREDICTION_CUSTOMER, T_MAX};

const LEVEL: f64 = 0.9;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: u64| -> u64 {
        args.get(i).map_or(default, |a| {
            a.replace(['_', ','], "").parse().unwrap_or_else(|_| panic!("argument {} must be a whole number, got {a}", i + 1))
        })
    };
    let datasets = u32::try_from(arg(0, 200)).expect("datasets fit in 32 bits");
    let customers = arg(1, 10_000);
    let seed = arg(2, 20240601);
    println!("{}% intervals, {datasets} data sets of {customers} customers (T ~ Uniform(0, {T_MAX}] weeks), seed {seed}", LEVEL * 100.0);
    let se = (LEVEL * (1.0 - LEVEL) / f64::from(datasets)).sqrt();
    println!("(one binomial standard error of a share of {}% over {datasets} data sets: {:.1}%)\n", LEVEL * 100.0, se * 100.0);
    println!("| model | parameter | true value | coverage | data sets fitted | wall time s |");
    println!("|---|---|---|---|---|---|");
    let mut total = 0.0;
    for model in CoverageModel::ALL {
        let started = Instant::now();
        let c = match parameter_coverage(model, datasets, customers, seed, LEVEL, &mut || {}) {
            Ok(c) => c,
            Err(e) => {
                println!("| {} | error: {e} | | | | |", model.name());
                continue;
            }
        };
        let secs = started.elapsed().as_secs_f64();
        total += secs;
        for (i, name) in model.parameter_names().iter().enumerate() {
            println!(
                "| {} | {name} | {} | {:.1}% | {}/{} | {secs:.1} |",
                model.name(),
                model.true_parameters()[i],
                100.0 * c.rate(i),
                c.fitted,
                c.datasets
            );
        }
        let (x, t_x, t, h) = PREDICTION_CUSTOMER;
        println!(
            "| {} | E[X({h}) \\| x={x}, t_x={t_x}, T={t}] (delta) | {:.6} | {:.1}% | {}/{} | {secs:.1} |",
            model.name(),
            model.prediction(&model.true_parameters()).unwrap_or(f64::NAN),
            100.0 * c.prediction_rate(),
            c.fitted,
            c.datasets
        );
    }
    println!("\ntotal wall time {total:.1} s");
}
