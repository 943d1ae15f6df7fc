-- FLO through sql/examples/flo_rfm.sql (crm_rfm_scores, course map, ties in file order): the segment
-- counts of domain.md section 3 exactly and the segment means to 2 decimals.
\set VERBOSITY terse
\getenv crm_root CRM_EXT_ROOT
\i :crm_root/sql/examples/flo_rfm.sql
SELECT * FROM flo_rfm_segment_summary;
SELECT count(*) AS customers, count(DISTINCT master_id) AS distinct_customers FROM flo_rfm;
SELECT master_id, recency, frequency, monetary, r_score, f_score, m_score, rf_score, rfm_score, segment, display_name
FROM flo_rfm WHERE master_id IN ('cc294636-19f0-11eb-8d74-000d3a38a36f', 'f431bd5a-ab7b-11e9-a2fc-000d3a38a36f') ORDER BY master_id;
-- domain.md section 3
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

-- the tie order matters (domain.md section 2): the default tie-break (customer id, byte order;
-- master_id here) instead of file order changes 3,532 F scores and 1,831 segments
SELECT count(*) FILTER (WHERE d.f_score <> f.f_score) AS f_changed, count(*) FILTER (WHERE d.segment <> f.segment) AS segment_changed
FROM crm_rfm_scores('flo_rfm_metrics', customer => 'master_id') d
JOIN flo_rfm f ON f.master_id = d.customer_id;

-- the rfm package's map on the same scores (R, F and M ranges, first match wins, else 'others')
SELECT segment, count(*) AS customers
FROM crm_rfm_scores('flo_rfm_metrics', customer => 'master_id', tiebreak => 'file_order', map => 'rfm_package')
GROUP BY segment ORDER BY customers DESC, segment;
