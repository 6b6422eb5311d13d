"""Import a CSV file of one record kind: all rows or none (or, asked to, the valid rows,
the others set aside in a file of their own), every error reported."""

import codecs
import contextlib
import os
import sys
import tempfile

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from archive.importexport.csvfiles import CsvTable
from archive.importexport.importer import import_table
from archive.importexport.outcome import write_errors
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
        "error is listed (with --rejects, the valid rows are imported and the others set "
        "aside in a file)."
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
            "--hyphen-years",
            action="store_true",
            help='The file writes "1905-06" for the years 1905–1906, as many catalogues do, '
            "not for June 1905 as ISO 8601 does. Either way, the rows read so are listed.",
        )
        parser.add_argument(
            "--rejects",
            metavar="FILE",
            help="Import the valid rows and write the refused ones, unchanged, with an error "
            "column saying why, to FILE: correct them there and import FILE again. Without "
            "it, one wrong row means nothing is imported.",
        )
        parser.add_argument(
            "--errors",
            metavar="FILE",
            help="Also write every error, one a line, to the CSV file FILE (columns row, "
            "column, value, reason); standard error groups them by column and value.",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Record the import in the history of each record it creates or changes, "
            "under this account (as an import from the admin is).",
        )

    def handle(
        self,
        *args,
        kind,
        file,
        dry_run,
        encoding,
        ignore_column,
        user,
        rejects,
        errors,
        hyphen_years,
        **options,
    ):
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
        # The output files are made before the import, so that one that cannot be written
        # stops it before anything is imported, and take their names only when it is done.
        with stream, _OutputFile(rejects) as rejects_file, _OutputFile(errors) as errors_file:
            outcome = self._import(
                resource,
                stream,
                dry_run=dry_run,
                encoding=encoding,
                user=user,
                ignore=ignore_column,
                rejects=rejects_file.stream,
                hyphen_years=hyphen_years,
            )
            errors_file.write(write_errors, outcome.errors)
            if outcome.file_errors:
                rejects_file.discard()  # the file itself is wrong: no row was set aside
        self._report(outcome, rejects, errors, dry_run)

    def _import(self, resource, stream, *, dry_run, encoding, user, ignore, rejects, hyphen_years):
        with tqdm(
            total=_size(stream),
            unit="B",
            unit_scale=True,
            desc=f"Importing {resource.kind}",
            file=sys.stderr,
            disable=not sys.stderr.isatty(),
        ) as bar:

            def progress(rows, bytes_read):
                bar.update(bytes_read - bar.n)
                bar.set_postfix_str(f"{rows} rows", refresh=False)

            table = CsvTable(stream, encoding=encoding, hint=ENCODING_HINT)
            try:
                return import_table(
                    resource,
                    table,
                    dry_run=dry_run,
                    user=user,
                    progress=progress,
                    ignore=ignore,
                    set_aside=rejects is not None,
                    rejects=rejects,
                    hyphen_years=hyphen_years,
                )
            except DatabaseError as error:
                if not refused_write(error):
                    raise
                raise CommandError(
                    "The archive cannot save right now: its database refuses writes "
                    f"({' '.join(str(error).split())}). Nothing was imported."
                ) from error

    def _report(self, outcome, rejects, errors, dry_run):
        if outcome.notes:
            self.stdout.write("Dates that can be read two ways, and how they were read:")
            for group in outcome.note_groups:
                self.stdout.write(f"  {group}")
        """The errors on standard error, grouped by column and value; on standard output
        the files written and, last, the summary. When nothing is imported, the last line
        is the count of errors instead, and the exit status 1."""
        for group in outcome.error_groups:
            self.stderr.write(str(group))
        if errors is not None:
            self.stdout.write(f"{_count(len(outcome.errors), 'error')} written to {errors}.")
        if rejects is not None:
            refused = _count(outcome.refused, "row")
            if outcome.file_errors:
                self.stdout.write(
                    f"The file itself has errors, so no row was set aside: {rejects} was not "
                    "written."
                )
            elif not outcome.refused:
                self.stdout.write(f"No row was set aside; {rejects} holds the header only.")
            elif dry_run:
                self.stdout.write(f"{refused} would be set aside; they are in {rejects}.")
            else:
                self.stdout.write(
                    f"{refused} set aside in {rejects}, each with its error: correct them "
                    "there and import that file again."
                )
        if outcome.failed:
            count = len(outcome.errors)
            raise CommandError(f"{count} error{'s' if count != 1 else ''}; nothing was imported.")
        suffix = " (dry run: nothing was written)" if dry_run else ""
        self.stdout.write(outcome.summary + suffix)


def _count(count, noun):
    return f"{count:,} {noun}{'s' if count != 1 else ''}"


class _OutputFile:
    """A file the command writes (``path``; None for none): ``stream``, text in UTF-8
    with a BOM for Excel, goes to a temporary file in the same folder, which takes the
    name at the end, unless the command failed or the file was discarded. Made before
    the import, so that a file that cannot be written stops it before anything is."""

    def __init__(self, path):
        self.path = path
        self.stream = None
        self.keep = True

    def __enter__(self):
        if self.path is None:
            return self
        folder = os.path.dirname(os.path.abspath(self.path))
        try:
            descriptor, self.temporary = tempfile.mkstemp(
                dir=folder, prefix=".import-", suffix=".csv"
            )
        except OSError as error:
            raise CommandError(f"Cannot write {self.path}: {error.strerror}.") from error
        self.stream = open(descriptor, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        return self

    def write(self, writer, *args):
        if self.stream is not None:
            writer(self.stream, *args)

    def discard(self):
        self.keep = False

    def __exit__(self, kind, error, traceback):
        if self.stream is None:
            return
        self.stream.close()
        if kind is None and self.keep:
            # mkstemp makes the file readable by its owner alone; the name it takes gets
            # the permissions any new file of the user's would.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.temporary, 0o666 & ~umask)
            os.replace(self.temporary, self.path)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.remove(self.temporary)


def _size(stream):
    try:
        return stream.seek(0, 2) or None
    finally:
        stream.seek(0)
