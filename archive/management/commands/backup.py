"""Back up the archive into a folder: the data in portable JSON, the database's own copy
of itself, and the uploaded media.

- ``data.json``: ``dumpdata`` with natural foreign keys (content types, permissions and
  users by name, so it loads into a fresh database of either kind): restore with
  ``manage.py migrate`` then ``manage.py loaddata DIR/data.json``.
- ``archive.sqlite3`` (SQLite, ``VACUUM INTO``: a consistent copy taken while the site
  runs) or ``archive.pgdump`` (PostgreSQL, ``pg_dump --format=custom``, restored with
  ``pg_restore``; written when pg_dump is installed).
- ``media/``: scans and portraits, when they are stored on this machine.

A backup holds the accounts with their password hashes, and the database copy holds the
sessions too: the folder is made 0700 and every file in it 0600, readable by the owner only.
"""

import os
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from archive.records.backups import dsn

# Rebuilt by migrate, or session state that need not survive a restore.
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]


class Command(BaseCommand):
    help = "Back up the data (JSON), the database file or dump, and the media into a folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Where to write the backup; made if missing.")

    def handle(self, *args, folder, **options):
        started = time.monotonic()
        folder = Path(folder)
        with owner_only():
            folder.mkdir(parents=True, exist_ok=True)
            # Closed before anything is written into it, also when it existed already.
            folder.chmod(FOLDER_MODE)
            call_command(
                "dumpdata",
                natural_foreign=True,
                exclude=EXCLUDED,
                indent=1,
                output=str(folder / "data.json"),
                verbosity=0,
            )
            written = ["data.json", self._database_copy(folder)]
            media = Path(settings.MEDIA_ROOT)
            if isinstance(default_storage, FileSystemStorage) and media.exists():
                # Copied without the originals' modes (copy2 would keep them world-readable).
                shutil.copytree(
                    media, folder / "media", copy_function=shutil.copyfile, dirs_exist_ok=True
                )
                written.append("media/")
            restrict(folder)  # what an earlier backup left, and copytree's folder modes
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Backed up to {folder}: {', '.join(filter(None, written))} ({seconds:.1f} s)."
        )

    def _database_copy(self, folder):
        if connection.vendor == "sqlite":
            if connection.in_atomic_block:
                self.stderr.write("Inside a transaction: no archive.sqlite3 written.")
                return None
            target = folder / "archive.sqlite3"
            target.unlink(missing_ok=True)  # VACUUM INTO refuses to overwrite
            # A consistent, compacted copy while the site keeps running (WAL readers and
            # writers carry on).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [str(target)])
            return target.name
        if connection.vendor == "postgresql":
            if not shutil.which("pg_dump"):
                self.stderr.write("pg_dump is not installed: no archive.pgdump written.")
                return None
            target = folder / "archive.pgdump"
            result = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", "--dbname", dsn()],
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
            return target.name
        return None


FOLDER_MODE = 0o700
FILE_MODE = 0o600


@contextmanager
def owner_only():
    """Files and folders made meanwhile (by this process and pg_dump) are the owner's only."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def restrict(folder):
    """Make every folder under ``folder`` 0700 and every file 0600."""
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(FOLDER_MODE if path.is_dir() else FILE_MODE)
