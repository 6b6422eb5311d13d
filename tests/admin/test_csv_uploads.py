"""CSV files uploaded to the admin's import: capped in size, and never left behind in the
temporary folder, whether the preview refused them or the editor never confirmed."""

import os
import tempfile
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.models import Topic
from tests.support.csvtools import archive_state

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/archive/topic/import/"
CONFIRM_URL = "/admin/archive/topic/process_import/"


@pytest.fixture(autouse=True)
def temporary_folder(tmp_path, monkeypatch):
    """The system's temporary folder, for this test alone."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def files_in(folder):
    return sorted(path.name for path in folder.rglob("*") if path.is_file())


def upload(client, text, name="topics.csv"):
    data = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post(IMPORT_URL, {"import_file": data, "format": "0", "resource": "0"})


def name_of(confirm_form_initial):
    return os.path.basename(confirm_form_initial["import_file_name"])


def test_an_upload_the_preview_refuses_is_deleted_at_once(editor_client, temporary_folder):
    before = archive_state()

    response = upload(editor_client, "name,status\nTrade,public\n")

    assert "Nothing was imported: 1 error" in response.content.decode()
    assert not response.context.get("confirm_form")
    assert files_in(temporary_folder) == []
    assert archive_state() == before


def test_an_upload_waits_for_its_editor_until_the_import_is_confirmed(
    editor_client, temporary_folder
):
    preview = upload(editor_client, "name\nTrade\n")

    assert len(files_in(temporary_folder)) == 1
    response = editor_client.post(CONFIRM_URL, preview.context["confirm_form"].initial)

    assert response.status_code == 302
    assert Topic.objects.get().name == "Trade"
    assert files_in(temporary_folder) == []


def test_an_abandoned_upload_is_deleted_when_a_later_import_starts(
    editor_client, temporary_folder, settings
):
    settings.ARCHIVE_CSV_UPLOAD_MAX_AGE = 3600
    abandoned = upload(editor_client, "name\nTrade\n").context["confirm_form"].initial
    recent = upload(editor_client, "name\nFinance\n").context["confirm_form"].initial
    [old_file] = temporary_folder.rglob(name_of(abandoned))
    two_hours_ago = time.time() - 7200
    os.utime(old_file, (two_hours_ago, two_hours_ago))

    newest = upload(editor_client, "name\nWar\n").context["confirm_form"].initial

    assert files_in(temporary_folder) == sorted([name_of(recent), name_of(newest)])
    late = editor_client.post(CONFIRM_URL, abandoned, follow=True)
    assert "This import cannot be confirmed" in late.content.decode()
    assert not Topic.objects.exists()


def test_an_upload_over_the_size_limit_is_refused_on_the_form(
    editor_client, temporary_folder, settings
):
    settings.ARCHIVE_MAX_CSV_UPLOAD_BYTES = 1000
    text = "name\n" + "".join(f"Topic number {n}\n" for n in range(100))
    assert len(text.encode()) > 1000

    response = upload(editor_client, text)

    assert response.status_code == 200
    assert response.context["form"].errors["import_file"] == [
        "This file is 1.6\xa0KB; the admin imports CSV files of up to 1000\xa0bytes. Split it "
        "into smaller files, or import it with manage.py import_csv."
    ]
    assert "the admin imports CSV files of up to" in response.content.decode()
    assert "result" not in response.context or not response.context["result"]
    assert files_in(temporary_folder) == []
    assert not Topic.objects.exists()


def test_a_file_at_the_size_limit_is_accepted(editor_client, settings):
    text = "name\nTrade\n"
    settings.ARCHIVE_MAX_CSV_UPLOAD_BYTES = len(text)

    response = upload(editor_client, text)

    assert response.context["confirm_form"]


def test_the_size_limit_is_100_mb_unless_configured():
    from django.conf import settings

    assert settings.ARCHIVE_MAX_CSV_UPLOAD_BYTES == 100 * 1024 * 1024


def test_an_upload_whose_preview_fails_is_deleted_too(editor_client, temporary_folder, monkeypatch):
    from archive.importexport.resources import ArchiveResource

    def fail(*args, **kwargs):
        raise RuntimeError("the preview failed")

    monkeypatch.setattr(ArchiveResource, "import_data", fail)

    with pytest.raises(RuntimeError):
        upload(editor_client, "name\nTrade\n")

    assert files_in(temporary_folder) == []


def test_other_programs_temporary_files_are_left_alone(editor_client, temporary_folder):
    other = temporary_folder / "tmp-of-another-program"
    other.write_text("not ours")
    a_day_ago = time.time() - 86400
    os.utime(other, (a_day_ago, a_day_ago))

    upload(editor_client, "name,status\nTrade,public\n")
    editor_client.get(IMPORT_URL)

    assert files_in(temporary_folder) == ["tmp-of-another-program"]
