-- The extension's member objects, each with a hash of its definition (92_upgrade compares them).
CREATE TEMP VIEW crm_objects AS
SELECT pg_describe_object(d.classid, d.objid, 0) AS object,
       md5(coalesce(CASE WHEN d.classid = 'pg_proc'::regclass THEN
           (SELECT concat_ws(' | ', p.prokind, pg_get_function_arguments(p.oid), pg_get_function_result(p.oid),
                             p.prosrc, p.probin, p.proconfig::text, p.provolatile, p.proparallel, p.proisstrict,
                             p.prosecdef, p.procost, p.prorows)
            FROM pg_proc p WHERE p.oid = d.objid) END, '')
           || coalesce(CASE WHEN d.classid = 'pg_proc'::regclass THEN
           (SELECT concat_ws(' | ', a.aggkind, a.aggtransfn::regprocedure, a.aggfinalfn::regprocedure,
                             a.aggcombinefn::regprocedure, a.aggserialfn::regprocedure, a.aggdeserialfn::regprocedure,
                             a.aggtranstype::regtype, a.aggtransspace, a.aggfinalmodify, a.agginitval)
            FROM pg_aggregate a WHERE a.aggfnoid = d.objid) END, '')
           || coalesce(obj_description(d.objid, d.classid::regclass::name), '')) AS definition
FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND d.deptype = 'e' AND e.extname = 'crm_ext';
