-- Monthly CRM KPIs on Online Retail, as a BI-ready view. An order is an invoice.
\ir retail_clean_lines.sql
CREATE OR REPLACE VIEW retail_kpis_monthly AS
SELECT *
FROM crm_kpis('retail_clean_lines', customer => 'customer_id', order_ts => 'invoice_date',
              amount => 'amount', order_id => 'invoice_no', period => 'month');
COMMENT ON VIEW retail_kpis_monthly IS 'Online Retail KPIs per month: active, new, returning customers, orders (invoices), revenue, average order value, retention, churn and repeat-customer rates';
