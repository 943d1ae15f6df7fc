//! Per-customer RFM aggregation: the state behind `crm_rfm(order_ts, amount [, order_id], as_of)`.
//!
//! Conventions:
//! - Timestamps are `i64` microseconds since an epoch, as PostgreSQL stores `timestamp`s; the
//!   epoch does not matter because only differences are used. The infinite timestamps
//!   (`i64::MIN`, `i64::MAX`) are rejected.
//! - `as_of` (the analysis date) must be the same for every row of a group, and no order may be
//!   after it: both are errors (22023), never silently clamped.
//! - Day counts are whole days, floored, as Python's `(as_of - last).days`.
//! - Frequency is the number of distinct order ids when ids are given, else the number of rows.
//!   Within one group either every row has an id or none has (22004 otherwise), so a NULL id is
//!   never silently counted one way or the other.
//! - The monetary sum is exact until its final rounding (Shewchuk's algorithm, as Python's
//!   `math.fsum`): the result is the correctly rounded sum of all amounts, whatever the row order
//!   or the way parallel workers split and merge the group.

use crate::error::{CrmError, CrmResult};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

const MICROS_PER_DAY: i128 = 86_400_000_000;
const FORMAT_VERSION: u8 = 1;

/// An exact running sum: non-overlapping partials in increasing magnitude whose exact sum is the
/// sum of everything added.
#[derive(Clone, Debug, Default, PartialEq)]
struct ExactSum {
    partials: Vec<f64>,
}

impl ExactSum {
    /// Adds `value`; on overflow (22003) the sum is left as it was.
    fn add(&mut self, value: f64) -> CrmResult<()> {
        let mut next = Vec::with_capacity(self.partials.len() + 1);
        let mut x = value;
        for &partial in &self.partials {
            let mut y = partial;
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            if !hi.is_finite() {
                return Err(CrmError::out_of_range("sum of amounts is out of range for double precision"));
            }
            let lo = y - (hi - x);
            if lo != 0.0 {
                next.push(lo);
            }
            x = hi;
        }
        next.push(x);
        self.partials = next;
        Ok(())
    }

    /// The correctly rounded (half-even) value of the exact sum (CPython's `math.fsum` ending).
    fn value(&self) -> f64 {
        let p = &self.partials;
        let mut n = p.len();
        if n == 0 {
            return 0.0;
        }
        n -= 1;
        let mut hi = p[n];
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = p[n];
            hi = x + y;
            lo = y - (hi - x);
            if lo != 0.0 {
                break;
            }
        }
        if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            if y == x - hi {
                hi = x;
            }
        }
        hi
    }
}

/// The aggregation state of one customer (group).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RfmState {
    as_of: i64,
    first: i64,
    last: i64,
    rows: u64,
    id_rows: u64,
    sum: ExactSum,
    ids: BTreeSet<String>,
    /// Total length of the strings in `ids` (for `heap_bytes`).
    id_bytes: usize,
}

/// RFM values of one customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RfmResult {
    /// Whole days from the last order to `as_of` (floored).
    pub recency_days: i64,
    /// Distinct order ids when ids were given, else rows.
    pub frequency: i64,
    /// Sum of the amounts.
    pub monetary: f64,
    pub first_order_micros: i64,
    pub last_order_micros: i64,
    /// Whole days from the first order to `as_of` (floored).
    pub tenure_days: i64,
}

fn check_timestamp(what: &str, ts: i64) -> CrmResult<()> {
    if ts == i64::MIN || ts == i64::MAX {
        Err(CrmError::invalid(format!("{what} must be a finite timestamp")))
    } else {
        Ok(())
    }
}

fn whole_days(from: i64, to: i64) -> i64 {
    // Finite PostgreSQL timestamps differ by less than 2^63 microseconds' worth of days.
    ((to as i128 - from as i128).div_euclid(MICROS_PER_DAY)) as i64
}

fn mixed_ids_error() -> CrmError {
    CrmError::null_not_allowed("order_id is NULL in some rows of a customer but not in others")
        .with_hint("give every row an order id, or use the form without order_id to count rows")
}

impl RfmState {
    pub fn new() -> Self {
        Self::default()
    }

