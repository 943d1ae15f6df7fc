//! crm_ext: the pgrx layer. Types, aggregates, SQL functions and error mapping only; the math lives
//! in the `crm_core` crate (crates/crm_core), which is tested without a database.
//!
//! Layout: [`pg`] (the PostgreSQL plumbing that names no model: aggregate support, base-type
//! states, the per-row calling convention, errors, safe SQL over a relation, the `crm_internal`
//! schema) at the bottom; [`summary`] (the public summary types the models fit from) on it;
//! [`models`] on both, one file per model (a new model is one new file) and what the models share;
//! [`rfm`] (RFM metrics, scores and segments) beside the models; [`insights`] (transaction
//! summaries, cohorts, KPIs, k-means, validation, the CLTV pipeline) on top.

use pgrx::prelude::*;

::pgrx::pg_module_magic!(name, version);

mod insights;
mod models;
mod pg;
mod rfm;
mod summary;

/// Registers the extension's settings when the library is loaded.
#[pg_guard]
pub extern "C-unwind" fn _PG_init() {
    pg::aggregate_support::register_settings();
    rfm::rank_keys::register_settings();
    pg::state_type::register_settings();
}

/// The installed version of crm_ext.
#[pg_extern(immutable, parallel_safe)]
fn crm_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

extension_sql!(
    r#"COMMENT ON FUNCTION crm_version() IS 'The version of the crm_ext extension library.';"#,
    name = "crm_version_comment",
    requires = [crm_version]
);

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use pgrx::prelude::*;

    #[pg_test]
    fn version_matches_cargo() {
        let v = Spi::get_one::<String>("SELECT crm_version()").unwrap().unwrap();
        assert_eq!(v, env!("CARGO_PKG_VERSION"));
    }
}

/// Required by `cargo pgrx test`.
#[cfg(test)]
pub mod pg_test {
    pub fn setup(_options: Vec<&str>) {}

    #[must_use]
    pub fn postgresql_conf_options() -> Vec<&'static str> {
        vec![]
    }
}
