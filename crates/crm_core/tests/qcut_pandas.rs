//! Quantile scores equal pandas: a golden file made by pandas itself (scripts/golden/qcut_golden.py)
//! and property tests against a direct transcription of pandas' qcut on random data with ties.

use crm_core::rfm::quantile::{
    percentile_cont, qcut_bins, qcut_score, quantile_numpy, rank_first, rank_score, rank_score_pandas, DuplicateEdges, QcutBins,
};
use proptest::prelude::*;
use serde_json::Value;

const GOLDEN: &str = include_str!("golden/qcut_pandas.json");

fn num(v: &Value) -> f64 {
    v.as_str().expect("floats are stored as repr strings").parse().unwrap()
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(num).collect()
}

/// pandas codes + 1 per value (`None` where pandas gives NaN), or `None` when pandas raised.
fn expected_codes(v: &Value) -> Option<Vec<Option<u32>>> {
    if v.as_str() == Some("error") {
        return None;
    }
    Some(v.as_array().unwrap().iter().map(|c| c.as_u64().map(|c| c as u32)).collect())
}

#[test]
fn golden_pandas_cases() {
    let doc: Value = serde_json::from_str(GOLDEN).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 120);
    let (mut raised, mut merged_nan, mut rows, mut exact_differs) = (0, 0, 0, 0);
    for (ci, case) in cases.iter().enumerate() {
        let values = nums(&case["values"]);
        let bins_n = case["bins"].as_u64().unwrap() as u32;
        let n = values.len() as u64;
        rows += values.len();
        let mut sorted = values.clone();
        let bins = qcut_bins(&mut sorted, bins_n, &mut || {}).unwrap();
        // bit-for-bit equal edges
        let want: Vec<u64> = nums(&case["pandas_bins"]).iter().map(|x| x.to_bits()).collect();
        let got: Vec<u64> = bins.to_pandas_bins().iter().map(|x| x.to_bits()).collect();
        assert_eq!(got, want, "case {ci}: bins");
        for (q, expected) in case["quantiles"].as_object().unwrap() {
            let q: f64 = q.parse().unwrap();
            let expected = num(expected);
            assert_eq!(quantile_numpy(&sorted, q).unwrap().to_bits(), expected.to_bits(), "case {ci}: quantile {q}");
            let pg = percentile_cont(&sorted, q).unwrap();
            assert!((pg - expected).abs() <= 4.0 * f64::EPSILON * expected.abs().max(1.0), "case {ci}: percentile_cont {q}");
        }
        for (key, reverse) in [("raise", false), ("raise_reversed", true)] {
            match expected_codes(&case[key]) {
                Some(codes) => {
                    for (x, code) in values.iter().zip(&codes) {
                        assert_eq!(Some(bins.score(*x, reverse, DuplicateEdges::Raise).unwrap()), *code, "case {ci} {key}: x = {x}");
                        assert_eq!(Some(qcut_score(*x, &bins.edges, reverse, DuplicateEdges::Raise).unwrap()), *code);
                    }
                }
                None => {
                    raised += usize::from(!reverse);
                    for x in &values {
                        assert!(bins.score(*x, reverse, DuplicateEdges::Raise).is_err(), "case {ci} {key}: pandas raised");
                    }
                }
            }
        }
        let drop = expected_codes(&case["drop"]).expect("duplicates='drop' never raises");
        for (x, code) in values.iter().zip(&drop) {
            let got = bins.score(*x, false, DuplicateEdges::Merge).unwrap();
            match code {
                Some(code) => assert_eq!(got, *code, "case {ci} drop: x = {x}"),
                None => {
                    // pandas gives NaN when every value is equal; crm_core documents score 1
                    merged_nan += 1;
                    assert_eq!(bins.min, bins.max, "case {ci}: NaN only for constant columns");
                    assert_eq!(got, 1);
                }
            }
        }
        let ranks = rank_first(&values, &mut || {}).unwrap();
        let want_ranks: Vec<u64> = case["ranks"].as_array().unwrap().iter().map(|r| r.as_u64().unwrap()).collect();
        assert_eq!(ranks, want_ranks, "case {ci}: ranks");
        match expected_codes(&case["rank_scores"]) {
            Some(codes) => {
                for (k, code) in ranks.iter().zip(&codes) {
                    let pandas = rank_score_pandas(*k, n, bins_n).unwrap();
                    assert_eq!(Some(pandas), *code, "case {ci}: rank {k} of {n}");
                    let exact = rank_score(*k, n, bins_n).unwrap();
                    if exact != pandas {
                        exact_differs += 1;
                        assert!(on_exact_boundary(*k, n, bins_n) && pandas == exact + 1, "case {ci}: rank {k} of {n}");
                    }
                }
            }
            // pandas raises for a single value (all rank edges equal); crm_core documents score 1
            None => assert_eq!((n, rank_score(1, 1, bins_n).unwrap()), (1, 1), "case {ci}"),
        }
    }
    // the file exercises every path
    assert!(raised >= 20 && merged_nan >= 5 && rows > 2_000, "raised {raised}, NaN {merged_nan}, rows {rows}");
    // pandas' float rank edges differ from exact arithmetic somewhere in the file (7 bins)
    assert!(exact_differs > 0);
}

