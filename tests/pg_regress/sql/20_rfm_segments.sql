-- Segment maps as data, crm_rfm_segment, and crm_rfm_scores' contract: quoted identifiers, missing
-- columns (42703), the caller's privileges and row-level security, bad input.
\set VERBOSITY terse
SELECT map_name, count(*) AS rules, count(DISTINCT segment) AS segments FROM crm_segment_map GROUP BY map_name ORDER BY map_name;
-- the course map (docs/references.md section 3), rows R = 5 .. 1, columns F = 1 .. 5
SELECT r, string_agg(crm_rfm_segment(r, f), ' ' ORDER BY f) AS f_1_to_5 FROM generate_series(5, 1, -1) r, generate_series(1, 5) f GROUP BY r ORDER BY r DESC;
SELECT crm_rfm_segment(5, 1, 1, 'rfm_package') AS r5f1m1, crm_rfm_segment(1, 4, 4, map => 'rfm_package') AS r1f4m4,
       crm_rfm_segment(1, 1, 5, 'rfm_package') AS r1f1m5, crm_rfm_segment(5, 5, 5) AS course_ignores_m,
       crm_rfm_segment(NULL, 5) IS NULL AS null_gives_null;
-- a user's map: rules in order, first match wins, unmatched -> 'others'
INSERT INTO crm_segment_map (map_name, rule_order, r_min, r_max, f_min, f_max, segment, display_name, sort_order)
VALUES ('two_tier', 1, 4, 5, 4, 5, 'vip', 'VIP', 1), ('two_tier', 2, 3, 5, 1, 5, 'active', 'Active', 2);
SELECT crm_rfm_segment(5, 5, 'two_tier') AS r5f5, crm_rfm_segment(4, 1, 'two_tier') AS r4f1, crm_rfm_segment(2, 5, 'two_tier') AS r2f5;
-- pg_dump keeps users' maps (the two rows above) and leaves the built-in ones to CREATE EXTENSION
-- (scripts/test.sh runs these tests in database crm_regress)
SELECT extconfig::regclass[] AS config_tables, extcondition FROM pg_extension WHERE extname = 'crm_ext';
\! pg_dump --data-only --inserts --table=crm_segment_map crm_regress | grep -c '^INSERT'

-- crm_rfm_scores: any column names, quoted; ties broken by a column; one row per customer
CREATE TEMP TABLE "Shop Metrics" ("Customer" int, "select" int, "F" numeric, "M$" float8, "row" int);
INSERT INTO "Shop Metrics" SELECT i, (i * 7) % 11, 1 + i % 3, i * 10.5, 100 - i FROM generate_series(1, 10) i;
SELECT customer_id, recency, frequency, monetary, r_score, f_score, m_score, rf_score, rfm_score, segment
FROM crm_rfm_scores('"Shop Metrics"', customer => 'Customer', recency => 'select', frequency => 'F', monetary => 'M$', tiebreak => 'row')
ORDER BY customer_id::int;
SELECT count(*) AS rows FROM crm_rfm_scores('"Shop Metrics"', 'Customer', 'select', 'F', 'M$', bins => 3, map => 'two_tier');
SELECT count(*) AS rows FROM crm_rfm_scores('"Shop Metrics"', 'Customer', 'select', 'F', 'M$') WHERE false;

-- the caller's privileges and row-level security apply
CREATE TABLE rfm_secured (customer_id text, recency int, frequency int, monetary float8, owner name);
INSERT INTO rfm_secured SELECT 'c' || i, i, i % 4, i * 2.5, CASE WHEN i <= 6 THEN 'crm_rfm_analyst' ELSE 'other' END FROM generate_series(1, 10) i;
ALTER TABLE rfm_secured ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON rfm_secured FOR SELECT USING (owner = current_user);
CREATE ROLE crm_rfm_analyst;
SET ROLE crm_rfm_analyst;
SELECT count(*) FROM crm_rfm_scores('rfm_secured');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
GRANT SELECT ON rfm_secured TO crm_rfm_analyst;
SET ROLE crm_rfm_analyst;
SELECT count(*) AS visible_rows, min(customer_id) AS first, max(customer_id) AS last FROM crm_rfm_scores('rfm_secured');
RESET ROLE;
SELECT count(*) AS owner_sees FROM crm_rfm_scores('rfm_secured');
DROP TABLE rfm_secured;
DROP ROLE crm_rfm_analyst;

-- bad input: SQLSTATEs
SELECT * FROM crm_rfm_scores('no_such_relation');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_rfm_scores('"Shop Metrics"', customer => 'Customer', recency => 'recency"; DROP TABLE crm_segment_map; --');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_rfm_scores('"Shop Metrics"', 'Customer', 'select', 'F', 'M$', tiebreak => 'file_order');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_rfm_scores('"Shop Metrics"', 'Customer', 'select', 'F', 'M$', map => 'no_such_map');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_rfm_scores('"Shop Metrics"', 'Customer', 'select', 'F', 'M$', bins => 1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_rfm_scores('"Shop Metrics"', 'Customer', 'select', 'F', 'M$', duplicates => 'keep');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_rfm_scores('"Shop Metrics"', 'Customer', 'select', 'F', 'F', bins => 10);
\echo :LAST_ERROR_SQLSTATE
SELECT m_score, count(*) AS merged_rows FROM crm_rfm_scores('"Shop Metrics"', 'Customer', 'select', 'F', 'F', bins => 10, duplicates => 'merge') GROUP BY m_score ORDER BY m_score;
INSERT INTO "Shop Metrics" VALUES (3, 1, 1, 1, 1);
SELECT * FROM crm_rfm_scores('"Shop Metrics"', 'Customer', 'select', 'F', 'M$');
\echo :LAST_ERROR_SQLSTATE
UPDATE "Shop Metrics" SET "Customer" = 11, "M$" = NULL WHERE "row" = 1;
SELECT * FROM crm_rfm_scores('"Shop Metrics"', 'Customer', 'select', 'F', 'M$');
\echo :LAST_ERROR_SQLSTATE
SELECT crm_rfm_segment(0, 3);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_rfm_segment(3, 3, 'no_such_map');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS map_rules_intact FROM crm_segment_map;
DELETE FROM crm_segment_map WHERE map_name = 'two_tier';
