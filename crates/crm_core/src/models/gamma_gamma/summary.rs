//! The data of a Gamma-Gamma fit: distinct (x, m) rows (repeat purchases, mean repeat spend)
//! with counts, and the number of customers without repeat spend. Summaries combine by adding
//! counts ([`GammaGammaSummary::merge`]).

use crate::error::{CrmError, CrmResult};
use crate::summary::counts::Counts;
use crate::summary::keys::u64_at;

use super::validate_customer;

/// Distinct (x, m) rows with counts, plus the number of customers skipped (x = 0 or m = 0).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GammaGammaSummary {
    pub(super) rows: Counts<(u64, u64)>,
    skipped: u64,
}

const GG_MAGIC: [u8; 4] = *b"GGS\x02";

impl GammaGammaSummary {
    /// Bytes this holds on the heap, for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        self.rows.heap_bytes()
    }

    /// Adds one customer. Ok(true) when used; Ok(false) when skipped because x = 0 or m = 0
    /// (no repeat spend to learn from). Err for non-finite or negative values or fractional x.
    pub fn add(&mut self, x: f64, m: f64) -> CrmResult<bool> {
        validate_customer(x, m)?;
        if x == 0.0 || m == 0.0 {
            self.skipped = self.skipped.saturating_add(1);
            return Ok(false);
        }
        self.rows.add((x as u64, m.to_bits()), 1);
        Ok(true)
    }

    /// Adds `count` customers with the same (x, m), as [`GammaGammaSummary::add`]; count 0 adds
    /// nothing (and skips nothing).
    pub fn add_weighted(&mut self, x: f64, m: f64, count: u64) -> CrmResult<bool> {
        validate_customer(x, m)?;
        if x == 0.0 || m == 0.0 {
            self.skipped = self.skipped.saturating_add(count);
            return Ok(false);
        }
        if count > 0 {
            self.rows.add((x as u64, (m + 0.0).to_bits()), count);
        }
        Ok(true)
    }

    /// A summary of rows (x, m, count) with x >= 1 and m > 0 in any order (repeated rows added
    /// up) and `skipped` customers without repeat spend. Errors (22023) name the first invalid row.
    pub fn from_rows(rows: &[(u64, f64, u64)], skipped: u64, check_interrupt: &mut dyn FnMut()) -> CrmResult<Self> {
        let mut summary = GammaGammaSummary { rows: Counts::default(), skipped };
        let mut countdown = crate::interrupt::Countdown::new(check_interrupt);
        for (i, &(x, m, count)) in rows.iter().enumerate() {
            countdown.tick();
            let row_error = |e: CrmError| e.with_detail(format!("row {} of the summary: ({x}, {m}, {count})", i + 1));
            if count == 0 {
                return Err(row_error(CrmError::invalid("a summary row must count at least one customer")));
            }
            if x == 0 || x as f64 as u64 != x || !(m > 0.0) {
                return Err(row_error(
                    CrmError::invalid("a spend summary row needs frequency >= 1 and monetary > 0")
                        .with_hint("customers without repeat spend are counted in \"skipped\""),
                ));
            }
            validate_customer(x as f64, m).map_err(row_error)?;
            summary.rows.add((x, (m + 0.0).to_bits()), count);
        }
        summary.compact();
        Ok(summary)
    }

    pub fn merge(&mut self, o: &Self) {
        self.rows.merge(&o.rows);
        self.skipped = self.skipped.saturating_add(o.skipped);
    }

    /// Customers used (x > 0 and m > 0).
    pub fn customers(&self) -> u64 {
        self.rows.total()
    }

    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    pub fn distinct(&self) -> usize {
        self.rows.len()
    }

    /// Merges buffered rows so that a fit reads the rows without copying them.
    pub fn compact(&mut self) {
        self.rows.compact();
    }

    /// Rows (x, m, count) in ascending (x, m) order.
    pub fn sorted_rows(&self) -> Vec<(f64, f64, u64)> {
        self.rows.sorted().into_iter().map(|((x, m), c)| (x as f64, f64::from_bits(m), c)).collect()
    }

    /// Layout: magic "GGS" + version 2, u64 LE skipped and row counts, then the rows (x, m)
    /// with their counts in key order, in the compact form of [`crate::summary::keys`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let rows = self.rows.sorted_slice();
        let mut out = Vec::with_capacity(20 + 10 * rows.len());
        out.extend_from_slice(&GG_MAGIC);
        out.extend_from_slice(&self.skipped.to_le_bytes());
        out.extend_from_slice(&(rows.len() as u64).to_le_bytes());
        crate::summary::keys::encode(rows.iter().map(|&((x, m), c)| ([x, m], c)), &mut out);
        out
    }

    pub fn from_bytes(b: &[u8]) -> CrmResult<Self> {
        let bad = |what: &str| CrmError::invalid("invalid serialized Gamma-Gamma summary").with_detail(what.to_string());
        if b.len() < 20 || b[..4] != GG_MAGIC {
            return Err(bad("missing header or unknown version"));
        }
        let skipped = u64_at(b, 4);
        let n = u64_at(b, 12);
        let mut rows = Counts::default();
        let used = crate::summary::keys::decode::<2>(&b[20..], n, |i, [xk, mk], count| {
            let (x, m) = (xk as f64, f64::from_bits(mk));
            validate_customer(x, m).map_err(|e| bad(&format!("row {i}: {}", e.message)))?;
            if x as u64 != xk || x == 0.0 || !(m > 0.0) {
                return Err(bad(&format!("row {i}: invalid row")));
            }
            rows.push_sorted((xk, mk), count); // in key order, checked by the decoder
            Ok(())
        })?;
        if used != b.len() - 20 {
            return Err(bad("bytes after the last row"));
        }
        Ok(GammaGammaSummary { rows, skipped })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn summary_rows_and_weights() {
        let mut one_by_one = GammaGammaSummary::default();
        for (x, m) in [(2.0, 10.5), (0.0, 0.0), (2.0, 10.5), (1.0, 3.0), (0.0, 5.0)] {
            one_by_one.add(x, m).unwrap();
        }
        let mut weighted = GammaGammaSummary::default();
        weighted.add_weighted(2.0, 10.5, 2).unwrap();
        weighted.add_weighted(1.0, 3.0, 1).unwrap();
        weighted.add_weighted(0.0, 0.0, 2).unwrap();
        weighted.add_weighted(3.0, 1.0, 0).unwrap();
        assert_eq!(weighted, one_by_one);
        assert_eq!(weighted.skipped(), 2);
        let rows: Vec<(u64, f64, u64)> = one_by_one.sorted_rows().into_iter().map(|(x, m, c)| (x as u64, m, c)).collect();
        let back = GammaGammaSummary::from_rows(&[rows[1], rows[0]], 2, &mut || {}).unwrap();
        assert_eq!(back.to_bytes(), one_by_one.to_bytes());
        assert!(GammaGammaSummary::from_rows(&[(0, 1.0, 1)], 0, &mut || {}).is_err());
        assert!(GammaGammaSummary::from_rows(&[(1, 1.0, 0)], 0, &mut || {}).is_err());
    }

    fn row() -> impl Strategy<Value = (f64, f64)> {
        (0u32..10, 0u32..5000).prop_map(|(x, cents)| (x as f64, cents as f64 / 100.0))
    }

    proptest! {
        #[test]
        fn merge_and_bytes(a in prop::collection::vec(row(), 0..60), b in prop::collection::vec(row(), 0..60)) {
            let (mut sa, mut sb, mut all) = (GammaGammaSummary::default(), GammaGammaSummary::default(), GammaGammaSummary::default());
            for &(x, m) in &a { sa.add(x, m).unwrap(); all.add(x, m).unwrap(); }
            for &(x, m) in &b { sb.add(x, m).unwrap(); all.add(x, m).unwrap(); }
            sb.merge(&sa);
            prop_assert_eq!(&sb, &all);
            prop_assert_eq!(all.customers() + all.skipped(), (a.len() + b.len()) as u64);
            prop_assert_eq!(GammaGammaSummary::from_bytes(&all.to_bytes()).unwrap(), all);
        }
    }
}
