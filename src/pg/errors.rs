//! Maps crm_core errors to PostgreSQL errors: lower-case message, DETAIL, HINT, SQLSTATE.

use crm_core::error::{CrmError, CrmResult, ErrorKind};
use pgrx::pg_sys::panic::ErrorReport;
use pgrx::prelude::*;

/// Raises `e` as a PostgreSQL ERROR; never returns.
#[track_caller]
pub fn raise(e: CrmError) -> ! {
    let code = match e.kind {
        ErrorKind::InvalidParameter => PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
        ErrorKind::OutOfRange => PgSqlErrorCode::ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
        ErrorKind::NullNotAllowed => PgSqlErrorCode::ERRCODE_NULL_VALUE_NOT_ALLOWED,
    };
    raise_as(code, e)
}

/// Raises `e`'s message, detail and hint as a PostgreSQL ERROR with SQLSTATE `code`.
#[track_caller]
pub fn raise_as(code: PgSqlErrorCode, e: CrmError) -> ! {
    let mut report = ErrorReport::new(code, e.message, "crm_ext");
    if let Some(d) = e.detail {
        report = report.set_detail(d);
    }
    if let Some(h) = e.hint {
        report = report.set_hint(h);
    }
    report.report(PgLogLevel::ERROR);
    unreachable!("ERROR does not return")
}

/// Emits a WARNING with an optional detail and hint.
pub fn warn(message: &str, detail: Option<String>, hint: Option<&str>) {
    let mut report = ErrorReport::new(PgSqlErrorCode::ERRCODE_WARNING, message.to_string(), "crm_ext");
    if let Some(d) = detail {
        report = report.set_detail(d);
    }
    if let Some(h) = hint {
        report = report.set_hint(h.to_string());
    }
    report.report(PgLogLevel::WARNING);
}

/// `result.or_raise()`: the value, or the error raised in PostgreSQL.
pub trait OrRaise<T> {
    fn or_raise(self) -> T;
}

impl<T> OrRaise<T> for CrmResult<T> {
    #[track_caller]
    fn or_raise(self) -> T {
        match self {
            Ok(v) => v,
            Err(e) => raise(e),
        }
    }
}
