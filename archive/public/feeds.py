"""Atom feeds of the latest published documents and events (django.contrib.syndication)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from archive.models import Document, Event

FEED_SIZE = 30


class LatestRecords(Feed):
    """The most recently changed published records of one kind, newest first."""

    feed_type = Atom1Feed
    model = None
    link = None

    def title(self):
        return f"{settings.ARCHIVE_NAME}: latest {self.model._meta.verbose_name_plural}"

    def items(self):
        return self.model.objects.published().order_by("-modified")[:FEED_SIZE]

    def item_title(self, record):
        return str(record)

    def item_description(self, record):
        return record.summary

    def item_pubdate(self, record):
        return record.created

    def item_updateddate(self, record):
        return record.modified


class LatestDocuments(LatestRecords):
    model = Document
    link = reverse_lazy("archive:document_list")
    subtitle = "Documents published or revised in the archive."


class LatestEvents(LatestRecords):
    model = Event
    link = reverse_lazy("archive:event_list")
    subtitle = "Events published or revised in the archive."

    def item_description(self, event):
        dates = " – ".join(date for date in (event.start_date, event.end_date) if date)
        return f"{dates}. {event.summary}" if dates else event.summary
