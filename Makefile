# Two commands on a fresh machine (only Python >= 3.11 and make): `make demo`, `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Measured 93.6% on the merged tree (wave 1: 95%). Code that runs only in child processes
# (Spark's Python workers, the LocalEngine pool, CLI subprocesses, the console server) is not
# counted; the floor keeps what is measured from falling.
COVERAGE_MIN ?= 93

.PHONY: install test lint typecheck unit demo bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: install
	$(BIN)/ruff check govkit tests bench examples
	$(BIN)/ruff format --check govkit tests bench examples
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

unit: install
	sh tests/ensure_packages.sh
	$(BIN)/pytest -n 2 --dist loadgroup -q --cov=govkit --cov-report=term:skip-covered --cov-fail-under=$(COVERAGE_MIN)

## make test: ruff (lint + format), import-linter layers, mypy strict on code and tests, and the
## whole suite with a coverage gate (database, Spark and browser tests run against the real things)
test: lint typecheck unit

## make demo: the governed pipeline on generated sample data, with the embedded SQLite audit store
demo: install
	$(BIN)/python examples/demo.py

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .govkit examples/out .mypy_cache .ruff_cache .pytest_cache
