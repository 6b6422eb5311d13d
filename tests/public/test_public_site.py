"""The public site: faceted lists, search, timeline, detail pages, and drafts kept out."""

import pytest
from django.contrib.contenttypes.models import ContentType

from archive.models import AlternativeName, DocumentFigure, EventFigure, Position, Status
from tests.support.factories import (
    DocumentFactory,
    EventFactory,
    FigureFactory,
    PlaceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db
PUBLISHED = Status.PUBLISHED


def facet(response, param):
    """{value: (count, selected)} of one facet as the page shows it."""
    for item in response.context["facets"]:
        if item.param == param:
            return {value.value: (value.count, value.selected) for value in item.values}
    raise AssertionError(f"no facet {param}")


def results(response):
    return [str(record) for record, _ in response.context["results"]]


@pytest.fixture
def treaties():
    """Three published documents and a draft, with people, places and topics."""
    molotov = FigureFactory(name="Vyacheslav Molotov", status=PUBLISHED)
    ribbentrop = FigureFactory(name="Joachim von Ribbentrop", status=PUBLISHED)
    secret = FigureFactory(name="Secret Person", status=Status.DRAFT)
    AlternativeName.objects.create(record=molotov, name="Молотов", language="ru")
    moscow = PlaceFactory(name="Moscow", status=PUBLISHED)
    berlin = PlaceFactory(name="Berlin", status=PUBLISHED)
    diplomacy = TopicFactory(name="Diplomacy", status=PUBLISHED)
    pact = DocumentFactory(
        title="Non-aggression pact",
        type="treaty",
        date="1939-08-23",
        summary="The pact between Germany and the Soviet Union.",
        status=PUBLISHED,
    )
    protocol = DocumentFactory(
        title="Secret protocol",
        type="secret_protocol",
        date="1939-08-23",
        summary="Spheres of influence in Eastern Europe.",
        status=PUBLISHED,
    )
    rapallo = DocumentFactory(
        title="Treaty of Rapallo", type="treaty", date="1922-04-16", language="ru", status=PUBLISHED
    )
    draft = DocumentFactory(title="Draft pact memo", type="memorandum", date="1939", summary="pact")
    for document in (pact, protocol):
        DocumentFigure.objects.create(document=document, figure=molotov, role="signatory")
        DocumentFigure.objects.create(document=document, figure=ribbentrop, role="signatory")
        document.places.add(moscow, berlin)
        document.topics.add(diplomacy)
    # A figure in two roles on one document must count that document once.
    DocumentFigure.objects.create(document=pact, figure=molotov, role="mentioned")
    DocumentFigure.objects.create(document=pact, figure=secret, role="mentioned")
    DocumentFigure.objects.create(document=draft, figure=ribbentrop, role="author")
    return locals()


def test_facet_counts_describe_the_current_results(client, treaties):
    response = client.get("/documents/")
    assert response.context["total"] == 3
    assert facet(response, "type") == {"treaty": (2, False), "secret_protocol": (1, False)}
    assert facet(response, "decade") == {"1920": (1, False), "1930": (2, False)}
    assert facet(response, "place") == {"berlin": (2, False), "moscow": (2, False)}


def test_many_to_many_counts_are_of_distinct_records(client, treaties):
    response = client.get("/documents/")
    # Molotov signs and is mentioned in the pact: two link rows, one document.
    assert facet(response, "figure")["vyacheslav-molotov"] == (2, False)


def test_choosing_a_value_keeps_its_siblings_and_their_counts(client, treaties):
    response = client.get("/documents/", {"type": "treaty"})
    assert results(response) == ["Treaty of Rapallo", "Non-aggression pact"]
    assert facet(response, "type") == {"treaty": (2, True), "secret_protocol": (1, False)}
    # Other facets are counted on the narrowed results.
    assert facet(response, "decade") == {"1920": (1, False), "1930": (1, False)}


def test_values_within_a_facet_combine_with_or_and_facets_with_and(client, treaties):
    both_types = client.get("/documents/", {"type": ["treaty", "secret_protocol"]})
    assert both_types.context["total"] == 3
    narrowed = client.get("/documents/", {"type": ["treaty", "secret_protocol"], "decade": "1930"})
    assert sorted(results(narrowed)) == ["Non-aggression pact", "Secret protocol"]


def test_draft_values_never_appear_in_facets(client, treaties):
    response = client.get("/documents/")
    assert "secret-person" not in facet(response, "figure")
    assert "memorandum" not in facet(response, "type")
    assert "Secret Person" not in response.content.decode()


def test_a_draft_slug_in_the_url_is_a_form_error_not_a_leak(client, treaties):
    response = client.get("/documents/", {"figure": "secret-person"})
    assert response.status_code == 200
    assert "figure" in response.context["filterset"].form.errors
    assert response.context["page"] is None


def test_search_finds_a_figure_and_what_is_linked_to_it_by_an_alternative_name(client, treaties):
    figures = client.get("/figures/", {"q": "Молотов"})
    assert results(figures) == ["Vyacheslav Molotov"]
    documents = client.get("/documents/", {"q": "молотов"})
    assert sorted(results(documents)) == ["Non-aggression pact", "Secret protocol"]


def test_search_ranks_title_matches_first_and_highlights_them(client, treaties):
    response = client.get("/documents/", {"q": "pact"})
    assert results(response)[0] == "Non-aggression pact"
    assert "Draft pact memo" not in results(response)
    _, snippet = response.context["results"][0]
    assert "<mark>pact</mark>" in snippet.lower()
    assert "<mark>pact</mark>" in response.content.decode().lower()


def test_search_is_accent_and_case_insensitive(client, treaties):
    assert results(client.get("/documents/", {"q": "RAPALLÓ"})) == ["Treaty of Rapallo"]


def test_search_over_every_kind_has_a_kind_facet(client, treaties):
    EventFactory(title="Signing of the pact", start_date="1939-08-23", status=PUBLISHED)
    response = client.get("/search/", {"q": "pact"})
    assert facet(response, "kind") == {"document": (1, False), "event": (1, False)}
    only_events = client.get("/search/", {"q": "pact", "kind": "event"})
    assert results(only_events) == ["Signing of the pact"]
    assert facet(only_events, "kind")["document"] == (1, False)


def test_date_range_filters_on_the_derived_bounds(client, treaties):
    response = client.get("/documents/", {"date_from": "1930", "date_to": "August 1939"})
    assert sorted(results(response)) == ["Non-aggression pact", "Secret protocol"]
    before = client.get("/documents/", {"date_to": "1925"})
    assert results(before) == ["Treaty of Rapallo"]


def test_sort_by_title_and_by_date_descending(client, treaties):
    by_title = client.get("/documents/", {"sort": "title"})
    assert results(by_title) == ["Non-aggression pact", "Secret protocol", "Treaty of Rapallo"]
    latest_first = client.get("/documents/", {"sort": "-date"})
    assert results(latest_first)[-1] == "Treaty of Rapallo"


def test_active_filters_are_removable_chips(client, treaties):
    response = client.get("/documents/", {"type": ["treaty", "secret_protocol"], "q": "pact"})
    chips = {value: url for _, value, url in response.context["chips"]}
    assert set(chips) == {"treaty", "secret protocol", "pact"}
    without_treaty = client.get("/documents/" + chips["treaty"])
    assert without_treaty.context["filterset"].form.cleaned_data["type"] == ["secret_protocol"]


def test_pagination_keeps_the_filters(client):
    for number in range(25):
        DocumentFactory(title=f"Telegram {number:02}", type="telegram", status=PUBLISHED)
    first = client.get("/documents/", {"type": "telegram", "sort": "title"})
    assert first.context["total"] == 25
    assert "?type=telegram&amp;sort=title&amp;page=2" in first.content.decode()
    second = client.get("/documents/", {"type": "telegram", "sort": "title", "page": 2})
    assert results(second) == [f"Telegram {number}" for number in range(20, 25)]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"page": "abc"}, 404),
        ({"page": "999999"}, 404),
        ({"date_from": "xyz"}, 200),
        ({"date_to": "31 February 1939"}, 200),
        ({"q": "x" * 5000}, 200),
        ({"q": "'; DROP TABLE archive_document; --"}, 200),
        ({"q": '"unbalanced AND ( NEAR'}, 200),
        ({"sort": "password"}, 200),
        ({"decade": "nineteen-thirties"}, 200),
        ({"type": "nonsense"}, 200),
        ({"unknown": "ignored"}, 200),
    ],
)
def test_hostile_parameters_never_break_a_page(client, treaties, params, status):
    for url in ("/documents/", "/events/", "/figures/", "/search/", "/timeline/"):
        response = client.get(url, params)
        assert response.status_code == status, (url, params)


