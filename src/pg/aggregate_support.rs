//! Support for parallel aggregates on `internal` state, written the timescaledb-toolkit way: plain
//! transition/combine/serialize/deserialize/final functions plus a `CREATE AGGREGATE` statement
//! (pgrx's `#[pg_aggregate]` cannot serialize `internal` state, pgrx issue 2351).

use crate::pg::errors::{raise, warn};
use crm_core::error::{CrmError, CrmResult};
use pgrx::datum::Internal;
use pgrx::guc::{GucContext, GucFlags, GucRegistry, GucSetting, PostgresGucEnum};
use pgrx::prelude::*;
use pgrx::{pg_sys, PgMemoryContexts};

/// The aggregate memory context when called as an aggregate (or window aggregate) support
/// function; None otherwise.
pub fn aggregate_context(fcinfo: pg_sys::FunctionCallInfo) -> Option<pg_sys::MemoryContext> {
    let mut context: pg_sys::MemoryContext = std::ptr::null_mut();
    // SAFETY: fcinfo is the live call info PostgreSQL passed to the calling function.
    let is_agg = unsafe { pg_sys::AggCheckCallContext(fcinfo, &mut context) } != 0;
    (is_agg && !context.is_null()).then_some(context)
}

/// Runs `f` with the aggregate memory context as the current context, so that state allocated in
/// `f` (through `Internal`) lives as long as the aggregate group. Errors when not called as an aggregate.
pub fn in_aggregate_context<R>(fcinfo: pg_sys::FunctionCallInfo, f: impl FnOnce() -> R) -> R {
    let Some(agg_context) = aggregate_context(fcinfo) else {
        ereport!(ERROR, PgSqlErrorCode::ERRCODE_FEATURE_NOT_SUPPORTED, "aggregate support function called outside of an aggregate");
    };
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

/// An aggregate state that can be merged (parallel combine) and sent between processes as bytes.
pub trait AggState: Default + 'static {
    fn merge(&mut self, other: &Self);
    fn to_bytes(&self) -> Vec<u8>;
    /// Raises a PostgreSQL error on corrupt input.
    fn from_bytes(bytes: &[u8]) -> Self;
    /// Finishes buffered work before the final function reads the state, without changing what
    /// the state represents (PostgreSQL may call the final function again on the same state).
    fn compact(&mut self) {}
    /// Bytes the state holds on the Rust heap, in O(1) (capacities and lengths): charged to the
    /// aggregate memory context after every row (see [`MemoryCharge`]).
    fn heap_bytes(&self) -> usize;
}

/// What an aggregate's `internal` value holds: its state and the state's memory charge.
#[derive(Default)]
struct Charged<S> {
    state: S,
    charge: MemoryCharge,
}

impl<S: AggState> Charged<S> {
    #[inline]
    fn account(&mut self, fcinfo: pg_sys::FunctionCallInfo) {
        let bytes = self.state.heap_bytes();
        self.charge.update(fcinfo, bytes);
    }
}

/// Rust-heap bytes of an aggregate state charged to the aggregate's memory context, so that
/// hash aggregation (which budgets `work_mem` by `MemoryContextMemAllocated` of that context) and
/// EXPLAIN ANALYZE see them. The charge is added to the context's `mem_allocated` when the state
/// grows or shrinks and taken back when the state is dropped (its context's reset or delete
/// callback, which runs before the context frees its blocks).
#[derive(Default)]
pub struct MemoryCharge {
    context: Option<std::ptr::NonNull<pg_sys::MemoryContextData>>,
    bytes: usize,
}

impl MemoryCharge {
    /// A charge to `context`, made by [`MemoryCharge::set`]. The state must be dropped when that
    /// context is reset or deleted (a reset callback), so that the context outlives the charge.
    pub fn in_context(context: pg_sys::MemoryContext) -> Self {
        MemoryCharge { context: std::ptr::NonNull::new(context), bytes: 0 }
    }

    /// Makes the charge `bytes` in the charge's context (none: nothing is charged).
    #[inline]
    pub fn set(&mut self, bytes: usize) {
        if bytes == self.bytes {
            return;
        }
        if let Some(c) = self.context {
            // SAFETY: the context outlives the charge (see in_context).
            unsafe {
                let c = c.as_ptr();
                (*c).mem_allocated = (*c).mem_allocated - self.bytes + bytes;
            }
            self.bytes = bytes;
        }
    }

