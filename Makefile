# Each target bootstraps .venv on a fresh machine (or when pyproject.toml changed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test lint bench clean web browser virtuoso constraints

# apt-get needs root; on a machine where we are not root, use sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends
VENDOR := service/static/vendor/yasgui
YASGUI_BUILD := web/node_modules/@triply/yasgui/build

# constraints.txt pins every package to the versions tested (see `make constraints`).
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

# The query page's YASGUI, from the npm registry, copied into the service's static files.
$(VENDOR)/.built: web/package.json web/package-lock.json
	command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(APT_INSTALL) nodejs npm; }
	cd web && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	mkdir -p $(VENDOR)
	cp $(YASGUI_BUILD)/yasgui.min.js $(YASGUI_BUILD)/yasgui.min.css \
	   $(YASGUI_BUILD)/yasgui.min.js.LICENSE.txt $(VENDOR)/
	touch $@

web: $(VENDOR)/.built

# Headless Chromium and its driver for the browser tests (Debian packages).
browser:
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -q && $(APT_INSTALL) chromium chromium-driver; }

# Virtuoso Open Source (Debian's package) for the remote-store tests; the tests start their
# own instance on loopback ports, never the system service.
virtuoso:
	@command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -q && $(APT_INSTALL) virtuoso-opensource; }

serve: $(STAMP) web
	OSAAMISKARTTA_STORE=$${OSAAMISKARTTA_STORE:-var/store} $(BIN)/osaamiskartta serve

test: $(STAMP) web browser virtuoso
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check service tests
	$(BIN)/ruff format --check service tests
	$(BIN)/mypy

# Benchmarks (not tests): Markdown tables and PNG charts in bench/results/. wrk is the load
# generator (Debian package). BENCH_ARGS passes options, e.g. BENCH_ARGS="--sizes 100000".
bench: $(STAMP) virtuoso
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,bench]'
	command -v wrk >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(APT_INSTALL) wrk; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var web/node_modules service/static/vendor

# Resolve the newest versions pyproject.toml allows into constraints.txt (pip-tools); run
# `make test` on them before committing the file.
constraints:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --upgrade --extra test --extra bench --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links -o constraints.txt pyproject.toml
