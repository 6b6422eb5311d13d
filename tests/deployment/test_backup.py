"""Backups restore to identical records: the portable JSON into a fresh database of the
same kind, SQLite's online copy, PostgreSQL's pg_dump; media alongside."""

import shutil
import sqlite3
import subprocess

import pytest
from django.core.management import call_command
from django.db import connection

from archive.models import Document, DocumentImage
from archive.records.backups import dsn
from tests.support.csvtools import KINDS_IN_IMPORT_ORDER, export_csv
from tests.support.factories import image_upload
from tests.support.production import environment, manage

# Every kind's export, read back in the restored database in one process.
EXPORT_ALL = (
    "from django.core.management import call_command\n"
    "for kind in {kinds}:\n"
    "    call_command('export_csv', kind, '-o', f'{folder}/{{kind}}.csv')\n"
    "call_command('dumpdata', 'archive', natural_foreign=True, indent=1, "
    "output='{folder}/archive.json')\n"
    "from archive import search; from archive.models import Figure\n"
    "print(list(search.search(Figure, 'Молотов')[0].values_list('name', flat=True)))\n"
    # New records save afterwards: primary-key sequences follow the restored rows.
    "from archive.models import Document\n"
    "new = [Document.objects.create(title='Saved after the restore', date='1941'),\n"
    "       Figure.objects.create(name='Лаврентий Берия', birth_date='1899')]\n"
    "print('saved', [type(r).objects.get(pk=r.pk).pk == r.pk for r in new], new[1].name)\n"
)


def test_a_json_backup_restores_identical_records_and_media(seeded, tmp_path, fresh_database):
    document = Document.objects.get(slug="treaty-of-rapallo")
    DocumentImage.objects.create(document=document, image=image_upload("page-1.png"))
    before = tmp_path / "before"
    before.mkdir()
    for kind in KINDS_IN_IMPORT_ORDER:
        export_csv(kind, before / f"{kind}.csv")
    call_command(
        "dumpdata",
        "archive",
        natural_foreign=True,
        indent=1,
        output=str(before / "archive.json"),
        verbosity=0,
    )

    call_command("backup", str(tmp_path / "backup"), verbosity=0)

    env = environment(DATABASE_URL=fresh_database, DJANGO_SETTINGS_MODULE="config.settings.local")
    assert manage("migrate", "--verbosity", "0", env=env).returncode == 0
    loaded = manage("loaddata", str(tmp_path / "backup" / "data.json"), env=env)
    assert loaded.returncode == 0, loaded.stderr
    after = tmp_path / "after"
    after.mkdir()
    script = EXPORT_ALL.format(kinds=KINDS_IN_IMPORT_ORDER, folder=after)
    exported = manage("shell", "-c", script, env=env)
    assert exported.returncode == 0, exported.stderr

    for kind in KINDS_IN_IMPORT_ORDER:
        assert (after / f"{kind}.csv").read_bytes() == (before / f"{kind}.csv").read_bytes(), kind
    assert (after / "archive.json").read_text() == (before / "archive.json").read_text()
    assert "Vyacheslav Molotov" in exported.stdout  # the restored archive is searchable
    assert "saved [True, True] Лаврентий Берия" in exported.stdout
    image = DocumentImage.objects.get().image.name
    assert (
        tmp_path / "backup" / "media" / image
    ).read_bytes() == document.images.get().image.read()


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_is_a_consistent_copy_of_the_database(tmp_path):
    call_command("loaddata", "seed", verbosity=0)
    call_command("backup", str(tmp_path), verbosity=0)
    copy = sqlite3.connect(tmp_path / "archive.sqlite3")
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        titles = copy.execute("SELECT title FROM archive_document ORDER BY id").fetchall()
        searched = copy.execute(
            "SELECT count(*) FROM archive_figure_search WHERE archive_figure_search MATCH 'Молотов'"
        ).fetchone()
    finally:
        copy.close()
    assert [title for (title,) in titles] == list(
        Document.objects.order_by("id").values_list("title", flat=True)
    )
    assert searched == (1,)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_is_a_pg_dump_that_pg_restore_loads(tmp_path, fresh_database):
    if not shutil.which("pg_restore"):
        pytest.fail("pg_dump and pg_restore are part of the PostgreSQL client tools")
    call_command("loaddata", "seed", verbosity=0)
    call_command("backup", str(tmp_path), verbosity=0)
    target = fresh_database.rsplit("/", 1)[1]
    restore = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--dbname",
            dsn().replace(connection.settings_dict["NAME"], target),
            str(tmp_path / "archive.pgdump"),
        ],
        capture_output=True,
        text=True,
    )
    assert restore.returncode == 0, restore.stderr
    import psycopg

    with psycopg.connect(dsn().replace(connection.settings_dict["NAME"], target)) as restored:
        titles = restored.execute("SELECT title FROM archive_document ORDER BY id").fetchall()
        found = restored.execute(
            "SELECT count(*) FROM archive_figure_search "
            "WHERE vector @@ to_tsquery('archive_names', 'молотов')"
        ).fetchone()
    assert [title for (title,) in titles] == list(
        Document.objects.order_by("id").values_list("title", flat=True)
    )
    assert found == (1,)
