-- Creates the CDNOW tables; scripts/load_data.sh then fills each from its file with \copy.
\set ON_ERROR_STOP on
DROP TABLE IF EXISTS cdnow_summary, cdnow_summary_tx, cdnow_transactions;
CREATE TABLE cdnow_summary (          -- cdnow_customers_summary.csv: calibration period to 1997-09-30, weeks
    id integer PRIMARY KEY,
    frequency integer NOT NULL,       -- repeat purchase days
    recency float8 NOT NULL,          -- weeks from first to last purchase
    t float8 NOT NULL                 -- weeks from first purchase to 1997-09-30
);
CREATE TABLE cdnow_summary_tx (       -- cdnow_customers_summary_with_transactions.csv
    id integer PRIMARY KEY,
    x integer NOT NULL,
    t_x float8 NOT NULL,
    t float8 NOT NULL,
    zbar float8 NOT NULL              -- mean spend of the repeat purchases (0 when x = 0)
);
CREATE TABLE cdnow_transactions (     -- CDNOW_sample.txt: the 1/10 sample, 6,919 transactions
    master_id integer NOT NULL,
    customer_id integer NOT NULL,     -- sample id 1..2357
    order_date date NOT NULL,
    cds integer NOT NULL,
    dollars numeric(10,2) NOT NULL
);
COMMENT ON TABLE cdnow_summary IS 'CDNOW 2,357-customer sample, 39-week calibration summary (weeks)';
COMMENT ON TABLE cdnow_summary_tx IS 'CDNOW calibration summary with zbar, the mean repeat spend';
COMMENT ON TABLE cdnow_transactions IS 'CDNOW sample transactions 1997-01-01 .. 1998-06-30';
