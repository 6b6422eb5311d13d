"""The one registry of record kinds: what each kind is, declared once.

Every list of kinds in the archive derives from ``KINDS``: the public lists, their
filters and facets, the search over every kind and its index, the CSV columns and the
order files are imported in, the sitemaps, the BibTeX downloads, the home page's counts.
Adding a kind of record is its model, its migration and one entry here.

An entry holds plain declarations (field names and paths); each room builds its own
objects from them (``archive.public.facets`` a facet per :class:`Facet`,
``archive.importexport.resources`` a CSV resource per kind), so this module imports
nothing but the models.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.fields import GenericRelation

from archive import models

# The facet path that stands for the decade of a kind's main date.
DECADE = "decade"


@dataclass(frozen=True)
class Facet:
    """A facet of a public list and the URL parameter that filters by it.

    ``path`` says what is counted: a field with choices or free text (``type``,
    ``nationality``), a relation (``figures``, or ``positions__organization`` through a
    reverse foreign key), or :data:`DECADE` for the decade of the kind's main date.
    """

    param: str
    label: str
    path: str


@dataclass(frozen=True)
class Kind:
    """One kind of record: its model, its address, and what the archive does with it."""

    model: type
    prefix: str  # first part of its address (/documents/…), its CSV kind, its sitemap section
    # Its own faceted list (/documents/) and a place in the search over every kind.
    listed: bool = False
    facets: tuple[Facet, ...] = ()
    # Search: the body (summary-like fields, weighed third) and full texts (weighed last);
    # a path through a reverse foreign key (``positions__title``) reads the related rows.
    summary_fields: tuple[str, ...] = ()
    text_fields: tuple[str, ...] = ()
    # Relations whose published records' names (and alternative names) find this kind's
    # records: "Молотов" finds the pact Molotov signed.
    linked_names: tuple[str, ...] = ()
    # The columns of its CSV file, in order; none: no CSV import or export.
    csv_columns: tuple[str, ...] = ()
    # Its names are offered when a search finds little ("did you mean …"), in this order.
    suggested: bool = False
    sort_field: str = ""  # the A–Z order, when it is not the title or name

    @property
    def name(self) -> str:
        """'document': the singular used in URL names, templates and ?kind=."""
        return self.model._meta.model_name

    @property
    def title_field(self) -> str:
        return self.model.slug_source

    @property
    def date_field(self) -> str | None:
        """The main historical date: what date filters, date order and decades read."""
        dates = getattr(self.model, "historical_dates", ())
        return dates[0] if dates else None

    @property
    def order_field(self) -> str:
        return self.sort_field or self.title_field

    @property
    def list_url_name(self) -> str:
        return f"archive:{self.name}_list"

    @property
    def detail_url_name(self) -> str:
        return f"archive:{self.name}_detail"

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def label_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def indexed(self) -> bool:
        """Whether the kind has a full-text index (every listed kind does)."""
        return self.listed

    def csv_relations(self) -> list[str]:
        """The CSV columns that name other records."""
        return [name for name in self.csv_columns if is_relation(self.model, name)]


def is_relation(model, path: str) -> bool:
    """Whether ``path`` names other records: a many-to-many field, or rows that point at
    the record (positions). Alternative names are the record's own, not a relation."""
    field = model._meta.get_field(path.split("__")[0])
    return (field.many_to_many or field.one_to_many) and not isinstance(field, GenericRelation)


PEOPLE_AND_PLACES = (
    Facet("figure", "Person", "figures"),
    Facet("place", "Place", "places"),
    Facet("organization", "Organisation", "organizations"),
)

