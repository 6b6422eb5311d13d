import uuid

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from archive.records.backups import dsn
from tests.support.factories import UserFactory

VENDORS = {"sqlite", "postgresql"}


def pytest_report_header(config):
    cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return f"database: {connection.vendor}; cache: {cache_backend}"


def pytest_collection_modifyitems(config, items):
    """Tests marked ``sqlite`` or ``postgresql`` run on that database only (`make test`,
    `make test-postgres`); each says why it is skipped on the other."""
    for item in items:
        for vendor in VENDORS & {mark.name for mark in item.iter_markers()}:
            if vendor != connection.vendor:
                item.add_marker(pytest.mark.skip(reason=f"{vendor} behaviour; run on {vendor}"))


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached pages never leak from one test (whose writes were rolled back) to the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def editor(db):
    """A staff account in the Editors group, as `create_editor` makes it."""
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def seeded(db):
    call_command("loaddata", "seed", verbosity=0)


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of a new, empty database of the kind the tests run on."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    name = f"archive_restore_{uuid.uuid4().hex[:8]}"
    settings = connection.settings_dict
    admin = psycopg.connect(dsn().replace(settings["NAME"], "postgres"), autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    user, host, port = settings["USER"], settings["HOST"], settings["PORT"] or 5432
    try:
        yield f"postgres://{user}@{host}:{port}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
