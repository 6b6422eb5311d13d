"""Load the seed collection into an empty archive; never over an editor's work."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from archive import kinds


class Command(BaseCommand):
    help = "Load fixtures/seed.json if the archive holds no records yet (safe to run again)."

    def handle(self, *args, **options):
        existing = sum(kind.model.objects.count() for kind in kinds.KINDS)
        if existing:
            self.stdout.write(f"The archive already holds {existing} records; seed not loaded.")
            return
        call_command("loaddata", "seed", verbosity=options["verbosity"])
