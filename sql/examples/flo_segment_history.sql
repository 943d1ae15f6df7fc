-- FLO: a history of RFM segments, one snapshot per analysis date, and the migration between
-- consecutive snapshots (how many customers moved from one segment to another), for BI tools
-- (a Sankey or a from/to heatmap). Needs flo_rfm.sql. Creates:
--   flo_rfm_segment_history    (a table) one row per snapshot date and customer: the segment
--   flo_rfm_segment_migration  customers per (from segment, to segment) of consecutive snapshots
-- Rerunning this file appends the snapshot of flo_rfm's current as_of; a snapshot already stored
-- is kept as it is (ON CONFLICT DO NOTHING), so a new snapshot appears only when as_of changes.
--
-- Only the real snapshot (2021-06-01) is inserted. An earlier one, for example as of 2021-03-01,
-- cannot be recomputed honestly from flo_customers: it holds each customer's lifetime totals
-- (orders and value up to the data's end, 2021-05-30) and the first and last order dates, not the
-- orders. 8,683 of the 19,945 customers ordered on or after 2021-03-01, so their order count, value
-- and last order as of 2021-03-01 are unknown (246 had not even ordered yet); crm_rfm_scores takes
-- no analysis date (flo_rfm_metrics computes recency to a fixed date). With one snapshot the
-- migration view is empty; it fills when a later load of the data is scored (a new as_of).
\ir flo_rfm.sql

CREATE TABLE IF NOT EXISTS flo_rfm_segment_history (
    as_of date NOT NULL,
    customer_id text NOT NULL,
    segment text NOT NULL,
    PRIMARY KEY (as_of, customer_id)
);

INSERT INTO flo_rfm_segment_history (as_of, customer_id, segment)
SELECT as_of, customer_id, segment FROM flo_rfm
ON CONFLICT DO NOTHING;

-- Each snapshot with the next one; customers in only one of the two appear with a NULL segment on
-- the other side (new customers: from_segment NULL; customers no longer scored: to_segment NULL).
CREATE OR REPLACE VIEW flo_rfm_segment_migration AS
WITH snapshots AS (
    SELECT as_of AS from_as_of, lead(as_of) OVER (ORDER BY as_of) AS to_as_of
    FROM (SELECT DISTINCT as_of FROM flo_rfm_segment_history) d
)
SELECT s.from_as_of, s.to_as_of, m.from_segment, m.to_segment, count(*) AS customers
FROM snapshots s
CROSS JOIN LATERAL (
    SELECT f.segment AS from_segment, t.segment AS to_segment
    FROM (SELECT customer_id, segment FROM flo_rfm_segment_history WHERE as_of = s.from_as_of) f
    FULL JOIN (SELECT customer_id, segment FROM flo_rfm_segment_history WHERE as_of = s.to_as_of) t
      USING (customer_id)
) m
WHERE s.to_as_of IS NOT NULL
GROUP BY s.from_as_of, s.to_as_of, m.from_segment, m.to_segment;

COMMENT ON TABLE flo_rfm_segment_history IS 'FLO: the RFM segment of every customer at each stored analysis date (one snapshot per as_of, appended from flo_rfm by sql/examples/flo_segment_history.sql; a stored snapshot is never overwritten). Holds the real snapshot of 2021-06-01 only: an earlier one cannot be recomputed from the customer totals of flo_customers.';
COMMENT ON COLUMN flo_rfm_segment_history.as_of IS 'Analysis date of the snapshot (flo_rfm.as_of).';
COMMENT ON COLUMN flo_rfm_segment_history.customer_id IS 'FLO customer id (master_id of flo_customers).';
COMMENT ON COLUMN flo_rfm_segment_history.segment IS 'The customer''s segment of the course map at as_of (flo_rfm.segment: champions, loyal_customers, .., hibernating).';

COMMENT ON VIEW flo_rfm_segment_migration IS 'FLO: segment migration between consecutive snapshots of flo_rfm_segment_history: customers per (from_segment at from_as_of, to_segment at to_as_of), one row per pair that occurs. Empty while the history holds a single snapshot.';
COMMENT ON COLUMN flo_rfm_segment_migration.from_as_of IS 'Analysis date of the earlier snapshot.';
COMMENT ON COLUMN flo_rfm_segment_migration.to_as_of IS 'Analysis date of the next snapshot (the first stored after from_as_of).';
COMMENT ON COLUMN flo_rfm_segment_migration.from_segment IS 'Segment at from_as_of (NULL: the customer is new in the later snapshot).';
COMMENT ON COLUMN flo_rfm_segment_migration.to_segment IS 'Segment at to_as_of (NULL: the customer is not in the later snapshot).';
COMMENT ON COLUMN flo_rfm_segment_migration.customers IS 'Customers who were in from_segment at from_as_of and in to_segment at to_as_of (count; sums over the pairs of a from_as_of to the customers of either snapshot).';
