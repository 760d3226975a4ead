SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: help install run test load clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

install: $(VENV)/.installed node_modules/.installed ## Install Python and Node dependencies

# pip and setuptools upgraded too: the setuptools that Python 3.11's venv seeds
# (65.5) has known vulnerabilities, and pip-audit checks the whole venv.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools
	$(PY) -m pip install --quiet -e '.[test,demo]'
	touch $@

node_modules/.installed: package.json $(wildcard package-lock.json)
	if [ -f package-lock.json ]; then \
		npm ci --no-audit --no-fund --no-progress --loglevel=error; \
	else \
		npm install --no-audit --no-fund --no-progress --loglevel=error; \
	fi
	touch $@

# DEBUG defaults to 1 for local development; DATABASE_URL etc. come from the environment.
run: export DEBUG ?= 1
run: install ## Migrate, load demo data and start the dev server on 127.0.0.1:8000
	scripts/test-services.sh pdf-libs
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# Lint, security checks, migration check and pytest against throwaway
# PostgreSQL + Redis, which are always stopped afterwards (also on failure);
# then the production smoke run (scripts/prod-smoke.sh: collectstatic, migrate,
# gunicorn, Celery worker and beat with DEBUG=0, walked over HTTP) against the
# same services.
# The layers of the apps are checked by lint-imports (import-linter; the
# contracts are in pyproject.toml, the picture in docs/architecture.md).
# The security checks (bandit, pip-audit, and schemathesis inside pytest) are
# described in docs/security-checks.md.
# pytest runs on every core (pytest-xdist, -n auto): each worker has its own test
# database; tests that must not run side by side (tests/demo, tests/browser, the
# ones on the real Redis) are one xdist_group each, run in order by one worker.
test: install ## Run linters, security checks, migration check and the test suite
	@trap 'scripts/test-services.sh stop || true' EXIT; \
	scripts/test-services.sh start; \
	scripts/test-services.sh browser; \
	if [ "$$(id -u)" = 0 ]; then export PORTAL_BROWSER_TESTS=required; fi; \
	eval "$$(scripts/test-services.sh env)"; \
	export SECRET_KEY=insecure-test-only-key DEBUG=0 PORTAL_BASE_URL=http://testserver; \
	set -x; \
	$(VENV)/bin/ruff check .; \
	$(VENV)/bin/ruff format --check .; \
	$(VENV)/bin/lint-imports; \
	$(VENV)/bin/bandit -c pyproject.toml -r apps config scripts manage.py -q \
		--severity-level medium --confidence-level low; \
	$(PY) scripts/audit_dependencies.py; \
	$(PY) manage.py makemigrations --check --dry-run; \
	$(PY) -m pytest -n auto --dist loadgroup; \
	PY=$(PY) scripts/prod-smoke.sh

# The load test (scripts/load_test.py; README "Performance"): its own throwaway
# PostgreSQL and Redis on other ports than `make test`'s, a database of a
# million questions, gunicorn with DEBUG=0, and wrk. LOAD_ARGS passes options,
# e.g. make load LOAD_ARGS="--mix-duration 0 --workers 4".
LOAD_PG_PORT    ?= 55442
LOAD_REDIS_PORT ?= 56389
load: install ## Load test over HTTP: 1M questions, gunicorn DEBUG=0, wrk (about 25 min)
	@export TEST_PG_PORT=$(LOAD_PG_PORT) TEST_REDIS_PORT=$(LOAD_REDIS_PORT); \
	trap 'scripts/test-services.sh stop || true' EXIT; \
	scripts/test-services.sh start; \
	scripts/test-services.sh wrk; \
	eval "$$(scripts/test-services.sh env)"; \
	$(PY) scripts/load_test.py $(LOAD_ARGS)

clean: ## Remove .venv, node_modules and var/ (stops test services first)
	-scripts/test-services.sh stop
	rm -rf $(VENV) node_modules var
