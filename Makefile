# Two commands for a new user: `make serve` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8050
WEB_WORKERS ?= 2
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve test bench demo-data chromium install install-test clean-data

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

# Builds the synthetic demo snapshot when DATA_CACHE_DIR has none yet.
demo-data: install
	$(BIN)/python -m dashboard demo --if-missing

serve: demo-data
	$(BIN)/gunicorn --no-control-socket --workers $(WEB_WORKERS) --threads 4 \
	  --bind 127.0.0.1:$(PORT) --timeout 60 app:server

test: install-test chromium
	$(BIN)/python -m pytest -q tests

bench: install-test
	$(BIN)/python -m bench.run

clean-data:
	rm -rf data_cache
