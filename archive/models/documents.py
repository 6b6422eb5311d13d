"""Documents: primary sources, their people and their scans."""

from django.db import models
from django.urls import reverse

from archive.media.images import (
    UploadedImageField,
    refresh_derivatives,
    scan_upload_to,
    validate_image,
)

from .base import (
    HistoricalDatesMixin,
    TitledRecord,
    csv_permissions,
    historical_date,
    public_indexes,
)
from .vocabularies import DocumentType, Role, language_choices


class Document(HistoricalDatesMixin, historical_date("date", "date"), TitledRecord):
    """A primary source: a treaty, a telegram, a directive, an article."""

    title = models.CharField(max_length=800, help_text="A title that says what the document is.")
    type = models.CharField(
        "document type",
        max_length=30,
        choices=DocumentType.choices,
        default=DocumentType.OTHER,
        db_index=True,
    )
    language = models.CharField(
        max_length=10,
        choices=language_choices,
        blank=True,
        db_index=True,
        help_text="The language of the original.",
    )
    summary = models.TextField(blank=True, help_text="A few sentences for lists and search.")
    text = models.TextField(blank=True, help_text="Full text or transcription, where available.")
    archival_reference = models.CharField(
        max_length=255,
        blank=True,
        help_text="Where the original is kept: archive, fonds, file, or a published edition.",
    )
    figures = models.ManyToManyField(
        "archive.Figure", through="DocumentFigure", related_name="documents", blank=True
    )
    places = models.ManyToManyField(
        "archive.Place", related_name="documents", blank=True, help_text="Places it concerns."
    )
    organizations = models.ManyToManyField(
        "archive.Organization",
        related_name="documents",
        blank=True,
        help_text="Organisations that issued, received or are named in it.",
    )
    topics = models.ManyToManyField("archive.Topic", related_name="documents", blank=True)

    historical_dates = ("date",)

    class Meta:
        ordering = ["date_earliest", "title"]
        constraints = [TitledRecord.identifier_constraint("document_identifier_unique")]
        indexes = public_indexes("document", "date", "type", "language")
        permissions = csv_permissions("document", "documents")

    def get_absolute_url(self):
        return reverse("archive:document_detail", args=[self.slug])


class DocumentFigure(models.Model):
    """A figure's part in a document: author, signatory, recipient, mentioned…"""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="figure_roles")
    figure = models.ForeignKey(
        "archive.Figure", on_delete=models.CASCADE, related_name="document_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MENTIONED)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "figure", "role"], name="document_figure_role_unique"
            )
        ]

    def __str__(self):
        return f"{self.figure} ({self.get_role_display()})"


class DocumentImage(models.Model):
    """A scan or photograph of a document, in reading order."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="images")
    image = UploadedImageField(
        upload_to=scan_upload_to,
        validators=[validate_image],
        help_text="A scan: JPEG, PNG, TIFF or WebP. The original stays private; the public "
        "sees copies without its metadata (EXIF, GPS, XMP, IPTC).",
    )
    caption = models.CharField(max_length=255, blank=True, help_text="Shown under the image.")
    alt_text = models.CharField(
        max_length=255,
        blank=True,
        help_text="What the image shows, for readers who cannot see it.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in reading order.")
    # The public derivatives (archive.media.images): JPEGs re-encoded from the pixels.
    display = models.ImageField(upload_to="display/", blank=True, editable=False)
    thumbnail = models.ImageField(upload_to="thumbnails/", blank=True, editable=False)

    derivative_fields = {"display": "display", "thumbnail": "thumbnail"}

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.caption or f"Image {self.order}"

    def save(self, *args, **kwargs):
        refresh_derivatives(self, "image", self.derivative_fields)
        super().save(*args, **kwargs)
