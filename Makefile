# Two commands on a fresh machine: `make run` and `make test`. Only Python 3.11+ and make
# are needed; everything else is installed into .venv from PyPI.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: setup run test lint chromium bench seed clean

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

test: lint chromium
	$(VENV)/bin/pytest

# The archive at scale (see README, "Performance"); DOCUMENTS=1000000 for a larger run.
DOCUMENTS ?= 100000
bench: setup
	$(PY) manage.py bench --documents $(DOCUMENTS)

# Rebuild fixtures/seed.json after editing fixtures/build_seed.py.
seed: setup
	$(PY) fixtures/build_seed.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
