-- Quantile scores as pandas qcut (docs/references.md section 2) and the course's outlier limits.
\set VERBOSITY terse

-- edges = {min, q20, q40, q60, q80, max}; right-closed bins, the first includes the minimum
SELECT crm_qcut_edges(x) AS edges, crm_qcut_edges(x, 4) AS quartile_edges FROM generate_series(1, 11) x;
SELECT x, crm_qcut_score(x, e) AS score, crm_qcut_score(x, e, reverse => true) AS reversed
FROM (SELECT crm_qcut_edges(x) AS e FROM generate_series(1, 11) x) s, (VALUES (0), (1), (3), (3.5), (9), (11), (12)) v(x);
SELECT crm_qcut_edges(x) IS NULL AS empty_is_null, crm_qcut_edges(NULL::float8) IS NULL AS nulls_are_skipped
FROM generate_series(1, 0) x;
-- rank-first scores: n = 11, 5 bins: 1 1 1 2 2 3 3 4 4 5 5; n = 8, 7 bins: pandas' float edges give rank 6 a 6
SELECT array_agg(crm_rank_score(k, 11) ORDER BY k) AS n11, (SELECT array_agg(crm_rank_score(k, 8, bins => 7) ORDER BY k) FROM generate_series(1, 8) k) AS n8_bins7
FROM generate_series(1, 11) k;

-- FLO: value scores equal 1 + (x > e1) + .. + (x > e4) with the percentile_cont edges of
-- docs/references.md section 2, and rank scores equal max(1, ceil(5 (k - 1) / (n - 1))) in exact
-- arithmetic, on every row
CREATE TEMP TABLE flo_m AS
SELECT file_order, DATE '2021-06-01' - last_order_date AS recency,
       order_num_total_ever_online + order_num_total_ever_offline AS frequency,
       customer_value_total_ever_online::float8 + customer_value_total_ever_offline::float8 AS monetary
FROM flo_customers;
SELECT crm_qcut_edges(recency) AS recency_edges, crm_qcut_edges(frequency) AS frequency_edges,
       (SELECT array_agg(round(e::numeric, 2)) FROM unnest(crm_qcut_edges(monetary)) e) AS monetary_edges
FROM flo_m;
WITH e AS (SELECT crm_qcut_edges(recency) AS re, crm_qcut_edges(monetary) AS me,
                  percentile_cont(ARRAY[.2, .4, .6, .8]) WITHIN GROUP (ORDER BY recency) AS rp,
                  percentile_cont(ARRAY[.2, .4, .6, .8]) WITHIN GROUP (ORDER BY monetary) AS mp, count(*) AS n FROM flo_m),
s AS (SELECT crm_qcut_score(recency, re, reverse => true) AS r, crm_qcut_score(monetary, me) AS m,
             6 - (1 + (recency > rp[1])::int + (recency > rp[2])::int + (recency > rp[3])::int + (recency > rp[4])::int) AS r_ref,
             1 + (monetary > mp[1])::int + (monetary > mp[2])::int + (monetary > mp[3])::int + (monetary > mp[4])::int AS m_ref,
             crm_rank_score(row_number() OVER (ORDER BY frequency, file_order), n) AS f,
             greatest(1, ceil(5 * (row_number() OVER (ORDER BY frequency, file_order) - 1)::numeric / (n - 1)))::int AS f_ref
      FROM flo_m, e)
SELECT count(*) AS rows, count(*) FILTER (WHERE r <> r_ref) AS r_differs, count(*) FILTER (WHERE m <> m_ref) AS m_differs,
       count(*) FILTER (WHERE f <> f_ref) AS f_differs, array_agg(DISTINCT r) AS r_scores, array_agg(DISTINCT f) AS f_scores
FROM s;
-- FLO frequency cannot be value-cut: pandas raises "Bin edges must be unique: [2, 2, 3, 4, 7, 202]";
-- with duplicates => 'merge' (pandas duplicates='drop') 2 and 3 score 1, 4 -> 2, 5 -> 3, 202 -> 4
SELECT crm_qcut_score(5, crm_qcut_edges(frequency)) FROM flo_m;
\echo :LAST_ERROR_SQLSTATE
SELECT array_agg(crm_qcut_score(x, e, duplicates => 'merge') ORDER BY x) AS merged,
       array_agg(crm_qcut_score(x, e, reverse => true, duplicates => 'merge') ORDER BY x) AS merged_reversed
FROM (SELECT crm_qcut_edges(frequency) AS e FROM flo_m) s, unnest(ARRAY[2, 3, 4, 5, 202]) x;

-- property: random integer columns with many ties, 2..10 bins; merged scores equal an independent
-- transcription of pandas duplicates='drop' on percentile_cont edges, rank scores the exact formula
SELECT setseed(0.42);
CREATE TEMP TABLE rnd AS
SELECT g, i, floor(random() * (1 + g % 7))::float8 AS x, 2 + g % 9 AS bins
FROM generate_series(1, 60) g, generate_series(1, 1 + (g * 37) % 50) i;
WITH e AS (SELECT g, bins, crm_qcut_edges(x, bins) AS edges,
                  percentile_cont((SELECT array_agg(k::float8 / bins) FROM generate_series(0, bins) k)) WITHIN GROUP (ORDER BY x) AS p,
                  count(*) AS n
           FROM rnd GROUP BY g, bins),
