//! crm_customer_summary and crm_holdout_summary over `timestamptz` order times: each time (and
//! as_of / period end) is converted to local time in the session's TimeZone, as the cast
//! `timestamptz::timestamp` does, then passed to the `timestamp` functions (src/insights/transactions.rs): a
//! purchase day is a calendar day where the analysis runs. The transition functions are STABLE,
//! since the result depends on TimeZone. (`date` columns need no overload: date -> timestamp is
//! an implicit cast.)

use pgrx::datum::Internal;
use pgrx::prelude::*;
use pgrx::{pg_sys, IntoDatum};

/// `ts::timestamp` in the session's time zone.
fn local(ts: Option<TimestampWithTimeZone>) -> Option<Timestamp> {
    // SAFETY: timestamptz_timestamp is PostgreSQL's cast function, called with a timestamptz datum.
    ts.and_then(|ts| unsafe { pgrx::direct_function_call::<Timestamp>(pg_sys::timestamptz_timestamp, &[ts.into_datum()]) })
}

#[pg_extern(stable, parallel_safe, name = "crm_customer_summary_trans")]
fn crm_customer_summary_trans_tz3(
    state: Internal,
    order_ts: Option<TimestampWithTimeZone>,
    amount: Option<f64>,
    as_of: Option<TimestampWithTimeZone>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    crate::insights::transactions::crm_customer_summary_trans3(state, local(order_ts), amount, local(as_of), fcinfo)
}

#[pg_extern(stable, parallel_safe, name = "crm_customer_summary_trans")]
fn crm_customer_summary_trans_tz4(
    state: Internal,
    order_ts: Option<TimestampWithTimeZone>,
    amount: Option<f64>,
    as_of: Option<TimestampWithTimeZone>,
    unit: Option<&str>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    crate::insights::transactions::crm_customer_summary_trans4(state, local(order_ts), amount, local(as_of), unit, fcinfo)
}

#[pg_extern(stable, parallel_safe, name = "crm_customer_summary_trans")]
fn crm_customer_summary_trans_tz5(
    state: Internal,
    order_ts: Option<TimestampWithTimeZone>,
    amount: Option<f64>,
    as_of: Option<TimestampWithTimeZone>,
    unit: Option<&str>,
    period: Option<&str>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    crate::insights::transactions::crm_customer_summary_trans5(state, local(order_ts), amount, local(as_of), unit, period, fcinfo)
}

#[pg_extern(stable, parallel_safe, name = "crm_holdout_summary_trans")]
fn crm_holdout_summary_trans_tz4(
    state: Internal,
    order_ts: Option<TimestampWithTimeZone>,
    amount: Option<f64>,
    calibration_end: Option<TimestampWithTimeZone>,
    observation_end: Option<TimestampWithTimeZone>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    crate::insights::transactions::crm_holdout_summary_trans4(
        state,
        local(order_ts),
        amount,
        local(calibration_end),
        local(observation_end),
        fcinfo,
    )
}

#[pg_extern(stable, parallel_safe, name = "crm_holdout_summary_trans")]
fn crm_holdout_summary_trans_tz5(
    state: Internal,
    order_ts: Option<TimestampWithTimeZone>,
    amount: Option<f64>,
    calibration_end: Option<TimestampWithTimeZone>,
    observation_end: Option<TimestampWithTimeZone>,
    unit: Option<&str>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    crate::insights::transactions::crm_holdout_summary_trans5(
        state,
        local(order_ts),
        amount,
        local(calibration_end),
        local(observation_end),
        unit,
        fcinfo,
    )
}

#[pg_extern(stable, parallel_safe, name = "crm_holdout_summary_trans")]
#[allow(clippy::too_many_arguments)]
fn crm_holdout_summary_trans_tz6(
    state: Internal,
    order_ts: Option<TimestampWithTimeZone>,
    amount: Option<f64>,
    calibration_end: Option<TimestampWithTimeZone>,
    observation_end: Option<TimestampWithTimeZone>,
    unit: Option<&str>,
    period: Option<&str>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    crate::insights::transactions::crm_holdout_summary_trans6(
        state,
        local(order_ts),
        amount,
        local(calibration_end),
        local(observation_end),
        unit,
        period,
        fcinfo,
    )
}

