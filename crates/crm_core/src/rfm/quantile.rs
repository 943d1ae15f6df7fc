//! Quantiles and quantile scores exactly as PostgreSQL and pandas compute them
//! (docs/references.md section 2).
//!
//! Conventions:
//! - Quantiles use linear interpolation at position `q * (n - 1)` of the sorted values
//!   (PostgreSQL `percentile_cont`, numpy/pandas `quantile` default). The two differ only in how
//!   the interpolation is rounded: PostgreSQL computes `a + t*(b - a)`, numpy computes `b - (b - a)*(1 - t)`
//!   when `t >= 0.5`. [`percentile_cont`] follows PostgreSQL, [`quantile_numpy`] follows numpy; the
//!   pandas-compatible functions here (qcut edges) use numpy's so that edges agree bit for bit.
//! - Value scores are pandas `qcut(x, bins)` codes plus one: bins are right-closed and the first bin
//!   includes the minimum, so with inner edges `e_1 <= .. <= e_{bins-1}`,
//!   `score = 1 + #{i : x > e_i}`. Reversed scores (recency) are `bins + 1 - score`.
//! - Rank scores are pandas `qcut(rank, bins)` on ranks 1..n (`rank(method="first")`), computed
//!   in exact integer arithmetic.

use crate::error::{CrmError, CrmResult};
use crate::interrupt::{sort_floats_counting, stable_order_of_floats, Countdown};
use serde::{Deserialize, Serialize};

/// Smallest and largest number of bins accepted by the scoring functions.
pub const MIN_BINS: u32 = 2;
pub const MAX_BINS: u32 = 100;

fn check_bins(bins: u32) -> CrmResult<()> {
    if (MIN_BINS..=MAX_BINS).contains(&bins) {
        Ok(())
    } else {
        Err(CrmError::invalid(format!("bins must be between {MIN_BINS} and {MAX_BINS}, got {bins}")))
    }
}

fn check_fraction(q: f64) -> CrmResult<()> {
    if (0.0..=1.0).contains(&q) {
        Ok(())
    } else {
        Err(CrmError::invalid(format!("quantile fraction must be between 0 and 1, got {q}")))
    }
}

/// Checks that `sorted` is non-empty, finite and non-decreasing.
fn check_sorted(sorted: &[f64]) -> CrmResult<()> {
    if sorted.is_empty() {
        return Err(CrmError::invalid("cannot compute a quantile of no values"));
    }
    if let Some(bad) = sorted.iter().find(|v| !v.is_finite()) {
        return Err(CrmError::invalid(format!("quantile input must be finite, got {bad}")));
    }
    if sorted.windows(2).any(|w| w[0] > w[1]) {
        return Err(CrmError::invalid("quantile input must be sorted in ascending order"));
    }
    Ok(())
}

/// Position of quantile `q` among `n` sorted values: the lower index and the interpolation weight.
fn position(n: usize, q: f64) -> (usize, f64) {
    let pos = q * (n - 1) as f64;
    let lo = pos.floor();
    ((lo as usize).min(n - 1), pos - lo)
}

/// The `q` quantile of ascending, finite `sorted` values with PostgreSQL's `percentile_cont`
/// arithmetic: `v[lo] + t * (v[lo+1] - v[lo])` at position `q * (n - 1)`.
/// Errors (22023) on empty, unsorted or non-finite input and on `q` outside `[0, 1]`.
pub fn percentile_cont(sorted: &[f64], q: f64) -> CrmResult<f64> {
    check_fraction(q)?;
    check_sorted(sorted)?;
    let (lo, t) = position(sorted.len(), q);
    if t == 0.0 {
        return Ok(sorted[lo]);
    }
    let (a, b) = (sorted[lo], sorted[lo + 1]);
    finite_quantile(a + t * (b - a), a, b)
}

/// `q` when finite; else the error (22003) of two values too far apart to interpolate between
/// (`b - a` overflows, as from -1e308 to 1e308).
fn finite_quantile(q: f64, a: f64, b: f64) -> CrmResult<f64> {
    if q.is_finite() {
        Ok(q)
    } else {
        Err(CrmError::out_of_range(format!("quantile between {a:e} and {b:e} is out of range for double precision"))
            .with_detail("the difference of the two values overflows")
            .with_hint("the values span more than double precision can hold; rescale them"))
    }
}

