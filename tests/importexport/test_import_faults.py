"""Imports under faults, in real processes on a real database file or server: a killed
import leaves the archive exactly as it was, and an editor who saves while an import
runs waits for it and succeeds."""

import csv
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.support.production import ROOT, environment, manage

# What the archive holds, printed by a process on the database under test: every record
# with its relations (dumpdata) and the rows of every search table.
SNAPSHOT = """
import io
from django.core.management import call_command
from django.db import connection
out = io.StringIO()
call_command("dumpdata", "archive", "auth.user", natural_foreign=True, stdout=out)
print(out.getvalue())
with connection.cursor() as cursor:
    for kind in ("document", "event", "figure"):
        cursor.execute(f"SELECT count(*) FROM archive_{kind}_search")
        print(kind, cursor.fetchone()[0])
"""

EDITOR_SAVES = """
import time
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from archive.models import Document
from tests.support.admin_forms import document_form
started = time.monotonic()
editor = get_user_model().objects.create_user("alice", password="a-long-test-password",
                                              is_staff=True)
editor.groups.add(Group.objects.get(name="Editors"))
client = Client()
client.force_login(editor)
pact = Document.objects.get(slug="molotov-ribbentrop-pact")
response = client.post(f"/admin/archive/document/{pact.pk}/change/",
                       document_form(pact, summary="Saved while an import ran."))
print(response.status_code, round(time.monotonic() - started, 1))
"""


def documents_csv(path, rows):
    """A documents file naming seed figures, with about 2 KB of text a row."""
    text = "Article {n}. The contracting parties undertake to refrain from any act. " * 28
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["identifier", "title", "type", "date", "language", "text", "figures"])
        for n in range(rows):
            writer.writerow(
                [
                    f"BULK-{n}",
                    f"Bulk telegram {n}",
                    "telegram",
                    f"{1922 + n % 19}-0{1 + n % 9}-1{n % 9}",
                    "de",
                    text.format(n=n),
                    "Молотов (recipient); Ribbentrop (sender)",
                ]
            )
    return path


@pytest.fixture
def archive_env(fresh_database):
    """A migrated, seeded archive in its own database, and the environment to reach it."""
    env = environment(DATABASE_URL=fresh_database, DJANGO_SETTINGS_MODULE="config.settings.test")
    for command in (["migrate", "--verbosity", "0"], ["loaddata", "seed", "--verbosity", "0"]):
        result = manage(*command, env=env)
        assert result.returncode == 0, result.stderr
    return env


def snapshot(env):
    result = manage("shell", "-c", SNAPSHOT, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def start_import(path, env):
    return subprocess.Popen(
        [sys.executable, "manage.py", "import_csv", "documents", str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_writing(process, database_url, timeout=60):
    """Block until the import has written rows inside its (uncommitted) transaction."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        if rows_being_written(database_url):
            return
        time.sleep(0.05)
    raise AssertionError("the import never started writing")


def rows_being_written(database_url):
    if database_url.startswith("sqlite:"):
        # Uncommitted pages spill into the write-ahead log as the transaction grows.
        wal = Path(database_url.removeprefix("sqlite:///") + "-wal")
        return wal.exists() and wal.stat().st_size > 1_000_000
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as probe:
        held = probe.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = 'archive_document' AND l.mode = 'RowExclusiveLock' "
            "AND l.pid <> pg_backend_pid()"
        ).fetchone()[0]
    return held > 0


@pytest.mark.django_db
def test_a_killed_import_leaves_the_archive_exactly_as_it_was(
    archive_env, fresh_database, tmp_path
):
    before = snapshot(archive_env)
    importing = start_import(documents_csv(tmp_path / "bulk.csv", 30_000), archive_env)

    wait_until_writing(importing, fresh_database)
    time.sleep(0.5)  # well inside the write: thousands of rows, links and names
    importing.send_signal(signal.SIGKILL)
    importing.wait(timeout=30)

    assert importing.returncode == -signal.SIGKILL
    assert snapshot(archive_env) == before
    # The archive takes the same import afterwards: no lock or half-written row remains.
    retried = manage(
        "import_csv", "documents", str(documents_csv(tmp_path / "few.csv", 3)), env=archive_env
    )
    assert retried.returncode == 0, retried.stderr
    assert "3 created" in retried.stdout


@pytest.mark.sqlite
@pytest.mark.django_db
def test_an_editor_saving_during_an_import_waits_and_succeeds(
    archive_env, fresh_database, tmp_path
):
    assert connection.vendor == "sqlite"
    importing = start_import(documents_csv(tmp_path / "bulk.csv", 6_000), archive_env)
    wait_until_writing(importing, fresh_database)

    editor = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", EDITOR_SAVES],
        cwd=ROOT,
        env=archive_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    imported_out, imported_err = importing.communicate(timeout=120)

    assert importing.returncode == 0, imported_err
    assert "6000 created" in imported_out.replace(",", "")
    assert editor.returncode == 0, editor.stderr
    assert "database is locked" not in editor.stderr
    status, waited = editor.stdout.split()[-2:]
    assert status == "302", editor.stdout
    print(f"the editor's save waited {waited} s for the import to commit")
    check = manage(
        "shell",
        "-c",
        "from archive.models import Document; "
        "print(Document.objects.get(slug='molotov-ribbentrop-pact').summary, "
        "Document.objects.filter(identifier__startswith='BULK-').count())",
        env=archive_env,
    )
    assert check.stdout.splitlines()[-1].split() == [
        "Saved",
        "while",
        "an",
        "import",
        "ran.",
        "6000",
    ]
