"""The public lists' filters: every URL parameter a list accepts is declared here.

Values within one parameter combine with OR (``?type=treaty&type=secret_protocol``),
parameters with AND. A value that is not valid (a draft's slug, a type that does not
exist, a date that never was) is a form error shown on the page, never a server error.
"""

import django_filters
from django import forms
from django.db.models import F, Q

from archive import dates, kinds

SORTS = {
    "relevance": "relevance",
    "date": "date, earliest first",
    "-date": "date, latest first",
    "title": "title, A–Z",
}


class HistoricalDateField(forms.CharField):
    """A form field that reads the archive's date grammar ("August 1939", "1930s")."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            parsed = dates.parse(value)
        except dates.DateError as error:
            raise forms.ValidationError(str(error)) from error
        if parsed.is_undated:
            raise forms.ValidationError("Give a date, such as 1939 or August 1939.")
        return parsed


class IntegerListField(forms.Field):
    """Several whole numbers from one repeated parameter (?decade=1930&decade=1940)."""

    widget = forms.MultipleHiddenInput

    message = "Choose decades as years, such as 1930."

    def to_python(self, value):
        try:
            decades = sorted({int(item) for item in value or []})
        except (TypeError, ValueError) as error:
            raise forms.ValidationError(self.message) from error
        # Stored years run from 1 to 9999 (Python's dates): a number far outside is a
        # mistake to point out, not a filter that quietly matches nothing.
        if any(not 0 <= decade <= 9999 for decade in decades):
            raise forms.ValidationError(self.message)
        return decades


class TextListField(forms.Field):
    """Several short texts from one repeated parameter (?nationality=German&nationality=…)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = [str(item).strip() for item in value or [] if str(item).strip()]
        if any(len(item) > 100 for item in values):
            raise forms.ValidationError("A value is longer than 100 characters.")
        return values


class HistoricalDateFilter(django_filters.Filter):
    field_class = HistoricalDateField


class TextListFilter(django_filters.Filter):
    field_class = TextListField


class DecadeFilter(django_filters.Filter):
    """Records whose date starts in any of the chosen decades."""

    field_class = IntegerListField

    def filter(self, qs, value):
        if not value:
            return qs
        either = Q()
        for decade in value:
            either |= Q(
                **{f"{self.field_name}__gte": decade, f"{self.field_name}__lt": decade + 10}
            )
        return qs.filter(either)


class RecordFilterSet(django_filters.FilterSet):
    """What every public list shares: a search, a date range, decades and a sort order."""

    q = django_filters.CharFilter(
        label="Search", method="searched_by_view", max_length=200, strip=True
    )
    date_from = HistoricalDateFilter(label="From", method="filter_date_from", max_length=100)
    date_to = HistoricalDateFilter(label="To", method="filter_date_to", max_length=100)
    sort = django_filters.ChoiceFilter(
        label="Sort by", choices=list(SORTS.items()), method="sort_by", empty_label=None
    )

    # The historical date lists sort and filter on; each FilterSet names it.
    date_field = "date"
    title_field = "title"

    def queryset_without(self, queryset, param):
        """``queryset`` narrowed by every parameter but ``param`` (a facet's own), from the
        values the form has already cleaned: a facet is counted without asking the
        database again whether each chosen slug is published."""
        for name, value in self.form.cleaned_data.items():
            if name != param:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def searched_by_view(self, queryset, name, value):
        # Full-text matching also ranks and highlights, so the view runs it (archive.search).
        return queryset

    # A bound is the first day of ``date_from`` and the last day of ``date_to``: "after
    # 1940" and "1940/.." start a range, "before 1922" and "../1922" end one. A date open
    # on the side a bound needs ("from before 1922", "to after 1940") has no such day, so
    # it sets no bound there: the filter keeps every dated record, as a bound far enough
    # out would. Undated records match no date filter.

    def filter_date_from(self, queryset, name, value):
        # Records that may fall on or after the start of `value`; open-ended ones count.
        earliest, latest = f"{self.date_field}_earliest", f"{self.date_field}_latest"
        if value.earliest is None:
            return queryset.filter(self._dated())
        return queryset.filter(
            Q(**{f"{latest}__gte": value.earliest})
            | Q(**{latest: None, f"{earliest}__isnull": False})
        )

    def filter_date_to(self, queryset, name, value):
        # Records that may fall on or before the end of `value`; open-ended ones count.
        earliest, latest = f"{self.date_field}_earliest", f"{self.date_field}_latest"
        if value.latest is None:
            return queryset.filter(self._dated())
        return queryset.filter(
            Q(**{f"{earliest}__lte": value.latest})
            | Q(**{earliest: None, f"{latest}__isnull": False})
        )

    def _dated(self):
        """Records with a date, even an open-ended one."""
        earliest, latest = f"{self.date_field}_earliest", f"{self.date_field}_latest"
        return Q(**{f"{earliest}__isnull": False}) | Q(**{f"{latest}__isnull": False})

    def sort_by(self, queryset, name, value):
        # Undated records, and those open at the start ("before 1922"), have no earliest
        # day: they follow the dated ones in either direction, on every database (SQLite
        # puts NULL first in ascending order, PostgreSQL first in descending order). The
        # ascending order still reads the date index (status, earliest day, title, id) in
        # order: SQLite walks its dated entries, then its undated ones.
        earliest = F(f"{self.date_field}_earliest")
        if value == "title":
            return queryset.order_by(self.title_field, "pk")
        if value == "-date":
            return queryset.order_by(earliest.desc(nulls_last=True), self.title_field, "pk")
        if value == "date":
            return queryset.order_by(earliest.asc(nulls_last=True), self.title_field, "pk")
        return queryset  # relevance: ordered by the view from the search ranks


