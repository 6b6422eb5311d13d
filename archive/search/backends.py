"""Which search machinery the database has: FTS5 tables on SQLite, tsvector tables on
PostgreSQL (both made by migrations 0004 and 0006), none on any other database."""

from django.db import connection


def table_name(model) -> str:
    return f"{model._meta.db_table}_search"


def uses_fts(db=connection) -> bool:
    return db.vendor == "sqlite"


def uses_tsvector(db=connection) -> bool:
    return db.vendor == "postgresql"


def has_search_tables(db=connection) -> bool:
    """Whether this database has search tables that ``index()`` keeps."""
    return uses_fts(db) or uses_tsvector(db)
