//! Cohort retention tables: `crm_cohort_retention(relation, ...)`, one SQL statement run through SPI.

use crate::pg::errors::OrRaise;
use crate::pg::periods::Period;
use crate::pg::relation_query::{required, select_rows, Regclass, RelationQuery, DATE_OR_TIMESTAMP};
use pgrx::datum::Date;
use pgrx::prelude::*;

/// Cohort retention in long format, one row per (cohort, cohort key, period index).
///
/// Definitions (rows of `relation` are orders or order lines; rows with a NULL customer or
/// timestamp are ignored):
/// - a customer's cohort is the period (`date_trunc(period, order_ts)`, weeks are ISO weeks)
///   of their first order; `cohort_key` is the value of the `cohort_by` column (as text) on that
///   first order (the smallest value when several rows share the first timestamp), NULL without
///   `cohort_by`;
/// - `period_index` = periods since the cohort period (0 = the cohort period itself);
/// - `cohort_size` = customers in the cohort; `active_customers` = those of them with at least
///   one row in the period; `retention` = active_customers / cohort_size (a fraction, 1 at index 0);
/// - `revenue` = sum of the `amount` column over the cohort's rows in the period (NULL without
///   `amount`);
/// - right-censoring: the data end is the period of the last order in the relation; cells after
///   it are absent, cells up to it are present (with 0 active customers when nobody ordered). The
///   last period may be partly observed.
#[pg_extern(stable)]
#[allow(clippy::type_complexity)] // pgrx needs the row type spelled out here
fn crm_cohort_retention(
    relation: Option<Regclass>,
    customer: default!(Option<&str>, "'customer_id'"),
    order_ts: default!(Option<&str>, "'order_ts'"),
    amount: default!(Option<&str>, "NULL"),
    period: default!(Option<&str>, "'month'"),
    cohort_by: default!(Option<&str>, "NULL"),
) -> TableIterator<
    'static,
    (
        name!(cohort, Date),
        name!(period_index, i32),
        name!(cohort_size, i64),
        name!(active_customers, i64),
        name!(retention, f64),
        name!(revenue, Option<f64>),
        name!(cohort_key, Option<String>),
    ),
> {
    let rel = RelationQuery::new(relation);
    let customer = rel.column("customer", customer).sql;
    let ts = rel.column("order_ts", order_ts).expect_types("order_ts", &DATE_OR_TIMESTAMP, "date, timestamp or timestamptz").sql;
    let amount = rel.optional_column("amount", amount).map(|c| c.expect_numeric("amount").sql);
    let key = rel.optional_column("cohort_by", cohort_by).map(|c| c.sql);
    let period = Period::parse(required(period, "period")).or_raise();

    // one row per customer and period first: the rest works on that (much smaller) set
    let sql = format!(
        r#"
WITH cp AS (
    SELECT {customer} AS customer, {start} AS period, sum({amount_expr}) AS revenue, {key_agg} AS first_key
    FROM {rel} WHERE {customer} IS NOT NULL AND {ts} IS NOT NULL
    GROUP BY 1, 2
), firsts AS (
    SELECT DISTINCT ON (customer) customer, period AS cohort, first_key AS cohort_key
    FROM cp ORDER BY customer, period
), sizes AS (
    SELECT cohort, cohort_key, count(*) AS cohort_size FROM firsts GROUP BY cohort, cohort_key
), activity AS (
    SELECT f.cohort, f.cohort_key, c.period, count(*) AS active, sum(c.revenue) AS revenue
    FROM cp c JOIN firsts f USING (customer)
    GROUP BY f.cohort, f.cohort_key, c.period
), grid AS (
    SELECT z.cohort, z.cohort_key, z.cohort_size, g.start::date AS period, (g.n - 1)::int AS period_index
    FROM sizes z
    CROSS JOIN (SELECT max(period) AS last_period FROM cp) l
    CROSS JOIN LATERAL generate_series(z.cohort::timestamp, l.last_period::timestamp, {step}) WITH ORDINALITY AS g(start, n)
)
SELECT g.cohort, g.period_index, g.cohort_size, coalesce(a.active, 0) AS active_customers,
       coalesce(a.active, 0)::float8 / g.cohort_size AS retention,
       {revenue_expr} AS revenue, g.cohort_key
FROM grid g
LEFT JOIN activity a ON a.cohort = g.cohort AND a.period = g.period AND a.cohort_key IS NOT DISTINCT FROM g.cohort_key
ORDER BY g.cohort, g.cohort_key, g.period_index"#,
        rel = rel.sql(),
        start = period.start_sql(&ts),
        step = period.step_sql(),
        amount_expr = amount.as_ref().map_or("NULL::numeric".into(), |a| format!("({a})::numeric")),
        // the key of the period's first row (smallest key among rows at the first timestamp)
        key_agg =
            key.as_ref().map_or("NULL::text".into(), |k| format!("(array_agg(({k})::text ORDER BY ({ts})::timestamp, ({k})::text))[1]")),
        revenue_expr = if amount.is_some() { "coalesce(a.revenue, 0)::float8" } else { "NULL::float8" },
    );
    let rows = select_rows(&sql, |row| {
        Ok((
            row.get::<Date>(1)?.expect("cohort is not null"),
            row.get::<i32>(2)?.expect("period_index is not null"),
            row.get::<i64>(3)?.expect("cohort_size is not null"),
            row.get::<i64>(4)?.expect("active_customers is not null"),
            row.get::<f64>(5)?.expect("retention is not null"),
            row.get::<f64>(6)?,
            row.get::<String>(7)?,
        ))
    });
    TableIterator::new(rows)
}

extension_sql!(
    r#"
COMMENT ON FUNCTION crm_cohort_retention(regclass, text, text, text, text, text) IS 'Cohort retention in long format: cohort = period of the first order, period_index = periods since (0-based), cohort_size, active_customers, retention = active/size, revenue (with amount), cohort_key (the cohort_by column on the first order). period: day, week (ISO), month, quarter, year. Cells after the last order period are absent (right-censoring). Runs as the caller.';
"#,
    name = "crm_cohort_retention_comment",
    requires = [crm_cohort_retention]
);
