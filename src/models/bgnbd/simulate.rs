//! crm_bgnbd_simulate: synthetic customers from the BG/NBD (and Gamma-Gamma) process.

use crate::pg::errors::{raise, OrRaise};
use crate::pg::relation_query::required;
use crm_core::error::CrmError;
use crm_core::models::bgnbd::BgNbdParams;
use crm_core::models::gamma_gamma::GammaGammaParams;
use pgrx::prelude::*;

/// n customers drawn from BG/NBD(r, alpha, a, b), with Gamma-Gamma(p, q, v) spend when given;
/// T ~ Uniform(0, t_max]; deterministic for a seed.
#[pg_extern(immutable, parallel_safe)]
#[allow(clippy::too_many_arguments)]
fn crm_bgnbd_simulate(
    n: Option<i64>,
    r: Option<f64>,
    alpha: Option<f64>,
    a: Option<f64>,
    b: Option<f64>,
    p: default!(Option<f64>, "NULL"),
    q: default!(Option<f64>, "NULL"),
    v: default!(Option<f64>, "NULL"),
    t_max: default!(Option<f64>, 52.0),
    seed: default!(Option<i64>, 42),
) -> TableIterator<'static, (name!(customer_id, i64), name!(frequency, i64), name!(recency, f64), name!(t, f64), name!(monetary, f64))> {
    // p, q, v may be NULL (no spend), so the function is not strict: the others are checked here (22004)
    let [r, alpha, a, b, t_max] = [("r", r), ("alpha", alpha), ("a", a), ("b", b), ("t_max", t_max)].map(|(name, v)| required(v, name));
    let (n, seed) = (required(n, "n"), required(seed, "seed"));
    if n < 0 {
        raise(CrmError::invalid(format!("number of customers must not be negative, got {n}")));
    }
    let gg = match (p, q, v) {
        (Some(p), Some(q), Some(v)) => Some(GammaGammaParams { p, q, v }),
        (None, None, None) => None,
        _ => raise(
            CrmError::invalid("the Gamma-Gamma parameters p, q, v must be given together")
                .with_hint("pass all three for simulated spend, or none"),
        ),
    };
    let bg = BgNbdParams { r, alpha, a, b };
    let customers = crm_core::models::bgnbd::simulate(
        n as u64,
        &bg,
        gg.as_ref(),
        t_max,
        seed as u64,
        &mut crate::pg::aggregate_support::check_interrupts,
    )
    .or_raise();
    TableIterator::new(customers.into_iter().map(|c| (c.id as i64, c.frequency as i64, c.recency, c.t, c.monetary)))
}

extension_sql!(
    r#"COMMENT ON FUNCTION crm_bgnbd_simulate(bigint, float8, float8, float8, float8, float8, float8, float8, float8, bigint) IS 'Synthetic customers drawn from the BG/NBD process (and Gamma-Gamma spend when p, q, v are given): frequency = repeat purchases, recency and t in the unit of alpha, T uniform on (0, t_max]. Deterministic for a seed.';"#,
    name = "crm_bgnbd_simulate_comment",
    requires = [crm_bgnbd_simulate]
);
