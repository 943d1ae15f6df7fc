-- Monthly CRM KPIs on Online Retail, as a BI-ready view. An order is an invoice.
\ir retail_clean_lines.sql
CREATE OR REPLACE VIEW retail_kpis_monthly AS
SELECT *
FROM crm_kpis('retail_clean_lines', customer => 'customer_id', order_ts => 'invoice_date',
              amount => 'amount', order_id => 'invoice_no', period => 'month');
COMMENT ON VIEW retail_kpis_monthly IS 'Online Retail KPIs per month: active, new, returning customers, orders (invoices), revenue, average order value, retention, churn and repeat-customer rates';
COMMENT ON COLUMN retail_kpis_monthly.period_start IS 'First day of the month (2010-12-01 .. 2011-12-01; December 2011 is partial: the data end on 2011-12-09).';
COMMENT ON COLUMN retail_kpis_monthly.active_customers IS 'Customers with at least one invoice in the month (count).';
COMMENT ON COLUMN retail_kpis_monthly.new_customers IS 'Active customers whose first invoice ever is in the month (count).';
COMMENT ON COLUMN retail_kpis_monthly.returning_customers IS 'active_customers - new_customers (count).';
COMMENT ON COLUMN retail_kpis_monthly.orders IS 'Invoices in the month (distinct invoice numbers; count).';
COMMENT ON COLUMN retail_kpis_monthly.revenue IS 'Sum of the line amounts in the month (GBP).';
COMMENT ON COLUMN retail_kpis_monthly.average_order_value IS 'revenue / orders (GBP per invoice).';
COMMENT ON COLUMN retail_kpis_monthly.retention_rate IS 'Share of the previous month''s active customers who are active again this month (fraction 0..1; NULL for the first month, 2010-12).';
COMMENT ON COLUMN retail_kpis_monthly.churn_rate IS '1 - retention_rate (fraction 0..1; NULL for the first month).';
COMMENT ON COLUMN retail_kpis_monthly.repeat_customer_rate IS 'Share of the month''s active customers with 2 or more invoices in the month (fraction 0..1).';
