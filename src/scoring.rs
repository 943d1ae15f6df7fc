//! Quantile scores exactly as pandas `qcut` (domain.md section 2) and the course's outlier limits:
//! the parallel aggregates `crm_qcut_edges` and `crm_outlier_limits`, and the scalar functions
//! `crm_qcut_score`, `crm_rank_score` and `crm_clip`. The math is `crm_core::quantile`,
//! `crm_core::outliers` and `crm_core::rounding`.
//!
//! Aggregates cannot have named or default arguments in PostgreSQL, so the optional arguments of
//! the aggregates are overloads; the scalar functions have defaults.

use crate::aggregate_support::{self as agg, check_interrupts, AggState};
use crate::composite::{result_tuple, set};
use crate::errors::{raise, OrRaise};
use crm_core::error::{CrmError, CrmResult};
use crm_core::outliers::{clip, outlier_limits};
use crm_core::quantile::{qcut_bins, rank_score_pandas, DuplicateEdges, QcutBins, MAX_BINS, MIN_BINS};
use crm_core::rounding::RoundMode;
use pgrx::datum::Internal;
use pgrx::pg_sys;
use pgrx::prelude::*;

/// The constant arguments of an aggregate over a sample (every row repeats them; they must agree).
trait SampleParams: Copy + PartialEq + 'static {
    const BYTES: usize;
    fn describe(&self) -> String;
    fn write(&self, out: &mut Vec<u8>);
    fn read(bytes: &[u8]) -> Self;
}

/// All non-NULL values of a group (quantiles need every value) and the aggregate's parameters.
struct Sample<P> {
    values: Vec<f64>,
    params: Option<P>,
}

impl<P> Default for Sample<P> {
    fn default() -> Self {
        Sample { values: Vec::new(), params: None }
    }
}

impl<P: SampleParams> Sample<P> {
    fn set_params(&mut self, params: P) -> CrmResult<()> {
        match self.params {
            Some(old) if old != params => Err(CrmError::invalid(format!(
                "the parameters differ between rows of one group: {} and {}",
                old.describe(),
                params.describe()
            ))
            .with_hint("pass constants as the parameters of an aggregate")),
            _ => {
                self.params = Some(params);
                Ok(())
            }
        }
    }

    fn add(&mut self, value: Option<f64>, params: P) {
        self.set_params(params).or_raise();
        if let Some(v) = value {
            if !v.is_finite() {
                raise(CrmError::invalid(format!("quantile input must be finite, got {v}")));
            }
            self.values.push(v);
        }
    }

    /// The sorted values and the parameters, `None` without values (the aggregate gives NULL).
    fn sorted(&self) -> Option<(Vec<f64>, P)> {
        if self.values.is_empty() {
            return None;
        }
        let mut v = self.values.clone();
        crm_core::interrupt::sort_floats(&mut v, &mut check_interrupts);
        Some((v, self.params.expect("parameters are set with the first row")))
    }
}

impl<P: SampleParams> AggState for Sample<P> {
    fn merge(&mut self, other: &Self) {
        if let Some(p) = other.params {
            self.set_params(p).or_raise();
        }
        self.values.extend_from_slice(&other.values);
    }

    /// Flag byte and parameters (when set), then the values, all little-endian.
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1 + P::BYTES + 8 * self.values.len());
        out.push(u8::from(self.params.is_some()));
        if let Some(p) = &self.params {
            p.write(&mut out);
        }
        for v in &self.values {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    fn from_bytes(bytes: &[u8]) -> Self {
        let corrupt = || -> ! { raise(CrmError::invalid("corrupt aggregate state: sample")) };
        let (params, rest) = match bytes.first() {
            Some(0) => (None, &bytes[1..]),
            Some(1) if bytes.len() > P::BYTES => (Some(P::read(&bytes[1..=P::BYTES])), &bytes[1 + P::BYTES..]),
            _ => corrupt(),
        };
        if rest.len() % 8 != 0 {
            corrupt();
        }
        let values = rest.chunks_exact(8).map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes"))).collect();
        Sample { values, params }
    }

    fn heap_bytes(&self) -> usize {
        crm_core::heap::vec_bytes::<f64>(self.values.capacity())
    }
}

/// The number of bins of a scoring function or aggregate, 2..=100 (22023 otherwise).
pub fn bins_arg(bins: i32) -> u32 {
    match u32::try_from(bins) {
        Ok(b) if (MIN_BINS..=MAX_BINS).contains(&b) => b,
        _ => raise(CrmError::invalid(format!("bins must be between {MIN_BINS} and {MAX_BINS}, got {bins}"))),
    }
}

/// Number of bins of `crm_qcut_edges`.
#[derive(Clone, Copy, PartialEq)]
struct Bins(u32);

