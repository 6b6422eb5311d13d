"""What an import did or would do, and every problem it found, said the way a
spreadsheet user finds it: one line per error, a report that groups them by column and
value (:func:`group_errors`), every error as a CSV file (:func:`write_errors`), and the
rows an import set aside, as they came, for the editor to correct (:class:`RejectsWriter`).
"""

import csv
from collections import Counter
from dataclasses import dataclass, field, replace

from archive.importexport.csvfiles import write_csv


@dataclass
class RowError:
    """One problem in a file, said the way a spreadsheet user finds it."""

    reason: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    line: int | None = None

    def __str__(self):
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        if self.value is not None:
            where.append(f'value "{_shorten(self.value)}"')
        return f"{', '.join(where)}: {self.reason}" if where else self.reason

    @property
    def in_data_row(self):
        """Whether the error is a row's own, below the header: a row with it can be set
        aside. The others are the file's (its header, a line that cannot be read, the
        database refusing the import) and stop the whole import."""
        return self.line is None and self.row is not None and self.row > 1


def _shorten(value, limit=80):
    value = " ".join(value.split()) if "\n" in value or "\r" in value else value
    return value if len(value) <= limit else value[: limit - 1] + "…"


# The rows an import preview shows.
PREVIEW_ROWS = 100


@dataclass
class PreviewRow:
    row: int
    import_type: str  # "new", "update" or "skip", as django-import-export names them
    label: str
    changes: list


