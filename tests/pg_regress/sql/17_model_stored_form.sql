-- The stored form of the model types carries a format version: on disk (and in the binary
-- protocol) a model value is one version byte (1) and its JSON text form, read back through the
-- type's input function. Values that release 0.1.0 stored (pgrx's CBOR encoding, no version)
-- are still read; an unknown version is an error, not garbage. The casts to and from bytea
-- below reinterpret the stored bytes (WITHOUT FUNCTION: same storage); they exist only in this test.
\set VERBOSITY terse
CREATE CAST (crm_bgnbd AS bytea) WITHOUT FUNCTION;
CREATE CAST (bytea AS crm_bgnbd) WITHOUT FUNCTION;
CREATE CAST (crm_gamma_gamma AS bytea) WITHOUT FUNCTION;
CREATE CAST (bytea AS crm_gamma_gamma) WITHOUT FUNCTION;
CREATE CAST (crm_kmeans AS bytea) WITHOUT FUNCTION;
CREATE CAST (bytea AS crm_kmeans) WITHOUT FUNCTION;
CREATE CAST (crm_pareto_nbd AS bytea) WITHOUT FUNCTION;
CREATE CAST (bytea AS crm_pareto_nbd) WITHOUT FUNCTION;
CREATE CAST (crm_mbgnbd AS bytea) WITHOUT FUNCTION;
CREATE CAST (crm_bgbb AS bytea) WITHOUT FUNCTION;
CREATE CAST (crm_sbg AS bytea) WITHOUT FUNCTION;

-- every model type stores version 1 and its text form, byte for byte, in a table column
CREATE TEMP TABLE stored AS
SELECT 'crm_bgnbd' AS type, m::bytea AS bytes, m::text AS text_form
FROM (SELECT crm_bgnbd_fit(frequency, recency, t) m FROM cdnow_summary) x
UNION ALL SELECT 'crm_gamma_gamma', m::bytea, m::text
FROM (SELECT crm_gamma_gamma_fit(x, zbar) m FROM cdnow_summary_tx) x
UNION ALL SELECT 'crm_kmeans', m::bytea, m::text FROM (SELECT crm_kmeans_fit(ARRAY[recency, t], 3) m FROM cdnow_summary) x
UNION ALL SELECT 'crm_pareto_nbd', m::bytea, m::text FROM (SELECT crm_pareto_nbd(0.55, 10.58, 0.61, 11.67) m) x
UNION ALL SELECT 'crm_mbgnbd', m::bytea, m::text FROM (SELECT crm_mbgnbd(0.52, 6.18, 0.89, 1.61) m) x
UNION ALL SELECT 'crm_bgbb', m::bytea, m::text FROM (SELECT crm_bgbb(1.2, 0.75, 0.66, 2.78) m) x
UNION ALL SELECT 'crm_sbg', m::bytea, m::text FROM (SELECT crm_sbg(0.668, 3.806) m) x;
SELECT type, get_byte(bytes, 0) AS format_version,
       convert_from(substring(bytes FROM 2), 'UTF8') = text_form AS rest_is_text_form
FROM stored ORDER BY type;
-- the binary protocol sends the same bytes
SELECT m::bytea = crm_internal.crm__bgnbd_send(m) AS send_is_stored_form
FROM (SELECT crm_bgnbd(0.243, 4.414, 0.793, 2.426) m) x;

