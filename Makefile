# crm_ext: the two commands of the README, and a few conveniences.
.PHONY: demo test test-core test-pg test-regress bench bench-scale install

demo:          ## build, install, run the FLO showcase on a throwaway cluster
	bash scripts/demo.sh

test:          ## every test layer: crm_core, #[pg_test], pg_regress; ends with a summary line
	bash scripts/test.sh

test-core:
	bash scripts/test.sh core

test-pg:
	bash scripts/test.sh pg

test-regress:
	bash scripts/test.sh regress

bench:         ## benchmarks (release build, vs the scan and lifetimes): bench/results.md, bench/validation.md
	bash bench/run.sh && bash bench/validation.sh

bench-scale:   ## BG/NBD fits of 100M simulated customers (whole days; continuous in a parallel plan): bench/scale.md
	bash bench/scale.sh

install:       ## release build into the system PostgreSQL 15, with the earlier releases' and upgrade scripts
	bash -c 'source scripts/common.sh && install_extension --release'

.PHONY: bi-demo bi-check
bi-demo:       ## Apache Superset 6.1.0 dashboard over the example views, screenshot in bi/dashboard.png (bi/demo.sh)
	bash bi/demo.sh

bi-check:      ## the example views through JDBC (types, REMARKS): cluster, data, views, bi/JdbcMetadata.java; no Superset
	bash bi/demo.sh --check
