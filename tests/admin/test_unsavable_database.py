"""A database that refuses writes (read-only, full): editors are told the archive cannot
save right now and that nothing changed; readers keep reading."""

from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from archive.models import Document, Status
from tests.support.admin_forms import admin_url, document_form
from tests.support.csvtools import archive_state, import_csv, write
from tests.support.factories import DocumentFactory, UserFactory

# SQLite refuses every write on a connection with query_only set, as it does on a file it
# may not write or a full disk: "attempt to write a readonly database".
pytestmark = pytest.mark.sqlite

PASSWORD = "a-long-password-for-anna"
CANNOT_SAVE = "The archive cannot save right now"


@contextmanager
def read_only_database():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA query_only = ON")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = OFF")


@pytest.fixture
def browser(editor):
    """An editor's browser, signed in before the database stopped taking writes; server
    errors are answered as a browser would see them, not raised into the test."""
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    return client


@pytest.fixture
def treaty(db):
    return DocumentFactory(title="Treaty of Rapallo", status=Status.PUBLISHED)


def assert_cannot_save(response):
    assert response.status_code == 503
    page = response.content.decode()
    assert CANNOT_SAVE in page and "Nothing was changed" in page
    assert response["Retry-After"]


def test_signing_in_says_the_archive_cannot_save(db):
    UserFactory(username="anna", password=PASSWORD, is_staff=True)
    client = Client(raise_request_exception=False)
    with read_only_database():
        response = client.post(
            "/admin/login/?next=/admin/", {"username": "anna", "password": PASSWORD}
        )
    assert_cannot_save(response)


def test_saving_a_record_says_so_and_changes_nothing(browser, treaty):
    data = document_form(treaty, title="Treaty of Rapallo, revised")
    with read_only_database():
        response = browser.post(admin_url(Document, "change", treaty.pk), data)
    assert_cannot_save(response)
    treaty.refresh_from_db()
    assert treaty.title == "Treaty of Rapallo"


def test_unpublishing_says_so_and_changes_nothing(browser, treaty):
    action = {"action": "unpublish", "_selected_action": [treaty.pk]}
    with read_only_database():
        response = browser.post(admin_url(Document, "changelist"), action)
    assert_cannot_save(response)
    treaty.refresh_from_db()
    assert treaty.status == Status.PUBLISHED


def test_an_admin_import_says_so_rather_than_blaming_the_file(browser, treaty):
    before = archive_state()
    data = SimpleUploadedFile(
        "documents.csv", b"title,status\nA new telegram,published\n", content_type="text/csv"
    )
    with read_only_database():
        response = browser.post(
            "/admin/archive/document/import/",
            {"import_file": data, "format": "0", "resource": "0"},
        )
    assert_cannot_save(response)
    assert archive_state() == before


def test_a_command_line_import_says_so(treaty, tmp_path):
    path = write(tmp_path, "title,status\nA new telegram,published\n")
    with read_only_database():
        run = import_csv("documents", path)
    assert not run.ok
    assert "cannot save right now" in run.stderr and "Nothing was imported" in run.stderr
    assert not Document.objects.filter(title="A new telegram").exists()


def test_readers_keep_reading(treaty):
    client = Client(raise_request_exception=False)
    with read_only_database():
        pages = [
            client.get(path)
            for path in ("/", "/documents/", "/search/?q=rapallo", treaty.get_absolute_url())
        ]
    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    assert all("Treaty of Rapallo" in page.content.decode() for page in pages)
