//! Calendar periods for cohorts and KPIs, as SQL fragments for `date_trunc` and `generate_series`.

use crm_core::error::CrmError;

/// A calendar period: `date_trunc` units, weeks are ISO weeks (starting on Monday).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl Period {
    /// Parses day, week, month, quarter, year (case-insensitive); else 22023.
    pub fn parse(s: &str) -> Result<Period, CrmError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "day" => Ok(Period::Day),
            "week" => Ok(Period::Week),
            "month" => Ok(Period::Month),
            "quarter" => Ok(Period::Quarter),
            "year" => Ok(Period::Year),
            _ => Err(CrmError::invalid(format!("unknown period \"{s}\"")).with_hint("use one of day, week, month, quarter, year")),
        }
    }

    fn unit(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }

    /// SQL for the first day of the period containing the date/timestamp expression `ts`.
    /// `timestamptz` values are taken in the session time zone.
    pub fn start_sql(self, ts: &str) -> String {
        format!("date_trunc('{}', ({ts})::timestamp)::date", self.unit())
    }

    /// SQL for the interval from one period start to the next.
    pub fn step_sql(self) -> &'static str {
        match self {
            Period::Day => "interval '1 day'",
            Period::Week => "interval '1 week'",
            Period::Month => "interval '1 month'",
            Period::Quarter => "interval '3 months'",
            Period::Year => "interval '1 year'",
        }
    }
}
