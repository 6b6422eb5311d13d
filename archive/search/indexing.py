"""The search index rows of every indexed kind, built from the kinds registry.

A record's row holds four texts: its own names (its title or name, its identifier such as
an accession number or a Wikidata QID, its sort name and alternative names: weighed most,
and what a search's title tier reads, see ``archive.search``), the names of the
*published* records it links to (``Kind.linked_names``), its summary
(``Kind.summary_fields``) and its full texts (``Kind.text_fields``). ``index()`` rewrites
the rows of some records; ``refresh()`` also rewrites the rows of every record that names
them, which is what a save, a publish or an import of any record calls
(archive/records/).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import nullcontext

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from archive import kinds
from archive.models import AlternativeName
from archive.search import postgres
from archive.search.backends import has_search_tables, table_name, uses_tsvector

# Indexing more records than this at once on PostgreSQL builds the GIN index afresh.
BULK_ROWS = 5000
CHUNK = 500
NAMES_SEPARATOR = " · "
WORD = re.compile(r"\w+", re.UNICODE)


def _names_by_pk(records, pks) -> dict[int, list[str]]:
    """{pk: [name, alternative names…]} of these records, in two queries."""
    name = records.model.slug_source
    names = {pk: [value] for pk, value in records.filter(pk__in=pks).values_list("pk", name)}
    if hasattr(records.model, "alternative_names"):
        alternatives = AlternativeName.objects.filter(
            content_type=ContentType.objects.get_for_model(records.model), object_id__in=pks
        ).values_list("object_id", "name")
        for pk, alternative in alternatives:
            if pk in names:
                names[pk].append(alternative)
    return names


def _select(link, pks):
    """(record, value) rows of a link table for these records, in plain SQL: the ORM
    prepares each id of an IN list one by one, which took longer than the query."""
    quote = connection.ops.quote_name
    placeholders = ", ".join(["%s"] * len(pks))
    record, value = link.column(link.record_field), link.column(link.value_field)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(record)}, {quote(value)} FROM {quote(link.through._meta.db_table)} "
            f"WHERE {quote(record)} IN ({placeholders}) AND {quote(value)} IS NOT NULL",
            pks,
        )
        return cursor.fetchall()


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

    def of(self, kind, pks) -> dict[int, list[str]]:
        """{record pk: [names of its linked records]} for these records of ``kind``."""
        linked = {}
        for path in kind.linked_names:
            link = kinds.link_table(kind.model, path)
            rows = _select(link, pks)
            known = self.known.setdefault(link.value_model, {})
            missing = {value for _, value in rows if value not in known}
            if missing:
                names = _names_by_pk(link.value_model.objects.published(), missing)
                for pk in missing:
                    known[pk] = NAMES_SEPARATOR.join(names.get(pk, []))
            for record, value in rows:
                if known[value]:
                    linked.setdefault(record, []).append(known[value])
        return linked


def _texts(kind, paths, pks) -> dict[int, list[str]]:
    """{pk: [texts]} of fields reached through a reverse foreign key (``positions__title``)."""
    texts = {}
    for path in paths:
        accessor, field_name = path.split("__")
        relation = kind.model._meta.get_field(accessor)
        rows = relation.related_model._default_manager.filter(
            **{f"{relation.field.name}__in": pks}
        ).order_by()
        for pk, text in rows.values_list(relation.field.attname, field_name):
            if text:
                texts.setdefault(pk, []).append(text)
    return texts


def _words(text) -> set[str]:
    return {word.casefold() for word in WORD.findall(text or "")}


def own_names(title, identifier, sort_name, alternatives) -> str:
    """The title column of a record's row: what the record itself is called, so that a
    search for its name, any alternative name or its identifier (``T07516``, ``Q1393``)
    finds it in the title tier. A sort name is left out when it only reorders the name's
    words ("Molotov, Vyacheslav"), which would count them twice."""
    names = [title, identifier]
    if sort_name and not _words(sort_name) <= _words(title):
        names.append(sort_name)
    names += alternatives
    return NAMES_SEPARATOR.join(dict.fromkeys(name for name in names if name))


def index_rows(kind, pks, linked_names=None) -> list[tuple]:
    """(id, title, summary, text, names) of each record, in a fixed number of plain queries:
    ``title`` the record's own names (:func:`own_names`), ``names`` those of the records it
    links to.

    Values, not model instances: at archive scale building instances was most of the cost.
    ``linked_names`` (:class:`LinkedNames`) carries linked records' names between chunks.
    """
    pks = list(pks)
    model = kind.model
    own = [f for f in kind.text_fields if "__" not in f]
    related_texts = _texts(kind, [f for f in kind.text_fields if "__" in f], pks)
    alternatives = (
        _names_by_pk(model._default_manager.all(), pks)
        if hasattr(model, "alternative_names")
        else {}
    )
    linked = (linked_names or LinkedNames()).of(kind, pks)
    sort = [kind.sort_field] if kind.sort_field else []
    columns = ["pk", kind.title_field, "identifier", *sort, *kind.summary_fields, *own]
    rows = []
    for pk, title, identifier, *values in (
        model._default_manager.filter(pk__in=pks).order_by().values_list(*columns)
    ):
        sort_name = values[0] if sort else ""
        summary = values[len(sort) : len(sort) + len(kind.summary_fields)]
        text = [*values[len(sort) + len(kind.summary_fields) :], *related_texts.get(pk, [])]
        rows.append(
            (
                pk,
                own_names(title, identifier, sort_name, alternatives.get(pk, [])[1:]),
                "\n".join(filter(None, summary)),
                "\n".join(filter(None, text)),
                NAMES_SEPARATOR.join(filter(None, linked.get(pk, []))),
            )
        )
    return rows


def index(model, pks) -> None:
    """Bring the index rows of these records up to date (deleted records lose theirs)."""
    kind = next((kind for kind in kinds.indexed() if kind.model is model), None)
    if kind is None or not has_search_tables():
        return
    if not isinstance(pks, Sequence):
        pks = list(pks)  # a list or an array of a large import's ids is not copied
    table = table_name(model)
    postgresql = uses_tsvector()
    with transaction.atomic(), connection.cursor() as cursor:
        bulk = postgresql and len(pks) > BULK_ROWS
        linked_names = LinkedNames()
        with postgres.index_dropped(cursor, table) if bulk else nullcontext():
            for start in range(0, len(pks), CHUNK):
                chunk = list(pks[start : start + CHUNK])
                rows = index_rows(kind, chunk, linked_names)
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


def linking(model):
    """(indexed kind, link table) of every relation whose names come from ``model``: the
    records to re-index when a record of ``model`` changes name or status."""
    return [
        (kind, link)
        for kind in kinds.indexed()
        for link in (kinds.link_table(kind.model, path) for path in kind.linked_names)
        if link.value_model is model
    ]


def refresh(model, pks) -> None:
    """Re-index records of ``model`` and every indexed record that names them."""
    if not has_search_tables():
        return
    if not isinstance(pks, Sequence):
        pks = list(pks)
    index(model, pks)
    for kind, link in linking(model):
        named = link.through._default_manager.filter(**{f"{link.value_field}__in": pks})
        index(kind.model, named.values_list(link.record_field, flat=True).distinct())


def _index_all(model):
    index(model, model._default_manager.values_list("pk", flat=True).iterator())


def rebuild() -> None:
    """Remake every index row (after loading a fixture or a bulk import)."""
    if not has_search_tables():
        return
    for kind in kinds.indexed():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table_name(kind.model)}")
        _index_all(kind.model)


def build_missing() -> None:
    """Index any kind whose index is empty while it has records (a fresh or upgraded database)."""
    if not has_search_tables():
        return
    tables = set(connection.introspection.table_names())
    for kind in kinds.indexed():
        table = table_name(kind.model)
        if table not in tables:
            continue  # migrated back before the search tables
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
            (indexed,) = cursor.fetchone()
        if not indexed and kind.model._default_manager.exists():
            _index_all(kind.model)
