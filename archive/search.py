"""Full-text search over documents, events and figures, behind one function: ``search()``.

On SQLite each kind has an FTS5 table (``archive_<kind>_search``) whose rowid is the
record's id, with three weighted columns: the title or name, the body text, and the
names linked to the record (a figure's alternative names; the people, places,
organisations and topics of a document or event), so that "Молотов" finds Molotov and
the pact he signed. Rows are rebuilt by ``index()`` whenever a record or anything it
names changes (see ``archive/signals.py``); ``rebuild()`` remakes every row.

Other databases get a plain ``icontains`` match over the same text until a native
full-text implementation replaces ``_search_portable`` (PostgreSQL: SearchVector).
"""

from __future__ import annotations

import re

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import (
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

# Relevance weights of the title, body and names columns (bm25: higher counts more).
WEIGHTS = (10.0, 1.0, 4.0)
SNIPPET_WORDS = 24
MAX_TERMS = 12
# Snippet markers that cannot occur in the text; replaced by <mark> after escaping.
MARK_START, MARK_END = "\x02", "\x03"
WORD = re.compile(r"\w+", re.UNICODE)


def table_name(model) -> str:
    return f"{model._meta.db_table}_search"


def uses_fts() -> bool:
    return connection.vendor == "sqlite"


def terms(query: str) -> list[str]:
    """The words of a query, as the search engine tokenises them; punctuation is ignored."""
    return WORD.findall(query or "")[:MAX_TERMS]


def fts_expression(words: list[str]) -> str:
    """An FTS5 query: every word must occur; the last may be the start of a word."""
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    return " AND ".join(quoted)


def search(model, query: str, queryset=None) -> tuple[object, dict[int, float]]:
    """Records of ``model`` matching ``query``, and the relevance of each match.

    Returns ``(queryset, ranks)``: the queryset (``queryset`` or all records) narrowed to
    the matches in SQL, for filters and facets to build on, and ``{pk: relevance}``
    (higher is better) for ordering. An empty query narrows nothing and ranks nothing.
    """
    queryset = model._default_manager.all() if queryset is None else queryset
    words = terms(query)
    if not words:
        return queryset, {}
    if uses_fts():
        return _search_fts(model, words, queryset)
    return _search_portable(model, words, queryset)


def snippets(model, query: str, pks) -> dict[int, str]:
    """Highlighted passages (safe HTML, matches in ``<mark>``) for the records on a page."""
    words = terms(query)
    pks = list(pks)
    if not words or not pks or not uses_fts():
        return {}
    table = table_name(model)
    placeholders = ", ".join(["%s"] * len(pks))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, snippet({table}, -1, %s, %s, '…', {SNIPPET_WORDS}) FROM {table} "
            f"WHERE {table} MATCH %s AND rowid IN ({placeholders})",
            [MARK_START, MARK_END, fts_expression(words), *pks],
        )
        return {pk: _highlight(snippet) for pk, snippet in cursor.fetchall()}


def _search_fts(model, words, queryset):
    table = table_name(model)
    expression = fts_expression(words)
    weights = ", ".join(str(weight) for weight in WEIGHTS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -bm25({table}, {weights}) FROM {table} WHERE {table} MATCH %s",
            [expression],
        )
        ranks = dict(cursor.fetchall())
    # A subquery, not a list of ids: a common word may match most of a large archive.
    matches = RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [expression])
    return queryset.filter(pk__in=matches), ranks


def _search_portable(model, words, queryset):
    condition = Q()
    for word in words:
        either = Q()
        for field in SEARCHED_FIELDS[model]:
            either |= Q(**{f"{field}__icontains": word})
        condition &= either
    matched = model._default_manager.filter(condition).values("pk")
    ranks = dict.fromkeys(matched.values_list("pk", flat=True), 1.0)
    return queryset.filter(pk__in=matched), ranks


def _highlight(snippet: str) -> str:
    return mark_safe(  # noqa: S308 - escaped here; only our own markers become tags
        escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    )


# What each kind's index holds; the portable search reads the same fields.
SEARCHED_FIELDS = {
    Document: [
        "title",
        "summary",
        "text",
        "figures__name",
        "figures__alternative_names__name",
    ],
    Event: ["title", "summary", "figures__name", "figures__alternative_names__name"],
    Figure: ["name", "biography", "alternative_names__name"],
}
INDEXED_MODELS = tuple(SEARCHED_FIELDS)


