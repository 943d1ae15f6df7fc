//! Quantile scores exactly as pandas `qcut` (docs/references.md section 2) and the course's
//! outlier limits: the scalar functions `crm_qcut_score`, `crm_rank_score` and `crm_clip` (the aggregates
//! `crm_qcut_edges` and `crm_outlier_limits` are `sample_aggregates`). The math is `crm_core::rfm::quantile`,
//! `crm_core::rfm::outliers` and `crm_core::math::rounding`.
//!
//! Aggregates cannot have named or default arguments in PostgreSQL, so the optional arguments of
//! the aggregates are overloads; the scalar functions have defaults.

use crate::pg::errors::{raise, OrRaise};
use crm_core::error::CrmError;
use crm_core::math::rounding::RoundMode;
use crm_core::rfm::outliers::clip;
use crm_core::rfm::quantile::{rank_score_pandas, DuplicateEdges, QcutBins, MAX_BINS, MIN_BINS};
use pgrx::prelude::*;

/// The number of bins of a scoring function or aggregate, 2..=100 (22023 otherwise).
pub fn bins_arg(bins: i32) -> u32 {
    match u32::try_from(bins) {
        Ok(b) if (MIN_BINS..=MAX_BINS).contains(&b) => b,
        _ => raise(CrmError::invalid(format!("bins must be between {MIN_BINS} and {MAX_BINS}, got {bins}"))),
    }
}

/// The duplicates policy of a scoring call: `raise` (pandas' default) or `merge` (pandas `drop`).
pub fn duplicates_arg(duplicates: &str) -> DuplicateEdges {
    DuplicateEdges::parse(duplicates).or_raise()
}

/// pandas' bins array (as from `crm_qcut_edges`) without NULLs.
fn bins_from_array(edges: Array<'_, f64>) -> QcutBins {
    let all: Vec<f64> =
        edges.iter().map(|e| e.unwrap_or_else(|| raise(CrmError::null_not_allowed("bin edges must not contain NULL")))).collect();
    QcutBins::from_pandas_bins(&all).or_raise()
}

/// Score 1..bins of `value` against bin edges from `crm_qcut_edges`, as pandas `qcut` assigns it.
#[pg_extern(immutable, parallel_safe)]
fn crm_qcut_score(
    value: f64,
    edges: Array<'_, f64>,
    reverse: default!(bool, false),
    duplicates: default!(&str, "'raise'"),
    fcinfo: pg_sys::FunctionCallInfo,
) -> i32 {
    crate::pg::array_args::require_one_dimension(fcinfo, 1, "edges");
    let bins = bins_from_array(edges);
    bins.score(value, reverse, duplicates_arg(duplicates)).or_raise() as i32
}

/// Rank-based score: pandas `qcut(rank, bins)` of the `rank`-th of `n` ranked rows.
#[pg_extern(immutable, parallel_safe)]
fn crm_rank_score(rank: i64, n: i64, bins: default!(i32, 5)) -> i32 {
    let bins = bins_arg(bins);
    if n < 1 || rank < 1 || rank > n {
        raise(CrmError::invalid(format!("rank must be between 1 and n, got rank {rank} and n {n}")));
    }
    rank_score_pandas(rank as u64, n as u64, bins).or_raise() as i32
}

/// `value` capped at the limits: above `up` -> `up` rounded, below `low` -> `low` rounded.
#[pg_extern(immutable, parallel_safe)]
fn crm_clip(value: f64, low: f64, up: f64, round: default!(&str, "'half_even'")) -> f64 {
    let mode = RoundMode::parse(round).or_raise();
    clip(value, low, up, mode).or_raise()
}

