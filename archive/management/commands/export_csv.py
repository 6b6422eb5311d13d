"""Export every record of one kind to CSV, in the columns import_csv reads."""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from archive.importexport.csvfiles import write_csv
from archive.importexport.resources import RESOURCES


class Command(BaseCommand):
    help = (
        "Export records to CSV (UTF-8, comma-separated). The file re-imports to the same "
        "data; cells a spreadsheet would run as formulas are escaped."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(RESOURCES))
        parser.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            help="Write to FILE (with a BOM, so Excel reads it as UTF-8) instead of to "
            "standard output.",
        )

    def handle(self, *args, kind, output, **options):
        resource = RESOURCES[kind]()
        queryset = resource.get_queryset()
        rows = resource.export_rows(queryset)
        header = next(rows)
        if output:
            with open(output, "w", encoding="utf-8-sig", newline="") as stream:
                write_csv(stream, header, self._with_progress(rows, queryset.count(), kind))
            self.stderr.write(f"Exported {kind} to {output}.")
        else:
            write_csv(_Unterminated(self.stdout), header, rows)

    def _with_progress(self, rows, total, kind):
        yield from tqdm(
            rows,
            total=total,
            unit=" rows",
            desc=f"Exporting {kind}",
            file=sys.stderr,
            disable=not sys.stderr.isatty(),
        )


class _Unterminated:
    """The command's stdout as a plain stream: the csv writer ends its own lines."""

    def __init__(self, output):
        self.output = output

    def write(self, text):
        self.output.write(text, ending="")
