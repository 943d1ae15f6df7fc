-- Loads FLO customer-level totals (../shared/data/flo_data_20k.csv) from psql's standard input.
-- Run through scripts/load_data.sh, which feeds the file: psql -f sql/data/flo.sql < flo_data_20k.csv
\set ON_ERROR_STOP on
BEGIN;
DROP TABLE IF EXISTS flo_customers;
CREATE TEMP TABLE flo_raw (
    file_order bigserial,
    master_id text, order_channel text, last_order_channel text,
    first_order_date text, last_order_date text, last_order_date_online text, last_order_date_offline text,
    order_num_total_ever_online text, order_num_total_ever_offline text,
    customer_value_total_ever_offline text, customer_value_total_ever_online text,
    interested_in_categories_12 text
) ON COMMIT DROP;
\copy flo_raw (master_id, order_channel, last_order_channel, first_order_date, last_order_date, last_order_date_online, last_order_date_offline, order_num_total_ever_online, order_num_total_ever_offline, customer_value_total_ever_offline, customer_value_total_ever_online, interested_in_categories_12) FROM pstdin WITH (FORMAT csv, HEADER true)

CREATE TABLE flo_customers (
    master_id text PRIMARY KEY,
    file_order integer NOT NULL UNIQUE,   -- 1-based row number in the CSV: the RFM frequency tie-break
    order_channel text NOT NULL,
    last_order_channel text NOT NULL,
    first_order_date date NOT NULL,
    last_order_date date NOT NULL,
    last_order_date_online date NOT NULL,
    last_order_date_offline date NOT NULL,
    order_num_total_ever_online integer NOT NULL,
    order_num_total_ever_offline integer NOT NULL,
    customer_value_total_ever_offline numeric(12,2) NOT NULL,
    customer_value_total_ever_online numeric(12,2) NOT NULL,
    interested_in_categories_12 text[] NOT NULL
);
INSERT INTO flo_customers
SELECT master_id, file_order, order_channel, last_order_channel,
       first_order_date::date, last_order_date::date, last_order_date_online::date, last_order_date_offline::date,
       order_num_total_ever_online::numeric::integer, order_num_total_ever_offline::numeric::integer,
       customer_value_total_ever_offline::numeric, customer_value_total_ever_online::numeric,
       CASE WHEN btrim(interested_in_categories_12, '[] ') = '' THEN '{}'::text[]
            ELSE string_to_array(btrim(interested_in_categories_12, '[] '), ', ') END
FROM flo_raw ORDER BY file_order;
COMMENT ON TABLE flo_customers IS 'FLO omnichannel customers (19,945 rows), one row per customer; file_order = row number in the source CSV';
COMMIT;
ANALYZE flo_customers;
