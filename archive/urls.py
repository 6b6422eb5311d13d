"""Public URLs of the archive."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from archive.media import views as views_media
from archive.models import PUBLIC_KINDS
from archive.public import downloads as views_citations
from archive.public import feeds, sitemaps, views

app_name = "archive"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.Search.as_view(), name="search"),
    path("timeline/", views.Timeline.as_view(), name="timeline"),
    path("documents/", views.DocumentList.as_view(), name="document_list"),
    path("events/", views.EventList.as_view(), name="event_list"),
    path("figures/", views.FigureList.as_view(), name="figure_list"),
    path("documents/<slug:slug>/", views.DocumentDetail.as_view(), name="document_detail"),
    path("events/<slug:slug>/", views.EventDetail.as_view(), name="event_detail"),
    path("figures/<slug:slug>/", views.FigureDetail.as_view(), name="figure_detail"),
    path("places/<slug:slug>/", views.PlaceDetail.as_view(), name="place_detail"),
    path(
        "organizations/<slug:slug>/",
        views.OrganizationDetail.as_view(),
        name="organization_detail",
    ),
    path("topics/<slug:slug>/", views.TopicDetail.as_view(), name="topic_detail"),
    path("sources/<slug:slug>/", views.SourceDetail.as_view(), name="source_detail"),
    # Images: the public derivatives of published records (archive/views_media.py).
    path(
        "images/documents/<slug:slug>/<int:pk>/<str:variant>.jpg",
        views_media.document_image,
        name="document_image",
    ),
    path(
        "images/figures/<slug:slug>/<str:variant>.jpg",
        views_media.figure_portrait,
        name="figure_portrait",
    ),
    # For crawlers and feed readers.
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "archive:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap_section",
    ),
    path("feeds/documents/", feeds.LatestDocuments(), name="document_feed"),
    path("feeds/events/", feeds.LatestEvents(), name="event_feed"),
    *(
        path(
            f"{prefix}/<slug:slug>/cite.bib",
            views_citations.bibtex,
            {"model": model},
            name=f"{model._meta.model_name}_bibtex",
        )
        for prefix, model in PUBLIC_KINDS.items()
    ),
]
