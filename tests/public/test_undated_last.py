"""Date order puts undated records, and those open at the start ("before 1922"), after
the dated ones, in either direction and on both databases (SQLite sorts NULL first in
ascending order, PostgreSQL first in descending order); then the order is by title.
Runs on both databases."""

import pytest

from archive.models import Status
from tests.support.factories import DocumentFactory, EventFactory, FigureFactory

pytestmark = pytest.mark.django_db

PUBLISHED = {"status": Status.PUBLISHED}
# (title, date as typed), in title order; ascending date order is DATED then UNDATED.
RECORDS = [
    ("Alpha zebulon", "1939-08-23"),
    ("Beta zebulon", "1920"),
    ("Delta zebulon", "before 1922"),  # open at the start: no earliest day
    ("Epsilon zebulon", "c. 1930"),
    ("Gamma zebulon", ""),  # undated
    ("Kappa zebulon", "n.d."),  # undated
]
ASCENDING = ["Beta", "Epsilon", "Alpha"]
DESCENDING = ["Alpha", "Epsilon", "Beta"]
UNDATED = ["Delta", "Gamma", "Kappa"]  # by title, whichever the direction


@pytest.fixture
def documents():
    for title, date in RECORDS:
        DocumentFactory(title=f"{title} document", date=date, **PUBLISHED)


@pytest.fixture
def events():
    for title, date in RECORDS:
        EventFactory(title=f"{title} event", start_date=date, **PUBLISHED)


@pytest.fixture
def figures():
    for title, date in RECORDS:
        # Named so that the sort name (last word first) keeps the titles' order.
        FigureFactory(
            name=f"{title.split()[0]} Zebulon", sort_name=title, birth_date=date, **PUBLISHED
        )


def shown(response):
    """The first word of each result's title or name, in the page's order."""
    assert response.status_code == 200
    return [str(record).split()[0] for record, _ in response.context["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ASCENDING + UNDATED),  # the default order of a list without a search
        ({"sort": "date"}, ASCENDING + UNDATED),
        ({"sort": "-date"}, DESCENDING + UNDATED),
        ({"q": "zebulon", "sort": "date"}, ASCENDING + UNDATED),
        ({"q": "zebulon", "sort": "-date"}, DESCENDING + UNDATED),
    ],
)
@pytest.mark.parametrize(
    ("address", "fixture"),
    [("/documents/", "documents"), ("/events/", "events"), ("/figures/", "figures")],
)
def test_lists_put_undated_records_last(client, request, address, fixture, query, expected):
    request.getfixturevalue(fixture)
    assert shown(client.get(address, query)) == expected


def test_the_timeline_puts_undated_events_last(client, events):
    assert shown(client.get("/timeline/")) == ASCENDING + UNDATED


@pytest.mark.parametrize(
    ("sort", "dated"), [("date", ASCENDING), ("-date", DESCENDING)], ids=["date", "-date"]
)
def test_the_search_over_every_kind_puts_undated_records_last(
    client, documents, events, figures, sort, dated
):
    response = client.get("/search/", {"q": "zebulon", "sort": sort})
    results = [str(record) for record, _ in response.context["results"]]
    # Each date holds a person, a document and an event, which follow each other by title
    # (the person's sort name, "Alpha zebulon", first).
    assert results == [
        title
        for word in dated + UNDATED
        for title in (f"{word} Zebulon", f"{word} zebulon document", f"{word} zebulon event")
    ]


def test_an_open_ended_start_is_undated_for_order_but_not_for_the_date_filter(client, documents):
    """ "before 1922" sorts with the undated, yet a range that reaches 1921 still finds it."""
    response = client.get("/documents/", {"date_to": "1925", "sort": "date"})
    assert shown(response) == ["Beta", "Delta"]
