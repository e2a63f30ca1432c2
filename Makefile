# savoirs — the two commands: `make run` (serve on http://127.0.0.1:8000) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install interop lint bench clean

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

test: install interop
	$(BIN)/pytest -n 2 --dist loadfile

lint: install
	$(BIN)/ruff check app tests bench

bench: install
	$(BIN)/python -m bench.signing
	$(BIN)/python -m bench.issuance

clean:
	rm -rf $(VENV) var .pytest_cache
