"""The kinds registry drives every surface: each entry shows up in the lists, facets,
search, CSV files, sitemaps, record pages and citations without another list to edit."""

import csv
import io

import pytest
from django.urls import reverse

from archive import kinds
from archive.models import Status
from tests.support.csvtools import export_csv

pytestmark = pytest.mark.django_db

ALL = [pytest.param(kind, id=kind.prefix) for kind in kinds.KINDS]
LISTED = [pytest.param(kind, id=kind.prefix) for kind in kinds.listed()]
WITH_CSV = [pytest.param(kind, id=kind.prefix) for kind in kinds.with_csv()]


def make(kind, title, status=Status.PUBLISHED):
    return kind.model.objects.create(**{kind.title_field: title, "status": status})


def test_every_kind_has_a_distinct_address_and_name():
    assert len({kind.prefix for kind in kinds.KINDS}) == len(kinds.KINDS)
    assert len({kind.name for kind in kinds.KINDS}) == len(kinds.KINDS)


@pytest.mark.parametrize("kind", ALL)
def test_every_kind_has_a_record_page_a_citation_and_a_sitemap_section(client, kind):
    record = make(kind, "Zqxregistry record")
    draft = make(kind, "Zqxregistry draft", Status.DRAFT)

    page = client.get(f"/{kind.prefix}/{record.slug}/")
    assert page.status_code == 200
    assert "Zqxregistry record" in page.content.decode()
    assert record.get_absolute_url() == reverse(kind.detail_url_name, args=[record.slug])
    assert client.get(f"/{kind.prefix}/{draft.slug}/").status_code == 404

    bibtex = client.get(f"/{kind.prefix}/{record.slug}/cite.bib")
    assert bibtex.status_code == 200
    assert "Zqxregistry record" in bibtex.content.decode()
    assert client.get(f"/{kind.prefix}/{draft.slug}/cite.bib").status_code == 404

    sitemap = client.get(f"/sitemap-{kind.prefix}.xml").content.decode()
    assert f"/{kind.prefix}/{record.slug}/" in sitemap
    assert draft.slug not in sitemap
    assert f"sitemap-{kind.prefix}.xml" in client.get("/sitemap.xml").content.decode()


@pytest.mark.parametrize("kind", ALL)
def test_the_home_page_counts_every_kind(client, kind):
    make(kind, "Zqxcounted")
    page = client.get("/").content.decode()
    assert kind.label_plural.capitalize() in page or kind.label_plural in page


@pytest.mark.parametrize("kind", LISTED)
def test_every_listed_kind_has_a_faceted_list_and_is_searched(client, kind):
    record = make(kind, "Zqxlisted record")
    make(kind, "Zqxlisted draft", Status.DRAFT)

    listing = client.get(reverse(kind.list_url_name))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Zqxlisted record" in html
    assert "Zqxlisted draft" not in html
    for facet in kind.facets:
        assert facet.label in html  # every declared facet is offered
        # and its parameter is read: a value nobody holds is never a server error
        assert client.get(f"{reverse(kind.list_url_name)}?{facet.param}=zz").status_code in {
            200,
            404,
        }

    found = client.get(f"{reverse(kind.list_url_name)}?q=Zqxlisted").content.decode()
    assert "Zqxlisted record" in found and "Zqxlisted draft" not in found

    searched = client.get(f"/search/?q=Zqxlisted&kind={kind.name}").content.decode()
    assert record.get_absolute_url() in searched
    assert "Zqxlisted draft" not in searched


@pytest.mark.parametrize("kind", WITH_CSV)
def test_every_kind_with_a_csv_file_exports_its_declared_columns(kind, tmp_path):
    make(kind, "Zqxexported")
    text = export_csv(kind.prefix, tmp_path / "out.csv").decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header == list(kind.csv_columns)
    assert any("Zqxexported" in row for row in rows)


def test_files_are_imported_after_the_kinds_they_name():
    order = [kind.prefix for kind in kinds.in_import_order()]
    assert sorted(order) == sorted(kind.prefix for kind in kinds.with_csv())
    for position, kind in enumerate(kinds.in_import_order()):
        for column in kind.csv_relations():
            target = kinds.related_model(kind.model, column)
            named = next(other for other in kinds.with_csv() if other.model is target)
            # Documents and events name each other: one of the two must come first.
            if named.prefix not in {"documents", "events"} or kind.prefix not in {
                "documents",
                "events",
            }:
                assert order.index(named.prefix) < position, (kind.prefix, named.prefix)


@pytest.mark.parametrize("kind", [pytest.param(k, id=k.prefix) for k in kinds.suggested()])
def test_every_suggested_kind_offers_its_names_when_a_search_finds_nothing(client, kind):
    make(kind, "Zqxwellington")
    page = client.get("/search/?q=Zqxwelington").content.decode()
    assert "Did you mean" in page and "Zqxwellington" in page