-- values stored by 0.1.0 (CBOR, captured from a build before format version 1) read back with
-- the same text form and predictions
CREATE TEMP TABLE legacy (name text, bytes bytea, text_form text);
INSERT INTO legacy VALUES
  ('bg_fit', '\xb0656d6f64656c6562676e62646172fb3ff0fb1b40a7205f65616c706861fb4033437aaa48dce86161fb3e64b9d7691204ba6162fb3e79fc53505c8d5864756e6974647765656b6970656e616c697a6572f900006e6c6f675f6c696b656c69686f6f64fbc046d09cc9f64f056a7374645f6572726f7273f66a636f76617269616e6365f669637573746f6d657273086d64697374696e63745f726f7773076c736b69707065645f6e756c6c006a697465726174696f6e73182e69636f6e766572676564f5687761726e696e67738178786e6f207374616e64617264206572726f72733a20746865204865737369616e2061742074686520657374696d617465206973206e6f74206e6567617469766520646566696e69746520286120706172616d65746572206174206120626f756e64617279206f72206120666c617420646972656374696f6e29',
   '{"model":"bgnbd","r":1.061305286932132,"alpha":19.263590472019956,"a":3.860507747592663e-8,"b":9.680407594670631e-8,"unit":"week","penalizer":0.0,"log_likelihood":-45.62978481795111,"std_errors":null,"covariance":null,"customers":8,"distinct_rows":7,"skipped_null":0,"iterations":46,"converged":true,"warnings":["no standard errors: the Hessian at the estimate is not negative definite (a parameter at a boundary or a flat direction)"]}'),
  ('bg_given', '\xaf656d6f64656c6562676e62646172fb3fcf1a9fbe76c8b465616c706861fb4011a7ef9db22d0e6161fb3fe9604189374bc76162fb40036872b020c49c64756e6974647765656b6970656e616c697a6572f900006e6c6f675f6c696b656c69686f6f64f66a7374645f6572726f7273f66a636f76617269616e6365f669637573746f6d657273006d64697374696e63745f726f7773006c736b69707065645f6e756c6c006a697465726174696f6e730069636f6e766572676564f5',
   '{"model":"bgnbd","r":0.243,"alpha":4.414,"a":0.793,"b":2.426,"unit":"week","penalizer":0.0,"log_likelihood":null,"std_errors":null,"covariance":null,"customers":0,"distinct_rows":0,"skipped_null":0,"iterations":0,"converged":true}'),
  ('gg_fit', '\xae656d6f64656c6b67616d6d615f67616d6d616170fb401e7328a553f8ea6171fb417801e555901c6f6176fb41930d1bda01bdb06970656e616c697a6572f900006e6c6f675f6c696b656c69686f6f64fbc02f33e4ee0000006a7374645f6572726f7273a36170fb40130100618fc0186171fb4215f3c894fe0cbd6176fb42316b9bb5f020326a636f76617269616e63658383fb40369260f7c19c85fb4196d4115916f8e5fb418ff263dea1a3c283fb4196d4115916f8e5fb443e1e70ed9b186efb4457e6a8b32a7e0783fb418ff263dea1a3c2fb4457e6a8b32a7e07fb4472f77e9b2b0d3a69637573746f6d6572730567736b6970706564036c736b69707065645f6e756c6c006d64697374696e63745f726f7773056a697465726174696f6e73182a69636f6e766572676564f5',
   '{"model":"gamma_gamma","p":7.612459738970054,"q":25173589.347683366,"v":79906550.50170016,"penalizer":0.0,"log_likelihood":-15.601355969905853,"std_errors":{"p":4.750978016280008,"q":23571080511.51244,"v":74819810800.12576},"covariance":[[22.571792111175927,95749206.27243383,66997371.828925624],[95749206.27243383,5.5559583648020156e+20,1.7635833804608596e+21],[66997371.828925624,1.7635833804608596e+21,5.598004088166616e+21]],"customers":5,"skipped":3,"skipped_null":0,"distinct_rows":5,"iterations":42,"converged":true}'),
  ('km_fit', '\xad656d6f64656c666b6d65616e73616b0267696e6572746961fb40206980ea5eeae46573697a65738205036963656e74726f6964738282fb3ff570a3d70a3d70fb404211eb851eb85282fb403a777777777777fb4041555555555555707363616c65645f63656e74726f6964738282fbbfe7f704a0a198a2fb3fc3b360edf88b0482fb3ff3f883db315487fbbfd06ad0c64f1e76667363616c6572a3677363616c696e67687374616e646172646663656e74657282fb4025866666666666fb4041cb3333333333657363616c6582fb402929d810fe2195fb400cb7bf6aac7376616e086a697465726174696f6e7302647365656407666e5f696e69740a686d61785f6974657219012c6c736b69707065645f6e756c6c00',
   '{"model":"kmeans","k":2,"inertia":8.206061672293295,"sizes":[5,3],"centroids":[[1.3399999999999999,36.14],[26.466666666666665,34.666666666666664]],"scaled_centroids":[[-0.748903573735124,0.1539117013899941],[1.2481726228918733,-0.2565195023166561]],"scaler":{"scaling":"standard","center":[10.7625,35.5875],"scale":[12.581726580640671,3.5897205671193957]},"n":8,"iterations":2,"seed":7,"n_init":10,"max_iter":300,"skipped_null":0}'),
  ('pnbd_given', '\xbf656d6f64656c6a70617265746f5f6e62646172fb3fe199999999999a65616c706861fb402528f5c28f5c296173fb3fe3851eb851eb856462657461fb4027570a3d70a3d764756e6974647765656b6970656e616c697a6572f900006e6c6f675f6c696b656c69686f6f64f66a7374645f6572726f7273f66a636f76617269616e6365f669637573746f6d657273006d64697374696e63745f726f7773006c736b69707065645f6e756c6c006a697465726174696f6e730069636f6e766572676564f5687761726e696e677380ff',
   '{"model":"pareto_nbd","r":0.55,"alpha":10.58,"s":0.61,"beta":11.67,"unit":"week","penalizer":0.0,"log_likelihood":null,"std_errors":null,"covariance":null,"customers":0,"distinct_rows":0,"skipped_null":0,"iterations":0,"converged":true,"warnings":[]}');
