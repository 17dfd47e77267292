# medtwin — every target is what CI runs; see README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV ?= uv
MT := $(UV) run --no-sync medtwin
# Python caches compiled modules (__pycache__): with an inherited PYTHONDONTWRITEBYTECODE=1 every
# process the tests start compiles what it imports again (import scanpy: 6.2 s of CPU instead of
# 2.3 s; a data command 0.8 s instead of 0.4 s), so the targets drop it, and `install` compiles
# every module once (--compile-bytecode + compileall) so that a shell with it set starts as fast.
unexport PYTHONDONTWRITEBYTECODE
# Development and CI mirror the pinned reference files from ../shared/data when it exists.
SHARED_DATA := $(abspath ../shared/data)
ifneq ($(wildcard $(SHARED_DATA)),)
export MEDTWIN_DATA_MIRROR ?= $(SHARED_DATA)
endif
# Tests run against their own server (own folder and ports), never against your data.
# A second checkout (git worktree) can run its own test server: make test TEST_BOLT=7690 TEST_HTTP=7477
TEST_BOLT ?= 7688
TEST_HTTP ?= 7475
# Parallel worktrees on one machine can shrink their test servers: make test TEST_HEAP=1500m TEST_PAGECACHE=256m
TEST_HEAP ?= 3g
TEST_PAGECACHE ?= 1g
TEST_ENV := MEDTWIN_HOME=.medtwin/test MEDTWIN_BOLT_PORT=$(TEST_BOLT) MEDTWIN_HTTP_PORT=$(TEST_HTTP) \
            MEDTWIN_NEO4J_URI=bolt://127.0.0.1:$(TEST_BOLT) MEDTWIN_TEST_BOLT_PORT=$(TEST_BOLT) \
            MEDTWIN_HEAP_SIZE=$(TEST_HEAP) MEDTWIN_PAGECACHE_SIZE=$(TEST_PAGECACHE)

.PHONY: help install fmt lint db up down test test-unit test-neo4j test-reliability test-browser chromium serve demo bench bench-load bench-bulk-python bench-demo bench-twin bench-screen bench-proximity bench-cli bench-layout bench-captions bench-api bench-cohort bench-cohort-summary bench-data bench-delete bench-readers validate validate-twins validate-twins-ablation evidence-sensitivity validate-stratify bench-cell-activities clean

help:  ## List the targets
	@# Names may hold digits (test-neo4j) and several targets share a line (db up).
	@grep -E '^[a-z0-9][a-z0-9 -]*:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

install:  ## Create .venv with the package and dev tools (uv; installed with pip if missing)
	@command -v $(UV) >/dev/null || python3 -m pip install --quiet uv
	$(UV) sync --all-groups --frozen --compile-bytecode
	@$(UV) run --no-sync python -m compileall -q src/medtwin

fmt: install  ## Format the code
	$(UV) run --no-sync ruff format src tests benchmarks
	$(UV) run --no-sync ruff check --fix src tests benchmarks

lint: install  ## ruff, ruff format --check, mypy --strict
	$(UV) run --no-sync ruff check src tests benchmarks
	$(UV) run --no-sync ruff format --check src tests benchmarks
	$(UV) run --no-sync mypy

db up: install  ## Install (first time) and start the local Neo4j 5.26 + GDS 2.13
	$(MT) db start

down:  ## Stop the local servers (yours and the tests')
	-$(MT) db stop
	-$(TEST_ENV) $(MT) db stop

# `make test` stops the test server afterwards if it started it (KEEP_DB=1 keeps it running).
test: install chromium  ## All tests: unit, API, browser and integration against a real Neo4j + GDS (KEEP_DB=1 keeps the test server up)
	@up=0; $(TEST_ENV) $(MT) db status >/dev/null 2>&1 && up=1; \
	$(TEST_ENV) $(MT) db start || exit $$?; \
	rc=0; $(TEST_ENV) $(UV) run --no-sync pytest -n 2 $(PYTEST_ARGS) || rc=$$?; \
	if [ $$up = 0 ] && [ -z "$(KEEP_DB)" ]; then $(TEST_ENV) $(MT) db stop; fi; \
	exit $$rc

test-reliability: install  ## Fault, fuzz and concurrency suite, with the slow ones (backup/restore)
	$(TEST_ENV) $(MT) db start
	$(TEST_ENV) $(UV) run --no-sync pytest tests/reliability tests/api/test_bounded_input.py \
		tests/unit/patient/test_fuzz_readers.py -m "slow or not slow"

test-unit: install  ## Fast inner loop: no database
	$(UV) run --no-sync pytest -m "not neo4j"

test-neo4j: install  ## Integration tests only
	$(TEST_ENV) $(MT) db start
	$(TEST_ENV) $(UV) run --no-sync pytest -m neo4j

