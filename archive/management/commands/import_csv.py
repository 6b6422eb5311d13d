"""Import a CSV file of one record kind: all rows or none, every error reported."""

import codecs
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from archive.importexport.csvfiles import CsvTable
from archive.importexport.importer import import_table
from archive.importexport.resources import RESOURCES
from archive.records.unsavable import refused_write

ENCODING_HINT = (
    " If the file was saved as Windows or Excel “CSV” rather than “CSV UTF-8”, name its "
    "encoding: --encoding cp1252 (or latin-1)."
)


class Command(BaseCommand):
    help = (
        "Import records from a CSV file. Rows update the record with the same identifier "
        "(else slug) and create the others; if any row is wrong nothing is written and every "
        "error is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(RESOURCES))
        parser.add_argument("file", help="The CSV file (comma, semicolon or tab separated).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change, without writing anything.",
        )
        parser.add_argument(
            "--encoding",
            default="utf-8",
            help="The file's text encoding, e.g. cp1252 or latin-1 (default: UTF-8, with or "
            "without BOM).",
        )
        parser.add_argument(
            "--ignore-column",
            action="append",
            default=[],
            metavar="COLUMN",
            help="Leave this column out of the import (repeatable); e.g. the events column of "
            "a documents file whose events are imported afterwards.",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Record the import in the history of each record it creates or changes, "
            "under this account (as an import from the admin is).",
        )

    def handle(self, *args, kind, file, dry_run, encoding, ignore_column, user, **options):
        if user is not None:
            try:
                user = get_user_model()._default_manager.get_by_natural_key(user)
            except ObjectDoesNotExist as error:
                raise CommandError(f"There is no account named {user!r}.") from error
        try:
            codecs.lookup(encoding)
        except LookupError as error:
            raise CommandError(f"Unknown encoding {encoding!r}.") from error
        resource = RESOURCES[kind]()
        try:
            stream = open(file, "rb")  # noqa: SIM115 - closed below, after streaming
        except OSError as error:
            raise CommandError(f"Cannot open {file}: {error.strerror}.") from error
        with stream:
            size = _size(stream)
            with tqdm(
                total=size,
                unit="B",
                unit_scale=True,
                desc=f"Importing {kind}",
                file=sys.stderr,
                disable=not sys.stderr.isatty(),
            ) as bar:

                def progress(rows, bytes_read):
                    bar.update(bytes_read - bar.n)
                    bar.set_postfix_str(f"{rows} rows", refresh=False)

                table = CsvTable(stream, encoding=encoding, hint=ENCODING_HINT)
                try:
                    outcome = import_table(
                        resource,
                        table,
                        dry_run=dry_run,
                        user=user,
                        progress=progress,
                        ignore=ignore_column,
                    )
                except DatabaseError as error:
                    if not refused_write(error):
                        raise
                    raise CommandError(
                        "The archive cannot save right now: its database refuses writes "
                        f"({' '.join(str(error).split())}). Nothing was imported."
                    ) from error
        for error in outcome.errors:
            self.stderr.write(str(error))
        if outcome.errors:
            count = len(outcome.errors)
            raise CommandError(f"{count} error{'s' if count != 1 else ''}; nothing was imported.")
        suffix = " (dry run: nothing was written)" if dry_run else ""
        self.stdout.write(outcome.summary + suffix)


def _size(stream):
    try:
        return stream.seek(0, 2) or None
    finally:
        stream.seek(0)
