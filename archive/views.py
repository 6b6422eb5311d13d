"""Thin public views; every one starts from a published() queryset."""

from django.shortcuts import render
from django.views.generic import DetailView

from .models import Document, Event, Figure, Organization, Place, Source, Topic


def home(request):
    """What the archive holds, in counts of published records."""
    counts = [
        (model._meta.verbose_name_plural, model.objects.published().count())
        for model in (Document, Event, Figure, Place, Organization, Topic, Source)
    ]
    return render(request, "archive/home.html", {"counts": counts})


class PublishedDetail(DetailView):
    """A record's public page; a draft is a 404 for everyone, editors included."""

    template_name = "archive/record_detail.html"

    def get_queryset(self):
        return self.model.objects.published()

    def get_context_data(self, **kwargs):
        return super().get_context_data(kind=self.model._meta.verbose_name, **kwargs)


class DocumentDetail(PublishedDetail):
    model = Document


class EventDetail(PublishedDetail):
    model = Event


class FigureDetail(PublishedDetail):
    model = Figure


class PlaceDetail(PublishedDetail):
    model = Place


class OrganizationDetail(PublishedDetail):
    model = Organization


class TopicDetail(PublishedDetail):
    model = Topic


class SourceDetail(PublishedDetail):
    model = Source
