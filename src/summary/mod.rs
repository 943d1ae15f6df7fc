//! The public summary types that models fit from, base types that are aggregate states too:
//! `crm_rft_summary` (frequency, recency, T) for the purchase models and `crm_spend_summary`
//! (frequency, monetary) for Gamma-Gamma.

pub(crate) mod rft_summary;
mod spend_summary;
