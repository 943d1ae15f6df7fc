-- Monthly CRM KPIs on Online Retail, as a BI-ready view. An order is an invoice.
-- Every rate has its counts beside it (retention_rate = retained_customers /
-- previous_active_customers, churn_rate = churned_customers / previous_active_customers,
-- repeat_customer_rate = repeat_customers / active_customers, average_order_value = revenue /
-- orders), so that a BI tool can sum the counts over months and divide, instead of averaging rates.
-- The counts are recovered from crm_kpis' rates and their denominators (exact: rounding a count
-- divided and multiplied back by a denominator below 2^52 gives the count).
\ir retail_clean_lines.sql
CREATE OR REPLACE VIEW retail_kpis_monthly AS
SELECT period_start, active_customers, new_customers, returning_customers, orders, revenue,
       average_order_value, retention_rate, churn_rate, repeat_customer_rate,
       previous_active_customers,
       CASE WHEN previous_active_customers = 0 THEN 0
            ELSE round(retention_rate * previous_active_customers)::bigint END AS retained_customers,
       CASE WHEN previous_active_customers = 0 THEN 0
            ELSE previous_active_customers - round(retention_rate * previous_active_customers)::bigint END AS churned_customers,
       CASE WHEN active_customers = 0 THEN 0
            ELSE round(repeat_customer_rate * active_customers)::bigint END AS repeat_customers
FROM (SELECT k.*, lag(k.active_customers) OVER (ORDER BY k.period_start) AS previous_active_customers
      FROM crm_kpis('retail_clean_lines', customer => 'customer_id', order_ts => 'invoice_date',
                    amount => 'amount', order_id => 'invoice_no', period => 'month') k) m;
COMMENT ON VIEW retail_kpis_monthly IS 'Online Retail KPIs per month: active, new, returning customers, orders (invoices), revenue, average order value, retention, churn and repeat-customer rates, and the counts behind each rate (previous_active_customers, retained_customers, churned_customers, repeat_customers) so that coarser grains can be recomputed from sums.';
COMMENT ON COLUMN retail_kpis_monthly.period_start IS 'First day of the month (2010-12-01 .. 2011-12-01; December 2011 is partial: the data end on 2011-12-09).';
COMMENT ON COLUMN retail_kpis_monthly.active_customers IS 'Customers with at least one invoice in the month (count).';
COMMENT ON COLUMN retail_kpis_monthly.new_customers IS 'Active customers whose first invoice ever is in the month (count).';
COMMENT ON COLUMN retail_kpis_monthly.returning_customers IS 'active_customers - new_customers (count).';
COMMENT ON COLUMN retail_kpis_monthly.orders IS 'Invoices in the month (distinct invoice numbers; count).';
COMMENT ON COLUMN retail_kpis_monthly.revenue IS 'Sum of the line amounts in the month (GBP).';
COMMENT ON COLUMN retail_kpis_monthly.average_order_value IS 'revenue / orders (GBP per invoice).';
COMMENT ON COLUMN retail_kpis_monthly.retention_rate IS 'Share of the previous month''s active customers who are active again this month: retained_customers / previous_active_customers (fraction 0..1; NULL for the first month, 2010-12).';
COMMENT ON COLUMN retail_kpis_monthly.churn_rate IS '1 - retention_rate: churned_customers / previous_active_customers (fraction 0..1; NULL for the first month).';
COMMENT ON COLUMN retail_kpis_monthly.repeat_customer_rate IS 'Share of the month''s active customers with 2 or more invoices in the month: repeat_customers / active_customers (fraction 0..1).';
COMMENT ON COLUMN retail_kpis_monthly.previous_active_customers IS 'active_customers of the previous month: the denominator of retention_rate and churn_rate (count; NULL for the first month).';
COMMENT ON COLUMN retail_kpis_monthly.retained_customers IS 'Customers active in the previous month and again in this one: the numerator of retention_rate (count; NULL for the first month).';
COMMENT ON COLUMN retail_kpis_monthly.churned_customers IS 'Customers active in the previous month but not in this one: previous_active_customers - retained_customers, the numerator of churn_rate (count; NULL for the first month).';
COMMENT ON COLUMN retail_kpis_monthly.repeat_customers IS 'Active customers with 2 or more invoices in the month: the numerator of repeat_customer_rate (count).';