s AS (SELECT rnd.g, crm_qcut_score(x, edges, duplicates => 'merge') AS score,
             1 + (SELECT count(DISTINCT q) FROM unnest(p[2:e.bins]) q WHERE q > p[1] AND q < p[e.bins + 1] AND x > q) AS ref,
             crm_rank_score(row_number() OVER (PARTITION BY rnd.g ORDER BY x, i), n, e.bins) AS f,
             CASE WHEN n = 1 THEN 1 ELSE greatest(1, ceil(e.bins * (row_number() OVER (PARTITION BY rnd.g ORDER BY x, i) - 1)::numeric / (n - 1)))::int END AS f_ref,
             e.bins
      FROM rnd JOIN e USING (g))
SELECT count(*) AS rows, count(DISTINCT g) AS columns, count(*) FILTER (WHERE score <> ref) AS value_differs,
       count(*) FILTER (WHERE f <> f_ref AND bins IN (2, 3, 4, 5, 8, 10)) AS rank_differs
FROM s;

-- FLO outlier limits of the four order/value columns (course: q01, q99, 1.5); up = 48.5 for online
-- orders, capped to 48 half-even (Python round) where PostgreSQL's round gives 49: 14 rows differ
CREATE TEMP TABLE flo_cols AS
SELECT c.col, c.x FROM flo_customers,
LATERAL (VALUES ('order_num_total_ever_online', order_num_total_ever_online::float8),
                ('order_num_total_ever_offline', order_num_total_ever_offline::float8),
                ('customer_value_total_ever_offline', customer_value_total_ever_offline::float8),
                ('customer_value_total_ever_online', customer_value_total_ever_online::float8)) AS c(col, x);
WITH l AS (SELECT col, (crm_outlier_limits(x)).*, percentile_cont(0.01) WITHIN GROUP (ORDER BY x) AS q01,
                  percentile_cont(0.99) WITHIN GROUP (ORDER BY x) AS q99 FROM flo_cols GROUP BY col)
SELECT col, round(low::numeric, 4) AS low, round(up::numeric, 4) AS up,
       abs(low - (q01 - 1.5 * (q99 - q01))) < 1e-9 * greatest(1, abs(low)) AS low_ok,
       abs(up - (q99 + 1.5 * (q99 - q01))) < 1e-9 * greatest(1, abs(up)) AS up_ok,
       (SELECT count(*) FROM flo_cols c WHERE c.col = l.col AND (c.x > up OR c.x < low)) AS capped,
       (SELECT count(*) FROM flo_cols c WHERE c.col = l.col
          AND crm_clip(c.x, low, up) <> crm_clip(c.x, low, up, round => 'half_away')) AS half_even_vs_half_away
FROM l ORDER BY col;
SELECT crm_clip(49, -27.5, 48.5) AS half_even, crm_clip(49, -27.5, 48.5, 'half_away') AS half_away,
       crm_clip(49, -27.5, 48.5, 'none') AS unrounded, crm_clip(-30, -27.5, 48.5) AS low_capped, crm_clip(48.3, -27.5, 48.5) AS inside;
SELECT (crm_outlier_limits(x, 0.25, 0.75)).*, (crm_outlier_limits(x, 0.25, 0.75, 3)).* FROM generate_series(1, 101) x;

-- bad input: SQLSTATEs
SELECT crm_qcut_edges(x, 1) FROM generate_series(1, 3) x;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_qcut_edges(x, NULL) FROM generate_series(1, 3) x;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_qcut_edges(x, x::int + 1) FROM generate_series(1, 3) x;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_qcut_edges(x) FROM (VALUES (1), ('NaN'::float8)) t(x);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_qcut_score(1, ARRAY[0, 1, 2], duplicates => 'keep');
\echo :LAST_ERROR_SQLSTATE
SELECT crm_qcut_score(1, ARRAY[0, NULL, 2]);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_qcut_score(1, ARRAY[0, 2]);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_qcut_score(1, ARRAY[2, 1, 3]);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_qcut_score('infinity', ARRAY[0, 1, 2]);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_rank_score(0, 10);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_rank_score(11, 10);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_rank_score(1, 10, bins => 101);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_outlier_limits(x, 0.9, 0.1) FROM generate_series(1, 3) x;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_outlier_limits(x, 0.1, 0.9, NULL) FROM generate_series(1, 3) x;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_outlier_limits(x, 0.1, 0.9, -1) FROM generate_series(1, 3) x;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_clip(1, 0, 2, round => 'bankers');
\echo :LAST_ERROR_SQLSTATE
SELECT crm_clip(1, 2, 0);
\echo :LAST_ERROR_SQLSTATE
