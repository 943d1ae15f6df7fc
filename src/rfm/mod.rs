//! RFM in SQL: the per-customer metrics aggregate `crm_rfm` (`metrics`), quantile scores as
//! pandas computes them (`scoring`) and their aggregates (`sample_aggregates`: qcut edges and
//! outlier limits), segment maps, and `crm_rfm_scores`, the whole scoring of a relation, with its
//! frequency-rank thresholds (`rank_keys`).

mod metrics;
pub(crate) mod rank_keys;
mod rfm_scores;
pub(crate) mod sample_aggregates;
mod scoring;
mod segments;
