//! The schema `crm_internal`: the extension's support objects out of the public API's sight, so
//! `\df crm_*` (and a BI tool's or JDBC's listing of the extension's schema) shows the API only.
//! At the end of the install script the schema is created and every internal function and type
//! is moved there: aggregate support functions (`*_trans`, `*_final`, `*_combine`, `*_serialize`,
//! `*_deserialize`), type I/O and operator functions (`crm_<type>_in`, `_out`, `_eq`, .., `_hash`),
//! helpers named `crm__*`, the aggregate state types `crm__*` and the composite result types
//! (`*_result`). Aggregates, types and operators refer to their functions by OID, so they keep
//! working; the PL/pgSQL functions call the helpers as `crm_internal.crm__*`. USAGE is granted to
//! PUBLIC: the public functions (SECURITY INVOKER) call the helpers with the caller's rights.

use pgrx::prelude::*;

// The last statements of the install script (pgrx allows one `finalize` block): the COMMENTs of
// the interval functions and crm_model_summary, one per SQL name for the overloads every model
// file makes (src/models/intervals.rs, model_common::model_accessors!), then the schema and the move of
// the internals. (The PL/pgSQL functions' references to crm_internal are resolved when they run.)
extension_sql!(
    r#"
DO $comments$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
             WHERE p.pronamespace = '@extschema@'::regnamespace
               AND p.proname IN ('crm_confidence_intervals', 'crm_expected_purchases_interval', 'crm_clv_interval', 'crm_model_summary')
    LOOP
        EXECUTE format('COMMENT ON FUNCTION %s IS %L', f, CASE (SELECT proname FROM pg_catalog.pg_proc WHERE oid = f)
            WHEN 'crm_confidence_intervals' THEN 'Per parameter: estimate, standard error and a confidence interval at level (default 0.9): log-scale Wald, exp(ln estimate +- z se / estimate); NULL bounds without standard errors.'
            WHEN 'crm_model_summary' THEN 'One row of plain columns describing a model value: model, unit, parameters (display text, names, estimates, standard errors), log-likelihood, customers, skipped rows, iterations, penalizer, converged, and the warnings the fit recorded (count, and text joined with "; ", NULL when none).'
            WHEN 'crm_expected_purchases_interval' THEN 'Interval (low, estimate, high) at level of a customer''s expected purchases over horizon under the uncertainty of the fitted parameters (their covariance): method delta (default; log scale) or bootstrap (draws parameter sets from their sampling distribution, seeded).'
            ELSE 'Interval (low, estimate, high) at level of a customer''s CLV (months, discount as crm_clv) under the uncertainty of both fits'' parameters (independent fits): method delta (default; log scale) or bootstrap (draws parameter sets from their sampling distribution, seeded).'
        END);
    END LOOP;
END $comments$;
CREATE SCHEMA crm_internal;
GRANT USAGE ON SCHEMA crm_internal TO PUBLIC;
COMMENT ON SCHEMA crm_internal IS 'crm_ext''s internal support functions and types (aggregate support, type input/output, operator functions, helpers, aggregate states): not part of the API; keep it off search_path.';
DO $move$
DECLARE
    f regprocedure;
    t regtype;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
        WHERE p.pronamespace = '@extschema@'::regnamespace AND p.prokind IN ('f', 'p')
          AND (p.proname LIKE 'crm\_\_%'
               OR p.proname ~ '_(trans|final|combine|serialize|deserialize)[0-9]*$'
               OR (p.proname ~ '_(in|out|send|recv|eq|ne|lt|le|gt|ge|cmp|hash)$'
                   AND EXISTS (SELECT 1 FROM pg_catalog.pg_type ty WHERE ty.typnamespace = p.pronamespace
                               AND p.proname LIKE ty.typname || '\_%')))
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET SCHEMA crm_internal', f);
    END LOOP;
    FOR t IN
        SELECT ty.oid::regtype FROM pg_catalog.pg_type ty
        WHERE ty.typnamespace = '@extschema@'::regnamespace AND ty.typelem = 0
          AND (ty.typname LIKE 'crm\_\_%' OR (ty.typtype = 'c' AND ty.typname LIKE 'crm\_%\_result'))
    LOOP
        EXECUTE format('ALTER TYPE %s SET SCHEMA crm_internal', t);
    END LOOP;
END $move$;
"#,
    name = "crm_finalize",
    finalize
);