@dataclass
class ImportOutcome:
    """What an import did, or on a dry run would do, and every error it found.

    With ``set_aside``, rows with errors are refused and the others imported:
    ``refused`` counts the rows set aside. Errors that are not a row's own
    (``file_errors``: the header, an unreadable line) still stop the whole import.
    """

    kind: str
    dry_run: bool = False
    set_aside: bool = False
    encoding: str | None = None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    file_errors: int = 0
    errors: list = field(default_factory=list)
    preview: list = field(default_factory=list)
    # Cells read one way of two ("1905-06": June 1905, or 1905–1906), said to the editor.
    notes: list = field(default_factory=list)

    def add_error(self, error):
        self.errors.append(error)
        if not error.in_data_row:
            self.file_errors += 1

    @property
    def accepted(self):
        """Rows that were (or on a dry run would be) imported, changed or not."""
        return self.created + self.updated + self.unchanged

    @property
    def failed(self):
        """Whether nothing is imported: any error, or with ``set_aside`` an error of the
        file itself or no row left to import."""
        if not self.errors:
            return False
        return not self.set_aside or bool(self.file_errors) or not self.accepted

    @property
    def summary(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"

    @property
    def error_groups(self):
        return group_errors(self.errors)

    @property
    def note_groups(self):
        return group_errors(self.notes)


class ImportFailed(Exception):
    def __init__(self, outcome):
        super().__init__(f"{len(outcome.errors)} errors; nothing was imported.")
        self.outcome = outcome


# Reports: the errors of a file grouped by column and value

# How many row numbers a group names before "…".
FIRST_ROWS = 5
# A closing sentence at least this long that several errors of a column share is advice
# (how dates are written, the codes of a vocabulary), said on the first of them only.
HINT_MIN_LENGTH = 60


@dataclass
class ErrorGroup:
    """The errors of one column with the same value and reason, on ``count`` rows, the
    first of which are ``rows``; ``reason`` is as shown (without advice said above)."""

    first: RowError
    count: int = 1
    rows: list = field(default_factory=list)
    reason: str = ""
    last_row: int | None = field(default=None, repr=False)

    @property
    def column(self):
        return self.first.column

    @property
    def value(self):
        return self.first.value

    @property
    def more(self):
        """Whether the group has rows beyond those named."""
        return self.count > len(self.rows)

    @property
    def where(self):
        """'date "1843–4"': the column and value, for a group of several rows."""
        parts = []
        if self.column is not None:
            parts.append(self.column)
        if self.value is not None:
            parts.append(f'"{_shorten(self.value)}"')
        return " ".join(parts)

    @property
    def row_list(self):
        return ", ".join([str(row) for row in self.rows] + (["…"] if self.more else []))

    def __str__(self):
        """One error as ever (``row 4, column date, value "1843–4": …``); several as
        ``date "1843–4": 2,696 rows (4, 17, 18, 20, 31, …): …``."""
        if self.count == 1:
            return str(replace(self.first, reason=self.reason))
        where = f"{self.where}: " if self.where else ""
        return f"{where}{self.count:,} rows ({self.row_list}): {self.reason}"


def _group_key(error):
    """Errors of data rows group by column, value and reason; the file's are each alone."""
    if not error.in_data_row:
        return None
    return (error.column, error.value, error.reason)


def group_errors(errors):
    """The errors as groups, in the order of their first rows: one group per column, value
    and reason, counting the rows (a row with the same bad name twice counts once). The
    errors of the file itself (header, unreadable lines) stay one a group. Long advice
    ending the reasons of several groups of a column (or of the file's own errors) is said
    on the first of them only."""
    groups, by_key = [], {}
    for error in errors:
        key = _group_key(error)
        group = by_key.get(key) if key is not None else None
        if group is None:
            rows = [error.row] if error.row is not None else []
            group = ErrorGroup(error, rows=rows, last_row=error.row)
            groups.append(group)
            if key is not None:
                by_key[key] = group
        elif error.row != group.last_row:
            group.count += 1
            group.last_row = error.row
            if len(group.rows) < FIRST_ROWS:
                group.rows.append(error.row)
    _say_hints_once(groups)
    return groups


def _tails(reason):
    """The closing parts of a reason, after each '. ' or '; ' (longest first)."""
    tails = []
    for index in range(len(reason) - 1):
        if reason[index] in ".;?!" and reason[index + 1] == " ":
            tail = reason[index + 2 :].lstrip()
            if tail:
                tails.append(tail)
    return tails


def _without(reason, hint):
    head = reason[: len(reason) - len(hint)].rstrip()
    return head[:-1] + "." if head.endswith(";") else head


def _say_hints_once(groups):
    """Set each group's ``reason``: whole, but for the longest closing part (of at least
    HINT_MIN_LENGTH characters) that another group of its column shares and an earlier
    group has said already."""
    by_column = {}
    for group in groups:
        by_column.setdefault(group.column, []).append(group)
    for members in by_column.values():
        shared = Counter()
        for group in members:
            shared.update(
                tail for tail in set(_tails(group.first.reason)) if len(tail) >= HINT_MIN_LENGTH
            )
        said = set()
        for group in members:
            reason = group.first.reason
            hint = next((tail for tail in _tails(reason) if shared[tail] > 1), None)
            if hint is not None and hint in said:
                reason = _without(reason, hint)
            elif hint is not None:
                said.add(hint)
            group.reason = reason


# Files for the editor: every error, and the rows set aside

ERRORS_HEADER = ["row", "column", "value", "reason"]


def write_errors(stream, errors):
    """Every error, one a row (row, column, value, reason), to a text stream; an error
    of a line rather than a row says its line in the reason."""
    write_csv(
        stream,
        ERRORS_HEADER,
        (
            [
                "" if error.row is None else str(error.row),
                error.column or "",
                error.value or "",
                error.reason if error.line is None else f"line {error.line}: {error.reason}",
            ]
            for error in errors
        ),
    )


# The column a rejects file adds; an import leaves it out, so that the file, corrected,
# imports as it is.
ERROR_COLUMN = "error"


class RejectsWriter:
    """Writes the rows an import set aside, cells unchanged as read, with the file's
    header and delimiter and an ``error`` column saying why (a file that has one already,
    a rejects file imported again, keeps it there)."""

    def __init__(self, stream, header, delimiter=","):
        self.writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
        header = list(header)
        names = [cell.strip().casefold() for cell in header]
        if ERROR_COLUMN in names:
            self.error_index = names.index(ERROR_COLUMN)
            self.cells = len(header)  # the most cells a row has in its place
        else:
            self.error_index = self.cells = len(header)
            header.append(ERROR_COLUMN)
        self.writer.writerow(header)
        self.rows = 0

    def write(self, cells, errors):
        cells = list(cells)
        # A row with more cells than the header (a delimiter missing its quotes) keeps
        # them all: the reason goes after them.
        index = len(cells) if len(cells) > self.cells else self.error_index
        cells += [""] * (index + 1 - len(cells))
        cells[index] = " | ".join(str(error) for error in errors)
        self.writer.writerow(cells)
        self.rows += 1
