"""A record's public page, with everything linked to it both ways; and the home page.

A record may be linked to tens of thousands of others (a painter and his works), so every
related list shows its first :data:`RELATED_SHOWN` records, in date order with the
undated last and then by title, with how many there are and, where the kind's list has a
filter for this record (``/documents/?figure=<slug>``), a link to all of them there.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Exists, F, OuterRef, Prefetch
from django.db.models.lookups import IsNull
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import DetailView

from archive import caching, kinds
from archive.models import (
    Document,
    Event,
    Figure,
    Organization,
    Place,
    Status,
    Topic,
)
from archive.public import citations

# How many records each related list of a page shows; the rest are a link away.
RELATED_SHOWN = 20
# A related list of at most this many records is read through its link rows and sorted;
# a longer one is read in the order of its kind's date index, each record checked against
# the link table's index, so that its first records come without sorting all of them (the
# more records the list has, the sooner the index yields them).
SORT_AT_MOST = 500
# An identifier that names a Wikidata item.
WIKIDATA_QID = re.compile(r"Q[1-9][0-9]*")


def home(request):
    """What the archive holds, entry points, and the latest published records."""
    counts, latest = caching.cached("home", (), home_summary)
    return render(request, "archive/home.html", {"counts": counts, "latest": latest})


def home_summary():
    """The home page's counts and latest records: the same for every reader, so cached."""
    counts = [
        (model._meta.verbose_name_plural, model.objects.published().count())
        for model in (kind.model for kind in kinds.KINDS)
    ]
    latest = sorted(
        (
            record
            for model in (kind.model for kind in kinds.listed())
            for record in model.objects.published().order_by("-modified")[:6]
        ),
        key=lambda record: record.modified,
        reverse=True,
    )[:8]
    return counts, latest


@dataclass
class RelatedList:
    """The first records of one related list, how many there are in all, and the address
    of the list of all of them (None where no list filters by the page's record).

    Iterating gives the records shown; a record may carry ``roles`` (its parts in the
    link: author, signatory; the posts a person held) and ``when`` (its date as typed).
    """

    records: list
    total: int
    url: str | None = None
    # What one and several of the records are called ("event", "events").
    nouns: tuple[str, str] = ("record", "records")
    shown: int = field(init=False)

    def __post_init__(self):
        self.shown = len(self.records)

    def __iter__(self):
        return iter(self.records)

    def __len__(self):
        return len(self.records)

    def __bool__(self):
        return self.total > 0

    @property
    def more(self) -> bool:
        """Whether the list holds more records than it shows."""
        return self.total > self.shown

    @property
    def total_text(self) -> str:
        return f"{self.total:,}"

    @property
    def link_text(self) -> str:
        """What the link to the list of all of them says."""
        if self.total == 1:
            return f"The {self.nouns[0]} in the list"
        return f"All {self.total_text} {self.nouns[1]} in the list"


