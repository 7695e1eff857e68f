# Each target bootstraps .venv on a fresh machine (or when pyproject.toml changed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	OSAAMISKARTTA_STORE=$${OSAAMISKARTTA_STORE:-var/store} $(BIN)/osaamiskartta serve

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check service tests
	$(BIN)/ruff format --check service tests

bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	@if [ -d bench ]; then $(BIN)/python -m pytest -q bench; else echo "no benchmarks yet"; fi

clean:
	rm -rf $(VENV) var