/// Whether rank `k` of `n` lies exactly on an inner boundary: `bins * (k - 1) / (n - 1)` is an
/// integer in 1..bins.
fn on_exact_boundary(k: u64, n: u64, bins: u32) -> bool {
    let num = bins as u128 * (k - 1) as u128;
    let den = (n - 1) as u128;
    num.is_multiple_of(den) && (1..bins as u128).contains(&(num / den))
}

/// numpy's linear quantile of 1..n (the ranks), transcribed from numpy 1.26 `_quantile`/`_lerp`.
fn numpy_rank_quantile(n: u64, q: f64) -> f64 {
    let idx = (n - 1) as f64 * q;
    if idx >= (n - 1) as f64 {
        return n as f64;
    }
    let prev = idx.floor();
    let t = idx - prev;
    let (a, b) = (prev + 1.0, prev + 2.0);
    let diff = b - a;
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

/// pandas `_bins_to_cuts(..., include_lowest=True)` on a full bins array: unique edges (or error),
/// `searchsorted(side="left")`, values equal to the first edge put in bin 1; `None` for NaN.
fn pandas_codes(bins: &[f64], x: f64, drop: bool) -> Result<Option<u32>, ()> {
    let mut unique = bins.to_vec();
    unique.dedup();
    if unique.len() < bins.len() && !drop {
        return Err(());
    }
    let mut id = unique.iter().filter(|&&e| e < x).count();
    if x == unique[0] {
        id = 1;
    }
    Ok(if id == 0 || id == unique.len() { None } else { Some(id as u32) })
}

fn column() -> impl Strategy<Value = Vec<f64>> {
    prop_oneof![
        prop::collection::vec(0u8..4, 1..80).prop_map(|v| v.into_iter().map(f64::from).collect()),
        prop::collection::vec(0u32..300, 1..80).prop_map(|v| v.into_iter().map(|c| f64::from(c / 7) * 0.25).collect()),
        prop::collection::vec(-1000i32..1000, 1..80).prop_map(|v| v.into_iter().map(|c| f64::from(c) / 100.0).collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn value_scores_match_pandas_transcription(values in column(), bins_n in 2u32..=10, reverse in any::<bool>()) {
        let mut sorted = values.clone();
        let bins = qcut_bins(&mut sorted, bins_n, &mut || {}).unwrap();
        let full = bins.to_pandas_bins();
        let mut unique = full.clone();
        unique.dedup();
        let m = (unique.len() - 1).max(1) as u32;
        for &x in &values {
            let flip = |s: u32, top: u32| if reverse { top + 1 - s } else { s };
            match pandas_codes(&full, x, false) {
                Ok(code) => prop_assert_eq!(bins.score(x, reverse, DuplicateEdges::Raise).unwrap(), flip(code.unwrap(), bins_n)),
                Err(()) => prop_assert!(bins.score(x, reverse, DuplicateEdges::Raise).is_err()),
            }
            let code = pandas_codes(&full, x, true).unwrap().unwrap_or(1);
            prop_assert_eq!(bins.score(x, reverse, DuplicateEdges::Merge).unwrap(), flip(code, m));
            // the inner-edges-only form agrees whenever no inner edge touches the minimum or maximum
            if bins.edges.iter().all(|&e| e > bins.min && e < bins.max) {
                for dup in [DuplicateEdges::Raise, DuplicateEdges::Merge] {
                    let inner = qcut_score(x, &bins.edges, reverse, dup).map_err(|_| ());
                    prop_assert_eq!(inner, bins.score(x, reverse, dup).map_err(|_| ()));
                }
            }
        }
        prop_assert_eq!(QcutBins::from_pandas_bins(&full).unwrap(), bins);
    }

    #[test]
    fn rank_scores_match_pandas_on_ranks(n in 2u64..3_000_000, bins_n in 2u32..=100, picks in prop::collection::vec(any::<u64>(), 40)) {
        let full: Vec<f64> = std::iter::once(1.0)
            .chain((1..bins_n).map(|i| numpy_rank_quantile(n, i as f64 * (1.0 / bins_n as f64))))
            .chain(std::iter::once(n as f64))
            .collect();
        // ranks next to every bin boundary, plus random ones
        let mut ranks: Vec<u64> = (1..bins_n as u64)
            .flat_map(|i| { let b = 1 + i * (n - 1) / bins_n as u64; [b.saturating_sub(1), b, b + 1, b + 2] })
            .chain(picks.iter().map(|p| 1 + p % n))
            .filter(|&k| (1..=n).contains(&k))
            .collect();
        ranks.extend([1, n]);
        for k in ranks {
            let code = pandas_codes(&full, k as f64, false).unwrap().unwrap();
            prop_assert_eq!(rank_score_pandas(k, n, bins_n).unwrap(), code, "rank {} of {}", k, n);
            let exact = rank_score(k, n, bins_n).unwrap();
            if [2, 3, 4, 5, 8, 10, 20].contains(&bins_n) {
                prop_assert_eq!(exact, code, "rank {} of {}", k, n);
            } else if exact != code {
                prop_assert!(on_exact_boundary(k, n, bins_n) && code == exact + 1, "rank {} of {}", k, n);
            }
        }
    }

    #[test]
    fn common_bin_counts_agree_with_pandas(m in 1u64..50_000_000, bins_n in prop::sample::select(vec![2u32, 3, 4, 5, 8, 10, 20])) {
        // n - 1 a multiple of bins: every inner boundary is exactly on a rank; check it and its neighbours
        let n = 1 + m * bins_n as u64;
        for i in 1..bins_n as u64 {
            {
                let b = 1 + i * (n - 1) / bins_n as u64;
                for k in [b - 1, b, b + 1].into_iter().filter(|&k| (1..=n).contains(&k)) {
                    prop_assert_eq!(rank_score(k, n, bins_n).unwrap(), rank_score_pandas(k, n, bins_n).unwrap(), "rank {} of {}", k, n);
                }
            }
        }
    }

    #[test]
    fn ranks_are_a_stable_sort(values in column()) {
        let ranks = rank_first(&values, &mut || {}).unwrap();
        let mut seen = ranks.clone();
        seen.sort_unstable();
        prop_assert_eq!(seen, (1..=values.len() as u64).collect::<Vec<_>>());
        for i in 0..values.len() {
            for j in 0..values.len() {
                if values[i] < values[j] || (values[i] == values[j] && i < j) {
                    prop_assert!(ranks[i] < ranks[j]);
                }
            }
        }
    }
}
