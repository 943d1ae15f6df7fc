-- FLO through sql/examples/flo_rfm.sql (crm_rfm_scores, course map, ties in file order): the segment
-- counts of docs/references.md section 3 exactly and the segment means to 2 decimals.
\set VERBOSITY terse
\getenv crm_root CRM_EXT_ROOT
\i :crm_root/sql/examples/flo_rfm.sql
SELECT * FROM flo_rfm_segment_summary;
SELECT count(*) AS customers, count(DISTINCT customer_id) AS distinct_customers FROM flo_rfm;
SELECT customer_id, recency, frequency, monetary, r_score, f_score, m_score, rf_score, rfm_score, segment, display_name,
       sort_order, as_of
FROM flo_rfm WHERE customer_id IN ('cc294636-19f0-11eb-8d74-000d3a38a36f', 'f431bd5a-ab7b-11e9-a2fc-000d3a38a36f') ORDER BY customer_id;
-- one analysis date; each segment has the sort order of the map; customers and revenue add up
SELECT (SELECT array_agg(DISTINCT as_of) FROM flo_rfm) AS as_of,
       (SELECT count(*) FROM flo_rfm r JOIN flo_rfm_segments g USING (segment) WHERE r.sort_order IS DISTINCT FROM g.sort_order) AS sort_order_mismatches,
       (SELECT array_agg(segment ORDER BY sort_order) FROM flo_rfm_segment_summary) = (SELECT array_agg(segment ORDER BY sort_order) FROM flo_rfm_segments) AS summary_in_map_order,
       (SELECT sum(customers) FROM flo_rfm_segment_summary) AS customers,
       (SELECT sum(revenue) FROM flo_rfm_segment_summary) = (SELECT round(sum(monetary)::numeric, 2) FROM flo_rfm) AS revenue_adds_up;
-- docs/references.md section 3
SELECT bool_and(s.customers = ref.customers) AS counts_match, count(*) AS segments
FROM flo_rfm_segment_summary s
FULL JOIN (VALUES ('champions', 1932), ('loyal_customers', 3361), ('potential_loyalists', 2938), ('hibernating', 3604),
                  ('at_Risk', 3131), ('cant_loose', 1200), ('about_to_sleep', 1629), ('need_attention', 823),
                  ('new_customers', 680), ('promising', 647)) AS ref(segment, customers) USING (segment);
SELECT segment, recency_mean, frequency_mean, monetary_mean,
       (recency_mean, frequency_mean, monetary_mean) = (ref_r, ref_f, ref_m) AS means_match
FROM flo_rfm_segment_summary
JOIN (VALUES ('champions', 17.11, 8.93, 1406.63), ('hibernating', 247.95, 2.39, 366.27)) AS ref(segment, ref_r, ref_f, ref_m)
  USING (segment) ORDER BY segment;
-- shares and revenue shares (rounded to 4 decimals) add up to 1 within 10 x 0.00005
SELECT abs(sum(share) - 1) <= 0.0005 AS shares_add_up, abs(sum(revenue_share) - 1) <= 0.0005 AS revenue_shares_add_up FROM flo_rfm_segment_summary;

-- the tie order matters (docs/references.md section 2): the default tie-break (customer id, byte
-- order; master_id of flo_customers) instead of file order changes 3,532 F scores and 1,831 segments
SELECT count(*) FILTER (WHERE d.f_score <> f.f_score) AS f_changed, count(*) FILTER (WHERE d.segment <> f.segment) AS segment_changed
FROM crm_rfm_scores('flo_rfm_metrics') d
JOIN flo_rfm f USING (customer_id);

-- the rfm package's map on the same scores (R, F and M ranges, first match wins, else 'others')
SELECT segment, count(*) AS customers
FROM crm_rfm_scores('flo_rfm_metrics', tiebreak => 'file_order', map => 'rfm_package')
GROUP BY segment ORDER BY customers DESC, segment;

-- the segment history (sql/examples/flo_segment_history.sql): one real snapshot, so no migration
-- yet; rerunning the file adds nothing for the same as_of (included twice, without echo; messages
-- of an included file carry its path)
\set ECHO none
SET client_min_messages = warning;
\i :crm_root/sql/examples/flo_segment_history.sql
\i :crm_root/sql/examples/flo_segment_history.sql
RESET client_min_messages;
\set ECHO all
SELECT as_of, count(*) AS customers, count(DISTINCT segment) AS segments FROM flo_rfm_segment_history GROUP BY as_of;
SELECT bool_and(h.segment = r.segment) AS same_as_flo_rfm, count(*) AS customers
FROM flo_rfm_segment_history h JOIN flo_rfm r USING (customer_id);
SELECT count(*) AS migration_rows FROM flo_rfm_segment_migration;
-- the migration view on made-up later snapshots (rolled back): champions and new_customers move,
-- one customer leaves, one arrives; the pairs of each step add up to the customers of either side
BEGIN;
INSERT INTO flo_rfm_segment_history
SELECT DATE '2021-09-01', customer_id,
       CASE segment WHEN 'champions' THEN 'loyal_customers' WHEN 'new_customers' THEN 'promising' ELSE segment END
FROM flo_rfm_segment_history WHERE as_of = '2021-06-01' AND customer_id <> 'cc294636-19f0-11eb-8d74-000d3a38a36f';
INSERT INTO flo_rfm_segment_history VALUES (DATE '2021-09-01', 'made-up customer', 'new_customers');
INSERT INTO flo_rfm_segment_history
SELECT DATE '2021-12-01', customer_id, segment FROM flo_rfm_segment_history WHERE as_of = '2021-09-01';
SELECT from_as_of, to_as_of, from_segment, to_segment, customers
FROM flo_rfm_segment_migration
WHERE from_segment IS DISTINCT FROM to_segment OR from_segment IN ('champions', 'loyal_customers')
ORDER BY from_as_of, from_segment NULLS FIRST, to_segment NULLS FIRST;
SELECT from_as_of, to_as_of, sum(customers) AS customers, count(*) AS pairs
FROM flo_rfm_segment_migration GROUP BY from_as_of, to_as_of ORDER BY from_as_of;
ROLLBACK;
DROP VIEW flo_rfm_segment_migration;
DROP TABLE flo_rfm_segment_history;
