"""Names close to a misspelt one: "did you mean …" on the public pages and in imports.

difflib compares a name with the known names, whole and word by word. On PostgreSQL the
names it compares are first narrowed by pg_trgm's word similarity, through the trigram
indexes of migration 0006 (on ``archive_unaccent(name)``, so accents do not count), so
that an archive of many thousands of names is not read whole for one misspelling.
"""

import difflib
import unicodedata

from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction

from archive import kinds
from archive.models import AlternativeName

# pg_trgm word similarity from which a name is a candidate. Its default, 0.6, misses short
# misspellings ("Moskow" is 0.43 from "Moscow"); difflib then chooses among CANDIDATES.
THRESHOLD = 0.3
CANDIDATES = 50


def normalize(text):
    """Compare names as a reader would: case, spacing and Unicode composition aside."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def words_of(names):
    """{word: [names holding it]} for close_matches()."""
    by_word = {}
    for name in names:
        for word in name.split():
            by_word.setdefault(word, []).append(name)
    return by_word


def close_matches(key, names, by_word, limit=5):
    """Normalized ``names`` close to ``key``: whole names, then names holding a close word
    (a surname alone, "Molotof", is too far from the full name for difflib)."""
    close = difflib.get_close_matches(key, names, n=3, cutoff=0.6)
    for word in difflib.get_close_matches(key, by_word, n=3, cutoff=0.75):
        close += [name for name in by_word[word] if name not in close]
    return close[:limit]


def uses_trigrams(db) -> bool:
    return db.vendor == "postgresql"


def similar_names(model, text, records=None, limit=5) -> list[tuple[str, float]]:
    """(name, similarity) of the names and alternative names of ``records`` (default: every
    record of ``model``) closest to ``text``, closest first.

    PostgreSQL narrows the names to a few candidates through the trigram indexes; the
    choice among them is difflib's on every database, so both suggest the same names.
    """
    records = model._default_manager.all() if records is None else records
    db = connections[records.db]
    if not text.strip():
        return []
    if uses_trigrams(db):
        names = _trigram_candidates(db, model, text, records)
    else:
        names = _names(model, records)
    display = {}
    for name in names:
        display.setdefault(normalize(name), name)
    key = normalize(text)
    found = close_matches(key, display, words_of(display), limit)
    return [(display[name], difflib.SequenceMatcher(None, key, name).ratio()) for name in found]


def _names(model, records):
    yield from records.values_list(model.slug_source, flat=True)
    yield from AlternativeName.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=records.values("pk")
    ).values_list("name", flat=True)


def _trigram_candidates(db, model, text, records):
    ids, params = records.values("pk").query.sql_with_params()
    table = model._meta.db_table
    name = model._meta.get_field(model.slug_source).column
    content_type = ContentType.objects.get_for_model(model).pk
    # `<%` is word similarity of at least pg_trgm.word_similarity_threshold (set for this
    # transaction): the form of the condition that the trigram indexes answer.
    sql = f"""
        SELECT name, max(word_similarity(archive_unaccent(%s), archive_unaccent(name))) AS score
        FROM (
            SELECT {name} AS name FROM {table} WHERE id IN ({ids})
            UNION ALL
            SELECT name FROM archive_alternativename
            WHERE content_type_id = %s AND object_id IN ({ids})
        ) AS names
        WHERE archive_unaccent(%s) <%% archive_unaccent(name)
        GROUP BY name ORDER BY score DESC, name LIMIT %s
    """
    with transaction.atomic(using=db.alias), db.cursor() as cursor:
        cursor.execute("SET LOCAL pg_trgm.word_similarity_threshold = %s", [THRESHOLD])
        cursor.execute(sql, [text, *params, content_type, *params, text, CANDIDATES])
        return [name for name, _ in cursor.fetchall()]


def suggest(query) -> str | None:
    """A published name close to ``query``, to offer when a search finds little."""
    best = None
    for kind in kinds.suggested():
        published = kind.model.objects.published()
        for name, score in similar_names(kind.model, query, published, limit=1):
            if normalize(name) != normalize(query) and (best is None or score > best[1]):
                best = (name, score)
    return best[0] if best else None