@dataclass(frozen=True)
class Related:
    """Published records of ``model`` linked to a page's record through the relation
    ``path`` declared on ``owner`` (``Document.figures`` links documents to figures and
    figures to documents)."""

    model: type
    owner: type
    path: str

    @property
    def link(self) -> kinds.LinkTable:
        return kinds.link_table(self.owner, self.path)

    def sides(self):
        """(field of the link rows pointing at the listed records, field pointing at the
        page's record)."""
        link = self.link
        if self.model is self.owner:
            return link.record_field, link.value_field
        return link.value_field, link.record_field

    def lookup(self) -> str:
        """The lookup from a listed record to the page's record (``figures``, ``documents``,
        ``positions__organization``)."""
        if self.model is self.owner:
            return self.path
        return self.owner._meta.get_field(self.path).related_query_name()

    def list_url(self, record) -> str | None:
        """The listed kind's faceted list filtered by ``record``, where it has that filter."""
        if self.model is not self.owner:
            return None
        kind = kinds.of(self.model)
        facet = next((facet for facet in kind.facets if facet.path == self.path), None)
        if not kind.listed or facet is None:
            return None
        return f"{reverse(kind.list_url_name)}?{urlencode({facet.param: record.slug})}"

    def of(self, record) -> RelatedList:
        name = f"related:{self.model._meta.model_name}:{self.owner._meta.model_name}:{self.path}"
        # Counting a long list and finding its first records are the same for every reader
        # until the records change: cached like the lists' counts (archive/caching.py).
        total, pks, roles = caching.cached(name, record.pk, lambda: self.first(record))
        shown = self.model.objects.published().only(*display_fields(self.model)).in_bulk(pks)
        records = []
        for pk in pks:
            if pk in shown:  # unpublished since it was cached: left out, never shown
                related = shown[pk]
                related.roles = roles.get(pk, [])
                related.when = when(related)
                records.append(related)
        return RelatedList(records, total, self.list_url(record), nouns(self.model))

    def first(self, record):
        """(how many, ids of the first RELATED_SHOWN in order, {id: [roles]})."""
        target, anchor = self.sides()
        through = self.link.through._default_manager.order_by()
        rows = through.filter(**{anchor: record.pk})
        published = self.model.objects.published()
        target_id = self.link.through._meta.get_field(target).attname
        total = published.filter(pk__in=rows.values(target_id)).count()
        if not total:
            return 0, [], {}
        kind = kinds.of(self.model)
        dated, title = kind.date_field, kind.order_field
        if dated and total > SORT_AT_MOST:
            # The kind's date index, in order, until enough records are linked: it holds
            # (status, earliest day, title, id), and undated records follow dated ones.
            earliest = F(f"{dated}_earliest").asc(nulls_last=True)
            ordered = published.filter(Exists(rows.filter(**{target: OuterRef("pk")})))
            ordered = ordered.order_by(earliest, title, "pk")
        else:
            # Through the link rows of this record, then sorted: a short list. Ordered by an
            # expression the date index does not hold, so that the database reads the link
            # rows first rather than the whole date index.
            order = [title, "pk"]
            if dated:
                earliest = f"{dated}_earliest"
                order = [IsNull(F(earliest), True), earliest, *order]
            ordered = published.filter(**{self.lookup(): record.pk}).order_by(*order).distinct()
        pks = list(ordered.values_list("pk", flat=True)[:RELATED_SHOWN])
        return total, pks, self.roles(rows, target_id, pks)

    @property
    def label(self):
        """The field of the link rows that says what a link is: a person's role in a
        document, a post held in an organisation; None for plain links."""
        through = self.link.through
        if through._meta.auto_created:
            return None
        names = {field.name for field in through._meta.fields}
        return next((name for name in ("role", "title") if name in names), None)

    def roles(self, rows, target_id, pks) -> dict[int, list[str]]:
        """{id: [what the link rows of the shown records say]}, in the rows' order."""
        label = self.label
        if not label or not pks:
            return {}
        through = self.link.through
        choices = dict(through._meta.get_field(label).choices or ())
        roles = {}
        rows = rows.filter(**{f"{target_id}__in": pks}).order_by(*through._meta.ordering)
        for pk, value in rows.values_list(target_id, label):
            text = str(choices.get(value, value))
            if text and text not in roles.setdefault(pk, []):
                roles[pk].append(text)
        return roles


def nouns(model) -> tuple[str, str]:
    """What one and several records of ``model`` are called on a page."""
    if model is Figure:
        return "person", "people"
    return str(model._meta.verbose_name), str(model._meta.verbose_name_plural)


def display_fields(model):
    """What a related list shows of a record: its name or title, address and dates."""
    return ["slug", model.slug_source, *getattr(model, "historical_dates", ())]


