-- Model diagnostics as data: crm_model_summary(model) returns plain columns for every model type,
-- and every fit records its warnings in the model value (BG/NBD and Gamma-Gamma too), so a BI
-- user sees what the server WARNINGs said.
\set VERBOSITY terse
CREATE TEMP TABLE summary_models AS
SELECT crm_bgnbd_fit(s.frequency, s.recency, s.t) AS bg,
       crm_gamma_gamma_fit(x.x, x.zbar) AS gg,
       crm_pareto_nbd_fit(s.frequency, s.recency, s.t) AS pnbd
FROM cdnow_summary s JOIN cdnow_summary_tx x USING (id);
SELECT s.model, s.unit, s.parameters, s.parameter_names,
       (SELECT array_agg(round(e::numeric, 4)) FROM unnest(s.estimates) e) AS estimates,
       (SELECT array_agg(round(e::numeric, 4)) FROM unnest(s.std_errors) e) AS std_errors,
       round(s.log_likelihood::numeric, 2) AS log_likelihood, s.customers, s.skipped, s.iterations, s.penalizer,
       s.converged, s.warning_count, s.warnings
FROM summary_models m, crm_model_summary(m.bg) s;
SELECT model, unit, parameters, round(log_likelihood::numeric, 2) AS log_likelihood, customers, skipped, converged,
       warning_count, warnings
FROM summary_models m, crm_model_summary(m.gg);
SELECT model, unit, parameters, parameter_names, cardinality(std_errors) AS std_errors, converged, warning_count
FROM summary_models m, crm_model_summary(m.pnbd);
-- models given by parameters: no fit diagnostics, no warnings
SELECT model, unit, parameters, estimates, std_errors, log_likelihood, customers, converged, warning_count, warnings
FROM crm_model_summary(crm_bgnbd(0.243, 4.414, 0.793, 2.426, 'day'));
SELECT model, unit, parameters FROM crm_model_summary(crm_sbg_fit(ARRAY[1000, 631, 468, 382, 326, 289, 262, 241]::bigint[]));
SELECT model, unit, parameters FROM crm_model_summary(crm_bgbb(1.204, 0.750, 0.657, 2.783));

-- a Gamma-Gamma fit with q <= 1 (FLO with the course's orders, mean order value and penalizer
-- 0.01): the warning is in the value, its text form and its summary; the text form reads back equal
CREATE TEMP TABLE flo_gg AS
SELECT crm_gamma_gamma_fit(f, m, 0.01) AS gg
FROM (SELECT order_num_total_ever_online + order_num_total_ever_offline AS f,
             (customer_value_total_ever_online + customer_value_total_ever_offline)::float8
               / (order_num_total_ever_online + order_num_total_ever_offline) AS m
      FROM flo_customers) c;
SELECT round(crm_parameter(gg, 'q')::numeric, 4) AS q, gg::jsonb -> 'warnings' AS warnings_in_text_form,
       gg::text::crm_gamma_gamma = gg AS reads_back_equal
FROM flo_gg;
SELECT warning_count, warnings FROM flo_gg, crm_model_summary(gg);
-- seven customers: the fit stops without converging, and q <= 1
SELECT warning_count, warnings
FROM (SELECT crm_gamma_gamma_fit(f, m) AS gg
      FROM (VALUES (1, 10.0::float8), (1, 12), (2, 11), (1, 1000), (3, 9), (1, 5000), (1, 8)) v(f, m)) g, crm_model_summary(g.gg);
-- fits without warnings keep the 0.1 text form (no "warnings" key)
SELECT bg::jsonb ? 'warnings' AS bgnbd_has_key, gg::jsonb ? 'warnings' AS cdnow_gg_has_key FROM summary_models;

-- views can carry converged and warnings beside the numbers they qualify
SELECT s.model, s.converged, s.warnings IS NULL AS no_warnings
FROM summary_models m, LATERAL (SELECT * FROM crm_model_summary(m.bg) UNION ALL SELECT * FROM crm_model_summary(m.gg)
                               UNION ALL SELECT * FROM crm_model_summary(m.pnbd)) s;
DROP TABLE summary_models, flo_gg;
