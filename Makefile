# savoirs — the two commands: `make run` (serve on http://127.0.0.1:8000) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install interop lint typecheck bench soak load clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/savoirs serve

interop:
	@if [ -f interop/setup.sh ]; then bash interop/setup.sh; fi

# One gate: lint (ruff over the whole tree, unused noqa included), types (mypy --strict over app/), then the whole
# suite with branch coverage and its floor; warnings are errors (pyproject.toml).
test: install interop lint typecheck
	$(BIN)/pytest -n 2 --dist loadfile --cov=app --cov-branch --cov-report=term:skip-covered --cov-fail-under=$(COVERAGE_FLOOR)

COVERAGE_FLOOR ?= 93

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

bench: install interop
	$(BIN)/python -m bench.signing
	$(BIN)/python -m bench.issuance
	$(BIN)/python -m bench.verify_own
	$(BIN)/python -m bench.search
	$(BIN)/python -m bench.award_cost
	$(BIN)/python -m bench.status_list
	$(BIN)/python -m bench.served
	$(BIN)/python -m bench.verify_peers

# Issue 18's load rounds (L1-L3) against `savoirs serve` on PostgreSQL, driven by locust (LOAD_SECONDS a round).
load: install
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[load]'
	$(BIN)/python -m bench.load

# The long versions of what `make test` runs briefly (issue 18): a million fuzzing executions per target (the corpus
# kept in var/fuzz between runs), and schemathesis with SOAK_EXAMPLES cases per operation.
FUZZ_TARGETS := png_unbake svg_unbake compact_jws verify_intake csv_rows
soak: install interop
	$(BIN)/python -m fuzz.seeds var/fuzz
	for target in $(FUZZ_TARGETS); do \
	  $(BIN)/python -m fuzz.run $$target var/fuzz/$$target -runs=1000000 -timeout=2 -rss_limit_mb=256 \
	    -max_len=65536 -artifact_prefix=var/fuzz/ -print_final_stats=1 || exit 1; \
	done
	SOAK_EXAMPLES=1000 $(BIN)/pytest -q tests/api/test_schemathesis.py

clean:
	rm -rf $(VENV) var .pytest_cache
