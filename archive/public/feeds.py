"""Atom feeds of the latest published documents and events (django.contrib.syndication).

Editors write plain text, and the site shows it as text; the feeds send it as text too
(``<summary type="text">``), so that no feed reader runs markup an editor typed or
pasted. Text is cleaned of the characters XML 1.0 cannot carry
(:func:`archive.models.text.plain_text`) as it is written out, so that one vertical tab in
a record stored before the admin and the importer cleaned it cannot take a feed down.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.xmlutils import SimplerXMLGenerator

from archive.models import Document, Event
from archive.models.text import plain_text

FEED_SIZE = 30


class PlainTextXMLGenerator(SimplerXMLGenerator):
    """Writes character data without what XML 1.0 cannot hold, where Django's raises."""

    def characters(self, content):
        super().characters(plain_text(content))


class PlainTextAtom1Feed(Atom1Feed):
    """An Atom feed whose entries' summaries are plain text, not HTML."""

    def write(self, outfile, encoding):
        # Atom1Feed.write, with the generator above.
        handler = PlainTextXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_item_elements(self, handler, item):
        # Atom1Feed writes the description as type="html"; everything else as it does.
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class LatestRecords(Feed):
    """The most recently changed published records of one kind, newest first."""

    feed_type = PlainTextAtom1Feed
    model = None
    link = None

    def title(self):
        return f"{settings.ARCHIVE_NAME}: latest {self.model._meta.verbose_name_plural}"

    def items(self):
        return self.model.objects.published().order_by("-modified")[:FEED_SIZE]

    def item_title(self, record):
        # One line, as the admin now stores a title (the generator would make it two).
        return plain_text(str(record), multiline=False)

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
        dates = " – ".join(
            plain_text(date, multiline=False) for date in (event.start_date, event.end_date) if date
        )
        return f"{dates}. {event.summary}" if dates else event.summary
