"""What every public page driven by its query string shares: pages of results cached
until the records change, the active filters as chips, "did you mean", and refusing
addresses no reader types."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.generic import TemplateView

from archive import caching, search
from archive.public import throttling
from archive.public.filters import SORTS
from archive.search import suggestions

PAGE_SIZE = 20
# A search with fewer results than this offers a close name ("did you mean …").
SUGGEST_BELOW = 3


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
    name = suggestions.suggest(query)
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
