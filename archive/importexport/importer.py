"""The CSV import pipeline shared by ``manage.py import_csv`` and the admin.

An import is all or nothing: rows stream through in chunks, each chunk is checked and,
while the file has shown no error, written with bulk statements inside one transaction.
Every error is collected; if there is any (or on a dry run) the transaction is rolled
back, so the database is left as it was. Records are matched on identifier, then slug
(:mod:`archive.importexport.matching`); related records are resolved from name indexes
built once per import. What a record derives (date columns, slug, sort name, version) is
decided by :mod:`archive.models.rules`, the rules ``save()`` follows, applied here to plain
dicts so that no model instance is built per row.

Asked to ``set_aside`` rows with errors, an import writes the valid rows of every chunk
instead, in the same one transaction, and hands the refused ones, cells as read, to a
:class:`~archive.importexport.outcome.RejectsWriter`; an error of the file itself (its
header, a line that cannot be read) still rolls everything back. A row set aside keeps
the record it names (identifier, slug, or the slug its name makes) from the file's later
rows, as an imported row does: two rows naming one record are both set aside, rather
than the later one imported and the earlier one, corrected, overwriting it.
"""

from array import array
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction

from archive.importexport.cells import CellError, CellErrors, HistoricalDateWidget
from archive.importexport.columns import RelationField
from archive.importexport.csvfiles import unescape_formula
from archive.importexport.matching import RowMatcher
from archive.importexport.outcome import (
    ERROR_COLUMN,
    PREVIEW_ROWS,
    ImportFailed,
    ImportOutcome,
    PreviewRow,
    RejectsWriter,
    RowError,
)
from archive.importexport.rows import Row, RowBuilding
from archive.importexport.writer import (
    ANALYZE_AFTER_ROWS,
    RecordWriter,
    refresh_statistics,
)
from archive.records.unsavable import refused_write
from archive.records.written import records_written

CHUNK_ROWS = 1000

# ImportFailed moved to outcome.py; callers that catch it from here still can.
__all__ = ["CHUNK_ROWS", "ImportFailed", "import_table"]


def import_table(
    resource,
    table,
    *,
    dry_run=False,
    user=None,
    progress=None,
    ignore=(),
    set_aside=False,
    rejects=None,
    hyphen_years=False,
):
    """Import a table of rows (:class:`archive.importexport.csvfiles.CsvTable`) with ``resource``'s
    columns. Writes nothing if any row is wrong or on a dry run.

    With ``set_aside``, the rows with errors are refused and the others written; the
    refused rows go, as read, to the text stream ``rejects`` if one is given (see
    :class:`~archive.importexport.outcome.RejectsWriter`). Nothing is written if the file
    itself is wrong or no row is left. ``hyphen_years``: the file writes "1905-06" for the
    years 1905–1906 (else it is June 1905, as ISO 8601 reads it; either way the rows read
    so are noted in ``outcome.notes``)."""
    importer = Importer(
        resource,
        dry_run=dry_run,
        user=user,
        progress=progress,
        ignore=ignore,
        set_aside=set_aside,
        rejects=rejects,
        hyphen_years=hyphen_years,
    )
    outcome = importer.outcome
    outcome.encoding = table.encoding
    try:
        with transaction.atomic():
            importer.run(table)
            if outcome.failed or dry_run:
                transaction.set_rollback(True)
            else:
                # Rows were written without signals: bring search up to date in the same
                # transaction, so a failure there undoes the import too.
                records_written(importer.model, importer.written)
    except DatabaseError as error:
        if refused_write(error):
            raise  # nothing in the file is wrong: the archive cannot save at all right now
        outcome.add_error(
            # One line: PostgreSQL adds CONTEXT lines that would read as further errors.
            RowError(
                f"the database refused the import ({' '.join(str(error).split())}); "
                "nothing was written."
            )
        )
    else:
        if not dry_run and not outcome.failed and len(importer.written) >= ANALYZE_AFTER_ROWS:
            refresh_statistics()
    return outcome


