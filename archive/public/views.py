"""Thin public views; every one starts from a published() queryset."""

from dataclasses import replace
from functools import cache

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.generic import DetailView, TemplateView

from archive import caching, search
from archive.models import Document, Event, Figure, Organization, Place, Source, Status, Topic
from archive.public import citations, throttling
from archive.public.facets import FACETS, DecadeFacet, Facet, FacetValue, count_facets
from archive.public.filters import LIST_FILTERSETS, SEARCH_FILTERSETS, SORTS
from archive.search import suggestions as similar

PAGE_SIZE = 20
# A search with fewer results than this offers a close name ("did you mean …").
SUGGEST_BELOW = 3
KINDS = {"document": Document, "event": Event, "figure": Figure}


def home(request):
    """What the archive holds, entry points, and the latest published records."""
    counts, latest = caching.cached("home", (), home_summary)
    return render(request, "archive/home.html", {"counts": counts, "latest": latest})


def home_summary():
    """The home page's counts and latest records: the same for every reader, so cached."""
    counts = [
        (model._meta.verbose_name_plural, model.objects.published().count())
        for model in (Document, Event, Figure, Place, Organization, Topic, Source)
    ]
    latest = sorted(
        (
            record
            for model in KINDS.values()
            for record in model.objects.published().order_by("-modified")[:6]
        ),
        key=lambda record: record.modified,
        reverse=True,
    )[:8]
    return counts, latest


def paginate(request, items, page_size=PAGE_SIZE):
    """The requested page of ``items``; a page that is not a number or is past the end is 404."""
    try:
        return Paginator(items, page_size).page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404("No such page of results.") from error


def cached_page(request, name, state, listing, page_size=PAGE_SIZE, snippets=None):
    """The requested page of ``listing()`` (ids), cached with the number of results and
    the page's ``snippets(ids)`` under ``name`` and ``state`` until the records change:
    counting a large list, finding a page in it and highlighting a common word's
    prefix in every passage are the same for every reader, and at archive scale they cost
    more than the rest of the page. Returns (page, snippets); the ids are the page's
    ``object_list``."""
    number = request.GET.get("page") or "1"

    def compute():
        page = paginate(request, listing(), page_size)  # a bad number is a 404, not cached
        ids = list(page.object_list)
        return page.paginator.count, ids, snippets(ids) if snippets else {}

    total, ids, highlighted = caching.cached(name, (state, number), compute)
    paginator = Paginator([], page_size)
    paginator.count = total  # known: the list is not counted again
    page = paginator.page(number)
    page.object_list = ids
    return page, highlighted


def cache_state(data, params):
    """The values of ``params`` in the query string, as part of a cache key. Only known
    parameters count, so that an address padded with others (?x=1, ?x=2, …) cannot force
    new work and a new cache entry each time."""
    return sorted((key, data.getlist(key)) for key in data if key in params)


def in_order(model, pks):
    """The published records with these ids, in the order given, in one query. The ids
    may come from the cache a moment before a record was unpublished or deleted: such a
    record is left out, never shown."""
    pks = list(pks)
    by_pk = model.objects.published().order_by().in_bulk(pks)
    return [by_pk[pk] for pk in pks if pk in by_pk]


def sort_choices(request):
    """The orders a list offers: relevance only when there is something to be relevant to."""
    searched = bool(search.terms(request.GET.get("q", "")))
    return [(value, label) for value, label in SORTS.items() if searched or value != "relevance"]


def suggestion(request, query, total):
    """(name, URL of the same page searching for it) when a search finds little, else None."""
    if not query or total >= SUGGEST_BELOW:
        return None
    name = similar.suggest(query)
    if name is None:
        return None
    params = request.GET.copy()
    params["q"] = name
    params.pop("page", None)
    return name, f"?{params.urlencode()}"


def chips(request, filterset, facets):
    """The active filters as (label, value, URL without it), for removable chips."""
    labels = {(facet.param, value.value): value.label for facet in facets for value in facet.values}
    active = []
    for name, field in filterset.form.fields.items():
        if name == "sort":
            continue
        for value in request.GET.getlist(name):
            if not value:
                continue
            without = request.GET.copy()
            without.setlist(name, [other for other in without.getlist(name) if other != value])
            without.pop("page", None)
            active.append(
                (field.label, labels.get((name, value), value), f"?{without.urlencode()}")
            )
    return active


