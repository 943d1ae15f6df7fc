-- Monthly cohort retention on Online Retail, as a BI-ready view (long format: one row per cohort
-- month and month index; pivot in the BI tool for the classic triangle).
\ir retail_clean_lines.sql
CREATE OR REPLACE VIEW retail_cohorts AS
SELECT cohort, period_index, cohort_size, active_customers, retention, revenue
FROM crm_cohort_retention('retail_clean_lines', customer => 'customer_id', order_ts => 'invoice_date',
                          amount => 'amount', period => 'month');
COMMENT ON VIEW retail_cohorts IS 'Online Retail monthly cohorts: cohort = month of the first order, period_index = months since, retention = share of the cohort ordering in that month';
