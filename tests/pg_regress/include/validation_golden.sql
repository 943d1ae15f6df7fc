-- Included by 19_validation.sql with :name (bgnbd, mbgnbd, pareto_nbd) and :m (the model at the
-- parameters of scripts/golden/validation_golden.py): every number against lifetimes 0.11.3.
SELECT :'name' AS model, count(*) AS weeks,
       bool_and(t.actual_cumulative = g.actual) AS actual_equal,
       max(abs(t.expected_cumulative / g.predicted - 1)) < 1e-9 AS expected_within_1e_9
FROM crm_tracking(:m, 'cdnow_transactions', start => '1997-01-01', observation_end => '1998-07-01') t
JOIN golden g ON g.model = :'name' AND g.kind = 'tracking' AND g.key = t.period_index;

SELECT :'name' AS model, count(*) AS frequencies,
       bool_and(c.customers = g.customers) AS customers_equal,
       max(abs(c.actual_mean - g.actual)) < 1e-12 AS actual_equal,
       max(abs(c.predicted_mean / g.predicted - 1)) < 1e-9 AS predicted_within_1e_9
FROM crm_calibration_holdout(:m, 'cdnow_calibration') c
JOIN golden g ON g.model = :'name' AND g.kind = 'calibration_holdout' AND g.key = c.sort_order;

SELECT :'name' AS model, count(*) AS frequencies,
       bool_and(h.actual = g.actual) AS actual_equal,
       max(abs(h.expected / g.predicted - 1)) < 1e-9 AS expected_within_1e_9
FROM crm_frequency_histogram(:m, 'cdnow_calibration', frequency => 'frequency_cal', t => 't_cal') h
JOIN golden g ON g.model = :'name' AND g.kind = 'histogram' AND g.key = h.sort_order;
