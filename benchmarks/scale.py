"""The archive at scale, measured: generated data, imports, raw inserts and page timings.

Used by ``manage.py bench``, which runs it on a scratch database. Everything here writes;
never point it at an archive that matters.
"""

from __future__ import annotations

import csv
import json
import random
import resource
import shutil
import sqlite3
import statistics
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from archive import kinds

TYPES = ["treaty", "telegram", "letter", "memorandum", "report", "directive", "speech"]
EVENT_TYPES = ["negotiation", "conference", "treaty_signing", "appointment", "war"]
ROLES = ["author", "signatory", "recipient", "sender", "mentioned"]
LANGUAGES = ["de", "ru", "en", "fr", "pl"]
# Words in several languages and scripts, so that search and snippets meet real text.
WORDS = (
    "treaty protocol frontier delegation ministry embassy telegram conference army "
    "agreement commission negotiation railway harbour grain credit note reply "
    "Vertrag Abkommen Gesandtschaft Grenze Außenamt Sitzung "
    "договор посольство граница переговоры телеграмма комиссия "
    "traité frontière ambassade négociation"
).split()
RARE_WORD = "zeppelin"
# The share of documents that name one prolific person, FI-0 ("Person 0"): 40,000 of
# 100,000, as one painter's works in a museum's collection.
PROLIFIC_SHARE = 0.4  # in about one document in a thousand
# Date forms as editors type them, certain and uncertain.
DATE_FORMS = [
    "{y}-{m:02d}-{d:02d}",
    "{d} {month} {y}",
    "{month} {y}",
    "{y}",
    "c. {y}",
    "{y}?",
    "early {decade}s",
    "between {y} and {y2}",
    "before {y}",
    "{y}-{m:02d}~",
]
MONTHS = ["January", "March", "May", "August", "October", "December"]