KINDS: tuple[Kind, ...] = (
    Kind(
        models.Document,
        "documents",
        listed=True,
        facets=(
            Facet("type", "Type", "type"),
            Facet("decade", "Decade", DECADE),
            *PEOPLE_AND_PLACES,
            Facet("topic", "Topic", "topics"),
            Facet("language", "Language", "language"),
        ),
        summary_fields=("summary",),
        text_fields=("text", "archival_reference"),
        linked_names=("figures", "places", "organizations", "topics"),
        csv_columns=(
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
        ),
    ),
    Kind(
        models.Event,
        "events",
        listed=True,
        facets=(
            Facet("type", "Type", "type"),
            Facet("decade", "Decade", DECADE),
            *PEOPLE_AND_PLACES,
        ),
        summary_fields=("summary",),
        linked_names=("figures", "places", "organizations"),
        csv_columns=(
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
        ),
    ),
    Kind(
        models.Figure,
        "figures",
        listed=True,
        facets=(
            Facet("nationality", "Nationality", "nationality"),
            Facet("decade", "Born in the decade", DECADE),
            Facet("organization", "Organisation", "positions__organization"),
        ),
        summary_fields=("biography", "nationality"),
        text_fields=("positions__title",),
        linked_names=("positions__organization",),
        csv_columns=(
            "identifier",
            "slug",
            "name",
            "alternative_names",
            "birth_date",
            "death_date",
            "nationality",
            "biography",
            "status",
        ),
        suggested=True,
        sort_field="sort_name",
    ),
    Kind(
        models.Place,
        "places",
        csv_columns=(
            "identifier",
            "slug",
            "name",
            "alternative_names",
            "country",
            "latitude",
            "longitude",
            "status",
        ),
        suggested=True,
    ),
    Kind(
        models.Organization,
        "organizations",
        csv_columns=("identifier", "slug", "name", "alternative_names", "status"),
        suggested=True,
    ),
    Kind(
        models.Topic,
        "topics",
        csv_columns=("identifier", "slug", "name", "alternative_names", "status"),
        suggested=True,
    ),
    Kind(models.Source, "sources"),
)


def by_prefix(prefix: str) -> Kind:
    return next(kind for kind in KINDS if kind.prefix == prefix)


def by_name(name: str) -> Kind:
    return next(kind for kind in KINDS if kind.name == name)


def of(model) -> Kind:
    """The kind of a model (or of a record)."""
    meta = model._meta.concrete_model._meta
    return next(kind for kind in KINDS if kind.model._meta.label == meta.label)


def listed() -> list[Kind]:
    return [kind for kind in KINDS if kind.listed]


def indexed() -> list[Kind]:
    return [kind for kind in KINDS if kind.indexed]


def with_csv() -> list[Kind]:
    return [kind for kind in KINDS if kind.csv_columns]


def suggested() -> list[Kind]:
    return [kind for kind in KINDS if kind.suggested]


def in_import_order() -> list[Kind]:
    """The kinds with CSV files, each after the kinds its files name where that is
    possible: the records a cell names should exist when the row is read. Kinds that name
    each other (documents and events) keep their order here."""
    ordered, visiting = [], set()

    def visit(kind):
        if kind in ordered or kind.prefix in visiting:
            return
        visiting.add(kind.prefix)
        for column in kind.csv_relations():
            target = related_model(kind.model, column)
            for other in with_csv():
                if other.model is target:
                    visit(other)
        ordered.append(kind)

    for kind in reversed(with_csv()):
        visit(kind)
    return ordered


def related_model(model, path: str):
    """The model at the end of a relation path (``positions__organization``)."""
    for part in path.split("__"):
        model = model._meta.get_field(part).related_model
    return model


@dataclass(frozen=True)
class LinkTable:
    """The rows behind a relation path: ``through`` rows whose ``record_field`` points at
    a record of the kind and ``value_field`` at the record named (``value_model``)."""

    through: type
    record_field: str
    value_field: str
    value_model: type
    # Whether one record may link to one value through several rows (several roles).
    repeats: bool

    def column(self, field_name: str) -> str:
        return self.through._meta.get_field(field_name).column


def link_table(model, path: str) -> LinkTable:
    """The link rows of a many-to-many field (``figures``, ``places``) or of a reverse
    foreign key and a foreign key on its rows (``positions__organization``)."""
    first, *rest = path.split("__")
    field = model._meta.get_field(first)
    if field.many_to_many and not field.auto_created:
        through = field.remote_field.through
        return LinkTable(
            through,
            field.m2m_field_name(),
            field.m2m_reverse_field_name(),
            field.related_model,
            # Django's own link tables hold each pair once; a table with roles may not.
            repeats=not through._meta.auto_created,
        )
    if field.one_to_many and len(rest) == 1:
        rows = field.related_model
        value = rows._meta.get_field(rest[0])
        return LinkTable(rows, field.field.name, value.name, value.related_model, repeats=True)
    raise ValueError(f"{model.__name__}.{path} is not a relation the archive can link through.")
