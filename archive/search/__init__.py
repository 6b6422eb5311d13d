"""Full-text search over documents, events and figures, behind one function: ``search()``.

On SQLite each kind has an FTS5 table (``archive_<kind>_search``) whose rowid is the
record's id, with three weighted columns: the title or name, the body text, and the
names linked to the record (a figure's alternative names; the people, places,
organisations and topics of a document or event), so that "Молотов" finds Molotov and
the pact he signed. Rows are rebuilt by ``index()`` whenever a record or anything it
names changes (see ``archive/signals.py``); ``rebuild()`` remakes every row.

On PostgreSQL the same tables hold a weighted tsvector with a GIN index instead, filled
by the same ``index()`` calls (archive/search_postgres.py): the rest of the archive calls
the functions here and never knows which database answers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import nullcontext

from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, router, transaction
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from archive.models import (
    AlternativeName,
    Document,
    DocumentFigure,
    Event,
    EventFigure,
    Figure,
    Organization,
    Place,
    Position,
    Topic,
)
from archive.search import postgres

# Relevance weights of the title, body and names columns (bm25: higher counts more).
WEIGHTS = (10.0, 1.0, 4.0)
SNIPPET_WORDS = 24
MAX_TERMS = 12
# Snippet markers that cannot occur in the text; replaced by <mark> after escaping.
MARK_START, MARK_END = "\x02", "\x03"
WORD = re.compile(r"\w+", re.UNICODE)
# Indexing more records than this at once on PostgreSQL builds the GIN index afresh.
BULK_ROWS = 5000


def table_name(model) -> str:
    return f"{model._meta.db_table}_search"


def uses_fts(db=connection) -> bool:
    return db.vendor == "sqlite"


def uses_tsvector(db=connection) -> bool:
    return db.vendor == "postgresql"


def has_search_tables(db=connection) -> bool:
    """Whether this database has search tables that ``index()`` keeps."""
    return uses_fts(db) or uses_tsvector(db)


def terms(query: str) -> list[str]:
    """The words of a query, as the search engine tokenises them; punctuation is ignored."""
    return WORD.findall(query or "")[:MAX_TERMS]


def fts_expression(words: list[str]) -> str:
    """An FTS5 query: every word must occur; the last may be the start of a word."""
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    return " AND ".join(quoted)


def search(model, query: str, queryset=None, ranked=True) -> tuple[object, dict[int, float]]:
    """Records of ``model`` matching ``query``, and the relevance of each match.

    Returns ``(queryset, ranks)``: the queryset (``queryset`` or all records) narrowed to
    the matches in SQL, for filters and facets to build on, and ``{pk: relevance}``
    (higher is better) for ordering. An empty query narrows nothing and ranks nothing;
    neither does ``ranked=False`` (ranking every match of a common word is costly).
    """
    queryset = model._default_manager.all() if queryset is None else queryset
    words = terms(query)
    if not words:
        return queryset, {}
    # The database the queryset reads from: a read replica for public pages.
    db = connections[queryset.db]
    table = table_name(model)
    if uses_tsvector(db):
        expression = postgres.tsquery(words)
        ranks = {}
        if ranked:
            with db.cursor() as cursor:
                ranks = postgres.ranks(cursor, table, expression)
        return queryset.filter(pk__in=RawSQL(postgres.matches(table), [expression])), ranks
    return _search_fts(db, table, words, queryset, ranked)


def snippets(model, query: str, pks) -> dict[int, str]:
    """Highlighted passages (safe HTML, matches in ``<mark>``) for the records on a page."""
    words = terms(query)
    pks = list(pks)
    db = connections[router.db_for_read(model) or "default"]
    if not words or not pks:
        return {}
    table = table_name(model)
    if uses_tsvector(db):
        with db.cursor() as cursor:
            rows = postgres.headlines(
                cursor,
                table,
                postgres.tsquery(words),
                pks,
                words=SNIPPET_WORDS,
                start=MARK_START,
                end=MARK_END,
            )
        return {pk: _highlight(snippet) for pk, snippet in rows}
    placeholders = ", ".join(["%s"] * len(pks))
    with db.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, snippet({table}, -1, %s, %s, '…', {SNIPPET_WORDS}) FROM {table} "
            f"WHERE {table} MATCH %s AND rowid IN ({placeholders})",
            [MARK_START, MARK_END, fts_expression(words), *pks],
        )
        return {pk: _highlight(snippet) for pk, snippet in cursor.fetchall()}


def _search_fts(db, table, words, queryset, ranked=True):
    expression = fts_expression(words)
    ranks = {}
    if ranked:
        weights = ", ".join(str(weight) for weight in WEIGHTS)
        with db.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, -bm25({table}, {weights}) FROM {table} WHERE {table} MATCH %s",
                [expression],
            )
            ranks = dict(cursor.fetchall())
    # A subquery, not a list of ids: a common word may match most of a large archive.
    matches = RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [expression])
    return queryset.filter(pk__in=matches), ranks


def _highlight(snippet: str) -> str:
    return mark_safe(  # noqa: S308 - escaped here; only our own markers become tags
        escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    )


INDEXED_MODELS = (Document, Event, Figure)


def _names_by_pk(records, pks) -> dict[int, list[str]]:
    """{pk: [name, alternative names…]} of these records, in two queries."""
    names = {pk: [name] for pk, name in records.filter(pk__in=pks).values_list("pk", "name")}
    alternatives = AlternativeName.objects.filter(
        content_type=ContentType.objects.get_for_model(records.model), object_id__in=pks
    ).values_list("object_id", "name")
    for pk, name in alternatives:
        if pk in names:
            names[pk].append(name)
    return names


NAMES_SEPARATOR = " · "


class LinkedNames:
    """The names each indexed record is found by through its links: the names and
    alternative names of the published records it links to (a draft's names stay out of
    the index, or a snippet could show them to the public).

    One per ``index()`` call: the names of a linked record are read once and kept for
    the following chunks, since a large import links the same people and places over
    and over; each chunk then costs one query per link table.
    """

    def __init__(self):
        self.known = {}  # linked model -> {pk: "name · alternative names", or ""}

    def of(self, model, pks) -> dict[int, list[str]]:
        """{record pk: [names of its linked records]} for these records of ``model``."""
        linked = {}
        quote = connection.ops.quote_name
        placeholders = ", ".join(["%s"] * len(pks))
        for through, record_field, value_field, value_model in LINKED_NAMES[model]:
            # Plain SQL: the ORM prepares each of the ids of an IN list one by one, which
            # took longer than the query.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {quote(record_field)}, {quote(value_field)} "
                    f"FROM {quote(through._meta.db_table)} "
                    f"WHERE {quote(record_field)} IN ({placeholders})",
                    pks,
                )
                links = cursor.fetchall()
            known = self.known.setdefault(value_model, {})
            missing = {value for _, value in links if value not in known}
            if missing:
                names = _names_by_pk(value_model.objects.published(), missing)
                for pk in missing:
                    known[pk] = NAMES_SEPARATOR.join(names.get(pk, []))
            for record, value in links:
                if known[value]:
                    linked.setdefault(record, []).append(known[value])
        return linked


# The names an indexed record is found by: (link table, its two fields, the named model).
LINKED_NAMES = {
    Document: [
        (DocumentFigure, "document_id", "figure_id", Figure),
        (Document.places.through, "document_id", "place_id", Place),
        (Document.organizations.through, "document_id", "organization_id", Organization),
        (Document.topics.through, "document_id", "topic_id", Topic),
    ],
    Event: [
        (EventFigure, "event_id", "figure_id", Figure),
        (Event.places.through, "event_id", "place_id", Place),
        (Event.organizations.through, "event_id", "organization_id", Organization),
    ],
}
TEXT_FIELDS = {Document: ["text", "archival_reference"], Event: []}


def index_rows(model, pks, linked_names=None) -> list[tuple]:
    """(id, title, summary, text, names) of each record, in a fixed number of plain queries.

    The title or name weighs most, then the names of the record and of what it is linked
    to, then the summary (a figure's biography), then the text (a document's full text).
    Values, not model instances: at archive scale building instances was most of the cost.
    ``linked_names`` (:class:`LinkedNames`) carries linked records' names between chunks.
    """
    pks = list(pks)
    if model is Figure:
        names = _names_by_pk(Figure.objects.all(), pks)
        positions = {}
        for figure, title, organization in Position.objects.filter(figure__in=pks).values_list(
            "figure_id", "title", "organization__name"
        ):
            positions.setdefault(figure, []).extend(filter(None, [title, organization]))
        return [
            (
                pk,
                name,
                " ".join(filter(None, [biography, nationality])),
                " ".join(positions.get(pk, [])),
                NAMES_SEPARATOR.join([sort_name, *names.get(pk, [])[1:]]),
            )
            for pk, name, sort_name, biography, nationality in Figure.objects.filter(
                pk__in=pks
            ).values_list("pk", "name", "sort_name", "biography", "nationality")
        ]
    linked = (linked_names or LinkedNames()).of(model, pks)
    return [
        (
            pk,
            title,
            summary,
            "\n".join(filter(None, text)),
            NAMES_SEPARATOR.join(linked.get(pk, [])),
        )
        for pk, title, summary, *text in model.objects.filter(pk__in=pks)
        .order_by()
        .values_list("pk", "title", "summary", *TEXT_FIELDS[model])
    ]


def index(model, pks) -> None:
    """Bring the index rows of these records up to date (deleted records lose theirs)."""
    if not has_search_tables() or model not in INDEXED_MODELS:
        return
    if not isinstance(pks, Sequence):
        pks = list(pks)  # a list or an array of a large import's ids is not copied
    table = table_name(model)
    postgresql = uses_tsvector()
    with transaction.atomic(), connection.cursor() as cursor:
        bulk = postgresql and len(pks) > BULK_ROWS
        linked_names = LinkedNames()
        with postgres.index_dropped(cursor, table) if bulk else nullcontext():
            for start in range(0, len(pks), 500):
                chunk = list(pks[start : start + 500])
                rows = index_rows(model, chunk, linked_names)
                if postgresql:
                    postgres.delete(cursor, table, chunk)
                    postgres.insert(cursor, table, rows)
                    continue
                placeholders = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({placeholders})", chunk)
                cursor.executemany(
                    f"INSERT INTO {table} (rowid, title, body, names) VALUES (%s, %s, %s, %s)",
                    [
                        (pk, title, "\n".join(filter(None, [summary, text])), names)
                        for pk, title, summary, text, names in rows
                    ],
                )


def refresh(model, pks) -> None:
    """Re-index records of ``model`` and every indexed record that names them.

    Called on every write through the ORM (archive/signals.py) and after bulk imports.
    """
    if not has_search_tables():
        return
    if not isinstance(pks, Sequence):
        pks = list(pks)
    if model in INDEXED_MODELS:
        index(model, pks)
    # The records that name these: the same link tables their index rows are built from.
    for indexed, links in LINKED_NAMES.items():
        for through, record_field, value_field, value_model in links:
            if value_model is model:
                linked = through.objects.filter(**{f"{value_field}__in": pks})
                index(indexed, linked.values_list(record_field, flat=True).distinct())


def rebuild() -> None:
    """Remake every index row (after loading a fixture or a bulk import)."""
    if not has_search_tables():
        return
    for model in INDEXED_MODELS:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table_name(model)}")
        index(model, model._default_manager.values_list("pk", flat=True).iterator())


def build_missing() -> None:
    """Index any kind whose index is empty while it has records (a fresh or upgraded database)."""
    if not has_search_tables():
        return
    tables = set(connection.introspection.table_names())
    for model in INDEXED_MODELS:
        if table_name(model) not in tables:
            continue  # migrated back before the search tables
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table_name(model)})")
            (indexed,) = cursor.fetchone()
        if not indexed and model._default_manager.exists():
            index(model, model._default_manager.values_list("pk", flat=True).iterator())
