//! The data of an sBG fit: per period t >= 1 the customers that churned in period t (did not
//! renew at its end), and per t >= 0 the customers still active (censored) after t periods. A
//! summary holds any number of cohorts observed for different lengths: they combine by adding
//! counts ([`SurvivalSummary::merge`]), as the likelihood is a sum over customers.

use crate::error::{CrmError, CrmResult};
use crate::summary::counts::Counts;
use crate::summary::keys::u64_at;

/// Churn periods and censored durations with their counts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SurvivalSummary {
    /// Period t >= 1 of the churn: count.
    churned: Counts<u64>,
    /// Periods t >= 0 completed by customers still active: count.
    active: Counts<u64>,
}

const SBG_MAGIC: [u8; 4] = *b"SBG\x01";

impl SurvivalSummary {
    /// Adds `count` customers (0 adds nothing) that churned in period `duration` (`churned`;
    /// duration >= 1) or are still active after `duration` periods (duration >= 0). Err
    /// (22023) for a churn in period 0.
    pub fn add(&mut self, duration: u64, churned: bool, count: u64) -> CrmResult<()> {
        if churned && duration == 0 {
            return Err(CrmError::invalid("a churned customer's duration must be at least 1 period")
                .with_detail("got a churn in period 0")
                .with_hint(
                    "duration is the period in which the customer left: 1 for a customer who did not renew after the first period",
                ));
        }
        if count > 0 {
            if churned {
                self.churned.add(duration, count);
            } else {
                self.active.add(duration, count);
            }
        }
        Ok(())
    }

    /// The summary of one cohort from its active customers at times 0..=k: `active[0]` the
    /// cohort's size, `active[t]` still active after t periods (FH 2007 Table 1's layout).
    /// active[t-1] - active[t] churned in period t, and active[k] are censored at k. Err (22023)
    /// for an empty slice or counts that increase, naming the period.
    pub fn from_survivors(active: &[u64]) -> CrmResult<Self> {
        let Some(&last) = active.last() else {
            return Err(CrmError::invalid("survivor counts must start with the cohort size at period 0").with_detail("got no counts"));
        };
        let mut s = SurvivalSummary::default();
        for (t, w) in active.windows(2).enumerate() {
            if w[1] > w[0] {
                return Err(CrmError::invalid("survivor counts must not increase").with_detail(format!(
                    "{} active after period {}, {} after period {}",
                    w[0],
                    t,
                    w[1],
                    t + 1
                )));
            }
            s.add(t as u64 + 1, true, w[0] - w[1])?;
        }
        s.add(active.len() as u64 - 1, false, last)?;
        Ok(s)
    }

    /// Adds the customers of `other`.
    pub fn merge(&mut self, other: &SurvivalSummary) {
        self.churned.merge(&other.churned);
        self.active.merge(&other.active);
    }

    /// Bytes this holds on the heap, in O(1), for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        self.churned.heap_bytes() + self.active.heap_bytes()
    }

    /// Customers in the summary (saturating).
    pub fn customers(&self) -> u64 {
        self.churned.total().saturating_add(self.active.total())
    }

    /// The distinct rows (duration, churned, count): churns by period, then the censored
    /// durations of the active customers.
    pub fn rows(&self) -> Vec<(u64, bool, u64)> {
        let churned = self.churned.sorted_slice().iter().map(|&(t, c)| (t, true, c)).collect::<Vec<_>>();
        churned.into_iter().chain(self.active.sorted_slice().iter().map(|&(t, c)| (t, false, c))).collect()
    }

    /// Layout: magic "SBG" + version 1, u64 LE counts of the churn rows and of the active rows,
    /// then those rows (duration) with their counts, each in ascending order, in the compact
    /// form of [`crate::summary::keys`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let (churned, active) = (self.churned.sorted_slice(), self.active.sorted_slice());
        let mut out = Vec::with_capacity(20 + 10 * (churned.len() + active.len()));
        out.extend_from_slice(&SBG_MAGIC);
        out.extend_from_slice(&(churned.len() as u64).to_le_bytes());
        out.extend_from_slice(&(active.len() as u64).to_le_bytes());
        crate::summary::keys::encode(churned.iter().map(|&(t, c)| ([t], c)), &mut out);
        crate::summary::keys::encode(active.iter().map(|&(t, c)| ([t], c)), &mut out);
        out
    }

    /// Reads [`SurvivalSummary::to_bytes`]. Err (22023) on a wrong header or version, malformed
    /// rows, a churn in period 0 or trailing bytes.
    pub fn from_bytes(bytes: &[u8]) -> CrmResult<Self> {
        let bad = |what: &str| CrmError::invalid("invalid serialized sBG survival summary").with_detail(what.to_string());
        if bytes.len() < 20 || bytes[..4] != SBG_MAGIC {
            return Err(bad("missing header or unknown version"));
        }
        let (n_churned, n_active) = (u64_at(bytes, 4), u64_at(bytes, 12));
        let mut s = SurvivalSummary::default();
        let body = &bytes[20..];
        let used = crate::summary::keys::decode::<1>(body, n_churned, |i, [t], count| {
            if t == 0 {
                return Err(bad(&format!("row {i}: a churn in period 0")));
            }
            s.churned.push_sorted(t, count);
            Ok(())
        })?;
        let rest = &body[used..];
        let used_active = crate::summary::keys::decode::<1>(rest, n_active, |_, [t], count| {
            s.active.push_sorted(t, count);
            Ok(())
        })?;
        if used_active != rest.len() {
            return Err(bad("bytes after the last row"));
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survivors_become_churns_and_one_censored_row() {
        let s = SurvivalSummary::from_survivors(&[1000, 631, 468, 468]).unwrap();
        assert_eq!(s.rows(), vec![(1, true, 369), (2, true, 163), (3, false, 468)]);
        assert_eq!(s.customers(), 1000);
        let e = SurvivalSummary::from_survivors(&[1000, 631, 640]).unwrap_err();
        assert_eq!(e.detail.as_deref(), Some("631 active after period 1, 640 after period 2"));
        assert!(SurvivalSummary::from_survivors(&[]).is_err());
        assert_eq!(SurvivalSummary::from_survivors(&[5]).unwrap().rows(), vec![(0, false, 5)]);
        assert!(SurvivalSummary::default().add(0, true, 1).is_err());
    }

    #[test]
    fn cohorts_merge_by_adding_and_bytes_round_trip() {
        let (a, b) = (SurvivalSummary::from_survivors(&[1000, 631, 468]).unwrap(), SurvivalSummary::from_survivors(&[500, 300]).unwrap());
        let mut m = a.clone();
        m.merge(&b);
        let mut want = SurvivalSummary::default();
        for (t, churned, c) in [(1, true, 369 + 200), (2, true, 163), (1, false, 300), (2, false, 468)] {
            want.add(t, churned, c).unwrap();
        }
        assert_eq!(m, want);
        assert_eq!(m.customers(), 1500);
        let bytes = m.to_bytes();
        assert_eq!(SurvivalSummary::from_bytes(&bytes).unwrap(), m);
        assert!(SurvivalSummary::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(SurvivalSummary::from_bytes(&extra).is_err());
        let mut zero = SurvivalSummary::default().to_bytes();
        zero[4] = 1; // one churn row ...
        zero.extend_from_slice(&[0, 0, 1]); // ... in period 0
        assert!(SurvivalSummary::from_bytes(&zero).unwrap_err().detail.unwrap().contains("period 0"));
        assert!(SurvivalSummary::from_bytes(b"BGN\x02junkjunkjunkjunk").is_err());
    }
}
