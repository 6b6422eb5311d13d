"""Identifiers are found and shown: an accession number (``T07516``) or a Wikidata QID
finds its record first, on the lists and in the search over every kind, and the record's
page shows it (a QID as a link to Wikidata). And a record named by the words outranks
records that only link to it: a search for "turner" finds the painter before the
thousands of works that name him."""

import pytest

from archive import search
from archive.models import Document, DocumentFigure, Status
from tests.support.factories import DocumentFactory, EventFactory, FigureFactory, PlaceFactory

pytestmark = pytest.mark.django_db

PUBLISHED = {"status": Status.PUBLISHED}


def titles(response):
    assert response.status_code == 200
    return [str(record) for record, _ in response.context["results"]]


@pytest.fixture
def norham_castle():
    """A painting with its accession number, and records that only mention the number."""
    painting = DocumentFactory(
        title="Norham Castle, Sunrise",
        identifier="T07516",
        summary="Oil paint on canvas.",
        **PUBLISHED,
    )
    DocumentFactory(title="Conservation report", text="Treated T07516 in 1984.", **PUBLISHED)
    DocumentFactory(title="Loan list", summary="T07516, T07517, T07518", **PUBLISHED)
    EventFactory(title="Exhibition", summary="Showing T07516 for the first time.", **PUBLISHED)
    return painting


@pytest.mark.parametrize("query", ["T07516", "t07516", "T0751"])  # any case; a prefix too
def test_an_accession_number_finds_its_record_first_in_the_list(client, norham_castle, query):
    found = titles(client.get("/documents/", {"q": query}))
    assert found[0] == "Norham Castle, Sunrise"
    assert set(found) == {"Norham Castle, Sunrise", "Conservation report", "Loan list"}


def test_an_accession_number_finds_its_record_first_in_the_search(client, norham_castle):
    found = titles(client.get("/search/", {"q": "T07516"}))
    assert found[0] == "Norham Castle, Sunrise"
    assert set(found[1:]) == {"Conservation report", "Loan list", "Exhibition"}


def test_a_wikidata_qid_finds_its_figure_and_event(client):
    FigureFactory(name="Vyacheslav Molotov", identifier="Q1393", **PUBLISHED)
    EventFactory(title="Signing of the pact", identifier="Q192277", **PUBLISHED)
    assert titles(client.get("/figures/", {"q": "Q1393"})) == ["Vyacheslav Molotov"]
    assert titles(client.get("/search/", {"q": "Q192277"})) == ["Signing of the pact"]


def test_a_changed_identifier_is_searched_by_its_new_value_at_once(client, norham_castle):
    norham_castle.identifier = "N01981"
    norham_castle.save()
    assert titles(client.get("/documents/", {"q": "N01981"})) == ["Norham Castle, Sunrise"]
    assert "Norham Castle, Sunrise" not in titles(client.get("/documents/", {"q": "T07516"}))


def test_a_records_page_shows_its_identifier_as_text(client, norham_castle):
    page = client.get(norham_castle.get_absolute_url()).content.decode()
    assert '<dt>Identifier</dt><dd class="identifier">T07516</dd>' in page
    assert "wikidata.org" not in page


@pytest.mark.parametrize(
    "make",
    [
        lambda: FigureFactory(name="Vyacheslav Molotov", identifier="Q1393", **PUBLISHED),
        lambda: DocumentFactory(title="Treaty", identifier="Q1393", **PUBLISHED),
        lambda: EventFactory(title="Signing", identifier="Q1393", **PUBLISHED),
        lambda: PlaceFactory(name="Moscow", identifier="Q1393", **PUBLISHED),
    ],
    ids=["figure", "document", "event", "place"],
)
def test_a_records_page_links_a_wikidata_qid(client, make):
    page = client.get(make().get_absolute_url()).content.decode()
    assert (
        '<dt>Identifier</dt><dd class="identifier">'
        '<a href="https://www.wikidata.org/wiki/Q1393" rel="nofollow">Q1393</a></dd>'
    ) in page


def test_a_page_without_an_identifier_shows_none(client):
    page = client.get(DocumentFactory(**PUBLISHED).get_absolute_url()).content.decode()
    assert "<dt>Identifier</dt>" not in page


def test_a_figures_own_name_outranks_documents_that_only_name_him(client):
    """Each kind's relevance is its own table's: among 500 other documents the 50 that
    name Turner score high on SQLite's bm25, and his long biography scores low in the
    figures' table. His name is what was searched for, so he comes first."""
    others = Document.objects.bulk_create(
        Document(title=f"Other {number}", slug=f"other-{number}", **PUBLISHED)
        for number in range(500)
    )
    search.index(Document, [document.pk for document in others])
    turner = FigureFactory(
        name="Joseph Turner",
        biography="Painter of light. " * 200,  # a long biography ranks lower by bm25
        **PUBLISHED,
    )
    for number in range(50):
        document = DocumentFactory(title=f"Sketchbook {number}", summary="Pencil.", **PUBLISHED)
        DocumentFigure.objects.create(document=document, figure=turner, role="author")
    response = client.get("/search/", {"q": "turner"})
    found = titles(response)
    assert len(found) == 20 and response.context["total"] == 51
    assert found[0] == "Joseph Turner"
    assert client.get("/search/", {"q": "turner", "kind": "document"}).context["total"] == 50


def test_records_named_by_the_words_come_before_those_that_link_to_them(client):
    """Every kind's own titles first, whatever the kind; then records found through the
    names they link to or their texts."""
    turner = FigureFactory(name="Joseph Turner", biography="Painter. " * 300, **PUBLISHED)
    girtin = FigureFactory(name="Thomas Girtin", biography="A friend of Turner.", **PUBLISHED)
    letter = DocumentFactory(title="Turner's letter to Ruskin", **PUBLISHED)
    exhibition = EventFactory(title="Turner exhibition", start_date="1857", **PUBLISHED)
    for number in range(10):
        document = DocumentFactory(title=f"Study {number}", **PUBLISHED)
        DocumentFigure.objects.create(document=document, figure=turner, role="author")
    found = titles(client.get("/search/", {"q": "turner"}))
    assert set(found[:3]) == {str(turner), str(letter), str(exhibition)}
    assert set(found[3:]) == {str(girtin)} | {f"Study {number}" for number in range(10)}


def test_an_alternative_name_is_a_name_of_the_figure_itself(client):
    """'Молотов' names the man; documents that name him come after him."""
    molotov = FigureFactory(name="Vyacheslav Molotov", **PUBLISHED)
    molotov.alternative_names.create(name="Молотов", language="ru")
    for number in range(5):
        document = DocumentFactory(title=f"Telegram {number}", **PUBLISHED)
        DocumentFigure.objects.create(document=document, figure=molotov, role="signatory")
    found = titles(client.get("/search/", {"q": "Молотов"}))
    assert found[0] == "Vyacheslav Molotov"
    assert len(found) == 6


def test_a_name_with_dotted_initials_is_found_by_its_words(client, db):
    """PostgreSQL's parser reads "H.G." as one token; a query is split into words."""
    from tests.support.factories import FigureFactory

    figure = FigureFactory(name="William H.G. FitzGerald", status="published")
    for query in ("H.G. FitzGerald", "William H G FitzGerald", "FitzGerald"):
        page = client.get("/figures/", {"q": query}).content.decode()
        assert figure.get_absolute_url() in page, query
