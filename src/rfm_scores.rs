//! `crm_rfm_scores`: the course's whole RFM scoring of a table or view in one call. Reads the
//! relation through SPI as the caller (privileges and row-level security apply), names checked
//! and quoted by `relation_query`; scores with `crm_core::quantile` exactly as pandas.

use crate::aggregate_support::check_interrupts;
use crate::errors::{raise, OrRaise};
use crate::relation_query::{required, select_rows, Column, Regclass, RelationQuery};
use crate::scoring::{bins_arg, duplicates_arg};
use crate::segments::{load_rules, segment_of};
use crm_core::error::CrmError;
use crm_core::interrupt::Countdown;
use crm_core::quantile::{qcut_bins, rank_score_pandas, DuplicateEdges, QcutBins};
use pgrx::prelude::*;
use std::collections::HashSet;

/// One row of the relation: customer, recency, frequency, monetary, frequency rank (1..n).
struct Input {
    customer: String,
    recency: f64,
    frequency: f64,
    monetary: f64,
    rank: i64,
}

/// The relation's rows, frequency ranked ascending with ties broken by `tiebreak` (when given) and
/// then by customer id in byte order. `columns` are customer, recency, frequency, monetary.
fn read_rows(relation: &RelationQuery, columns: [&Column; 4], tiebreak: Option<&Column>) -> Vec<Input> {
    let [customer, recency, frequency, monetary] = columns.map(|c| c.sql.as_str());
    let ties = tiebreak.map(|t| format!("{}, ", t.sql)).unwrap_or_default();
    let query = format!(
        "SELECT {customer}::text, {recency}::float8, {frequency}::float8, {monetary}::float8, \
         row_number() OVER (ORDER BY {frequency}::float8, {ties}{customer}::text COLLATE \"C\") FROM {}",
        relation.sql()
    );
    select_rows(&query, |row| {
        let customer = row.get::<String>(1)?;
        let value = |i: usize, what: &str| -> spi::Result<f64> {
            Ok(row.get::<f64>(i)?.unwrap_or_else(|| {
                raise(
                    CrmError::null_not_allowed(format!("{what} is NULL for customer {}", customer.as_deref().unwrap_or("NULL")))
                        .with_hint("filter or replace NULL metrics in a view and score the view"),
                )
            }))
        };
        let (recency, frequency, monetary) = (value(2, "recency")?, value(3, "frequency")?, value(4, "monetary")?);
        let customer = customer.unwrap_or_else(|| raise(CrmError::null_not_allowed("the customer id is NULL in some row")));
        Ok(Input { customer, recency, frequency, monetary, rank: row.get::<i64>(5)?.expect("row_number") })
    })
}

fn bins_of(rows: &[Input], value: impl Fn(&Input) -> f64, bins: u32) -> QcutBins {
    let mut values: Vec<f64> = rows.iter().map(value).collect();
    qcut_bins(&mut values, bins, &mut check_interrupts).or_raise()
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
    let columns = [("customer", customer), ("recency", recency), ("frequency", frequency), ("monetary", monetary)]
        .map(|(argument, name)| relation.column(argument, name));
    let tiebreak = relation.optional_column("tiebreak", tiebreak);
    let rules = load_rules(map);
    let rows = read_rows(&relation, columns.each_ref(), tiebreak.as_ref());
    let mut seen = HashSet::with_capacity(rows.len());
    // Cancel checks every 2^15 rows in the passes over all rows below.
    let mut check = check_interrupts;
    let mut countdown = Countdown::new(&mut check);
    if let Some(dup) = rows.iter().inspect(|_| countdown.tick()).find(|r| !seen.insert(r.customer.as_str())) {
        ereport!(
            ERROR,
            PgSqlErrorCode::ERRCODE_CARDINALITY_VIOLATION,
            format!("customer \"{}\" appears in more than one row", dup.customer),
            "crm_rfm_scores expects one row per customer: aggregate order lines with crm_rfm first".to_string()
        );
    }
    if rows.is_empty() {
        return TableIterator::new(Vec::new());
    }
    let n = rows.len() as u64;
    let recency_bins = bins_of(&rows, |r| r.recency, bins);
    let monetary_bins = bins_of(&rows, |r| r.monetary, bins);
    let scored: Vec<ScoreRow> = rows
        .into_iter()
        .map(|row| {
            countdown.tick();
            let r = recency_bins.score(row.recency, true, duplicates).or_raise();
            let f = rank_score_pandas(row.rank as u64, n, bins).or_raise();
            let m = monetary_bins.score(row.monetary, false, duplicates).or_raise();
            let segment = segment_of(&rules, r, f, Some(m));
            (
                row.customer,
                row.recency,
                row.frequency,
                row.monetary,
                r as i32,
                f as i32,
                m as i32,
                format!("{r}{f}"),
                format!("{r}{f}{m}"),
                segment,
            )
        })
        .collect();
    TableIterator::new(scored)
}

extension_sql!(
    r#"
COMMENT ON FUNCTION crm_rfm_scores(regclass, text, text, text, text, text, integer, text, text) IS 'The course''s RFM scoring of a table or view with one row per customer: r_score = reversed pandas qcut of recency, f_score = qcut of the frequency rank (ties broken by the tiebreak column, then by customer id in byte order), m_score = qcut of monetary, rf_score and rfm_score = the scores as text, segment from crm_segment_map (map). Column names are identifiers (a missing one is error 42703); the caller''s privileges and row-level security apply. duplicates => ''raise'' errors on repeated bin edges, ''merge'' merges them. One row per customer, else error 21000.';
"#,
    name = "crm_rfm_scores_comment",
    requires = [crm_rfm_scores]
);
