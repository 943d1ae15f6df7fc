//! `crm_rfm_scores`: the course's whole RFM scoring of a table or view in one call, as queries
//! that Citus runs on its shards (docs/scale-out.md): one aggregate query for the row count and
//! the recency and monetary bin edges (`crm_qcut_edges`), one GROUP BY for repeated customers, the
//! frequency-rank thresholds (`rank_keys`: the keys of the customers at the ranks where the score
//! changes), then one per-row query with the thresholds as constants, whose rows are scored
//! against the recency and monetary bins here. No global
//! `row_number()`: a customer's F score counts the thresholds its key is after. The relation is
//! read through SPI as the caller (privileges and row-level security apply), names checked and
//! quoted by `relation_query`; the scores are exactly pandas' (`crm_core::rfm::quantile`).

use crate::pg::errors::{raise, OrRaise};
use crate::pg::relation_query::{required, select_rows, with_catalog_search_path, Column, Regclass, RelationQuery};
use crate::rfm::rank_keys::{keys_at, KeyOrder};
use crate::rfm::scoring::{bins_arg, duplicates_arg};
use crate::rfm::segments::{extension_schema, load_rules_in, segment_of};
use crm_core::error::CrmError;
use crm_core::rfm::quantile::{rank_score_pandas, DuplicateEdges, QcutBins};
use pgrx::prelude::*;

/// The columns of the scoring: customer, recency, frequency, monetary.
struct Columns<'a> {
    customer: &'a Column,
    recency: &'a Column,
    frequency: &'a Column,
    monetary: &'a Column,
}

/// The row count and the recency and monetary bins; raises for a NULL metric or customer.
fn count_and_bins(relation: &RelationQuery, c: &Columns, bins: u32, schema: &str) -> (u64, Option<(QcutBins, QcutBins)>) {
    let (customer, recency, frequency, monetary) = (&c.customer.sql, &c.recency.sql, &c.frequency.sql, &c.monetary.sql);
    let null = format!("{customer} IS NULL OR {recency} IS NULL OR {frequency} IS NULL OR {monetary} IS NULL");
    let sql = format!(
        "SELECT count(*), count(*) FILTER (WHERE {null}), {schema}.crm_qcut_edges({recency}::float8, {bins}), \
         {schema}.crm_qcut_edges({monetary}::float8, {bins}) FROM {}",
        relation.sql()
    );
    let (n, nulls, r, m) = select_rows(&sql, |row| {
        Ok((row.get::<i64>(1)?.expect("count"), row.get::<i64>(2)?.expect("count"), row.get::<Vec<f64>>(3)?, row.get::<Vec<f64>>(4)?))
    })
    .pop()
    .expect("an aggregate returns one row");
    if nulls > 0 {
        raise_first_null(relation, c, &null);
    }
    let bins_of = |edges: Vec<f64>| QcutBins::from_pandas_bins(&edges).or_raise();
    (n as u64, r.zip(m).map(|(r, m)| (bins_of(r), bins_of(m))))
}

/// Raises 22004 naming the first metric that is NULL in some row, and the row's customer.
fn raise_first_null(relation: &RelationQuery, c: &Columns, null: &str) -> ! {
    let sql = format!(
        "SELECT {}::text, {} IS NULL, {} IS NULL, {} IS NULL FROM {} WHERE {null} LIMIT 1",
        c.customer.sql,
        c.recency.sql,
        c.frequency.sql,
        c.monetary.sql,
        relation.sql()
    );
    let (customer, flags) = select_rows(&sql, |row| {
        let flag = |i| -> pgrx::spi::SpiResult<bool> { Ok(row.get::<bool>(i)?.expect("IS NULL")) };
        Ok((row.get::<String>(1)?, [flag(2)?, flag(3)?, flag(4)?]))
    })
    .pop()
    .expect("a row with a NULL");
    let what = ["recency", "frequency", "monetary"].into_iter().zip(flags).find(|(_, is_null)| *is_null).map(|(w, _)| w);
    raise(match what {
        Some(what) => CrmError::null_not_allowed(format!("{what} is NULL for customer {}", customer.as_deref().unwrap_or("NULL")))
            .with_hint("filter or replace NULL metrics in a view and score the view"),
        None => CrmError::null_not_allowed("the customer id is NULL in some row"),
    })
}

/// Raises 21000 when a customer has more than one row (grouped by the customer column itself, so
/// Citus runs it on the shards of a table distributed by customer).
fn require_one_row_per_customer(relation: &RelationQuery, customer: &Column) {
    let sql = format!(
        "SELECT min(repeated::text) FROM (SELECT {c} FROM {} GROUP BY {c} HAVING count(*) > 1) AS s(repeated)",
        relation.sql(),
        c = customer.sql
    );
    if let Some(repeated) = select_rows(&sql, |row| row.get::<String>(1)).pop().flatten() {
        ereport!(
            ERROR,
            PgSqlErrorCode::ERRCODE_CARDINALITY_VIOLATION,
            format!("customer \"{repeated}\" appears in more than one row"),
            "crm_rfm_scores expects one row per customer: aggregate order lines with crm_rfm first".to_string()
        );
    }
}

