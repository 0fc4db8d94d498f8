# The two commands of the README:
#   make run   — set everything up and run the portal (and its task worker) on SQLite with demo data
#   make test  — run every test (PostgreSQL and headless Chromium included)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

# python-ldap (for django-auth-ldap, sign-in with directory accounts) has no wheels: pip
# builds it from source with Debian's headers and compiler. Installed here under root, as
# .ci/run does; otherwise the command to run is printed.
BUILD_DEPS := libldap2-dev libsasl2-dev gcc python3-dev

.PHONY: run test lint format setup build-deps

build-deps:
	@if [ ! -e /usr/include/ldap.h ] || [ ! -e /usr/include/sasl/sasl.h ] || ! command -v gcc >/dev/null \
	  || ! $(PYTHON) -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(sysconfig.get_paths()["include"] + "/Python.h"))'; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Устанавливаю пакеты для сборки python-ldap: $(BUILD_DEPS)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BUILD_DEPS) >/dev/null; \
	  else \
	    echo "Для сборки python-ldap нужны пакеты Debian: sudo apt-get install -y $(BUILD_DEPS)" >&2; exit 1; \
	  fi; \
	fi

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory build-deps
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

# The task worker (long work: portal.jobs) runs beside the server and stops with it.
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Портал: http://$(HOST)/ (фоновые задания выполняет manage.py db_worker, запущенный рядом)"
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST)

test: $(STAMP)
	bash tests/run_all.sh

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .
