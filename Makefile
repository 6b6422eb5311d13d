# Two commands on a fresh machine: `make run` and `make test`. Only Python 3.11+ and make
# are needed; everything else is installed into .venv from PyPI.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

# The PostgreSQL and Redis that `make test-postgres` uses (pytest creates test_archive).
POSTGRES_TEST_URL ?= postgres://postgres@127.0.0.1:5432/archive
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15

.PHONY: setup run serve test test-postgres lint chromium wrk bench seed clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

setup: $(INSTALLED)

run: setup
	$(PY) manage.py migrate --verbosity 1
	$(PY) manage.py load_seed
	@echo
	@echo "  The archive:  http://127.0.0.1:8000/"
	@echo "  The admin:    http://127.0.0.1:8000/admin/"
	@echo "  An editor account (asks for a password):"
	@echo "      $(PY) manage.py create_editor YOUR-NAME"
	@echo "  An administrator account:  $(PY) manage.py createsuperuser"
	@echo
	$(PY) manage.py runserver 127.0.0.1:8000

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check templates
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test

# The browser tests drive Debian's Chromium (Playwright's own browser download is not used).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# The load test (tests/test_load.py) drives the production stack with Debian's wrk.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing Debian's wrk for the load test"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk; }

test: lint chromium wrk
	$(VENV)/bin/pytest

# The archive at scale (see README, "Performance"); DOCUMENTS=1000000 for a larger run.
DOCUMENTS ?= 100000
bench: setup
	$(PY) manage.py bench --documents $(DOCUMENTS)

# The same suite on PostgreSQL, with the Redis cache (whose database REDIS_TEST_URL names
# is emptied between tests): what production runs.
test-postgres: setup chromium wrk
	DATABASE_URL=$(POSTGRES_TEST_URL) REDIS_URL=$(REDIS_TEST_URL) $(VENV)/bin/pytest

# The production stack on this machine: hashed static files, migrations, gunicorn on
# http://127.0.0.1:8000/, with SQLite in var/ or DATABASE_URL. Over plain HTTP, so no HTTPS
# redirect or secure-only cookies; the secret key is made once and kept in var/.
serve: setup
	@mkdir -p var
	@test -s var/secret-key || $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret-key
	export DJANGO_SETTINGS_MODULE=config.settings.production \
		DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/secret-key)}" \
		DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}" \
		DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}" \
		DJANGO_SECURE_COOKIES="$${DJANGO_SECURE_COOKIES:-0}"; \
	$(PY) manage.py collectstatic --noinput --verbosity 0 && \
	$(PY) manage.py migrate --verbosity 1 && \
	exec $(VENV)/bin/gunicorn -c config/gunicorn.py --bind "$${GUNICORN_BIND:-127.0.0.1:8000}"

# Rebuild fixtures/seed.json after editing fixtures/build_seed.py.
seed: setup
	$(PY) fixtures/build_seed.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
