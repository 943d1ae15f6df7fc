//! Support for parallel aggregates on `internal` state, written the timescaledb-toolkit way: plain
//! transition/combine/serialize/deserialize/final functions plus a `CREATE AGGREGATE` statement
//! (pgrx's `#[pg_aggregate]` cannot serialize `internal` state, pgrx issue 2351).

use pgrx::prelude::*;
use pgrx::{pg_sys, PgMemoryContexts};

/// Runs `f` with the aggregate memory context as the current context, so that state allocated in
/// `f` (through `Internal`) lives as long as the aggregate group. Errors when not called as an aggregate.
pub fn in_aggregate_context<R>(fcinfo: pg_sys::FunctionCallInfo, f: impl FnOnce() -> R) -> R {
    let mut agg_context: pg_sys::MemoryContext = std::ptr::null_mut();
    // SAFETY: fcinfo is the live call info PostgreSQL passed to the calling function.
    let is_agg = unsafe { pg_sys::AggCheckCallContext(fcinfo, &mut agg_context) };
    if is_agg == 0 || agg_context.is_null() {
        ereport!(
            ERROR,
            PgSqlErrorCode::ERRCODE_FEATURE_NOT_SUPPORTED,
            "aggregate support function called outside of an aggregate"
        );
    }
    // SAFETY: the context is valid for the duration of the aggregate call.
    unsafe { PgMemoryContexts::For(agg_context).switch_to(|_| f()) }
}

/// The state behind an `Internal`, or a default one created in the aggregate context.
///
/// # Safety
/// `state` must hold a `T` (or nothing): each aggregate uses one state type for all its functions.
pub unsafe fn state_or_default<T: Default>(state: &mut Internal) -> &mut T {
    state.get_or_insert_default::<T>()
}
