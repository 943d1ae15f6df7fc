//! Distinct keys with counts, the state of the fit aggregates, read out in sorted key order so
//! that everything computed from it is a deterministic function of the multiset of rows, whatever
//! the order of arrival or the parallel plan.
//!
//! Rows are appended to a buffer, which is sorted, collapsed and merged into the sorted distinct
//! keys when it reaches their number (at least 65,536 rows): with all rows distinct each row is
//! copied by about two merges, and memory stays below three times the distinct keys plus
//! 65,536 rows. Rows of one customer each (the aggregates' transition rows) are buffered as bare
//! keys: fewer bytes to sort, counted when collapsed.
//! Appending is sequential: with hundreds of thousands of distinct keys a hash map's random
//! access per row costs several times more (a cache miss per row).

use std::borrow::Cow;

/// Keys with saturating u64 counts.
#[derive(Clone, Debug)]
pub struct Counts<K> {
    /// Distinct keys, ascending.
    sorted: Vec<(K, u64)>,
    /// Rows with count 1 not merged yet, in arrival order, keys possibly repeated.
    ones: Vec<K>,
    /// Rows with other counts not merged yet, in arrival order, keys possibly repeated.
    pending: Vec<(K, u64)>,
    /// Sum of all counts (saturating).
    total: u64,
}

/// Smallest buffer that triggers a merge.
const MIN_PENDING: usize = 1 << 16;

impl<K> Default for Counts<K> {
    fn default() -> Self {
        Counts { sorted: Vec::new(), ones: Vec::new(), pending: Vec::new(), total: 0 }
    }
}

impl<K: Ord + Copy> PartialEq for Counts<K> {
    fn eq(&self, other: &Self) -> bool {
        self.sorted_slice() == other.sorted_slice()
    }
}

/// Sorts by key and adds up the counts of equal keys, in place.
fn collapse<K: Ord + Copy>(rows: &mut Vec<(K, u64)>) {
    rows.sort_unstable_by_key(|r| r.0);
    rows.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same {
            kept.1 = kept.1.saturating_add(later.1);
        }
        same
    });
}

/// Merges the ascending distinct keys `b` into the ascending distinct keys `a`, adding up the
/// counts of keys in both. In place, from the back: `a` grows by b's length (its allocation is
/// extended, not copied, when the allocator can) and each row is written once, where it ends
/// up; keys found in both leave a gap at the front of the merged rows, closed by one move. The
/// larger of two different keys is picked without a branch (random keys would mispredict half
/// the time).
fn merge_into<K: Ord + Copy>(a: &mut Vec<(K, u64)>, b: &[(K, u64)]) {
    let n = a.len();
    a.extend_from_slice(b);
    // a[..i] and b[..j] are still to merge; a[w..] is merged (w >= i + j: nothing unread is overwritten).
    let (mut i, mut j, mut w) = (n, b.len(), a.len());
    while i > 0 && j > 0 {
        w -= 1;
        let (x, y) = (a[i - 1], b[j - 1]);
        if x.0 == y.0 {
            a[w] = (x.0, x.1.saturating_add(y.1));
            i -= 1;
            j -= 1;
            continue;
        }
        let take_a = x.0 > y.0;
        a[w] = if take_a { x } else { y };
        i -= take_a as usize;
        j -= !take_a as usize;
    }
    // Left: b[..j] (then i = 0) goes just before the merged rows; a[..i] is in place.
    w -= j;
    a[w..w + j].copy_from_slice(&b[..j]);
    if w > i {
        let len = a.len();
        a.copy_within(w..len, i);
        a.truncate(len - (w - i));
    }
}

/// Appends the sorted keys as (key, number of repeats) to `out`.
fn run_lengths<K: Ord + Copy>(sorted: &[K], out: &mut Vec<(K, u64)>) {
    let mut rest = sorted;
    while let Some(&key) = rest.first() {
        let n = rest.iter().position(|k| *k != key).unwrap_or(rest.len());
        out.push((key, n as u64));
        rest = &rest[n..];
    }
}

