-- Online Retail (table retail_lines, loaded by scripts/load_data.sh retail) cleaned as in the
-- "CRM Analytics" course: lines with a customer, no cancellations (invoice 'C...'), positive
-- quantity and price; amount = quantity * unit_price. 397,884 lines, 4,338 customers.
-- Included by the retail_*.sql examples.
CREATE OR REPLACE VIEW retail_clean_lines AS
SELECT line_no, invoice_no, customer_id, invoice_date, country, quantity, unit_price,
       quantity * unit_price AS amount
FROM retail_lines
WHERE customer_id IS NOT NULL AND invoice_no NOT LIKE 'C%' AND quantity > 0 AND unit_price > 0;
