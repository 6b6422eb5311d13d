"""Full-text search and name suggestions on PostgreSQL; see archive/search.py.

Mirrors the SQLite FTS5 tables of 0004: one table per searchable kind
(``archive_<kind>_search``: the record's id, its indexed text, and a weighted tsvector
with a GIN index), filled by archive.search.index(). The ``archive_names`` text search
configuration is 'simple' (no stemming or stop words, so names in any language and
script survive) with unaccent in front. ``archive_unaccent`` is unaccent declared
IMMUTABLE, so that trigram indexes on names can be built on it. Other databases: nothing.
"""

from django.db import migrations

KINDS = ["document", "event", "figure"]
NAMED = ["figure", "place", "organization", "topic", "alternativename"]
TOKENS = (
    "asciiword, asciihword, hword_asciipart, word, hword, hword_part, "
    "numword, numhword, hword_numpart"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run("CREATE EXTENSION IF NOT EXISTS unaccent")
    run("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'"
        )
        (schema,) = cursor.fetchone()
    # Schema-qualified, so the function does not depend on the caller's search_path.
    run(
        "CREATE FUNCTION archive_unaccent(text) RETURNS text "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
        f"AS $$ SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1) $$"
    )
    run("CREATE TEXT SEARCH CONFIGURATION archive_names (COPY = pg_catalog.simple)")
    run(
        f"ALTER TEXT SEARCH CONFIGURATION archive_names ALTER MAPPING FOR {TOKENS} "
        f"WITH {schema}.unaccent, pg_catalog.simple"
    )
    for kind in KINDS:
        # No foreign key: a flush truncates the records without knowing this table; rows of
        # deleted records are removed by index() and never match a record again.
        run(
            f"CREATE TABLE archive_{kind}_search ("
            "record_id bigint PRIMARY KEY, title text NOT NULL, body text NOT NULL, "
            "names text NOT NULL, vector tsvector NOT NULL)"
        )
        run(
            f"CREATE INDEX archive_{kind}_search_vector ON archive_{kind}_search "
            "USING gin (vector)"
        )
    for table in NAMED:
        run(
            f"CREATE INDEX archive_{table}_name_trgm ON archive_{table} "
            "USING gin (archive_unaccent(name) gin_trgm_ops)"
        )
    # Existing records are indexed after migrate, by archive.records.signals.build_missing_index.


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in NAMED:
        schema_editor.execute(f"DROP INDEX IF EXISTS archive_{table}_name_trgm")
    for kind in KINDS:
        schema_editor.execute(f"DROP TABLE IF EXISTS archive_{kind}_search")
    schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS archive_names")
    schema_editor.execute("DROP FUNCTION IF EXISTS archive_unaccent(text)")
    # The extensions stay: other objects in the database may use them.


class Migration(migrations.Migration):
    dependencies = [("archive", "0005_import_export_permissions")]

    operations = [migrations.RunPython(create, drop)]
