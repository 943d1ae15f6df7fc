//! Per-customer summaries of transactions with the conventions of the `lifetimes` library's
//! `summary_data_from_transaction_data` and `calibration_and_holdout_data`:
//! - transactions in the same period (day by default) are merged, their amounts summed;
//! - frequency = number of periods with a purchase - 1 (repeat periods);
//! - recency = time from the first to the last purchase period, T = from the first purchase period
//!   to the period of the observation end, both in a time unit;
//! - monetary_value = mean amount of the repeat periods (the first is excluded), 0 without repeats;
//! - transactions after the observation end are ignored.
//!
//! Times are PostgreSQL timestamps: microseconds since 2000-01-01 00:00.

use crate::error::{CrmError, CrmResult};
use crate::summary::units::TimeUnit;
use std::collections::BTreeMap;

const MICROS_PER_HOUR: i64 = 3_600_000_000;
const MICROS_PER_DAY: i64 = 24 * MICROS_PER_HOUR;

/// The granularity at which purchases are merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Hour,
    Day,
    /// ISO weeks, Monday to Sunday (the same grouping as pandas' `W` periods)
    Week,
    Month,
}

impl Period {
    pub fn parse(s: &str) -> CrmResult<Self> {
        match s.trim().to_ascii_lowercase().trim_end_matches('s') {
            "hour" => Ok(Period::Hour),
            "day" => Ok(Period::Day),
            "week" => Ok(Period::Week),
            "month" => Ok(Period::Month),
            _ => Err(CrmError::invalid(format!("unknown period \"{s}\"")).with_hint("use one of hour, day, week, month")),
        }
    }

    /// The start of the period holding `ts`, in microseconds since 2000-01-01.
    pub fn start(self, ts: i64) -> i64 {
        match self {
            Period::Hour => ts.div_euclid(MICROS_PER_HOUR) * MICROS_PER_HOUR,
            Period::Day => ts.div_euclid(MICROS_PER_DAY) * MICROS_PER_DAY,
            Period::Week => {
                let day = ts.div_euclid(MICROS_PER_DAY);
                // 2000-01-01 was a Saturday: (day + 5) mod 7 is 0 on Mondays
                (day - (day + 5).rem_euclid(7)) * MICROS_PER_DAY
            }
            Period::Month => {
                let (y, m, _) = civil_from_days(ts.div_euclid(MICROS_PER_DAY));
                days_from_civil(y, m, 1) * MICROS_PER_DAY
            }
        }
    }
}

/// Days since 2000-01-01 -> (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 10_957 + 719_468; // shift to 0000-03-01 based
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// (year, month, day) -> days since 2000-01-01.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468 - 10_957
}

/// Time between two period starts in `unit`: whole months when both the period and the unit are
/// months, otherwise the exact duration (a month unit counts 30 days, as in `TimeUnit::days`).
fn span(from: i64, to: i64, period: Period, unit: TimeUnit) -> f64 {
    if period == Period::Month && unit == TimeUnit::Month {
        let (y0, m0, _) = civil_from_days(from.div_euclid(MICROS_PER_DAY));
        let (y1, m1, _) = civil_from_days(to.div_euclid(MICROS_PER_DAY));
        return ((y1 - y0) * 12 + (m1 - m0)) as f64;
    }
    (to - from) as f64 / (unit.days() * MICROS_PER_DAY as f64)
}

fn check_ts(ts: i64, what: &str) -> CrmResult<()> {
    if ts == i64::MIN || ts == i64::MAX {
        return Err(CrmError::invalid(format!("{what} must be a finite timestamp")).with_detail("got infinity"));
    }
    Ok(())
}

#[cold]
fn period_sum_out_of_range(start: i64) -> CrmError {
    CrmError::out_of_range("the amounts of one purchase period sum to more than double precision can hold")
        .with_detail(format!("period starting at {start} (microseconds since 2000-01-01)"))
        .with_hint("check the amount column's unit")
}

