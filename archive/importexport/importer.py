"""The CSV import pipeline shared by ``manage.py import_csv`` and the admin.

An import is all or nothing: rows stream through in chunks, each chunk is checked and,
while the file has shown no error, written with bulk statements inside one transaction.
Every error is collected; if there is any (or on a dry run) the transaction is rolled
back, so the database is left as it was. Records are matched on identifier, then slug;
related records are resolved from name indexes built once per import.
"""

import json
from array import array
from dataclasses import dataclass, field
from functools import lru_cache, partial

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from archive import caching, search
from archive.importexport.cells import CellError, CellErrors, HistoricalDateWidget
from archive.importexport.csvfiles import unescape_formula
from archive.importexport.resources import AlternativeNamesField, RelationField, insert_rows
from archive.models import AlternativeName
from archive.models.base import slug_base

CHUNK_ROWS = 1000
PREVIEW_ROWS = 100
DATE_PARTS = ("earliest", "latest", "year", "precision", "approximate", "uncertain")


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


def _shorten(value, limit=80):
    value = " ".join(value.split()) if "\n" in value or "\r" in value else value
    return value if len(value) <= limit else value[: limit - 1] + "…"


@dataclass
class PreviewRow:
    row: int
    import_type: str  # "new", "update" or "skip", as django-import-export names them
    label: str
    changes: list


