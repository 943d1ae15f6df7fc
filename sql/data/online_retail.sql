-- Loads UCI Online Retail invoice lines from psql's standard input (the decompressed CSV).
-- Run through scripts/load_data.sh: gzip -dc online_retail.csv.gz | psql -f sql/data/online_retail.sql
\set ON_ERROR_STOP on
BEGIN;
DROP TABLE IF EXISTS retail_lines;
CREATE TABLE retail_lines (
    line_no bigserial PRIMARY KEY,          -- row number in the source file
    invoice_no text NOT NULL,               -- 'C...' = cancellation, 'A...' = bad-debt adjustment
    stock_code text NOT NULL,
    description text,
    quantity integer NOT NULL,
    invoice_date timestamp NOT NULL,
    unit_price numeric(12,3) NOT NULL,
    customer_id text,                       -- NULL for 135,080 lines
    country text NOT NULL
);
\copy retail_lines (invoice_no, stock_code, description, quantity, invoice_date, unit_price, customer_id, country) FROM pstdin WITH (FORMAT csv, HEADER true)
COMMENT ON TABLE retail_lines IS 'UCI Online Retail invoice lines (541,909 rows, 2010-12-01 .. 2011-12-09), as in the source file';
COMMIT;
ANALYZE retail_lines;
