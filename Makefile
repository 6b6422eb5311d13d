# Two commands on a fresh machine: `make run` and `make test`. Only Python 3.11+ and make
# are needed; everything else is installed into .venv from PyPI.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

# The PostgreSQL and Redis that `make test-postgres` uses (pytest creates test_archive).
POSTGRES_TEST_URL ?= postgres://postgres@127.0.0.1:5432/archive
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15

.PHONY: setup run serve test test-postgres lint chromium wrk bench load seed clean

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
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test

# Installs Debian's package $(1) unless its command is already there (as root, or with sudo).
define debian_package
	@command -v $(1) >/dev/null 2>&1 || { \
		echo "Installing Debian's $(1) for the tests"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(1); }
endef

# The browser tests drive Debian's Chromium (Playwright's own browser download is not used).
chromium:
	$(call debian_package,chromium)

# The load tests (tests/deployment/test_load.py, `make load`) drive the production stack with
# Debian's wrk.
wrk:
	$(call debian_package,wrk)

test: lint chromium wrk
	$(VENV)/bin/pytest

# The archive at scale (see README, "Performance"); DOCUMENTS=1000000 for a larger run.
DOCUMENTS ?= 100000
bench: setup
	$(PY) manage.py bench --documents $(DOCUMENTS)

# The production stack under load: gunicorn as `make serve` runs it, on the archive that
# LOAD_DATABASE_URL names (e.g. the SQLite file `manage.py bench --keep DIR` leaves in DIR),
# driven by wrk from this machine for LOAD_SECONDS with LOAD_CONNECTIONS connections, on a
# document's page and on a faceted list. Reports requests/s, latency percentiles and errors.
LOAD_DATABASE_URL ?= sqlite:///$(CURDIR)/var/db.sqlite3
LOAD_SECONDS ?= 30
LOAD_CONNECTIONS ?= 8
LOAD_BIND ?= 127.0.0.1:8765
LOAD_LIST ?= /documents/?type=treaty&language=de&decade=1930
load: setup wrk
	@mkdir -p var
	@test -s var/secret-key || $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret-key
	export DJANGO_SETTINGS_MODULE=config.settings.production DATABASE_URL="$(LOAD_DATABASE_URL)" \
		DJANGO_SECRET_KEY="$$(cat var/secret-key)" DJANGO_ALLOWED_HOSTS=127.0.0.1 \
		DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 GUNICORN_LOG_LEVEL=warning; \
	$(PY) manage.py collectstatic --noinput --verbosity 0 && \
	$(PY) manage.py migrate --verbosity 0 && \
	detail=$$($(PY) manage.py shell --no-imports -c "from archive.models import Document; \
		print(Document.objects.published().order_by('pk').first().get_absolute_url())") && \
	{ $(VENV)/bin/gunicorn -c config/gunicorn.py --bind $(LOAD_BIND) --access-logfile /dev/null & \
	  server=$$!; trap "kill $$server" EXIT; \
	  until $(PY) -c "import urllib.request; urllib.request.urlopen('http://$(LOAD_BIND)/')" \
		2>/dev/null; do sleep 1; done; \
	  for url in "$$detail" "$(LOAD_LIST)"; do \
		echo "== http://$(LOAD_BIND)$$url"; \
		wrk --latency -t 2 -c $(LOAD_CONNECTIONS) -d $(LOAD_SECONDS)s "http://$(LOAD_BIND)$$url"; \
	  done; }

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
