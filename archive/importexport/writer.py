"""Writing an import's rows: records and link rows with plain executemany statements,
the admin history of what it changed, and the planner statistics refreshed after a
large import."""

import json
from dataclasses import dataclass
from functools import lru_cache, partial

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import connection
from django.db.models import F
from django.db.models.sql import Query
from django.utils import timezone

from archive.models.rules import next_version

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


@dataclass(frozen=True)
class Link:
    """Where a relation column is stored: rows of ``through`` from the record in the row
    (``source``) to the records named in the cell (``target``), with a role and an order
    when ``default_role`` is set."""

    through: type
    source: str
    target: str
    target_model: type
    default_role: str | None = None

    @classmethod
    def many_to_many(cls, model, name, reverse=False):
        """The link behind ``model.name``, or behind the reverse accessor of that field."""
        field = model._meta.get_field(name)
        through = field.remote_field.through
        ends = [
            through._meta.get_field(field.m2m_field_name()).attname,
            through._meta.get_field(field.m2m_reverse_field_name()).attname,
        ]
        target = model if reverse else field.related_model
        if reverse:
            ends.reverse()
        return cls(through, ends[0], ends[1], target)

    @property
    def has_roles(self):
        return self.default_role is not None

    def current(self, pks):
        """{source pk: [target pk, or (target pk, role)] in stored order} for ``pks``."""
        columns = [self.source, self.target] + (["role"] if self.has_roles else [])
        order = ["order", "pk"] if self.has_roles else ["pk"]
        found = {}
        rows = (
            self.through.objects.filter(**{f"{self.source}__in": pks})
            .order_by(*order)
            .values_list(*columns)
        )
        for source, *item in rows:
            found.setdefault(source, []).append(tuple(item) if self.has_roles else item[0])
        return found

    def delete(self, pks):
        self.through.objects.filter(**{f"{self.source}__in": pks}).delete()

    def insert(self, links):
        """Write link rows for [(source pk, [items])]; a raw multi-row insert, because
        building a model instance per link row would double the time of a large import."""
        rows = []
        for source, items in links:
            for order, item in enumerate(items):
                if self.has_roles:
                    rows.append((source, item[0], item[1], order))
                else:
                    rows.append((source, item))
        columns = [self.source, self.target] + (["role", "order"] if self.has_roles else [])
        insert_rows(self.through, columns, rows)


def insert_rows(model, columns, rows):
    """INSERT many rows in one executemany (SQLite and PostgreSQL alike)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


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

    def _raised_version(self):
        """``next_version`` of the stored version, as SQL and its parameters.

        The rule is the one ``save()`` applies, compiled once by the ORM; it is applied in
        the database, row by row, rather than to the version the import read, so that a
        save made between the import's read and its write still counts.
        """
        query = Query(self.model)
        expression = next_version(F("version")).resolve_expression(query)
        return query.get_compiler(connection=connection).compile(expression)

    def update(self, records, columns):
        quote = connection.ops.quote_name
        # The version goes up as with any save, so an editor's form opened before the
        # import is refused instead of overwriting what the import wrote.
        version_sql, version_params = self._raised_version()
        sql = "UPDATE {} SET {}, {} = {} WHERE {} = %s".format(
            self.table,
            ", ".join(f"{quote(column)} = %s" for column in columns),
            quote("version"),
            version_sql,
            quote(self.model._meta.pk.column),
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                sql,
                [
                    [*self._values(record, columns), *version_params, record["id"]]
                    for record in records
                ],
            )


def log_import(user, content_type, *, added, changed):
    """Each record's history in the admin says it came from a CSV import, under ``user``.

    ``added`` holds (pk, name) of the records created, ``changed`` (pk, name, [columns])
    of those updated. One bulk insert: a log entry saved per record would be a query per
    row.
    """
    now = timezone.now()

    def entry(pk, name, flag, message):
        return LogEntry(
            action_time=now,
            user_id=user.pk,
            content_type_id=content_type.pk,
            object_id=str(pk),
            object_repr=str(name)[:200],
            action_flag=flag,
            change_message=json.dumps(message),
        )

    LogEntry.objects.bulk_create(
        [entry(pk, name, ADDITION, [{"added": {}}]) for pk, name in added]
        + [
            entry(pk, name, CHANGE, [{"changed": {"fields": fields}}])
            for pk, name, fields in changed
        ]
    )