def test_a_script_in_the_query_is_shown_escaped(client, treaties):
    response = client.get("/search/", {"q": "<script>alert(1)</script>"})
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_an_overlong_query_is_a_form_error(client, treaties):
    response = client.get("/documents/", {"q": "x" * 5000})
    assert "q" in response.context["filterset"].form.errors


@pytest.mark.parametrize("url", ["/documents/", "/events/", "/figures/", "/timeline/", "/search/"])
def test_list_pages_fetch_in_a_constant_number_of_queries(
    client, django_assert_max_num_queries, url
):
    def build(count):
        for number in range(count):
            figure = FigureFactory(status=PUBLISHED)
            document = DocumentFactory(status=PUBLISHED, title=f"Pact {number}")
            event = EventFactory(status=PUBLISHED, title=f"Pact signing {number}")
            DocumentFigure.objects.create(document=document, figure=figure, role="signatory")
            EventFigure.objects.create(event=event, figure=figure)
            document.places.add(PlaceFactory(status=PUBLISHED))

    build(2)
    with django_assert_max_num_queries(100) as few:
        client.get(url, {"q": "pact"})
        client.get(url)
    build(40)
    # Forty times the records, more than a page of them: not one query more.
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"q": "pact"})
        client.get(url)


# Every page fetches in at most this many queries, with nothing cached, whatever is chosen.
MOST_QUERIES = 12


