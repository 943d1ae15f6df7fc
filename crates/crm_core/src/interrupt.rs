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

    /// Calls the callback now (and starts counting anew).
    #[cold]
    #[inline(never)]
    pub fn check_now(&mut self) {
        self.left = CHECK_EVERY;
        (self.check)();
    }
}

/// Runs of this many values are sorted by the standard library; longer slices are merged from
/// such runs with the callback called between runs and every [`CHECK_EVERY`] merged values.
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
    if n <= SORT_RUN {
        v.sort_by(&mut cmp);
        return;
    }
    for run in v.chunks_mut(SORT_RUN) {
        countdown.check_now();
        run.sort_by(&mut cmp);
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
fn merge<T: Copy, F: FnMut(&T, &T) -> Ordering>(a: &[T], b: &[T], out: &mut [T], cmp: &mut F, countdown: &mut Countdown) {
    let (mut i, mut j) = (0, 0);
    for slot in out.iter_mut() {
        countdown.tick();
        let take_b = i == a.len() || (j < b.len() && cmp(&b[j], &a[i]) == Ordering::Less);
        if take_b {
            *slot = b[j];
            j += 1;
        } else {
            *slot = a[i];
            i += 1;
        }
    }
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
        assert_eq!(calls, 4);
    }

    #[test]
    fn sort_is_stable_matches_the_standard_sort_and_counts_interrupt_checks() {
        // 300,000 (key, position) pairs with many equal keys: the stable order is unique.
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for n in [10, SORT_RUN, SORT_RUN + 1, 300_000, 4 * SORT_RUN] {
            let v: Vec<(u32, usize)> = (0..n).map(|i| (rng.random_range(0..1000u32), i)).collect();
            let mut want = v.clone();
            want.sort_by(|a, b| a.0.cmp(&b.0));
            let mut got = v.clone();
            let mut calls = 0usize;
            sort_by(&mut got, |a, b| a.0.cmp(&b.0), &mut || calls += 1);
            assert_eq!(got, want, "n = {n}");
            if n > SORT_RUN {
                assert!(calls >= n / 65_536, "n = {n}: {calls} calls");
            }
        }
        // Floats in total order, as the quantile functions sort them.
        let v: Vec<f64> = (0..1_000_000).map(|i| ((i * 7919) % 1_000_003) as f64 - 5e5 + if i % 3 == 0 { -0.0 } else { 0.0 }).collect();
        let mut want = v.clone();
        want.sort_unstable_by(f64::total_cmp);
        let mut got = v;
        let mut calls = 0usize;
        sort_by(&mut got, f64::total_cmp, &mut || calls += 1);
        assert!(got.iter().zip(&want).all(|(a, b)| a.to_bits() == b.to_bits()));
        assert!(calls >= 1_000_000 / 65_536, "{calls} calls");
    }
}
