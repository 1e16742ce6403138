# The portal's commands. `make run` and `make test` are all a new machine needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LOCK := requirements-dev.lock
# The first Python 3.12 or newer: python3.14, python3.13, python3.12, then python3.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	echo $$p; break; fi; done)
PYTEST_ARGS ?=
DEMO_LOGINS := secretariat@example.org, partner@example.org, donor@example.org (password: coordination-demo)

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_bench

.PHONY: help install run test lint typecheck checks bench bench-reminders lock messages clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): $(LOCK)
	@if [ -z "$(PYTHON)" ]; then \
		echo "Python 3.12 or newer is needed (looked for python3.14, python3.13, python3.12 and python3)."; \
		echo "Install it, or run: make PYTHON=/path/to/python3.12 ..."; exit 1; fi
	@if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the locked dependencies

run: export DEBUG ?= true
run: $(STAMP) ## Set up, migrate, load the demo data and start web, worker and beat
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	@echo ""
	@echo "  Coordination Portal: http://127.0.0.1:8000"
	@echo "  Demo logins: $(DEMO_LOGINS)"
	@echo "  Ctrl-C stops the web server, the worker and beat."
	@echo ""
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho --procfile Procfile start

test: $(STAMP) ## Run the whole test suite (SQLite unless DATABASE_URL says otherwise)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP) ## ruff (lint and format) and the import contracts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=true $(VENV)/bin/lint-imports

typecheck: $(STAMP) ## mypy with django-stubs
	DEBUG=true $(VENV)/bin/mypy

checks: $(STAMP) ## Migrations in step with the models; production settings pass check --deploy; compose file valid
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	DEBUG=false SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
		ALLOWED_HOSTS=portal.example.org \
		$(PY) manage.py check --deploy --fail-level WARNING
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml

bench: $(STAMP) ## Time the directory's pages at scale 1 and 10 on PostgreSQL with wrk (drops BENCH_DATABASE_URL's database)
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk; }
	@pg_isready -h 127.0.0.1 -p 5432 -q || { \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
		for _ in $$(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done; }
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { \
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; \
		for _ in $$(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done; }
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/run.py

bench-reminders: $(STAMP) ## Time 10,000 reminders falling due at once, on PostgreSQL (makes and drops its own database)
	@pg_isready -h 127.0.0.1 -p 5432 -q || { \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
		for _ in $$(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done; }
	$(PY) bench/reminders.py

lock: $(STAMP) ## Re-pin the dependencies from pyproject.toml
	$(VENV)/bin/pip-compile --quiet --strip-extras --generate-hashes --allow-unsafe --no-emit-index-url \
		--no-emit-find-links --no-emit-trusted-host -o requirements.lock pyproject.toml
	$(VENV)/bin/pip-compile --quiet --strip-extras --generate-hashes --allow-unsafe --no-emit-index-url \
		--no-emit-find-links --no-emit-trusted-host --extra dev -o requirements-dev.lock pyproject.toml

messages: $(STAMP) ## Extract translatable strings and compile the catalogues (needs gettext)
	DEBUG=true $(PY) manage.py makemessages --all --no-obsolete --ignore='.venv/*' --ignore='var/*' --ignore='tests/*'
	DEBUG=true $(PY) manage.py compilemessages --ignore='.venv/*'

clean: ## Remove .venv and var/ (the SQLite database, the broker's files)
	rm -rf $(VENV) var
