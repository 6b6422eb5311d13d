"""Drafts never reach the public, on any public URL.

Each URL is fetched twice: with a draft document, event and figure (with scans, a
portrait, alternative names and links to published records) in the archive, and after
those drafts are deleted. The public must not be able to tell the difference: the same
status and the very same bytes, so no title, slug, image, facet value or count of a
draft shows anywhere. Pages that merely echo what the reader typed are compared the same
way, since a draft's slug typed into a URL must fare exactly as an unknown one.
"""

import pytest
from django.core.cache import cache

from archive.models import (
    Document,
    DocumentFigure,
    DocumentImage,
    EventFigure,
    Figure,
    Place,
)
from tests.support.factories import DocumentFactory, EventFactory, FigureFactory, image_upload

# Words that appear only in the drafts, so that any trace of them can be searched for.
SECRET = "zqxsecret"

PUBLIC_URLS = [
    "/",
    "/documents/",
    "/events/",
    "/figures/",
    "/timeline/",
    f"/search/?q={SECRET}",
    "/search/?q=molotov",
    "/search/?q=pact",
    "/search/?q=ribbentrop&kind=document&kind=event&kind=figure",
    f"/documents/?q={SECRET}",
    "/documents/?q=molotov",
    "/documents/?figure=vyacheslav-molotov",
    f"/documents/?figure={SECRET}-person",
    "/documents/?decade=1930&type=treaty",
    "/documents/?date_from=1939&date_to=1941&sort=date",
    "/events/?figure=vyacheslav-molotov",
    "/events/?decade=1930",
    "/figures/?q=molotov",
    "/figures/?decade=1880",
    "/timeline/?decade=1930",
    "/documents/molotov-ribbentrop-pact/",
    "/documents/molotov-ribbentrop-pact/cite.bib",
    "/figures/vyacheslav-molotov/",
    "/figures/joachim-von-ribbentrop/",
    "/figures/vyacheslav-molotov/cite.bib",
    "/places/moscow/",
    "/sitemap.xml",
    *(
        f"/sitemap-{section}.xml"
        for section in (
            "documents",
            "events",
            "figures",
            "places",
            "organizations",
            "topics",
            "sources",
        )
    ),
    "/feeds/documents/",
    "/feeds/events/",
    "/robots.txt",
]

# The drafts' own addresses: 404 for the public, like any address that does not exist.
DRAFT_URLS = [
    f"/documents/{SECRET}-memo/",
    f"/documents/{SECRET}-memo/cite.bib",
    f"/events/{SECRET}-meeting/",
    f"/events/{SECRET}-meeting/cite.bib",
    f"/figures/{SECRET}-person/",
    f"/figures/{SECRET}-person/cite.bib",
    f"/places/{SECRET}-place/",
]


@pytest.fixture
def drafts(seeded):
    """Draft records of every kind the public could stumble on, tied to published ones."""
    pact = Document.objects.get(slug="molotov-ribbentrop-pact")
    molotov = Figure.objects.get(slug="vyacheslav-molotov")
    moscow = Place.objects.get(slug="moscow")
    person = FigureFactory(
        name=f"{SECRET.title()} Person",
        slug=f"{SECRET}-person",
        birth_date="1885",
        nationality=f"{SECRET.title()}ian",
        portrait=image_upload(f"{SECRET}-portrait.png"),
    )
    person.alternative_names.create(name=f"{SECRET.title()}ovich")
    place = Place.objects.create(name=f"{SECRET.title()} Place", slug=f"{SECRET}-place")
    memo = DocumentFactory(
        title=f"{SECRET.title()} memo",
        slug=f"{SECRET}-memo",
        summary=f"A {SECRET} summary about Molotov and the pact.",
        type="memorandum",
        date="1939-08-20",
    )
    memo.places.add(moscow, place)
    DocumentFigure.objects.create(document=memo, figure=molotov, role="recipient")
    DocumentImage.objects.create(document=memo, image=image_upload(f"{SECRET}-scan.png"))
    meeting = EventFactory(
        title=f"{SECRET.title()} meeting",
        slug=f"{SECRET}-meeting",
        summary=f"A {SECRET} meeting with Ribbentrop.",
        start_date="1939-08-21",
    )
    meeting.documents.add(pact, memo)
    meeting.places.add(place)
    EventFigure.objects.create(event=meeting, figure=molotov, role="participant")
    EventFigure.objects.create(event=meeting, figure=person, role="participant")
    # The draft figure signs a published document: its name must not show there either.
    DocumentFigure.objects.create(document=pact, figure=person, role="witness")
    pact.places.add(place)
    drafts = [memo, meeting, person, place]
    assert all(not record.is_published for record in drafts)
    return drafts


def fetch(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def forget(drafts):
    for record in drafts:
        record.delete()
    cache.clear()


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_public_url_is_the_same_with_or_without_drafts(client, drafts, url):
    status, with_drafts = fetch(client, url)
    image_names = [
        *(image.image.name for image in DocumentImage.objects.all()),
        *(figure.portrait.name for figure in Figure.objects.exclude(portrait="")),
    ]
    forget(drafts)

    assert status == 200
    status, without_drafts = fetch(client, url)
    assert status == 200
    if "q=" in url:
        # Relevance ranks are relative to every indexed row (bm25), so results of equal
        # standing may change places; what is shown, and every count, may not.
        assert sorted(without_drafts.split(b"\n")) == sorted(with_drafts.split(b"\n"))
    else:
        assert without_drafts == with_drafts
    if SECRET not in url:  # otherwise the reader's own words are shown back to them
        assert SECRET.encode() not in with_drafts.lower()
    for name in image_names:
        assert name.encode() not in with_drafts


@pytest.mark.parametrize("url", DRAFT_URLS)
def test_a_drafts_own_address_is_404(client, drafts, url):
    assert client.get(url).status_code == 404


def test_a_drafts_scan_and_portrait_are_404(client, drafts):
    memo, _, person, _ = drafts
    scan = memo.images.get()
    urls = [
        f"/images/documents/{memo.slug}/{scan.pk}/display.jpg",
        f"/images/documents/{memo.slug}/{scan.pk}/thumbnail.jpg",
        f"/images/documents/molotov-ribbentrop-pact/{scan.pk}/display.jpg",
        f"/images/figures/{person.slug}/display.jpg",
        f"/images/figures/{person.slug}/thumbnail.jpg",
        f"/media/{scan.image.name}",
        f"/admin/media/{scan.image.name}",
        f"/admin/media/{person.portrait.name}",
    ]
    for url in urls:
        assert client.get(url).status_code in (302, 404), url  # 302: the admin's sign-in
    assert Document.objects.published().count() == Document.objects.count() - 1