def when(record) -> str:
    """A record's dates as typed, for a related list: a document's date, an event's start
    and end, a person's life dates."""
    if isinstance(record, Figure):
        return record.life_dates
    texts = [getattr(record, name) for name in getattr(record, "historical_dates", ())]
    return " – ".join(text for text in texts if text)


def identifier(record):
    """(the record's identifier, its Wikidata address if it names an item) or None."""
    value = (record.identifier or "").strip()
    if not value:
        return None
    url = f"https://www.wikidata.org/wiki/{value}" if WIKIDATA_QID.fullmatch(value) else None
    return value, url


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
            identifier=identifier(record),
            **self.related(record),
            **kwargs,
        )


def published_organizations(positions):
    """A figure's posts, each with its organisation only while that is published.

    The post's title always shows; the organisation of a draft is None here, so neither its
    name nor its address reaches the page.
    """
    return positions.prefetch_related(
        Prefetch("organization", queryset=Organization.objects.published())
    )


def first_positions(figure) -> RelatedList:
    """A figure's first posts, by the date they began (undated last), then title."""
    positions = figure.positions.order_by()
    total = positions.count()
    ordered = positions.order_by(F("start_date_earliest").asc(nulls_last=True), "title", "pk")
    return RelatedList(list(published_organizations(ordered)[:RELATED_SHOWN]), total)


def listed_by(model):
    """{context name: Related} of every listed kind whose list filters by a record of
    ``model`` (archive/kinds.py facets): a figure's documents and events, a place's, an
    organisation's people. Each links to that list filtered by the page's record."""
    related = {}
    for kind in kinds.listed():
        for facet in kind.facets:
            if facet.path == kinds.DECADE or not kinds.is_relation(kind.model, facet.path):
                continue
            if kinds.related_model(kind.model, facet.path) is model:
                name = "people" if kind.model is Figure else kind.prefix
                related[name] = Related(kind.model, kind.model, facet.path)
    return related


class DocumentDetail(PublishedDetail):
    model = Document

    def related(self, document):
        return {
            "people": Related(Figure, Document, "figures").of(document),
            "events": Related(Event, Event, "documents").of(document),
            "places": Related(Place, Document, "places").of(document),
            "organizations": Related(Organization, Document, "organizations").of(document),
            "topics": Related(Topic, Document, "topics").of(document),
            "images": document.images.all(),
        }


class EventDetail(PublishedDetail):
    model = Event

    def related(self, event):
        return {
            "people": Related(Figure, Event, "figures").of(event),
            "documents": Related(Document, Event, "documents").of(event),
            "places": Related(Place, Event, "places").of(event),
            "organizations": Related(Organization, Event, "organizations").of(event),
        }


class FigureDetail(PublishedDetail):
    model = Figure

    def related(self, figure):
        return {
            "alternative_names": figure.alternative_names.all(),
            "positions": first_positions(figure),
            **{name: related.of(figure) for name, related in listed_by(Figure).items()},
        }


class AuthorityDetail(PublishedDetail):
    """Places, organisations and topics: what the archive holds about them."""

    def get_template_names(self):
        return ["archive/authority_detail.html"]

    def related(self, record):
        return {
            "alternative_names": record.alternative_names.all(),
            **{name: related.of(record) for name, related in listed_by(self.model).items()},
        }


class PlaceDetail(AuthorityDetail):
    model = Place


class OrganizationDetail(AuthorityDetail):
    model = Organization


class TopicDetail(AuthorityDetail):
    model = Topic


# The pages whose related lists differ from a plain record's.
PAGES = {
    view.model: view
    for view in (
        DocumentDetail,
        EventDetail,
        FigureDetail,
        PlaceDetail,
        OrganizationDetail,
        TopicDetail,
    )
}


def detail_view(kind):
    """A kind's public record page: its own page if it has one, else a plain record page."""
    view = PAGES.get(kind.model) or type(
        f"{kind.model.__name__}Detail", (PublishedDetail,), {"model": kind.model}
    )
    return view.as_view()
