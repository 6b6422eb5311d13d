"""The public sitemap (django.contrib.sitemaps): one section per kind, published records only,
and robots.txt pointing at it."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse

from archive import kinds


class RecordSitemap(Sitemap):
    """The published records of one kind, with the time each last changed.

    Each page of a section is one query for the records (slug and modified time only) and
    one for the count; the framework splits a section into pages of ``limit`` URLs.
    """

    model = None
    limit = 10_000

    def items(self):
        return self.model.objects.published().only("slug", "modified").order_by("pk")

    def lastmod(self, record):
        return record.modified

    def get_latest_lastmod(self):
        # The framework's default reads every item of the section for the index.
        return self.items().aggregate(latest=Max("modified"))["latest"]


SITEMAPS = {
    kind.prefix: type(f"{kind.model.__name__}Sitemap", (RecordSitemap,), {"model": kind.model})
    for kind in kinds.KINDS
}


def robots_txt(request):
    """Crawlers may read the public site, never the admin; the sitemap says what there is."""
    sitemap = request.build_absolute_uri(reverse("archive:sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
