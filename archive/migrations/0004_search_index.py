"""Full-text search tables (SQLite FTS5), one per searchable kind; see archive/search.py."""

from django.db import migrations

TABLES = ["archive_document_search", "archive_event_search", "archive_figure_search"]


def create_tables(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        # remove_diacritics 2: "Paris" finds "París", "Schulenburg" finds "Schulenbürg".
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {table} USING fts5("
            "title, body, names, tokenize = 'unicode61 remove_diacritics 2')"
        )
    # Existing records are indexed after migrate, by archive.records.signals.build_missing_index.


def drop_tables(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("archive", "0003_date_years")]

    operations = [migrations.RunPython(create_tables, drop_tables)]