/// The ranks after which the F score steps up: for s in 1..bins, the last rank scoring at most s
/// (ranks equal to n are left out: no rank is after them).
fn rank_thresholds(n: u64, bins: u32) -> Vec<u64> {
    (1..bins)
        .map(|s| {
            // The largest rank in 1..=n whose score is at most s (rank 1 scores 1).
            let (mut lo, mut hi) = (1u64, n);
            while lo < hi {
                let mid = lo + (hi - lo).div_ceil(2);
                if rank_score_pandas(mid, n, bins).or_raise() <= s {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            lo
        })
        .filter(|&t| t < n)
        .collect()
}

/// customer_id, recency, frequency, monetary, r_score, f_score, m_score, rf_score, rfm_score, segment
type ScoreRow = (String, f64, f64, f64, i32, i32, i32, String, String, String);

/// The course's RFM scores and segments of every customer (one row each) of `relation`.
// pgrx reads the result columns from the name!() types of the signature, so they cannot move
// into a type alias; the arguments are the function's SQL arguments.
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
#[pg_extern(stable, parallel_restricted, security_invoker)]
fn crm_rfm_scores(
    relation: Option<Regclass>,
    customer: default!(Option<&str>, "'customer_id'"),
    recency: default!(Option<&str>, "'recency'"),
    frequency: default!(Option<&str>, "'frequency'"),
    monetary: default!(Option<&str>, "'monetary'"),
    tiebreak: default!(Option<&str>, "NULL"),
    bins: default!(Option<i32>, 5),
    map: default!(Option<&str>, "'course'"),
    duplicates: default!(Option<&str>, "'raise'"),
) -> TableIterator<
    'static,
    (
        name!(customer_id, String),
        name!(recency, f64),
        name!(frequency, f64),
        name!(monetary, f64),
        name!(r_score, i32),
        name!(f_score, i32),
        name!(m_score, i32),
        name!(rf_score, String),
        name!(rfm_score, String),
        name!(segment, String),
    ),
> {
    let relation = RelationQuery::new(relation);
    let bins = bins_arg(required(bins, "bins"));
    let duplicates: DuplicateEdges = duplicates_arg(required(duplicates, "duplicates"));
    let map = required(map, "map");
    let [customer, recency, frequency, monetary] =
        [("customer", customer), ("recency", recency), ("frequency", frequency), ("monetary", monetary)]
            .map(|(argument, name)| relation.column(argument, name));
    let tiebreak = relation.optional_column("tiebreak", tiebreak);
    let schema = with_catalog_search_path(extension_schema);
    let rules = load_rules_in(map, &schema);
    let columns = Columns { customer: &customer, recency: &recency, frequency: &frequency, monetary: &monetary };
    let (n, Some((recency_bins, monetary_bins))) = count_and_bins(&relation, &columns, bins, &schema) else {
        return TableIterator::new(Vec::new());
    };
    // Repeated bin edges raise here, before any row is scored ('merge' merges them).
    recency_bins.score(recency_bins.min, true, duplicates).or_raise();
    monetary_bins.score(monetary_bins.min, false, duplicates).or_raise();
    require_one_row_per_customer(&relation, &customer);
    let order = KeyOrder::new(&frequency, tiebreak.as_ref(), &customer);
    let thresholds = rank_thresholds(n, bins);
    let keys = keys_at(&relation, &order, n, &thresholds);
    let f_score =
        std::iter::once("1".to_string()).chain(thresholds.iter().map(|t| format!("({})::int", order.after(&keys[t])))).collect::<Vec<_>>();
    // F needs the key comparisons (the tiebreak's own type), so the database evaluates it where
    // the rows are; R and M are scored here from the values the query returns.
    let sql = format!(
        "SELECT {c}::text, {r}::float8, {f}::float8, {m}::float8, {f_score} FROM {rel}",
        c = customer.sql,
        r = recency.sql,
        f = frequency.sql,
        m = monetary.sql,
        f_score = f_score.join(" + "),
        rel = relation.sql(),
    );
    let scored: Vec<ScoreRow> = select_rows(&sql, |row| {
        let value = |i: usize| -> pgrx::spi::SpiResult<f64> { Ok(row.get::<f64>(i)?.expect("checked for NULL")) };
        let (recency, frequency, monetary) = (value(2)?, value(3)?, value(4)?);
        let r = recency_bins.score(recency, true, duplicates).or_raise();
        let f = row.get::<i32>(5)?.expect("a score") as u32;
        let m = monetary_bins.score(monetary, false, duplicates).or_raise();
        Ok((
            row.get::<String>(1)?.expect("checked for NULL"),
            recency,
            frequency,
            monetary,
            r as i32,
            f as i32,
            m as i32,
            format!("{r}{f}"),
            format!("{r}{f}{m}"),
            segment_of(&rules, r, f, Some(m)),
        ))
    });
    TableIterator::new(scored)
}

extension_sql!(
    r#"
COMMENT ON FUNCTION crm_rfm_scores(regclass, text, text, text, text, text, integer, text, text) IS 'The course''s RFM scoring of a table or view with one row per customer: r_score = reversed pandas qcut of recency, f_score = qcut of the frequency rank (ties broken by the tiebreak column, then by customer id in byte order), m_score = qcut of monetary, rf_score and rfm_score = the scores as text, segment from crm_segment_map (map). Column names are identifiers (a missing one is error 42703); the caller''s privileges and row-level security apply. duplicates => ''raise'' errors on repeated bin edges, ''merge'' merges them. One row per customer, else error 21000.';
"#,
    name = "crm_rfm_scores_comment",
    requires = [crm_rfm_scores]
);
