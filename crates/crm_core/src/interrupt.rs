//! Cancel checks in loops over many rows.
//!
//! Long computations take a `check_interrupt: &mut dyn FnMut()` callback (the extension passes
//! one that runs PostgreSQL's `CHECK_FOR_INTERRUPTS()`, which raises the cancel error). A loop
//! over all rows calls it through a [`Countdown`], once per [`CHECK_EVERY`] rows: a decrement
//! and a predictable branch per row, and a call every few milliseconds at most, so that a query
//! cancel or `statement_timeout` acts within well under 100 ms even on millions of rows.

use std::cmp::Ordering;

/// Rows between two calls of the interrupt callback in a loop over many rows (2^15).
pub const CHECK_EVERY: usize = 1 << 15;

/// Calls an interrupt callback once every [`CHECK_EVERY`] ticks (rows).
pub struct Countdown<'a> {
    left: usize,
    check: &'a mut dyn FnMut(),
}

impl<'a> Countdown<'a> {
    pub fn new(check: &'a mut dyn FnMut()) -> Self {
        Countdown { left: CHECK_EVERY, check }
    }

    /// One row done: calls the callback when [`CHECK_EVERY`] rows have passed since the last call.
    #[inline(always)]
    pub fn tick(&mut self) {
        self.left -= 1;
        if self.left == 0 {
            self.check_now();
        }
    }

    /// `n` rows done at once: the callback is called as often as `n` ticks would call it.
    #[inline]
    pub fn advance(&mut self, mut n: usize) {
        while n >= self.left {
            n -= self.left;
            self.check_now();
        }
        self.left -= n;
    }

    /// Calls the callback now (and starts counting anew).
    #[cold]
    #[inline(never)]
    pub fn check_now(&mut self) {
        self.left = CHECK_EVERY;
        (self.check)();
    }
}

/// Slices up to this many values are sorted by the standard library in one go; the sorts below
/// split longer ones (runs to merge, partitions) and call the callback as they go.
const SORT_RUN: usize = 1 << 16;

/// Stable sort of `v` by `cmp` that calls `check_interrupt` at least once per 65,536 values:
/// the same order as `v.sort_by(cmp)` (a stable sort has one result). Up to 65,536 values it
/// is `sort_by` itself; longer slices are sorted in runs of 65,536 that are then merged in
/// passes (stable merges: ties keep the left run's value first), with a copy of `v` as buffer.
pub fn sort_by<T: Copy, F: FnMut(&T, &T) -> Ordering>(v: &mut [T], cmp: F, check_interrupt: &mut dyn FnMut()) {
    sort_counting(v, cmp, &mut Countdown::new(check_interrupt));
}

/// [`sort_by`] calling the callback through a [`Countdown`] (once per run and per
/// [`CHECK_EVERY`] merged values).
pub(crate) fn sort_counting<T: Copy, F: FnMut(&T, &T) -> Ordering>(v: &mut [T], mut cmp: F, countdown: &mut Countdown) {
    let n = v.len();
    for run in v.chunks_mut(SORT_RUN) {
        if n > SORT_RUN {
            countdown.check_now();
        }
        run.sort_by(&mut cmp);
    }
    if n <= SORT_RUN {
        return;
    }
    let mut buffer = v.to_vec();
    // The sorted runs of `width` values are in `v` (in_v) or in `buffer`.
    let (mut width, mut in_v) = (SORT_RUN, true);
    while width < n {
        let (from, to): (&[T], &mut [T]) = if in_v { (&*v, &mut buffer[..]) } else { (&buffer[..], &mut *v) };
        for start in (0..n).step_by(2 * width) {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            merge(&from[start..mid], &from[mid..end], &mut to[start..end], &mut cmp, countdown);
        }
        (width, in_v) = (2 * width, !in_v);
    }
    if !in_v {
        for (chunk, sorted) in v.chunks_mut(CHECK_EVERY).zip(buffer.chunks(CHECK_EVERY)) {
            countdown.check_now();
            chunk.copy_from_slice(sorted);
        }
    }
}

