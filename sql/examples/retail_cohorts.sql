-- Monthly cohort retention on Online Retail, as a BI-ready view (long format: one row per cohort
-- month and month index; pivot in the BI tool for the classic triangle).
\ir retail_clean_lines.sql
CREATE OR REPLACE VIEW retail_cohorts AS
SELECT cohort, period_index, cohort_size, active_customers, retention, revenue
FROM crm_cohort_retention('retail_clean_lines', customer => 'customer_id', order_ts => 'invoice_date',
                          amount => 'amount', period => 'month');
COMMENT ON VIEW retail_cohorts IS 'Online Retail monthly cohorts: cohort = month of the first order, period_index = months since, retention = share of the cohort ordering in that month';
COMMENT ON COLUMN retail_cohorts.cohort IS 'First day of the month of the customer''s first order: the cohort (2010-12-01 .. 2011-12-01).';
COMMENT ON COLUMN retail_cohorts.period_index IS 'Months since the cohort month (0 = the cohort month itself). The last month, 2011-12, is observed only to 2011-12-09.';
COMMENT ON COLUMN retail_cohorts.cohort_size IS 'Customers in the cohort (count; repeated on every row of the cohort: do not sum it over period_index).';
COMMENT ON COLUMN retail_cohorts.active_customers IS 'Customers of the cohort with at least one order in that month (count).';
COMMENT ON COLUMN retail_cohorts.retention IS 'active_customers / cohort_size (fraction 0..1; 1 at period_index 0).';
COMMENT ON COLUMN retail_cohorts.revenue IS 'Amount of the cohort''s lines in that month (GBP).';