class Generator:
    """Deterministic archive-shaped data for ``documents`` documents."""

    def __init__(self, documents: int, seed: int = 1939):
        self.documents = documents
        self.figures = max(documents // 10, 20)
        self.events = max(documents // 5, 20)
        self.places = max(documents // 200, 10)
        self.organizations = max(documents // 300, 10)
        self.topics = 60
        self.random = random.Random(seed)

    def paragraph(self, words):
        text = " ".join(self.random.choice(WORDS) for _ in range(words))
        if self.random.random() < 0.001:
            text += f" {RARE_WORD}"
        return text.capitalize() + "."

    def date(self):
        y = self.random.randint(1919, 1941)
        return self.random.choice(DATE_FORMS).format(
            y=y,
            y2=y + self.random.randint(1, 4),
            m=self.random.randint(1, 12),
            d=self.random.randint(1, 28),
            month=self.random.choice(MONTHS),
            decade=y // 10 * 10,
        )

    def write_all(self, folder: Path) -> dict[str, Path]:
        writers = {
            "places": self.place_rows,
            "organizations": self.organization_rows,
            "topics": self.topic_rows,
            "figures": self.figure_rows,
            "events": self.event_rows,
            "documents": self.document_rows,
        }
        paths = {}
        for kind in writers:
            paths[kind] = folder / f"{kind}.csv"
            with open(paths[kind], "w", encoding="utf-8", newline="") as stream:
                rows = writers[kind]()
                writer = csv.writer(stream)
                writer.writerows(rows)
        return paths

    def place_rows(self):
        yield ["identifier", "name", "alternative_names", "country", "status"]
        for n in range(self.places):
            yield [f"PL-{n}", f"Place {n}", f"Ort {n}", "Poland", "published"]

    def organization_rows(self):
        yield ["identifier", "name", "alternative_names", "status"]
        for n in range(self.organizations):
            yield [f"OR-{n}", f"Organization {n}", f"Организация {n}", "published"]

    def topic_rows(self):
        yield ["identifier", "name", "status"]
        for n in range(self.topics):
            yield [f"TO-{n}", f"Topic {n}", "published"]

    def figure_rows(self):
        yield ["identifier", "name", "alternative_names", "birth_date", "nationality", "status"]
        for n in range(self.figures):
            yield [
                f"FI-{n}",
                f"Person {n}",
                f"Персона {n}; P. Number{n}",
                str(self.random.randint(1860, 1910)),
                self.random.choice(["German", "Soviet", "French", "Polish"]),
                "published",
            ]

    def event_rows(self):
        yield [
            "identifier",
            "title",
            "type",
            "start_date",
            "places",
            "figures",
            "summary",
            "status",
        ]
        for n in range(self.events):
            yield [
                f"EV-{n}",
                f"{self.paragraph(4)[:-1]} event {n}",
                self.random.choice(EVENT_TYPES),
                self.date(),
                f"PL-{self.random.randrange(self.places)}",
                f"FI-{self.random.randrange(self.figures)} (participant)",
                self.paragraph(30),
                "published",
            ]

    def document_rows(self):
        yield [
            "identifier",
            "title",
            "type",
            "date",
            "language",
            "summary",
            "text",
            "figures",
            "events",
            "places",
            "organizations",
            "topics",
            "status",
        ]
        for n in range(self.documents):
            people = self.random.sample(range(1, self.figures), self.random.randint(2, 4))
            if self.random.random() < PROLIFIC_SHARE:
                people.append(0)  # one person in two documents of five, as a museum's painter
            places = self.random.sample(range(self.places), 2)
            yield [
                f"DOC-{n:07d}",
                f"{self.paragraph(5)[:-1]} no. {n}",
                self.random.choice(TYPES),
                self.date(),
                self.random.choice(LANGUAGES),
                self.paragraph(40),
                "\n\n".join(self.paragraph(90) for _ in range(3)),
                "; ".join(f"FI-{p} ({self.random.choice(ROLES)})" for p in people),
                f"EV-{self.random.randrange(self.events)}",
                "; ".join(f"PL-{p}" for p in places),
                f"OR-{self.random.randrange(self.organizations)}",
                f"TO-{self.random.randrange(self.topics)}",
                "published",
            ]


def raw_insert_rate(documents_csv: Path, folder: Path) -> float:
    """Rows per second of plain sqlite3 executemany into a table shaped like archive_document.

    The ceiling an importer could reach: same columns and indexes, one transaction, no
    validation, no relations.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'archive_document' AND sql IS NOT NULL"
        )
        schema = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT * FROM archive_document LIMIT 0")
        columns = [column[0] for column in cursor.description]
    with open(documents_csv, encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        rows = []
        for number, row in enumerate(reader):
            values = {
                "id": number + 1,
                "slug": f"document-{number}",
                "identifier": row["identifier"],
                "status": row["status"],
                "created": "2026-01-01 00:00:00",
                "modified": "2026-01-01 00:00:00",
                "version": 1,
                "title": row["title"],
                "type": row["type"],
                "language": row["language"],
                "summary": row["summary"],
                "text": row["text"],
                "archival_reference": "",
                "date": row["date"],
                "date_precision": "day",
                "date_approximate": False,
                "date_uncertain": False,
            }
            rows.append(tuple(values.get(column) for column in columns))
    placeholders = ", ".join("?" for _ in columns)

    def run():
        raw_path = folder / "raw.sqlite3"
        raw_path.unlink(missing_ok=True)
        raw = sqlite3.connect(raw_path)
        for statement in schema:
            raw.execute(statement.replace("archive_document", "raw_document"))
        started = time.perf_counter()
        with raw:
            raw.executemany(f"INSERT INTO raw_document VALUES ({placeholders})", rows)
        seconds = time.perf_counter() - started
        raw.close()
        return seconds

    return len(rows) / best_of_three(run)


def best_of_three(run) -> float:
    """The fewest seconds of three runs: a limit is what the machine can do, and a commit
    (a sync of the whole file) varies from run to run with what else the disk is doing."""
    return min(run() for _ in range(3))


def snapshot(folder: Path) -> Path:
    """A copy of the scratch SQLite database as it is now (before the documents' import)."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    copy = folder / "before-import.sqlite3"
    with (
        sqlite3.connect(copy) as target,
        sqlite3.connect(connection.settings_dict["NAME"]) as source,
    ):
        source.backup(target)
    return copy


def imported_writes(before: Path) -> list[tuple[str, str, list]]:
    """(table, INSERT statement, rows) for every row the import added to every table —
    records, link rows, the search index — read from the archive against ``before``."""
    imported = sqlite3.connect(connection.settings_dict["NAME"])
    earlier = sqlite3.connect(before)
    # Ordinary tables and the search tables themselves, not the search tables' storage.
    tables = [
        (name, sql.startswith("CREATE VIRTUAL"))
        for name, sql in earlier.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        if not name.startswith("sqlite_")
        and not (
            name.endswith(("_data", "_idx", "_content", "_docsize", "_config"))
            and "_search_" in name
        )
    ]
    writes = []
    for name, virtual in tables:
        (last,) = earlier.execute(f'SELECT coalesce(max(rowid), 0) FROM "{name}"').fetchone()
        columns = [row[1] for row in earlier.execute(f'PRAGMA table_info("{name}")')]
        if virtual:
            columns = ["rowid", *columns]
        listed = ", ".join(f'"{column}"' for column in columns)
        rows = imported.execute(f'SELECT {listed} FROM "{name}" WHERE rowid > ?', [last]).fetchall()
        if rows:
            insert = f'INSERT INTO "{name}" ({listed}) VALUES ({", ".join("?" * len(columns))})'
            writes.append((name, insert, rows))
    earlier.close()
    imported.close()
    return writes


def sql_floor_seconds(before: Path, writes) -> float:
    """Seconds that plain sqlite3 takes to make ``writes`` (:func:`imported_writes`) in a
    copy of ``before``: executemany, one transaction, the archive's own journal mode (WAL)
    and its checkpoint; the best of three. What the import must do with no Python of its
    own: its speed limit."""

    def run():
        copy = before.with_name("floor.sqlite3")
        shutil.copyfile(before, copy)
        floor = sqlite3.connect(copy, isolation_level=None)
        floor.execute("PRAGMA journal_mode=WAL")
        floor.execute("PRAGMA synchronous=NORMAL")
        started = time.perf_counter()
        floor.execute("BEGIN")
        for _, insert, rows in writes:
            floor.executemany(insert, rows)
        floor.execute("COMMIT")
        seconds = time.perf_counter() - started
        floor.close()
        for path in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
            path.unlink(missing_ok=True)
        return seconds

    return best_of_three(run)


# Pages timed with the cache off: what the first reader of a URL waits for after a change.
NO_CACHE = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}


def page_timings(requests: int, cache: bool = True) -> list[dict]:
    """p50/p95 server time and query count of the public pages, through the test client;
    with the configured cache (warm, after one request) or with no cache at all (cold)."""
    # The pages' own cost is measured: one client repeating searches would meet its budget.
    overrides = {
        "ARCHIVE_SEARCH_RATE": None,
        **({} if cache else {"CACHES": {**settings.CACHES, "default": NO_CACHE}}),
    }
    with override_settings(**overrides):
        return _timed_pages(requests)


def _timed_pages(requests: int) -> list[dict]:
    client = Client(HTTP_HOST="127.0.0.1")
    from archive.models import Document, Figure

    document = Document.objects.published().order_by("pk").first()
    figure = Figure.objects.published().get(identifier="FI-0")  # the prolific person
    pages = Document.objects.published().count() // 20
    urls = [
        "/documents/",
        "/documents/?q=treaty",
        f"/documents/?q={RARE_WORD}",
        "/documents/?type=treaty&language=de",
        "/documents/?type=treaty&language=de&decade=1930&place=place-1",
        "/documents/?date_from=1930&date_to=August+1935",
        f"/documents/?page={min(500, max(pages, 1))}",
        "/search/?q=telegram",
        "/events/",
        "/figures/",
        "/timeline/",
    ]
    details = [document.get_absolute_url(), figure.get_absolute_url()]
    results = []
    for url in urls + details:
        client.get(url)  # warm-up
        times = []
        for _ in range(requests):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
        times.sort()
        results.append(
            {
                "url": url,
                "list": url not in details,
                "p50_ms": statistics.median(times),
                "p95_ms": times[max(0, round(len(times) * 0.95) - 1)],
                "queries": len(queries.captured_queries),
            }
        )
    return results


def run(
    documents: int, folder: Path, requests: int, write, *, cold_requests: int, reuse: bool = False
) -> dict:
    """Generate, import, measure; report through ``write`` and return the summary.

    With ``reuse``, the database already holds an earlier run's records: it is only
    migrated and its pages timed again.
    """
    if reuse:
        call_command("migrate", verbosity=0)
        summary = {"documents": documents, "database": connection.vendor}
        summary.update(measure_pages(requests, write, cold_requests))
        summary.update(beside_prolific_pages(requests))
        write(json.dumps(summary))
        return summary
    started = time.perf_counter()
    paths = Generator(documents).write_all(folder)
    write(
        f"generated {documents:,} documents and their records "
        f"in {time.perf_counter() - started:.1f} s"
    )
    call_command("migrate", verbosity=0)

    baseline_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Every other kind first, documents (the rows timed) last: they name all the others.
    for kind in kinds.in_import_order():
        if kind.prefix != "documents":
            call_command("import_csv", kind.prefix, str(paths[kind.prefix]), verbosity=0)
    before = snapshot(folder) if connection.vendor == "sqlite" else None
    started = time.perf_counter()
    call_command("import_csv", "documents", str(paths["documents"]), verbosity=0)
    import_seconds = time.perf_counter() - started
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    import_rate = documents / import_seconds
    write(f"import_csv documents: {import_seconds:.1f} s, {import_rate:,.0f} rows/s")

    raw_rate = raw_insert_rate(paths["documents"], folder) if connection.vendor == "sqlite" else 0
    if raw_rate:
        write(f"raw sqlite3 executemany: {raw_rate:,.0f} rows/s")

    floor_rate = bare_rate = 0
    if before:
        writes = imported_writes(before)
        floor_rate = documents / sql_floor_seconds(before, writes)
        without_search = [entry for entry in writes if not entry[0].endswith("_search")]
        bare_rate = documents / sql_floor_seconds(before, without_search)
        del writes, without_search
        before.unlink()
        write(
            f"the import's writes as plain sqlite3 executemany: {floor_rate:,.0f} rows/s "
            f"({floor_rate / raw_rate:.3f} of raw); without the search index: "
            f"{bare_rate:,.0f} rows/s ({bare_rate / raw_rate:.3f} of raw)"
        )

    summary = {
        "documents": documents,
        "database": connection.vendor,
        "import_rows_per_s": round(import_rate),
        "raw_insert_rows_per_s": round(raw_rate),
        "import_share_of_raw": round(import_rate / raw_rate, 3) if raw_rate else None,
        "sql_floor_rows_per_s": round(floor_rate),
        "sql_floor_share_of_raw": round(floor_rate / raw_rate, 3) if raw_rate else None,
        "sql_floor_without_search_share_of_raw": round(bare_rate / raw_rate, 3)
        if raw_rate
        else None,
        **measure_pages(requests, write, cold_requests),
        **beside_prolific_pages(requests),
        "peak_rss_mb": round(peak_rss),
        "rss_before_import_mb": round(baseline_rss),
    }
    write(json.dumps(summary))
    return summary


def beside_prolific_pages(requests: int) -> dict:
    """A document's page timed alone, then while five readers keep asking for the prolific
    person's page at once (threads of this process, which share one interpreter: a harder
    test than the production stack's processes). Nothing cached: the first readers."""
    from django.db import connections

    from archive.models import Document, Figure

    document = Document.objects.published().order_by("pk").first().get_absolute_url()
    prolific = Figure.objects.published().get(identifier="FI-0").get_absolute_url()

    def timed(client, url, count):
        times = []
        for _ in range(count):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        return sorted(times)

    with override_settings(CACHES={**settings.CACHES, "default": NO_CACHE}):
        client = Client(HTTP_HOST="127.0.0.1")
        client.get(document)
        alone = timed(client, document, requests)
        stop = threading.Event()
        served = []

        def reader():
            other = Client(HTTP_HOST="127.0.0.1")
            while not stop.is_set():
                served.append(timed(other, prolific, 1)[0])
            connections.close_all()

        readers = [threading.Thread(target=reader) for _ in range(5)]
        for thread in readers:
            thread.start()
        time.sleep(0.5)
        beside = timed(client, document, requests)
        stop.set()
        for thread in readers:
            thread.join()
    return {
        "prolific_documents": Document.objects.filter(figures__identifier="FI-0").count(),
        "document_alone_p50_ms": round(statistics.median(alone), 1),
        "document_beside_five_prolific_p50_ms": round(statistics.median(beside), 1),
        "prolific_under_load_p50_ms": round(statistics.median(served), 1),
    }


def measure_pages(requests: int, write, cold_requests: int) -> dict:
    """Time the pages with the configured cache (each after a warm-up request, as a
    second reader of a URL meets it) and with no cache at all (the first reader after a
    change), print both tables, and summarise the list and search pages: ``search_*``
    with the cache, ``cold_search_*`` without; detail pages apart."""
    summary = {}
    for prefix, cache, times in (("", True, requests), ("cold_", False, cold_requests)):
        if not times:
            continue
        pages = page_timings(times, cache=cache)
        write(
            f"{'page (' + ('cached' if cache else 'no cache') + ')':58} "
            f"{'p50 ms':>8} {'p95 ms':>8} {'queries':>8}"
        )
        for page in pages:
            write(
                f"{page['url'][:58]:58} {page['p50_ms']:8.1f} {page['p95_ms']:8.1f} "
                f"{page['queries']:8}"
            )
        lists = [page for page in pages if page["list"]]
        summary[f"{prefix}search_p50_ms"] = round(
            statistics.median(page["p50_ms"] for page in lists), 1
        )
        summary[f"{prefix}search_p95_ms"] = round(max(page["p95_ms"] for page in lists), 1)
        summary[f"{prefix}search_queries"] = max(page["queries"] for page in pages)
        summary[f"{prefix}detail_p50_ms"] = round(
            max(page["p50_ms"] for page in pages if not page["list"]), 1
        )
    return summary