demo: db  ## The main job end to end: load the graph, build twins, rank drugs, write reports
	$(MT) demo --out-dir out/reports
	$(MT) db status

serve: install  ## Run the API on 127.0.0.1:8000 (docs at /docs; keys: medtwin api-key new)
	$(MT) serve

chromium:  ## Headless Chromium for the viewer's browser tests (Debian package; needs root)
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

test-browser: install chromium  ## Viewer end-to-end tests in headless Chromium
	$(TEST_ENV) $(MT) db start
	$(TEST_ENV) $(UV) run --no-sync pytest -m browser

bench: bench-load bench-twin bench-screen bench-cli bench-views bench-api  ## All benchmarks (figures + ratios vs baselines)

bench-load: install  ## MERGE vs bulk (cold, cached) on the real reference; BEFORE=<ref>; SYNTH=10M [PREFIX=1M] synthetic ratio
	$(TEST_ENV) $(MT) db start
	$(TEST_ENV) $(UV) run --no-sync python -m benchmarks.bench_load $(if $(BEFORE),--before $(BEFORE)) \
		$(if $(SYNTH),--synth $(SYNTH)) $(if $(PREFIX),--merge-prefix $(PREFIX)) $(if $(filter-out 0,$(NO_REAL)),--no-real)

bench-twin: install  ## One twin, then every demo twin, vs a networkx baseline
	$(TEST_ENV) $(MT) db start
	$(TEST_ENV) $(UV) run --no-sync python -m benchmarks.bench_twin $(BENCH_TWIN_ARGS)

bench-api: install  ## Ranking page at 10 concurrent clients beside /health: p50/p95/p99, errors; LOAD=1 beside 2 CPU burners (LOAD=0: none), BEFORE=<ref> compares (BEFORE_PYTHON=<venv python>, BEFORE_SERVER=<uvicorn options>)
	$(TEST_ENV) $(MT) db start
	$(TEST_ENV) $(UV) run --no-sync python -m benchmarks.bench_api $(if $(filter-out 0,$(LOAD)),--burners 2) \
		$(if $(BEFORE),--before $(BEFORE)) $(if $(BEFORE_SERVER),--before-server-args "$(BEFORE_SERVER)") \
		$(if $(BEFORE_PYTHON),--before-python $(BEFORE_PYTHON))

bench-demo: install  ## `medtwin demo` fresh (test DB wiped) and rerun; BEFORE=<ref> compares, BASELINE=<file> diffs top-10s
	$(TEST_ENV) $(MT) db start
	$(TEST_ENV) $(UV) run --no-sync python -m benchmarks.bench_demo $(if $(BEFORE),--before $(BEFORE)) \
		$(if $(BASELINE),--baseline $(BASELINE))

bench-cohort: install  ## Latency at 10 vs 10,000 stored twins; resampled real cohort (N=40 on 1 and 2 Dask workers; N=1000: 2 workers; SCALE=0 skips the 10,000; LOG=f.jsonl; KEEP=1 keeps the copies, DROP=1 only deletes them; BEFORE=<ref> runs the cohort with ref's code, then this, compares patients/h and the stored outputs)
	$(TEST_ENV) $(MT) db start
	$(TEST_ENV) $(UV) run --no-sync python -m benchmarks.bench_cohort --patients $(or $(N),$(PATIENTS),40) \
		--workers $(or $(WORKERS),$(if $(N),2,1:2)) --scale $(or $(SCALE),10000) $(if $(LOG),--log $(LOG)) \
		$(if $(filter-out 0,$(KEEP)),--keep) $(if $(filter-out 0,$(DROP)),--drop) $(if $(BEFORE),--before $(BEFORE))

bench-cohort-summary: install  ## `cohort summary` at N=10000 copied patients (kept; DROP=1 deletes); BEFORE=<ref> compares
	$(TEST_ENV) $(MT) db start
	$(TEST_ENV) $(UV) run --no-sync python -m benchmarks.bench_cohort_summary --patients $(or $(N),10000) \
		$(if $(BEFORE),--before $(BEFORE)) $(if $(filter-out 0,$(DROP)),--drop)

bench-screen: install  ## All drugs × 1,000 samples vs one module; 78 gene sets; vs per-drug baseline
	$(UV) run --no-sync python -m benchmarks.bench_screen

bench-proximity: install  ## `rank`'s proximity step (resampling to 100,000) cold and warm, no database; BEFORE=<ref> compares (PAIRS=2)
	$(UV) run --no-sync python -m benchmarks.bench_proximity_step --pairs $(or $(PAIRS),2) $(if $(BEFORE),--before $(BEFORE))

bench-bulk-python: install  ## load --bulk's parse + in-memory MERGE + CSV, garbage collector running vs paused (PAIRS=3)
	$(TEST_ENV) $(UV) run --no-sync python -m benchmarks.bench_bulk_python --pairs $(or $(PAIRS),3)

