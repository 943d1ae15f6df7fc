//! RFM analysis as the course does it, with PostgreSQL's and pandas' exact conventions:
//! [`state`] (per customer: recency, frequency and monetary value from the orders, the state of
//! `crm_rfm`), [`quantile`] (quantiles, and quantile and rank scores as pandas `qcut` gives
//! them), [`outliers`] (the course's outlier limits and capping) and [`segments`] (segment maps:
//! rules on score ranges). The bootstrap intervals also read the numpy quantile of
//! [`quantile`]; the rounding rules of the capping are [`crate::math::rounding`].

pub mod outliers;
pub mod quantile;
pub mod segments;
pub mod state;
