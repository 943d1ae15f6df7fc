//! CRM KPIs per calendar period: `crm_kpis(relation, ...)`, one SQL statement run through SPI.

use crate::pg::errors::OrRaise;
use crate::pg::periods::Period;
use crate::pg::relation_query::{required, select_rows, Regclass, RelationQuery, DATE_OR_TIMESTAMP};
use pgrx::datum::Date;
use pgrx::prelude::*;

/// The periods KPIs are computed for: calendar periods, or the whole data as one period.
enum KpiPeriod {
    Calendar(Period),
    All,
}

impl KpiPeriod {
    fn parse(s: &str) -> KpiPeriod {
        if s.trim().eq_ignore_ascii_case("all") {
            return KpiPeriod::All;
        }
        KpiPeriod::Calendar(Period::parse(s).map_err(|e| e.with_hint("use one of day, week, month, quarter, year, all")).or_raise())
    }

    /// SQL for a row's period start; `all`: the date of the first order.
    fn start_sql(&self, ts: &str) -> String {
        match self {
            KpiPeriod::Calendar(p) => p.start_sql(ts),
            KpiPeriod::All => format!("(min(({ts})::timestamp) OVER ())::date"),
        }
    }

    fn step_sql(&self) -> &'static str {
        match self {
            KpiPeriod::Calendar(p) => p.step_sql(),
            // one period: the step only has to be positive
            KpiPeriod::All => "interval '1 day'",
        }
    }
}

/// CRM KPIs per period, every period from the first to the last order (gaps included).
///
/// Rows of `relation` are orders or order lines; rows with a NULL customer or timestamp are
/// ignored. An order is a distinct `order_id` value within a customer and period (rows with a
/// NULL `order_id` there count as one order; without `order_id` every row is an order). Per period:
/// - `active_customers`: customers with at least one order in the period;
/// - `new_customers`: active customers whose first order ever is in the period;
/// - `returning_customers` = active - new;
/// - `orders`; `revenue` = sum of `amount` (NULL without `amount`);
/// - `average_order_value` = revenue / orders (NULL without orders or amount);
/// - `retention_rate`: share of the previous period's active customers who are active again in
///   this period (NULL for the first period and after a period without customers);
/// - `churn_rate` = 1 - retention_rate;
/// - `repeat_customer_rate`: share of the period's active customers with at least 2 orders in
///   the period (NULL without customers).
///
/// `period`: day, week (ISO), month, quarter, year, or `all` for one row over the whole data
/// (`period_start` = date of the first order): its repeat_customer_rate is the share of all
/// customers who ever ordered twice or more.
#[pg_extern(stable)]
#[allow(clippy::type_complexity)] // pgrx needs the row type spelled out here
fn crm_kpis(
    relation: Option<Regclass>,
    customer: default!(Option<&str>, "'customer_id'"),
    order_ts: default!(Option<&str>, "'order_ts'"),
    amount: default!(Option<&str>, "NULL"),
    order_id: default!(Option<&str>, "NULL"),
    period: default!(Option<&str>, "'month'"),
) -> TableIterator<
    'static,
    (
        name!(period_start, Date),
        name!(active_customers, i64),
        name!(new_customers, i64),
        name!(returning_customers, i64),
        name!(orders, i64),
        name!(revenue, Option<f64>),
        name!(average_order_value, Option<f64>),
        name!(retention_rate, Option<f64>),
        name!(churn_rate, Option<f64>),
        name!(repeat_customer_rate, Option<f64>),
    ),
