"""The one definition of each record kind's CSV columns.

The admin's import and export buttons (django-import-export) and the ``import_csv`` and
``export_csv`` commands all use these resources. Reading a file is not left to the
library's row-by-row import, which commits the valid rows of a bad file and, in bulk mode,
drops many-to-many links: :meth:`ArchiveResource.import_data` hands the rows to
:mod:`archive.importexport.importer` instead, which writes all of them or none.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from import_export import resources
from import_export.fields import Field
from import_export.results import Result, RowResult

from archive.importexport.cells import (
    ChoiceWidget,
    CoordinateWidget,
    HistoricalDateWidget,
    NameListWidget,
    RelationWidget,
    SlugWidget,
    TextWidget,
)
from archive.importexport.csvfiles import DatasetTable
from archive.importexport.references import ReferenceIndex
from archive.models import (
    AlternativeName,
    Document,
    DocumentFigure,
    DocumentType,
    Event,
    EventFigure,
    EventType,
    Figure,
    Organization,
    Place,
    Role,
    Status,
    Topic,
)
from archive.models.figures import default_sort_name
from archive.models.vocabularies import language_choices

EXPORT_CHUNK = 2000


@dataclass(frozen=True)
class Link:
    """Where a relation column is stored: rows of ``through`` from the record in the row
    (``source``) to the records named in the cell (``target``), with a role and an order
    when ``default_role`` is set."""

    through: type
    source: str
    target: str
    target_model: type
    default_role: str | None = None

    @classmethod
    def many_to_many(cls, model, name, reverse=False):
        """The link behind ``model.name``, or behind the reverse accessor of that field."""
        field = model._meta.get_field(name)
        through = field.remote_field.through
        ends = [
            through._meta.get_field(field.m2m_field_name()).attname,
            through._meta.get_field(field.m2m_reverse_field_name()).attname,
        ]
        target = model if reverse else field.related_model
        if reverse:
            ends.reverse()
        return cls(through, ends[0], ends[1], target)

    @property
    def has_roles(self):
        return self.default_role is not None

    def current(self, pks):
        """{source pk: [target pk, or (target pk, role)] in stored order} for ``pks``."""
        columns = [self.source, self.target] + (["role"] if self.has_roles else [])
        order = ["order", "pk"] if self.has_roles else ["pk"]
        found = {}
        rows = (
            self.through.objects.filter(**{f"{self.source}__in": pks})
            .order_by(*order)
            .values_list(*columns)
        )
        for source, *item in rows:
            found.setdefault(source, []).append(tuple(item) if self.has_roles else item[0])
        return found

    def delete(self, pks):
        self.through.objects.filter(**{f"{self.source}__in": pks}).delete()

    def insert(self, links):
        """Write link rows for [(source pk, [items])]; a raw multi-row insert, because
        building a model instance per link row would double the time of a large import."""
        rows = []
        for source, items in links:
            for order, item in enumerate(items):
                if self.has_roles:
                    rows.append((source, item[0], item[1], order))
                else:
                    rows.append((source, item))
        columns = [self.source, self.target] + (["role", "order"] if self.has_roles else [])
        insert_rows(self.through, columns, rows)


def insert_rows(model, columns, rows):
    """INSERT many rows in one executemany (SQLite and PostgreSQL alike)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


class RelationField(Field):
    """A column naming related records; stored through ``link``, not on the model."""

    def __init__(self, column_name, link, roles=None):
        super().__init__(
            column_name=column_name,
            widget=RelationWidget(roles=roles, default_role=link.default_role),
        )
        self.link = link


class AlternativeNamesField(Field):
    """A column of the record's alternative names (kept as AlternativeName rows)."""

    def __init__(self):
        super().__init__(
            column_name="alternative_names",
            widget=NameListWidget(AlternativeName._meta.get_field("name").max_length),
        )


def text_column(model, name, required=False):
    """A text column with the model field's length limit."""
    max_length = model._meta.get_field(name).max_length
    widget_class = SlugWidget if name == "slug" else TextWidget
    return Field(attribute=name, column_name=name, widget=widget_class(max_length, required))


def choice_column(name, choices, noun, default="", hint=None):
    widget = ChoiceWidget(choices, noun, default, hint)
    return Field(attribute=name, column_name=name, widget=widget)


def date_column(name):
    return Field(attribute=name, column_name=name, widget=HistoricalDateWidget())


