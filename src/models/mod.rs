//! The models in SQL: one file per model (a folder for BG/NBD, with its simulation) and the
//! layer they share: the generic model value and SQL type (`model_value`, `model_type`), the
//! accessors, comparison and JSON text form (`model_common`), parameter and prediction intervals,
//! the BG/NBD + Gamma-Gamma CLV and `crm_model_compare`.

mod bgbb;
pub(crate) mod bgnbd;
mod clv;
pub(crate) mod gamma_gamma;
mod intervals;
mod mbgnbd;
pub(crate) mod model_common;
mod model_compare;
mod model_text;
mod model_type;
mod model_value;
mod pareto_nbd;
mod sbg;
