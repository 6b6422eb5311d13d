"""What every archive record shares: slug, identifier, status, timestamps, dates, names."""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from archive import dates
from archive.dates import Precision
from archive.models.rules import (
    FIRST_VERSION,
    date_columns,
    next_version,
    numbered_slug,
    range_error,
    slug_base,
)


class Status(models.TextChoices):
    """Publication status: the public sees published records only."""

    DRAFT = "draft", "draft"
    PUBLISHED = "published", "published"


class RecordQuerySet(models.QuerySet):
    """Read logic shared by every record kind."""

    def published(self):
        """The one place that decides what the public may see."""
        return self.filter(status=Status.PUBLISHED)


class RecordManager(models.Manager.from_queryset(RecordQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Record(models.Model):
    """Abstract base of every curated record: a stable slug, an identifier, a status."""

    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text="The record's address on the site. Left empty, it is made from the title or "
        "name; change it only before publishing, since links and citations use it.",
    )
    identifier = models.CharField(
        max_length=100,
        blank=True,
        help_text="An external identifier, if any (e.g. a Wikidata QID such as Q1393). "
        "Imports match rows on it.",
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Only published records are shown to the public.",
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    # Bumped on every change; an edit form carries the version it was opened at, so a save
    # from a stale form is refused instead of silently overwriting another editor's work.
    version = models.PositiveIntegerField(default=FIRST_VERSION, editable=False)

    objects = RecordManager()

    # The field the slug is made from; each concrete record names it.
    slug_source = "name"

    class Meta:
        abstract = True

    def __str__(self):
        return getattr(self, self.slug_source)

    def save(self, *args, **kwargs):
        self.derive_values()
        self.ensure_slug()
        if not self._state.adding:
            self.version = next_version(self.version)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.slug,)

    @classmethod
    def identifier_constraint(cls, name):
        """Identifiers are optional, but two records of one kind never share one."""
        return models.UniqueConstraint(
            fields=["identifier"], condition=~Q(identifier=""), name=name
        )

    def clean(self):
        super().clean()
        self.ensure_slug()

    @classmethod
    def derived_values(cls, values):
        """What a record fills in from its other columns when the editor left it empty.

        ``values`` maps column names to values (a model's fields, or a row the importer is
        about to write); the answer maps the derived columns to their values. It reads
        nothing else, so that ``save()`` and the CSV importer, which builds no model
        instances, derive the same. Kinds with derived columns override it.
        """
        return {}

    def derive_values(self):
        """Fill in this record's derived columns by :meth:`derived_values`."""
        values = {field.attname: getattr(self, field.attname) for field in self._meta.fields}
        for name, value in self.derived_values(values).items():
            setattr(self, name, value)

    def ensure_slug(self):
        """Give the record a unique slug made from its title or name, if it has none."""
        if self.slug:
            return
        base = slug_base(getattr(self, self.slug_source))
        # Only the slugs that could clash are read: the base and its numbered forms.
        taken = set(
            type(self)
            ._default_manager.filter(slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        self.slug = numbered_slug(base, taken)

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED


def public_indexes(prefix, date_field, *facets, title="title"):
    """Composite indexes led by status, since every public query filters on it first.

    A facet's GROUP BY reads its ``(status, facet)`` index. The date index holds, after the
    date order (earliest day, title, id), every other column a list filters on: a list
    page, its count and its date range then read that index alone, in order, and never
    the table, whose rows (full texts) are large. The title index serves the A–Z order.
    """
    earliest, latest, year = (f"{date_field}_{part}" for part in ("earliest", "latest", "year"))
    return [
        *(models.Index(fields=["status", facet], name=f"{prefix}_pub_{facet}") for facet in facets),
        models.Index(
            fields=["status", earliest, title, "id", latest, year, *facets],
            name=f"{prefix}_pub_by_date",
        ),
        models.Index(fields=["status", title, "id"], name=f"{prefix}_pub_by_title"),
    ]


def csv_permissions(model_name, plural):
    """Permissions for bulk CSV import and export, held apart from add/change so that
    only editors trusted with whole spreadsheets get them (the admin checks them)."""
    return [
        (f"import_{model_name}", f"Can import {plural} from CSV"),
        (f"export_{model_name}", f"Can export {plural} to CSV"),
    ]


def historical_date(name, label, help_text=""):
    """An abstract model holding one historical date: the text as typed and what it means.

    ``name`` holds the editor's text; ``name_earliest``/``name_latest`` the possible days,
    ``name_year`` the year they start in; ``name_precision`` and the ``name_approximate``/
    ``name_uncertain`` flags are derived from it by :mod:`archive.dates` (see
    :class:`HistoricalDatesMixin`), never typed.
    """
    attrs = {
        "__module__": __name__,
        name: models.CharField(
            label,
            max_length=100,
            blank=True,
            help_text=help_text
            or "As the sources allow: 1939-08-23, 23 August 1939, August 1939, 1939, c. 1922, "
            "1922?, 1930s, early 1930s, 1925–1933, before 1922, after 1940, EDTF, or n.d.",
        ),
        f"{name}_earliest": models.DateField(
            f"{label} (earliest)", null=True, blank=True, editable=False, db_index=True
        ),
        f"{name}_latest": models.DateField(
            f"{label} (latest)", null=True, blank=True, editable=False, db_index=True
        ),
        # The year the date starts in (or ends in, when open at the start): a stored integer
        # so that decade facets and year groups are plain GROUP BYs, not per-row extraction.
        f"{name}_year": models.IntegerField(
            f"{label} (year)", null=True, blank=True, editable=False, db_index=True
        ),
        f"{name}_precision": models.CharField(
            f"{label} (precision)",
            max_length=10,
            choices=Precision.choices,
            default=Precision.UNDATED,
            editable=False,
        ),
        f"{name}_approximate": models.BooleanField(
            f"{label} (approximate)", default=False, editable=False
        ),
        f"{name}_uncertain": models.BooleanField(
            f"{label} (uncertain)", default=False, editable=False
        ),
        "Meta": type("Meta", (), {"abstract": True}),
    }
    return type(f"HistoricalDate_{name}", (models.Model,), attrs)


class HistoricalDatesMixin:
    """Derives the stored bounds of every historical date from the text an editor typed.

    Derived columns are kept in step in ``save()`` so that no write path (admin, shell,
    fixtures built through the ORM, imports) can store a date text with stale bounds.
    """

    historical_dates = ()  # names of the historical_date() fields on the model
    # Pairs (start, end) whose order is checked: an end may not come before its start.
    date_ranges = ()

    def derive_dates(self):
        """Parse every date field; raise ValidationError keyed by the field that is wrong."""
        errors = {}
        for name in self.historical_dates:
            try:
                parsed = dates.parse(getattr(self, name))
            except dates.DateError as error:
                label = self._meta.get_field(name).verbose_name
                errors[name] = f"{label.capitalize()}: {error}"
                continue
            for column, value in date_columns(name, parsed).items():
                setattr(self, column, value)
        for start, end in self.date_ranges:
            if start in errors or end in errors:
                continue
            message = range_error(
                self._meta.get_field(start).verbose_name,
                getattr(self, f"{start}_earliest"),
                self._meta.get_field(end).verbose_name,
                getattr(self, f"{end}_latest"),
            )
            if message:
                errors[end] = message
        if errors:
            raise ValidationError(errors)

    def clean(self):
        super().clean()
        self.derive_dates()

    def save(self, *args, **kwargs):
        self.derive_dates()
        super().save(*args, **kwargs)


class AlternativeName(models.Model):
    """Another name a record is known by: other scripts, spellings, birth names, titles."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    name = models.CharField(
        max_length=255,
        help_text="The name exactly as written, in any script (Молотов, Skryabin).",
    )
    language = models.CharField(
        max_length=20,
        blank=True,
        help_text="Language or script of the name, as a code (ru, de, ru-Latn), if known.",
    )
    note = models.CharField(
        max_length=255,
        blank=True,
        help_text="What kind of name this is (birth name, pseudonym, transliteration…).",
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "name"], name="alternative_name_unique"
            )
        ]

    def __str__(self):
        return self.name


class Citation(models.Model):
    """A record's claim to a Source: the passage or page that supports it."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    source = models.ForeignKey(
        "archive.Source",
        on_delete=models.PROTECT,
        related_name="cited_by",
        help_text="Where the archive's knowledge of this record comes from.",
    )
    passage = models.TextField(
        blank=True, help_text="The words of the source that support the record, quoted exactly."
    )
    locator = models.CharField(
        max_length=100,
        blank=True,
        help_text="Where in the source: page, folio, paragraph (p. 12, f. 3v, ¶ 4).",
    )
    note = models.TextField(
        blank=True,
        help_text="Editorial note: where the source is vague, garbled or wrong, and what the "
        "historical record says instead.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.source} {self.locator}".strip()


class NamedRecord(Record):
    """A record identified by a name, with alternative names and cited sources."""

    alternative_names = GenericRelation(AlternativeName)
    citations = GenericRelation(Citation)

    class Meta:
        abstract = True


class TitledRecord(Record):
    """A record identified by a title, with cited sources."""

    citations = GenericRelation(Citation)
    slug_source = "title"

    class Meta:
        abstract = True
