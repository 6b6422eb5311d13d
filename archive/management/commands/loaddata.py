"""Django's loaddata, then the search index rebuilt and the public cache made stale.

Fixtures are saved raw (no per-object index work, see archive/records/signals.py): one rebuild at
the end is both faster and the only moment every relation of a record is in place.
"""

from django.core.management.commands import loaddata

from archive.records.written import archive_reloaded


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        super().handle(*fixture_labels, **options)
        archive_reloaded()