/// The `q` quantile of ascending, finite `sorted` values with numpy's (and so pandas') linear
/// method: position `q * (n - 1)`, then `a + (b - a) * t` for `t < 0.5` and `b - (b - a) * (1 - t)`
/// otherwise. Same errors as [`percentile_cont`].
pub fn quantile_numpy(sorted: &[f64], q: f64) -> CrmResult<f64> {
    check_fraction(q)?;
    check_sorted(sorted)?;
    quantile_numpy_unchecked(sorted, q)
}

/// [`quantile_numpy`] of values known to be sorted and finite; errors (22003) only where two
/// neighbours are too far apart to interpolate.
fn quantile_numpy_unchecked(sorted: &[f64], q: f64) -> CrmResult<f64> {
    let n = sorted.len();
    let (lo, t) = position(n, q);
    if lo >= n - 1 {
        return Ok(sorted[n - 1]);
    }
    let (a, b) = (sorted[lo], sorted[lo + 1]);
    let q = numpy_lerp(a, b, t);
    if t == 0.0 && !q.is_finite() {
        // a + (b - a) * 0 with b - a overflowing: the quantile is a itself.
        return Ok(a);
    }
    finite_quantile(q, a, b)
}

/// numpy's `_lerp`: `a + (b - a) * t`, computed from `b` when `t >= 0.5`.
fn numpy_lerp(a: f64, b: f64, t: f64) -> f64 {
    let diff = b - a;
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

/// The fractions `i / bins` for `i = 1 .. bins-1`, rounded as `numpy.linspace(0, 1, bins + 1)`
/// rounds them (`i * (1/bins)`, so `3 * 0.2 = 0.6000000000000001`).
fn inner_fractions(bins: u32) -> impl Iterator<Item = f64> {
    let step = 1.0 / bins as f64;
    (1..bins).map(move |i| i as f64 * step)
}

/// pandas' quantile bins of a column: its minimum, the `bins - 1` inner edges and its maximum
/// (`[min, edges.., max]` is what `pandas.qcut(.., retbins=True)` returns). The minimum and
/// maximum matter for pandas-exact duplicate handling; see [`QcutBins::score`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QcutBins {
    pub min: f64,
    pub edges: Vec<f64>,
    pub max: f64,
}

/// Computes [`QcutBins`] of `values` (any order; sorted in place). `bins` must be in 2..=100.
/// `check_interrupt` is called every [`crate::interrupt::CHECK_EVERY`] values of the validation
/// and the sort. Errors (22023) on empty input (the SQL aggregate returns NULL there instead of
/// calling this), and on NaN or infinite values; (22003) on an edge out of range of double
/// precision (neighbouring values such as -1e308 and 1e308).
pub fn qcut_bins(values: &mut [f64], bins: u32, check_interrupt: &mut dyn FnMut()) -> CrmResult<QcutBins> {
    check_bins(bins)?;
    if values.is_empty() {
        return Err(CrmError::invalid("cannot compute quantile bins of no values"));
    }
    let countdown = &mut Countdown::new(check_interrupt);
    if let Some(bad) = values.iter().inspect(|_| countdown.tick()).find(|v| !v.is_finite()) {
        return Err(CrmError::invalid(format!("quantile input must be finite, got {bad}")));
    }
    sort_floats_counting(values, countdown);
    let edges = inner_fractions(bins).map(|q| quantile_numpy_unchecked(values, q)).collect::<CrmResult<_>>()?;
    Ok(QcutBins { min: values[0], edges, max: values[values.len() - 1] })
}

/// The `bins - 1` inner edges of pandas `qcut(values, bins)` (at fractions 1/bins, 2/bins, ..),
/// i.e. `qcut_bins(..).edges`. Same errors and interrupt checks as [`qcut_bins`].
pub fn qcut_edges(values: &mut [f64], bins: u32, check_interrupt: &mut dyn FnMut()) -> CrmResult<Vec<f64>> {
    Ok(qcut_bins(values, bins, check_interrupt)?.edges)
}

