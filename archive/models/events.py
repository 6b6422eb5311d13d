"""Events: what happened, when, where and who took part."""

from django.db import models
from django.urls import reverse

from .base import (
    HistoricalDatesMixin,
    TitledRecord,
    csv_permissions,
    historical_date,
    public_indexes,
)
from .vocabularies import EventType, Role


class Event(
    HistoricalDatesMixin,
    historical_date("start_date", "start date"),
    historical_date(
        "end_date",
        "end date",
        help_text="Only for events that lasted; leave empty when the event took one day or "
        "its start date already spans it.",
    ),
    TitledRecord,
):
    """Something that happened: a signing, an appointment, an operation."""

    title = models.CharField(max_length=800, help_text="What happened, in a few words.")
    type = models.CharField(
        "event type",
        max_length=30,
        choices=EventType.choices,
        default=EventType.OTHER,
        db_index=True,
    )
    summary = models.TextField(blank=True, help_text="What happened and why it matters.")
    places = models.ManyToManyField("archive.Place", related_name="events", blank=True)
    figures = models.ManyToManyField(
        "archive.Figure", through="EventFigure", related_name="events", blank=True
    )
    organizations = models.ManyToManyField(
        "archive.Organization", related_name="events", blank=True
    )
    documents = models.ManyToManyField(
        "archive.Document",
        related_name="events",
        blank=True,
        help_text="Documents this event produced or that record it.",
    )

    historical_dates = ("start_date", "end_date")
    date_ranges = (("start_date", "end_date"),)

    class Meta:
        ordering = ["start_date_earliest", "title"]
        constraints = [TitledRecord.identifier_constraint("event_identifier_unique")]
        indexes = public_indexes("event", "start_date", "type")
        permissions = csv_permissions("event", "events")

    def get_absolute_url(self):
        return reverse("archive:event_detail", args=[self.slug])


class EventFigure(models.Model):
    """A figure's part in an event: participant, signatory, victim…"""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="figure_roles")
    figure = models.ForeignKey(
        "archive.Figure", on_delete=models.CASCADE, related_name="event_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "figure", "role"], name="event_figure_role_unique"
            )
        ]

    def __str__(self):
        return f"{self.figure} ({self.get_role_display()})"
