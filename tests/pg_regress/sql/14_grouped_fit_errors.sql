-- A group that cannot be fitted does not abort the other groups (crm_ext.fit_errors = auto): it
-- gets a NULL model and a WARNING naming the problem; 'error' raises instead, 'warning' also
-- applies without GROUP BY. Group 1: 20 simulated customers whose BG/NBD likelihood has no
-- finite optimum; group 2: the CDNOW sample.
\set VERBOSITY default
\set SHOW_CONTEXT never
CREATE TEMP TABLE grouped_rft (g int, frequency float8, recency float8, t float8);
INSERT INTO grouped_rft VALUES
    (1, 1, 22.95903156617102, 49.663408005161074),
    (1, 0, 0, 31.325142355570712),
    (1, 0, 0, 0.28275071909835514),
    (1, 0, 0, 0.41831936228306166),
    (1, 0, 0, 17.600738672566198),
    (1, 0, 0, 12.70191117224877),
    (1, 0, 0, 37.330395427695024),
    (1, 0, 0, 19.08154575897719),
    (1, 2, 27.542233478610626, 32.6362820394152),
    (1, 1, 11.930919307334966, 22.86569192014564),
    (1, 0, 0, 10.91796033763838),
    (1, 0, 0, 35.32806088490771),
    (1, 1, 11.544439556915329, 46.08792856416735),
    (1, 0, 0, 22.348443844519082),
    (1, 0, 0, 1.837565110826048),
    (1, 0, 0, 1.7089512727506366),
    (1, 0, 0, 42.41686791566333),
    (1, 1, 14.728961984019572, 34.76336541409094),
    (1, 0, 0, 16.93954776768716),
    (1, 0, 0, 38.355764509966285);
INSERT INTO grouped_rft SELECT 2, frequency, recency, t FROM cdnow_summary;
SELECT g, m IS NULL AS failed, round(crm_bgnbd_r(m)::numeric, 4) AS r, crm_customers(m) AS customers
FROM (SELECT g, crm_bgnbd_fit(frequency, recency, t) AS m FROM grouped_rft GROUP BY g) s ORDER BY g;
SHOW crm_ext.fit_errors;
-- the same in a parallel plan and with hash aggregation
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET enable_sort = off;
SELECT g, m IS NULL AS failed FROM (SELECT g, crm_bgnbd_fit(frequency, recency, t) AS m FROM grouped_rft GROUP BY g) s ORDER BY g;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size; RESET enable_sort;
-- without GROUP BY the error is raised
SELECT crm_bgnbd_fit(frequency, recency, t) FROM grouped_rft WHERE g = 1;
\echo :LAST_ERROR_SQLSTATE
SET crm_ext.fit_errors = 'error';
SELECT g, crm_bgnbd_fit(frequency, recency, t) IS NULL FROM grouped_rft GROUP BY g ORDER BY g;
\echo :LAST_ERROR_SQLSTATE
SET crm_ext.fit_errors = 'warning';
SELECT crm_bgnbd_fit(frequency, recency, t) IS NULL AS failed FROM grouped_rft WHERE g = 1;
SET crm_ext.fit_errors = 'sometimes';
RESET crm_ext.fit_errors;