@pytest.mark.parametrize(
    "url, params",
    [
        ("/documents/", {}),
        ("/documents/", {"q": "pact", "sort": "date", "page": "2"}),
        (
            "/documents/",
            {"type": "treaty", "decade": "1930", "figure": "person-0", "place": "place-0"},
        ),
        ("/documents/", {"q": "pact", "topic": "topic-0", "language": "de", "more": "figure"}),
        ("/events/", {"figure": "person-0", "place": "place-0", "organization": "org-0"}),
        ("/figures/", {"organization": "org-0", "nationality": "German"}),
        ("/timeline/", {"q": "pact", "decade": "1930"}),
        ("/search/", {"q": "pact"}),
        ("/search/", {"q": "pact", "kind": ["document", "event"], "decade": "1930"}),
    ],
)
def test_every_list_fetches_in_a_dozen_queries_at_most_uncached(
    client, django_assert_max_num_queries, settings, url, params
):
    from archive.models import Organization, Position

    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    topic = TopicFactory(name="Topic 0", slug="topic-0", status=PUBLISHED)
    place = PlaceFactory(name="Place 0", slug="place-0", status=PUBLISHED)
    organization = Organization.objects.create(name="Org 0", slug="org-0", status=PUBLISHED)
    person = FigureFactory(name="Person 0", slug="person-0", status=PUBLISHED)
    Position.objects.create(figure=person, organization=organization, title="Minister")
    for number in range(25):
        document = DocumentFactory(
            status=PUBLISHED, title=f"Pact {number}", type="treaty", language="de"
        )
        event = EventFactory(status=PUBLISHED, title=f"Pact signing {number}")
        DocumentFigure.objects.create(document=document, figure=person, role="signatory")
        EventFigure.objects.create(event=event, figure=person)
        document.places.add(place, PlaceFactory(status=PUBLISHED))
        document.topics.add(topic)
        event.places.add(place)
        event.organizations.add(organization)
    with django_assert_max_num_queries(MOST_QUERIES):
        response = client.get(url, params)
    assert response.status_code == 200
    assert response.context["page"] is not None, response.context["filterset"].form.errors