> {
    let rel = RelationQuery::new(relation);
    let customer = rel.column("customer", customer).sql;
    let ts = rel.column("order_ts", order_ts).expect_types("order_ts", &DATE_OR_TIMESTAMP, "date, timestamp or timestamptz").sql;
    let amount = rel.optional_column("amount", amount).map(|c| c.expect_numeric("amount").sql);
    let order_id = rel.optional_column("order_id", order_id).map(|c| c.sql);
    let period = KpiPeriod::parse(required(period, "period"));

    let rows_sql = format!(
        "SELECT {customer} AS customer, {start} AS period, {amount_expr} AS amount{order_col} FROM {rel} \
         WHERE {customer} IS NOT NULL AND {ts} IS NOT NULL",
        rel = rel.sql(),
        start = period.start_sql(&ts),
        amount_expr = amount.as_ref().map_or("NULL::numeric".into(), |a| format!("({a})::numeric")),
        order_col = order_id.as_ref().map_or(String::new(), |o| format!(", {o} AS order_key")),
    );
    // one row per order: grouped order lines, or the rows themselves without order_id
    let orders_sql = if order_id.is_some() {
        format!("SELECT customer, period, sum(amount) AS amount FROM ({rows_sql}) r GROUP BY customer, period, order_key")
    } else {
        rows_sql
    };
    let sql = format!(
        r#"
WITH orders AS (
    {orders_sql}
), per_customer AS (
    SELECT period, customer, count(*) AS orders, sum(amount) AS revenue FROM orders GROUP BY period, customer
), firsts AS (
    SELECT customer, min(period) AS first_period FROM per_customer GROUP BY customer
), totals AS (
    SELECT c.period, count(*) AS active, count(*) FILTER (WHERE f.first_period = c.period) AS new,
           sum(c.orders) AS orders, sum(c.revenue) AS revenue, count(*) FILTER (WHERE c.orders >= 2) AS repeaters
    FROM per_customer c JOIN firsts f USING (customer)
    GROUP BY c.period
), retained AS (
    SELECT c.period, count(*) AS retained
    FROM per_customer c JOIN per_customer p ON p.customer = c.customer AND p.period = (c.period - {step})::date
    GROUP BY c.period
), periods AS (
    SELECT g::date AS period
    FROM (SELECT min(period) AS lo, max(period) AS hi FROM per_customer) b
    CROSS JOIN LATERAL generate_series(b.lo::timestamp, b.hi::timestamp, {step}) g
), kpis AS (
    SELECT p.period, coalesce(t.active, 0) AS active, coalesce(t.new, 0) AS new,
           coalesce(t.orders, 0)::bigint AS orders, {revenue_expr} AS revenue,
           coalesce(t.repeaters, 0) AS repeaters, coalesce(r.retained, 0) AS retained,
           lag(coalesce(t.active, 0)) OVER (ORDER BY p.period) AS previous_active
    FROM periods p LEFT JOIN totals t USING (period) LEFT JOIN retained r USING (period)
)
SELECT period, active, new, active - new, orders, revenue::float8,
       (revenue / nullif(orders, 0))::float8,
       retained::float8 / nullif(previous_active, 0),
       1 - retained::float8 / nullif(previous_active, 0),
       repeaters::float8 / nullif(active, 0)
FROM kpis ORDER BY period"#,
        step = period.step_sql(),
        revenue_expr = if amount.is_some() { "coalesce(t.revenue, 0)" } else { "NULL::numeric" },
    );
    let rows = select_rows(&sql, |row| {
        Ok((
            row.get::<Date>(1)?.expect("period_start is not null"),
            row.get::<i64>(2)?.expect("active_customers is not null"),
            row.get::<i64>(3)?.expect("new_customers is not null"),
            row.get::<i64>(4)?.expect("returning_customers is not null"),
            row.get::<i64>(5)?.expect("orders is not null"),
            row.get::<f64>(6)?,
            row.get::<f64>(7)?,
            row.get::<f64>(8)?,
            row.get::<f64>(9)?,
            row.get::<f64>(10)?,
        ))
    });
    TableIterator::new(rows)
}

extension_sql!(
    r#"
COMMENT ON FUNCTION crm_kpis(regclass, text, text, text, text, text) IS 'CRM KPIs per period (day, week (ISO), month, quarter, year, or all): active customers (>= 1 order in the period), new (first order ever in the period), returning (active - new), orders (distinct order_id, else rows), revenue (sum of amount), average_order_value (revenue / orders), retention_rate (share of the previous period''s active customers active again), churn_rate (1 - retention_rate), repeat_customer_rate (share of active customers with >= 2 orders in the period). Runs as the caller.';
"#,
    name = "crm_kpis_comment",
    requires = [crm_kpis]
);