/// What to do when quantile edges coincide (many equal values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateEdges {
    /// Error, as pandas does by default (`duplicates="raise"`).
    Raise,
    /// Merge equal edges into one, as pandas `duplicates="drop"`: the bins between equal edges
    /// vanish, so scores run from 1 to the number of remaining bins `m` (less than `bins`), with no
    /// gaps; a reversed score is `m + 1 - score`, so it also runs 1..m.
    Merge,
}

impl DuplicateEdges {
    /// Parses `raise`/`error` and `merge`/`drop` (case-insensitive).
    pub fn parse(s: &str) -> CrmResult<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "raise" | "error" => Ok(DuplicateEdges::Raise),
            "merge" | "drop" => Ok(DuplicateEdges::Merge),
            _ => Err(CrmError::invalid(format!("unknown duplicates option \"{s}\"")).with_hint("use raise or merge")),
        }
    }
}

fn duplicate_edge_error(value: f64, all: &[f64]) -> CrmError {
    let list = all.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(", ");
    CrmError::invalid(format!("quantile bin edges must be unique, but the edge {value} repeats"))
        .with_detail(format!("bin edges: {list}"))
        .with_hint("many values are equal; use duplicates => 'merge' or rank-based scoring (ties broken by a row order)")
}

fn check_edges(edges: &[f64]) -> CrmResult<()> {
    if let Some(bad) = edges.iter().find(|e| !e.is_finite()) {
        return Err(CrmError::invalid(format!("bin edges must be finite, got {bad}")));
    }
    if edges.windows(2).any(|w| w[0] > w[1]) {
        return Err(CrmError::invalid("bin edges must be in ascending order"));
    }
    Ok(())
}

/// Score of `x` against ascending, finite inner `edges` whose duplicates have already been dealt
/// with: `1 + #distinct edges below x`, reversed within the `1 + #distinct edges` bins.
fn score_distinct(x: f64, edges: &[f64], reverse: bool) -> u32 {
    let mut bins = 1u32;
    let mut score = 1u32;
    let mut prev: Option<f64> = None;
    for &e in edges {
        if prev != Some(e) {
            bins += 1;
            if x > e {
                score += 1;
            }
        }
        prev = Some(e);
    }
    if reverse {
        bins + 1 - score
    } else {
        score
    }
}

/// Score of `x` in 1..=bins against the `bins - 1` inner `edges` (as from [`qcut_edges`]):
/// `1 + #{i : x > e_i}`; `reverse` gives `bins + 1 - score`. Values below the first edge score 1
/// and values above the last score `bins` (pandas gives NaN outside [min, max]; here new data
/// is scored against old edges).
///
/// Duplicates: `Raise` errors if two edges are equal; `Merge` counts equal edges once
/// (see [`DuplicateEdges::Merge`]). The inner edges alone do not show whether an edge equals the
/// data's minimum or maximum, which pandas also treats as a duplicate; [`QcutBins::score`] does.
/// Errors (22023): `x` not finite, edges not finite or not ascending, `edges.len() + 1` not in 2..=100.
pub fn qcut_score(x: f64, edges: &[f64], reverse: bool, duplicates: DuplicateEdges) -> CrmResult<u32> {
    if !x.is_finite() {
        return Err(CrmError::invalid(format!("cannot score a non-finite value ({x})")));
    }
    check_bins(u32::try_from(edges.len() + 1).unwrap_or(u32::MAX))?;
    check_edges(edges)?;
    if duplicates == DuplicateEdges::Raise {
        if let Some(w) = edges.windows(2).find(|w| w[0] == w[1]) {
            return Err(duplicate_edge_error(w[0], edges));
        }
    }
    Ok(score_distinct(x, edges, reverse))
}

impl QcutBins {
    /// Number of bins before any merging: `edges.len() + 1`.
    pub fn bins(&self) -> u32 {
        self.edges.len() as u32 + 1
    }

