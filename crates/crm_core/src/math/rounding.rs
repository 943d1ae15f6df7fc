//! Rounding a limit to an integer, as the course (Python) and PostgreSQL do it.
//!
//! Python's `round(x)` rounds half to even (`round(48.5) == 48`); PostgreSQL's `round(numeric)`
//! rounds half away from zero (`round(48.5) == 49`). Outlier capping (see [`crate::rfm::outliers`])
//! takes the rule explicitly so results never depend on which tool someone had in mind.

use crate::error::{CrmError, CrmResult};
use serde::{Deserialize, Serialize};

/// Rounds to the nearest integer, halves to the even neighbour (Python 3 `round`, IEEE 754
/// roundTiesToEven): `0.5 -> 0`, `1.5 -> 2`, `48.5 -> 48`, `-2.5 -> -2`. NaN and infinities are
/// returned unchanged.
pub fn round_half_even(x: f64) -> f64 {
    x.round_ties_even()
}

/// Rounds to the nearest integer, halves away from zero (PostgreSQL `round(numeric)`, C `round`):
/// `0.5 -> 1`, `48.5 -> 49`, `-2.5 -> -3`. NaN and infinities are returned unchanged.
pub fn round_half_away(x: f64) -> f64 {
    x.round()
}

/// How a value is rounded to an integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundMode {
    /// Halves to even: Python `round`, the course's notebooks.
    HalfEven,
    /// Halves away from zero: PostgreSQL `round(numeric)`.
    HalfAway,
    /// No rounding: the value is kept as it is.
    None,
}

impl RoundMode {
    /// Parses `half_even`, `half_up` (alias `half_away`) and `none`, case-insensitively.
    /// `half_up` means half away from zero, as in PostgreSQL's `round(numeric)`.
    pub fn parse(s: &str) -> CrmResult<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "half_even" => Ok(RoundMode::HalfEven),
            "half_up" | "half_away" => Ok(RoundMode::HalfAway),
            "none" => Ok(RoundMode::None),
            _ => Err(CrmError::invalid(format!("unknown rounding mode \"{s}\""))
                .with_hint("use one of half_even (Python round), half_up (PostgreSQL round), none")),
        }
    }

    /// The canonical name accepted by [`RoundMode::parse`].
    pub fn as_str(self) -> &'static str {
        match self {
            RoundMode::HalfEven => "half_even",
            RoundMode::HalfAway => "half_up",
            RoundMode::None => "none",
        }
    }

    /// Applies this rounding rule to `x`.
    pub fn apply(self, x: f64) -> f64 {
        match self {
            RoundMode::HalfEven => round_half_even(x),
            RoundMode::HalfAway => round_half_away(x),
            RoundMode::None => x,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves() {
        let cases = [
            (0.5, 0.0, 1.0),
            (1.5, 2.0, 2.0),
            (2.5, 2.0, 3.0),
            (48.5, 48.0, 49.0),
            (-2.5, -2.0, -3.0),
            (2.4999, 2.0, 2.0),
            (-0.5, 0.0, -1.0),
        ];
        for (x, even, away) in cases {
            assert_eq!(round_half_even(x), even, "half even of {x}");
            assert_eq!(round_half_away(x), away, "half away of {x}");
        }
    }

    #[test]
    fn parses_modes() {
        assert_eq!(RoundMode::parse("half_even").unwrap(), RoundMode::HalfEven);
        assert_eq!(RoundMode::parse(" HALF_UP ").unwrap(), RoundMode::HalfAway);
        assert_eq!(RoundMode::parse("half_away").unwrap(), RoundMode::HalfAway);
        assert_eq!(RoundMode::parse("none").unwrap(), RoundMode::None);
        let err = RoundMode::parse("bankers").unwrap_err();
        assert_eq!(err.kind, crate::error::ErrorKind::InvalidParameter);
        for m in [RoundMode::HalfEven, RoundMode::HalfAway, RoundMode::None] {
            assert_eq!(RoundMode::parse(m.as_str()).unwrap(), m);
        }
        assert_eq!(RoundMode::None.apply(48.5), 48.5);
    }
}
