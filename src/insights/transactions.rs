//! crm_customer_summary and crm_holdout_summary: per-customer aggregates turning transactions into
//! (frequency, recency, t, monetary_value) with the `lifetimes` library's conventions
//! (crm_core::summary::transactions).

use crate::pg::aggregate_support::{self as agg, AggState};
use crate::pg::composite::{result_tuple, set};
use crate::pg::errors::{raise, OrRaise};
use crm_core::error::CrmError;
use crm_core::summary::transactions::{Period, TransactionState};
use crm_core::summary::units::TimeUnit;
use pgrx::datum::Internal;
use pgrx::heap_tuple::PgHeapTuple;
use pgrx::prelude::*;
use pgrx::{pg_sys, AllocatedByRust};

/// Transactions of one customer plus the unit and period named on its rows.
#[derive(Default)]
pub struct TxState {
    tx: TransactionState,
    unit: Option<TimeUnit>,
    period: Option<Period>,
}

const UNITS: [TimeUnit; 4] = [TimeUnit::Hour, TimeUnit::Day, TimeUnit::Week, TimeUnit::Month];
const PERIODS: [Period; 4] = [Period::Hour, Period::Day, Period::Week, Period::Month];

fn code<T: PartialEq>(all: &[T], v: Option<T>) -> u8 {
    v.map(|v| all.iter().position(|x| *x == v).unwrap() as u8 + 1).unwrap_or(0)
}

fn decode<T: Copy>(all: &[T], c: u8) -> Option<T> {
    (c as usize).checked_sub(1).map(|i| *all.get(i).unwrap_or_else(|| raise(CrmError::invalid("corrupt summary state"))))
}

impl TxState {
    fn unit(&self) -> TimeUnit {
        self.unit.unwrap_or(TimeUnit::Week)
    }

    fn period(&self) -> Period {
        self.period.unwrap_or(Period::Day)
    }

    fn set(&mut self, unit: Option<Option<&str>>, period: Option<Option<&str>>) {
        if let Some(u) = unit {
            let u = TimeUnit::parse(u.unwrap_or_else(|| raise(CrmError::null_not_allowed("unit must not be null")))).or_raise();
            self.set_unit(u);
        }
        if let Some(p) = period {
            let p = Period::parse(p.unwrap_or_else(|| raise(CrmError::null_not_allowed("period must not be null")))).or_raise();
            self.set_period(p);
        }
    }

    fn set_unit(&mut self, u: TimeUnit) {
        match self.unit.replace(u) {
            Some(old) if old != u => raise(CrmError::invalid("unit differs between rows of one customer")),
            _ => {}
        }
    }

    fn set_period(&mut self, p: Period) {
        match self.period.replace(p) {
            Some(old) if old != p => raise(CrmError::invalid("period differs between rows of one customer")),
            _ => {}
        }
    }
}

impl AggState for TxState {
    fn merge(&mut self, other: &TxState) {
        self.tx.merge(&other.tx).or_raise();
        if let Some(u) = other.unit {
            self.set_unit(u);
        }
        if let Some(p) = other.period {
            self.set_period(p);
        }
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![code(&UNITS, self.unit), code(&PERIODS, self.period)];
        out.extend_from_slice(&self.tx.to_bytes());
        out
    }

    fn from_bytes(bytes: &[u8]) -> Self {
        if bytes.len() < 2 {
            raise(CrmError::invalid("corrupt summary state"));
        }
        TxState {
            unit: decode(&UNITS, bytes[0]),
            period: decode(&PERIODS, bytes[1]),
            tx: TransactionState::from_bytes(&bytes[2..]).or_raise(),
        }
    }

    fn heap_bytes(&self) -> usize {
        self.tx.heap_bytes()
    }
}

struct Row<'a> {
    ts: Option<Timestamp>,
    amount: Option<f64>,
    calibration_end: Option<Timestamp>,
    observation_end: Option<Timestamp>,
    unit: Option<Option<&'a str>>,
    period: Option<Option<&'a str>>,
}

fn trans(state: Internal, row: Row<'_>, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    agg::update(state, fcinfo, |s: &mut TxState| {
        s.set(row.unit, row.period);
        let (Some(cal), Some(obs)) = (row.calibration_end, row.observation_end) else {
            raise(CrmError::null_not_allowed("the period end must not be null"));
        };
        if let (Some(ts), Some(amount)) = (row.ts, row.amount) {
            let period = s.period();
            s.tx.add(ts.into_inner(), amount, cal.into_inner(), obs.into_inner(), period).or_raise();
        }
    })
}

fn summary_row(s: &TxState, fcinfo: pg_sys::FunctionCallInfo) -> Option<PgHeapTuple<'static, AllocatedByRust>> {
    let c = s.tx.summary(s.period(), s.unit()).or_raise()?;
    let mut row = result_tuple(fcinfo);
    for (name, v) in [("frequency", c.frequency), ("recency", c.recency), ("t", c.t), ("monetary_value", c.monetary_value)] {
        set(&mut row, name, v);
    }
    Some(row)
}