/// Merges the sorted `a` and `b` into `out` (of their total length); on ties `a` comes first.
/// The side to take is selected without a branch (a branch on random data mispredicts half the
/// time).
fn merge<T: Copy, F: FnMut(&T, &T) -> Ordering>(a: &[T], b: &[T], out: &mut [T], cmp: &mut F, countdown: &mut Countdown) {
    let (mut i, mut j, mut w) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let take_b = cmp(&b[j], &a[i]) == Ordering::Less;
        out[w] = if take_b { b[j] } else { a[i] };
        j += take_b as usize;
        i += !take_b as usize;
        w += 1;
        countdown.tick();
    }
    countdown.advance(out.len() - w);
    out[w..w + a.len() - i].copy_from_slice(&a[i..]);
    w += a.len() - i;
    out[w..].copy_from_slice(&b[j..]);
}

/// The order-preserving key of a float in IEEE total order (`f64::total_cmp`): negative
/// floats have all bits flipped, the others only the sign bit.
#[inline]
fn total_order_key(v: f64) -> u64 {
    let b = v.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | 1 << 63
    }
}

/// Bits per digit of the radix sort (4 passes over 64-bit keys, 65,536 buckets).
const DIGIT_BITS: u32 = 16;
const DIGITS: usize = 64_usize.div_ceil(DIGIT_BITS as usize);
const BUCKETS: usize = 1 << DIGIT_BITS;

/// Stable LSD radix sort of `v` by a 64-bit key, calling the callback every [`CHECK_EVERY`]
/// values of each pass (one pass for the histograms, one per digit that is not the same in
/// every key).
/// The histograms and bucket starts live on the heap (megabytes: too much for a backend's stack).
fn radix_sort<T: Copy>(v: &mut [T], key: impl Fn(&T) -> u64, countdown: &mut Countdown) {
    let n = v.len();
    let mut counts = vec![0usize; DIGITS * BUCKETS];
    for item in v.iter() {
        countdown.tick();
        let k = key(item);
        for (d, c) in counts.chunks_exact_mut(BUCKETS).enumerate() {
            c[(k >> (d as u32 * DIGIT_BITS)) as usize & (BUCKETS - 1)] += 1;
        }
    }
    let mut buffer = v.to_vec();
    let mut next = vec![0usize; BUCKETS];
    let mut in_v = true;
    for (d, c) in counts.chunks_exact(BUCKETS).enumerate() {
        if c.contains(&n) {
            continue;
        }
        let mut at = 0;
        for (slot, &k) in next.iter_mut().zip(c) {
            *slot = at;
            at += k;
        }
        let shift = d as u32 * DIGIT_BITS;
        let (from, to): (&[T], &mut [T]) = if in_v { (&*v, &mut buffer[..]) } else { (&buffer[..], &mut *v) };
        for item in from {
            countdown.tick();
            let b = (key(item) >> shift) as usize & (BUCKETS - 1);
            to[next[b]] = *item;
            next[b] += 1;
        }
        in_v = !in_v;
    }
    if !in_v {
        for (chunk, sorted) in v.chunks_mut(CHECK_EVERY).zip(buffer.chunks(CHECK_EVERY)) {
            countdown.check_now();
            chunk.copy_from_slice(sorted);
        }
    }
}

/// Sorts `values` ascending in IEEE total order, exactly as `values.sort_unstable_by(f64::total_cmp)`
/// (floats equal in that order have the same bits), calling `check_interrupt` at least once per
/// 65,536 values: up to 65,536 values by the standard sort, more by a quicksort whose slices of
/// up to 65,536 values the standard sort finishes (sorted input is found in one pass).
pub fn sort_floats(values: &mut [f64], check_interrupt: &mut dyn FnMut()) {
    sort_floats_counting(values, &mut Countdown::new(check_interrupt));
}

