from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """The archive app; its ready() keeps the search index in step with the records."""

    name = "archive"
    verbose_name = "Archive"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from archive.records import signals

        signals.connect(self)
