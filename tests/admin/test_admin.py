"""The editors' admin: every page renders for an editor, and an editor can do an editor's work."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from archive.models import Document, Figure, Status
from tests.support.admin_forms import admin_url, document_form
from tests.support.factories import DocumentFactory, image_upload

pytestmark = pytest.mark.usefixtures("seeded")

ARCHIVE_ADMINS = [model for model in admin.site._registry if model._meta.app_label == "archive"]


def test_every_kind_of_record_is_curated_in_the_admin():
    names = {model.__name__ for model in ARCHIVE_ADMINS}
    assert names == {"Document", "Event", "Figure", "Place", "Organization", "Topic", "Source"}


@pytest.mark.parametrize("model", ARCHIVE_ADMINS, ids=lambda model: model.__name__)
def test_changelist_add_and_change_pages_render_for_an_editor(editor_client, model):
    assert editor_client.get(admin_url(model, "changelist")).status_code == 200
    assert editor_client.get(admin_url(model, "add")).status_code == 200
    for obj in model.objects.all()[:3]:
        assert editor_client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_molotov_is_found_by_typing_his_name_in_cyrillic(editor_client):
    response = editor_client.get(admin_url(Figure, "changelist"), {"q": "Молотов"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [
        Figure.objects.get(slug="vyacheslav-molotov")
    ]


def test_the_pact_shows_signatories_typed_date_bounds_and_passage(editor_client):
    pact = Document.objects.get(slug="molotov-ribbentrop-pact")
    page = editor_client.get(admin_url(Document, "change", pact.pk)).content.decode()
    molotov = Figure.objects.get(slug="vyacheslav-molotov")
    ribbentrop = Figure.objects.get(slug="joachim-von-ribbentrop")
    assert f'value="{molotov.pk}" selected' in page
    assert f'value="{ribbentrop.pk}" selected' in page
    assert 'value="1939-08-23"' in page
    assert "1939-08-23 to 1939-08-23 · precision: day" in page
    assert pact.citations.first().passage.split("\n")[0][:40] in page


def test_saving_31_february_1939_gives_a_field_error(editor_client):
    document = DocumentFactory(date="1939")
    response = editor_client.post(
        admin_url(Document, "change", document.pk),
        document_form(document, date="31 February 1939"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["date"]
    assert "February 1939 has 28 days, so day 31 never existed." in errors["date"][0]
    document.refresh_from_db()
    assert document.date == "1939"


def test_an_editor_saves_a_vague_date_and_sees_its_bounds(editor_client):
    document = DocumentFactory(date="1939")
    response = editor_client.post(
        admin_url(Document, "change", document.pk), document_form(document, date="early 1930s")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    document.refresh_from_db()
    assert (str(document.date_earliest), str(document.date_latest)) == ("1930-01-01", "1933-12-31")


def test_an_editor_uploads_a_scan_and_sees_its_thumbnail(editor_client):
    document = DocumentFactory(date="1939")
    data = document_form(document)
    data.update({"images-TOTAL_FORMS": "1", "images-0-image": image_upload(), "images-0-order": 1})
    response = editor_client.post(admin_url(Document, "change", document.pk), data)
    assert response.status_code == 302
    scan = document.images.get()
    page = editor_client.get(admin_url(Document, "change", document.pk)).content.decode()
    assert scan.thumbnail.url in page


def test_publish_action_publishes_and_records_history(editor_client, editor):
    drafts = DocumentFactory.create_batch(2)
    response = editor_client.post(
        admin_url(Document, "changelist"),
        {"action": "publish", "_selected_action": [d.pk for d in drafts]},
        follow=True,
    )
    assert "2 records published." in response.content.decode()
    assert (
        Document.objects.filter(pk__in=[d.pk for d in drafts], status=Status.PUBLISHED).count() == 2
    )
    assert LogEntry.objects.filter(user=editor, object_id=str(drafts[0].pk)).exists()


def test_unpublish_action_returns_records_to_draft(editor_client):
    pact = Document.objects.get(slug="molotov-ribbentrop-pact")
    editor_client.post(
        admin_url(Document, "changelist"), {"action": "unpublish", "_selected_action": [pact.pk]}
    )
    pact.refresh_from_db()
    assert pact.status == Status.DRAFT


def test_view_on_site_is_offered_for_published_records_only(editor_client):
    pact = Document.objects.get(slug="molotov-ribbentrop-pact")
    draft = DocumentFactory()
    assert (
        "View on site" in editor_client.get(admin_url(Document, "change", pact.pk)).content.decode()
    )
    assert (
        "View on site"
        not in editor_client.get(admin_url(Document, "change", draft.pk)).content.decode()
    )


def test_editors_cannot_manage_users_or_groups(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_user_add")).status_code == 403


def test_editors_can_add_change_delete_and_view_every_archive_model(editor):
    for model in ARCHIVE_ADMINS:
        for action in ("add", "change", "delete", "view"):
            assert editor.has_perm(f"archive.{action}_{model._meta.model_name}"), (model, action)
