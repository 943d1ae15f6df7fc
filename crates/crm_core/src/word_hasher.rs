//! A small hasher for keys made of u64 words (float bits, small integers), for hash maps on the
//! per-row path (the CLV scorer's memo): std's SipHash costs more than the work it guards.

use std::hash::Hasher;

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

#[cfg(test)]
mod tests {
    use super::*;

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
