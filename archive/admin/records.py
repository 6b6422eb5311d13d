"""The editors' admin: one ModelAdmin per record kind, sharing inlines and actions."""

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.contenttypes.admin import GenericStackedInline, GenericTabularInline
from django.db import models
from django.utils.html import format_html
from django.utils.translation import ngettext

from archive.admin.csv_buttons import CsvImportExportMixin
from archive.admin.forms import PlainTextForm, VersionedRecordForm
from archive.models import (
    AlternativeName,
    Citation,
    Document,
    DocumentFigure,
    DocumentImage,
    Event,
    EventFigure,
    Figure,
    Organization,
    Place,
    Position,
    Source,
    Topic,
)
from archive.records import services


def thumbnail(field_file, alt=""):
    """An <img> of a stored thumbnail, or an em dash. Sized by static/archive/admin.css: the
    Content-Security-Policy refuses inline style attributes."""
    if not field_file:
        return "—"
    return format_html('<img class="admin-thumbnail" src="{}" alt="{}">', field_file.url, alt)


def date_summary(name):
    """A read-only admin field (a ModelAdmin method) showing what a typed date was read as."""

    def summary(model_admin, obj):
        earliest = getattr(obj, f"{name}_earliest")
        latest = getattr(obj, f"{name}_latest")
        precision = getattr(obj, f"{name}_precision")
        if earliest is None and latest is None:
            return "undated"
        qualifiers = [
            word
            for word, flag in (
                ("approximate", getattr(obj, f"{name}_approximate")),
                ("uncertain", getattr(obj, f"{name}_uncertain")),
            )
            if flag
        ]
        bounds = f"{earliest or 'open'} to {latest or 'open'}"
        return f"{bounds} · precision: {precision}" + "".join(f" · {q}" for q in qualifiers)

    return summary


class AlternativeNameInline(GenericTabularInline):
    form = PlainTextForm
    model = AlternativeName
    extra = 1
    fields = ["name", "language", "note"]


class CitationInline(GenericStackedInline):
    form = PlainTextForm
    model = Citation
    extra = 0
    autocomplete_fields = ["source"]
    fields = [("source", "locator", "order"), "passage", "note"]


class RecordAdmin(admin.ModelAdmin):
    """What every record's admin shares: status, slug, actions, history, view on site."""

    list_filter = ["status"]
    list_per_page = 50
    actions = ["publish", "unpublish"]
    readonly_fields = ["created", "modified"]
    save_on_top = True
    form = VersionedRecordForm

    def get_fieldsets(self, request, obj=None):
        # The hidden version travels with every form, whichever fields a kind lays out.
        fieldsets = super().get_fieldsets(request, obj)
        if "seen_version" in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "seen_version"]}), *rest]

    def view_on_site(self, obj):
        # The public page exists only while the record is published.
        return obj.get_absolute_url() if obj.is_published else None

    @admin.action(description="Publish the selected records", permissions=["change"])
    def publish(self, request, queryset):
        count = services.records_publish(queryset=queryset, user=request.user)
        self.message_user(
            request,
            ngettext("%d record published.", "%d records published.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(
        description="Unpublish the selected records (back to draft)", permissions=["change"]
    )
    def unpublish(self, request, queryset):
        count = services.records_unpublish(queryset=queryset, user=request.user)
        self.message_user(
            request,
            ngettext("%d record returned to draft.", "%d records returned to draft.", count)
            % count,
            messages.SUCCESS,
        )


class NamedRecordAdmin(CsvImportExportMixin, RecordAdmin):
    """Places, organisations, topics: found by any of their names."""

    list_display = ["name", "identifier", "status", "modified"]
    search_fields = ["name", "alternative_names__name", "identifier", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AlternativeNameInline, CitationInline]


# Documents


class DocumentFigureInline(admin.TabularInline):
    form = PlainTextForm
    model = DocumentFigure
    extra = 1
    autocomplete_fields = ["figure"]
    fields = ["figure", "role", "order"]
    verbose_name = "person"
    verbose_name_plural = "people (authors, signatories, recipients, mentioned…)"


class DocumentImageInline(admin.TabularInline):
    form = PlainTextForm
    model = DocumentImage
    extra = 0
    fields = ["preview", "image", "caption", "alt_text", "order"]
    readonly_fields = ["preview"]
    verbose_name = "scan"
    verbose_name_plural = "scans"

    @admin.display(description="preview")
    def preview(self, obj):
        return thumbnail(obj.thumbnail, obj.alt_text)


class DocumentEventInline(admin.TabularInline):
    form = PlainTextForm
    model = Event.documents.through
    extra = 0
    autocomplete_fields = ["event"]
    verbose_name = "related event"
    verbose_name_plural = "related events"


@admin.register(Document)
class DocumentAdmin(CsvImportExportMixin, RecordAdmin):
    list_display = ["title", "type", "date", "language", "status", "modified"]
    list_filter = ["status", "type", "date_precision", "language", "topics"]
    search_fields = [
        "title",
        "summary",
        "identifier",
        "slug",
        "archival_reference",
        "figures__name",
        "figures__alternative_names__name",
    ]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["places", "organizations", "topics"]
    readonly_fields = ["date_bounds", "created", "modified"]
    inlines = [DocumentFigureInline, DocumentEventInline, DocumentImageInline, CitationInline]
    fieldsets = [
        (None, {"fields": ["title", "type", ("date", "date_bounds"), "language", "status"]}),
        ("Content", {"fields": ["summary", "text", "archival_reference"]}),
        ("Relations", {"fields": ["places", "organizations", "topics"]}),
        ("Identification", {"fields": ["slug", "identifier", ("created", "modified")]}),
    ]
    date_bounds = admin.display(description="derived from the date")(date_summary("date"))


# Events


class EventFigureInline(admin.TabularInline):
    form = PlainTextForm
    model = EventFigure
    extra = 1
    autocomplete_fields = ["figure"]
    fields = ["figure", "role", "order"]
    verbose_name = "person"
    verbose_name_plural = "people (participants, signatories, victims…)"


@admin.register(Event)
class EventAdmin(CsvImportExportMixin, RecordAdmin):
    list_display = ["title", "type", "start_date", "end_date", "status", "modified"]
    list_filter = ["status", "type", "start_date_precision", "places"]
    search_fields = ["title", "summary", "identifier", "slug", "figures__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["places", "organizations", "documents"]
    readonly_fields = ["start_date_bounds", "end_date_bounds", "created", "modified"]
    inlines = [EventFigureInline, CitationInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "type",
                    ("start_date", "start_date_bounds"),
                    ("end_date", "end_date_bounds"),
                    "status",
                ]
            },
        ),
        ("Content", {"fields": ["summary"]}),
        ("Relations", {"fields": ["places", "organizations", "documents"]}),
        ("Identification", {"fields": ["slug", "identifier", ("created", "modified")]}),
    ]
    start_date_bounds = admin.display(description="derived from the start date")(
        date_summary("start_date")
    )
    end_date_bounds = admin.display(description="derived from the end date")(
        date_summary("end_date")
    )