/// `mean` (of `n` amounts) when finite, else the error (22003) naming the quantity.
fn finite_mean(what: &str, mean: f64, n: usize) -> CrmResult<f64> {
    if mean.is_finite() {
        Ok(mean)
    } else {
        Err(CrmError::out_of_range(format!("{what} is out of range for double precision"))
            .with_detail(format!("the amounts of {n} purchase periods sum to more than double precision can hold"))
            .with_hint("check the amount column's unit"))
    }
}

/// Aggregation state for one customer: purchase periods with summed amounts, split at the
/// calibration end when there is one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TransactionState {
    /// period start -> summed amount, for transactions up to the calibration (or observation) end
    calibration: BTreeMap<i64, f64>,
    /// period start -> summed amount, for calibration end < transaction <= observation end
    holdout: BTreeMap<i64, f64>,
    /// (calibration end, observation end); equal when there is no holdout
    ends: Option<(i64, i64)>,
}

/// The lifetimes-style summary of one customer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CustomerSummary {
    pub frequency: f64,
    pub recency: f64,
    pub t: f64,
    pub monetary_value: f64,
}

/// A calibration summary plus what happened in the holdout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HoldoutSummary {
    pub calibration: CustomerSummary,
    pub frequency_holdout: f64,
    pub monetary_value_holdout: f64,
    pub duration_holdout: f64,
}

impl TransactionState {
    /// Adds one transaction. `calibration_end` <= `observation_end`; pass the same value twice for
    /// a plain summary. Both must be the same on every row of a customer. Errors (22023): an
    /// infinite timestamp, a NaN or infinite amount, inconsistent ends; (22003): the amounts of
    /// one period summing to more than double precision holds (the state is left as it was).
    pub fn add(&mut self, ts: i64, amount: f64, calibration_end: i64, observation_end: i64, period: Period) -> CrmResult<()> {
        check_ts(ts, "order timestamp")?;
        check_ts(calibration_end, "calibration end")?;
        check_ts(observation_end, "observation end")?;
        if !amount.is_finite() {
            return Err(CrmError::invalid("amount must be a finite number").with_detail(format!("got {amount}")));
        }
        if calibration_end > observation_end {
            return Err(CrmError::invalid("the calibration end must not be after the observation end"));
        }
        match self.ends {
            None => self.ends = Some((calibration_end, observation_end)),
            Some(e) if e != (calibration_end, observation_end) => {
                return Err(CrmError::invalid("the period end differs between rows of one customer")
                    .with_hint("pass a constant, e.g. DATE '2021-06-01'"))
            }
            _ => {}
        }
        if ts > observation_end {
            return Ok(());
        }
        let target = if ts <= calibration_end { &mut self.calibration } else { &mut self.holdout };
        let start = period.start(ts);
        let sum = target.get(&start).map_or(amount, |&s| s + amount);
        if !sum.is_finite() {
            return Err(period_sum_out_of_range(start));
        }
        target.insert(start, sum);
        Ok(())
    }

