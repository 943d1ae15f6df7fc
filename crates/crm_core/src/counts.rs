//! Distinct keys with counts, the state of the fit aggregates. A hash map while rows arrive (one
//! insert per row is the aggregate's per-row cost, so the hasher is a small hand-written one),
//! read out in sorted key order so that everything computed from it is a deterministic function
//! of the multiset of rows, whatever the order of arrival or the parallel plan.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// Multiply-fold hasher for keys made of u64 words (float bits, counts): each word is mixed by a
/// 64x64 -> 128-bit multiplication whose halves are folded together, and the result once more,
/// so low and high input bits both reach every output bit (float keys often differ only in their
/// high or low bits).
#[derive(Default, Clone, Copy)]
pub struct WordHasher(u64);

const SEED: u64 = 0x243f_6a88_85a3_08d3;
const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;
const FINISH: u64 = 0x1319_8a2e_0370_7344;

fn fold_multiply(a: u64, b: u64) -> u64 {
    let p = (a as u128) * (b as u128);
    (p as u64) ^ ((p >> 64) as u64)
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = fold_multiply(self.0 ^ v ^ SEED, MULTIPLIER);
    }

    fn finish(&self) -> u64 {
        fold_multiply(self.0, FINISH)
    }
}

/// Keys with saturating u64 counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counts<K: Hash + Eq> {
    map: HashMap<K, u64, BuildHasherDefault<WordHasher>>,
}

impl<K: Hash + Eq> Default for Counts<K> {
    fn default() -> Self {
        Counts { map: HashMap::default() }
    }
}

impl<K: Hash + Eq + Ord + Copy> Counts<K> {
    pub fn add(&mut self, key: K, count: u64) {
        let c = self.map.entry(key).or_insert(0);
        *c = c.saturating_add(count);
    }

    pub fn merge(&mut self, other: &Counts<K>) {
        self.map.reserve(other.map.len());
        for (k, c) in &other.map {
            self.add(*k, *c);
        }
    }

    /// Number of distinct keys.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Sum of the counts (saturating).
    pub fn total(&self) -> u64 {
        self.map.values().fold(0u64, |s, c| s.saturating_add(*c))
    }

    /// (key, count) in ascending key order.
    pub fn sorted(&self) -> Vec<(K, u64)> {
        let mut v: Vec<(K, u64)> = self.map.iter().map(|(k, c)| (*k, *c)).collect();
        v.sort_unstable_by(|x, y| x.0.cmp(&y.0));
        v
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
    fn hasher_spreads_keys_differing_in_high_or_low_bits() {
        let hash = |words: &[u64]| {
            let mut h = WordHasher::default();
            words.iter().for_each(|w| h.write_u64(*w));
            h.finish()
        };
        // Whole numbers as f64 bits differ only in high bits; the bucket index uses low bits.
        // Random hashes fill about 1024 (1 - 1/e) = 647 of 1024 buckets.
        let mut low: Vec<u64> = (0..1024).map(|i| hash(&[(i as f64).to_bits()]) & 1023).collect();
        low.sort_unstable();
        low.dedup();
        assert!(low.len() > 600, "only {} of 1024 buckets used", low.len());
        assert_ne!(hash(&[1, 2]), hash(&[2, 1]));
    }
}