def status_column():
    return choice_column("status", Status.choices, "status", default=Status.DRAFT)


class ImportResult(Result):
    """What the admin shows of an import: the summary, a preview, or every error."""

    def __init__(self, outcome, resource):
        super().__init__()
        self.outcome = outcome
        self.diff_headers = ["row", resource.name_field, "changes"]
        self.totals[RowResult.IMPORT_TYPE_NEW] = outcome.created
        self.totals[RowResult.IMPORT_TYPE_UPDATE] = outcome.updated
        self.totals[RowResult.IMPORT_TYPE_SKIP] = outcome.unchanged
        self.total_rows = outcome.created + outcome.updated + outcome.unchanged
        for preview in outcome.preview:
            row = RowResult()
            row.import_type = preview.import_type
            row.diff = [preview.row, preview.label, ", ".join(preview.changes)]
            row.object_repr = preview.label
            self.append_row_result(row)

    def has_validation_errors(self):
        return bool(self.outcome.errors)


class ArchiveResource(resources.ModelResource):
    """Columns of one record kind; imports go through :mod:`archive.importexport.importer`."""

    kind = ""  # the name the commands use: documents, events, …

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._references = {}
        self._links = {}
        self._alternative_names = {}

    @property
    def name_field(self):
        return self._meta.model.slug_source

    @classmethod
    def columns(cls):
        return list(cls._meta.fields)

    def before_create(self, record):
        """Fill what a new record derives from its columns (sort names and the like);
        ``record`` maps the model's columns to values."""

    # Import

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        from archive.importexport.importer import ImportFailed, import_table

        table = dataset if hasattr(dataset, "problems") else DatasetTable(dataset)
        outcome = import_table(self, table, dry_run=dry_run, user=kwargs.get("user"))
        if raise_errors and outcome.errors:
            raise ImportFailed(outcome)
        return ImportResult(outcome, self)

    # Export

    def relation_fields(self):
        return [field for field in self.get_export_fields() if isinstance(field, RelationField)]

    def references(self, model):
        """The name index of ``model``, built once per import or export."""
        if model not in self._references:
            self._references[model] = ReferenceIndex(model)
        return self._references[model]

    def iter_queryset(self, queryset):
        """Records in primary-key order, a chunk at a time, with their links fetched per
        chunk in one query per relation (not one per record and relation)."""
        queryset = queryset.order_by("pk")
        last = 0
        while True:
            chunk = list(queryset.filter(pk__gt=last)[:EXPORT_CHUNK])
            if not chunk:
                return
            self._load_related([record.pk for record in chunk])
            yield from chunk
            last = chunk[-1].pk

    def _load_related(self, pks):
        for field in self.relation_fields():
            self.references(field.link.target_model)
            self._links[field.column_name] = field.link.current(pks)
        if "alternative_names" in self.fields:
            self._alternative_names = {}
            names = (
                AlternativeName.objects.filter(
                    content_type=ContentType.objects.get_for_model(self._meta.model),
                    object_id__in=pks,
                )
                .order_by("name", "pk")
                .values_list("object_id", "name")
            )
            for pk, name in names:
                self._alternative_names.setdefault(pk, []).append(name)

    def export_field(self, field, instance, **kwargs):
        if isinstance(field, RelationField):
            return field.widget.render(
                self._links[field.column_name].get(instance.pk, []),
                references=self.references(field.link.target_model),
            )
        if isinstance(field, AlternativeNamesField):
            return field.widget.render(self._alternative_names.get(instance.pk, []))
        return super().export_field(field, instance, **kwargs)

    def export_rows(self, queryset=None):
        """The header, then each record's cells: what ``export_csv`` streams to a file."""
        yield self.get_export_headers()
        fields = self.get_export_fields()
        queryset = self.get_queryset() if queryset is None else queryset
        for record in self.iter_queryset(queryset):
            yield [self.export_field(field, record) for field in fields]


DOCUMENT_FIGURES = Link(DocumentFigure, "document_id", "figure_id", Figure, Role.MENTIONED)
EVENT_FIGURES = Link(EventFigure, "event_id", "figure_id", Figure, Role.PARTICIPANT)


