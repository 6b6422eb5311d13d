"""Sitemaps, Atom feeds, robots.txt and BibTeX downloads: published records only, in a
constant number of queries."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.models import Status
from archive.public import sitemaps
from tests.support import factories

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
KINDS = {
    "documents": factories.DocumentFactory,
    "events": factories.EventFactory,
    "figures": factories.FigureFactory,
    "places": factories.PlaceFactory,
    "organizations": factories.OrganizationFactory,
    "topics": factories.TopicFactory,
    "sources": factories.SourceFactory,
}


def make(kind, status, label):
    """A record of ``kind`` whose title or name and slug say whether it is a draft."""
    factory = KINDS[kind]
    field = "name" if "name" in [f.name for f in factory._meta.model._meta.fields] else "title"
    return factory(**{field: f"{label} {kind}", "slug": f"{label}-{kind}", "status": status})


def locations(response):
    root = ET.fromstring(response.content)
    return [element.text for element in root.iter(f"{SITEMAP}loc")]


def sitemap_section(client, section, page=None):
    url = reverse("archive:sitemap_section", args=[section])
    return client.get(url, {"p": page} if page else {})


@pytest.mark.parametrize("kind", KINDS)
def test_a_sitemap_section_lists_published_records_and_never_a_draft(client, kind):
    published = make(kind, Status.PUBLISHED, "published")
    make(kind, Status.DRAFT, "draft")
    response = sitemap_section(client, kind)
    assert response.status_code == 200
    assert locations(response) == [f"http://testserver{published.get_absolute_url()}"]
    text = response.content.decode()
    assert "draft" not in text
    assert f"<lastmod>{published.modified:%Y-%m-%d}</lastmod>" in text


def test_the_sitemap_index_names_one_section_per_kind(client):
    for kind in KINDS:
        make(kind, Status.PUBLISHED, "published")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert sorted(locations(response)) == sorted(
        f"http://testserver/sitemap-{kind}.xml" for kind in KINDS
    )
    # Counts and the latest change of each section: the index never reads the records.
    assert all("COUNT(" in query["sql"] or "MAX(" in query["sql"] for query in queries)


def test_a_large_section_is_split_into_pages(client, monkeypatch):
    monkeypatch.setattr(sitemaps.SITEMAPS["documents"], "limit", 2)
    for number in range(5):
        make("documents", Status.PUBLISHED, f"published-{number}")
    make("documents", Status.DRAFT, "draft")
    index = locations(client.get("/sitemap.xml"))
    assert [url for url in index if "documents" in url] == [
        "http://testserver/sitemap-documents.xml",
        "http://testserver/sitemap-documents.xml?p=2",
        "http://testserver/sitemap-documents.xml?p=3",
    ]
    assert len(locations(sitemap_section(client, "documents", 3))) == 1
    assert sitemap_section(client, "documents", 4).status_code == 404


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


SITEMAP_AND_FEED_URLS = [
    "/sitemap.xml",
    "/sitemap-documents.xml",
    "/sitemap-events.xml",
    "/sitemap-figures.xml",
    "/feeds/documents/",
    "/feeds/events/",
]


@pytest.mark.parametrize("url", SITEMAP_AND_FEED_URLS)
def test_sitemaps_and_feeds_take_the_same_queries_for_few_records_or_many(client, url):
    for kind in ("documents", "events", "figures"):
        make(kind, Status.PUBLISHED, "first")
    few = query_count(client, url)
    for kind in ("documents", "events", "figures"):
        for number in range(12):
            make(kind, Status.PUBLISHED, f"more-{number}")
    assert query_count(client, url) == few


def feed_entries(response):
    root = ET.fromstring(response.content)
    return [
        (entry.findtext(f"{ATOM}title"), entry.find(f"{ATOM}link").get("href"))
        for entry in root.iter(f"{ATOM}entry")
    ]


@pytest.mark.parametrize("kind", ["documents", "events"])
def test_a_feed_lists_the_latest_published_records_and_never_a_draft(client, kind):
    older = make(kind, Status.PUBLISHED, "older")
    newer = make(kind, Status.PUBLISHED, "newer")
    make(kind, Status.DRAFT, "draft")
    response = client.get(f"/feeds/{kind}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed_entries(response) == [
        (str(record), f"http://testserver{record.get_absolute_url()}") for record in (newer, older)
    ]
    assert "draft" not in response.content.decode()


def test_every_page_names_the_feeds_and_the_sitemap(client):
    page = client.get("/").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Latest documents" '
        'href="/feeds/documents/">' in page
    )
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Latest events" '
        'href="/feeds/events/">' in page
    )
    assert '<link rel="sitemap" type="application/xml" href="/sitemap.xml">' in page


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


@pytest.mark.parametrize("kind", KINDS)
def test_a_published_records_citation_downloads_as_bibtex_and_a_drafts_is_404(client, kind):
    published = make(kind, Status.PUBLISHED, "published")
    draft = make(kind, Status.DRAFT, "draft")
    response = client.get(f"{published.get_absolute_url()}cite.bib")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="published-{kind}.bib"'
    text = response.content.decode()
    assert text.startswith(f"@misc{{published-{kind},")
    assert f"\\url{{http://testserver{published.get_absolute_url()}}}" in text
    assert client.get(f"{draft.get_absolute_url()}cite.bib").status_code == 404


def test_a_records_page_links_its_bibtex_download(client):
    document = make("documents", Status.PUBLISHED, "published")
    page = client.get(document.get_absolute_url()).content.decode()
    assert f'href="{document.get_absolute_url()}cite.bib" download' in page
