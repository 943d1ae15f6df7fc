-- The fit aggregates run in parallel (Partial Aggregate) and give the same model as a serial plan,
-- on 200,000 customers simulated from the CDNOW parameters.
CREATE TABLE sim AS
SELECT * FROM crm_bgnbd_simulate(200000, 0.243, 4.414, 0.793, 2.426, p => 6.25, q => 3.74, v => 15.44,
                                 t_max => 78, seed => 7);
ANALYZE sim;
SELECT count(*) AS customers, count(*) FILTER (WHERE frequency > 0) AS repeaters,
       round(avg(frequency)::numeric, 2) AS mean_frequency FROM sim;

SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS
SELECT crm_bgnbd_fit(frequency, recency, t) AS bg, crm_gamma_gamma_fit(frequency, monetary) AS gg FROM sim;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT crm_bgnbd_fit(frequency, recency, t), crm_gamma_gamma_fit(frequency, monetary) FROM sim;
CREATE TEMP TABLE parallel AS
SELECT crm_bgnbd_fit(frequency, recency, t) AS bg, crm_gamma_gamma_fit(frequency, monetary) AS gg FROM sim;

-- parameters equal to 1e-9 relative (they are in fact identical: the summary is ordered)
SELECT s.parameter, abs(p.estimate / s.estimate - 1) < 1e-9 AS same
FROM serial, parallel, crm_bgnbd_params(serial.bg) s, crm_bgnbd_params(parallel.bg) p
WHERE s.parameter = p.parameter
UNION ALL
SELECT s.parameter, abs(p.estimate / s.estimate - 1) < 1e-9
FROM serial, parallel, crm_gamma_gamma_params(serial.gg) s, crm_gamma_gamma_params(parallel.gg) p
WHERE s.parameter = p.parameter
ORDER BY 1;

-- recovery of the simulating parameters (200k customers: within 5%)
SELECT parameter, round(estimate::numeric, 3) AS estimate, abs(estimate / truth - 1) < 0.05 AS recovered
FROM serial, crm_bgnbd_params(serial.bg)
JOIN (VALUES ('r', 0.243), ('alpha', 4.414), ('a', 0.793), ('b', 2.426)) AS t(name, truth) ON name = parameter
ORDER BY 1;
RESET ALL;
DROP TABLE sim;
