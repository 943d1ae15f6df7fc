//! Calling convention of the functions that run once per table row: the predictors and the
//! transition functions of the model aggregates. They read their arguments straight from the
//! call info. pgrx's generic argument plumbing (an iterator of boxed arguments, not inlined)
//! costs about 100 ns per call with eight arguments, more than a prediction, so it would set the
//! speed of scoring a table.
//!
//! Each such function is a version-1 C function made by [`row_function!`] and declared by hand
//! in SQL (`LANGUAGE c AS 'MODULE_PATHNAME', '<symbol>'`) with the same types, names, defaults,
//! strictness and volatility a `#[pg_extern]` would have. Errors and panics are turned into
//! PostgreSQL errors by `#[pg_guard]` as for every other function.

use crate::pg::model_args::{CallCache, ModelArgument};
use pgrx::datum::Internal;
use pgrx::{pg_sys, FromDatum, IntoDatum};

/// Argument `i` (0-based) of a call, checked against the number of arguments.
///
/// # Safety
/// `fcinfo` is a live call info.
#[inline]
pub unsafe fn argument(fcinfo: pg_sys::FunctionCallInfo, i: usize) -> pg_sys::NullableDatum {
    // SAFETY: see the contract; i is checked against nargs.
    unsafe {
        let nargs = (*fcinfo).nargs as usize;
        assert!(i < nargs, "argument {i} of a function with {nargs} arguments");
        *(*fcinfo).args.as_ptr().add(i)
    }
}

/// The arguments of one call.
pub struct RowArgs(pg_sys::FunctionCallInfo);

impl RowArgs {
    /// # Safety
    /// `fcinfo` is the call info PostgreSQL passed to a version-1 function whose SQL declaration
    /// has the argument types the accessors below are asked for.
    pub unsafe fn new(fcinfo: pg_sys::FunctionCallInfo) -> Self {
        RowArgs(fcinfo)
    }

    pub fn fcinfo(&self) -> pg_sys::FunctionCallInfo {
        self.0
    }

    /// Argument `i` (0-based); the SQL declaration guarantees that it exists.
    #[inline]
    fn arg(&self, i: usize) -> pg_sys::NullableDatum {
        // SAFETY: a live call info (see `new`).
        unsafe { argument(self.0, i) }
    }

    /// A float8 argument of a STRICT function (never NULL there).
    #[inline]
    pub fn f64(&self, i: usize) -> f64 {
        f64::from_bits(self.arg(i).value.value() as u64)
    }

    /// A float8 argument of a non-strict function.
    #[inline]
    pub fn opt_f64(&self, i: usize) -> Option<f64> {
        let a = self.arg(i);
        (!a.isnull).then(|| f64::from_bits(a.value.value() as u64))
    }

    /// An integer argument of a STRICT function.
    #[inline]
    pub fn i32(&self, i: usize) -> i32 {
        self.arg(i).value.value() as i32
    }

    /// A bigint argument of a STRICT function.
    #[inline]
    pub fn i64(&self, i: usize) -> i64 {
        self.arg(i).value.value() as i64
    }

    /// A text argument of a non-strict function.
    pub fn opt_text(&self, i: usize) -> Option<&str> {
        let a = self.arg(i);
        // SAFETY: a text argument (see `new`), alive for the call.
        unsafe { <&str>::from_datum(a.value, a.isnull) }
    }

    /// The model arguments of a STRICT function, decoded through this call site's cache (which
    /// also holds its scorer S): `model::<M>(i)` reads argument i of model type M.
    pub fn models<S: 'static>(&self) -> Models<'_, S> {
        // SAFETY: a live call info; each row function uses one scorer type S.
        Models { args: self, cache: unsafe { CallCache::of(self.0) } }
    }

