//! The (x, t_x, T) summary of the purchase models (BG/NBD, MBG/NBD, Pareto/NBD, BG/BB): distinct
//! customers' histories with counts, the state of their fit aggregates and of the SQL type
//! `crm_rft_summary`, and the checks of one customer's history.
//!
//! x = number of REPEAT purchases, t_x = time of the last repeat purchase since the first purchase,
//! T = time since the first purchase, all in one time unit chosen by the caller.

use crate::error::{CrmError, CrmResult};
use crate::interrupt::Countdown;
use crate::summary::counts::Counts;
use crate::summary::keys::u64_at;

/// Whether x is a number of repeat purchases: finite, non-negative and whole (NaN is not).
#[inline]
pub(crate) fn is_repeat_count(x: f64) -> bool {
    (0.0..f64::INFINITY).contains(&x) && crate::math::special::is_whole_non_negative(x)
}

/// The error for a frequency that is not a number of repeat purchases (BG/NBD and Gamma-Gamma).
#[cold]
pub(crate) fn repeat_count_error(x: f64) -> CrmError {
    CrmError::invalid("frequency must be a non-negative integer (the number of repeat purchases)").with_detail(format!("got {x}"))
}

/// Checks one customer's (x, t_x, T): finite, x a non-negative integer, 0 <= t_x <= T, and
/// t_x = 0 when x = 0.
#[inline]
pub fn validate_customer(x: f64, t_x: f64, t: f64) -> CrmResult<()> {
    if is_valid_customer(x, t_x, t) {
        Ok(())
    } else {
        customer_error(x, t_x, t).map_or(Ok(()), Err)
    }
}

/// [`validate_customer`] as one test (NaN fails every comparison).
#[inline]
fn is_valid_customer(x: f64, t_x: f64, t: f64) -> bool {
    is_repeat_count(x) && t < f64::INFINITY && t_x >= 0.0 && t_x <= t && (x != 0.0 || t_x == 0.0)
}

#[cold]
#[inline(never)]
fn customer_error(x: f64, t_x: f64, t: f64) -> Option<CrmError> {
    if !is_repeat_count(x) {
        return Some(repeat_count_error(x));
    }
    if !(t.is_finite() && t >= 0.0) {
        return Some(CrmError::invalid("customer age T must be a finite non-negative number").with_detail(format!("got {t}")));
    }
    if !(t_x.is_finite() && t_x >= 0.0 && t_x <= t) {
        return Some(CrmError::invalid("recency must be between 0 and T").with_detail(format!("got recency {t_x} with T {t}")).with_hint(
            "recency is the time from the first to the last purchase, T the time from the first purchase to the end of the period",
        ));
    }
    if x == 0.0 && t_x != 0.0 {
        return Some(
            CrmError::invalid("recency must be 0 for a customer without repeat purchases")
                .with_detail(format!("got frequency 0 and recency {t_x}")),
        );
    }
    None
}

/// Distinct (x, t_x, T) rows with counts. Keys are (x, t_x bits, T bits); for non-negative
/// floats the bit order is the numeric order, so the sorted read-out is in numeric order.
/// Customers without repeat purchases (x = 0, t_x = 0; most customers in most data) are kept
/// apart by T alone: half the bytes to sort and store.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BgNbdSummary {
    /// x = 0: T bits with counts.
    pub(crate) zeros: Counts<u64>,
    /// x > 0: (x, t_x bits, T bits) with counts.
    pub(crate) rows: Counts<(u64, u64, u64)>,
}

/// The summary key of a valid customer: (x, t_x bits, T bits), + 0.0 turning -0.0 into 0.0 so
/// that both land on one key.
#[inline]
fn customer_key(x: f64, t_x: f64, t: f64) -> (u64, u64, u64) {
    (x as u64, (t_x + 0.0).to_bits(), (t + 0.0).to_bits())
}

const BG_MAGIC: [u8; 4] = *b"BGN\x02";