SELECT name,
       CASE name WHEN 'bg_fit' THEN bytes::crm_bgnbd::text WHEN 'bg_given' THEN bytes::crm_bgnbd::text
                 WHEN 'gg_fit' THEN bytes::crm_gamma_gamma::text WHEN 'km_fit' THEN bytes::crm_kmeans::text
                 ELSE bytes::crm_pareto_nbd::text END = text_form AS reads_back
FROM legacy ORDER BY name;
SELECT round(crm_p_alive(bytes::crm_bgnbd, 2, 30.43, 38.86)::numeric, 6) AS p_alive,
       crm_p_alive(bytes::crm_bgnbd, 2, 30.43, 38.86) = crm_p_alive(text_form::crm_bgnbd, 2, 30.43, 38.86) AS bit_equal
FROM legacy WHERE name = 'bg_given';
SELECT crm_kmeans_assign(bytes::crm_kmeans, ARRAY[10, 30]) AS cluster FROM legacy WHERE name = 'km_fit';
-- they compare and hash as the same model in the current form (operators read the stored text)
SELECT name, bytes::crm_bgnbd = text_form::crm_bgnbd AS equal, bytes::crm_bgnbd <> text_form::crm_bgnbd AS not_equal,
       crm_internal.crm_bgnbd_cmp(bytes::crm_bgnbd, text_form::crm_bgnbd) AS cmp,
       crm_internal.crm_bgnbd_hash(bytes::crm_bgnbd) = crm_internal.crm_bgnbd_hash(text_form::crm_bgnbd) AS same_hash
FROM legacy WHERE name LIKE 'bg%' ORDER BY name;
SELECT count(DISTINCT m) AS distinct_models FROM (SELECT bytes::crm_bgnbd AS m FROM legacy WHERE name = 'bg_given'
                                                  UNION ALL SELECT text_form::crm_bgnbd FROM legacy WHERE name = 'bg_given') x;
-- a legacy value written back is stored in the current form
CREATE TEMP TABLE rewritten AS SELECT (bytes::crm_bgnbd::text)::crm_bgnbd AS m FROM legacy WHERE name = 'bg_given';
SELECT get_byte(m::bytea, 0) AS format_version FROM rewritten;

-- a large value is compressed by TOAST and still read in place of the uncompressed one
CREATE TEMP TABLE big AS SELECT crm_kmeans_fit(ARRAY[t_x, t, x, zbar], 60, 'standard', 3, 1) AS km FROM cdnow_summary_tx;
SELECT pg_column_size(km) < octet_length(km::bytea) AS compressed,
       (SELECT count(*) FROM cdnow_summary_tx WHERE crm_kmeans_assign(b.km, ARRAY[t_x, t, x, zbar])
                                                 = crm_kmeans_assign(b.km::text::crm_kmeans, ARRAY[t_x, t, x, zbar])) AS same_clusters,
       (SELECT count(*) FROM cdnow_summary_tx) AS customers
FROM big b;

-- bytes of another version, or not a model at all: 22P03 (invalid_binary_representation); version
-- 1 with a broken text form: the input function's 22P02
\set VERBOSITY default
SELECT ('\x02' || substring(bytes FROM 2))::crm_bgnbd::text FROM stored WHERE type = 'crm_bgnbd';
\echo :LAST_ERROR_SQLSTATE
SELECT '\x'::bytea::crm_bgnbd::text;
\echo :LAST_ERROR_SQLSTATE
SELECT '\x017b'::bytea::crm_bgnbd::text;
\echo :LAST_ERROR_SQLSTATE
SELECT '\xa1ff'::bytea::crm_gamma_gamma::text;
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY terse

DROP CAST (crm_bgnbd AS bytea);
DROP CAST (bytea AS crm_bgnbd);
DROP CAST (crm_gamma_gamma AS bytea);
DROP CAST (bytea AS crm_gamma_gamma);
DROP CAST (crm_kmeans AS bytea);
DROP CAST (bytea AS crm_kmeans);
DROP CAST (crm_pareto_nbd AS bytea);
DROP CAST (bytea AS crm_pareto_nbd);
DROP CAST (crm_mbgnbd AS bytea);
DROP CAST (crm_bgbb AS bytea);
DROP CAST (crm_sbg AS bytea);