impl SampleParams for Bins {
    const BYTES: usize = 4;
    fn describe(&self) -> String {
        format!("bins {}", self.0)
    }
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0.to_le_bytes());
    }
    fn read(bytes: &[u8]) -> Self {
        Bins(u32::from_le_bytes(bytes.try_into().expect("4 bytes")))
    }
}

fn qcut_trans(state: Internal, value: Option<f64>, bins: Option<i32>, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    let bins = Bins(bins_arg(bins.unwrap_or_else(|| raise(CrmError::null_not_allowed("bins must not be null")))));
    agg::update(state, fcinfo, |s: &mut Sample<Bins>| s.add(value, bins))
}

#[pg_extern(immutable, parallel_safe, name = "crm_qcut_edges_trans")]
fn crm_qcut_edges_trans1(state: Internal, value: Option<f64>, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    qcut_trans(state, value, Some(5), fcinfo)
}

#[pg_extern(immutable, parallel_safe, name = "crm_qcut_edges_trans")]
fn crm_qcut_edges_trans2(state: Internal, value: Option<f64>, bins: Option<i32>, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    qcut_trans(state, value, bins, fcinfo)
}

crate::aggregate_support::parallel_state_functions!(Sample<Bins>, crm_qcut_edges_combine, crm_qcut_edges_serialize, crm_qcut_edges_deserialize);

#[pg_extern(immutable, parallel_safe)]
fn crm_qcut_edges_final(mut state: Internal) -> Option<Vec<f64>> {
    let (mut values, Bins(bins)) = agg::finish::<Sample<Bins>>(&mut state)?.sorted()?;
    Some(qcut_bins(&mut values, bins, &mut check_interrupts).or_raise().to_pandas_bins())
}

/// Limits of `crm_outlier_limits`: low quantile, high quantile, range multiplier.
#[derive(Clone, Copy, PartialEq)]
struct LimitParams([f64; 3]);