    /// Bytes held on the heap (partial sums, the order-id set, estimated), for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        crate::heap::vec_bytes::<f64>(self.sum.partials.capacity()) + crate::heap::btree_bytes::<String, ()>(self.ids.len()) + self.id_bytes
    }

    /// Number of rows added so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Adds one order line. Errors: `amount` NaN or infinite (22023); infinite timestamps (22023);
    /// `as_of` different from earlier rows' (22023); order after `as_of` (22023); an order id
    /// given in some rows only (22004); the sum overflowing (22003).
    pub fn add(&mut self, ts_micros: i64, amount: f64, order_id: Option<&str>, as_of_micros: i64) -> CrmResult<()> {
        if !amount.is_finite() {
            return Err(CrmError::invalid(format!("amount must be finite, got {amount}")));
        }
        check_timestamp("order timestamp", ts_micros)?;
        check_timestamp("as_of", as_of_micros)?;
        if self.rows > 0 && as_of_micros != self.as_of {
            return Err(CrmError::invalid("as_of must be the same for all rows of a customer")
                .with_detail(format!("got {as_of_micros} after {} (microseconds)", self.as_of)));
        }
        if ts_micros > as_of_micros {
            return Err(CrmError::invalid("order after as_of")
                .with_detail(format!("order at {ts_micros}, as_of {as_of_micros} (microseconds)"))
                .with_hint("choose an analysis date (as_of) after the last order, e.g. the last order date + 2 days"));
        }
        if self.rows > 0 && (self.id_rows > 0) != order_id.is_some() {
            return Err(mixed_ids_error());
        }
        self.sum.add(amount)?;
        if self.rows == 0 {
            self.as_of = as_of_micros;
            self.first = ts_micros;
            self.last = ts_micros;
        } else {
            self.first = self.first.min(ts_micros);
            self.last = self.last.max(ts_micros);
        }
        self.rows += 1;
        if let Some(id) = order_id {
            self.id_rows += 1;
            if !self.ids.contains(id) {
                self.ids.insert(id.to_owned());
                self.id_bytes += id.len();
            }
        }
        Ok(())
    }

    /// Combines two partial states of the same customer (parallel aggregation). The result does
    /// not depend on which side is which. Errors as [`RfmState::add`] for differing `as_of` and
    /// mixed order ids.
    pub fn merge(&mut self, other: &RfmState) -> CrmResult<()> {
        if other.rows == 0 {
            return Ok(());
        }
        if self.rows == 0 {
            *self = other.clone();
            return Ok(());
        }
        if self.as_of != other.as_of {
            return Err(CrmError::invalid("as_of must be the same for all rows of a customer")
                .with_detail(format!("got {} and {} (microseconds)", self.as_of, other.as_of)));
        }
        if (self.id_rows > 0) != (other.id_rows > 0) {
            return Err(mixed_ids_error());
        }
        let mut sum = self.sum.clone();
        for &p in &other.sum.partials {
            sum.add(p)?;
        }
        self.sum = sum;
        self.first = self.first.min(other.first);
        self.last = self.last.max(other.last);
        self.rows += other.rows;
        self.id_rows += other.id_rows;
        for id in &other.ids {
            if !self.ids.contains(id) {
                self.id_bytes += id.len();
                self.ids.insert(id.clone());
            }
        }
        Ok(())
    }

    /// The customer's RFM values, `None` when no row was added.
    pub fn result(&self) -> Option<RfmResult> {
        if self.rows == 0 {
            return None;
        }
        let frequency = if self.id_rows > 0 { self.ids.len() as u64 } else { self.rows };
        Some(RfmResult {
            recency_days: whole_days(self.last, self.as_of),
            frequency: i64::try_from(frequency).unwrap_or(i64::MAX),
            monetary: self.sum.value(),
            first_order_micros: self.first,
            last_order_micros: self.last,
            tenure_days: whole_days(self.first, self.as_of),
        })
    }

    /// Compact little-endian serialisation (for PostgreSQL's aggregate serialfunc):
    /// version, as_of, first, last, rows, id_rows, partial sums, order ids.
    pub fn to_bytes(&self) -> Vec<u8> {
        let ids_len: usize = self.ids.iter().map(|s| 4 + s.len()).sum();
        let mut b = Vec::with_capacity(1 + 8 * 5 + 4 + 8 * self.sum.partials.len() + 4 + ids_len);
        b.push(FORMAT_VERSION);
        for v in [self.as_of, self.first, self.last] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        b.extend_from_slice(&self.rows.to_le_bytes());
        b.extend_from_slice(&self.id_rows.to_le_bytes());
        b.extend_from_slice(&(self.sum.partials.len() as u32).to_le_bytes());
        for p in &self.sum.partials {
            b.extend_from_slice(&p.to_le_bytes());
        }
        b.extend_from_slice(&(self.ids.len() as u32).to_le_bytes());
        for id in &self.ids {
            b.extend_from_slice(&(id.len() as u32).to_le_bytes());
            b.extend_from_slice(id.as_bytes());
        }
        b
    }

    /// Reads [`RfmState::to_bytes`] output; errors (22023) on anything malformed.
    pub fn from_bytes(bytes: &[u8]) -> CrmResult<Self> {
        let mut r = Reader { bytes, pos: 0 };
        if r.take(1)?[0] != FORMAT_VERSION {
            return Err(CrmError::invalid("unsupported RFM state format version"));
        }
        let as_of = r.i64()?;
        let first = r.i64()?;
        let last = r.i64()?;
        let rows = r.u64()?;
        let id_rows = r.u64()?;
        let n_partials = r.u32()? as usize;
        let mut partials = Vec::with_capacity(n_partials.min(64));
        for _ in 0..n_partials {
            partials.push(f64::from_le_bytes(r.take(8)?.try_into().expect("8 bytes")));
        }
        let n_ids = r.u32()? as usize;
        let mut ids = BTreeSet::new();
        for _ in 0..n_ids {
            let len = r.u32()? as usize;
            let s = std::str::from_utf8(r.take(len)?).map_err(|_| CrmError::invalid("RFM state holds an order id that is not UTF-8"))?;
            ids.insert(s.to_owned());
        }
        let consistent = r.pos == bytes.len()
            && partials.iter().all(|p| p.is_finite())
            && id_rows <= rows
            && ids.len() as u64 <= id_rows
            && (id_rows == 0 || !ids.is_empty())
            && (rows > 0 || (partials.is_empty() && as_of == 0 && first == 0 && last == 0))
            && (rows == 0 || (first <= last && last <= as_of && !partials.is_empty()));
        if !consistent {
            return Err(CrmError::invalid("malformed RFM state"));
        }
        let id_bytes = ids.iter().map(String::len).sum();
        Ok(RfmState { as_of, first, last, rows, id_rows, sum: ExactSum { partials }, ids, id_bytes })
    }
}

