"""A record's public page, with everything linked to it both ways; and the home page."""

from django.db.models import Prefetch
from django.shortcuts import render
from django.views.generic import DetailView

from archive import caching, kinds
from archive.models import Document, Event, Figure, Organization, Place, Status, Topic
from archive.public import citations


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


def published_organizations(positions):
    """A figure's posts, each with its organisation only while that is published.

    The post's title always shows; the organisation of a draft is None here, so neither its
    name nor its address reaches the page.
    """
    return positions.prefetch_related(
        Prefetch("organization", queryset=Organization.objects.published())
    )


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
            "positions": published_organizations(figure.positions),
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
