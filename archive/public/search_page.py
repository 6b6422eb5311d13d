"""One search over every listed kind (/search/), with a kind and a decade facet."""

from functools import cache

from archive import caching, kinds, search
from archive.public.facets import DecadeFacet, Facet, FacetValue
from archive.public.filters import SEARCH_FILTERSETS
from archive.public.querying import (
    PublicQueryView,
    cache_state,
    cached_page,
    chips,
    searched_text,
    sort_choices,
    suggestion,
)


class Search(PublicQueryView):
    """One search over every kind of record, with a kind facet."""

    template_name = "archive/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.request.GET
        first = kinds.listed()[0].model  # any kind's filters read the form the same way
        form_check = SEARCH_FILTERSETS[first](data, queryset=first.objects.none())
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
        chosen = asked or [kind.name for kind in kinds.listed()]
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
                    FacetValue(name, kinds.by_name(name).label_plural, count, name in asked)
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
        for kind in kinds.listed():
            name, model = kind.name, kind.model
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
        """(sort key, kind, pk) of every result of one kind, so kinds can be merged.

        Relevance merges by the search's tiers (archive.search.tiered): a record named by
        the words comes before one that only mentions or links to them, whatever its kind.
        Date order is the lists' own (archive.public.filters): by the earliest day, either
        way, with undated records and those open at the start last; then by title.
        """
        filterset_class = SEARCH_FILTERSETS[model]
        if sort == "relevance":
            return [
                ((-ranks[pk], name, pk), name, pk) for pk in results.values_list("pk", flat=True)
            ]
        title_field = filterset_class.title_field
        if sort == "title":
            rows = results.values_list("pk", title_field)
            return [((str(title).casefold(), name, pk), name, pk) for pk, title in rows]
        rows = results.values_list("pk", f"{filterset_class.date_field}_earliest", title_field)
        sign = -1 if sort == "-date" else 1

        def key(pk, day, title):
            return (day is None, sign * day.toordinal() if day else 0, title.casefold(), name, pk)

        return [(key(pk, day, title), name, pk) for pk, day, title in rows]

    @staticmethod
    def snippets(entries, query):
        """{(kind, pk): highlighted passage} of the entries of one page."""
        snippets = {}
        for name, pks in by_kind(entries).items():
            for pk, snippet in search.snippets(kinds.by_name(name).model, query, pks).items():
                snippets[name, pk] = snippet
        return snippets

    @staticmethod
    def fetch(entries, snippets):
        """The published records of one page, in page order, with their snippets."""
        records = {}
        for name, pks in by_kind(entries).items():
            for pk, record in (
                kinds.by_name(name).model.objects.published().order_by().in_bulk(pks).items()
            ):
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
