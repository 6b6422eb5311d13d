"""Full-text search over documents, events and figures, behind one function: ``search()``.

On SQLite each kind has an FTS5 table (``archive_<kind>_search``) whose rowid is the
record's id, with three weighted columns: the record's own names (title or name,
identifier, alternative names), the body text, and the names linked to the record (the
people, places, organisations and topics of a document or event), so that "Молотов"
finds Molotov and the pact he signed. A record whose own names hold the words ranks
above one that only names them (:func:`tiered`). Rows are rebuilt by ``index()``
whenever a record or anything it names changes (``archive/search/indexing.py``, called
from ``archive/records/``); ``rebuild()`` remakes every row.

On PostgreSQL the same tables hold a weighted tsvector with a GIN index instead, filled
by the same ``index()`` calls (``archive/search/postgres.py``): the rest of the archive calls
the functions here and never knows which database answers.
"""

from __future__ import annotations

import re

from django.db import connections, router
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from archive.search import postgres
from archive.search.backends import has_search_tables, table_name, uses_fts, uses_tsvector
from archive.search.indexing import build_missing, index, index_rows, rebuild, refresh

__all__ = [
    "build_missing",
    "has_search_tables",
    "index",
    "index_rows",
    "rebuild",
    "refresh",
    "search",
    "snippets",
    "table_name",
    "terms",
    "uses_fts",
    "uses_tsvector",
]

# Relevance weights of the title, body and names columns (bm25: higher counts more).
WEIGHTS = (10.0, 1.0, 4.0)
SNIPPET_WORDS = 24
MAX_TERMS = 12
# Snippet markers that cannot occur in the text; replaced by <mark> after escaping.
MARK_START, MARK_END = "\x02", "\x03"
WORD = re.compile(r"\w+", re.UNICODE)


def terms(query: str) -> list[str]:
    """The words of a query, as the search engine tokenises them; punctuation is ignored."""
    return WORD.findall(query or "")[:MAX_TERMS]


def fts_expression(words: list[str], column: str = "") -> str:
    """An FTS5 query: every word must occur (in ``column``, if given); the last may be the
    start of a word."""
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    expression = " AND ".join(quoted)
    return f"{column} : ({expression})" if column else expression


def tiered(relevance: float, own_names: bool) -> float:
    """A record's rank: in [1, 2) when its own names hold every word of the search (its
    title or name, an alternative name, its identifier), in [0, 1) when it is found only
    through its texts or the names of the records it links to. Within a tier the order
    is the database's relevance (bm25, ts_rank), squeezed into [0, 1) keeping its order.

    The tiers are what the search over every kind merges by: a relevance orders the
    records of one kind but is not comparable across kinds (each table has its own word
    statistics), while "its name is what was searched for" is. So a figure named Turner
    comes before the thousands of documents that merely name him."""
    relevance = max(float(relevance), 0.0)
    return float(bool(own_names)) + relevance / (1.0 + relevance)


def search(model, query: str, queryset=None, ranked=True) -> tuple[object, dict[int, float]]:
    """Records of ``model`` matching ``query``, and the relevance of each match.

    Returns ``(queryset, ranks)``: the queryset (``queryset`` or all records) narrowed to
    the matches in SQL, for filters and facets to build on, and ``{pk: relevance}``
    (higher is better; see :func:`tiered`, which makes the ranks of different kinds
    comparable) for ordering. An empty query narrows nothing and ranks nothing; neither
    does ``ranked=False`` (ranking every match of a common word is costly).
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
                rows = postgres.ranks(cursor, table, expression, postgres.tsquery(words, "A"))
            ranks = {pk: tiered(rank, own) for pk, rank, own in rows}
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
            # The matches whose title column (the record's own names) holds every word:
            # one subquery, read once.
            cursor.execute(
                f"SELECT rowid, -bm25({table}, {weights}), rowid IN "
                f"(SELECT rowid FROM {table} WHERE {table} MATCH %s) "
                f"FROM {table} WHERE {table} MATCH %s",
                [fts_expression(words, "title"), expression],
            )
            ranks = {pk: tiered(rank, own) for pk, rank, own in cursor.fetchall()}
    # A subquery, not a list of ids: a common word may match most of a large archive.
    matches = RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [expression])
    return queryset.filter(pk__in=matches), ranks


def _highlight(snippet: str) -> str:
    return mark_safe(  # noqa: S308 - escaped here; only our own markers become tags
        escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    )
