//! Distinct keys with counts, the state of the fit aggregates, read out in sorted key order so
//! that everything computed from it is a deterministic function of the multiset of rows, whatever
//! the order of arrival or the parallel plan.
//!
//! Rows are appended to a buffer, which is sorted, collapsed and merged into the sorted distinct
//! keys when it reaches four times their number (at least 65,536 rows): with all rows distinct
//! each row is copied by about 1.4 merges, and memory stays below five times the distinct keys
//! plus 65,536 rows. The buffer keeps its capacity between merges (no fresh pages to fault in).
//! Appending is sequential: with hundreds of thousands of distinct keys a hash map's random
//! access per row costs several times more (a cache miss per row).

use std::borrow::Cow;

/// Keys with saturating u64 counts.
#[derive(Clone, Debug)]
pub struct Counts<K> {
    /// Distinct keys, ascending.
    sorted: Vec<(K, u64)>,
    /// Rows not merged yet, in arrival order, keys possibly repeated.
    pending: Vec<(K, u64)>,
    /// Sum of all counts (saturating).
    total: u64,
}

/// Smallest buffer that triggers a merge.
const MIN_PENDING: usize = 1 << 16;

impl<K> Default for Counts<K> {
    fn default() -> Self {
        Counts { sorted: Vec::new(), pending: Vec::new(), total: 0 }
    }
}

impl<K: RadixKey> PartialEq for Counts<K> {
    fn eq(&self, other: &Self) -> bool {
        self.sorted_slice() == other.sorted_slice()
    }
}

/// A key made of unsigned words, ordered as the tuple of its words (the first most significant):
/// sortable by radix.
pub trait RadixKey: Ord + Copy {
    const WORDS: usize;
    fn word(&self, i: usize) -> u64;
}

impl RadixKey for u64 {
    const WORDS: usize = 1;
    fn word(&self, _: usize) -> u64 {
        *self
    }
}

impl RadixKey for (u64, u64) {
    const WORDS: usize = 2;
    fn word(&self, i: usize) -> u64 {
        if i == 0 { self.0 } else { self.1 }
    }
}

impl RadixKey for (u64, u64, u64) {
    const WORDS: usize = 3;
    fn word(&self, i: usize) -> u64 {
        match i {
            0 => self.0,
            1 => self.1,
            _ => self.2,
        }
    }
}

/// Sorts rows by key: least-significant-digit radix sort on bytes, skipping the bytes in which all
/// keys agree (the high bytes of small integers, the sign and top exponent bits of times). Each
/// pass is one sequential read and 256 sequential write streams, where a comparison sort of a
/// million 32-byte rows costs twenty comparisons and unpredictable branches per row.
fn radix_sort<K: RadixKey>(rows: &mut [(K, u64)]) {
    let n = rows.len();
    if n < 1024 {
        rows.sort_unstable_by(|x, y| x.0.cmp(&y.0));
        return;
    }
    let digits = 8 * K::WORDS;
    // Digit d counts from the least significant byte of the last word.
    let digit = |key: &K, d: usize| ((key.word(K::WORDS - 1 - d / 8) >> (8 * (d % 8))) & 0xff) as usize;
    let mut histograms = vec![[0usize; 256]; digits];
    for (key, _) in rows.iter() {
        for (d, h) in histograms.iter_mut().enumerate() {
            h[digit(key, d)] += 1;
        }
    }
    let mut scratch = rows.to_vec();
    let mut in_scratch = false;
    for (d, h) in histograms.iter().enumerate() {
        if h.iter().any(|&c| c == n) {
            continue;
        }
        let mut offsets = [0usize; 256];
        let mut at = 0;
        for (o, &c) in offsets.iter_mut().zip(h) {
            *o = at;
            at += c;
        }
        let (src, dst): (&[(K, u64)], &mut [(K, u64)]) = if in_scratch { (&scratch, rows) } else { (rows, &mut scratch) };
        for row in src {
            let b = digit(&row.0, d);
            dst[offsets[b]] = *row;
            offsets[b] += 1;
        }
        in_scratch = !in_scratch;
    }
    if in_scratch {
        rows.copy_from_slice(&scratch);
    }
}

/// Sorts by key and adds up the counts of equal keys, in place.
fn collapse<K: RadixKey>(rows: &mut Vec<(K, u64)>) {
    radix_sort(rows);
    rows.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same {
            kept.1 = kept.1.saturating_add(later.1);
        }
        same
    });
}

/// Merges two ascending lists of distinct keys, adding up the counts of keys in both.
fn merge_sorted<K: Ord + Copy>(a: &[(K, u64)], b: &[(K, u64)]) -> Vec<(K, u64)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push((a[i].0, a[i].1.saturating_add(b[j].1)));
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

impl<K: RadixKey> Counts<K> {
    #[inline]
    pub fn add(&mut self, key: K, count: u64) {
        self.pending.push((key, count));
        self.total = self.total.saturating_add(count);
        if self.pending.len() >= MIN_PENDING.max(4 * self.sorted.len()) {
            self.compact();
        }
    }

    pub fn merge(&mut self, other: &Counts<K>) {
        self.sorted = merge_sorted(&self.sorted_slice(), &other.sorted_slice());
        self.pending.clear();
        self.total = self.total.saturating_add(other.total);
    }

    /// Number of distinct keys.
    pub fn len(&self) -> usize {
        self.sorted_slice().len()
    }

    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty() && self.pending.is_empty()
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
        if self.pending.is_empty() {
            Cow::Borrowed(&self.sorted)
        } else {
            let mut pending = self.pending.clone();
            collapse(&mut pending);
            Cow::Owned(merge_sorted(&self.sorted, &pending))
        }
    }

    /// Merges the pending rows into the sorted keys (the same multiset, ready to be read).
    pub fn compact(&mut self) {
        if !self.pending.is_empty() {
            collapse(&mut self.pending);
            self.sorted = if self.sorted.is_empty() { self.pending.clone() } else { merge_sorted(&self.sorted, &self.pending) };
            self.pending.clear();
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
    fn radix_sort_orders_like_the_tuples() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        // Small x, times as float bits, repeated keys, and full-range words.
        let mut rows: Vec<((u64, u64, u64), u64)> = (0..5000)
            .map(|i| {
                let x = next() % 7;
                let t = ((next() % 1000) as f64 / 7.0).to_bits();
                let key = if i % 3 == 0 { (x, t, next()) } else { (x, t / 2, t) };
                (key, i)
            })
            .collect();
        let mut want = rows.clone();
        want.sort_by(|a, b| a.0.cmp(&b.0));
        radix_sort(&mut rows);
        assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), want.iter().map(|r| r.0).collect::<Vec<_>>());
        let mut single: Vec<(u64, u64)> = (0..3000).map(|i| (next() >> (i % 64), i)).collect();
        let mut want: Vec<u64> = single.iter().map(|r| r.0).collect();
        want.sort();
        radix_sort(&mut single);
        assert_eq!(single.iter().map(|r| r.0).collect::<Vec<_>>(), want);
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
}
