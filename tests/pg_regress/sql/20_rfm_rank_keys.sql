-- crm_rfm_scores' F scores without a global row_number(): the keys (frequency, tiebreak NULLS
-- LAST, customer id in byte order) at the ranks where the score steps up are found exactly, by
-- narrowing ranges with counting queries (which Citus runs on its shards) and sorting at most
-- crm_ext.rank_gather_limit rows per range (0: one sort of all rows). Every limit must give the
-- F scores of crm_rank_score(row_number() OVER (ORDER BY the key), n), the plain SQL reference.
\set VERBOSITY terse
-- FLO's metrics view (sql/examples/flo_rfm.sql), created quietly
\getenv crm_root CRM_EXT_ROOT
\set ECHO none
\i :crm_root/sql/examples/flo_rfm.sql
\set ECHO all

-- 5,000 customers, frequency 0..4 (many ties), a float tiebreak with NULLs and ties, text ids
CREATE TEMP TABLE rank_rows AS
SELECT 'c' || g AS customer_id, (g * 7919) % 97 AS recency, (g % 13) / 3 AS frequency,
       ((g * 31) % 1000)::float8 / 7 AS monetary,
       CASE WHEN g % 11 = 0 THEN NULL ELSE ((g * 17) % 23)::float8 / 3 END AS tb
FROM generate_series(1, 5000) g;
CREATE TEMP TABLE rank_reference AS
SELECT customer_id,
       crm_rank_score(row_number() OVER (ORDER BY frequency::float8, tb, customer_id COLLATE "C"), count(*) OVER (), 5) AS f_tb,
       crm_rank_score(row_number() OVER (ORDER BY frequency::float8, customer_id COLLATE "C"), count(*) OVER (), 5) AS f_id,
       crm_rank_score(row_number() OVER (ORDER BY frequency::float8, tb, customer_id COLLATE "C"), count(*) OVER (), 7) AS f_tb7
FROM rank_rows;

CREATE TEMP TABLE rank_results (gather_limit integer, f_tb_mismatches bigint, f_id_mismatches bigint, f_tb7_mismatches bigint, customers bigint);
CREATE FUNCTION pg_temp.check_at(rank_limit integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('crm_ext.rank_gather_limit', rank_limit::text, true);
    INSERT INTO rank_results
    SELECT rank_limit,
           count(*) FILTER (WHERE a.f_score <> r.f_tb),
           count(*) FILTER (WHERE b.f_score <> r.f_id),
           count(*) FILTER (WHERE c.f_score <> r.f_tb7),
           count(*)
    FROM rank_reference r
    JOIN crm_rfm_scores('rank_rows', tiebreak => 'tb') a USING (customer_id)
    JOIN crm_rfm_scores('rank_rows') b USING (customer_id)
    JOIN crm_rfm_scores('rank_rows', tiebreak => 'tb', bins => 7) c USING (customer_id);
END $$;
SELECT pg_temp.check_at(l) FROM (VALUES (0), (1), (2), (7), (100), (4999), (5000)) v(l);
SELECT * FROM rank_results ORDER BY gather_limit;

-- FLO (19,945 customers, ties in file order): narrowing to 100 rows gives every row of one sort
SET crm_ext.rank_gather_limit = 0;
CREATE TEMP TABLE flo_sorted AS SELECT * FROM crm_rfm_scores('flo_rfm_metrics', tiebreak => 'file_order');
SET crm_ext.rank_gather_limit = 100;
SELECT count(*) AS customers, count(*) FILTER (WHERE (n.*) IS DISTINCT FROM (s.*)) AS rows_differing
FROM crm_rfm_scores('flo_rfm_metrics', tiebreak => 'file_order') n JOIN flo_sorted s USING (customer_id);
-- text and date tiebreaks and a single customer
CREATE TEMP TABLE rank_typed AS
SELECT customer_id, recency, frequency, monetary, md5(customer_id) AS tb_text, DATE '2020-01-01' + (g % 17) AS tb_date
FROM rank_rows r, LATERAL (SELECT substr(customer_id, 2)::int AS g) x;
SELECT count(*) FILTER (WHERE a.f_score <> b.f_score) AS text_tiebreak_mismatches, count(*) FILTER (WHERE c.f_score <> d.f_score) AS date_tiebreak_mismatches
FROM crm_rfm_scores('rank_typed', tiebreak => 'tb_text') a
JOIN (SELECT customer_id, crm_rank_score(row_number() OVER (ORDER BY frequency::float8, tb_text, customer_id COLLATE "C"), count(*) OVER ()) AS f_score FROM rank_typed) b USING (customer_id)
JOIN crm_rfm_scores('rank_typed', tiebreak => 'tb_date') c USING (customer_id)
JOIN (SELECT customer_id, crm_rank_score(row_number() OVER (ORDER BY frequency::float8, tb_date, customer_id COLLATE "C"), count(*) OVER ()) AS f_score FROM rank_typed) d USING (customer_id);
CREATE TEMP TABLE rank_one AS SELECT * FROM rank_rows LIMIT 1;
SELECT r_score, f_score, m_score FROM crm_rfm_scores('rank_one');
RESET crm_ext.rank_gather_limit;
SHOW crm_ext.rank_gather_limit;
SET crm_ext.rank_gather_limit = -1;
\echo :LAST_ERROR_SQLSTATE
-- what each limit does (DEBUG1): one sort of all rows, or narrowing rounds and a small sort
SET client_min_messages = debug1;
SELECT count(*) FROM crm_rfm_scores('rank_rows', tiebreak => 'tb');
SELECT count(*) FROM crm_rfm_scores('flo_rfm_metrics', tiebreak => 'file_order');
SET crm_ext.rank_gather_limit = 50;
SELECT count(*) FROM crm_rfm_scores('rank_rows', tiebreak => 'tb');
SET crm_ext.rank_gather_limit = 1;
SELECT count(*) FROM crm_rfm_scores('flo_rfm_metrics', tiebreak => 'file_order');
RESET client_min_messages;
RESET crm_ext.rank_gather_limit;
-- frequencies that are infinite or NaN (NaN sorts after Infinity) are keys too: the threshold at
-- rank 4,000 of 5,000 falls among the NaN rows (the last quarter)
CREATE TEMP TABLE rank_special AS
SELECT customer_id, recency, CASE WHEN g % 4 = 0 THEN 'NaN'::float8 WHEN g % 7 = 0 THEN 'Infinity'::float8
                                  WHEN g % 9 = 0 THEN '-Infinity'::float8 ELSE frequency END AS frequency, monetary
FROM rank_rows r, LATERAL (SELECT substr(customer_id, 2)::int AS g) x;
SET crm_ext.rank_gather_limit = 3;
SELECT count(*) FILTER (WHERE s.f_score <> r.f) AS mismatches, count(*) AS customers, count(*) FILTER (WHERE s.frequency = 'NaN') AS nan_rows
FROM crm_rfm_scores('rank_special') s
JOIN (SELECT customer_id, crm_rank_score(row_number() OVER (ORDER BY frequency, customer_id COLLATE "C"), count(*) OVER ()) AS f FROM rank_special) r USING (customer_id);
RESET crm_ext.rank_gather_limit;