fn holdout_row(s: &TxState, fcinfo: pg_sys::FunctionCallInfo) -> Option<PgHeapTuple<'static, AllocatedByRust>> {
    let h = s.tx.holdout_summary(s.period(), s.unit()).or_raise()?;
    let c = h.calibration;
    let mut row = result_tuple(fcinfo);
    for (name, v) in [
        ("frequency_cal", c.frequency),
        ("recency_cal", c.recency),
        ("t_cal", c.t),
        ("monetary_value_cal", c.monetary_value),
        ("frequency_holdout", h.frequency_holdout),
        ("monetary_value_holdout", h.monetary_value_holdout),
        ("duration_holdout", h.duration_holdout),
    ] {
        set(&mut row, name, v);
    }
    Some(row)
}

#[pg_extern(immutable, parallel_safe, name = "crm_customer_summary_trans")]
pub(crate) fn crm_customer_summary_trans3(
    state: Internal,
    order_ts: Option<Timestamp>,
    amount: Option<f64>,
    as_of: Option<Timestamp>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    let row = Row { ts: order_ts, amount, calibration_end: as_of, observation_end: as_of, unit: None, period: None };
    trans(state, row, fcinfo)
}

#[pg_extern(immutable, parallel_safe, name = "crm_customer_summary_trans")]
pub(crate) fn crm_customer_summary_trans4(
    state: Internal,
    order_ts: Option<Timestamp>,
    amount: Option<f64>,
    as_of: Option<Timestamp>,
    unit: Option<&str>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    let row = Row { ts: order_ts, amount, calibration_end: as_of, observation_end: as_of, unit: Some(unit), period: None };
    trans(state, row, fcinfo)
}

#[pg_extern(immutable, parallel_safe, name = "crm_customer_summary_trans")]
pub(crate) fn crm_customer_summary_trans5(
    state: Internal,
    order_ts: Option<Timestamp>,
    amount: Option<f64>,
    as_of: Option<Timestamp>,
    unit: Option<&str>,
    period: Option<&str>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    let row = Row { ts: order_ts, amount, calibration_end: as_of, observation_end: as_of, unit: Some(unit), period: Some(period) };
    trans(state, row, fcinfo)
}

#[pg_extern(immutable, parallel_safe, name = "crm_holdout_summary_trans")]
pub(crate) fn crm_holdout_summary_trans4(
    state: Internal,
    order_ts: Option<Timestamp>,
    amount: Option<f64>,
    calibration_end: Option<Timestamp>,
    observation_end: Option<Timestamp>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    let row = Row { ts: order_ts, amount, calibration_end, observation_end, unit: None, period: None };
    trans(state, row, fcinfo)
}

#[pg_extern(immutable, parallel_safe, name = "crm_holdout_summary_trans")]
pub(crate) fn crm_holdout_summary_trans5(
    state: Internal,
    order_ts: Option<Timestamp>,
    amount: Option<f64>,
    calibration_end: Option<Timestamp>,
    observation_end: Option<Timestamp>,
    unit: Option<&str>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    let row = Row { ts: order_ts, amount, calibration_end, observation_end, unit: Some(unit), period: None };
    trans(state, row, fcinfo)
}

#[pg_extern(immutable, parallel_safe, name = "crm_holdout_summary_trans")]
#[allow(clippy::too_many_arguments)]
pub(crate) fn crm_holdout_summary_trans6(
    state: Internal,
    order_ts: Option<Timestamp>,
    amount: Option<f64>,
    calibration_end: Option<Timestamp>,
    observation_end: Option<Timestamp>,
    unit: Option<&str>,
    period: Option<&str>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    let row = Row { ts: order_ts, amount, calibration_end, observation_end, unit: Some(unit), period: Some(period) };
    trans(state, row, fcinfo)
}

crate::pg::aggregate_support::parallel_state_functions!(
    TxState,
    crm_tx_summary_combine,
    crm_tx_summary_serialize,
    crm_tx_summary_deserialize
);

