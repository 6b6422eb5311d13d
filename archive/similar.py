"""Names close to a misspelt one: "did you mean …" on the public pages and in imports.

On PostgreSQL, pg_trgm's word similarity over the names and alternative names, through
the trigram indexes of migration 0006 (on ``archive_unaccent(name)``, so accents do not
count). Elsewhere, difflib over the names, whole and word by word.
"""

import difflib
import unicodedata

from django.contrib.contenttypes.models import ContentType
from django.db import connections

from .models import AlternativeName, Figure, Organization, Place, Topic

# Kinds whose names the public search suggests, people first.
SUGGESTED = (Figure, Place, Organization, Topic)


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
    record of ``model``) closest to ``text``, closest first."""
    records = model._default_manager.all() if records is None else records
    db = connections[records.db]
    if not text.strip():
        return []
    if uses_trigrams(db):
        return _similar_trigram(db, model, text, records, limit)
    display = {}
    for name in _names(model, records):
        display.setdefault(normalize(name), name)
    key = normalize(text)
    found = close_matches(key, display, words_of(display), limit)
    return [(display[name], difflib.SequenceMatcher(None, key, name).ratio()) for name in found]


def _names(model, records):
    yield from records.values_list(model.slug_source, flat=True)
    yield from AlternativeName.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=records.values("pk")
    ).values_list("name", flat=True)


def _similar_trigram(db, model, text, records, limit):
    ids, params = records.values("pk").query.sql_with_params()
    table = model._meta.db_table
    name = model._meta.get_field(model.slug_source).column
    content_type = ContentType.objects.get_for_model(model).pk
    # `<%` is word similarity of at least pg_trgm.word_similarity_threshold (0.6 unless
    # the operator sets it): the form of the condition that the trigram indexes answer.
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
    with db.cursor() as cursor:
        cursor.execute(sql, [text, *params, content_type, *params, text, limit])
        return cursor.fetchall()


def suggest(query) -> str | None:
    """A published name close to ``query``, to offer when a search finds little."""
    best = None
    for model in SUGGESTED:
        for name, score in similar_names(model, query, model.objects.published(), limit=1):
            if normalize(name) != normalize(query) and (best is None or score > best[1]):
                best = (name, score)
    return best[0] if best else None