impl BgNbdSummary {
    /// Bytes this holds on the heap, for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        self.zeros.heap_bytes() + self.rows.heap_bytes()
    }

    #[inline]
    pub fn add(&mut self, x: f64, t_x: f64, t: f64) -> CrmResult<()> {
        self.add_weighted(x, t_x, t, 1)
    }

    /// Adds one customer when (x, t_x, T) is valid and returns whether it did: the per-row path
    /// of the aggregate, which asks [`BgNbdSummary::add`] for the error only when this fails.
    #[inline]
    pub fn add_if_valid(&mut self, x: f64, t_x: f64, t: f64) -> bool {
        let valid = is_valid_customer(x, t_x, t);
        if valid {
            self.add_key(customer_key(x, t_x, t), 1);
        }
        valid
    }

    /// Adds `count` customers with the same (x, t_x, T); count 0 adds nothing.
    pub fn add_weighted(&mut self, x: f64, t_x: f64, t: f64, count: u64) -> CrmResult<()> {
        validate_customer(x, t_x, t)?;
        if count > 0 {
            self.add_key(customer_key(x, t_x, t), count);
        }
        Ok(())
    }

    /// A validated key (see [`customer_key`]).
    #[inline]
    fn add_key(&mut self, key: (u64, u64, u64), count: u64) {
        if key.0 == 0 {
            self.zeros.add(key.2, count);
        } else {
            self.rows.add(key, count);
        }
    }

    /// The distinct rows (x, t_x, T, count) in key order: customers without repeat purchases
    /// first by T, then by (x, t_x, T).
    pub fn rows(&self) -> Vec<(u64, f64, f64, u64)> {
        let (zeros, rows) = (self.zeros.sorted_slice(), self.rows.sorted_slice());
        let zeros = zeros.iter().map(|&(t, c)| (0, 0.0, f64::from_bits(t), c));
        zeros.chain(rows.iter().map(|&((x, tx, t), c)| (x, f64::from_bits(tx), f64::from_bits(t), c))).collect()
    }

    /// A summary of rows (x, t_x, T, count) in any order, repeated rows added up. Errors (22023)
    /// name the first invalid row: an invalid customer (see [`validate_customer`]) or count 0.
    pub fn from_rows(rows: &[(u64, f64, f64, u64)], check_interrupt: &mut dyn FnMut()) -> CrmResult<Self> {
        let mut summary = BgNbdSummary::default();
        let mut countdown = Countdown::new(check_interrupt);
        for (i, &(x, t_x, t, count)) in rows.iter().enumerate() {
            countdown.tick();
            let row_error = |e: CrmError| e.with_detail(format!("row {} of the summary: ({x}, {t_x}, {t}, {count})", i + 1));
            if count == 0 {
                return Err(row_error(CrmError::invalid("a summary row must count at least one customer")));
            }
            if x as f64 as u64 != x {
                return Err(row_error(CrmError::invalid("frequency is not exactly representable as a double")));
            }
            summary.add_weighted(x as f64, t_x, t, count).map_err(row_error)?;
        }
        summary.compact();
        Ok(summary)
    }

    pub fn merge(&mut self, other: &BgNbdSummary) {
        self.zeros.merge(&other.zeros);
        self.rows.merge(&other.rows);
    }

    pub fn customers(&self) -> u64 {
        self.zeros.total().saturating_add(self.rows.total())
    }

    pub fn distinct(&self) -> usize {
        self.zeros.len() + self.rows.len()
    }

    /// Merges buffered rows so that a fit reads the rows without copying them.
    pub fn compact(&mut self) {
        self.zeros.compact();
        self.rows.compact();
    }

    /// Layout: magic "BGN" + version 2, u64 LE counts of the rows without and with repeat
    /// purchases, then those rows (T) and (x, t_x, T) with their counts, each in key order, in
    /// the compact form of [`crate::summary::keys`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let (zeros, rows) = (self.zeros.sorted_slice(), self.rows.sorted_slice());
        let mut out = Vec::with_capacity(20 + 10 * zeros.len() + 20 * rows.len());
        out.extend_from_slice(&BG_MAGIC);
        out.extend_from_slice(&(zeros.len() as u64).to_le_bytes());
        out.extend_from_slice(&(rows.len() as u64).to_le_bytes());
        crate::summary::keys::encode(zeros.iter().map(|&(t, c)| ([t], c)), &mut out);
        crate::summary::keys::encode(rows.iter().map(|&((x, tx, t), c)| ([x, tx, t], c)), &mut out);
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> CrmResult<Self> {
        let bad = |what: &str| CrmError::invalid("invalid serialized BG/NBD summary").with_detail(what.to_string());
        if bytes.len() < 20 || bytes[..4] != BG_MAGIC {
            return Err(bad("missing header or unknown version"));
        }
        let (n_zeros, n_rows) = (u64_at(bytes, 4), u64_at(bytes, 12));
        let mut summary = BgNbdSummary::default();
        let check = |i: u64, (x, tx, t): (u64, u64, u64)| -> CrmResult<()> {
            validate_customer(x as f64, f64::from_bits(tx), f64::from_bits(t)).map_err(|e| bad(&format!("row {i}: {}", e.message)))?;
            if (x as f64) as u64 != x || f64::from_bits(tx).to_bits() != (f64::from_bits(tx) + 0.0).to_bits() {
                return Err(bad(&format!("row {i}: non-canonical value")));
            }
            Ok(())
        };
        let body = &bytes[20..];
        // in key order, checked by the decoder: no buffering and no sort
        let used = crate::summary::keys::decode::<1>(body, n_zeros, |i, [t], count| {
            check(i, (0, 0, t))?;
            summary.zeros.push_sorted(t, count);
            Ok(())
        })?;
        let rest = &body[used..];
        let used_rows = crate::summary::keys::decode::<3>(rest, n_rows, |i, [x, tx, t], count| {
            if x == 0 {
                return Err(bad(&format!("row {}: frequency 0 among the repeat buyers", n_zeros + i)));
            }
            check(n_zeros + i, (x, tx, t))?;
            summary.rows.push_sorted((x, tx, t), count);
            Ok(())
        })?;
        if used_rows != rest.len() {
            return Err(bad("bytes after the last row"));
        }
        Ok(summary)
    }
}