    /// Adds `other`'s transactions (parallel aggregation). Errors as [`TransactionState::add`]
    /// for differing ends and for a period's sum out of range (then nothing is merged).
    /// Bytes held on the heap (the two period maps, estimated), for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        crate::heap::btree_bytes::<i64, f64>(self.calibration.len() + self.holdout.len())
    }

    pub fn merge(&mut self, other: &TransactionState) -> CrmResult<()> {
        for (mine, theirs) in [(&self.calibration, &other.calibration), (&self.holdout, &other.holdout)] {
            if let Some((&k, _)) = theirs.iter().find(|(k, v)| mine.get(k).is_some_and(|s| !(s + *v).is_finite())) {
                return Err(period_sum_out_of_range(k));
            }
        }
        match (self.ends, other.ends) {
            (Some(a), Some(b)) if a != b => return Err(CrmError::invalid("the period end differs between rows of one customer")),
            (None, b) => self.ends = b,
            _ => {}
        }
        for (k, v) in &other.calibration {
            *self.calibration.entry(*k).or_insert(0.0) += v;
        }
        for (k, v) in &other.holdout {
            *self.holdout.entry(*k).or_insert(0.0) += v;
        }
        Ok(())
    }

    /// The calibration summary; Ok(None) when the customer has no purchase up to the calibration
    /// end. Error (22003) when the repeat periods' amounts sum to more than double precision
    /// holds (monetary_value would be infinite).
    pub fn summary(&self, period: Period, unit: TimeUnit) -> CrmResult<Option<CustomerSummary>> {
        let (Some((cal_end, _)), Some((&first, _)), Some((&last, _))) =
            (self.ends, self.calibration.first_key_value(), self.calibration.last_key_value())
        else {
            return Ok(None);
        };
        let repeats = self.calibration.len() - 1;
        let repeat_total: f64 = self.calibration.values().skip(1).sum();
        let monetary_value = if repeats == 0 { 0.0 } else { repeat_total / repeats as f64 };
        Ok(Some(CustomerSummary {
            frequency: repeats as f64,
            recency: span(first, last, period, unit),
            t: span(first, period.start(cal_end), period, unit),
            monetary_value: finite_mean("monetary_value", monetary_value, repeats)?,
        }))
    }

    /// The calibration summary with holdout purchases (periods), their mean amount and the
    /// holdout length; Ok(None) when the customer's first purchase is after the calibration end.
    /// Errors (22003) as [`TransactionState::summary`], for monetary_value_holdout too.
    pub fn holdout_summary(&self, period: Period, unit: TimeUnit) -> CrmResult<Option<HoldoutSummary>> {
        let Some(calibration) = self.summary(period, unit)? else { return Ok(None) };
        let Some((cal_end, obs_end)) = self.ends else { return Ok(None) };
        let n = self.holdout.len();
        let monetary_value_holdout = if n == 0 { 0.0 } else { self.holdout.values().sum::<f64>() / n as f64 };
        Ok(Some(HoldoutSummary {
            calibration,
            frequency_holdout: n as f64,
            monetary_value_holdout: finite_mean("monetary_value_holdout", monetary_value_holdout, n)?,
            duration_holdout: span(period.start(cal_end), period.start(obs_end), period, unit),
        }))
    }

    /// Little-endian: version byte, ends flag + 2 i64, then each map as count + (i64, f64) pairs.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(18 + 16 * (self.calibration.len() + self.holdout.len()) + 16);
        out.push(1);
        let (c, o) = self.ends.unwrap_or((0, 0));
        out.push(u8::from(self.ends.is_some()));
        out.extend_from_slice(&c.to_le_bytes());
        out.extend_from_slice(&o.to_le_bytes());
        for map in [&self.calibration, &self.holdout] {
            out.extend_from_slice(&(map.len() as u64).to_le_bytes());
            for (k, v) in map {
                out.extend_from_slice(&k.to_le_bytes());
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> CrmResult<Self> {
        let corrupt = || CrmError::invalid("corrupt transaction summary state");
        let mut r = bytes;
        let mut take = |n: usize| -> CrmResult<&[u8]> {
            if r.len() < n {
                return Err(corrupt());
            }
            let (head, tail) = r.split_at(n);
            r = tail;
            Ok(head)
        };
        if take(1)?[0] != 1 {
            return Err(corrupt());
        }
        let has_ends = take(1)?[0] == 1;
        let c = i64::from_le_bytes(take(8)?.try_into().unwrap());
        let o = i64::from_le_bytes(take(8)?.try_into().unwrap());
        let mut maps = [BTreeMap::new(), BTreeMap::new()];
        for map in maps.iter_mut() {
            let n = u64::from_le_bytes(take(8)?.try_into().unwrap());
            for _ in 0..n {
                let k = i64::from_le_bytes(take(8)?.try_into().unwrap());
                let v = f64::from_le_bytes(take(8)?.try_into().unwrap());
                if !v.is_finite() {
                    return Err(corrupt());
                }
                map.insert(k, v);
            }
        }
        let [calibration, holdout] = maps;
        Ok(TransactionState { calibration, holdout, ends: has_ends.then_some((c, o)) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i64, m: i64, d: i64) -> i64 {
        days_from_civil(y, m, d) * MICROS_PER_DAY
    }

    #[test]
    fn calendar_round_trips() {
        assert_eq!(days_from_civil(2000, 1, 1), 0);
        assert_eq!(days_from_civil(1997, 9, 30), -823);
        for d in [-800_000, -10_958, -1, 0, 59, 60, 366, 9_000, 400_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d, "day {d}");
        }
    }

    #[test]
    fn period_starts() {
        let ts = day(2021, 6, 2) + 13 * MICROS_PER_HOUR + 5; // a Wednesday
        assert_eq!(Period::Day.start(ts), day(2021, 6, 2));
        assert_eq!(Period::Week.start(ts), day(2021, 5, 31)); // Monday
        assert_eq!(Period::Week.start(day(2021, 5, 30)), day(2021, 5, 24)); // Sunday -> previous Monday
        assert_eq!(Period::Month.start(ts), day(2021, 6, 1));
        assert_eq!(Period::Hour.start(ts), day(2021, 6, 2) + 13 * MICROS_PER_HOUR);
        assert_eq!(Period::Day.start(day(1997, 1, 1) - 1), day(1996, 12, 31));
    }

    #[test]
    fn summary_follows_lifetimes_conventions() {
        // CDNOW customer 4 of the sample: 1997-01-01 29.33, 1997-01-18 29.73, 1997-08-02 14.96,
        // 1997-12-12 26.48 (holdout); calibration end 1997-09-30
        let cal = day(1997, 9, 30);
        let obs = day(1998, 6, 30);
        let mut s = TransactionState::default();
        for (ts, amt) in [(day(1997, 1, 1), 29.33), (day(1997, 1, 18), 29.73), (day(1997, 8, 2), 14.96), (day(1997, 12, 12), 26.48)] {
            s.add(ts, amt, cal, obs, Period::Day).unwrap();
        }
        let h = s.holdout_summary(Period::Day, TimeUnit::Week).unwrap().unwrap();
        assert_eq!(h.calibration.frequency, 2.0);
        assert!((h.calibration.recency - 213.0 / 7.0).abs() < 1e-12);
        assert!((h.calibration.t - 272.0 / 7.0).abs() < 1e-12);
        assert!((h.calibration.monetary_value - (29.73 + 14.96) / 2.0).abs() < 1e-12);
        assert_eq!(h.frequency_holdout, 1.0);
        assert_eq!(h.monetary_value_holdout, 26.48);
        assert!((h.duration_holdout - 273.0 / 7.0).abs() < 1e-12);
    }

    #[test]
    fn same_day_purchases_merge_and_late_ones_are_ignored() {
        let end = day(2021, 6, 1);
        let mut s = TransactionState::default();
        s.add(day(2021, 1, 1) + 5, 10.0, end, end, Period::Day).unwrap();
        s.add(day(2021, 1, 1) + 9, 5.0, end, end, Period::Day).unwrap();
        s.add(day(2021, 1, 8), 7.0, end, end, Period::Day).unwrap();
        s.add(day(2021, 7, 1), 99.0, end, end, Period::Day).unwrap();
        let c = s.summary(Period::Day, TimeUnit::Day).unwrap().unwrap();
        assert_eq!((c.frequency, c.recency, c.t, c.monetary_value), (1.0, 7.0, 151.0, 7.0));
        let one = {
            let mut o = TransactionState::default();
            o.add(day(2021, 1, 1), 10.0, end, end, Period::Day).unwrap();
            o.summary(Period::Day, TimeUnit::Day).unwrap().unwrap()
        };
        assert_eq!((one.frequency, one.recency, one.monetary_value), (0.0, 0.0, 0.0));
    }

    #[test]
    fn merge_and_bytes_round_trip() {
        let (cal, obs) = (day(2021, 3, 1), day(2021, 6, 1));
        let rows = [(day(2021, 1, 1), 1.0), (day(2021, 2, 1), 2.0), (day(2021, 4, 1), 3.0), (day(2021, 1, 1), 4.0)];
        let mut all = TransactionState::default();
        let (mut a, mut b) = (TransactionState::default(), TransactionState::default());
        for (i, (ts, amt)) in rows.iter().enumerate() {
            all.add(*ts, *amt, cal, obs, Period::Day).unwrap();
            if i % 2 == 0 { &mut a } else { &mut b }.add(*ts, *amt, cal, obs, Period::Day).unwrap();
        }
        a.merge(&b).unwrap();
        assert_eq!(a, all);
        assert_eq!(TransactionState::from_bytes(&all.to_bytes()).unwrap(), all);
        assert!(TransactionState::from_bytes(&all.to_bytes()[..10]).is_err());
    }

    #[test]
    fn rejects_bad_input() {
        let end = day(2021, 6, 1);
        let mut s = TransactionState::default();
        assert!(s.add(day(2021, 1, 1), f64::NAN, end, end, Period::Day).is_err());
        assert!(s.add(i64::MAX, 1.0, end, end, Period::Day).is_err());
        assert!(s.add(day(2021, 1, 1), 1.0, end, end - 1, Period::Day).is_err());
        s.add(day(2021, 1, 1), 1.0, end, end, Period::Day).unwrap();
        assert!(s.add(day(2021, 1, 2), 1.0, end + 1, end + 1, Period::Day).is_err());
        assert!(Period::parse("fortnight").is_err());
    }

    #[test]
    fn sums_out_of_range_are_errors() {
        use crate::error::ErrorKind;
        let end = day(2021, 6, 1);
        // Two amounts of 1e308 on one day: the day's sum overflows; the state keeps the first.
        let mut s = TransactionState::default();
        s.add(day(2021, 1, 1), 1e308, end, end, Period::Day).unwrap();
        let e = s.add(day(2021, 1, 1) + 5, 1e308, end, end, Period::Day).unwrap_err();
        assert_eq!(e.kind, ErrorKind::OutOfRange);
        assert_eq!(e.message, "the amounts of one purchase period sum to more than double precision can hold");
        assert_eq!(s.summary(Period::Day, TimeUnit::Day).unwrap().unwrap().frequency, 0.0);
        // On repeat days: monetary_value (their mean) would be infinite.
        for d in [2, 3] {
            s.add(day(2021, 1, d), 1e308, end, end, Period::Day).unwrap();
        }
        let e = s.summary(Period::Day, TimeUnit::Day).unwrap_err();
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::OutOfRange, "monetary_value is out of range for double precision"));
        // In the holdout.
        let cal = day(2021, 3, 1);
        let mut h = TransactionState::default();
        for (ts, amt) in [(day(2021, 1, 1), 1.0), (day(2021, 4, 1), 1e308), (day(2021, 4, 2), 1e308)] {
            h.add(ts, amt, cal, end, Period::Day).unwrap();
        }
        let e = h.holdout_summary(Period::Day, TimeUnit::Day).unwrap_err();
        assert_eq!(e.message, "monetary_value_holdout is out of range for double precision");
        // Merging partial states whose sums of one day overflow: an error, nothing merged.
        let (mut a, mut b) = (TransactionState::default(), TransactionState::default());
        a.add(day(2021, 1, 1), 1e308, end, end, Period::Day).unwrap();
        b.add(day(2021, 1, 1), 1e308, end, end, Period::Day).unwrap();
        let before = a.clone();
        assert_eq!(a.merge(&b).unwrap_err().kind, ErrorKind::OutOfRange);
        assert_eq!(a, before);
        // Non-finite amounts and states.
        assert_eq!(
            TransactionState::default().add(day(2021, 1, 1), f64::INFINITY, end, end, Period::Day).unwrap_err().kind,
            ErrorKind::InvalidParameter
        );
        let mut bytes = a.to_bytes();
        let n = bytes.len();
        bytes[n - 8..].copy_from_slice(&f64::NAN.to_le_bytes());
        assert!(TransactionState::from_bytes(&bytes).is_err());
    }
}