    /// pandas' `bins` array: `[min, edges.., max]`.
    pub fn to_pandas_bins(&self) -> Vec<f64> {
        let mut all = Vec::with_capacity(self.edges.len() + 2);
        all.push(self.min);
        all.extend_from_slice(&self.edges);
        all.push(self.max);
        all
    }

    /// Reads pandas' `bins` array `[min, edges.., max]` (3 to 101 ascending finite numbers).
    pub fn from_pandas_bins(all: &[f64]) -> CrmResult<Self> {
        if all.len() < MIN_BINS as usize + 1 || all.len() > MAX_BINS as usize + 1 {
            return Err(CrmError::invalid(format!(
                "a bins array holds the minimum, the inner edges and the maximum: 3 to {} numbers, got {}",
                MAX_BINS + 1,
                all.len()
            )));
        }
        check_edges(all)?;
        Ok(QcutBins { min: all[0], edges: all[1..all.len() - 1].to_vec(), max: all[all.len() - 1] })
    }

    /// Score of `x` exactly as pandas `qcut(.., labels=False) + 1` assigns it to a value of the
    /// column these bins came from: `Raise` errors when any two of `[min, edges.., max]` are equal
    /// (pandas' default error); `Merge` (pandas `duplicates="drop"`) removes repeated values from
    /// `[min, edges.., max]`, leaving `m` bins, and scores `max(1, #{distinct bin values < x})`, so
    /// an inner edge equal to the minimum is merged into the first bin. When all values are equal
    /// (`m = 0`, where pandas gives NaN) the score is 1. Values outside [min, max] score 1 or `m`.
    /// `reverse` gives `m + 1 - score` (`bins + 1 - score` when nothing merged).
    pub fn score(&self, x: f64, reverse: bool, duplicates: DuplicateEdges) -> CrmResult<u32> {
        if !x.is_finite() {
            return Err(CrmError::invalid(format!("cannot score a non-finite value ({x})")));
        }
        check_bins(self.bins())?;
        let all = self.to_pandas_bins();
        check_edges(&all)?;
        match duplicates {
            DuplicateEdges::Raise => {
                if let Some(w) = all.windows(2).find(|w| w[0] == w[1]) {
                    return Err(duplicate_edge_error(w[0], &all));
                }
                Ok(score_distinct(x, &self.edges, reverse))
            }
            DuplicateEdges::Merge => {
                let kept: Vec<f64> = self.edges.iter().copied().filter(|&e| e > self.min && e < self.max).collect();
                Ok(score_distinct(x, &kept, reverse))
            }
        }
    }
}

/// Score of the `rank`-th of `n` values (ranks 1..=n, ties already broken, e.g. by row order as
/// pandas `rank(method="first")`) cut into `bins` quantile bins: `max(1, ceil(bins * (rank - 1) /
/// (n - 1)))`, computed exactly in integers (docs/references.md section 2). A single value
/// (`n == 1`) scores 1 (pandas raises there). This is not `ntile(bins)`: bin sizes differ by one
/// here and there.
///
/// This equals pandas `qcut(rank, bins)` for 2, 3, 4, 5, 8, 10 and 20 bins (property-tested on
/// every boundary rank for n up to 10^9; for 2, 4, 5, 8 and 10 `fl(i/bins) >= i/bins` makes it
/// exact by construction). For some other bin
/// counts (6, 7, 9, ..) pandas' floating-point edge `(n-1) * fl(i/bins)` can land just below a
/// rank that lies exactly on a boundary and give that rank the next score;
/// [`rank_score_pandas`] reproduces pandas there.
/// Errors (22023): `rank` outside 1..=n, `bins` outside 2..=100.
pub fn rank_score(rank: u64, n: u64, bins: u32) -> CrmResult<u32> {
    check_rank(rank, n, bins)?;
    if n == 1 {
        return Ok(1);
    }
    let num = bins as u128 * (rank - 1) as u128;
    let den = (n - 1) as u128;
    Ok((num.div_ceil(den) as u32).max(1))
}

