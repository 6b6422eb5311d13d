"""Facet counts for a filtered list: how many records each value would leave.

A facet's counts are computed on the list filtered by every *other* parameter, so that
choosing "treaty" keeps "secret protocol" and its count in view (OR within a facet, AND
across facets). Counts are of distinct records, also across many-to-many joins, and
only published related records are ever offered as values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F

from .models import Document, DocumentFigure, Event, EventFigure, Figure, Position

# Long facets show this many values until the reader asks for all of them.
SHOWN_VALUES = 10


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    """One facet: a URL parameter and how to count its values in a queryset."""

    param: str
    label: str
    values: list[FacetValue] = field(default_factory=list)
    expanded: bool = False

    def count(self, queryset) -> list[tuple[str, str, int]]:
        """(value, label, number of records) for every value present in ``queryset``."""
        raise NotImplementedError

    def labels(self, values: list[str]) -> dict[str, str]:
        """Labels of values that are not in the results (chosen, but now matching nothing)."""
        return {}

    def fill(self, queryset, selected: list[str], expanded: bool) -> Facet:
        """This facet with its values counted in ``queryset`` (already without its own filter)."""
        counted = self.count(queryset)
        known = {value for value, _, _ in counted}
        values = [
            FacetValue(value, label, count, value in selected) for value, label, count in counted
        ]
        # A chosen value that no longer matches anything stays visible, so it can be unchosen.
        missing = [value for value in selected if value not in known]
        labels = self.labels(missing) if missing else {}
        values += [FacetValue(value, labels.get(value, value), 0, True) for value in missing]
        return type(self)(**{**self.__dict__, "values": values, "expanded": expanded})

    @property
    def shown(self) -> list[FacetValue]:
        if self.expanded:
            return self.values
        top = self.values[:SHOWN_VALUES]
        return top + [value for value in self.values[SHOWN_VALUES:] if value.selected]

    @property
    def hidden_count(self) -> int:
        return len(self.values) - len(self.shown)


def distinct_records(queryset):
    """``queryset`` with each record once, cheaply: filters across many-to-many relations
    repeat rows, and COUNT(DISTINCT) over a whole archive costs more than a subquery."""
    if queryset.query.distinct:
        return queryset.model._default_manager.filter(pk__in=queryset.values("pk"))
    return queryset


@dataclass
class ChoiceFacet(Facet):
    """A field with a fixed vocabulary (type, language): labels from the choices."""

    field_name: str = ""
    choices: object = None

    def count(self, queryset):
        choices = self.choices() if callable(self.choices) else self.choices
        labels = dict(choices)
        rows = (
            distinct_records(queryset)
            .exclude(**{self.field_name: ""})
            .values(self.field_name)
            .annotate(n=Count("pk"))
            .order_by("-n", self.field_name)
        )
        return [
            (row[self.field_name], labels.get(row[self.field_name], row[self.field_name]), row["n"])
            for row in rows
        ]

    def labels(self, values):
        choices = self.choices() if callable(self.choices) else self.choices
        return dict(choices)


@dataclass
class DecadeFacet(Facet):
    """Decades of a stored year column, in time order."""

    year_field: str = ""

    def count(self, queryset):
        rows = (
            distinct_records(queryset)
            .exclude(**{self.year_field: None})
            # Integer division on a stored integer column: the same on SQLite and PostgreSQL.
            .annotate(decade=F(self.year_field) / 10 * 10)
            .values("decade")
            .annotate(n=Count("pk"))
            .order_by("decade")
        )
        return [(str(row["decade"]), f"{row['decade']}s", row["n"]) for row in rows]

    def labels(self, values):
        return {value: f"{value}s" for value in values}


@dataclass
class RelationFacet(Facet):
    """Related records (people, places…), counted through their link table."""

    through: object = None
    record_field: str = ""
    value_field: str = ""

    def count(self, queryset):
        # Grouped on the link table's integer column alone, then named in a second query:
        # joining the named table first made SQLite walk every link per value (35x slower).
        counts = dict(
            self.through.objects.filter(**{f"{self.record_field}__in": queryset.values("pk")})
            .values_list(self.value_field)
            .annotate(n=Count(self.record_field, distinct=True))
            .order_by()
        )
        related = self.through._meta.get_field(self.value_field).related_model
        named = (
            related.objects.published()
            .filter(pk__in=list(counts))
            .values_list("pk", "slug", "name")
        )
        rows = [(slug, name, counts[pk]) for pk, slug, name in named]
        return sorted(rows, key=lambda row: (-row[2], row[1]))

    def labels(self, values):
        related = self.through._meta.get_field(self.value_field).related_model
        return dict(related.objects.published().filter(slug__in=values).values_list("slug", "name"))


def m2m(model, field_name, param, label):
    """A RelationFacet over a many-to-many field of ``model``."""
    relation = model._meta.get_field(field_name)
    return RelationFacet(
        param,
        label,
        through=relation.remote_field.through,
        record_field=relation.m2m_field_name(),
        value_field=relation.m2m_reverse_field_name(),
    )


def _text_facet(param, label, field_name):
    """Free-text values (nationality): the values are their own labels."""
    return ChoiceFacet(param, label, field_name=field_name, choices=())


FACETS = {
    Document: [
        ChoiceFacet("type", "Type", field_name="type", choices=Document.type.field.choices),
        DecadeFacet("decade", "Decade", year_field="date_year"),
        RelationFacet(
            "figure",
            "Person",
            through=DocumentFigure,
            record_field="document",
            value_field="figure",
        ),
        m2m(Document, "places", "place", "Place"),
        m2m(Document, "organizations", "organization", "Organisation"),
        m2m(Document, "topics", "topic", "Topic"),
        ChoiceFacet(
            "language", "Language", field_name="language", choices=Document.language.field.choices
        ),
    ],
    Event: [
        ChoiceFacet("type", "Type", field_name="type", choices=Event.type.field.choices),
        DecadeFacet("decade", "Decade", year_field="start_date_year"),
        RelationFacet(
            "figure", "Person", through=EventFigure, record_field="event", value_field="figure"
        ),
        m2m(Event, "places", "place", "Place"),
        m2m(Event, "organizations", "organization", "Organisation"),
    ],
    Figure: [
        _text_facet("nationality", "Nationality", "nationality"),
        DecadeFacet("decade", "Born in the decade", year_field="birth_date_year"),
        RelationFacet(
            "organization",
            "Organisation",
            through=Position,
            record_field="figure",
            value_field="organization",
        ),
    ],
}


def count_facets(facets, filterset_class, data, base_queryset):
    """Every facet filled for the list ``data`` describes, each without its own selection."""
    expanded = data.getlist("more")
    filled = []
    for facet in facets:
        others = data.copy()
        others.pop(facet.param, None)
        others.pop("page", None)
        filterset = filterset_class(others, queryset=base_queryset)
        queryset = filterset.qs.order_by() if filterset.is_valid() else base_queryset.none()
        filled.append(facet.fill(queryset, data.getlist(facet.param), facet.param in expanded))
    return filled