/// [`sort_floats`] calling the callback through a [`Countdown`].
pub(crate) fn sort_floats_counting(values: &mut [f64], countdown: &mut Countdown) {
    // Already sorted (as the second sort of crm_qcut_edges' values): one pass, stopping at the
    // first pair out of order otherwise.
    if values.windows(2).inspect(|_| countdown.tick()).all(|w| total_key(w[0]) <= total_key(w[1])) {
        return;
    }
    quicksort_floats(values, 64, countdown);
}

/// `f64::total_cmp` as a comparison of integers: the float's bits with the magnitude bits
/// flipped for negative floats.
#[inline(always)]
fn total_key(v: f64) -> i64 {
    let b = v.to_bits() as i64;
    b ^ (((b >> 63) as u64) >> 1) as i64
}

/// Quicksort in total order down to slices of [`SORT_RUN`] values, which the standard unstable
/// sort finishes; the partitions tick the countdown per value. Pivots are medians of 31 evenly
/// spaced values; a level splits below / not below the pivot, or three ways (below, equal to
/// and above, so that runs of equal values end at once) when the pivot repeats in the sample;
/// after `depth` levels (never on real data) the standard sort
/// takes the rest. Floats equal in the total order have the same bits, so the result is the
/// standard sort's.
fn quicksort_floats(v: &mut [f64], depth: u32, countdown: &mut Countdown) {
    let n = v.len();
    if n <= SORT_RUN || depth == 0 {
        if n > SORT_RUN {
            countdown.check_now();
        }
        v.sort_unstable_by(f64::total_cmp);
        return;
    }
    let mut sample: [i64; 31] = std::array::from_fn(|i| total_key(v[i * (n - 1) / 30]));
    sample.sort_unstable();
    let pivot = sample[15];
    // Branch-free partitions: v[..lt] below the pivot, v[lt..le] equal to it, v[le..] above.
    let mut lt = 0;
    for i in 0..n {
        countdown.tick();
        let below = total_key(v[i]) < pivot;
        v.swap(i, lt);
        lt += below as usize;
    }
    // A pivot seen once in the sample has sampled values on both sides: both parts are
    // smaller than v. Otherwise (many equal values) the values equal to it are set apart.
    let mut le = lt;
    if sample[14] == pivot || sample[16] == pivot {
        for i in lt..n {
            countdown.tick();
            let equal = total_key(v[i]) == pivot;
            v.swap(i, le);
            le += equal as usize;
        }
    }
    let (below, rest) = v.split_at_mut(lt);
    quicksort_floats(below, depth - 1, countdown);
    quicksort_floats(&mut rest[le - lt..], depth - 1, countdown);
}