impl SampleParams for LimitParams {
    const BYTES: usize = 24;
    fn describe(&self) -> String {
        let [l, h, m] = self.0;
        format!("(low_quantile {l}, high_quantile {h}, iqr_multiplier {m})")
    }
    fn write(&self, out: &mut Vec<u8>) {
        for v in self.0 {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    fn read(bytes: &[u8]) -> Self {
        let f = |i: usize| f64::from_le_bytes(bytes[8 * i..8 * i + 8].try_into().expect("8 bytes"));
        LimitParams([f(0), f(1), f(2)])
    }
}

fn limits_trans(state: Internal, value: Option<f64>, params: [Option<f64>; 3], fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    let params = params.map(|p| {
        p.unwrap_or_else(|| raise(CrmError::null_not_allowed("the quantiles and the multiplier of crm_outlier_limits must not be null")))
    });
    agg::update(state, fcinfo, |s: &mut Sample<LimitParams>| s.add(value, LimitParams(params)))
}

#[pg_extern(immutable, parallel_safe, name = "crm_outlier_limits_trans")]
fn crm_outlier_limits_trans1(state: Internal, value: Option<f64>, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    limits_trans(state, value, [Some(0.01), Some(0.99), Some(1.5)], fcinfo)
}

#[pg_extern(immutable, parallel_safe, name = "crm_outlier_limits_trans")]
fn crm_outlier_limits_trans3(
    state: Internal,
    value: Option<f64>,
    low_quantile: Option<f64>,
    high_quantile: Option<f64>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    limits_trans(state, value, [low_quantile, high_quantile, Some(1.5)], fcinfo)
}

#[pg_extern(immutable, parallel_safe, name = "crm_outlier_limits_trans")]
fn crm_outlier_limits_trans4(
    state: Internal,
    value: Option<f64>,
    low_quantile: Option<f64>,
    high_quantile: Option<f64>,
    iqr_multiplier: Option<f64>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    limits_trans(state, value, [low_quantile, high_quantile, iqr_multiplier], fcinfo)
}

crate::aggregate_support::parallel_state_functions!(Sample<LimitParams>, crm_outlier_limits_combine, crm_outlier_limits_serialize, crm_outlier_limits_deserialize);

#[pg_extern(immutable, parallel_safe, requires = ["crm_outlier_limits_result_type"])]
fn crm_outlier_limits_final(
    mut state: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Option<pgrx::composite_type!('static, "crm_outlier_limits_result")> {
    let (values, LimitParams([low_q, high_q, multiplier])) = agg::finish::<Sample<LimitParams>>(&mut state)?.sorted()?;
    let limits = outlier_limits(&values, low_q, high_q, multiplier).or_raise();
    let mut t = result_tuple(fcinfo);
    set(&mut t, "low", limits.low);
    set(&mut t, "up", limits.up);
    Some(t)
}

extension_sql!(
    r#"
CREATE TYPE crm_outlier_limits_result AS (low double precision, up double precision);
COMMENT ON TYPE crm_outlier_limits_result IS 'Outlier limits: values below low or above up are outliers (crm_outlier_limits, crm_clip).';
"#,
    name = "crm_outlier_limits_result_type"
);

extension_sql!(
    r#"
CREATE AGGREGATE crm_qcut_edges(value float8) (
    sfunc = crm_qcut_edges_trans, stype = internal, finalfunc = crm_qcut_edges_final,
    combinefunc = crm_qcut_edges_combine, serialfunc = crm_qcut_edges_serialize,
    deserialfunc = crm_qcut_edges_deserialize, parallel = safe);
CREATE AGGREGATE crm_qcut_edges(value float8, bins integer) (
    sfunc = crm_qcut_edges_trans, stype = internal, finalfunc = crm_qcut_edges_final,
    combinefunc = crm_qcut_edges_combine, serialfunc = crm_qcut_edges_serialize,
    deserialfunc = crm_qcut_edges_deserialize, parallel = safe);
COMMENT ON AGGREGATE crm_qcut_edges(float8) IS 'pandas qcut(value, 5) bin edges: {min, q20, q40, q60, q80, max} (linear interpolation, bit for bit as numpy). NULLs are skipped; no values gives NULL; NaN or infinity is an error (22023).';
COMMENT ON AGGREGATE crm_qcut_edges(float8, integer) IS 'pandas qcut(value, bins) bin edges: bins + 1 numbers from the minimum to the maximum; bins in 2..100 and the same in every row.';

CREATE AGGREGATE crm_outlier_limits(value float8) (
    sfunc = crm_outlier_limits_trans, stype = internal, finalfunc = crm_outlier_limits_final,
    combinefunc = crm_outlier_limits_combine, serialfunc = crm_outlier_limits_serialize,
    deserialfunc = crm_outlier_limits_deserialize, parallel = safe);
CREATE AGGREGATE crm_outlier_limits(value float8, low_quantile float8, high_quantile float8) (
    sfunc = crm_outlier_limits_trans, stype = internal, finalfunc = crm_outlier_limits_final,
    combinefunc = crm_outlier_limits_combine, serialfunc = crm_outlier_limits_serialize,
    deserialfunc = crm_outlier_limits_deserialize, parallel = safe);
CREATE AGGREGATE crm_outlier_limits(value float8, low_quantile float8, high_quantile float8, iqr_multiplier float8) (
    sfunc = crm_outlier_limits_trans, stype = internal, finalfunc = crm_outlier_limits_final,
    combinefunc = crm_outlier_limits_combine, serialfunc = crm_outlier_limits_serialize,
    deserialfunc = crm_outlier_limits_deserialize, parallel = safe);
COMMENT ON AGGREGATE crm_outlier_limits(float8) IS 'The course''s outlier limits: low = q01 - 1.5 (q99 - q01), up = q99 + 1.5 (q99 - q01), quantiles interpolated as pandas. NULLs are skipped; no values gives NULL.';
COMMENT ON AGGREGATE crm_outlier_limits(float8, float8, float8) IS 'Outlier limits qL - 1.5 (qH - qL), qH + 1.5 (qH - qL) for quantiles 0 <= low_quantile < high_quantile <= 1 (0.25, 0.75 is the textbook IQR rule).';
COMMENT ON AGGREGATE crm_outlier_limits(float8, float8, float8, float8) IS 'Outlier limits qL - m (qH - qL), qH + m (qH - qL) with m = iqr_multiplier >= 0.';
"#,
    name = "crm_scoring_aggregates",
    requires = [
        "crm_outlier_limits_result_type",
        crm_qcut_edges_trans1, crm_qcut_edges_trans2, crm_qcut_edges_combine, crm_qcut_edges_serialize,
        crm_qcut_edges_deserialize, crm_qcut_edges_final,
        crm_outlier_limits_trans1, crm_outlier_limits_trans3, crm_outlier_limits_trans4, crm_outlier_limits_combine,
        crm_outlier_limits_serialize, crm_outlier_limits_deserialize, crm_outlier_limits_final
    ]
);

/// The duplicates policy of a scoring call: `raise` (pandas' default) or `merge` (pandas `drop`).
pub fn duplicates_arg(duplicates: &str) -> DuplicateEdges {
    DuplicateEdges::parse(duplicates).or_raise()
}

/// pandas' bins array (as from `crm_qcut_edges`) without NULLs.
fn bins_from_array(edges: Array<'_, f64>) -> QcutBins {
    let all: Vec<f64> = edges
        .iter()
        .map(|e| e.unwrap_or_else(|| raise(CrmError::null_not_allowed("bin edges must not contain NULL"))))
        .collect();
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
    crate::array_args::require_one_dimension(fcinfo, 1, "edges");
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
    const GOLDEN: &str = include_str!("../crates/crm_core/tests/golden/qcut_pandas.json");

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
