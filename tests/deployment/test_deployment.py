"""The production stack: settings from the environment, check --deploy, gunicorn with
whitenoise, and the replica router."""

import json
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test.utils import CaptureQueriesContext

from archive.models import Status
from tests.support.factories import DocumentFactory
from tests.support.production import (
    environment,
    free_port,
    manage,
    stack_environment,
    start_gunicorn,
)


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def production_settings(**extra):
    script = (
        "import json; from django.conf import settings; print(json.dumps({"
        "'cache': settings.CACHES['default'], 'databases': settings.DATABASES, "
        "'replica': settings.ARCHIVE_READ_REPLICA, 'storages': settings.STORAGES, "
        "'csrf': settings.CSRF_TRUSTED_ORIGINS, 'middleware': settings.MIDDLEWARE}, default=str))"
    )
    result = manage("shell", "-c", script, env=environment(**extra))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_reads_databases_cache_storage_and_origins_from_the_environment():
    configured = production_settings(
        DATABASE_URL="postgres://archive:secret@db.internal:5432/archive",
        DATABASE_REPLICA_URL="postgres://archive:secret@replica.internal:5432/archive",
        REDIS_URL="redis://cache.internal:6379/0",
        AWS_STORAGE_BUCKET_NAME="archive-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.org",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://archive.example.org",
    )
    assert configured["databases"]["default"]["HOST"] == "db.internal"
    assert configured["databases"]["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert configured["databases"]["replica"]["HOST"] == "replica.internal"
    assert configured["replica"] == "replica"
    assert configured["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert configured["cache"]["LOCATION"] == "redis://cache.internal:6379/0"
    assert configured["storages"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert configured["storages"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert configured["csrf"] == ["https://archive.example.org"]
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in configured["middleware"]


def test_production_defaults_are_one_machine_sqlite_local_memory_and_local_media():
    configured = production_settings()
    assert configured["databases"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert "replica" not in configured["databases"] and configured["replica"] is None
    assert configured["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert configured["storages"]["default"]["BACKEND"].endswith("FileSystemStorage")


def fetch(url, **headers):
    request = urllib.request.Request(url, headers={"Host": "127.0.0.1", **headers})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def test_gunicorn_serves_the_site_and_hashed_compressed_static_files(tmp_path):
    env = stack_environment(
        tmp_path, ["collectstatic", "--noinput"], ["migrate"], WEB_CONCURRENCY="1"
    )
    port = free_port()
    server = start_gunicorn(port, env, subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                status, _, page = fetch(f"{base}/")
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer")
        assert status == 200 and b"What the archive holds" in page
        stylesheet = next(
            line.split('href="')[1].split('"')[0]
            for line in page.decode().splitlines()
            if "stylesheet" in line
        )
        assert len(Path(stylesheet).suffixes) == 2  # site.<hash>.css
        status, headers, _ = fetch(f"{base}{stylesheet}", **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "immutable" in headers["Cache-Control"]
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert '"GET / HTTP/1.1" 200' in output  # the access log, on standard output


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_public_reads_go_to_the_replica_and_editors_to_the_primary(client, settings):
    settings.ARCHIVE_READ_REPLICA = "replica"
    DocumentFactory(title="Non-aggression pact", status=Status.PUBLISHED)

    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        response = client.get("/documents/", {"q": "pact"})
    assert [str(record) for record, _ in response.context["results"]] == ["Non-aggression pact"]
    assert len(replica) > 0 and len(primary) == 0

    user = get_user_model().objects.create_superuser("editor", password="a-long-password-1")
    client.force_login(user)
    for path in ("/admin/archive/document/", "/documents/"):
        with (
            CaptureQueriesContext(connections["replica"]) as replica,
            CaptureQueriesContext(connections["default"]) as primary,
        ):
            assert client.get(path).status_code == 200
        assert len(replica) == 0 and len(primary) > 0, path


@pytest.mark.postgresql
def test_postgresql_connections_do_not_jit_compile_page_queries(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