#[pg_extern(immutable, parallel_safe)]
fn crm_customer_summary_final(
    mut state: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Option<pgrx::composite_type!('static, "crm_customer_summary_result")> {
    agg::finish::<TxState>(&mut state).and_then(|s| summary_row(s, fcinfo))
}

#[pg_extern(immutable, parallel_safe)]
fn crm_holdout_summary_final(
    mut state: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Option<pgrx::composite_type!('static, "crm_holdout_summary_result")> {
    agg::finish::<TxState>(&mut state).and_then(|s| holdout_row(s, fcinfo))
}

extension_sql!(
    r#"
CREATE TYPE crm_customer_summary_result AS (frequency float8, recency float8, t float8, monetary_value float8);
CREATE TYPE crm_holdout_summary_result AS (
    frequency_cal float8, recency_cal float8, t_cal float8, monetary_value_cal float8,
    frequency_holdout float8, monetary_value_holdout float8, duration_holdout float8);
COMMENT ON TYPE crm_customer_summary_result IS 'One customer''s lifetimes-style summary: repeat periods, recency, age t (in the unit asked for) and mean repeat spend.';
COMMENT ON TYPE crm_holdout_summary_result IS 'A calibration summary plus holdout purchases (periods), their mean amount and the holdout length.';
"#,
    name = "crm_summary_types",
    bootstrap
);

extension_sql!(
    r#"
CREATE AGGREGATE crm_customer_summary(order_ts timestamp, amount float8, as_of timestamp) (
    sfunc = crm_customer_summary_trans, stype = internal, finalfunc = crm_customer_summary_final,
    combinefunc = crm_tx_summary_combine, serialfunc = crm_tx_summary_serialize,
    deserialfunc = crm_tx_summary_deserialize, parallel = safe);
CREATE AGGREGATE crm_customer_summary(order_ts timestamp, amount float8, as_of timestamp, unit text) (
    sfunc = crm_customer_summary_trans, stype = internal, finalfunc = crm_customer_summary_final,
    combinefunc = crm_tx_summary_combine, serialfunc = crm_tx_summary_serialize,
    deserialfunc = crm_tx_summary_deserialize, parallel = safe);
CREATE AGGREGATE crm_customer_summary(order_ts timestamp, amount float8, as_of timestamp, unit text, period text) (
    sfunc = crm_customer_summary_trans, stype = internal, finalfunc = crm_customer_summary_final,
    combinefunc = crm_tx_summary_combine, serialfunc = crm_tx_summary_serialize,
    deserialfunc = crm_tx_summary_deserialize, parallel = safe);
CREATE AGGREGATE crm_holdout_summary(order_ts timestamp, amount float8, calibration_end timestamp, observation_end timestamp) (
    sfunc = crm_holdout_summary_trans, stype = internal, finalfunc = crm_holdout_summary_final,
    combinefunc = crm_tx_summary_combine, serialfunc = crm_tx_summary_serialize,
    deserialfunc = crm_tx_summary_deserialize, parallel = safe);
CREATE AGGREGATE crm_holdout_summary(order_ts timestamp, amount float8, calibration_end timestamp, observation_end timestamp, unit text) (
    sfunc = crm_holdout_summary_trans, stype = internal, finalfunc = crm_holdout_summary_final,
    combinefunc = crm_tx_summary_combine, serialfunc = crm_tx_summary_serialize,
    deserialfunc = crm_tx_summary_deserialize, parallel = safe);
CREATE AGGREGATE crm_holdout_summary(order_ts timestamp, amount float8, calibration_end timestamp, observation_end timestamp, unit text, period text) (
    sfunc = crm_holdout_summary_trans, stype = internal, finalfunc = crm_holdout_summary_final,
    combinefunc = crm_tx_summary_combine, serialfunc = crm_tx_summary_serialize,
    deserialfunc = crm_tx_summary_deserialize, parallel = safe);
COMMENT ON AGGREGATE crm_customer_summary(timestamp, float8, timestamp) IS 'Per customer (GROUP BY customer): frequency = repeat purchase days, recency and t in weeks, monetary_value = mean amount of the repeat days; orders after as_of are ignored (lifetimes'' summary_data_from_transaction_data).';
COMMENT ON AGGREGATE crm_customer_summary(timestamp, float8, timestamp, text) IS 'crm_customer_summary with recency and t in unit (hour, day, week, month).';
COMMENT ON AGGREGATE crm_customer_summary(timestamp, float8, timestamp, text, text) IS 'crm_customer_summary with recency and t in unit, merging purchases per period (hour, day, week = ISO week, month).';
COMMENT ON AGGREGATE crm_holdout_summary(timestamp, float8, timestamp, timestamp) IS 'Per customer: the calibration summary up to calibration_end (weeks, daily periods) and the purchases in (calibration_end, observation_end]; NULL for customers first seen in the holdout (lifetimes'' calibration_and_holdout_data).';
COMMENT ON AGGREGATE crm_holdout_summary(timestamp, float8, timestamp, timestamp, text) IS 'crm_holdout_summary with times in unit.';
COMMENT ON AGGREGATE crm_holdout_summary(timestamp, float8, timestamp, timestamp, text, text) IS 'crm_holdout_summary with times in unit and purchases merged per period.';
"#,
    name = "crm_summary_aggregates",
    requires = [
        "crm_summary_types",
        crm_customer_summary_trans3,
        crm_customer_summary_trans4,
        crm_customer_summary_trans5,
        crm_holdout_summary_trans4,
        crm_holdout_summary_trans5,
        crm_holdout_summary_trans6,
        crm_tx_summary_combine,
        crm_tx_summary_serialize,
        crm_tx_summary_deserialize,
        crm_customer_summary_final,
        crm_holdout_summary_final
    ]
);
