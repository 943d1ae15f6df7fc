//! Analyses over a relation of transactions or customers: per-customer summaries of transactions
//! (`transactions`, `transactions_tz`), cohort retention and KPIs per calendar period, k-means
//! clustering, model validation as data, and the one-call CLTV pipeline.

mod cltv_pipeline;
mod cohorts;
pub(crate) mod kmeans;
mod kpis;
mod transactions;
mod transactions_tz;
mod validation;
