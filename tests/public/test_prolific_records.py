"""A record linked to thousands of others: its page shows the first of each related list,
in date order with the undated last, how many there are, and a link to all of them in
their kind's faceted list, in as many queries and about as many bytes as a record with a
handful (one painter's page once listed all 39,389 of his works: 9–15 s and 5.5 MB)."""

import datetime
import re
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import Document, DocumentFigure, EventFigure, Figure, Position, Status
from archive.public.details import RELATED_SHOWN, SORT_AT_MOST
from tests.support.factories import (
    DocumentFactory,
    EventFactory,
    FigureFactory,
    OrganizationFactory,
    PlaceFactory,
)

pytestmark = pytest.mark.django_db

PUBLISHED = {"status": Status.PUBLISHED}


def year_of(number):
    """A year for the n-th work, spread over 1800–1949; every tenth work is undated."""
    return None if number % 10 == 0 else 1800 + (number * 7919) % 150


def dated(year):
    """The stored date columns of a work of ``year`` (bulk_create derives nothing)."""
    if year is None:
        return {"date": ""}
    return {
        "date": str(year),
        "date_earliest": datetime.date(year, 1, 1),
        "date_latest": datetime.date(year, 12, 31),
        "date_year": year,
    }


def works_of(figure, count, *, prefix="Work", drafts=0):
    """``count`` published documents (and ``drafts`` drafts) naming ``figure`` as author,
    written with bulk_create: no signals, so no search index rows, as the page needs none."""
    documents = [
        Document(
            title=f"{prefix} {number:05d}",
            slug=f"{figure.slug}-{prefix.lower()}-{number}",
            status=Status.PUBLISHED if number < count else Status.DRAFT,
            **dated(year_of(number)),
        )
        for number in range(count + drafts)
    ]
    Document.objects.bulk_create(documents, batch_size=1000)
    pks = Document.objects.filter(slug__startswith=f"{figure.slug}-{prefix.lower()}-")
    DocumentFigure.objects.bulk_create(
        [
            DocumentFigure(document_id=pk, figure=figure, role="author")
            for pk in pks.values_list("pk", flat=True)
        ],
        batch_size=1000,
    )


def first_titles(count, shown=RELATED_SHOWN, prefix="Work"):
    """The titles a page should show first: dated works by year then title, undated last."""
    numbers = sorted(
        range(count),
        key=lambda n: (year_of(n) is None, year_of(n) or 0, f"{prefix} {n:05d}"),
    )
    return [f"{prefix} {n:05d}" for n in numbers[:shown]]


def section(page, anchor):
    """The HTML of one related list of a page, by its heading's id."""
    match = re.search(
        rf'<section aria-labelledby="{anchor}"[^>]*>(.*?)</section>', page, flags=re.S
    )
    assert match, f"no section {anchor}"
    return match.group(1)


def linked_titles(html, prefix):
    return re.findall(rf'<a href="/{prefix}/[^"]+/">([^<]+)</a>', html)


def uncached_get(client, url):
    cache.clear()
    return client.get(url)