/// The positions of `values` in stable ascending numeric order (-0.0 equal to 0.0, ties in input
/// order), for finite or infinite values (not NaN): the order `sort_by` with `partial_cmp` gives.
/// Calls the callback at least once per 65,536 values.
pub(crate) fn stable_order_of_floats(values: &[f64], countdown: &mut Countdown) -> Vec<usize> {
    if values.len() <= SORT_RUN {
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_by(|&a, &b| values[a].partial_cmp(&values[b]).unwrap_or(Ordering::Equal));
        return order;
    }
    // + 0.0 turns -0.0 into 0.0, so that both have one key.
    let mut keyed: Vec<(u64, usize)> =
        values.iter().enumerate().inspect(|_| countdown.tick()).map(|(i, &v)| (total_order_key(v + 0.0), i)).collect();
    radix_sort(&mut keyed, |p| p.0, countdown);
    keyed.into_iter().inspect(|_| countdown.tick()).map(|p| p.1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn countdown_calls_once_per_check_every_ticks() {
        let mut calls = 0;
        let mut check = || calls += 1;
        let mut c = Countdown::new(&mut check);
        for _ in 0..3 * CHECK_EVERY + 5 {
            c.tick();
        }
        c.check_now();
        c.advance(CHECK_EVERY - 1);
        c.advance(2 * CHECK_EVERY + 1);
        c.advance(0);
        assert_eq!(calls, 7);
    }

    #[test]
    fn sort_is_stable_matches_the_standard_sort_and_counts_interrupt_checks() {
        // 300,000 (key, position) pairs with many equal keys: the stable order is unique.
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for n in [10, SORT_RUN, SORT_RUN + 1, 300_000, 4 * SORT_RUN] {
            let v: Vec<(u32, usize)> = (0..n).map(|i| (rng.random_range(0..1000u32), i)).collect();
            let mut want = v.clone();
            want.sort_by_key(|p| p.0);
            let mut got = v.clone();
            let mut calls = 0usize;
            sort_by(&mut got, |a, b| a.0.cmp(&b.0), &mut || calls += 1);
            assert_eq!(got, want, "n = {n}");
            if n > SORT_RUN {
                assert!(calls >= n / 65_536, "n = {n}: {calls} calls");
            }
        }
        // Floats in total order, as the quantile functions sort them.
        let v: Vec<f64> = (0..1_000_000i64).map(|i| ((i * 7919) % 1_000_003) as f64 - 5e5 + if i % 3 == 0 { -0.0 } else { 0.0 }).collect();
        let mut want = v.clone();
        want.sort_unstable_by(f64::total_cmp);
        let mut got = v;
        let mut calls = 0usize;
        sort_by(&mut got, f64::total_cmp, &mut || calls += 1);
        assert!(got.iter().zip(&want).all(|(a, b)| a.to_bits() == b.to_bits()));
        assert!(calls >= 1_000_000 / 65_536, "{calls} calls");
    }

    #[test]
    fn float_sorts_match_the_standard_sorts_and_count_interrupt_checks() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let specials = [0.0, -0.0, f64::INFINITY, f64::NEG_INFINITY, f64::MIN_POSITIVE, -f64::MAX, 5e-324];
        for n in [100, SORT_RUN + 1, 1_000_000] {
            let v: Vec<f64> = (0..n)
                .map(|i| {
                    if i % 11 == 0 {
                        specials[i % specials.len()]
                    } else {
                        (rng.random::<f64>() - 0.5) * 10f64.powi(rng.random_range(-30..30))
                    }
                })
                .collect();
            let mut want = v.clone();
            want.sort_unstable_by(f64::total_cmp);
            let mut got = v.clone();
            let mut calls = 0usize;
            sort_floats(&mut got, &mut || calls += 1);
            assert!(got.iter().zip(&want).all(|(a, b)| a.to_bits() == b.to_bits()), "n = {n}");
            // Sorted, reversed and constant input.
            let reversed: Vec<f64> = want.iter().rev().copied().collect();
            for input in [want.clone(), reversed, vec![2.5; n]] {
                let mut expect = input.clone();
                expect.sort_unstable_by(f64::total_cmp);
                let mut sorted = input;
                let mut again = 0usize;
                sort_floats(&mut sorted, &mut || again += 1);
                assert!(sorted.iter().zip(&expect).all(|(a, b)| a.to_bits() == b.to_bits()), "n = {n}");
                assert!(again >= n / 65_536);
            }
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by(|&a, &b| v[a].partial_cmp(&v[b]).unwrap());
            let mut calls_order = 0usize;
            assert_eq!(stable_order_of_floats(&v, &mut Countdown::new(&mut || calls_order += 1)), order, "n = {n}");
            if n > SORT_RUN {
                // Quicksort: at least one partition pass over all values. The order: a pass to make
                // the keys, the histogram pass, digit passes, the way back.
                assert!(calls >= n / 65_536 && calls_order >= 4 * n / 65_536, "n = {n}: {calls}, {calls_order} calls");
            }
        }
    }
}
