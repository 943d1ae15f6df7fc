-- Online Retail (UCI): RFM metrics per customer from invoice lines with crm_rfm.
-- Needs retail_lines (scripts/load_data.sh retail); the course's cleaning (domain.md section 1) is the
-- shared view retail_clean_lines.
\ir retail_clean_lines.sql

-- One row per customer. Analysis date = last invoice date + 2 days (2011-12-11); frequency =
-- distinct invoices (the order_id form of crm_rfm), monetary = total amount.
CREATE OR REPLACE VIEW retail_rfm AS
SELECT customer_id, (m).recency_days AS recency, (m).frequency, (m).monetary,
       (m).first_order, (m).last_order, (m).tenure_days
FROM (SELECT customer_id,
             crm_rfm(invoice_date, amount, invoice_no,
                     (SELECT max(invoice_date)::date + 2 FROM retail_clean_lines)) AS m
      FROM retail_clean_lines
      GROUP BY customer_id) AS per_customer;