def timed(client, url, repeat=5):
    """The best of a few uncached requests, in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        cache.clear()
        start = time.perf_counter()
        client.get(url)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def test_a_figure_with_3000_documents_shows_20_the_count_and_a_link_to_all(
    client, django_assert_num_queries, capsys
):
    prolific = FigureFactory(name="Joseph Turner", **PUBLISHED)
    modest = FigureFactory(name="Thomas Girtin", **PUBLISHED)
    works_of(prolific, 3000, drafts=40)
    works_of(modest, 3, prefix="Sketch")
    client.get(modest.get_absolute_url())  # the first request of a process reads more

    with CaptureQueriesContext(connection) as modest_queries:
        modest_page = uncached_get(client, modest.get_absolute_url())
    assert modest_page.status_code == 200
    with django_assert_num_queries(len(modest_queries.captured_queries)):
        response = uncached_get(client, prolific.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()

    documents = section(page, "documents")
    assert linked_titles(documents, "documents") == first_titles(3000)
    assert 'Documents <span class="count">3,000</span>' in documents  # drafts not counted
    assert "The first 20 of 3,000." in documents
    assert (
        f'<a href="/documents/?figure={prolific.slug}">All 3,000 documents in the list</a>'
        in documents
    )
    assert "Work 00000" not in page  # undated: after every dated work

    modest_documents = section(modest_page.content.decode(), "documents")
    assert linked_titles(modest_documents, "documents") == first_titles(3, prefix="Sketch")
    assert first_titles(3, prefix="Sketch")[-1] == "Sketch 00000"  # the undated one
    assert "The first" not in modest_documents
    assert (
        f'href="/documents/?figure={modest.slug}">All 3 documents in the list</a>'
        in modest_documents
    )

    # 17 more links than the modest page, and not a byte for the other 2,980 works.
    assert len(response.content) - len(modest_page.content) < 17 * 250
    # Read again from the cache, the page costs the same for both.
    client.get(modest.get_absolute_url())
    with CaptureQueriesContext(connection) as cached_modest:
        client.get(modest.get_absolute_url())
    with django_assert_num_queries(len(cached_modest.captured_queries)):
        client.get(prolific.get_absolute_url())

    many, few = timed(client, prolific.get_absolute_url()), timed(client, modest.get_absolute_url())
    with capsys.disabled():
        print(
            f"\nfigure page, uncached (best of 5): 3,000 documents {many:.1f} ms, "
            f"{len(response.content):,} bytes; 3 documents {few:.1f} ms, "
            f"{len(modest_page.content):,} bytes"
        )


def test_the_link_leads_to_the_list_of_all_of_them(client):
    figure = FigureFactory(name="Joseph Turner", **PUBLISHED)
    works_of(figure, 30, drafts=5)
    page = client.get(figure.get_absolute_url()).content.decode()
    url = re.search(r'<a href="(/documents/\?figure=[^"]+)">All 30 documents in', page).group(1)
    response = client.get(url)
    assert response.context["total"] == 30
    assert [str(record) for record, _ in response.context["results"]] == first_titles(30)


@pytest.mark.sqlite
def test_the_first_documents_of_a_prolific_figure_are_read_from_the_date_index(client):
    """EXPLAIN QUERY PLAN of the query that finds the first documents: it walks the
    documents' date index in order, checking each against the link table's index, and
    stops after 20; no temporary B-tree sorts the figure's documents."""
    figure = FigureFactory(name="Joseph Turner", **PUBLISHED)
    works_of(figure, SORT_AT_MOST + 100)
    with CaptureQueriesContext(connection) as queries:
        client.get(figure.get_absolute_url())
    first = next(
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "archive_document"."id"')
        and f"LIMIT {RELATED_SHOWN}" in query["sql"]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {first}")
        plan = [row[3] for row in cursor.fetchall()]
    assert any("USING COVERING INDEX document_pub_by_date" in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan


def test_a_short_list_and_a_long_one_are_in_the_same_order(client):
    """Below SORT_AT_MOST documents the list is sorted from the link rows, above it read
    from the date index: either way the same order."""
    short, long = (FigureFactory(name=name, **PUBLISHED) for name in ("Short List", "Long List"))
    works_of(short, SORT_AT_MOST, prefix="Short")
    works_of(long, SORT_AT_MOST + 1, prefix="Long")
    for figure, prefix, count in ((short, "Short", SORT_AT_MOST), (long, "Long", SORT_AT_MOST + 1)):
        page = client.get(figure.get_absolute_url()).content.decode()
        assert linked_titles(section(page, "documents"), "documents") == first_titles(
            count, prefix=prefix
        )


def test_a_place_lists_its_first_documents_and_events_with_links_to_both_lists(client):
    place = PlaceFactory(name="Moscow", **PUBLISHED)
    documents = [DocumentFactory(date=str(1900 + n), **PUBLISHED) for n in range(RELATED_SHOWN + 5)]
    events = [EventFactory(start_date=str(1950 - n), **PUBLISHED) for n in range(RELATED_SHOWN + 2)]
    undated = EventFactory(title="A meeting of no known date", start_date="", **PUBLISHED)
    place.documents.add(*documents)
    place.events.add(*events, undated)

    page = client.get(place.get_absolute_url()).content.decode()
    listed = section(page, "documents")
    assert linked_titles(listed, "documents") == [str(d) for d in documents[:RELATED_SHOWN]]
    assert "The first 20 of 25." in listed
    assert f'<a href="/documents/?place={place.slug}">All 25 documents in the list</a>' in listed
    listed = section(page, "events")
    assert linked_titles(listed, "events") == [str(e) for e in reversed(events[2:])]
    assert undated.title not in listed
    assert f'<a href="/events/?place={place.slug}">All 23 events in the list</a>' in listed


def test_an_organisation_lists_its_first_people_with_their_posts_and_a_link(client):
    organisation = OrganizationFactory(name="People's Commissariat", **PUBLISHED)
    people = [
        FigureFactory(birth_date=str(1850 + n), **PUBLISHED) for n in range(RELATED_SHOWN + 3)
    ]
    for person in people:
        Position.objects.create(figure=person, organization=organisation, title="Commissar")
    Position.objects.create(figure=people[0], organization=organisation, title="Deputy")

    page = client.get(organisation.get_absolute_url()).content.decode()
    listed = section(page, "people")
    assert linked_titles(listed, "figures") == [p.name for p in people[:RELATED_SHOWN]]
    assert '<span class="role">Commissar, Deputy</span>' in listed  # one line a person
    assert 'People <span class="count">23</span>' in listed
    assert (
        f'<a href="/figures/?organization={organisation.slug}">All 23 people in the list</a>'
        in listed
    )


def test_a_documents_people_and_an_events_people_are_bounded_without_a_link(client):
    """No list filters people by document or event: the count, and no link."""
    document = DocumentFactory(**PUBLISHED)
    event = EventFactory(**PUBLISHED)
    people = Figure.objects.bulk_create(
        [
            Figure(
                name=f"Person {n:02d}", sort_name=f"Person {n:02d}", slug=f"person-{n}", **PUBLISHED
            )
            for n in range(RELATED_SHOWN + 4)
        ]
    )
    DocumentFigure.objects.bulk_create(DocumentFigure(document=document, figure=p) for p in people)
    EventFigure.objects.bulk_create(EventFigure(event=event, figure=p) for p in people)
    for record in (document, event):
        listed = section(client.get(record.get_absolute_url()).content.decode(), "people")
        assert linked_titles(listed, "figures") == [p.name for p in people[:RELATED_SHOWN]]
        assert "The first 20 of 24." in listed
        assert "All 24" not in listed


def test_a_figures_events_show_his_roles_and_link_to_the_event_list(client):
    figure = FigureFactory(name="Vyacheslav Molotov", **PUBLISHED)
    signing = EventFactory(title="Signing", start_date="1939-08-23", **PUBLISHED)
    EventFigure.objects.create(event=signing, figure=figure, role="signatory")
    EventFigure.objects.create(event=signing, figure=figure, role="participant")
    listed = section(client.get(figure.get_absolute_url()).content.decode(), "events")
    assert linked_titles(listed, "events") == ["Signing"]  # one line, both roles
    assert '<span class="role">signatory, participant</span>' in listed
    assert f'<a href="/events/?figure={figure.slug}">The event in the list</a>' in listed
