//! crm_core: the pure math and logic of crm_ext, free of PostgreSQL.
//!
//! Everything here is plain Rust, tested with `cargo test -p crm_core`. The pgrx layer in the
//! top-level crate only converts types, maps errors to SQLSTATEs and wires aggregates.
//!
//! Layout: [`math`] (numerical tools) and [`summary`] (the combinable summaries the models are
//! fitted on) at the bottom; [`models`] on them, one folder per model (a new model is one new
//! folder) and what the models share; [`clv`] and [`intervals`] on the models; [`rfm`] (RFM
//! scoring; its numpy quantile also serves the bootstrap intervals) and [`cluster`] (k-means)
//! beside the models, on the numerical tools alone. [`error`], [`interrupt`] (cancel checks and
//! interruptible sorts) and [`heap`] (memory accounting) serve all of them.

// `!(x > 0.0)` is the test that also rejects NaN, used on purpose throughout.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

pub mod cluster;
pub mod clv;
pub mod error;
pub mod heap;
pub mod interrupt;
pub mod intervals;
pub mod math;
pub mod models;
pub mod rfm;
pub mod summary;
