"""The faceted lists of each listed kind (/documents/, /events/, /figures/) and the timeline."""

from dataclasses import replace

from archive import caching, search
from archive.models import Event
from archive.public.facets import FACETS, count_facets
from archive.public.filters import LIST_FILTERSETS
from archive.public.querying import (
    PAGE_SIZE,
    PublicQueryView,
    cache_state,
    cached_page,
    chips,
    in_order,
    searched_text,
    sort_choices,
    suggestion,
)


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


def list_view(kind):
    """The faceted list of a listed kind (:mod:`archive.kinds`)."""
    return type(f"{kind.model.__name__}List", (FacetedList,), {"model": kind.model}).as_view()


class Timeline(FacetedList):
    """Events in time order, grouped by year, filtered like the event list."""

    model = Event
    template_name = "archive/timeline.html"
    fixed_sort = "date"
    page_size = 100