    /// Makes the charge `bytes` (the state's heap size now) in the context of this aggregate call
    /// (the first call finds the context).
    #[inline]
    pub fn update(&mut self, fcinfo: pg_sys::FunctionCallInfo, bytes: usize) {
        if bytes == self.bytes {
            return;
        }
        if self.context.is_none() {
            // The state lives in this context (it is dropped by the context's callback).
            let Some(agg_context) = aggregate_context(fcinfo) else { return };
            self.context = std::ptr::NonNull::new(agg_context);
        }
        self.set(bytes);
    }
}

impl Drop for MemoryCharge {
    fn drop(&mut self) {
        if let Some(c) = self.context {
            // SAFETY: see update; the reset/delete callbacks run while the context is intact.
            unsafe { (*c.as_ptr()).mem_allocated -= self.bytes };
        }
    }
}

/// Transition step: applies `f` to the state and charges its heap bytes. Only the first row of a
/// group allocates (the state box, in the aggregate context); the states keep their data on the
/// Rust heap, so later rows skip the context check and switch.
pub fn update<S: AggState>(mut state: Internal, fcinfo: pg_sys::FunctionCallInfo, f: impl FnOnce(&mut S)) -> Internal {
    // SAFETY: each aggregate stores exactly one state type S in its Internal.
    if let Some(c) = unsafe { state.get_mut::<Charged<S>>() } {
        f(&mut c.state);
        c.account(fcinfo);
        return state;
    }
    in_aggregate_context(fcinfo, || {
        let c = unsafe { state_or_default::<Charged<S>>(&mut state) };
        f(&mut c.state);
        c.account(fcinfo);
    });
    state
}

/// Combine step: merges state2 into state1 (copying it when state1 is empty), in the aggregate context.
pub fn combine<S: AggState>(mut state1: Internal, state2: Internal, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    in_aggregate_context(fcinfo, || {
        // SAFETY: both states hold an S (or nothing) by construction of the aggregate.
        unsafe {
            if let Some(other) = state2.get::<Charged<S>>() {
                let c = state_or_default::<Charged<S>>(&mut state1);
                c.state.merge(&other.state);
                c.account(fcinfo);
            }
        }
    });
    state1
}

pub fn serialize<S: AggState>(state: Internal) -> Vec<u8> {
    // SAFETY: the state holds an S.
    unsafe { state.get::<Charged<S>>() }.map(|c| c.state.to_bytes()).unwrap_or_default()
}

/// A state read back from bytes; it is charged when a combine step merges it into its group's state.
pub fn deserialize<S: AggState>(bytes: &[u8]) -> Internal {
    Internal::new(Charged { state: S::from_bytes(bytes), charge: MemoryCharge::default() })
}

/// The state at the final step (compacted), if any row was seen.
pub fn finish<S: AggState>(state: &mut Internal) -> Option<&S> {
    // SAFETY: the state holds an S or nothing.
    let c = unsafe { state.get_mut::<Charged<S>>() }?;
    c.state.compact();
    Some(&c.state)
}

/// What a fit aggregate's final function does with a group whose data cannot be fitted (a
/// non-finite log-likelihood, too few customers): the GUC `crm_ext.fit_errors`.
#[derive(PostgresGucEnum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum FitErrors {
    /// Raise the error in an aggregate without GROUP BY; in a grouped query, warn and give that
    /// group a NULL model so that the other groups are still fitted.
    #[name = c"auto"]
    Auto,
    /// Always warn and return NULL.
    #[name = c"warning"]
    Warning,
    /// Always raise the error.
    #[name = c"error"]
    Error,
}

pub static FIT_ERRORS: GucSetting<FitErrors> = GucSetting::<FitErrors>::new(FitErrors::Auto);

/// Registers the extension's settings (called from `_PG_init`).
pub fn register_settings() {
    GucRegistry::define_enum_guc(
        c"crm_ext.fit_errors",
        c"What a fit aggregate does with a group it cannot fit: auto, warning or error.",
        c"auto raises in an aggregate without GROUP BY and, in a grouped query, warns and returns a NULL model for that group; warning always warns and returns NULL; error always raises.",
        &FIT_ERRORS,
        GucContext::Userset,
        GucFlags::default(),
    );
}

