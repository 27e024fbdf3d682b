# Two commands for a new user on a fresh machine:
#   make run   set up .venv, install casebook, extract the sample corpus into outputs/latest
#   make test  set up .venv with the dev extras, run ruff and the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT ?= outputs/latest

.PHONY: run test install install-dev system-deps lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

system-deps:
	@scripts/system-deps.sh

run: install system-deps
	$(BIN)/casebook extract corpora/ --out $(OUT)
	$(BIN)/casebook evaluate corpora/

lint: install-dev
	$(BIN)/ruff check .

test: install-dev system-deps lint
	$(BIN)/python -m pytest

bench: install-dev
	$(BIN)/python bench/bench_pipeline.py
	$(BIN)/python bench/bench_pdf.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
