-- CALL example_refresh(): refreshes every materialized view of the examples that exists in the
-- database, in dependency order, in the caller's transaction (all or nothing: BI tools read the
-- old snapshots until it commits; REFRESH locks each view against reads until then). Run it after
-- new data; it creates nothing else and needs no other example file. The order:
--   flo_cltv.sql:          flo_cltv, flo_model_comparison
--   flo_validation.sql:    flo_cltv_models, flo_frequency_recency_matrix
--   retail_cltv.sql:       retail_uk_cltv, retail_uk_model_comparison, retail_uk_cltv_models
--   retail_validation.sql: retail_uk_calibration
--   retail_clusters.sql:   retail_cluster_model, then retail_customer_clusters (reads the model)
-- Only retail_customer_clusters reads another materialized view; the others read plain views and
-- tables. The model tables (cdnow_models, cdnow_family_models, retail_uk_validation_models) are
-- fitted once and not refitted here: drop one and rerun its example file to refit it.
CREATE OR REPLACE PROCEDURE example_refresh()
LANGUAGE plpgsql AS $$
DECLARE
    view_name text;
    rel regclass;
BEGIN
    FOREACH view_name IN ARRAY ARRAY['flo_cltv', 'flo_model_comparison', 'flo_cltv_models', 'flo_frequency_recency_matrix', 'retail_uk_cltv',
                                'retail_uk_model_comparison', 'retail_uk_cltv_models',
                                'retail_uk_calibration', 'retail_cluster_model', 'retail_customer_clusters'] LOOP
        rel := to_regclass(view_name);
        IF rel IS NULL THEN
            CONTINUE;  -- that example is not installed
        ELSIF (SELECT relkind FROM pg_class WHERE oid = rel) <> 'm' THEN
            RAISE NOTICE 'example_refresh: % is not a materialized view (an older version of its example?), skipped', rel;
        ELSE
            EXECUTE format('REFRESH MATERIALIZED VIEW %s', rel);
        END IF;
    END LOOP;
END
$$;
COMMENT ON PROCEDURE example_refresh() IS 'Refreshes the materialized views of sql/examples that exist (to_regclass), in dependency order (retail_cluster_model before retail_customer_clusters), in the caller''s transaction: flo_cltv, flo_model_comparison, flo_cltv_models, flo_frequency_recency_matrix, retail_uk_cltv, retail_uk_model_comparison, retail_uk_cltv_models, retail_uk_calibration, retail_cluster_model, retail_customer_clusters. Their refreshed_at columns then show the time of the call. The examples'' model tables are not refitted.';
