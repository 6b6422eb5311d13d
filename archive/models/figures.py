"""Historical figures and the positions they held."""

from django.db import models
from django.urls import reverse

from archive.media.images import (
    UploadedImageField,
    portrait_upload_to,
    refresh_derivatives,
    validate_image,
)

from .base import (
    HistoricalDatesMixin,
    NamedRecord,
    csv_permissions,
    historical_date,
    public_indexes,
)
from .rules import default_sort_name


class Figure(
    HistoricalDatesMixin,
    historical_date("birth_date", "birth date"),
    historical_date("death_date", "death date"),
    NamedRecord,
):
    """A historical person."""

    name = models.CharField(
        max_length=800, help_text="The name as readers know it: Vyacheslav Molotov."
    )
    sort_name = models.CharField(
        max_length=801,  # the name, its last word put first with a comma
        blank=True,
        help_text="How the name sorts in lists: Molotov, Vyacheslav. Left empty, it is made "
        "from the name (last word first).",
    )
    nationality = models.CharField(
        max_length=100, blank=True, help_text="As the person would be described: Soviet, German."
    )
    biography = models.TextField(blank=True, help_text="A short biography for the public page.")
    portrait = UploadedImageField(
        upload_to=portrait_upload_to,
        blank=True,
        validators=[validate_image],
        help_text="A portrait: JPEG, PNG, TIFF or WebP. The original stays private; the "
        "public sees copies without its metadata (EXIF, GPS, XMP, IPTC).",
    )
    portrait_caption = models.CharField(
        max_length=255, blank=True, help_text="Caption and credit shown with the portrait."
    )
    # The public derivatives of the portrait (archive.media.images).
    portrait_display = models.ImageField(upload_to="display/", blank=True, editable=False)
    portrait_thumbnail = models.ImageField(upload_to="thumbnails/", blank=True, editable=False)

    historical_dates = ("birth_date", "death_date")
    date_ranges = (("birth_date", "death_date"),)
    derivative_fields = {"display": "portrait_display", "thumbnail": "portrait_thumbnail"}

    class Meta:
        ordering = ["sort_name", "name"]
        constraints = [NamedRecord.identifier_constraint("figure_identifier_unique")]
        indexes = public_indexes("figure", "birth_date", "nationality", title="sort_name")
        permissions = csv_permissions("figure", "figures")

    @classmethod
    def derived_values(cls, values):
        """A figure without a sort name sorts by its name, last word first."""
        if values.get("sort_name"):
            return {}
        return {"sort_name": default_sort_name(values.get("name"))}

    def save(self, *args, **kwargs):
        refresh_derivatives(self, "portrait", self.derivative_fields)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("archive:figure_detail", args=[self.slug])

    @property
    def life_dates(self):
        """'1890-03-09 – 1986-11-08' as typed, for lists and headings."""
        if not (self.birth_date or self.death_date):
            return ""
        return f"{self.birth_date or '?'} – {self.death_date or ''}".strip()


class Position(
    HistoricalDatesMixin,
    historical_date("start_date", "from"),
    historical_date("end_date", "to"),
    models.Model,
):
    """An office or post a figure held."""

    figure = models.ForeignKey(Figure, on_delete=models.CASCADE, related_name="positions")
    title = models.CharField(
        max_length=255, help_text="The post: People's Commissar for Foreign Affairs."
    )
    organization = models.ForeignKey(
        "archive.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        help_text="The body in which the post was held.",
    )

    historical_dates = ("start_date", "end_date")
    date_ranges = (("start_date", "end_date"),)

    class Meta:
        ordering = ["start_date_earliest", "title"]

    def __str__(self):
        return self.title