def searched_text(cleaned_data):
    """The search text of a valid form, or "" when it holds no word to search for ("!!!")."""
    query = cleaned_data.get("q") or ""
    return query if search.terms(query) else ""


class PublicQueryView(TemplateView):
    """A public page driven by its query string: the lists and the search."""

    def dispatch(self, request, *args, **kwargs):
        # No reader types NUL, and PostgreSQL cannot compare text holding it: refuse the
        # address before any value reaches a form, a query or a cache key.
        if any("\x00" in item for key, values in request.GET.lists() for item in (key, *values)):
            return render(request, "archive/bad_query.html", status=400)
        return throttling.search_throttled(request) or super().dispatch(request, *args, **kwargs)


class FacetedList(PublicQueryView):
    """A faceted, searchable, sortable list of one kind of record."""

    model = None
    template_name = "archive/record_list.html"
    fixed_sort = None  # a list that always keeps one order (the timeline)
    page_size = PAGE_SIZE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.request.GET
        filterset_class = LIST_FILTERSETS[self.model]
        published = self.model.objects.published()
        filterset = filterset_class(data, queryset=published)
        context.update(
            kind=self.model._meta.verbose_name,
            kind_plural=self.model._meta.verbose_name_plural,
            filterset=filterset,
            list_url=self.request.path,
            fixed_sort=self.fixed_sort,
            sort_choices=sort_choices(self.request),
        )
        if not filterset.is_valid():
            # The facets without counts, so that a value they refuse is named where it is.
            context.update(page=None, facets=FACETS[self.model], chips=[], total=0)
            return context

        query = searched_text(filterset.form.cleaned_data)
        matches, _ = search.search(self.model, query, published, ranked=False)
        filterset.queryset = matches
        # What is cached for this URL (relevance order, facet counts): the same for every
        # reader, whatever the page or, for the counts, the order.
        state = cache_state(data, (set(filterset.form.fields) - {"sort", "page"}) | {"more"})
        sort = (
            self.fixed_sort
            or filterset.form.cleaned_data.get("sort")
            or ("relevance" if query else "date")
        )
        results = filterset.qs
        if sort == "relevance" and not query:
            sort = "date"

        def listing():
            if sort != "relevance":
                # Ids in the order the date or title index holds them: counting and
                # skipping to a deep page never read the large rows.
                return filterset.sort_by(results, "sort", sort).values_list("pk", flat=True)

            # Ranking every match of a common word is the costly part of a search, and
            # the same for every page of the URL: the ids in relevance order are cached.
            def rank():
                _, ranks = search.search(self.model, query, published)
                matched = results.order_by().values_list("pk", flat=True)
                return sorted(matched, key=lambda pk: (-ranks[pk], pk))

            return caching.cached(f"ranked:{self.model._meta.model_name}", state, rank)

        page, snippets = cached_page(
            self.request,
            f"page:{self.model._meta.model_name}",
            (state, sort),
            listing,
            self.page_size,
            snippets=lambda pks: search.snippets(self.model, query, pks),
        )
        total = page.paginator.count
        page.object_list = in_order(self.model, page.object_list)
        # The counts are the costly part of a list and the same for every reader of a URL.
        counted = caching.cached(
            f"facets:{self.model._meta.model_name}",
            state,
            lambda: [
                (facet.values, facet.expanded, facet.total)
                for facet in count_facets(
                    FACETS[self.model], filterset, matches, data.getlist("more")
                )
            ],
        )
        facets = [
            replace(facet, values=values, expanded=expanded, total=total)
            for facet, (values, expanded, total) in zip(FACETS[self.model], counted, strict=True)
        ]
        context.update(
            page=page,
            results=[(record, snippets.get(record.pk)) for record in page],
            facets=facets,
            chips=chips(self.request, filterset, facets),
            total=total,
            sort=sort,
            query=query,
            suggestion=suggestion(self.request, query, total),
        )
        return context


class DocumentList(FacetedList):
    model = Document


class EventList(FacetedList):
    model = Event


