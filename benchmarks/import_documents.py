"""Benchmark: import a generated 100,000-row documents CSV into a fresh SQLite archive.

    .venv/bin/python benchmarks/import_documents.py [--rows 100000] [--keep DIR]

Generates a file like a real catalogue export (about 2.4 KB of text per row, two to
four people with roles, places, organisations and topics per row), migrates a new
SQLite database in a temporary folder, imports the file with ``import_csv`` and prints
rows per second and peak memory (ru_maxrss of this process). Then imports the same file
again, which must leave every row unchanged.
"""

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIGURES, PLACES, ORGANIZATIONS, TOPICS, EVENTS = 2_000, 500, 300, 60, 5_000
TYPES = ["treaty", "telegram", "letter", "memorandum", "report", "directive", "speech"]
ROLES = ["author", "signatory", "recipient", "sender", "mentioned"]
WORDS = (
    "treaty protocol frontier delegation ministry embassy telegram conference army "
    "agreement commission negotiation railway harbour grain credit note reply"
).split()


def generate(path, rows, seed=1939):
    randomizer = random.Random(seed)

    def paragraph(words):
        return " ".join(randomizer.choice(WORDS) for _ in range(words)).capitalize() + "."

    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(
            [
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
        )
        for number in range(rows):
            people = randomizer.sample(range(FIGURES), randomizer.randint(2, 4))
            writer.writerow(
                [
                    f"DOC-{number:06d}",
                    f"{paragraph(5)[:-1]} no. {number}",
                    randomizer.choice(TYPES),
                    f"{randomizer.randint(1919, 1941)}-{randomizer.randint(1, 12):02d}-"
                    f"{randomizer.randint(1, 28):02d}",
                    randomizer.choice(["de", "ru", "en", "fr"]),
                    paragraph(40),
                    "\n\n".join(paragraph(90) for _ in range(3)),
                    "; ".join(f"Person {p} ({randomizer.choice(ROLES)})" for p in people),
                    f"EV-{randomizer.randrange(EVENTS)}",
                    "; ".join(f"Place {p}" for p in randomizer.sample(range(PLACES), 2)),
                    f"Organization {randomizer.randrange(ORGANIZATIONS)}",
                    f"Topic {randomizer.randrange(TOPICS)}",
                    "published",
                ]
            )


def create_authorities():
    from archive.models import Event, Figure, Organization, Place, Topic

    Figure.objects.bulk_create(
        Figure(name=f"Person {n}", slug=f"person-{n}", sort_name=f"{n}") for n in range(FIGURES)
    )
    Place.objects.bulk_create(Place(name=f"Place {n}", slug=f"place-{n}") for n in range(PLACES))
    Organization.objects.bulk_create(
        Organization(name=f"Organization {n}", slug=f"organization-{n}")
        for n in range(ORGANIZATIONS)
    )
    Topic.objects.bulk_create(Topic(name=f"Topic {n}", slug=f"topic-{n}") for n in range(TOPICS))
    Event.objects.bulk_create(
        Event(title=f"Event {n}", slug=f"event-{n}", identifier=f"EV-{n}") for n in range(EVENTS)
    )


def timed_import(path):
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("import_csv", "documents", str(path))
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", help="Keep the CSV file and database in this folder.")
    options = parser.parse_args()

    folder = Path(options.keep or tempfile.mkdtemp(prefix="archive-benchmark-"))
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "benchmark.sqlite3"
    database.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

    import django

    django.setup()
    from django.core.management import call_command

    from archive.models import Document, DocumentFigure

    path = folder / "documents.csv"
    started = time.perf_counter()
    generate(path, options.rows)
    size = path.stat().st_size
    print(
        f"generated {options.rows:,} rows ({size / 1e6:.0f} MB) in "
        f"{time.perf_counter() - started:.1f} s: {path}"
    )

    call_command("migrate", verbosity=0)
    create_authorities()
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    seconds = timed_import(path)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"first import: {seconds:.1f} s, {options.rows / seconds:,.0f} rows/s; "
        f"{Document.objects.count():,} documents, {DocumentFigure.objects.count():,} people links"
    )
    print(
        f"peak memory (ru_maxrss): {peak / 1024:.0f} MB (before the import: "
        f"{baseline / 1024:.0f} MB)"
    )

    seconds = timed_import(path)
    print(f"second import (all unchanged): {seconds:.1f} s, {options.rows / seconds:,.0f} rows/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory after both: {peak / 1024:.0f} MB")


if __name__ == "__main__":
    main()
