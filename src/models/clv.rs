//! Customer lifetime value from a BG/NBD and a Gamma-Gamma model (crm_core::clv).

use crate::models::bgnbd::crm_bgnbd;
use crate::models::gamma_gamma::crm_gamma_gamma;
use crate::pg::errors::raise;
use crate::pg::row_call::row_function;
use crm_core::clv::scorer::ClvScorer;
use crm_core::error::CrmError;
use pgrx::prelude::*;

// crm_clv(bg, gg, frequency, recency, t, monetary, months => 12, discount => 0.01): the
// discounted CLV over `months` months, the sum over months k of expected spend times expected
// purchases in month k, divided by (1 + discount)^k. Months are converted with the BG/NBD model's unit.
row_function!(pg_finfo_crm_clv, crm_clv, |a| {
    let mut models = a.models::<ClvScorer>();
    let ((bg, unit), gg, months, discount) = (models.model::<crm_bgnbd>(0), models.model::<crm_gamma_gamma>(1), a.i32(6), a.f64(7));
    let unit = unit.unwrap_or(crm_core::summary::units::TimeUnit::Week);
    let Ok(months) = u32::try_from(months) else { raise(CrmError::invalid(format!("months must not be negative, got {months}"))) };
    a.ret_f64(models.cache.with_scorer(
        |s| s.is_for(&bg, &gg.0, months, discount, unit),
        || ClvScorer::new(bg, gg.0, months, discount, unit),
        |s| s.clv(a.f64(2), a.f64(3), a.f64(4), a.f64(5)),
    ))
});

extension_sql!(
    r#"
CREATE FUNCTION crm_clv(bg crm_bgnbd, gg crm_gamma_gamma, frequency float8, recency float8, t float8, monetary float8,
                        months integer DEFAULT 12, discount float8 DEFAULT 0.01)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm_clv';
COMMENT ON FUNCTION crm_clv(crm_bgnbd, crm_gamma_gamma, float8, float8, float8, float8, integer, float8) IS 'Customer lifetime value over months (default 12) with a monthly discount rate (default 0.01), as the lifetimes library computes it; frequency, recency, t in the BG/NBD model''s unit, monetary = mean spend per repeat purchase.';
"#,
    name = "crm_clv_function",
    requires = [crm_bgnbd, crm_gamma_gamma]
);