class FigureList(FacetedList):
    model = Figure


class Timeline(FacetedList):
    """Events in time order, grouped by year, filtered like the event list."""

    model = Event
    template_name = "archive/timeline.html"
    fixed_sort = "date"
    page_size = 100


class Search(PublicQueryView):
    """One search over every kind of record, with a kind facet."""

    template_name = "archive/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.request.GET
        form_check = SEARCH_FILTERSETS[Document](data, queryset=Document.objects.none())
        context.update(
            filterset=form_check,
            list_url=self.request.path,
            sort_choices=sort_choices(self.request),
        )
        if not form_check.is_valid():
            facets = [Facet("kind", "Kind"), Facet("decade", "Decade")]
            context.update(page=None, facets=facets, chips=[], total=0)
            return context
        cleaned = form_check.form.cleaned_data
        query = searched_text(cleaned)
        asked = cleaned.get("kind") or []
        chosen = asked or list(KINDS)
        sort = cleaned.get("sort") or ("relevance" if query else "date")
        if sort == "relevance" and not query:
            sort = "date"

        # Ranking and counting every match is the costly part and the same for every
        # reader of the URL, whatever the page: cached until the records change.
        state = cache_state(data, set(form_check.form.fields) - {"page"})

        @cache  # once per request, even when nothing is cached
        def everything():
            return caching.cached("search", state, lambda: self.results(data, query, chosen, sort))

        # The counts and each page are cached apart from the whole ordered list, so that
        # a reader of one page does not fetch a million results from the cache.
        kind_counts, decade_counts = caching.cached(
            "search-counts", state, lambda: everything()[:2]
        )
        page, snippets = cached_page(
            self.request,
            "search-page",
            state,
            lambda: everything()[2],
            snippets=lambda entries: self.snippets(entries, query),
        )
        page.object_list = self.fetch(page.object_list, snippets)
        facets = [
            Facet(
                "kind",
                "Kind",
                values=[
                    FacetValue(name, KINDS[name]._meta.verbose_name_plural, count, name in asked)
                    for name, count in kind_counts.items()
                    if count or name in asked
                ],
            ),
            Facet(
                "decade",
                "Decade",
                values=[
                    FacetValue(value, f"{value}s", count, value in data.getlist("decade"))
                    for value, count in sorted(decade_counts.items(), key=lambda i: int(i[0]))
                ],
            ),
        ]
        total = sum(kind_counts[name] for name in chosen)
        context.update(
            page=page,
            results=page.object_list,
            facets=facets,
            chips=chips(self.request, form_check, facets),
            total=total,
            sort=sort,
            query=query,
            suggestion=suggestion(self.request, query, total),
        )
        return context

    def results(self, data, query, chosen, sort):
        """(count per kind, count per decade, [(kind, pk)] of the chosen kinds in order)."""
        kind_counts, decade_branches, entries = {}, [], []
        for name, model in KINDS.items():
            filterset_class = SEARCH_FILTERSETS[model]
            matches, ranks = search.search(model, query, model.objects.published())
            filterset = filterset_class(data, queryset=matches)
            results = filterset.qs.order_by()
            if name not in chosen:
                kind_counts[name] = results.count()
                continue
            decade_facet = DecadeFacet(
                "decade", "Decade", year_field=f"{filterset_class.date_field}_year"
            )
            decade_queryset = filterset.queryset_without(matches, "decade").order_by()
            decade_branches.append(
                decade_facet.counting(decade_queryset).values_list("facet_value", "n").order_by()
            )
            keys = self.sort_keys(name, model, results, sort, ranks)
            kind_counts[name] = len(keys)  # every result of a chosen kind is keyed
            entries += keys
        entries.sort(key=lambda entry: entry[0])
        # Every chosen kind's decades in one query.
        decade_counts = {}
        for value, count in decade_branches[0].union(*decade_branches[1:], all=True):
            decade_counts[value] = decade_counts.get(value, 0) + count
        return kind_counts, decade_counts, [(name, pk) for _, name, pk in entries]

    @staticmethod
    def sort_keys(name, model, results, sort, ranks):
        """(sort key, kind, pk) of every result of one kind, so kinds can be merged."""
        filterset_class = SEARCH_FILTERSETS[model]
        if sort == "relevance":
            return [
                ((-ranks[pk], name, pk), name, pk) for pk in results.values_list("pk", flat=True)
            ]
        if sort == "title":
            rows = results.values_list("pk", filterset_class.title_field)
            return [((str(title).casefold(), name, pk), name, pk) for pk, title in rows]
        rows = results.values_list("pk", f"{filterset_class.date_field}_earliest")
        descending = sort == "-date"
        return [
            (
                (day is None, -day.toordinal() if descending else day.toordinal(), name, pk)
                if day
                else (True, 0, name, pk),
                name,
                pk,
            )
            for pk, day in rows
        ]

    @staticmethod
    def snippets(entries, query):
        """{(kind, pk): highlighted passage} of the entries of one page."""
        snippets = {}
        for name, pks in by_kind(entries).items():
            for pk, snippet in search.snippets(KINDS[name], query, pks).items():
                snippets[name, pk] = snippet
        return snippets

    @staticmethod
    def fetch(entries, snippets):
        """The published records of one page, in page order, with their snippets."""
        records = {}
        for name, pks in by_kind(entries).items():
            for pk, record in KINDS[name].objects.published().order_by().in_bulk(pks).items():
                records[name, pk] = record  # published: see in_order()
        return [
            (records[name, pk], snippets.get((name, pk)))
            for name, pk in entries
            if (name, pk) in records
        ]