def test_a_long_facet_shows_ten_values_and_offers_all_of_them(client):
    document = DocumentFactory(status=PUBLISHED)
    for number in range(12):
        place = PlaceFactory(name=f"Place {number:02d}", status=PUBLISHED)
        for other in DocumentFactory.create_batch(number, status=PUBLISHED):
            other.places.add(place)
        document.places.add(place)
    document.places.add(PlaceFactory(name="Draft place", status=Status.DRAFT))

    short = client.get("/documents/")
    assert list(facet(short, "place").values())[:2] == [(12, False), (11, False)]
    assert len(facet(short, "place")) == 10
    assert "Show all 12 values" in short.content.decode()
    assert "Place 01" not in short.content.decode()

    chosen = client.get("/documents/", {"place": "place-00"})
    assert facet(chosen, "place")["place-00"] == (1, True)  # the eleventh, chosen: shown

    everything = client.get("/documents/", {"more": "place"})
    assert len(facet(everything, "place")) == 12
    assert "Place 01" in everything.content.decode()
    assert "Draft place" not in everything.content.decode()


def test_timeline_groups_events_by_year_and_marks_doubtful_dates(client):
    EventFactory(title="Rapallo signed", start_date="1922-04-16", status=PUBLISHED)
    EventFactory(title="Kama school opens", start_date="1926?", status=PUBLISHED)
    EventFactory(title="Secret talks", start_date="1926", status=Status.DRAFT)
    response = client.get("/timeline/")
    body = response.content.decode()
    assert body.index('id="year-1922"') < body.index('id="year-1926"')
    assert "Kama school opens" in body and "Secret talks" not in body
    assert "uncertain" in body


def test_detail_page_links_related_records_both_ways_with_roles(client, treaties):
    pact = treaties["pact"]
    page = client.get(pact.get_absolute_url()).content.decode()
    molotov = treaties["molotov"]
    assert f'href="{molotov.get_absolute_url()}"' in page
    assert "signatory" in page
    assert "Secret Person" not in page  # a draft is left out, the page still renders
    figure_page = client.get(molotov.get_absolute_url()).content.decode()
    assert f'href="{pact.get_absolute_url()}"' in figure_page
    assert (
        "Draft pact memo"
        not in client.get(treaties["ribbentrop"].get_absolute_url()).content.decode()
    )


def test_detail_page_shows_the_date_as_written_and_a_citation(client, treaties):
    page = client.get(treaties["rapallo"].get_absolute_url()).content.decode()
    assert '<time datetime="1922-04-16">1922-04-16</time>' in page
    assert "(day)" in page
    assert "Cite this record" in page
    assert "@misc{treaty-of-rapallo," in page
    assert "http://testserver/documents/treaty-of-rapallo/" in page


def test_drafts_are_404_and_absent_from_home_lists_and_search(client, treaties):
    draft = treaties["draft"]
    assert client.get(draft.get_absolute_url()).status_code == 404
    for url in ("/", "/documents/", "/search/?q=memo", "/documents/?q=memo", "/timeline/"):
        assert "Draft pact memo" not in client.get(url).content.decode(), url
    assert client.get("/search/", {"q": "memo"}).context["total"] == 0


def test_home_shows_counts_entry_points_and_latest_records(client, treaties):
    body = client.get("/").content.decode()
    assert 'href="/timeline/"' in body and 'href="/documents/"' in body
    assert "Treaty of Rapallo" in body
    assert ContentType.objects.exists()


def test_a_draft_figures_name_is_not_searchable_through_published_documents(client, treaties):
    response = client.get("/documents/", {"q": "Secret Person"})
    assert response.context["total"] == 0
    pact = client.get("/documents/", {"q": "pact"}).content.decode()
    assert "Secret Person" not in pact  # not in the pact's snippet either


def test_publishing_a_figure_makes_its_documents_findable_by_its_name(
    client, treaties, editor_client
):
    secret = treaties["secret"]
    editor_client.post(
        "/admin/archive/figure/", {"action": "publish", "_selected_action": [secret.pk]}
    )
    response = client.get("/documents/", {"q": "Secret Person"})
    assert results(response) == ["Non-aggression pact"]


def test_a_position_held_outside_any_organisation_leaves_the_figure_list_working(client):
    figure = FigureFactory(name="Georgy Astakhov", status="published")
    Position.objects.create(figure=figure, title="Chargé d'affaires in Berlin")

    response = client.get("/figures/")

    assert response.status_code == 200
    assert "Georgy Astakhov" in response.content.decode()