impl<K: Ord + Copy> Counts<K> {
    /// Bytes this holds on the heap (capacity of its buffers), for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        self.sorted.capacity() * std::mem::size_of::<(K, u64)>()
            + self.ones.capacity() * std::mem::size_of::<K>()
            + self.pending.capacity() * std::mem::size_of::<(K, u64)>()
    }

    /// Adds `count` (> 0) rows with this key.
    #[inline]
    pub fn add(&mut self, key: K, count: u64) {
        if count == 1 {
            self.ones.push(key);
        } else {
            self.pending.push((key, count));
        }
        self.total = self.total.saturating_add(count);
        if self.ones.len() + self.pending.len() >= MIN_PENDING.max(self.sorted.len()) {
            self.compact();
        }
    }

    /// Appends a key greater than every key added so far, with its count (> 0), without
    /// buffering: reading back rows that are already sorted (a serialized state) costs no sort.
    /// Panics (a bug in the caller) if the key is not greater than the last one.
    #[inline]
    pub fn push_sorted(&mut self, key: K, count: u64) {
        assert!(self.ones.is_empty() && self.pending.is_empty() && self.sorted.last().is_none_or(|&(last, _)| last < key));
        self.sorted.push((key, count));
        self.total = self.total.saturating_add(count);
    }

    /// Adds the rows of `other`. A much smaller `other` (one of many parts being rolled up) is
    /// buffered like new rows, so that the large sorted keys are rewritten once per doubling
    /// rather than once per part; otherwise the two are merged at once.
    pub fn merge(&mut self, other: &Counts<K>) {
        let theirs = other.sorted_slice();
        if theirs.len().saturating_mul(8) < self.sorted.len() {
            for &(key, count) in theirs.iter() {
                self.add(key, count);
            }
            return;
        }
        self.compact();
        merge_into(&mut self.sorted, &theirs);
        self.total = self.total.saturating_add(other.total);
    }

    /// Number of distinct keys.
    pub fn len(&self) -> usize {
        self.sorted_slice().len()
    }

    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty() && self.ones.is_empty() && self.pending.is_empty()
    }

    /// Sum of the counts (saturating).
    pub fn total(&self) -> u64 {
        self.total
    }

    /// (key, count) of the distinct keys in ascending key order.
    pub fn sorted(&self) -> Vec<(K, u64)> {
        self.sorted_slice().into_owned()
    }

    /// [`Counts::sorted`] without a copy when nothing is pending (see [`Counts::compact`]).
    pub fn sorted_slice(&self) -> Cow<'_, [(K, u64)]> {
        if self.ones.is_empty() && self.pending.is_empty() {
            return Cow::Borrowed(&self.sorted);
        }
        let mut all = self.clone();
        all.compact();
        Cow::Owned(all.sorted)
    }

    /// Merges the buffered rows into the sorted keys (the same multiset, ready to be read). The
    /// buffers keep their allocations for the rows to come.
    #[inline(never)]
    pub fn compact(&mut self) {
        if !self.pending.is_empty() {
            collapse(&mut self.pending);
            merge_into(&mut self.sorted, &self.pending);
            self.pending.clear();
        }
        if !self.ones.is_empty() {
            self.ones.sort_unstable();
            run_lengths(&self.ones, &mut self.pending);
            merge_into(&mut self.sorted, &self.pending);
            self.pending.clear();
            self.ones.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_saturate_merge_and_sort() {
        let mut a = Counts::default();
        a.add((3u64, 1u64), 2);
        a.add((1, 9), 1);
        a.add((3, 1), u64::MAX);
        let mut b = Counts::default();
        b.add((2u64, 0u64), 5);
        b.add((1, 9), 1);
        b.merge(&a);
        assert_eq!(b.sorted(), vec![((1, 9), 2), ((2, 0), 5), ((3, 1), u64::MAX)]);
        assert_eq!((b.len(), b.total()), (3, u64::MAX));
    }

    #[test]
    fn many_small_parts_roll_up_to_the_whole() {
        // 365 parts of 50 keys each (a rollup of daily summaries): the small parts are buffered
        let mut whole = Counts::default();
        let mut expect = std::collections::BTreeMap::new();
        for day in 0..365u64 {
            let mut part = Counts::default();
            for i in 0..50u64 {
                let key = (day * 7919 + i * 104_729) % 5_000;
                part.add(key, 1 + i % 3);
                *expect.entry(key).or_insert(0u64) += 1 + i % 3;
            }
            whole.merge(&part);
        }
        assert_eq!(whole.sorted(), expect.into_iter().collect::<Vec<_>>());
        assert_eq!(whole.total(), whole.sorted().iter().map(|r| r.1).sum::<u64>());
    }

    #[test]
    fn buffered_rows_are_merged_exactly() {
        // Enough rows for several merges of the buffer, keys repeating across merges.
        let mut c = Counts::default();
        let mut expect = std::collections::BTreeMap::new();
        for i in 0..300_000u64 {
            let key = (i * 7919) % 100_003;
            c.add(key, 1 + i % 3);
            *expect.entry(key).or_insert(0u64) += 1 + i % 3;
        }
        assert_eq!(c.sorted(), expect.into_iter().collect::<Vec<_>>());
        assert_eq!(c.len(), 100_003);
    }

    #[test]
    fn merge_with_a_shared_key_and_smaller_keys_left_over() {
        // The shared key leaves a gap; b's smaller key is left when a is used up.
        let mut a = vec![(3u8, 1u64)];
        merge_into(&mut a, &[(0, 1), (3, 1)]);
        assert_eq!(a, vec![(0, 1), (3, 2)]);
        let mut a = vec![(1u8, 1u64), (3, 1), (5, 1)];
        merge_into(&mut a, &[(3, 2), (4, 1)]);
        assert_eq!(a, vec![(1, 1), (3, 3), (4, 1), (5, 1)]);
    }

    proptest::proptest! {
        #[test]
        fn merges_equal_a_map_of_all_rows(a in proptest::collection::vec((0u8..40, 1u64..4), 0..200), b in proptest::collection::vec((0u8..40, 1u64..4), 0..200)) {
            let (mut ca, mut cb) = (Counts::default(), Counts::default());
            let mut expect = std::collections::BTreeMap::new();
            for &(k, n) in &a {
                ca.add(k, n);
                *expect.entry(k).or_insert(0u64) += n;
            }
            for &(k, n) in &b {
                cb.add(k, n);
                *expect.entry(k).or_insert(0u64) += n;
            }
            ca.compact();
            ca.merge(&cb);
            proptest::prop_assert_eq!(ca.sorted(), expect.into_iter().collect::<Vec<_>>());
        }
    }
}