def related(field_name, model, label):
    """An OR filter over published related records, named in the URL by slug."""
    return django_filters.ModelMultipleChoiceFilter(
        field_name=f"{field_name}__slug",  # the predicate compares the slug it was given
        to_field_name="slug",
        queryset=model.objects.published(),
        label=label,
        distinct=True,
    )


def filter_for(kind, spec):
    """The URL parameter of a kind's declared facet (:class:`archive.kinds.Facet`)."""
    if spec.path == kinds.DECADE:
        return DecadeFilter(field_name=f"{kind.date_field}_year", label=spec.label)
    if kinds.is_relation(kind.model, spec.path):
        return related(spec.path, kinds.related_model(kind.model, spec.path), spec.label)
    field = kind.model._meta.get_field(spec.path)
    if field.choices:
        return django_filters.MultipleChoiceFilter(choices=field.choices, label=spec.label)
    # Free text (nationality): any value is accepted; one nobody holds matches nothing.
    return TextListFilter(field_name=spec.path, lookup_expr="in", label=spec.label)


def list_filterset(kind):
    """The filters of a kind's public list: the shared ones and one per facet."""
    return type(
        f"{kind.model.__name__}FilterSet",
        (RecordFilterSet,),
        {
            **{spec.param: filter_for(kind, spec) for spec in kind.facets},
            "Meta": type("Meta", (), {"model": kind.model, "fields": []}),
            "date_field": kind.date_field,
            "title_field": kind.order_field,
        },
    )


class SearchFilterSet(RecordFilterSet):
    """The search over every kind; the view runs one per kind (see ``search_filterset``)."""

    kind = django_filters.MultipleChoiceFilter(
        label="Kind",
        choices=[(kind.name, kind.label_plural) for kind in kinds.listed()],
        method="kinds_chosen_by_view",
    )

    def kinds_chosen_by_view(self, queryset, name, value):
        return queryset


LIST_FILTERSETS = {kind.model: list_filterset(kind) for kind in kinds.listed()}


def _search_filterset(model):
    """The search's filters, bound to one kind's date and title fields."""
    base = LIST_FILTERSETS[model]
    return type(
        f"{model.__name__}SearchFilterSet",
        (SearchFilterSet,),
        {
            "Meta": type("Meta", (), {"model": model, "fields": []}),
            "date_field": base.date_field,
            "title_field": base.title_field,
            "decade": DecadeFilter(field_name=f"{base.date_field}_year", label="Decade"),
        },
    )


SEARCH_FILTERSETS = {model: _search_filterset(model) for model in LIST_FILTERSETS}