extension_sql!(
    r#"
COMMENT ON FUNCTION crm_qcut_score(float8, float8[], boolean, text) IS 'Score 1..bins of value against bin edges from crm_qcut_edges, exactly as pandas qcut(labels=False) + 1: right-closed bins, the first includes the minimum; reverse => true gives bins + 1 - score (recency). Values outside the edges score 1 or bins. duplicates => ''raise'' (default, as pandas) errors (22023) when edges repeat; ''merge'' (pandas duplicates=''drop'') merges them, leaving fewer bins.';
COMMENT ON FUNCTION crm_rank_score(bigint, bigint, integer) IS 'Score 1..bins of the rank-th of n rows ranked without ties (row_number()), exactly as pandas qcut(rank(method=''first''), bins). For 5 bins: max(1, ceil(5 (rank - 1) / (n - 1))). Not ntile(bins).';
COMMENT ON FUNCTION crm_clip(float8, float8, float8, text) IS 'Caps value at the outlier limits: above up becomes round(up), below low becomes round(low). round => ''half_even'' (Python round, the course: 48.5 -> 48), ''half_away'' (PostgreSQL round: 48.5 -> 49) or ''none''.';
"#,
    name = "crm_scoring_comments",
    requires = [crm_qcut_score, crm_rank_score, crm_clip]
);

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use pgrx::prelude::*;
    use serde_json::Value;

    /// pandas' own results (crates/crm_core/tests/golden, made by scripts/golden/qcut_golden.py).
    const GOLDEN: &str = include_str!("../../crates/crm_core/tests/golden/qcut_pandas.json");

    fn nums(v: &Value) -> Vec<f64> {
        v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().parse().unwrap()).collect()
    }

    fn codes(v: &Value) -> Option<Vec<Option<i32>>> {
        v.as_array().map(|a| a.iter().map(|c| c.as_i64().map(|c| c as i32)).collect())
    }

    /// Scores of `values` in input order computed in SQL by `score_sql`, an expression of the value
    /// x, the edges e, the count n and the rank k (ties in input order, as rank(method="first")).
    fn sql_scores(values: &[f64], bins: i32, score_sql: &str) -> Vec<i32> {
        let query = format!(
            "WITH v AS (SELECT x, i FROM unnest($1::float8[]) WITH ORDINALITY AS t(x, i)), \
                  s AS (SELECT crm_qcut_edges(x, $2) AS e, count(*) AS n FROM v), \
                  r AS (SELECT x, i, e, n, row_number() OVER (ORDER BY x, i) AS k FROM v, s) \
             SELECT array_agg({score_sql} ORDER BY i) FROM r"
        );
        Spi::get_one_with_args::<Vec<i32>>(&query, &[values.to_vec().into(), bins.into()]).unwrap().unwrap()
    }

    #[pg_test]
    fn scores_equal_pandas_golden_cases() {
        let doc: Value = serde_json::from_str(GOLDEN).unwrap();
        let cases = doc["cases"].as_array().unwrap();
        let mut checked = 0;
        for (ci, case) in cases.iter().enumerate() {
            let values = nums(&case["values"]);
            let bins = case["bins"].as_i64().unwrap() as i32;
            let edges = Spi::get_one_with_args::<Vec<f64>>(
                "SELECT crm_qcut_edges(x, $2) FROM unnest($1::float8[]) x",
                &[values.clone().into(), bins.into()],
            )
            .unwrap()
            .unwrap();
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&edges), bits(&nums(&case["pandas_bins"])), "case {ci}: edges");
            for (key, reverse) in [("raise", false), ("raise_reversed", true)] {
                match codes(&case[key]) {
                    Some(want) => {
                        let got = sql_scores(&values, bins, &format!("crm_qcut_score(x, e, reverse => {reverse})"));
                        assert_eq!(got.into_iter().map(Some).collect::<Vec<_>>(), want, "case {ci}: {key}");
                    }
                    // pandas raised: the edges repeat, which crm_qcut_score's default rejects (tested in pg_regress)
                    None => assert!(edges.windows(2).any(|w| w[0] == w[1]), "case {ci}: pandas raised on distinct edges"),
                }
            }
            let drop = sql_scores(&values, bins, "crm_qcut_score(x, e, duplicates => 'merge')");
            for (got, want) in drop.iter().zip(codes(&case["drop"]).unwrap()) {
                // pandas gives NaN only when every value is equal; crm_qcut_score documents 1
                assert_eq!(*got, want.unwrap_or(1), "case {ci}: drop");
            }
            // pandas cannot cut a single rank; crm_rank_score documents 1
            let ranks = sql_scores(&values, bins, "crm_rank_score(k, n, $2)");
            let want = codes(&case["rank_scores"]).unwrap_or_else(|| vec![Some(1); values.len()]);
            assert_eq!(ranks.into_iter().map(Some).collect::<Vec<_>>(), want, "case {ci}: rank scores");
            checked += values.len();
        }
        assert!(checked > 1000, "{checked} values checked");
    }
}