/// [`rank_score`] with pandas' floating-point edges, bit for bit: the inner edges are numpy's
/// linear quantiles of the ranks 1..n at `numpy.linspace(0, 1, bins + 1)`, and the score is
/// `1 + #{i : rank > e_i}`. Differs from [`rank_score`] only by scoring some ranks that lie exactly
/// on a bin boundary one higher. `n == 1` scores 1 (pandas raises). Same errors as [`rank_score`].
pub fn rank_score_pandas(rank: u64, n: u64, bins: u32) -> CrmResult<u32> {
    check_rank(rank, n, bins)?;
    if n == 1 {
        return Ok(1);
    }
    let last = (n - 1) as f64;
    let k = rank as f64;
    let above = inner_fractions(bins)
        .filter(|&q| {
            let pos = last * q;
            let edge = if pos >= last {
                n as f64
            } else {
                let lo = pos.floor();
                numpy_lerp(lo + 1.0, lo + 2.0, pos - lo)
            };
            k > edge
        })
        .count();
    Ok(1 + above as u32)
}

fn check_rank(rank: u64, n: u64, bins: u32) -> CrmResult<()> {
    check_bins(bins)?;
    if rank == 0 || rank > n {
        return Err(CrmError::invalid(format!("rank must be between 1 and the number of values ({n}), got {rank}")));
    }
    Ok(())
}