# Figures


class PositionInline(admin.TabularInline):
    form = PlainTextForm
    model = Position
    extra = 0
    autocomplete_fields = ["organization"]
    fields = ["title", "organization", "start_date", "end_date"]


@admin.register(Figure)
class FigureAdmin(CsvImportExportMixin, RecordAdmin):
    list_display = ["portrait_preview", "name", "life_dates", "nationality", "status", "modified"]
    list_display_links = ["portrait_preview", "name"]
    list_filter = ["status", "nationality"]
    search_fields = ["name", "sort_name", "alternative_names__name", "identifier", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = [
        "portrait_preview",
        "birth_date_bounds",
        "death_date_bounds",
        "created",
        "modified",
    ]
    inlines = [AlternativeNameInline, PositionInline, CitationInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "sort_name",
                    ("birth_date", "birth_date_bounds"),
                    ("death_date", "death_date_bounds"),
                    "nationality",
                    "status",
                ]
            },
        ),
        ("Biography", {"fields": ["biography"]}),
        ("Portrait", {"fields": ["portrait_preview", "portrait", "portrait_caption"]}),
        ("Identification", {"fields": ["slug", "identifier", ("created", "modified")]}),
    ]
    birth_date_bounds = admin.display(description="derived from the birth date")(
        date_summary("birth_date")
    )
    death_date_bounds = admin.display(description="derived from the death date")(
        date_summary("death_date")
    )

    @admin.display(description="portrait")
    def portrait_preview(self, obj):
        return thumbnail(obj.portrait_thumbnail, obj.name)

    @admin.display(description="life dates", ordering="birth_date_earliest")
    def life_dates(self, obj):
        return obj.life_dates


# Authority records


@admin.register(Place)
class PlaceAdmin(NamedRecordAdmin):
    list_display = ["name", "country", "latitude", "longitude", "status", "modified"]
    list_filter = ["status", "country"]


@admin.register(Organization)
class OrganizationAdmin(NamedRecordAdmin):
    pass


@admin.register(Topic)
class TopicAdmin(NamedRecordAdmin):
    pass


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    list_display = ["title", "author", "type", "date", "status"]
    list_filter = ["status", "type"]
    search_fields = ["title", "author", "publication", "identifier", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["date_bounds", "created", "modified"]
    fieldsets = [
        (None, {"fields": ["title", "type", "author", "publication", ("date", "date_bounds")]}),
        ("Access", {"fields": ["url", "language", "status"]}),
        ("Content", {"fields": ["description", "text"]}),
        ("Identification", {"fields": ["slug", "identifier", ("created", "modified")]}),
    ]
    date_bounds = admin.display(description="derived from the date")(date_summary("date"))
    # Sources are cited from the web today; a bare host name means https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
