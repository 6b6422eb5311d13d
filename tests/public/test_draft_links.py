"""A draft's name never reaches the public through a published record that links to it.

A published figure holding a post in a draft organisation: the figure's page shows the
post's title but not the organisation, and neither search nor the figure list finds the
figure by the organisation's name until the organisation is published.
"""

import pytest

from archive.models import Organization, Position, Status
from archive.records.services import records_publish, records_unpublish
from tests.support.factories import (
    DocumentFactory,
    EventFactory,
    FigureFactory,
    OrganizationFactory,
    PlaceFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

SECRET = "Zqxdraftorg"


@pytest.fixture
def figure_in_a_draft_organisation():
    organisation = OrganizationFactory(name=f"{SECRET} Bureau")
    figure = FigureFactory(name="Anna Clerkova", status=Status.PUBLISHED)
    Position.objects.create(figure=figure, title="Chief clerk", organization=organisation)
    return figure


def related_records(context):
    """Every record a detail page's context offers the template, from every related list."""
    for name in ("people", "positions", "document_roles", "event_roles"):
        for row in context.get(name) or ():
            for end in ("figure", "document", "event", "organization"):
                if getattr(row, f"{end}_id", None) is not None and getattr(row, end):
                    yield getattr(row, end)
    for name in ("documents", "events", "places", "organizations", "topics"):
        yield from context.get(name) or ()
    for citation in context["citations"]:
        yield citation.source


def test_a_published_figures_page_names_no_draft_organisation(
    client, figure_in_a_draft_organisation
):
    response = client.get(figure_in_a_draft_organisation.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chief clerk" in page  # the post still shows, without the organisation
    assert SECRET not in page
    # What the page is given to show: a draft organisation is not even handed to the
    # template, whose every use of a position's organisation would otherwise show it.
    assert [position.organization for position in response.context["positions"]] == [None]


def test_the_organisation_shows_on_the_figures_page_once_published(
    client, figure_in_a_draft_organisation
):
    Organization.objects.filter(name__startswith=SECRET).update(status=Status.PUBLISHED)
    page = client.get(figure_in_a_draft_organisation.get_absolute_url()).content.decode()
    assert f'<a href="/organizations/{SECRET.lower()}-bureau/">{SECRET} Bureau</a>' in page


def test_no_detail_page_lists_or_names_a_draft(client):
    """Every related list of every kind of page, each holding one draft of each kind."""
    drafts = {
        "figure": FigureFactory(name=f"{SECRET} Person"),
        "document": DocumentFactory(title=f"{SECRET} Memo"),
        "event": EventFactory(title=f"{SECRET} Meeting"),
        "place": PlaceFactory(name=f"{SECRET} Place"),
        "organization": OrganizationFactory(name=f"{SECRET} Office"),
        "topic": TopicFactory(name=f"{SECRET} Topic"),
        "source": SourceFactory(title=f"{SECRET} Source"),
    }
    published = {"status": Status.PUBLISHED}
    figure = FigureFactory(**published)
    document = DocumentFactory(**published)
    event = EventFactory(**published)
    place = PlaceFactory(**published)
    organisation = OrganizationFactory(**published)
    topic = TopicFactory(**published)
    source = SourceFactory(**published)
    pages = [figure, document, event, place, organisation, topic, source]

    for record in (document, event):
        record.figure_roles.create(figure=drafts["figure"], role="author")
        record.places.add(drafts["place"])
        record.organizations.add(drafts["organization"])
    document.events.add(drafts["event"])
    document.topics.add(drafts["topic"])
    event.documents.add(drafts["document"])
    figure.document_roles.create(document=drafts["document"], role="author")
    figure.event_roles.create(event=drafts["event"], role="participant")
    figure.positions.create(title="Delegate", organization=drafts["organization"])
    for authority in (place, organisation, topic):
        authority.documents.add(drafts["document"])
    for authority in (place, organisation):
        authority.events.add(drafts["event"])
    organisation.positions.create(figure=drafts["figure"], title="Secretary")
    for record in pages:
        record.citations.create(source=drafts["source"], passage="As the source says.")

    for record in pages:
        response = client.get(record.get_absolute_url())
        assert response.status_code == 200, record
        assert SECRET not in response.content.decode(), record
        assert all(related.is_published for related in related_records(response.context)), record
        assert response.context["kind"], record


@pytest.mark.parametrize("address", ["/search/?q={}", "/figures/?q={}"])
def test_search_finds_a_figure_by_its_organisation_only_while_it_is_published(
    client, figure_in_a_draft_organisation, address
):
    url = address.format(SECRET)

    def found():
        return figure_in_a_draft_organisation.name in client.get(url).content.decode()

    assert not found()
    organisations = Organization.objects.filter(name__startswith=SECRET)
    records_publish(queryset=organisations)
    assert found()
    records_unpublish(queryset=organisations)
    assert not found()
