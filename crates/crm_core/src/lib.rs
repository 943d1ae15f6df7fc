//! crm_core: the pure math and logic of crm_ext, free of PostgreSQL.
//!
//! Everything here is plain Rust, tested with `cargo test -p crm_core`. The pgrx layer in the
//! top-level crate only converts types, maps errors to SQLSTATEs and wires aggregates.

// `!(x > 0.0)` is the test that also rejects NaN, used on purpose throughout.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

pub mod clv;
pub mod error;
pub mod heap;
pub mod interrupt;
pub mod intervals;
pub mod kmeans;
pub mod math;
pub mod models;
pub mod outliers;
pub mod quantile;
pub mod rfm;
pub mod scaling;
pub mod segments;
pub mod summary;
