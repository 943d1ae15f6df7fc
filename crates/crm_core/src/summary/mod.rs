//! The combinable summaries the models are fitted on, and what they are built from:
//! [`counts`] (distinct keys with counts in sorted order, the state of every fit aggregate),
//! [`keys`] (their compact byte form, what parallel workers, Citus and stored summaries carry),
//! [`rft`] (the (x, t_x, T) summary every purchase model is fitted on, `crm_rft_summary` in SQL,
//! and the checks of one customer's history),
//! [`transactions`] (per-customer frequency, recency, T and spend from transactions, as
//! `lifetimes` computes them) and [`units`] (the time unit of recency, T and horizons).
//! A summary merges by adding counts, so it is the same whatever the order of the rows or the
//! split between workers. A summary only one model reads lives in that model's folder
//! (Gamma-Gamma's [`GammaGammaSummary`](crate::models::gamma_gamma::GammaGammaSummary), sBG's
//! [`SurvivalSummary`](crate::models::sbg::SurvivalSummary)).

pub mod counts;
pub mod keys;
pub mod rft;
pub mod transactions;
pub mod units;
