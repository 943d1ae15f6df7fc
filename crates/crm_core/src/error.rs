//! Errors raised by the math layer. The pgrx layer maps each kind to a SQLSTATE.

use std::fmt;

/// What went wrong, in PostgreSQL's style: a lower-case message, optional detail and hint.
#[derive(Debug, Clone, PartialEq)]
pub struct CrmError {
    pub kind: ErrorKind,
    pub message: String,
    pub detail: Option<String>,
    pub hint: Option<String>,
}

/// The class of an error; maps to a SQLSTATE in the extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// 22023 invalid_parameter_value
    InvalidParameter,
    /// 22003 numeric_value_out_of_range
    OutOfRange,
    /// 22004 null_value_not_allowed
    NullNotAllowed,
}

impl CrmError {
    pub fn invalid(message: impl Into<String>) -> Self {
        CrmError { kind: ErrorKind::InvalidParameter, message: message.into(), detail: None, hint: None }
    }
    pub fn out_of_range(message: impl Into<String>) -> Self {
        CrmError { kind: ErrorKind::OutOfRange, message: message.into(), detail: None, hint: None }
    }
    pub fn null_not_allowed(message: impl Into<String>) -> Self {
        CrmError { kind: ErrorKind::NullNotAllowed, message: message.into(), detail: None, hint: None }
    }
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for CrmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(d) = &self.detail {
            write!(f, " (detail: {d})")?;
        }
        Ok(())
    }
}

impl std::error::Error for CrmError {}

pub type CrmResult<T> = Result<T, CrmError>;
