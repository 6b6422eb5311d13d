"""What a feed reader gets of editors' text: plain text sent as text (never as markup),
and records stored with characters XML 1.0 cannot carry served all the same.

The records here are made without the admin's or the importer's cleaning, as records
saved before it existed were.
"""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from archive.models import Status
from tests.support.factories import DocumentFactory, EventFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FACTORIES = {"documents": DocumentFactory, "events": EventFactory}
MARKUP = "<script>alert(1)</script><img src=x onerror=alert(2)> & <b>bold</b>"
# Pasted from a word processor (a manual line break), from a CSV (a page break), an
# escape sequence from a terminal, and a byte of a mis-decoded file.
CONTROLS = {
    "vertical-tab": "\x0b",
    "form-feed": "\x0c",
    "escape": "\x1b",
    "start-of-heading": "\x01",
}


@pytest.fixture
def anonymous():
    """A reader's client: a server error is a response, as a browser sees it."""
    return Client(raise_request_exception=False)


def entries(response):
    """Each entry of an Atom feed as {"title": text, "summary": (type, text)}."""
    root = ET.fromstring(response.content)
    found = []
    for entry in root.iter(f"{ATOM}entry"):
        summary = entry.find(f"{ATOM}summary")
        found.append(
            {
                "title": entry.findtext(f"{ATOM}title"),
                "title_type": entry.find(f"{ATOM}title").get("type", "text"),
                "summary": (summary.get("type", "text"), summary.text),
            }
        )
    return found


@pytest.mark.parametrize("kind", FACTORIES)
def test_a_summary_is_sent_as_text_not_as_markup(anonymous, kind):
    FACTORIES[kind](title=f"Title {MARKUP}", summary=MARKUP, status=Status.PUBLISHED)
    response = anonymous.get(f"/feeds/{kind}/")
    assert response.status_code == 200
    (entry,) = entries(response)
    summary_type, summary = entry["summary"]
    assert summary_type == "text"
    assert summary.endswith(MARKUP)  # events put their dates first
    assert (entry["title_type"], entry["title"]) == ("text", f"Title {MARKUP}")
    assert b"<script>" not in response.content
    assert b"&lt;script&gt;" in response.content


@pytest.mark.parametrize("kind", FACTORIES)
@pytest.mark.parametrize("name", CONTROLS)
def test_a_control_character_in_a_stored_record_does_not_take_the_feed_down(anonymous, kind, name):
    control = CONTROLS[name]
    FACTORIES[kind](
        title=f"Pact{control}signed",
        summary=f"First line{control}second line",
        status=Status.PUBLISHED,
    )
    FACTORIES[kind](title="A clean neighbour", summary="Plain.", status=Status.PUBLISHED)
    response = anonymous.get(f"/feeds/{kind}/")
    assert response.status_code == 200
    titles = {entry["title"]: entry["summary"][1] for entry in entries(response)}
    breaks = control in "\x0b\x0c"
    title = "Pact signed" if breaks else "Pactsigned"
    assert set(titles) == {title, "A clean neighbour"}
    assert titles[title].endswith("First line\nsecond line" if breaks else "First linesecond line")
    assert control.encode() not in response.content


def test_a_control_character_in_an_events_dates_does_not_take_the_feed_down(anonymous):
    # The typed date is kept as typed, and an event's entry starts with it.
    EventFactory(start_date="23\x0bAugust 1939", summary="x", status=Status.PUBLISHED)
    response = anonymous.get("/feeds/events/")
    assert response.status_code == 200
    ((_, summary),) = [entry["summary"] for entry in entries(response)]
    assert summary == "23 August 1939. x"


@pytest.mark.parametrize("kind", FACTORIES)
@pytest.mark.parametrize("name", CONTROLS)
def test_a_control_character_in_a_stored_record_leaves_its_page_sitemap_and_bibtex_up(
    anonymous, kind, name
):
    record = FACTORIES[kind](
        title=f"Pact{CONTROLS[name]}signed", summary="x", status=Status.PUBLISHED
    )
    sitemap = anonymous.get(f"/sitemap-{kind}.xml")
    assert sitemap.status_code == 200
    ET.fromstring(sitemap.content)  # well-formed
    assert anonymous.get("/sitemap.xml").status_code == 200
    assert anonymous.get(record.get_absolute_url()).status_code == 200
    assert anonymous.get(f"{record.get_absolute_url()}cite.bib").status_code == 200


def test_a_citation_carries_no_control_character(client, db):
    from tests.support.factories import DocumentFactory

    document = DocumentFactory(title="Pact\x0bsigned", date="1939", status="published")
    bibtex = client.get(f"/documents/{document.slug}/cite.bib").content.decode()
    page = client.get(document.get_absolute_url()).content.decode()
    assert "\x0b" not in bibtex and "title = {Pact signed}" in bibtex
    assert "“Pact signed”" in page
