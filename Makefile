# `make run` sets everything up and serves the demo; `make test` sets up and runs every test.
# With DATABASE_URL and CELERY_BROKER_URL set, both use PostgreSQL and Redis.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
export DJANGO_DEBUG ?= 1

.PHONY: run test setup install sysdeps browser oidc messages migrate demo lint bench clean

run: setup
	@$(PY) manage.py setup_demo
	@echo "Læringsmiljø kjører på http://127.0.0.1:8000/ (Ctrl+C avslutter)"
	$(PY) manage.py runserver 127.0.0.1:8000

test: install sysdeps browser oidc messages
	$(VENV)/bin/pytest

setup: install sysdeps messages migrate

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Læringsmiljø trenger Python 3.11.")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

sysdeps:
	@.ci/system-deps

# Chromium for the browser tests (tests/e2e). SKIP_E2E=1 runs the rest without them.
browser:
	@if [ -n "$$SKIP_E2E" ] && [ "$$SKIP_E2E" != 0 ]; then \
	  echo "SKIP_E2E er satt: nettlesertestene hoppes over."; \
	else \
	  .ci/system-deps --browser || { \
	    echo "Nettlesertestene trenger Chromium. Sett SKIP_E2E=1 for å kjøre resten uten dem." >&2; \
	    exit 1; }; \
	fi

# The OpenID Connect provider the sign-in tests run on 127.0.0.1 (tests/oidc): Node, and the
# npm packages pinned in its package-lock.json.
oidc: tests/oidc/node_modules/.installed

tests/oidc/node_modules/.installed: tests/oidc/package.json tests/oidc/package-lock.json
	@.ci/system-deps --oidc
	cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

messages: install
	@$(PY) manage.py compilemessages --ignore=.venv -v0

migrate: install
	$(PY) manage.py migrate --no-input -v0

demo: migrate
	$(PY) manage.py setup_demo

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# The benchmarks under production settings on a temporary PostgreSQL database (.ci/bench);
# `make bench BENCH="pages letters"` runs some of them.
bench: install messages
	.ci/bench $(BENCH)

clean:
	rm -rf $(VENV) var db.sqlite3
