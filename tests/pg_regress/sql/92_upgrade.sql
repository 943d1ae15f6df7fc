-- Upgrades: a database on release 0.1.0 with stored models and a custom segment map is updated
-- with ALTER EXTENSION crm_ext UPDATE; the values read back unchanged and the updated extension
-- has exactly the objects (signatures, bodies, settings, volatility, strictness, comments) of a
-- fresh install of the current version. sql/versions holds the frozen 0.1.0
-- script and the upgrade scripts; a change to the SQL API needs its upgrade statements there.
\set VERBOSITY terse
\set SHOW_CONTEXT never
\set regress_db :DBNAME
\getenv crm_root CRM_EXT_ROOT
CREATE DATABASE crm_fresh;
\c crm_fresh
CREATE EXTENSION crm_ext;
\i :crm_root/tests/pg_regress/include/crm_objects.sql
SELECT json_agg(json_build_array(object, definition) ORDER BY object) AS fresh FROM crm_objects \gset
\c :regress_db
DROP DATABASE crm_fresh;

CREATE DATABASE crm_upgrade;
\c crm_upgrade
CREATE EXTENSION crm_ext VERSION '0.1.0';
SELECT extversion FROM pg_extension WHERE extname = 'crm_ext';
CREATE TABLE stored AS
SELECT crm_bgnbd_fit(f, r, t) AS bg, crm_gamma_gamma_fit(f, m) AS gg, crm_kmeans_fit(ARRAY[r, t], 2, 'standard', 7) AS km
FROM (VALUES (2::float8, 30.4::float8, 38.9::float8, 22.5::float8), (1, 1.7, 38.9, 11.8), (0, 0, 38.9, 0),
             (0, 0, 38.9, 0), (3, 20.0, 35.1, 30.2), (1, 5.0, 33.0, 18.0), (0, 0, 31.0, 0), (4, 29.0, 30.0, 25.1)) v(f, r, t, m);
INSERT INTO crm_segment_map (map_name, rule_order, r_min, r_max, f_min, f_max, m_min, m_max, segment, display_name, sort_order)
VALUES ('kept', 1, 1, 5, 1, 5, 1, 5, 'everyone', 'Everyone', 1);
-- a view over the fit aggregates (their state type changes in 0.2.0: the view must survive)
CREATE VIEW fit_view AS
SELECT crm_bgnbd_fit(f, r, t) AS bg, crm_gamma_gamma_fit(f, m) AS gg
FROM (VALUES (2::float8, 30.4::float8, 38.9::float8, 22.5::float8), (1, 1.7, 38.9, 11.8), (0, 0, 38.9, 0),
             (0, 0, 38.9, 0), (3, 20.0, 35.1, 30.2), (1, 5.0, 33.0, 18.0), (0, 0, 31.0, 0), (4, 29.0, 30.0, 25.1)) v(f, r, t, m);
CREATE TABLE before AS
SELECT bg::text AS bg, gg::text AS gg, km::text AS km,
       crm_clv(bg, gg, 2, 30.4, 38.9, 22.5, 12, 0.01) AS clv, crm_kmeans_assign(km, ARRAY[10, 30]) AS cluster,
       crm_rfm_segment(3, 3, 3, 'kept') AS segment
FROM stored;

ALTER EXTENSION crm_ext UPDATE;
SELECT extversion = crm_version() AS updated_to_current FROM pg_extension WHERE extname = 'crm_ext';
SELECT s.bg::text = b.bg AS bg_same, s.gg::text = b.gg AS gg_same, s.km::text = b.km AS km_same,
       crm_clv(s.bg, s.gg, 2, 30.4, 38.9, 22.5, 12, 0.01) = b.clv AS clv_same,
       crm_kmeans_assign(s.km, ARRAY[10, 30]) = b.cluster AS cluster_same,
       crm_rfm_segment(3, 3, 3, 'kept') = b.segment AS segment_same
FROM stored s, before b;
SELECT v.bg::text = b.bg AS view_bg_same, v.gg::text = b.gg AS view_gg_same FROM fit_view v, before b;

-- the updated extension equals a fresh install: objects missing or different on either side
\i :crm_root/tests/pg_regress/include/crm_objects.sql
WITH fresh AS (SELECT f->>0 AS object, f->>1 AS definition FROM json_array_elements(:'fresh'::json) f)
SELECT coalesce(f.object, u.object) AS object,
       CASE WHEN u.object IS NULL THEN 'missing after update' WHEN f.object IS NULL THEN 'not in a fresh install'
            ELSE 'differs' END AS problem
FROM fresh f FULL JOIN crm_objects u ON u.object = f.object
WHERE f.definition IS DISTINCT FROM u.definition
ORDER BY 1;
\c :regress_db
DROP DATABASE crm_upgrade;
