-- Online Retail (table retail_lines, loaded by scripts/load_data.sh retail) cleaned as in the
-- "CRM Analytics" course: lines with a customer, no cancellations (invoice 'C...'), positive
-- quantity and price; amount = quantity * unit_price. 397,884 lines, 4,338 customers.
-- Included by the retail_*.sql examples.
CREATE OR REPLACE VIEW retail_clean_lines AS
SELECT line_no, invoice_no, customer_id, invoice_date, country, quantity, unit_price,
       quantity * unit_price AS amount
FROM retail_lines
WHERE customer_id IS NOT NULL AND invoice_no NOT LIKE 'C%' AND quantity > 0 AND unit_price > 0;
COMMENT ON VIEW retail_clean_lines IS 'Online Retail (UCI, 2010-12-01 .. 2011-12-09): one row per invoice line kept by the course''s cleaning (customer present, no cancellation invoices C..., quantity > 0, unit price > 0): 397,884 lines of 4,338 customers. Money in GBP.';
COMMENT ON COLUMN retail_clean_lines.line_no IS 'Row number of the line in the source file (retail_lines.line_no).';
COMMENT ON COLUMN retail_clean_lines.invoice_no IS 'Invoice number: an invoice is an order, with one or more lines.';
COMMENT ON COLUMN retail_clean_lines.customer_id IS 'Customer id.';
COMMENT ON COLUMN retail_clean_lines.invoice_date IS 'Invoice date and time (timestamp).';
COMMENT ON COLUMN retail_clean_lines.country IS 'Country of the customer.';
COMMENT ON COLUMN retail_clean_lines.quantity IS 'Units of the product on the line (> 0).';
COMMENT ON COLUMN retail_clean_lines.unit_price IS 'Price per unit (GBP, > 0).';
COMMENT ON COLUMN retail_clean_lines.amount IS 'Line amount: quantity * unit_price (GBP).';