/// Rows and summaries for the tests of the summary and of the BG/NBD fit.
#[cfg(test)]
pub(crate) mod test_rows {
    use super::*;
    use proptest::prelude::*;

    pub(crate) fn row() -> impl Strategy<Value = (f64, f64, f64)> {
        (0u32..20, 0.0f64..1.0, 0.0f64..100.0)
            .prop_map(|(x, f, t)| (x as f64, if x == 0 { 0.0 } else { (f * t * 7.0).round() / 7.0 }, t))
            .prop_filter("t_x <= T", |(_, tx, t)| tx <= t)
    }

    /// A countdown whose callback does nothing (the leaked closure is zero-sized: no allocation).
    pub(crate) fn noop() -> Countdown<'static> {
        Countdown::new(Box::leak(Box::new(|| {})))
    }

    pub(crate) fn summary_of(rows: &[(f64, f64, f64)]) -> BgNbdSummary {
        let mut s = BgNbdSummary::default();
        for &(x, tx, t) in rows {
            s.add(x, tx, t).unwrap();
        }
        s.compact();
        s
    }
}

#[cfg(test)]
mod tests {
    use super::test_rows::row;
    use super::*;
    use crate::models::bgnbd::fit;
    use crate::models::fit_options::FitOptions;
    use proptest::prelude::*;

    #[test]
    fn summary_rows_round_trip_in_any_order() {
        let mut s = BgNbdSummary::default();
        for (x, tx, t) in [(0.0, 0.0, 30.5), (2.0, 10.25, 30.5), (0.0, 0.0, 30.5), (1.0, 3.0, 12.0), (2.0, 10.25, 30.5)] {
            s.add(x, tx, t).unwrap();
        }
        let rows = s.rows();
        assert_eq!(rows, vec![(0, 0.0, 30.5, 2), (1, 3.0, 12.0, 1), (2, 10.25, 30.5, 2)]);
        // any order, a repeated row added up
        let shuffled = vec![rows[2], rows[0], rows[1]];
        let mut back = BgNbdSummary::from_rows(&shuffled, &mut || {}).unwrap();
        back.compact();
        assert_eq!(back.rows(), rows);
        let split = BgNbdSummary::from_rows(&[(2, 10.25, 30.5, 1), rows[0], (2, 10.25, 30.5, 1), rows[1]], &mut || {}).unwrap();
        assert_eq!(split.rows(), rows);
        assert_eq!(back.to_bytes(), s.to_bytes());
        let bad = BgNbdSummary::from_rows(&[(1, 3.0, 12.0, 1), (1, 13.0, 12.0, 1)], &mut || {}).unwrap_err();
        assert!(bad.detail.unwrap().starts_with("row 2 of the summary"));
        assert!(BgNbdSummary::from_rows(&[(1, 3.0, 12.0, 0)], &mut || {}).is_err());
    }

    proptest! {
        #[test]
        fn merge_equals_adding_all_rows(a in prop::collection::vec(row(), 0..60), b in prop::collection::vec(row(), 0..60)) {
            let (mut sa, mut sb, mut all) = (BgNbdSummary::default(), BgNbdSummary::default(), BgNbdSummary::default());
            for &(x, tx, t) in &a { sa.add(x, tx, t).unwrap(); all.add(x, tx, t).unwrap(); }
            for &(x, tx, t) in &b { sb.add(x, tx, t).unwrap(); all.add(x, tx, t).unwrap(); }
            sb.merge(&sa);
            prop_assert_eq!(&sb, &all);
            prop_assert_eq!(all.customers(), (a.len() + b.len()) as u64);
        }

        #[test]
        fn bytes_round_trip(a in prop::collection::vec(row(), 0..60)) {
            let mut s = BgNbdSummary::default();
            for &(x, tx, t) in &a { s.add_weighted(x, tx, t, 1 + (t as u64 % 3)).unwrap(); }
            let bytes = s.to_bytes();
            prop_assert_eq!(BgNbdSummary::from_bytes(&bytes).unwrap(), s);
            if !bytes.is_empty() {
                prop_assert!(BgNbdSummary::from_bytes(&bytes[..bytes.len() - 1]).is_err());
            }
        }
    }

    #[test]
    fn add_validates_with_the_offending_value() {
        let mut s = BgNbdSummary::default();
        let e = s.add(2.5, 1.0, 2.0).unwrap_err();
        assert!(e.message.contains("non-negative integer") && e.detail.as_deref() == Some("got 2.5"));
        assert!(s.add(-1.0, 0.0, 1.0).is_err());
        assert!(s.add(1.0, 3.0, 2.0).is_err());
        assert!(s.add(0.0, 1.0, 2.0).is_err());
        assert!(s.add(1.0, f64::NAN, 2.0).is_err());
        s.add(0.0, -0.0, 2.0).unwrap();
        s.add(0.0, 0.0, 2.0).unwrap();
        assert_eq!((s.distinct(), s.customers()), (1, 2));
        assert!(fit(&BgNbdSummary::default(), &FitOptions::default(), &mut || {}).is_err());
        assert!(BgNbdSummary::from_bytes(b"junk").is_err());
    }
}
