"""Benchmark the archive at scale on a scratch database (never the configured one)."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

SCRATCH = "ARCHIVE_BENCH_SCRATCH"


class Command(BaseCommand):
    help = (
        "Generate N documents with their records, import them with import_csv, time raw "
        "inserts and the public pages; the last line of output is a JSON summary."
    )

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=100_000)
        parser.add_argument("--requests", type=int, default=30, help="Requests per page.")
        parser.add_argument(
            "--cold-requests",
            type=int,
            help="Requests per page with no cache (default: --requests); at a million "
            "records each is a full count and ranking.",
        )
        parser.add_argument(
            "--database-url",
            help="A scratch database to fill (it is emptied); default: a new SQLite file.",
        )
        parser.add_argument("--keep", help="Keep the generated files and database in this folder.")
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Time the pages again on the database an earlier --keep run left (or on "
            "--database-url) without generating or importing anything.",
        )

    def handle(
        self, *args, documents, requests, cold_requests, database_url, keep, reuse, **options
    ):
        cold_requests = requests if cold_requests is None else cold_requests
        if os.environ.get(SCRATCH):
            from benchmarks import scale as benchmark

            benchmark.run(
                documents,
                Path(os.environ[SCRATCH]),
                requests,
                self.stdout.write,
                reuse=reuse,
                cold_requests=cold_requests,
            )
            return
        if reuse and not (keep or database_url):
            raise CommandError("--reuse needs the --keep folder or the --database-url to reuse.")
        # Re-run in a child process whose settings point at the scratch database, so the
        # archive this command was started from is never touched.
        folder = Path(keep or tempfile.mkdtemp(prefix="archive-bench-"))
        folder.mkdir(parents=True, exist_ok=True)
        database = folder / "bench.sqlite3"
        if reuse and not database_url and not database.exists():
            raise CommandError(f"No database to reuse in {folder}.")
        if not reuse:
            database.unlink(missing_ok=True)
        env = {
            **os.environ,
            SCRATCH: str(folder),
            "DATABASE_URL": database_url or f"sqlite:///{database}",
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
        }
        if database_url and not reuse:
            flush = [sys.executable, "manage.py", "flush", "--no-input"]
            subprocess.run(flush, env=env, check=False, capture_output=True)
        command = [sys.executable, "manage.py", "bench", "--documents", str(documents)]
        command += ["--requests", str(requests), "--cold-requests", str(cold_requests)]
        command += ["--reuse"] if reuse else []
        result = subprocess.run(command, env=env, cwd=Path(__file__).resolve().parents[3])
        if result.returncode:
            raise CommandError("The benchmark failed; see above.")
