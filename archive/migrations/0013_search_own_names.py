"""The search rows now hold a record's own names (title or name, identifier, alternative
names) in their title column and only linked records' names in their names column
(archive/search/indexing.py): the rows written before are emptied here and written again
after migrate, by archive.records.signals.build_missing_index, which indexes every kind
whose index is empty while it has records."""

from django.db import migrations

TABLES = ["archive_document_search", "archive_event_search", "archive_figure_search"]


def empty_search_tables(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor not in {"sqlite", "postgresql"}:
        return  # no search tables on other databases
    existing = set(connection.introspection.table_names())
    for table in TABLES:
        if table in existing:
            schema_editor.execute(f"DELETE FROM {table}")


class Migration(migrations.Migration):
    dependencies = [("archive", "0012_long_titles")]

    operations = [migrations.RunPython(empty_search_tables, migrations.RunPython.noop)]
