"""Facet counts for a filtered list: how many records each value would leave.

A facet's counts are computed on the list filtered by every *other* parameter, so that
choosing "treaty" keeps "secret protocol" and its count in view (OR within a facet, AND
across facets). Counts are of distinct records, also across many-to-many joins, and
only published related records are ever offered as values.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.db.models import CharField, Count, F, Q, Value
from django.db.models.functions import Cast

from archive import kinds

# Long facets show this many values until the reader asks for all of them.
SHOWN_VALUES = 10
# Values named by id in one query at most; beyond, a facet's values are all read instead.
MAX_LISTED = 1000


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    """One facet: a URL parameter and how to count its values in a queryset.

    ``values`` holds every value a reader may see (all of them once expanded, else the
    first ``SHOWN_VALUES`` and the chosen ones); ``total`` is how many values there are.
    """

    param: str
    label: str
    values: list[FacetValue] = field(default_factory=list)
    expanded: bool = False
    total: int = 0

    def counting(self, queryset):
        """A query of (value, number of records) rows for every value in ``queryset``:
        one branch of the single query that counts every facet of a list."""
        raise NotImplementedError

    def labelled(self, counted, labels) -> list[FacetValue]:
        """Every value to offer, in order, from the (value, count) rows ``counting`` gave."""
        raise NotImplementedError

    def wanted(self, counted, selected, expanded):
        """(ids, slugs) of the values whose labels the database holds, or None."""
        return None

    def fill(self, counted, selected, expanded, labels=None) -> Facet:
        """This facet with its counted values, the chosen ones always among them; only
        the values a reader may see are kept (a person facet has thousands)."""
        values = self.labelled(counted, labels or {})
        for value in values:
            value.selected = value.value in selected
        # A chosen value that no longer matches anything stays visible, so it can be unchosen.
        present = {value.value for value in values}
        missing = [value for value in selected if value not in present]
        names = self.missing_labels(missing, labels or {}) if missing else {}
        values += [FacetValue(value, names.get(value, value), 0, True) for value in missing]
        total = len(values)
        if not expanded:
            values = values[:SHOWN_VALUES] + [v for v in values[SHOWN_VALUES:] if v.selected]
        return replace(self, values=values, expanded=expanded, total=total)

    def missing_labels(self, values, labels) -> dict[str, str]:
        """Labels of chosen values that are not in the results."""
        return {}

    @property
    def shown(self) -> list[FacetValue]:
        if self.expanded:
            return self.values
        top = self.values[:SHOWN_VALUES]
        return top + [value for value in self.values[SHOWN_VALUES:] if value.selected]

    @property
    def hidden_count(self) -> int:
        return self.total - len(self.shown)


def distinct_records(queryset):
    """``queryset`` with each record once, cheaply: filters across many-to-many relations
    repeat rows, and COUNT(DISTINCT) over a whole archive costs more than a subquery."""
    if queryset.query.distinct:
        return queryset.model._default_manager.filter(pk__in=queryset.values("pk"))
    return queryset


def as_text(expression):
    # Every branch of the counting query gives its values as text, so that they line up.
    return Cast(expression, output_field=CharField())


@dataclass
class ChoiceFacet(Facet):
    """A field with a fixed vocabulary (type, language): labels from the choices."""

    field_name: str = ""
    choices: object = None

    def counting(self, queryset):
        return (
            distinct_records(queryset)
            .exclude(**{self.field_name: ""})
            .values(facet_value=as_text(F(self.field_name)))
            .annotate(n=Count("pk"))
        )

    def labelled(self, counted, labels):
        names = self.missing_labels(None, labels)
        return [
            FacetValue(value, names.get(value, value), count)
            for value, count in sorted(counted, key=lambda row: (-row[1], row[0]))
        ]

    def missing_labels(self, values, labels):
        choices = self.choices() if callable(self.choices) else self.choices
        return dict(choices)


@dataclass
class DecadeFacet(Facet):
    """Decades of a stored year column, in time order."""

    year_field: str = ""

    def counting(self, queryset):
        return (
            distinct_records(queryset)
            .exclude(**{self.year_field: None})
            # Integer division on a stored integer column: the same on SQLite and PostgreSQL.
            .values(facet_value=as_text(F(self.year_field) / 10 * 10))
            .annotate(n=Count("pk"))
        )

    def labelled(self, counted, labels=None):
        return [
            FacetValue(value, f"{value}s", count)
            for value, count in sorted(counted, key=lambda row: int(row[0]))
        ]

    def missing_labels(self, values, labels):
        return {value: f"{value}s" for value in values}


@dataclass
class RelationFacet(Facet):
    """Related records (people, places…), counted through their link table."""

    through: object = None
    record_field: str = ""
    value_field: str = ""
    # Whether one record may link to one value through several rows (several roles).
    repeats: bool = True

    @property
    def related_model(self):
        return self.through._meta.get_field(self.value_field).related_model

    def counting(self, queryset):
        # Grouped on the link table's integer column alone, then named (and drafts left
        # out) in a second query, ``labels``: joining the named table, or narrowing to its
        # published rows here, made SQLite walk the links value by value (one plan took
        # minutes at 100,000 documents).
        return (
            self.through.objects.filter(**{f"{self.record_field}__in": queryset.values("pk")})
            # A link may name no value (a position held outside any organisation).
            .filter(**{f"{self.value_field}__isnull": False})
            .values(facet_value=as_text(F(self.value_field)))
            .annotate(n=Count(self.record_field, distinct=self.repeats))
        )

    def wanted(self, counted, selected, expanded):
        return [int(value) for value, _ in counted], list(selected)

    def labels(self, pks, slugs):
        """A query of (param, pk, slug, name) of the published values among ``pks`` or
        ``slugs``: one branch of the single query that names every relation facet."""
        published = self.related_model.objects.published()
        if len(pks) > MAX_LISTED:
            chosen = published  # naming every value beats an IN list of thousands
        else:
            chosen = published.filter(Q(pk__in=pks) | Q(slug__in=slugs))
        return (
            chosen.annotate(facet_param=Value(self.param))
            .values_list("facet_param", "pk", "slug", "name")
            .order_by()
        )

    def labelled(self, counted, labels):
        named = labels.get(self.param, {})
        values = [
            FacetValue(*named[int(value)], count) for value, count in counted if int(value) in named
        ]
        return sorted(values, key=lambda value: (-value.count, value.label))

    def missing_labels(self, values, labels):
        return dict(labels.get(self.param, {}).values())


def facet_for(kind, spec) -> Facet:
    """The counting facet of a kind's declared facet (:class:`archive.kinds.Facet`): its
    class read from what the path names."""
    if spec.path == kinds.DECADE:
        return DecadeFacet(spec.param, spec.label, year_field=f"{kind.date_field}_year")
    if kinds.is_relation(kind.model, spec.path):
        link = kinds.link_table(kind.model, spec.path)
        return RelationFacet(
            spec.param,
            spec.label,
            through=link.through,
            record_field=link.record_field,
            value_field=link.value_field,
            repeats=link.repeats,
        )
    # A field with a vocabulary (type, language), or free text whose values are their
    # own labels (nationality).
    field = kind.model._meta.get_field(spec.path)
    return ChoiceFacet(spec.param, spec.label, field_name=spec.path, choices=field.choices or ())


FACETS = {kind.model: [facet_for(kind, spec) for spec in kind.facets] for kind in kinds.listed()}


def count_facets(facets, filterset, base_queryset, expanded=()):
    """Every facet filled for the list ``filterset`` describes, each counted without its
    own selection, in two queries whatever the facets: the counts, then the names."""
    data = filterset.data
    branches = [
        facet.counting(filterset.queryset_without(base_queryset, facet.param).order_by())
        .annotate(facet_param=Value(facet.param))
        .values_list("facet_param", "facet_value", "n")
        .order_by()  # SQLite takes no ORDER BY inside a UNION
        for facet in facets
    ]
    counted = {facet.param: [] for facet in facets}
    for param, value, count in branches[0].union(*branches[1:], all=True):
        counted[param].append((value, count))

    queries = []
    for facet in facets:
        selected = data.getlist(facet.param)
        asked = facet.wanted(counted[facet.param], selected, facet.param in expanded)
        if asked is not None:
            queries.append(facet.labels(*asked))
    labels = {}
    if queries:
        for param, pk, slug, name in queries[0].union(*queries[1:], all=True):
            labels.setdefault(param, {})[pk] = (slug, name)
    return [
        facet.fill(counted[facet.param], data.getlist(facet.param), facet.param in expanded, labels)
        for facet in facets
    ]
