"""CSV import and export in the admin: preview and confirm for editors, 403 for other staff."""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from archive.models import Document, Figure, Topic
from tests.support.csvtools import archive_state, export_csv
from tests.support.factories import UserFactory

IMPORT_URL = "/admin/archive/document/import/"
CONFIRM_URL = "/admin/archive/document/process_import/"
EXPORT_URL = "/admin/archive/document/export/"

NEW_DOCUMENTS = (
    "identifier,title,type,date,language,figures,status\n"
    "Q1,Telegram from Schulenburg,telegram,1939-08-24,de,"
    "Friedrich-Werner von der Schulenburg (sender),published\n"
    ",Treaty of Rapallo,treaty,1922-04-16,de,"
    "Georgy Chicherin (signatory); Walther Rathenau (signatory),published\n"
)


def upload(client, text, encoding="utf-8", url=IMPORT_URL):
    data = SimpleUploadedFile("documents.csv", text.encode(encoding), content_type="text/csv")
    return client.post(url, {"import_file": data, "format": "0", "resource": "0"})


@pytest.fixture
def staff_client(db):
    """Staff who may curate documents but hold no CSV permission."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_document", "change_document"])
    )
    client = Client()
    client.force_login(user)
    return client


def test_editor_previews_then_confirms_an_import(seeded, editor_client, editor):
    before = archive_state()

    preview = upload(editor_client, NEW_DOCUMENTS)

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "1 created, 0 updated, 1 unchanged" in page
    assert "Telegram from Schulenburg" in page
    assert archive_state() == before  # the preview wrote nothing

    confirm = preview.context["confirm_form"].initial
    response = editor_client.post(CONFIRM_URL, confirm)

    assert response.status_code == 302
    telegram = Document.objects.get(identifier="Q1")
    assert telegram.status == "published"
    assert list(telegram.figure_roles.values_list("figure__name", "role")) == [
        ("Friedrich-Werner von der Schulenburg", "sender")
    ]
    entry = LogEntry.objects.get(object_id=str(telegram.pk))
    assert (entry.user, entry.action_flag) == (editor, ADDITION)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Import finished: 1 created, 0 updated, 1 unchanged."]


def test_admin_import_lists_every_error_and_offers_no_confirmation(seeded, editor_client):
    before = archive_state()

    response = upload(
        editor_client,
        "title,date,figures\nGood,1939,\nBad,31 February 1939,Molotof\n",
    )

    page = response.content.decode()
    assert "confirm_form" not in response.context or not response.context["confirm_form"]
    assert "Nothing was imported: 2 errors" in page
    assert (
        "row 3, column date, value &quot;31 February 1939&quot;: February 1939 has 28 days, "
        "so day 31 never existed."
    ) in page
    assert (
        "row 3, column figures, value &quot;Molotof&quot;: no figure has this name, "
        "alternative name, identifier or slug; closest known names: Vyacheslav Molotov."
    ) in page
    assert archive_state() == before


def test_admin_import_reads_windows_1252_and_semicolons(seeded, editor_client):
    response = upload(
        editor_client,
        "name;nationality\nFrançois Lefèvre;French\n",
        "cp1252",
        url="/admin/archive/figure/import/",
    )

    assert "(the file was read as cp1252)" in response.content.decode()
    editor_client.post(
        "/admin/archive/figure/process_import/", response.context["confirm_form"].initial
    )
    assert Figure.objects.get(name="François Lefèvre").nationality == "French"


def test_confirming_an_update_logs_a_change(seeded, editor_client):
    preview = upload(editor_client, "slug,title\nmunich-agreement,The Munich Agreement\n")
    editor_client.post(CONFIRM_URL, preview.context["confirm_form"].initial)

    document = Document.objects.get(slug="munich-agreement")
    assert document.title == "The Munich Agreement"
    entry = LogEntry.objects.get(object_id=str(document.pk), action_flag=CHANGE)
    assert entry.get_change_message() == "Changed title."


def test_editor_export_is_the_same_file_as_the_command_writes(seeded, editor_client, tmp_path):
    fields = {f"documentresource_{name}": "on" for name in export_fields()}
    response = editor_client.post(EXPORT_URL, {"format": "0", "resource": "0", **fields})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert response.content == export_csv("documents", tmp_path / "documents.csv")


def export_fields():
    from archive.importexport.resources import RESOURCES

    return RESOURCES["documents"].columns()


@pytest.mark.parametrize(
    "url",
    [IMPORT_URL, CONFIRM_URL, EXPORT_URL, "/admin/archive/topic/import/"],
)
def test_staff_without_the_csv_permission_get_403(staff_client, url):
    assert staff_client.get(url).status_code in (403, 405)
    response = staff_client.post(url, {"format": "0"})
    assert response.status_code == 403


def test_staff_without_the_csv_permission_cannot_import_a_file(staff_client):
    response = upload(staff_client, "name\nTrade\n", url="/admin/archive/topic/import/")
    assert response.status_code == 403
    assert not Topic.objects.exists()


def test_changelist_shows_the_buttons_only_to_those_allowed(seeded, editor_client, staff_client):
    editor_page = editor_client.get("/admin/archive/document/").content.decode()
    staff_page = staff_client.get("/admin/archive/document/").content.decode()

    assert IMPORT_URL in editor_page and EXPORT_URL in editor_page
    assert IMPORT_URL not in staff_page and EXPORT_URL not in staff_page


def test_the_editors_group_holds_the_import_and_export_permissions(editor):
    for kind in ("document", "event", "figure", "place", "organization", "topic"):
        assert editor.has_perm(f"archive.import_{kind}")
        assert editor.has_perm(f"archive.export_{kind}")


@pytest.mark.parametrize(
    "tampered",
    ["../../etc/passwd", "passwd", "", "tmp" + "x" * 300, "nul\x00byte"],
    ids=["traversal", "other-file", "empty", "long", "nul"],
)
def test_a_tampered_confirm_step_gets_a_message_and_imports_nothing(
    seeded, editor_client, tampered
):
    before = archive_state()
    confirm = dict(upload(editor_client, NEW_DOCUMENTS).context["confirm_form"].initial)
    confirm["import_file_name"] = tampered

    response = editor_client.post(CONFIRM_URL, confirm, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == IMPORT_URL
    assert "This import cannot be confirmed" in response.content.decode()
    assert archive_state() == before


def test_an_upload_is_confirmed_once_and_only_by_its_editor(seeded, editor_client, editor):
    confirm = upload(editor_client, NEW_DOCUMENTS).context["confirm_form"].initial
    other_editor = Client()
    colleague = UserFactory(is_staff=True)
    colleague.groups.set(editor.groups.all())
    other_editor.force_login(colleague)

    stolen = other_editor.post(CONFIRM_URL, confirm, follow=True)
    assert "This import cannot be confirmed" in stolen.content.decode()
    assert not Document.objects.filter(identifier="Q1").exists()

    assert editor_client.post(CONFIRM_URL, confirm).status_code == 302
    replayed = editor_client.post(CONFIRM_URL, confirm, follow=True)
    assert "This import cannot be confirmed" in replayed.content.decode()
    assert Document.objects.filter(identifier="Q1").count() == 1


def test_staff_without_the_import_permission_cannot_confirm(seeded, editor_client, staff_client):
    confirm = upload(editor_client, NEW_DOCUMENTS).context["confirm_form"].initial
    assert staff_client.post(CONFIRM_URL, confirm).status_code == 403