def by_kind(entries):
    """{kind: [pk, …]} of (kind, pk) entries."""
    pks = {}
    for name, pk in entries:
        pks.setdefault(name, []).append(pk)
    return pks


class PublishedDetail(DetailView):
    """A record's public page; a draft is a 404 for everyone, editors included.

    Related records are listed only while published: a link to a draft is left out.
    """

    def get_queryset(self):
        return self.model.objects.published()

    def get_template_names(self):
        return [f"archive/{self.model._meta.model_name}_detail.html"]

    def related(self, record):
        return {}

    def get_context_data(self, **kwargs):
        record = self.object
        url = self.request.build_absolute_uri(record.get_absolute_url())
        return super().get_context_data(
            kind=self.model._meta.verbose_name,
            cite=citations.cite(record, url),
            citations=record.citations.filter(source__status=Status.PUBLISHED).select_related(
                "source"
            ),
            **self.related(record),
            **kwargs,
        )


def published_roles(roles, other):
    """Link rows (with roles) whose other end is published, with that end fetched."""
    return roles.filter(**{f"{other}__status": Status.PUBLISHED}).select_related(other)


class DocumentDetail(PublishedDetail):
    model = Document

    def related(self, document):
        return {
            "people": published_roles(document.figure_roles, "figure"),
            "events": document.events.published(),
            "places": document.places.published(),
            "organizations": document.organizations.published(),
            "topics": document.topics.published(),
            "images": document.images.all(),
        }


class EventDetail(PublishedDetail):
    model = Event

    def related(self, event):
        return {
            "people": published_roles(event.figure_roles, "figure"),
            "documents": event.documents.published(),
            "places": event.places.published(),
            "organizations": event.organizations.published(),
        }


class FigureDetail(PublishedDetail):
    model = Figure

    def related(self, figure):
        return {
            "alternative_names": figure.alternative_names.all(),
            "positions": figure.positions.select_related("organization"),
            "document_roles": published_roles(figure.document_roles, "document"),
            "event_roles": published_roles(figure.event_roles, "event"),
        }


class AuthorityDetail(PublishedDetail):
    """Places, organisations and topics: what the archive holds about them."""

    def get_template_names(self):
        return ["archive/authority_detail.html"]

    def related(self, record):
        related = {
            "alternative_names": record.alternative_names.all(),
            "documents": record.documents.published(),
        }
        if hasattr(record, "events"):
            related["events"] = record.events.published()
        if hasattr(record, "positions"):
            related["positions"] = published_roles(record.positions, "figure")
        return related


class PlaceDetail(AuthorityDetail):
    model = Place


class OrganizationDetail(AuthorityDetail):
    model = Organization


class TopicDetail(AuthorityDetail):
    model = Topic


class SourceDetail(PublishedDetail):
    model = Source
