//! Customer lifetime value from a BG/NBD and a Gamma-Gamma model (crm_core::clv).

use crate::errors::raise;
use crate::model_args::{with_scorer, BgNbdArg, GammaGammaArg};
use crm_core::clv::ClvScorer;
use crm_core::error::CrmError;
use pgrx::prelude::*;
use std::cell::RefCell;

thread_local! {
    /// The scorer of the last call: scoring a table reuses it (and what it remembers) row after row.
    static SCORER: RefCell<Option<ClvScorer>> = const { RefCell::new(None) };
}

/// The discounted CLV over `months` months: sum over months k of expected spend times expected
/// purchases in month k, divided by (1 + discount)^k. Months are converted with the BG/NBD model's unit.
#[pg_extern(immutable, parallel_safe)]
#[allow(clippy::too_many_arguments)]
pub fn crm_clv(
    bg: BgNbdArg,
    gg: GammaGammaArg,
    frequency: f64,
    recency: f64,
    t: f64,
    monetary: f64,
    months: default!(i32, 12),
    discount: default!(f64, 0.01),
) -> f64 {
    if months < 0 {
        raise(CrmError::invalid(format!("months must not be negative, got {months}")));
    }
    let months = months as u32;
    with_scorer(
        &SCORER,
        |s| s.is_for(&bg.params, &gg.params, months, discount, bg.unit),
        || ClvScorer::new(bg.params, gg.params, months, discount, bg.unit),
        |s| s.clv(frequency, recency, t, monetary),
    )
}

extension_sql!(
    r#"COMMENT ON FUNCTION crm_clv(crm_bgnbd, crm_gamma_gamma, float8, float8, float8, float8, integer, float8) IS 'Customer lifetime value over months (default 12) with a monthly discount rate (default 0.01), as the lifetimes library computes it; frequency, recency, t in the BG/NBD model''s unit, monetary = mean spend per repeat purchase.';"#,
    name = "crm_clv_comment",
    requires = [crm_clv]
);
