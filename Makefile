# Safehold: `make run` to try it, `make test` to test it. Everything installs from lockfiles.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SAFEHOLD := $(BIN)/safehold
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-browser test-example setup migrate demo lint format clean browser-deps system-deps

# The lock is complete, so pip installs exactly it with --no-deps and resolves nothing (pip 23's
# resolver otherwise looks past a pin for an extra, e.g. fonttools[woff], and refuses the lock
# once a newer release is out); pip check then proves the set is consistent. The stamp is
# written only once everything installed, so a failed install is retried.
$(VENV)/.installed: requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Safehold needs $(PYTHON) (Python 3.11+) on PATH"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements.lock
	$(BIN)/pip check
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(VENV)/.installed

node_modules/.package-lock.json: package-lock.json package.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch node_modules/.package-lock.json

build/static/safehold/safehold.css: node_modules/.package-lock.json safehold/core/scss/safehold.scss
	npm run --silent build

# WeasyPrint (PDFs) needs Pango from Debian and subsets fonts with HarfBuzz's subsetter (without
# it WeasyPrint falls back to fontTools, a little slower, warning on every PDF that the fallback
# will go), and the tests read PDFs back with poppler's pdftotext (enforcement bundles draw uploaded
# PDFs' pages with its pdftoppm at run time, ADR 0044); linkage on Spark (pyspark 4, ADR 0056)
# needs Java 17 or later: Debian's headless runtime. All are installed when missing if we are root.
system-deps:
	@{ ldconfig -p | grep -q libpangoft2-1.0.so.0 && ldconfig -p | grep -q libharfbuzz-subset.so.0 && command -v pdftotext >/dev/null; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation poppler-utils >/dev/null; \
	  else echo "Install Pango, HarfBuzz's subsetter and poppler: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils"; exit 1; fi; }
	@java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])' || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	  else echo "Install Java 17 (linkage on Spark): sudo apt-get install openjdk-17-jre-headless"; exit 1; fi; }

setup: system-deps $(VENV)/.installed build/static/safehold/safehold.css

migrate: setup
	$(SAFEHOLD) migrate --noinput

demo: migrate
	$(SAFEHOLD) demo load

# The server in the foreground and a worker beside it (it imports the uploads: ADR 0030); the
# worker stops when the server does (Ctrl+C reaches both; the trap covers any other end).
# It prints the address it serves (HOST and PORT, localhost for 0.0.0.0), and answers on it:
# HOST is added to ALLOWED_HOSTS (DEBUG is off, so Django checks them).
run: demo
	@$(SAFEHOLD) demo sign-ins --address http://$(if $(filter 0.0.0.0,$(HOST)),localhost,$(HOST)):$(PORT)
	@export ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost,$(HOST)}"; \
	$(SAFEHOLD) worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(SAFEHOLD) runserver $(HOST):$(PORT)

# Browser tests need Debian's Chromium (never a downloaded browser).
browser-deps:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Debian's chromium package: sudo apt-get install chromium"; exit 1; fi; }

# The suite on every core (each worker has its own test database), then the browser tests in
# one process (they share one demo server; ADR 0023).
PYTEST_WORKERS ?= --numprocesses=logical --maxprocesses=4

# BROWSER=no leaves the browser tests out: CI runs them once, last, against PostgreSQL (ADR 0047).
BROWSER ?= yes

test: setup browser-deps
	$(BIN)/pytest -q $(PYTEST_WORKERS) -m "not browser"
	$(MAKE) --no-print-directory test-example
	@if [ "$(BROWSER)" = no ]; then echo "Browser tests left out (BROWSER=no)"; else $(BIN)/pytest -q -m browser; fi

# The worked example of docs/how-to/add-a-module.md (safehold/example), installed only by its
# settings: its own tests, and the shared access, audit and leak tests with its pages included
# (their cases for the product's own URLs are left out: `make test` ran them; ADR 0047).
EXAMPLE_TESTS := safehold/example safehold/core/tests/test_access.py \
	safehold/core/tests/test_audited_reads.py safehold/core/tests/test_no_leaks.py \
	safehold/core/tests/test_partial_sharing.py safehold/sharing/tests/test_row_level_security.py

test-example: setup
	$(BIN)/pytest -q $(PYTEST_WORKERS) --ds=config.settings.example $(EXAMPLE_TESTS)

test-browser: setup browser-deps
	$(BIN)/pytest -q -m browser

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules build var