class FigureResource(ArchiveResource):
    kind = "figures"
    identifier = text_column(Figure, "identifier")
    slug = text_column(Figure, "slug")
    name = text_column(Figure, "name", required=True)
    alternative_names = AlternativeNamesField()
    birth_date = date_column("birth_date")
    death_date = date_column("death_date")
    nationality = text_column(Figure, "nationality")
    biography = text_column(Figure, "biography")
    status = status_column()

    class Meta:
        model = Figure
        fields = export_order = (
            "identifier",
            "slug",
            "name",
            "alternative_names",
            "birth_date",
            "death_date",
            "nationality",
            "biography",
            "status",
        )

    def before_create(self, record):
        record["sort_name"] = default_sort_name(record["name"])


class DocumentResource(ArchiveResource):
    kind = "documents"
    identifier = text_column(Document, "identifier")
    slug = text_column(Document, "slug")
    title = text_column(Document, "title", required=True)
    type = choice_column("type", DocumentType.choices, "document type", DocumentType.OTHER)
    date = date_column("date")
    language = choice_column(
        "language",
        language_choices(),
        "language",
        hint="use an ISO 639 code such as de, en, fr or ru, or an English name such as German",
    )
    summary = text_column(Document, "summary")
    text = text_column(Document, "text")
    archival_reference = text_column(Document, "archival_reference")
    figures = RelationField("figures", DOCUMENT_FIGURES, roles=Role.choices)
    events = RelationField("events", Link.many_to_many(Event, "documents", reverse=True))
    places = RelationField("places", Link.many_to_many(Document, "places"))
    organizations = RelationField("organizations", Link.many_to_many(Document, "organizations"))
    topics = RelationField("topics", Link.many_to_many(Document, "topics"))
    status = status_column()

    class Meta:
        model = Document
        fields = export_order = (
            "identifier",
            "slug",
            "title",
            "type",
            "date",
            "language",
            "summary",
            "text",
            "archival_reference",
            "figures",
            "events",
            "places",
            "organizations",
            "topics",
            "status",
        )


class EventResource(ArchiveResource):
    kind = "events"
    identifier = text_column(Event, "identifier")
    slug = text_column(Event, "slug")
    title = text_column(Event, "title", required=True)
    type = choice_column("type", EventType.choices, "event type", EventType.OTHER)
    start_date = date_column("start_date")
    end_date = date_column("end_date")
    places = RelationField("places", Link.many_to_many(Event, "places"))
    figures = RelationField("figures", EVENT_FIGURES, roles=Role.choices)
    organizations = RelationField("organizations", Link.many_to_many(Event, "organizations"))
    documents = RelationField("documents", Link.many_to_many(Event, "documents"))
    summary = text_column(Event, "summary")
    status = status_column()

    class Meta:
        model = Event
        fields = export_order = (
            "identifier",
            "slug",
            "title",
            "type",
            "start_date",
            "end_date",
            "places",
            "figures",
            "organizations",
            "documents",
            "summary",
            "status",
        )


class PlaceResource(ArchiveResource):
    kind = "places"
    identifier = text_column(Place, "identifier")
    slug = text_column(Place, "slug")
    name = text_column(Place, "name", required=True)
    alternative_names = AlternativeNamesField()
    country = text_column(Place, "country")
    latitude = Field("latitude", "latitude", widget=CoordinateWidget(90))
    longitude = Field("longitude", "longitude", widget=CoordinateWidget(180))
    status = status_column()

    class Meta:
        model = Place
        fields = export_order = (
            "identifier",
            "slug",
            "name",
            "alternative_names",
            "country",
            "latitude",
            "longitude",
            "status",
        )


class OrganizationResource(ArchiveResource):
    kind = "organizations"
    identifier = text_column(Organization, "identifier")
    slug = text_column(Organization, "slug")
    name = text_column(Organization, "name", required=True)
    alternative_names = AlternativeNamesField()
    status = status_column()

    class Meta:
        model = Organization
        fields = export_order = ("identifier", "slug", "name", "alternative_names", "status")


class TopicResource(ArchiveResource):
    kind = "topics"
    identifier = text_column(Topic, "identifier")
    slug = text_column(Topic, "slug")
    name = text_column(Topic, "name", required=True)
    alternative_names = AlternativeNamesField()
    status = status_column()

    class Meta:
        model = Topic
        fields = export_order = ("identifier", "slug", "name", "alternative_names", "status")


RESOURCES = {
    resource.kind: resource
    for resource in (
        DocumentResource,
        EventResource,
        FigureResource,
        PlaceResource,
        OrganizationResource,
        TopicResource,
    )
}


def resource_for_model(model):
    return next(resource for resource in RESOURCES.values() if resource._meta.model is model)
