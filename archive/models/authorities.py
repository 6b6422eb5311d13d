"""Authority records: places, organisations, topics and the sources the archive cites."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from .base import (
    HistoricalDatesMixin,
    NamedRecord,
    TitledRecord,
    csv_permissions,
    historical_date,
)
from .vocabularies import language_choices


class Place(NamedRecord):
    """A place where things happened or that records are about."""

    name = models.CharField(max_length=800, help_text="The name readers know it by.")
    country = models.CharField(
        max_length=100,
        blank=True,
        help_text="The country it lies in today; say historical states in the description.",
    )
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text="WGS 84, e.g. 55.7558.",
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text="WGS 84, e.g. 37.6173.",
    )
    description = models.TextField(blank=True, help_text="What the place is and was.")

    class Meta:
        ordering = ["name"]
        constraints = [
            NamedRecord.identifier_constraint("place_identifier_unique"),
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90) | models.Q(latitude=None),
                name="place_latitude_range",
                violation_error_message="Latitude lies between -90 and 90.",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__gte=-180, longitude__lte=180)
                | models.Q(longitude=None),
                name="place_longitude_range",
                violation_error_message="Longitude lies between -180 and 180.",
            ),
        ]
        permissions = csv_permissions("place", "places")

    def get_absolute_url(self):
        return reverse("archive:place_detail", args=[self.slug])


class Organization(NamedRecord):
    """A state, government body, party, army, newspaper or other corporate body."""

    name = models.CharField(max_length=800, help_text="The name readers know it by.")
    description = models.TextField(blank=True, help_text="What the body was and did.")

    class Meta:
        ordering = ["name"]
        constraints = [NamedRecord.identifier_constraint("organization_identifier_unique")]
        permissions = csv_permissions("organization", "organizations")

    def get_absolute_url(self):
        return reverse("archive:organization_detail", args=[self.slug])


class Topic(NamedRecord):
    """A subject heading that groups records."""

    name = models.CharField(max_length=800, help_text="The heading, e.g. Military cooperation.")
    description = models.TextField(blank=True, help_text="What the topic covers.")

    class Meta:
        ordering = ["name"]
        constraints = [NamedRecord.identifier_constraint("topic_identifier_unique")]
        permissions = csv_permissions("topic", "topics")

    def get_absolute_url(self):
        return reverse("archive:topic_detail", args=[self.slug])


class SourceType(models.TextChoices):
    ARTICLE = "article", "article"
    BOOK = "book", "book"
    CHAPTER = "chapter", "book chapter"
    DOCUMENT_EDITION = "document_edition", "document edition"
    ARCHIVAL_FONDS = "archival_fonds", "archival fonds"
    WEBSITE = "website", "website"
    OTHER = "other", "other"


class Source(HistoricalDatesMixin, historical_date("date", "date"), TitledRecord):
    """Where the archive's knowledge comes from; records cite it with a passage."""

    title = models.CharField(max_length=800, help_text="Title, or a description if untitled.")
    type = models.CharField(max_length=20, choices=SourceType.choices, default=SourceType.ARTICLE)
    author = models.CharField(max_length=255, blank=True, help_text="Author(s), if known.")
    publication = models.CharField(
        max_length=255,
        blank=True,
        help_text="Where it appeared: journal, publisher, website, archive.",
    )
    url = models.URLField(blank=True, help_text="Where it can be read, if online.")
    language = models.CharField(
        max_length=10,
        choices=language_choices,
        blank=True,
        help_text="Language of the text as the archive holds it.",
    )
    description = models.TextField(
        blank=True, help_text="What the source is and how far it can be trusted."
    )
    text = models.TextField(blank=True, help_text="The full text, where the archive may hold it.")

    historical_dates = ("date",)

    class Meta:
        ordering = ["title"]
        constraints = [TitledRecord.identifier_constraint("source_identifier_unique")]

    def get_absolute_url(self):
        return reverse("archive:source_detail", args=[self.slug])
