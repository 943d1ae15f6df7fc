-- Online Retail (UCI): RFM metrics per customer from invoice lines with crm_rfm.
-- Needs retail_lines (scripts/load_data.sh retail); the course's cleaning (docs/references.md
-- section 1) is the shared view retail_clean_lines.
\ir retail_clean_lines.sql

-- One row per customer. Analysis date as_of = last invoice date + 2 days (2011-12-11); frequency =
-- distinct invoices (the order_id form of crm_rfm), monetary = total amount.
CREATE OR REPLACE VIEW retail_rfm AS
SELECT customer_id, (m).recency_days AS recency, (m).frequency, (m).monetary,
       (m).first_order, (m).last_order, (m).tenure_days, as_of
FROM (SELECT customer_id, d.as_of, crm_rfm(invoice_date, amount, invoice_no, d.as_of) AS m
      FROM retail_clean_lines
      CROSS JOIN (SELECT max(invoice_date)::date + 2 AS as_of FROM retail_clean_lines) d
      GROUP BY customer_id, d.as_of) AS per_customer;

COMMENT ON VIEW retail_rfm IS 'Online Retail: one row per customer of the cleaned lines (4,338), RFM metrics from crm_rfm at the analysis date as_of = 2011-12-11 (the last invoice date + 2 days): recency and tenure in days, frequency = invoices, monetary in GBP.';
COMMENT ON COLUMN retail_rfm.customer_id IS 'Customer id.';
COMMENT ON COLUMN retail_rfm.recency IS 'Whole days from the last invoice (date and time) to 2011-12-11 00:00, rounded down (one less than retail_customer_rfm''s calendar days unless the invoice is at 00:00).';
COMMENT ON COLUMN retail_rfm.frequency IS 'Invoices: distinct invoice numbers, the lines of one invoice count once (count).';
COMMENT ON COLUMN retail_rfm.monetary IS 'Total amount of the customer''s lines (GBP).';
COMMENT ON COLUMN retail_rfm.first_order IS 'Date and time of the first invoice.';
COMMENT ON COLUMN retail_rfm.last_order IS 'Date and time of the last invoice.';
COMMENT ON COLUMN retail_rfm.tenure_days IS 'Whole days from the first invoice to 2011-12-11 00:00, rounded down.';
COMMENT ON COLUMN retail_rfm.as_of IS 'Analysis date: the last invoice date of the cleaned lines + 2 days (2011-12-11, the same for every row); recency and tenure count the days to it.';