@dataclass
class ImportOutcome:
    """What an import did, or on a dry run would do, and every error it found."""

    kind: str
    dry_run: bool = False
    encoding: str | None = None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)
    preview: list = field(default_factory=list)

    @property
    def summary(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


class ImportFailed(Exception):
    def __init__(self, outcome):
        super().__init__(f"{len(outcome.errors)} errors; nothing was imported.")
        self.outcome = outcome


def import_table(resource, table, *, dry_run=False, user=None, progress=None, ignore=()):
    """Import a table of rows (:class:`archive.importexport.csvfiles.CsvTable`) with ``resource``'s
    columns. Writes nothing if any row is wrong or on a dry run."""
    importer = Importer(resource, dry_run=dry_run, user=user, progress=progress, ignore=ignore)
    outcome = importer.outcome
    outcome.encoding = table.encoding
    try:
        with transaction.atomic():
            importer.run(table)
            if outcome.errors or dry_run:
                transaction.set_rollback(True)
            else:
                # Rows were written without signals: bring search up to date in the same
                # transaction, so a failure there undoes the import too.
                search.refresh(importer.model, importer.written)
                caching.records_changed()
    except DatabaseError as error:
        outcome.errors.append(
            # One line: PostgreSQL adds CONTEXT lines that would read as further errors.
            RowError(
                f"the database refused the import ({' '.join(str(error).split())}); "
                "nothing was written."
            )
        )
    else:
        if not dry_run and not outcome.errors and len(importer.written) >= ANALYZE_AFTER_ROWS:
            refresh_statistics()
    return outcome


# PostgreSQL plans queries from table statistics that autovacuum refreshes only some time
# after a bulk write; until then it may take 100,000 freshly imported rows for a few
# hundred and pick plans that read them all (a figure's page took 340 ms instead of 6).
# Nor are new rows marked all-visible before a VACUUM, so a count must visit every row
# instead of reading an index alone (a million documents: 670 ms instead of 57).
ANALYZE_AFTER_ROWS = 1_000


def refresh_statistics():
    """Refresh the planner's statistics of the archive's tables after a large import and,
    outside a transaction (VACUUM cannot run in one), mark the new rows all-visible."""
    if connection.vendor != "postgresql":
        return  # SQLite plans from its indexes without gathered statistics
    quote = connection.ops.quote_name
    tables = [t for t in connection.introspection.table_names() if t.startswith("archive_")]
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute(f"{command} " + ", ".join(quote(table) for table in tables))


@dataclass
class Row:
    """One row on its way in: cleaned values by column, the record it matches, and the
    database row (``record``: column -> value) that will be written."""

    number: int
    values: dict
    pk: int | None = None
    slug: str = ""
    record: dict = None
    changed: list = field(default_factory=list)
    links: dict = field(default_factory=dict)  # column -> items, for links to (re)write
    names_added: list = field(default_factory=list)
    names_removed: list = field(default_factory=list)


class Importer:
    def __init__(self, resource, *, dry_run, user, progress, ignore):
        self.resource = resource
        self.model = resource._meta.model
        self.noun = self.model._meta.verbose_name
        self.name_field = resource.name_field
        self.dry_run = dry_run
        self.user = user
        self.progress = progress
        self.ignore = {name.casefold() for name in ignore}
        self.outcome = ImportOutcome(kind=resource.kind, dry_run=dry_run)
        self.content_type = ContentType.objects.get_for_model(self.model)
        self.writer = RecordWriter(self.model)
        self._problems_seen = 0
        self.written = array("q")  # ids of the records created or updated

    def error(self, reason, **where):
        self.outcome.errors.append(RowError(reason, **where))

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
        self.cleaners = [
            (
                index,
                column.column_name,
                partial(
                    column.widget.clean,
                    references=self.resource.references(column.link.target_model),
                )
                if isinstance(column, RelationField)
                else column.widget.clean,
            )
            for index, column in self.columns
        ]
        self._load_existing()
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
            if name in self.ignore:
                continue
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

    def _load_existing(self):
        """Identifiers and slugs of every record of the kind: the keys rows match on."""
        self.by_identifier, self.by_slug, self.identifier_of = {}, {}, {}
        rows = self.model._default_manager.values_list("pk", "identifier", "slug")
        for pk, identifier, slug in rows.iterator(chunk_size=5000):
            self.by_slug[slug] = pk
            if identifier:
                self.by_identifier[identifier] = pk
                self.identifier_of[pk] = identifier
        # What the file has used so far, for its rows to be checked against each other.
        # One entry per row for a file of any length: plain strings and ints, no tuples.
        self.new_slugs = {}  # slug given to a record this file creates -> its row
        self.next_suffix = {}  # slug base -> last number tried, for bases met before
        self.seen_keys = {"identifier": {}, "slug": {}}  # value -> row
        self.seen_pks = {}  # matched record -> row

    # Checking

    def _clean(self, number, cells):
        """The row's cleaned values by column, or None if any cell is wrong."""
        if len(cells) > self.header_width:
            self.error(
                f"the row has {len(cells)} cells but the header names {self.header_width} "
                "columns; is a cell with a delimiter missing its quotes?",
                row=number,
            )
            return None  # its cells are out of line with the columns: checking them misleads
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
        return values if ok else None

    def _match(self, row):
        """Find the record the row updates (identifier, else slug); False on a clash."""
        values = row.values
        identifier = values.get("identifier", "")
        slug = values.get("slug", "")
        number = row.number
        if identifier and identifier in self.by_identifier:
            row.pk, column = self.by_identifier[identifier], "identifier"
        elif slug:
            row.pk, column = self.by_slug.get(slug), "slug"
            other = self.identifier_of.get(row.pk, "")
            if identifier and other:
                self.error(
                    f"this slug belongs to the {self.noun} with identifier {other}, "
                    f"not {identifier}.",
                    row=number,
                    column="slug",
                    value=slug,
                )
                return False
        elif identifier:
            column = "identifier"
        elif values.get(self.name_field):
            # No key given: the record whose slug the title or name would make.
            column = self.name_field
            row.pk = self.by_slug.get(slug_base(values[self.name_field]))
        else:
            self.error(
                f"the row names no {self.noun}: give it a {self.name_field}, an identifier "
                "or a slug.",
                row=number,
            )
            return False
        if slug and self.by_slug.get(slug, row.pk) != row.pk or slug in self.new_slugs:
            taken_by = self.new_slugs.get(slug)
            self.error(
                f"row {taken_by} already gives this slug to a new {self.noun}."
                if taken_by
                else f"another {self.noun} already has this slug.",
                row=number,
                column="slug",
                value=slug,
            )
            return False
        keys = [(name, values[name]) for name in ("identifier", "slug") if values.get(name)]
        if not keys:
            keys = [("slug", slug_base(values[self.name_field]))]
        for key in keys:
            earlier = self.seen_keys[key[0]].get(key[1]) or self.seen_pks.get(row.pk)
            if earlier:
                self.error(
                    f"row {earlier} already imports this {self.noun} ({key[0]} {key[1]}); "
                    "give each row its own identifier or slug.",
                    row=number,
                    column=column,
                    value=values.get(column, ""),
                )
                return False
        for name, value in keys:
            self.seen_keys[name][value] = number
        if row.pk is not None:
            self.seen_pks[row.pk] = number
        return True

    def _process(self, chunk):
        rows = []
        for number, cells in chunk:
            values = self._clean(number, cells)
            if values is None:
                continue
            row = Row(number, values)
            if self._match(row):
                rows.append(row)
        current = self._current([row.pk for row in rows if row.pk is not None])
        creates, updates = [], []
        for row in rows:
            if row.pk is None:
                if self._build_new(row) and self._check_ranges(row):
                    creates.append(row)
                    self._count(row, "new")
            elif self._build_update(row, current) and self._check_ranges(row):
                if row.changed:
                    updates.append(row)
                    self._count(row, "update")
                else:
                    self._count(row, "skip")
        if not self.outcome.errors and not self.dry_run:
            self._write(creates, updates)

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

    def _current(self, pks):
        """What the matched records hold now: field values, links, alternative names."""
        if not pks:
            return {}
        attnames = [f.attname for f in self.model._meta.concrete_fields]
        current = {"values": {}, "links": {}, "names": {}}
        for values in self.model._default_manager.filter(pk__in=pks).values(*attnames):
            current["values"][values["id"]] = values
        for _, column in self.columns:
            if isinstance(column, RelationField):
                current["links"][column.column_name] = column.link.current(pks)
            elif isinstance(column, AlternativeNamesField):
                names = AlternativeName.objects.filter(
                    content_type=self.content_type, object_id__in=pks
                ).values_list("object_id", "name", "pk")
                for pk, name, name_pk in names:
                    current["names"].setdefault(pk, {})[name] = name_pk
        return current

    @staticmethod
    def _set(record, column, value):
        """Put a cleaned value in the record; a date brings the bounds derived from it."""
        if isinstance(column.widget, HistoricalDateWidget):
            record[column.attribute] = value.text
            for part in DATE_PARTS:
                record[f"{column.attribute}_{part}"] = getattr(value, part)
        else:
            record[column.attribute] = value

    def _build_new(self, row):
        name = row.values.get(self.name_field, "")
        if not name:
            self.error(
                f"a new {self.noun} needs a {self.name_field}.",
                row=row.number,
                column=self.name_field,
                value=name,
            )
            return False
        record = dict(self.writer.defaults)
        for _, column in self.columns:
            value = row.values[column.column_name]
            if isinstance(column, RelationField):
                if value:
                    row.links[column.column_name] = value
            elif isinstance(column, AlternativeNamesField):
                row.names_added = value
            else:
                self._set(record, column, value)
        record["slug"] = row.values.get("slug") or self._new_slug(name)
        self.new_slugs[record["slug"]] = row.number
        self.resource.before_create(record)
        row.record = record
        return True

    def _new_slug(self, name):
        base = slug_base(name)
        if base not in self.by_slug and base not in self.new_slugs:
            return base  # most titles are distinct: nothing to remember
        slug, number = base, self.next_suffix.get(base, 1)
        while slug in self.by_slug or slug in self.new_slugs:
            number += 1
            slug = f"{base}-{number}"
        self.next_suffix[base] = number
        return slug

    def _build_update(self, row, current):
        values = current["values"][row.pk]
        record = dict(values)
        for _, column in self.columns:
            name = column.column_name
            value = row.values[name]
            if isinstance(column, RelationField):
                before = current["links"][name].get(row.pk, [])
                same = before == value if column.link.has_roles else set(before) == set(value)
                if not same:
                    row.links[name] = value
                    row.changed.append(name)
            elif isinstance(column, AlternativeNamesField):
                before = current["names"].get(row.pk, {})
                row.names_added = [n for n in value if n not in before]
                row.names_removed = [pk for n, pk in before.items() if n not in value]
                if row.names_added or row.names_removed:
                    row.changed.append(name)
            elif name == "slug" and not value:
                continue  # an empty slug cell keeps the record's address
            else:
                stored = record[column.attribute]
                new = value.text if isinstance(column.widget, HistoricalDateWidget) else value
                if stored != new:
                    self._set(record, column, value)
                    row.changed.append(name)
        if row.values.get("slug") and row.values["slug"] != values["slug"]:
            self.by_slug[row.values["slug"]] = row.pk  # taken from now on
        row.record = record
        return True

    def _check_ranges(self, row):
        record = row.record
        for start, end in getattr(self.model, "date_ranges", ()):
            begins = record[f"{start}_earliest"]
            ends = record[f"{end}_latest"]
            if begins and ends and ends < begins:
                column = end if end in row.values else start
                self.error(
                    f"the {end.replace('_', ' ')} ({record[end]}) comes before the "
                    f"{start.replace('_', ' ')} ({record[start]}).",
                    row=row.number,
                    column=column,
                    value=record[column],
                )
                return False
        return True

    # Writing

    def _write(self, creates, updates):
        now = timezone.now()
        for row in creates + updates:
            row.record["modified"] = now
        if creates:
            for row in creates:
                row.record["created"] = now
            pks = self.writer.insert([row.record for row in creates])
            for row in creates:
                row.record["id"] = row.pk = pks[row.record["slug"]]
        if updates:
            self.writer.update([row.record for row in updates], self._update_fields())
        self.written.extend(row.pk for row in creates + updates)
        self._write_links(creates, updates)
        self._write_names(creates + updates)
        if self.user is not None:
            self._log(creates, updates)

    def _update_fields(self):
        fields = ["modified"]
        for _, column in self.columns:
            if isinstance(column, RelationField | AlternativeNamesField):
                continue
            fields.append(column.attribute)
            if isinstance(column.widget, HistoricalDateWidget):
                fields += [f"{column.attribute}_{part}" for part in DATE_PARTS]
        return fields

    def _write_links(self, creates, updates):
        for _, column in self.columns:
            if not isinstance(column, RelationField):
                continue
            name = column.column_name
            rewritten = [row for row in updates if name in row.links]
            column.link.delete([row.pk for row in rewritten])
            written = [row for row in creates if name in row.links] + rewritten
            column.link.insert((row.pk, row.links[name]) for row in written)

    def _write_names(self, rows):
        removed = [pk for row in rows for pk in row.names_removed]
        if removed:
            AlternativeName.objects.filter(pk__in=removed).delete()
        insert_rows(
            AlternativeName,
            ["content_type_id", "object_id", "name", "language", "note"],
            [
                (self.content_type.pk, row.pk, name, "", "")
                for row in rows
                for name in row.names_added
            ],
        )

    def _log(self, creates, updates):
        """Each record's history in the admin says it came from a CSV import."""
        now = timezone.now()
        entries = [
            LogEntry(
                action_time=now,
                user_id=self.user.pk,
                content_type_id=self.content_type.pk,
                object_id=str(row.pk),
                object_repr=str(row.record[self.name_field])[:200],
                action_flag=flag,
                change_message=json.dumps(message),
            )
            for rows, flag in ((creates, ADDITION), (updates, CHANGE))
            for row in rows
            for message in [
                [{"added": {}}] if flag == ADDITION else [{"changed": {"fields": row.changed}}]
            ]
        ]
        LogEntry.objects.bulk_create(entries)


class RecordWriter:
    """Writes record rows given as dicts with executemany: Django's bulk_create prepares
    every value through the ORM and, on SQLite, batches a few dozen rows per statement,
    which made it most of the time of a large import."""

    STORED_AS_IS = {"CharField", "TextField", "SlugField", "BooleanField"}

    def __init__(self, model):
        self.model = model
        self.table = connection.ops.quote_name(model._meta.db_table)
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.columns = [f.attname for f in fields]
        self.defaults = {f.attname: f.get_default() for f in fields}
        # Dates and times repeat from row to row (every row of a chunk is written at the
        # same moment), so their database form is worked out once per value.
        self.adapters = {
            f.attname: None
            if f.get_internal_type() in self.STORED_AS_IS
            else lru_cache(maxsize=16384)(partial(f.get_db_prep_save, connection=connection))
            for f in fields
        }

    def _values(self, record, columns):
        adapters = self.adapters
        return [
            record[column] if adapters[column] is None else adapters[column](record[column])
            for column in columns
        ]

    def insert(self, records):
        """Insert new records; returns {slug: pk}, slugs being unique."""
        quote = connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            self.table,
            ", ".join(quote(column) for column in self.columns),
            ", ".join(["%s"] * len(self.columns)),
        )
        slugs = [record["slug"] for record in records]
        with connection.cursor() as cursor:
            cursor.executemany(sql, [self._values(record, self.columns) for record in records])
            # Plain SQL: the ORM prepares each value of an IN list one by one, which took
            # longer than the query.
            cursor.execute(
                "SELECT {}, {} FROM {} WHERE {} IN ({})".format(
                    quote("slug"),
                    quote(self.model._meta.pk.column),
                    self.table,
                    quote("slug"),
                    ", ".join(["%s"] * len(slugs)),
                ),
                slugs,
            )
            return dict(cursor.fetchall())

    def update(self, records, columns):
        quote = connection.ops.quote_name
        # The version goes up as with any save, so an editor's form opened before the
        # import is refused instead of overwriting what the import wrote.
        sql = "UPDATE {} SET {}, {} = {} + 1 WHERE {} = %s".format(
            self.table,
            ", ".join(f"{quote(column)} = %s" for column in columns),
            quote("version"),
            quote("version"),
            quote(self.model._meta.pk.column),
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                sql, [[*self._values(record, columns), record["id"]] for record in records]
            )