    /// A float8[] argument of a non-strict function.
    pub fn opt_f64_array(&self, i: usize) -> Option<pgrx::datum::Array<'_, f64>> {
        let a = self.arg(i);
        // SAFETY: a float8[] argument (see `new`), alive for the call.
        unsafe { pgrx::datum::Array::<f64>::from_datum(a.value, a.isnull) }
    }

    /// An integer argument of a non-strict function.
    #[inline]
    pub fn opt_i32(&self, i: usize) -> Option<i32> {
        let a = self.arg(i);
        (!a.isnull).then(|| a.value.value() as i32)
    }

    /// A bigint argument of a non-strict function.
    #[inline]
    pub fn opt_i64(&self, i: usize) -> Option<i64> {
        let a = self.arg(i);
        (!a.isnull).then(|| a.value.value() as i64)
    }

    /// A boolean argument of a non-strict function.
    #[inline]
    pub fn opt_bool(&self, i: usize) -> Option<bool> {
        let a = self.arg(i);
        (!a.isnull).then(|| a.value.value() & 0xff != 0)
    }

    /// An `internal` argument (an aggregate state, possibly NULL).
    #[inline]
    pub fn internal(&self, i: usize) -> Internal {
        let a = self.arg(i);
        // SAFETY: an internal argument (see `new`).
        unsafe { Internal::from_datum(a.value, a.isnull) }.unwrap_or_default()
    }

    /// The float8 result.
    #[inline]
    pub fn ret_f64(&self, v: f64) -> pg_sys::Datum {
        pg_sys::Datum::from(v.to_bits())
    }

    /// The `internal` result (NULL when the state is empty).
    #[inline]
    pub fn ret_internal(&self, state: Internal) -> pg_sys::Datum {
        self.ret_datum(state.into_datum())
    }

    /// A result that may be NULL.
    pub fn ret_opt<T: IntoDatum>(&self, value: Option<T>) -> pg_sys::Datum {
        self.ret_datum(value.and_then(IntoDatum::into_datum))
    }

    /// A datum result, or NULL.
    fn ret_datum(&self, datum: Option<pg_sys::Datum>) -> pg_sys::Datum {
        match datum {
            Some(d) => d,
            None => {
                // SAFETY: a live call info (see `new`).
                unsafe { (*self.0).isnull = true };
                pg_sys::Datum::from(0usize)
            }
        }
    }
}

/// The model arguments and scorer of one call (see [`RowArgs::models`]).
pub struct Models<'a, S> {
    args: &'a RowArgs,
    pub cache: &'a mut CallCache<S>,
}

impl<S> Models<'_, S> {
    /// What the predictors need of the model argument of type M at position i (STRICT functions
    /// only: never NULL).
    pub fn model<M: ModelArgument>(&mut self, i: usize) -> M::Arg {
        // SAFETY: a non-null argument of M's SQL type (see `RowArgs::new`).
        unsafe { self.cache.model::<M>(self.args.arg(i).value) }
    }
}

/// Defines a version-1 C function `$symbol` (and its `pg_finfo_` record `$finfo`) whose body
/// `$body` maps the call's [`RowArgs`] to a result datum. Declare it in SQL with `LANGUAGE c AS
/// 'MODULE_PATHNAME', '$symbol'`.
macro_rules! row_function {
    ($finfo:ident, $symbol:ident, $body:expr) => {
        #[no_mangle]
        #[doc(hidden)]
        pub extern "C" fn $finfo() -> &'static ::pgrx::pg_sys::Pg_finfo_record {
            const V1: ::pgrx::pg_sys::Pg_finfo_record = ::pgrx::pg_sys::Pg_finfo_record { api_version: 1 };
            &V1
        }

        #[::pgrx::pg_guard]
        #[no_mangle]
        #[doc(hidden)]
        pub unsafe extern "C-unwind" fn $symbol(fcinfo: ::pgrx::pg_sys::FunctionCallInfo) -> ::pgrx::pg_sys::Datum {
            // SAFETY: PostgreSQL calls this with the arguments of the function's SQL declaration.
            let args = unsafe { $crate::pg::row_call::RowArgs::new(fcinfo) };
            let body: fn(&$crate::pg::row_call::RowArgs) -> ::pgrx::pg_sys::Datum = $body;
            body(&args)
        }
    };
}
pub(crate) use row_function;
