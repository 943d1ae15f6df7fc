//! Array arguments that must be one-dimensional: pgrx's `Array` reads a 2-D array as its
//! flattened elements, so `ARRAY[[1, 2], [3, 4]]` would silently become four features.

use crate::pg::errors::raise;
use crm_core::error::CrmError;
use pgrx::pg_sys;

/// Raises 22023 when argument `argno` (0-based) of the call is an array of more than one
/// dimension; NULL and one-dimensional (or empty) arrays pass.
pub fn require_one_dimension(fcinfo: pg_sys::FunctionCallInfo, argno: usize, argument: &str) {
    // SAFETY: fcinfo is the live call info and argument argno is an array (by the SQL signature).
    // Detoasting "packed" copies only an external or compressed value (not the short-header
    // arrays of most rows); the array's first field after the varlena header is ndim.
    let ndim = unsafe {
        let Some(datum) = pgrx::fcinfo::pg_getarg_datum(fcinfo, argno) else { return };
        let array = pg_sys::pg_detoast_datum_packed(datum.cast_mut_ptr());
        std::ptr::read_unaligned(pgrx::varlena::vardata_any(array) as *const i32)
    };
    if ndim > 1 {
        raise(
            CrmError::invalid(format!("{argument} must be a one-dimensional array, got {ndim} dimensions"))
                .with_hint("pass one array per row, e.g. ARRAY[recency, frequency, monetary]"),
        );
    }
}