/// The fitted model, or for data that cannot be fitted the error raised or a WARNING and NULL, as
/// `crm_ext.fit_errors` says. `aggregate` names the aggregate in the warning.
pub fn fit_or_warn<T>(fcinfo: pg_sys::FunctionCallInfo, aggregate: &str, fit: CrmResult<T>) -> Option<T> {
    let e = match fit {
        Ok(model) => return Some(model),
        Err(e) => e,
    };
    let warns = match FIT_ERRORS.get() {
        FitErrors::Error => false,
        FitErrors::Warning => true,
        FitErrors::Auto => in_grouped_aggregate(fcinfo),
    };
    if !warns {
        raise(e);
    }
    let CrmError { message, detail, hint, .. } = e;
    let raise_hint = "SET crm_ext.fit_errors = 'error' raises instead";
    let hint = hint.map_or_else(|| raise_hint.to_string(), |h| format!("{h}; {raise_hint}"));
    warn(&format!("{aggregate} could not fit a group, its model is NULL: {message}"), detail, Some(&hint));
    None
}

/// Whether the final function runs for one group of a GROUP BY (its Agg node has grouping columns).
fn in_grouped_aggregate(fcinfo: pg_sys::FunctionCallInfo) -> bool {
    // SAFETY: fcinfo is the live call info; the context is an AggState when the tag says so, and
    // its plan is an Agg node.
    unsafe {
        let context = (*fcinfo).context;
        if context.is_null() || (*context).type_ != pg_sys::NodeTag::T_AggState {
            return false;
        }
        let plan = (*(context as *mut pg_sys::AggState)).ss.ps.plan as *const pg_sys::Agg;
        !plan.is_null() && (*plan).numCols > 0
    }
}

/// Lets PostgreSQL cancel a long computation (query cancel, statement_timeout).
pub fn check_interrupts() {
    pgrx::check_for_interrupts!();
}

/// Defines the combine, serialize and deserialize functions of a parallel aggregate whose
/// `internal` state is `$state` (an `AggState`), under the given SQL names. Serialize and
/// deserialize are strict, as PostgreSQL requires; combine is not (it sees empty states). With
/// `sql = false` they get no SQL declaration (the library keeps them for an earlier release's
/// install script, `compat_0_1`).
macro_rules! parallel_state_functions {
    ($state:ty, $combine:ident, $serialize:ident, $deserialize:ident) => {
        $crate::pg::aggregate_support::parallel_state_functions!(@define $state, $combine, $serialize, $deserialize, [immutable, parallel_safe], [immutable, parallel_safe, strict]);
    };
    ($state:ty, $combine:ident, $serialize:ident, $deserialize:ident, sql = false) => {
        $crate::pg::aggregate_support::parallel_state_functions!(@define $state, $combine, $serialize, $deserialize, [immutable, parallel_safe, sql = false], [immutable, parallel_safe, strict, sql = false]);
    };
    (@define $state:ty, $combine:ident, $serialize:ident, $deserialize:ident, [$($attr:tt)*], [$($strict_attr:tt)*]) => {
        #[::pgrx::pg_extern($($attr)*)]
        pub fn $combine(
            state1: ::pgrx::datum::Internal,
            state2: ::pgrx::datum::Internal,
            fcinfo: ::pgrx::pg_sys::FunctionCallInfo,
        ) -> ::pgrx::datum::Internal {
            $crate::pg::aggregate_support::combine::<$state>(state1, state2, fcinfo)
        }

        #[::pgrx::pg_extern($($strict_attr)*)]
        pub fn $serialize(state: ::pgrx::datum::Internal) -> Vec<u8> {
            $crate::pg::aggregate_support::serialize::<$state>(state)
        }

        #[::pgrx::pg_extern($($strict_attr)*)]
        pub fn $deserialize(bytes: &[u8], _unused: ::pgrx::datum::Internal) -> ::pgrx::datum::Internal {
            $crate::pg::aggregate_support::deserialize::<$state>(bytes)
        }
    };
}
pub(crate) use parallel_state_functions;
