"""Public URLs of the archive: a list per listed kind, a page and a citation per kind of
record (from the kinds registry, archive/kinds.py), search, the timeline, images, feeds
and sitemaps."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from archive import kinds
from archive.public import details, downloads, feeds, images, lists, search_page, sitemaps

app_name = "archive"

urlpatterns = [
    path("", details.home, name="home"),
    path("search/", search_page.Search.as_view(), name="search"),
    path("timeline/", lists.Timeline.as_view(), name="timeline"),
    *(
        path(f"{kind.prefix}/", lists.list_view(kind), name=f"{kind.name}_list")
        for kind in kinds.listed()
    ),
    *(
        path(f"{kind.prefix}/<slug:slug>/", details.detail_view(kind), name=f"{kind.name}_detail")
        for kind in kinds.KINDS
    ),
    *(
        path(
            f"{kind.prefix}/<slug:slug>/cite.bib",
            downloads.bibtex,
            {"model": kind.model},
            name=f"{kind.name}_bibtex",
        )
        for kind in kinds.KINDS
    ),
    # Images: the public derivatives of published records (archive/public/images.py).
    path(
        "images/documents/<slug:slug>/<int:pk>/<str:variant>.jpg",
        images.document_image,
        name="document_image",
    ),
    path(
        "images/figures/<slug:slug>/<str:variant>.jpg",
        images.figure_portrait,
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
]
