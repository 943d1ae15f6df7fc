-- Foundation: the extension is installed, a non-superuser can install it, the data sets are loaded.
\set VERBOSITY terse
SELECT crm_version() ~ '^\d+\.\d+\.\d+$' AS version_ok;
SELECT extversion = crm_version() AS versions_match FROM pg_extension WHERE extname = 'crm_ext';

-- A non-superuser with CREATE on a database installs the extension (trusted = true).
\set regress_db :DBNAME
CREATE ROLE crm_regress_analyst LOGIN NOSUPERUSER;
CREATE DATABASE crm_regress_nonsuper OWNER crm_regress_analyst;
\c crm_regress_nonsuper crm_regress_analyst
SELECT rolsuper FROM pg_roles WHERE rolname = current_user;
CREATE EXTENSION crm_ext;
SELECT crm_version() IS NOT NULL AS works_for_non_superuser;
\c :regress_db postgres
DROP DATABASE crm_regress_nonsuper;
DROP ROLE crm_regress_analyst;

-- The loaders: row counts and types
SELECT count(*) AS flo_rows, count(DISTINCT master_id) AS flo_customers,
       min(file_order) AS first_row, max(file_order) AS last_row,
       sum(order_num_total_ever_online + order_num_total_ever_offline) AS total_orders
FROM flo_customers;
SELECT master_id, first_order_date, interested_in_categories_12
FROM flo_customers WHERE file_order IN (1, 2, 19945) ORDER BY file_order;
SELECT count(*) FILTER (WHERE cardinality(interested_in_categories_12) = 0) AS no_category FROM flo_customers;
SELECT count(*) AS retail_lines,
       count(*) FILTER (WHERE invoice_no LIKE 'C%') AS cancellation_lines,
       count(*) FILTER (WHERE customer_id IS NULL) AS without_customer,
       count(DISTINCT customer_id) AS customers,
       min(invoice_date) AS first_line, max(invoice_date) AS last_line
FROM retail_lines;
SELECT count(*) AS cleaned_lines, count(DISTINCT customer_id) AS customers, count(DISTINCT invoice_no) AS invoices
FROM retail_lines
WHERE customer_id IS NOT NULL AND invoice_no NOT LIKE 'C%' AND quantity > 0 AND unit_price > 0;
SELECT (SELECT count(*) FROM cdnow_summary) AS summary_rows,
       (SELECT sum(frequency) FROM cdnow_summary) AS repeat_purchases,
       (SELECT count(*) FILTER (WHERE x > 0) FROM cdnow_summary_tx) AS repeaters,
       (SELECT count(*) FROM cdnow_transactions) AS sample_transactions,
       (SELECT count(DISTINCT customer_id) FROM cdnow_transactions) AS sample_customers;
