//! Time units of recency, T and horizons, and how many of them make a month
//! (docs/references.md section 6).

use crate::error::{CrmError, CrmResult};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    Hour,
    Day,
    Week,
    Month,
}

impl TimeUnit {
    /// Parses `hour`, `day`, `week`, `month` (case-insensitive, plural accepted).
    pub fn parse(s: &str) -> CrmResult<Self> {
        match s.trim().to_ascii_lowercase().trim_end_matches('s') {
            "hour" => Ok(TimeUnit::Hour),
            "day" => Ok(TimeUnit::Day),
            "week" => Ok(TimeUnit::Week),
            "month" => Ok(TimeUnit::Month),
            _ => Err(CrmError::invalid(format!("unknown time unit \"{s}\"")).with_hint("use one of hour, day, week, month")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Hour => "hour",
            TimeUnit::Day => "day",
            TimeUnit::Week => "week",
            TimeUnit::Month => "month",
        }
    }

    /// Units per month as the `lifetimes` library and the course use them:
    /// weeks 4.345, days 30, hours 720, months 1.
    pub fn per_month(self) -> f64 {
        match self {
            TimeUnit::Hour => 720.0,
            TimeUnit::Day => 30.0,
            TimeUnit::Week => 4.345,
            TimeUnit::Month => 1.0,
        }
    }

    /// Length of one unit in days (for converting day differences); a month is 30 days here,
    /// consistent with `per_month`.
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Hour => 1.0 / 24.0,
            TimeUnit::Day => 1.0,
            TimeUnit::Week => 7.0,
            TimeUnit::Month => 30.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units() {
        assert_eq!(TimeUnit::parse("Week").unwrap(), TimeUnit::Week);
        assert_eq!(TimeUnit::parse("days").unwrap(), TimeUnit::Day);
        assert!(TimeUnit::parse("fortnight").is_err());
        assert_eq!(TimeUnit::Week.per_month(), 4.345);
    }
}
