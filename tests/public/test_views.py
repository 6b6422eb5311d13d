"""The public pages: what anyone sees, and that drafts stay hidden."""

import pytest

from archive.models import Status
from tests.support.factories import DocumentFactory, FigureFactory

pytestmark = pytest.mark.django_db


def test_home_counts_published_records_only(client):
    DocumentFactory(status=Status.PUBLISHED)
    DocumentFactory()
    response = client.get("/")
    assert response.status_code == 200
    assert dict(response.context["counts"])["documents"] == 1


def test_published_record_has_a_public_page(client):
    figure = FigureFactory(name="Maxim Litvinov", status=Status.PUBLISHED)
    response = client.get(figure.get_absolute_url())
    assert response.status_code == 200
    assert "Maxim Litvinov" in response.content.decode()


def test_draft_record_is_404_for_the_public_and_for_editors(client, editor_client):
    draft = DocumentFactory(title="A secret draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert editor_client.get(draft.get_absolute_url()).status_code == 404