extension_sql!(
    r#"
CREATE AGGREGATE crm_customer_summary(order_ts timestamptz, amount float8, as_of timestamptz) (
    sfunc = crm_customer_summary_trans, stype = internal, finalfunc = crm_customer_summary_final,
    combinefunc = crm_tx_summary_combine, serialfunc = crm_tx_summary_serialize,
    deserialfunc = crm_tx_summary_deserialize, parallel = safe);
CREATE AGGREGATE crm_customer_summary(order_ts timestamptz, amount float8, as_of timestamptz, unit text) (
    sfunc = crm_customer_summary_trans, stype = internal, finalfunc = crm_customer_summary_final,
    combinefunc = crm_tx_summary_combine, serialfunc = crm_tx_summary_serialize,
    deserialfunc = crm_tx_summary_deserialize, parallel = safe);
CREATE AGGREGATE crm_customer_summary(order_ts timestamptz, amount float8, as_of timestamptz, unit text, period text) (
    sfunc = crm_customer_summary_trans, stype = internal, finalfunc = crm_customer_summary_final,
    combinefunc = crm_tx_summary_combine, serialfunc = crm_tx_summary_serialize,
    deserialfunc = crm_tx_summary_deserialize, parallel = safe);
CREATE AGGREGATE crm_holdout_summary(order_ts timestamptz, amount float8, calibration_end timestamptz, observation_end timestamptz) (
    sfunc = crm_holdout_summary_trans, stype = internal, finalfunc = crm_holdout_summary_final,
    combinefunc = crm_tx_summary_combine, serialfunc = crm_tx_summary_serialize,
    deserialfunc = crm_tx_summary_deserialize, parallel = safe);
CREATE AGGREGATE crm_holdout_summary(order_ts timestamptz, amount float8, calibration_end timestamptz, observation_end timestamptz, unit text) (
    sfunc = crm_holdout_summary_trans, stype = internal, finalfunc = crm_holdout_summary_final,
    combinefunc = crm_tx_summary_combine, serialfunc = crm_tx_summary_serialize,
    deserialfunc = crm_tx_summary_deserialize, parallel = safe);
CREATE AGGREGATE crm_holdout_summary(order_ts timestamptz, amount float8, calibration_end timestamptz, observation_end timestamptz, unit text, period text) (
    sfunc = crm_holdout_summary_trans, stype = internal, finalfunc = crm_holdout_summary_final,
    combinefunc = crm_tx_summary_combine, serialfunc = crm_tx_summary_serialize,
    deserialfunc = crm_tx_summary_deserialize, parallel = safe);
COMMENT ON AGGREGATE crm_customer_summary(timestamptz, float8, timestamptz) IS 'crm_customer_summary over timestamptz: times are converted to local time in the session''s TimeZone first (a purchase day is a calendar day there).';
COMMENT ON AGGREGATE crm_customer_summary(timestamptz, float8, timestamptz, text) IS 'crm_customer_summary over timestamptz (local time in the session''s TimeZone) with recency and t in unit.';
COMMENT ON AGGREGATE crm_customer_summary(timestamptz, float8, timestamptz, text, text) IS 'crm_customer_summary over timestamptz (local time in the session''s TimeZone) with recency and t in unit, merging purchases per period.';
COMMENT ON AGGREGATE crm_holdout_summary(timestamptz, float8, timestamptz, timestamptz) IS 'crm_holdout_summary over timestamptz: times are converted to local time in the session''s TimeZone first.';
COMMENT ON AGGREGATE crm_holdout_summary(timestamptz, float8, timestamptz, timestamptz, text) IS 'crm_holdout_summary over timestamptz (local time in the session''s TimeZone) with times in unit.';
COMMENT ON AGGREGATE crm_holdout_summary(timestamptz, float8, timestamptz, timestamptz, text, text) IS 'crm_holdout_summary over timestamptz (local time in the session''s TimeZone) with times in unit and purchases merged per period.';
"#,
    name = "crm_summary_aggregates_tz",
    requires = [
        "crm_summary_aggregates",
        crm_customer_summary_trans_tz3,
        crm_customer_summary_trans_tz4,
        crm_customer_summary_trans_tz5,
        crm_holdout_summary_trans_tz4,
        crm_holdout_summary_trans_tz5,
        crm_holdout_summary_trans_tz6
    ]
);
