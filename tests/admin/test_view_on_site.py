"""The admin's "view on site" address (/admin/r/<content type>/<id>/) leads to a record's
page only for those who may view the record in the admin: a staff account without the
archive's permissions learns no draft's address from it."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from archive.models import Document, Figure, Status
from tests.support.factories import DocumentFactory, FigureFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "zqxsecret"


def view_on_site(record):
    content_type = ContentType.objects.get_for_model(record)
    return reverse("admin:view_on_site", args=[content_type.pk, record.pk])


@pytest.fixture
def draft_figure():
    return FigureFactory(name=f"{SECRET} Person")


@pytest.fixture
def bare_staff(client):
    """Signed in to the admin, with no permission at all: 403 on every archive page."""
    client.force_login(UserFactory(is_staff=True))
    return client


def test_staff_without_archive_permissions_learn_no_drafts_address(bare_staff, draft_figure):
    assert bare_staff.get(reverse("admin:archive_figure_changelist")).status_code == 403
    response = bare_staff.get(view_on_site(draft_figure))
    assert response.status_code in (403, 404)
    assert SECRET not in response.get("Location", "")
    assert SECRET not in response.content.decode()


def test_nor_a_published_records_address(bare_staff):
    document = DocumentFactory(title="Public memo", status=Status.PUBLISHED)
    response = bare_staff.get(view_on_site(document))
    assert response.status_code in (403, 404)
    assert "public-memo" not in response.get("Location", "")


@pytest.mark.parametrize("codename", ["view_figure", "change_figure"])
def test_staff_who_may_view_the_record_are_sent_to_its_page(client, draft_figure, codename):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    response = client.get(view_on_site(draft_figure))
    assert response.status_code == 302
    assert response["Location"].endswith(draft_figure.get_absolute_url())


def test_a_permission_on_another_kind_is_not_enough(client, draft_figure):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_document"))
    client.force_login(user)
    response = client.get(view_on_site(draft_figure))
    assert response.status_code in (403, 404)
    assert SECRET not in response.get("Location", "")


def test_editors_are_sent_to_the_page(editor_client, draft_figure):
    response = editor_client.get(view_on_site(draft_figure))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/figures/{SECRET}-person/")


def test_anonymous_visitors_are_sent_to_sign_in(client, draft_figure):
    response = client.get(view_on_site(draft_figure))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert f"/figures/{SECRET}" not in response["Location"]


def test_an_unknown_content_type_or_record_is_a_404(editor_client):
    assert editor_client.get(reverse("admin:view_on_site", args=[999999, 1])).status_code == 404
    content_type = ContentType.objects.get_for_model(Document)
    missing = reverse("admin:view_on_site", args=[content_type.pk, 999999])
    assert editor_client.get(missing).status_code == 404
    assert Figure.objects.count() == 0
