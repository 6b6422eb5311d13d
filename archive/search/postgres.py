"""PostgreSQL full-text search, the counterpart of SQLite's FTS5 in archive/search.py.

Each searchable kind has a table ``archive_<kind>_search`` (migration 0006) holding the
record's id, the indexed text (for headlines) and a weighted tsvector with a GIN index:
a record's own names (title or name, identifier, alternative names) weigh A, the names
linked to a record B, summaries C and full texts D, which ``ts_rank`` turns into
relevance (and a query of weight A alone into the title tier, ``archive.search.tiered``).
The vector is computed when a record is indexed, through the ``archive_names``
configuration: 'simple' words (no stemming, so names in any language and script are kept
as written) with unaccent.
"""

from contextlib import contextmanager

CONFIG = "archive_names"
# ts_headline options: passages of about SNIPPET words around the matches; the markers
# are replaced by <mark> after the passage is escaped (see search._highlight).
HEADLINE = (
    "MaxWords={words}, MinWords={least}, MaxFragments=2, "
    'FragmentDelimiter=" … ", StartSel={start}, StopSel={end}'
)
# Own names A, linked names B, summaries C, full texts D.
# PostgreSQL's parser reads "H.G." or "c/o" as one token (a file name), while a query is
# split into words (archive.search.terms): a dot or slash between two word characters
# becomes a space before parsing, so that "H.G. FitzGerald" is found by itself and by
# "H G FitzGerald"; markup ("</b>") keeps its slash, which the parser reads as a tag.
WORDS_OF = r"regexp_replace(%s, '(?<=\w)[./](?=\w)', ' ', 'g')"
VECTOR = " || ".join(
    f"setweight(to_tsvector('{CONFIG}', {WORDS_OF}), '{weight}')" for weight in "ABCD"
)


def tsquery(words: list[str], weights: str = "") -> str:
    """A to_tsquery() text: every word must occur (with one of ``weights``, if given: "A"
    for the record's own names); the last may be the start of a word.

    The words are ``\\w+`` runs (archive.search.terms), so quoting them is enough."""
    quoted = [f"'{word}'" + (f":{weights}" if weights else "") for word in words]
    quoted[-1] = f"'{words[-1]}':*{weights}"
    return " & ".join(quoted)


def matches(table: str) -> str:
    """SQL (one parameter: the tsquery text) selecting the ids of the matching records."""
    return f"SELECT record_id FROM {table} WHERE vector @@ to_tsquery('{CONFIG}', %s)"


def ranks(cursor, table: str, query: str, own_names: str) -> list[tuple[int, float, bool]]:
    """(id, ts_rank, whether it matches ``own_names`` too) of each match of ``query``:
    ``own_names`` is the query restricted to weight A, the record's own names."""
    cursor.execute(
        f"SELECT record_id, ts_rank(vector, query), vector @@ own FROM {table}, "
        f"to_tsquery('{CONFIG}', %s) query, to_tsquery('{CONFIG}', %s) own "
        "WHERE vector @@ query",
        [query, own_names],
    )
    return cursor.fetchall()


def headlines(cursor, table, query, pks, *, words, start, end) -> list[tuple[int, str]]:
    options = HEADLINE.format(words=words, least=words // 2, start=start, end=end)
    cursor.execute(
        f"SELECT record_id, ts_headline('{CONFIG}', concat_ws(' — ', title, body, names), "
        f"query, %s) FROM {table}, to_tsquery('{CONFIG}', %s) query "
        "WHERE vector @@ query AND record_id = ANY(%s)",
        [options, query, list(pks)],
    )
    return cursor.fetchall()


def delete(cursor, table: str, pks) -> None:
    cursor.execute(f"DELETE FROM {table} WHERE record_id = ANY(%s)", [list(pks)])


def insert(cursor, table: str, rows) -> None:
    """Index rows (id, title, summary, text, names): the vector is computed by the server."""
    cursor.executemany(
        f"INSERT INTO {table} (record_id, title, body, names, vector) "
        f"VALUES (%s, %s, %s, %s, {VECTOR})",
        [
            (pk, title, _join(summary, text), names, title, names, summary, text)
            for pk, title, summary, text, names in rows
        ],
    )


def _join(*parts):
    return "\n".join(part for part in parts if part)


@contextmanager
def index_dropped(cursor, table: str):
    """Write many rows without the GIN index, then build it once: maintaining it row by
    row makes a large load many times slower. The table is locked until commit."""
    cursor.execute(f"DROP INDEX IF EXISTS {table}_vector")
    yield
    cursor.execute(f"CREATE INDEX {table}_vector ON {table} USING gin (vector)")
