# Two commands for a new user: `make serve` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8050
WEB_WORKERS ?= 2
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve test test-fast lint bench bench-browser bench-load bench-scale loadtest demo-data geo-data demo-refresh chromium nginx install install-test clean-data plotly-bundle

install: $(VENV)/.installed
install-test: $(VENV)/.test-installed

$(VENV)/.installed: requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.test-installed: requirements-test.txt $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@touch $@

# Debian's chromium for the browser tests; never a browser downloaded by a test tool.
chromium:
	@test -x /usr/bin/chromium || { echo "Installing Debian's chromium for the browser tests..."; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# Debian's nginx as the load balancer of the two-server test and `make bench-scale` (devtools/load_balancer.py
# runs it as a child process with its files in a temporary folder; the system's nginx service is not used).
nginx:
	@test -x /usr/sbin/nginx || { echo "Installing Debian's nginx for the two-server test..."; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx >/dev/null; }

# Builds the synthetic demo snapshot when DATA_CACHE_DIR has none yet.
demo-data: install
	$(BIN)/python -m dashboard demo --if-missing

# A refresh without internet: a local fake of the OpenFEC API (127.0.0.1, synthetic data from the
# demo generator) serves while one cycle is refreshed into DATA_CACHE_DIR, then stops.
# `make serve` then shows the refreshed snapshot.
DEMO_REFRESH_ROWS ?= 100000
demo-refresh: install
	$(BIN)/python -m devtools.fake_openfec --rows $(DEMO_REFRESH_ROWS) --hourly-limit 100000 -- \
	  env FEC_HOURLY_BUDGET=100000 $(BIN)/python -m dashboard refresh --cycle 2026

# District boundaries for the maps and the ZCTA-to-district pairs for in-district money: the cache,
# else the copies next to the project (offline demo), else a download from the Census Bureau. Not
# fatal: without them the maps are tile grids and in-district money says how to get it. Run before
# the demo, whose donors then live in real ZIP codes of their states.
SHARED_GEO := ../shared/data/geo/us_cd119_2024_20m.geojson
SHARED_ZCTA := ../shared/data/geo/zcta/zccd_119_OpenSourceActivismTech.csv
SHARED_ZIPS := ../shared/data/geo/zcta/ZIPCodetoZCTACrosswalk2021UDS.sheet1.csv
geo-data: install
	-$(BIN)/python -m dashboard geo --if-missing $(if $(wildcard $(SHARED_GEO)),--from $(SHARED_GEO)) \
	  $(if $(wildcard $(SHARED_ZCTA)),--zcta-from $(SHARED_ZCTA)) $(if $(wildcard $(SHARED_ZIPS)),--zip-crosswalk $(SHARED_ZIPS))

serve: geo-data demo-data
	$(BIN)/gunicorn --no-control-socket --workers $(WEB_WORKERS) --threads 4 \
	  --bind 127.0.0.1:$(PORT) --timeout 60 app:server

# Everything: lint, then unit, integration and browser tests (no marker left out).
test: install-test chromium nginx lint
	$(BIN)/python -m pytest -q tests

# The day-to-day loop: unit tests without the slow ones (no browser, no subprocesses), under two minutes.
test-fast: install-test
	$(BIN)/python -m pytest -q tests/unit -m "not e2e and not slow"

# pip-audit over .venv against a vulnerability database file (OSV's PyPI export at AUDIT_DB, default
# audit/osv-PyPI.zip), so it runs offline; exits 2 saying "could not check anything" without one.
# `make audit-refresh` downloads the file (needs internet). Not part of `make test`.
.PHONY: audit audit-refresh
audit: install-test
	$(BIN)/pip check
	$(BIN)/python -m devtools.audit

audit-refresh: install-test
	$(BIN)/python -m devtools.audit --refresh

# ruff's settings are in pyproject.toml; `ruff format .` and `ruff check --fix .` repair most findings.
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Then the browser section: bytes and ms of the map's switches and each page's first load, in chromium
# against gunicorn over a small demo snapshot of its own (bench/browser_results.txt).
bench: install-test chromium
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.browser

bench-browser: install-test chromium
	$(BIN)/python -m bench.browser

# The partial plotly.js the charts load (dashboard/app/static/plotly/, committed): plotly.js with only the
# trace types in devtools/plotly_bundle/traces.json. Rebuild after changing that list or upgrading plotly
# (the plotly.js version in devtools/plotly_bundle/package.json must be the one the plotly package ships).
# Needs node and npm; serving and testing the app never do.
plotly-bundle:
	cd devtools/plotly_bundle && npm ci --ignore-scripts --no-audit --no-fund && node build.mjs

# Bulk-load benchmark: writes the demo's data as FEC bulk files (10M and 40M itemized rows) and loads
# them; reports rows/s, peak memory and disk use (bench/load_results.json). BENCH_DATA_DIR, when set,
# supplies the 40M demo data instead of generating it. Not part of `make test` (it takes a while).
bench-load: install-test
	$(BIN)/python -m bench.load $(if $(BENCH_DATA_DIR),--source $(BENCH_DATA_DIR))

# Issue 17's figures over a demo snapshot of its own (200,000 rows; a few minutes): one server against two
# behind nginx, each while a new snapshot is published (req/s, p50/p95, failed requests); latency with and
# without the store; upload and follow times (bench/scale_results.txt; docs/scaling.md). Not part of `make test`.
bench-scale: install-test nginx
	$(BIN)/python -m bench.scale

# The load and abuse suite (issue 16): locust against gunicorn over a demo snapshot of its own, bounded in
# time (about 5 minutes): 50 clients on map switches, race pages and the API with the answer cache off
# then on, a cheap request beside 16 costly searches and beside 8 slow export readers, large bodies, ten
# concurrent exports with the workers' memory sampled (bench/loadtest_results.txt). Not part of `make test`.
loadtest: install-test
	$(BIN)/python -m bench.loadtest

clean-data:
	rm -rf data_cache
