//! RFM metrics per customer in SQL: the parallel `crm_rfm` aggregate and its `crm_rfm_result`
//! composite. The math (exact sums, whole days, distinct order ids) is `crm_core::rfm::state`.

use crate::pg::aggregate_support::{self as agg, AggState};
use crate::pg::composite::{result_tuple, set};
use crate::pg::errors::{raise, OrRaise};
use crm_core::error::CrmError;
use crm_core::rfm::state::RfmState;
use pgrx::datum::{Internal, Timestamp};
use pgrx::pg_sys;
use pgrx::prelude::*;

impl AggState for RfmState {
    fn merge(&mut self, other: &RfmState) {
        RfmState::merge(self, other).or_raise();
    }

    fn to_bytes(&self) -> Vec<u8> {
        RfmState::to_bytes(self)
    }

    fn from_bytes(bytes: &[u8]) -> Self {
        RfmState::from_bytes(bytes).or_raise()
    }

    fn heap_bytes(&self) -> usize {
        RfmState::heap_bytes(self)
    }
}

/// Adds one order line. Rows with a NULL timestamp or amount are skipped; a NULL `as_of` is an
/// error (22004). `order_id` is `None` in the aggregate form without ids.
fn add_line(
    state: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
    order_ts: Option<Timestamp>,
    amount: Option<f64>,
    order_id: Option<Option<&str>>,
    as_of: Option<Timestamp>,
) -> Internal {
    let Some(as_of) = as_of else {
        raise(
            CrmError::null_not_allowed("as_of must not be null")
                .with_hint("pass the analysis date, e.g. the last order date in the data + 2 days"),
        );
    };
    agg::update(state, fcinfo, |s: &mut RfmState| {
        if let (Some(ts), Some(amount)) = (order_ts, amount) {
            s.add(ts.into_inner(), amount, order_id.flatten(), as_of.into_inner()).or_raise();
        }
    })
}

#[pg_extern(immutable, parallel_safe, name = "crm_rfm_trans")]
fn crm_rfm_trans3(
    state: Internal,
    order_ts: Option<Timestamp>,
    amount: Option<f64>,
    as_of: Option<Timestamp>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    add_line(state, fcinfo, order_ts, amount, None, as_of)
}

#[pg_extern(immutable, parallel_safe, name = "crm_rfm_trans")]
fn crm_rfm_trans4(
    state: Internal,
    order_ts: Option<Timestamp>,
    amount: Option<f64>,
    order_id: Option<&str>,
    as_of: Option<Timestamp>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    add_line(state, fcinfo, order_ts, amount, Some(order_id), as_of)
}

crate::pg::aggregate_support::parallel_state_functions!(RfmState, crm_rfm_combine, crm_rfm_serialize, crm_rfm_deserialize);

/// Whole days between finite timestamps: PostgreSQL's timestamps span about 110 million days.
fn days_i32(days: i64) -> i32 {
    i32::try_from(days).expect("finite timestamps are less than 2^31 days apart")
}

#[pg_extern(immutable, parallel_safe, requires = ["crm_rfm_result_type"])]
fn crm_rfm_final(mut state: Internal, fcinfo: pg_sys::FunctionCallInfo) -> Option<pgrx::composite_type!('static, "crm_rfm_result")> {
    let r = agg::finish::<RfmState>(&mut state)?.result()?;
    let mut t = result_tuple(fcinfo);
    set(&mut t, "recency_days", days_i32(r.recency_days));
    set(&mut t, "frequency", r.frequency);
    set(&mut t, "monetary", r.monetary);
    set(&mut t, "first_order", Timestamp::saturating_from_raw(r.first_order_micros));
    set(&mut t, "last_order", Timestamp::saturating_from_raw(r.last_order_micros));
    set(&mut t, "tenure_days", days_i32(r.tenure_days));
    Some(t)
}

extension_sql!(
    r#"
CREATE TYPE crm_rfm_result AS (
    recency_days integer,
    frequency bigint,
    monetary double precision,
    first_order timestamp,
    last_order timestamp,
    tenure_days integer
);
COMMENT ON TYPE crm_rfm_result IS 'RFM metrics of one customer: whole days from the last order to as_of (recency_days), orders (frequency), total amount (monetary), first and last order, whole days from the first order to as_of (tenure_days).';
"#,
    name = "crm_rfm_result_type"
);

extension_sql!(
    r#"
CREATE AGGREGATE crm_rfm(order_ts timestamp, amount float8, as_of timestamp) (
    sfunc = crm_rfm_trans, stype = internal, finalfunc = crm_rfm_final,
    combinefunc = crm_rfm_combine, serialfunc = crm_rfm_serialize,
    deserialfunc = crm_rfm_deserialize, parallel = safe);
CREATE AGGREGATE crm_rfm(order_ts timestamp, amount float8, order_id text, as_of timestamp) (
    sfunc = crm_rfm_trans, stype = internal, finalfunc = crm_rfm_final,
    combinefunc = crm_rfm_combine, serialfunc = crm_rfm_serialize,
    deserialfunc = crm_rfm_deserialize, parallel = safe);
COMMENT ON AGGREGATE crm_rfm(timestamp, float8, timestamp) IS 'RFM metrics of a group of order lines (one group per customer): frequency = number of rows. Dates are accepted (implicit cast). Rows with a NULL order_ts or amount are skipped; no rows gives NULL. Errors: as_of NULL (22004), differing between rows or before an order (22023); non-finite amounts or timestamps (22023).';
COMMENT ON AGGREGATE crm_rfm(timestamp, float8, text, timestamp) IS 'RFM metrics of a group of order lines (one group per customer): frequency = number of distinct order_id (invoice lines of one order count once). Every row of a group has an order_id or none has (22004 otherwise).';
"#,
    name = "crm_rfm_aggregates",
    requires =
        ["crm_rfm_result_type", crm_rfm_trans3, crm_rfm_trans4, crm_rfm_combine, crm_rfm_serialize, crm_rfm_deserialize, crm_rfm_final]
);