def _names_by_pk(model, pks, published_only=False) -> dict[int, list[str]]:
    """{pk: [name, alternative names…]} of these records, in two queries."""
    records = model.objects.published() if published_only else model.objects.all()
    names = {pk: [name] for pk, name in records.filter(pk__in=pks).values_list("pk", "name")}
    alternatives = AlternativeName.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=pks
    ).values_list("object_id", "name")
    for pk, name in alternatives:
        if pk in names:
            names[pk].append(name)
    return names


def _linked_names(through, record_field, value_field, value_model, pks) -> dict[int, list[str]]:
    """{record pk: names of the published records it links to}, through one link table.

    A draft's names stay out of the index, or a snippet could show them to the public.
    """
    links = list(
        through.objects.filter(**{f"{record_field}__in": pks}).values_list(
            record_field, value_field
        )
    )
    names = _names_by_pk(value_model, {value for _, value in links}, published_only=True)
    linked = {}
    for record, value in links:
        linked.setdefault(record, []).extend(names.get(value, []))
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
BODY_FIELDS = {
    Document: ["summary", "text", "archival_reference"],
    Event: ["summary"],
}


def index_rows(model, pks) -> list[tuple]:
    """(rowid, title, body, names) of each record, in a fixed number of plain queries.

    Values, not model instances: at archive scale building instances was most of the cost.
    """
    pks = list(pks)
    if model is Figure:
        names = _names_by_pk(Figure, pks)
        positions = {}
        for figure, title, organization in Position.objects.filter(figure__in=pks).values_list(
            "figure_id", "title", "organization__name"
        ):
            positions.setdefault(figure, []).extend(filter(None, [title, organization]))
        return [
            (
                pk,
                name,
                " ".join(filter(None, [biography, nationality, *positions.get(pk, [])])),
                " · ".join([sort_name, *names.get(pk, [])[1:]]),
            )
            for pk, name, sort_name, biography, nationality in Figure.objects.filter(
                pk__in=pks
            ).values_list("pk", "name", "sort_name", "biography", "nationality")
        ]
    linked = [_linked_names(*spec, pks) for spec in LINKED_NAMES[model]]
    rows = []
    for pk, title, *body in model.objects.filter(pk__in=pks).values_list(
        "pk", "title", *BODY_FIELDS[model]
    ):
        names = [name for names_by_pk in linked for name in names_by_pk.get(pk, [])]
        rows.append((pk, title, "\n".join(filter(None, body)), " · ".join(names)))
    return rows


def index(model, pks) -> None:
    """Bring the index rows of these records up to date (deleted records lose theirs)."""
    if not uses_fts() or model not in INDEXED_MODELS:
        return
    pks = list(pks)
    table = table_name(model)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), 500):
            chunk = pks[start : start + 500]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({placeholders})", chunk)
            cursor.executemany(
                f"INSERT INTO {table} (rowid, title, body, names) VALUES (%s, %s, %s, %s)",
                index_rows(model, chunk),
            )


def refresh(model, pks) -> None:
    """Re-index records of ``model`` and every indexed record that names them.

    Called on every write through the ORM (archive/signals.py) and after bulk imports.
    """
    if not uses_fts():
        return
    pks = list(pks)
    if model in INDEXED_MODELS:
        index(model, pks)
    if model is Figure:
        index(Document, _linked(DocumentFigure, "figure", pks, "document"))
        index(Event, _linked(EventFigure, "figure", pks, "event"))
    elif model in (Place, Organization, Topic):
        name = model._meta.model_name
        index(
            Document, Document.objects.filter(**{f"{name}s__in": pks}).values_list("pk", flat=True)
        )
        if model is not Topic:
            index(Event, Event.objects.filter(**{f"{name}s__in": pks}).values_list("pk", flat=True))


def _linked(through, field, pks, other):
    return through.objects.filter(**{f"{field}__in": pks}).values_list(other, flat=True).distinct()


def rebuild() -> None:
    """Remake every index row (after loading a fixture or a bulk import)."""
    if not uses_fts():
        return
    for model in INDEXED_MODELS:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table_name(model)}")
        index(model, model._default_manager.values_list("pk", flat=True).iterator())


def build_missing() -> None:
    """Index any kind whose index is empty while it has records (a fresh or upgraded database)."""
    if not uses_fts():
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