/// Bounds-checked reading of little-endian fields.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> CrmResult<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or_else(|| CrmError::invalid("truncated RFM state"))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u32(&mut self) -> CrmResult<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    fn u64(&mut self) -> CrmResult<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }
    fn i64(&mut self) -> CrmResult<i64> {
        Ok(i64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    const DAY: i64 = 86_400_000_000;

    #[test]
    fn exact_sum_is_order_independent() {
        let xs = [1e16, 1.0, -1e16, 0.1, 0.2, 0.3, 1e-20, 3.0];
        let mut a = ExactSum::default();
        for &x in &xs {
            a.add(x).unwrap();
        }
        let mut b = ExactSum::default();
        for &x in xs.iter().rev() {
            b.add(x).unwrap();
        }
        // exact sum 4.6 + 1e-20 rounds to the double nearest 4.6
        assert_eq!(a.value(), 4.6);
        assert_eq!(b.value(), 4.6);
        let mut c = ExactSum::default();
        c.add(f64::MAX).unwrap();
        assert_eq!(c.add(f64::MAX).unwrap_err().kind, ErrorKind::OutOfRange);
        assert_eq!(c.value(), f64::MAX);
        // half-even across partials: 1 + 2^-53 + 2^-105 is above the halfway point
        let mut d = ExactSum::default();
        for x in [1.0, 2f64.powi(-53), 2f64.powi(-105)] {
            d.add(x).unwrap();
        }
        assert_eq!(d.value(), 1.0 + f64::EPSILON);
    }

    #[test]
    fn rows_and_days() {
        let as_of = 100 * DAY;
        let mut s = RfmState::new();
        assert_eq!(s.result(), None);
        s.add(10 * DAY + 5, 10.0, None, as_of).unwrap();
        s.add(97 * DAY + 1, 2.5, None, as_of).unwrap();
        s.add(50 * DAY, 0.5, None, as_of).unwrap();
        let r = s.result().unwrap();
        assert_eq!(r.recency_days, 2); // 2 days 23:59:59.999999 -> 2
        assert_eq!(r.tenure_days, 89);
        assert_eq!(r.frequency, 3);
        assert_eq!(r.monetary, 13.0);
        assert_eq!((r.first_order_micros, r.last_order_micros), (10 * DAY + 5, 97 * DAY + 1));
    }

    #[test]
    fn distinct_order_ids() {
        let mut s = RfmState::new();
        for (ts, id) in [(1, "a"), (2, "b"), (3, "a")] {
            s.add(ts * DAY, 1.0, Some(id), 10 * DAY).unwrap();
        }
        assert_eq!(s.result().unwrap().frequency, 2);
        assert_eq!(s.add(4 * DAY, 1.0, None, 10 * DAY).unwrap_err().kind, ErrorKind::NullNotAllowed);
        let mut t = RfmState::new();
        t.add(DAY, 1.0, None, 10 * DAY).unwrap();
        assert_eq!(t.add(DAY, 1.0, Some("x"), 10 * DAY).unwrap_err().kind, ErrorKind::NullNotAllowed);
        assert_eq!(t.merge(&s).unwrap_err().kind, ErrorKind::NullNotAllowed);
    }

    #[test]
    fn heap_bytes_count_distinct_ids_once() {
        let mut a = RfmState::new();
        let base = a.heap_bytes();
        for (ts, id) in [(1, "order-1"), (2, "order-2"), (3, "order-1")] {
            a.add(ts * DAY, 1.0, Some(id), 10 * DAY).unwrap();
        }
        let two_ids = a.heap_bytes();
        assert!(two_ids >= base + 14, "{base} -> {two_ids}");
        let mut b = RfmState::new();
        b.add(4 * DAY, 1.0, Some("order-2"), 10 * DAY).unwrap();
        b.add(5 * DAY, 1.0, Some("order-3"), 10 * DAY).unwrap();
        let mut merged = a.clone();
        merged.merge(&b).unwrap();
        let back = RfmState::from_bytes(&merged.to_bytes()).unwrap();
        assert_eq!(back, merged);
        assert_eq!(merged.id_bytes, 21);
        assert!(merged.heap_bytes() > two_ids);
    }

    #[test]
    fn rejects_bad_rows() {
        let mut s = RfmState::new();
        assert!(s.add(0, f64::NAN, None, DAY).is_err());
        assert!(s.add(0, f64::INFINITY, None, DAY).is_err());
        assert!(s.add(i64::MIN, 1.0, None, DAY).is_err());
        assert!(s.add(0, 1.0, None, i64::MAX).is_err());
        let e = s.add(2 * DAY, 1.0, None, DAY).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidParameter);
        assert_eq!(e.message, "order after as_of");
        assert_eq!(s.rows(), 0);
        s.add(0, 1.0, None, DAY).unwrap();
        assert!(s.add(0, 1.0, None, 2 * DAY).is_err());
        assert_eq!(s.rows(), 1);
    }

    #[test]
    fn merge_matches_sequential_and_serialises() {
        let as_of = 400 * DAY;
        let rows: Vec<(i64, f64, String)> =
            (0..40).map(|i| ((i * 7 % 365) * DAY + i, 0.1 * (i % 13) as f64 + 1e6 * (i % 3) as f64, format!("o{}", i % 17))).collect();
        let mut all = RfmState::new();
        for (ts, amt, id) in &rows {
            all.add(*ts, *amt, Some(id), as_of).unwrap();
        }
        for split in [0, 1, 13, 39, 40] {
            let (mut a, mut b) = (RfmState::new(), RfmState::new());
            for (ts, amt, id) in &rows[..split] {
                a.add(*ts, *amt, Some(id), as_of).unwrap();
            }
            for (ts, amt, id) in rows[split..].iter().rev() {
                b.add(*ts, *amt, Some(id), as_of).unwrap();
            }
            let a = RfmState::from_bytes(&a.to_bytes()).unwrap();
            let mut ab = a.clone();
            ab.merge(&b).unwrap();
            let mut ba = b.clone();
            ba.merge(&a).unwrap();
            assert_eq!(ab.result(), all.result(), "split {split}");
            assert_eq!(ba.result(), all.result(), "split {split}");
        }
        assert_eq!(all.result().unwrap().frequency, 17);
        let mut other = RfmState::new();
        other.add(0, 1.0, Some("z"), as_of + 1).unwrap();
        assert!(all.merge(&other).is_err());
    }

    #[test]
    fn bytes_round_trip_and_validation() {
        let empty = RfmState::new();
        assert_eq!(RfmState::from_bytes(&empty.to_bytes()).unwrap(), empty);
        let mut s = RfmState::new();
        s.add(5, 1.25, Some("ä-1"), 9).unwrap();
        s.add(7, 1e17, Some("b"), 9).unwrap();
        s.add(6, 1.0, Some("b"), 9).unwrap();
        let b = s.to_bytes();
        assert_eq!(RfmState::from_bytes(&b).unwrap(), s);
        assert!(RfmState::from_bytes(&b[..b.len() - 1]).is_err());
        let mut longer = b.clone();
        longer.push(0);
        assert!(RfmState::from_bytes(&longer).is_err());
        let mut wrong_version = b.clone();
        wrong_version[0] = 9;
        assert!(RfmState::from_bytes(&wrong_version).is_err());
        assert!(RfmState::from_bytes(&[]).is_err());
    }
}