/// pandas `rank(method="first")` of `values`: 1-based ranks in ascending order, ties ranked in
/// input order. `check_interrupt` is called every [`crate::interrupt::CHECK_EVERY`] values of
/// each pass. Errors (22023) on NaN or infinite values.
pub fn rank_first(values: &[f64], check_interrupt: &mut dyn FnMut()) -> CrmResult<Vec<u64>> {
    let countdown = &mut Countdown::new(check_interrupt);
    if let Some(bad) = values.iter().inspect(|_| countdown.tick()).find(|v| !v.is_finite()) {
        return Err(CrmError::invalid(format!("cannot rank a non-finite value ({bad})")));
    }
    let order = stable_order_of_floats(values, countdown);
    let mut ranks = vec![0u64; values.len()];
    for (pos, &i) in order.iter().enumerate() {
        countdown.tick();
        ranks[i] = pos as u64 + 1;
    }
    Ok(ranks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn percentile_cont_interpolates() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile_cont(&v, 0.0).unwrap(), 1.0);
        assert_eq!(percentile_cont(&v, 1.0).unwrap(), 4.0);
        assert_eq!(percentile_cont(&v, 0.5).unwrap(), 2.5);
        assert_eq!(percentile_cont(&v, 0.2).unwrap(), 1.6);
        assert_eq!(percentile_cont(&[7.0], 0.3).unwrap(), 7.0);
        assert_eq!(quantile_numpy(&[7.0], 0.3).unwrap(), 7.0);
        assert_eq!(quantile_numpy(&v, 1.0).unwrap(), 4.0);
    }

    #[test]
    fn percentile_rejects_bad_input() {
        assert!(percentile_cont(&[], 0.5).is_err());
        assert!(percentile_cont(&[2.0, 1.0], 0.5).is_err());
        assert!(percentile_cont(&[1.0, f64::NAN], 0.5).is_err());
        assert!(percentile_cont(&[1.0, 2.0], 1.5).is_err());
        assert!(quantile_numpy(&[1.0, 2.0], f64::NAN).is_err());
    }

    #[test]
    fn numpy_and_postgres_rounding_differ_only_in_the_last_bit() {
        // t = 0.7 >= 0.5, so numpy computes b - (b-a)*0.3 where PostgreSQL computes a + 0.7*(b-a).
        let v: Vec<f64> = (0..11).map(|i| 0.1 * i as f64 * i as f64).collect();
        let mut differing = 0;
        for i in 0..=1000 {
            let q = i as f64 / 1000.0;
            let (pg, np) = (percentile_cont(&v, q).unwrap(), quantile_numpy(&v, q).unwrap());
            assert!((pg - np).abs() <= 2.0 * f64::EPSILON * pg.abs().max(1.0), "q={q}: {pg} vs {np}");
            differing += usize::from(pg != np);
        }
        assert!(differing > 0, "the two formulas are expected to round differently somewhere");
    }

    #[test]
    fn linspace_fractions() {
        let f: Vec<f64> = inner_fractions(5).collect();
        assert_eq!(f, vec![0.2, 0.4, 0.6000000000000001, 0.8]);
    }

    #[test]
    fn scores_are_right_closed() {
        let edges = [2.0, 4.0, 6.0, 8.0];
        let got: Vec<u32> =
            [1.0, 2.0, 2.5, 4.0, 8.0, 8.5, 100.0].iter().map(|&x| qcut_score(x, &edges, false, DuplicateEdges::Raise).unwrap()).collect();
        assert_eq!(got, vec![1, 1, 2, 2, 4, 5, 5]);
        assert_eq!(qcut_score(1.0, &edges, true, DuplicateEdges::Raise).unwrap(), 5);
        assert_eq!(qcut_score(9.0, &edges, true, DuplicateEdges::Raise).unwrap(), 1);
    }

    #[test]
    fn duplicate_edges() {
        let edges = [1.0, 3.0, 3.0, 8.0];
        let err = qcut_score(5.0, &edges, false, DuplicateEdges::Raise).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidParameter);
        assert!(err.message.contains("edge 3 repeats"), "{}", err.message);
        assert!(err.hint.unwrap().contains("merge"));
        // merged: 4 bins, (-inf,1] (1,3] (3,8] (8,inf)
        let s = |x| qcut_score(x, &edges, false, DuplicateEdges::Merge).unwrap();
        assert_eq!((s(0.0), s(2.0), s(3.0), s(5.0), s(9.0)), (1, 2, 2, 3, 4));
        let r = |x| qcut_score(x, &edges, true, DuplicateEdges::Merge).unwrap();
        assert_eq!((r(0.0), r(5.0), r(9.0)), (4, 2, 1));
    }

    #[test]
    fn rejects_bad_edges() {
        assert!(qcut_score(1.0, &[], false, DuplicateEdges::Merge).is_err());
        assert!(qcut_score(1.0, &[2.0, 1.0], false, DuplicateEdges::Merge).is_err());
        assert!(qcut_score(1.0, &[f64::INFINITY], false, DuplicateEdges::Merge).is_err());
        assert!(qcut_score(f64::NAN, &[1.0], false, DuplicateEdges::Merge).is_err());
        assert!(qcut_score(1.0, &vec![0.0; 100], false, DuplicateEdges::Merge).is_err());
        assert_eq!(qcut_score(1.0, &vec![0.0; 99], false, DuplicateEdges::Merge).unwrap(), 2);
    }

    #[test]
    fn bins_see_the_minimum() {
        // 30% of the values equal the minimum: the 20% edge equals it, pandas raises / merges it.
        let mut v = vec![1.0, 1.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
        let b = qcut_bins(&mut v, 5, &mut || {}).unwrap();
        assert_eq!(b.edges[0], 1.0);
        assert!(b.score(2.0, false, DuplicateEdges::Raise).is_err());
        assert_eq!(qcut_score(2.0, &b.edges, false, DuplicateEdges::Raise).unwrap(), 2);
        assert_eq!(b.score(1.0, false, DuplicateEdges::Merge).unwrap(), 1);
        assert_eq!(b.score(2.0, false, DuplicateEdges::Merge).unwrap(), 1);
        assert_eq!(b.score(8.0, false, DuplicateEdges::Merge).unwrap(), 4);
        assert_eq!(b.score(8.0, true, DuplicateEdges::Merge).unwrap(), 1);
        assert_eq!(QcutBins::from_pandas_bins(&b.to_pandas_bins()).unwrap(), b);
        let mut same = vec![3.0; 4];
        let b = qcut_bins(&mut same, 5, &mut || {}).unwrap();
        assert_eq!(b.score(3.0, true, DuplicateEdges::Merge).unwrap(), 1);
        assert!(qcut_bins(&mut [], 5, &mut || {}).is_err());
        assert!(qcut_bins(&mut [1.0, f64::NAN], 5, &mut || {}).is_err());
        assert!(qcut_bins(&mut [1.0, 2.0], 1, &mut || {}).is_err());
        assert!(QcutBins::from_pandas_bins(&[1.0, 2.0]).is_err());
    }

    #[test]
    fn rank_scores() {
        // n = 11, bins = 5: edges at ranks 3, 5, 7, 9.
        let got: Vec<u32> = (1..=11).map(|k| rank_score(k, 11, 5).unwrap()).collect();
        assert_eq!(got, vec![1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
        assert_eq!(rank_score(1, 1, 5).unwrap(), 1);
        assert_eq!(rank_score(u64::MAX, u64::MAX, 100).unwrap(), 100);
        assert!(rank_score(0, 3, 5).is_err());
        assert!(rank_score(4, 3, 5).is_err());
        assert!(rank_score(1, 3, 101).is_err());
        assert!(rank_score_pandas(0, 3, 5).is_err());
        assert_eq!(rank_score_pandas(1, 1, 5).unwrap(), 1);
    }

    #[test]
    fn pandas_rank_edges_can_fall_below_a_boundary() {
        // n = 8, bins = 7: exactly, rank 6 sits on the 5th edge ((8-1) * 5/7 + 1 = 6) and scores 5;
        // pandas' edge is 5.999999999999999, so it scores 6.
        assert_eq!(rank_score(6, 8, 7).unwrap(), 5);
        assert_eq!(rank_score_pandas(6, 8, 7).unwrap(), 6);
        let exact: Vec<u32> = (1..=8).map(|k| rank_score(k, 8, 7).unwrap()).collect();
        let pandas: Vec<u32> = (1..=8).map(|k| rank_score_pandas(k, 8, 7).unwrap()).collect();
        assert_eq!(exact, vec![1, 1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(pandas, vec![1, 1, 2, 3, 4, 6, 6, 7]);
    }

    #[test]
    fn ranks_break_ties_in_input_order() {
        assert_eq!(rank_first(&[3.0, 1.0, 3.0, 2.0, 1.0], &mut || {}).unwrap(), vec![4, 1, 5, 3, 2]);
        assert!(rank_first(&[f64::NAN], &mut || {}).is_err());
    }

    #[test]
    fn many_values_check_for_interrupts() {
        let n = 1_000_000;
        let values: Vec<f64> = (0..n).map(|i| ((i * 7919) % 100_003) as f64 * 0.25).collect();
        let mut calls = 0usize;
        let mut v = values.clone();
        let b = qcut_bins(&mut v, 5, &mut || calls += 1).unwrap();
        // validation and sort (runs and merge passes)
        assert!(calls >= 2 * n / 65_536, "qcut_bins: {calls} calls");
        assert_eq!((b.min, b.max), (0.0, 100_002.0 * 0.25));
        let mut sorted = values.clone();
        sorted.sort_unstable_by(f64::total_cmp);
        assert_eq!(b.edges, inner_fractions(5).map(|q| quantile_numpy(&sorted, q).unwrap()).collect::<Vec<_>>());
        let mut calls = 0usize;
        let ranks = rank_first(&values, &mut || calls += 1).unwrap();
        assert!(calls >= 2 * n / 65_536, "rank_first: {calls} calls");
        assert_eq!(
            (ranks[0], ranks[1]),
            (1, 1 + (0..n).filter(|&i| values[i] < values[1] || (values[i] == values[1] && i < 1)).count() as u64)
        );
    }

    #[test]
    fn quantiles_between_values_too_far_apart_are_out_of_range() {
        let v = [-1e308, 1e308];
        for e in [
            percentile_cont(&v, 0.5).unwrap_err(),
            quantile_numpy(&v, 0.25).unwrap_err(),
            qcut_bins(&mut v.clone(), 2, &mut || {}).unwrap_err(),
        ] {
            assert_eq!(e.kind, ErrorKind::OutOfRange);
            assert_eq!(e.message, "quantile between -1e308 and 1e308 is out of range for double precision");
        }
        // At the ends no interpolation is needed.
        assert_eq!(percentile_cont(&v, 1.0).unwrap(), 1e308);
        assert_eq!(quantile_numpy(&v, 0.0).unwrap(), -1e308);
    }
}