def ambiguity_note(parsed):
    """How an ambiguous date was read, and the other reading ("1905-06")."""
    if parsed.earliest and parsed.latest and parsed.earliest.year != parsed.latest.year:
        taken, option = f"{parsed.earliest.year}–{parsed.latest.year}", "without --hyphen-years"
    else:
        taken, option = f"{parsed.earliest:%B %Y}", "with --hyphen-years"
    return (
        f"read as {taken}; it may also mean {parsed.ambiguous_with} (import the file "
        f"{option} if it does)."
    )


class Importer(RowBuilding):
    def __init__(
        self,
        resource,
        *,
        dry_run,
        user,
        progress,
        ignore,
        set_aside=False,
        rejects=None,
        hyphen_years=False,
    ):
        self.resource = resource
        self.model = resource._meta.model
        self.noun = self.model._meta.verbose_name
        self.name_field = resource.name_field
        self.dry_run = dry_run
        self.user = user
        self.progress = progress
        self.ignore = {name.casefold() for name in ignore}
        self.outcome = ImportOutcome(kind=resource.kind, dry_run=dry_run, set_aside=set_aside)
        self.set_aside = set_aside
        self.hyphen_years = hyphen_years
        self.rejects_stream = rejects
        self.rejects = None
        self.content_type = ContentType.objects.get_for_model(self.model)
        self.writer = RecordWriter(self.model)
        self.matcher = RowMatcher(self.model, self.name_field, self.error)
        # The ranges the model checks, with the labels its form uses: (start, end,
        # start label, end label), looked up once rather than per row.
        field = self.model._meta.get_field
        self.date_ranges = [
            (start, end, str(field(start).verbose_name), str(field(end).verbose_name))
            for start, end in getattr(self.model, "date_ranges", ())
        ]
        self._problems_seen = 0
        self.written = array("q")  # ids of the records created or updated

    def error(self, reason, **where):
        self.outcome.add_error(RowError(reason, **where))

    @property
    def blocked(self):
        """Whether nothing may be written: any error so far, or when rows are set aside,
        any error of the file itself."""
        outcome = self.outcome
        return bool(outcome.file_errors if self.set_aside else outcome.errors)

    # Reading

    def run(self, table):
        header = table.header
        if header is None:
            self._collect_problems(table)
            columns = ", ".join(self.resource.columns())
            self.error(f"the file is empty; its first row must name the columns: {columns}.", row=1)
            return
        self.header_width = len(header)
        self.columns = self._read_header(header)
        if self.rejects_stream is not None:
            self.rejects = RejectsWriter(
                self.rejects_stream, header, getattr(table, "delimiter", ",")
            )
        self.cleaners = [
            (
                index,
                column.column_name,
                partial(
                    column.widget.clean,
                    references=self.resource.references(column.link.target_model),
                )
                if isinstance(column, RelationField)
                else partial(column.widget.clean, hyphen_years=self.hyphen_years)
                if isinstance(column.widget, HistoricalDateWidget)
                else column.widget.clean,
            )
            for index, column in self.columns
        ]
        # The cells that say which record a row names, among the file's columns.
        self.key_columns = {"identifier", "slug"} & {name for _, name, _ in self.cleaners}
        self.matcher.load()
        chunk, done = [], 0
        for number, cells in table:
            if not any(cell.strip() for cell in cells):
                continue  # a blank line keeps its row number but imports nothing
            chunk.append((number, cells))
            if len(chunk) == CHUNK_ROWS:
                self._process(chunk)
                done += len(chunk)
                chunk = []
                self._collect_problems(table)
                if self.progress:
                    self.progress(done, table.bytes_read)
        if chunk:
            self._process(chunk)
            done += len(chunk)
        self._collect_problems(table)
        if self.progress:
            self.progress(done, table.bytes_read)

    def _collect_problems(self, table):
        for problem in table.problems[self._problems_seen :]:
            self.error(problem.reason, line=problem.line)
        self._problems_seen = len(table.problems)

    def _read_header(self, header):
        fields = {field.column_name: field for field in self.resource.get_import_fields()}
        columns, seen = [], {}
        for index, cell in enumerate(header):
            name = unescape_formula(cell.strip()).casefold()
            if name in self.ignore or name == ERROR_COLUMN:
                continue  # the reasons a rejects file gives are not imported
            if name not in fields:
                self.error(
                    f"unknown column; the columns of {self.resource.kind} are: "
                    f"{', '.join(self.resource.columns())}.",
                    row=1,
                    column=str(index + 1),
                    value=cell,
                )
            elif name in seen:
                self.error(
                    f"the column appears twice (columns {seen[name] + 1} and {index + 1}).",
                    row=1,
                    column=str(index + 1),
                    value=cell,
                )
            else:
                seen[name] = index
                columns.append((index, fields[name]))
        if not {self.name_field, "identifier", "slug"} & set(seen):
            self.error(
                f"the file needs a {self.name_field} column (or an identifier or slug column, "
                f"to update existing {self.model._meta.verbose_name_plural}).",
                row=1,
            )
        return columns

    # Checking

    def _clean(self, number, cells):
        """The row's cleaned values by column, and whether every cell was right (the
        values of the cells that were)."""
        if len(cells) > self.header_width:
            self.error(
                f"the row has {len(cells)} cells but the header names {self.header_width} "
                "columns; is a cell with a delimiter missing its quotes?",
                row=number,
            )
            return {}, False  # its cells are out of line with the columns: checking them misleads
        values, ok, width = {}, True, len(cells)
        for index, name, clean in self.cleaners:
            cell = unescape_formula(cells[index].strip()) if index < width else ""
            try:
                values[name] = clean(cell)
            except CellErrors as errors:
                for error in errors.errors:
                    self.error(error.reason, row=number, column=name, value=error.value or cell)
                ok = False
            except CellError as error:
                value = cell if error.value is None else error.value
                self.error(error.reason, row=number, column=name, value=value)
                ok = False
        for name, value in values.items():
            if getattr(value, "ambiguous_with", None):
                self.outcome.notes.append(
                    RowError(ambiguity_note(value), row=number, column=name, value=value.text)
                )
        return values, ok

    def _process(self, chunk):
        first_error = len(self.outcome.errors)
        rows = []
        for number, cells in chunk:
            values, ok = self._clean(number, cells)
            if not ok:
                if self.set_aside:
                    keys_read = self.key_columns <= values.keys()
                    self.matcher.reserve(number, values, keys_read=keys_read)
                continue
            row = Row(number, values)
            if self.matcher.match(row):
                rows.append(row)
        current = self._current([row.pk for row in rows if row.pk is not None])
        creates, updates = [], []
        for row in rows:
            if row.pk is None:
                if not (self._build_new(row) and self._check_ranges(row)):
                    self._refused(row)
                    continue
                name = row.values[self.name_field]
                row.record["slug"] = self.matcher.new_slug(row.number, name, row.values.get("slug"))
                creates.append(row)
                self._count(row, "new")
            elif not (self._build_update(row, current) and self._check_ranges(row)):
                self._refused(row)
            else:
                slug = row.values.get("slug")
                if slug and slug != current["values"][row.pk]["slug"]:
                    self.matcher.moved(row.pk, slug)
                if row.changed:
                    updates.append(row)
                    self._count(row, "update")
                else:
                    self._count(row, "skip")
        if self.set_aside:
            self._set_aside(chunk, self.outcome.errors[first_error:])
        if not self.blocked and not self.dry_run:
            self._write(creates, updates)

    def _refused(self, row):
        """A row matched a record and then proved wrong: set aside, it keeps the record
        from later rows (as :meth:`RowMatcher.reserve` says)."""
        if self.set_aside:
            self.matcher.set_aside.add(row.number)

    def _set_aside(self, chunk, errors):
        """Count the chunk's rows that have errors, and hand them to the rejects file."""
        refused = {}
        for error in errors:
            if error.in_data_row:
                refused.setdefault(error.row, []).append(error)
        self.outcome.refused += len(refused)
        if self.rejects is not None and refused:
            for number, cells in chunk:
                if number in refused:
                    self.rejects.write(cells, refused[number])

    def _count(self, row, import_type):
        outcome = self.outcome
        if import_type == "new":
            outcome.created += 1
        elif import_type == "update":
            outcome.updated += 1
        else:
            outcome.unchanged += 1
        if len(outcome.preview) < PREVIEW_ROWS:
            label = str(row.record.get(self.name_field) or "")
            outcome.preview.append(PreviewRow(row.number, import_type, label, row.changed))