bench-describe: install  ## `medtwin describe` on the real reference with the counts a load keeps vs counting all; BEFORE=<ref> compares
	$(TEST_ENV) $(MT) db start
	$(TEST_ENV) $(MT) describe --json 2>/dev/null | grep -q '"ncbi_gene_info"' || $(TEST_ENV) $(MT) load
	$(TEST_ENV) $(UV) run --no-sync python -m benchmarks.bench_describe $(if $(BEFORE),--before $(BEFORE))

bench-layout: install  ## Twin drawing layout at 300/800/1,500 nodes: CPU and overlaps; BEFORE=<ref> compares (RUNS=1)
	$(UV) run --no-sync python -m benchmarks.bench_layout --runs $(or $(RUNS),1) $(if $(BEFORE),--before $(BEFORE))

bench-captions: install  ## Report pictures' hub labels over other nodes' dots of the 99 demo twins (no database); BEFORE=<ref> compares
	$(UV) run --no-sync python -m benchmarks.caption_dots $(if $(BEFORE),--before $(BEFORE))

bench-cli: install  ## CLI start-up (--help, db status, rank --help, the data commands) vs `import scanpy`; BEFORE=<ref> compares
	$(TEST_ENV) $(MT) db start
	$(TEST_ENV) $(UV) run --no-sync python -m benchmarks.bench_cli $(if $(BEFORE),--before $(BEFORE))

bench-data: install  ## Every data command of the user guide on the demo database (demo run first if missing): median wall and CPU; BEFORE=<ref> compares and diffs their --json outputs
	$(TEST_ENV) $(MT) db start
	$(TEST_ENV) $(UV) run --no-sync python -m benchmarks.bench_data $(if $(BEFORE),--before $(BEFORE))

bench-delete: install  ## `patient delete` of a fresh copy of a demo patient (RUNS=5, median; db hits of the delete and its check, command wall time) and of COPIES=500 bench copies (demo run first if missing); STRATIFIED=1 gives the copies one stratification run; BEFORE=<ref> compares
	$(TEST_ENV) $(MT) db start
	$(TEST_ENV) $(UV) run --no-sync python -m benchmarks.bench_delete --runs $(or $(RUNS),5) \
		--copies $(or $(COPIES),500) $(if $(STRATIFIED),--stratified) $(if $(BEFORE),--before $(BEFORE))

bench-views: install  ## rank (stored, --top 10), explain, report, twin regulators (also --by cell-type/tissue), export on the demo's twins (demo run first if missing), patient add of 20,000 genes, screen of a 4-set GMT, serve to its first /health and ranking page and a report it serves again; BEFORE=<ref> compares, ONLY=<text> (e.g. serve) times those only
	$(TEST_ENV) $(MT) db start
	$(TEST_ENV) $(UV) run --no-sync python -m benchmarks.bench_views $(if $(BEFORE),--before $(BEFORE)) \
		$(if $(ONLY),--only "$(ONLY)")

validate: install  ## AUROC/AUPRC of the rankings on the development indications (table + ROC PNG)
	$(UV) run --no-sync python -m benchmarks.validate --out out/validation

validate-twins: install  ## Patient pipeline on real data: (a)-(d) with personalisation controls (tables + plot + personal_evidence.json)
	$(UV) run --no-sync python -m benchmarks.validate_twins --out out/validation \
		--evidence-out src/medtwin/platform/personal_evidence.json

evidence-sensitivity: install  ## How fragile each personal gain is: sign-flip p, leave-one-case-out (tables + forest PNG per part)
	$(UV) run --no-sync python -m benchmarks.evidence_sensitivity --out out/validation

validate-stratify: install  ## PEAC pathotypes: ARI of clusters on genes vs TF activities vs PROGENy pathways (table + JSON)
	$(UV) run --no-sync python -m benchmarks.validate_stratify \
		--out out/validation/stratify.json

bench-readers: install  ## Peak RSS of each patient reader on a file at its limit (DE, GMT, FHIR, VCF, cohort, sample sheet, mutations, targets); BEFORE=<ref> compares (same read checked); FHIR_MIB=<n> another bundle size
	$(UV) run --no-sync python -m benchmarks.bench_readers $(if $(BEFORE),--before $(BEFORE)) $(if $(ONLY),--only $(ONLY)) $(if $(FHIR_MIB),--fhir-mib $(FHIR_MIB))

bench-cell-activities: install  ## Activities per cell type / tissue of the demo's h5ad and multi-tissue patients: time, URs
	$(UV) run --no-sync python -m benchmarks.bench_cell_activities

validate-twins-ablation: install  ## The same with each part of the pipeline switched off in turn
	$(UV) run --no-sync python -m benchmarks.validate_twins --ablation --parts ab --out out/validation

clean:  ## Remove caches (not the database)
	rm -rf .pytest_cache .mypy_cache .ruff_cache
