"""A date that can be read two ways ("1905-06": June 1905 in ISO 8601, the years 1905–1906
in many catalogues) is never guessed silently: the import says how it read each such
value, grouped, and --hyphen-years reads them as years."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.models import Document
from tests.support.csvtools import import_csv, write

pytestmark = pytest.mark.django_db

FILE = (
    "identifier,title,date\n"
    "A1,Album,1905-06\n"
    "A2,Atlas,1905-06\n"
    "A3,Annual,1905-06\n"
    "A4,Almanac,1843–4\n"
)


def test_a_dry_run_says_how_an_ambiguous_date_was_read(tmp_path):
    run = import_csv("documents", write(tmp_path, FILE), "--dry-run")
    assert run.ok, run.stderr
    assert "Dates that can be read two ways" in run.stdout
    assert (
        'date "1905-06": 3 rows (2, 3, 4): read as June 1905; it may also mean 1905–1906 '
        "(import the file with --hyphen-years if it does)."
    ) in run.stdout
    assert "1843" not in run.stdout  # an en-dash range is never ambiguous


def test_hyphen_years_reads_them_as_years_and_says_so(tmp_path):
    run = import_csv("documents", write(tmp_path, FILE), "--hyphen-years")
    assert run.ok, run.stderr
    assert "read as 1905–1906; it may also mean June 1905" in run.stdout
    album = Document.objects.get(identifier="A1")
    assert (album.date, album.date_earliest.isoformat(), album.date_latest.isoformat()) == (
        "1905-06",
        "1905-01-01",
        "1906-12-31",
    )


def test_without_the_option_the_iso_reading_is_kept(tmp_path):
    assert import_csv("documents", write(tmp_path, FILE)).ok
    album = Document.objects.get(identifier="A1")
    assert (album.date_earliest.isoformat(), album.date_latest.isoformat()) == (
        "1905-06-01",
        "1905-06-30",
    )


def test_the_admin_preview_shows_the_ambiguity(editor_client):
    upload = SimpleUploadedFile("documents.csv", FILE.encode(), content_type="text/csv")
    response = editor_client.post(
        "/admin/archive/document/import/",
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    page = response.content.decode()
    assert "Dates that can be read two ways" in page
    assert "read as June 1905; it may also mean 1905–1906" in page
