//! Composite (row type) results: a function declared `RETURNS some_composite` builds its value
//! from the type it was declared with, found through its own catalog entry, so the result does not
//! depend on the caller's search_path.

use pgrx::heap_tuple::PgHeapTuple;
use pgrx::{pg_sys, AllocatedByRust, IntoDatum};

/// An all-NULL tuple of the calling function's declared composite return type.
pub fn result_tuple(fcinfo: pg_sys::FunctionCallInfo) -> PgHeapTuple<'static, AllocatedByRust> {
    // SAFETY: fcinfo and its flinfo are the live call info PostgreSQL passed to the caller.
    let typoid = unsafe { pg_sys::get_func_rettype((*(*fcinfo).flinfo).fn_oid) };
    PgHeapTuple::new_composite_type_by_oid(typoid).expect("the function is declared to return a composite type")
}

/// Sets attribute `name` of `tuple`; the names and types are fixed by this extension's CREATE TYPE.
pub fn set<T: IntoDatum>(tuple: &mut PgHeapTuple<'static, AllocatedByRust>, name: &str, value: T) {
    tuple.set_by_name(name, value).unwrap_or_else(|e| panic!("composite attribute {name}: {e}"));
}
