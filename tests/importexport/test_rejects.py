"""Setting bad rows aside, on request: ``import_csv --rejects FILE`` and the admin's "Import
the valid rows and give me the refused ones as a file" import the valid rows in one
transaction and hand back the others, cells unchanged, with an ``error`` column; corrected,
that file imports as it is. Without the option, one wrong row still means nothing is
written. And titles and names of up to 800 characters are kept whole."""

import csv
import io
import tempfile

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from archive import dates
from archive.models import Document, Place, Topic
from tests.support.csvtools import archive_state, import_csv, write
from tests.support.factories import DocumentFactory, EventFactory, FigureFactory, UserFactory

pytestmark = pytest.mark.django_db


def date_reason(text):
    with pytest.raises(dates.DateError) as refusal:
        dates.parse(text)
    return str(refusal.value)


def imported_identifiers():
    return set(Document.objects.exclude(identifier="").values_list("identifier", flat=True))


def read_rows(path, delimiter=","):
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel reads it as such
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


COLLECTION = (
    "identifier,title,date,places,status\n"
    "D1,Letter from Moscow,1939-08-24,Moscow,published\n"
    'D2,"Telegram, urgent",sometime,Moscow,published\n'
    "D3,Memorandum,1939,,draft\n"
    "D4,Note on Rapallo,1922,Moskow,draft\n"
    "D5,Report,1940,,draft\n"
)


def test_rejects_imports_the_valid_rows_and_sets_the_others_aside_unchanged(seeded, tmp_path):
    rejects = tmp_path / "rejects.csv"

    run = import_csv("documents", write(tmp_path, COLLECTION), "--rejects", str(rejects))

    assert run.ok, run.stderr
    assert run.stdout.splitlines()[-2:] == [
        f"2 rows set aside in {rejects}, each with its error: correct them there and import "
        "that file again.",
        "3 created, 0 updated, 0 unchanged",
    ]
    assert run.errors == [
        f'row 3, column date, value "sometime": {date_reason("sometime")}',
        'row 5, column places, value "Moskow": no place has this name, alternative name, '
        "identifier or slug; closest known names: Moscow.",
    ]
    assert imported_identifiers() == {"D1", "D3", "D5"}
    assert Document.objects.get(identifier="D1").places.get().name == "Moscow"
    assert read_rows(rejects) == [
        ["identifier", "title", "date", "places", "status", "error"],
        [
            "D2",
            "Telegram, urgent",
            "sometime",
            "Moscow",
            "published",
            f'row 3, column date, value "sometime": {date_reason("sometime")}',
        ],
        [
            "D4",
            "Note on Rapallo",
            "1922",
            "Moskow",
            "draft",
            'row 5, column places, value "Moskow": no place has this name, alternative name, '
            "identifier or slug; closest known names: Moscow.",
        ],
    ]


def test_the_corrected_rejects_file_imports_and_completes_the_collection(seeded, tmp_path):
    rejects = tmp_path / "rejects.csv"
    import_csv("documents", write(tmp_path, COLLECTION), "--rejects", str(rejects))

    # The archivist corrects the two cells in the file they were given, error column and all.
    corrected = rejects.read_bytes().replace(b",sometime,", b",1939-08-25,")
    rejects.write_bytes(corrected.replace(b",Moskow,", b",Moscow,"))
    again = import_csv("documents", rejects, "--rejects", str(tmp_path / "rejects-2.csv"))

    assert again.ok, again.stderr
    assert again.stdout.splitlines()[-2:] == [
        f"No row was set aside; {tmp_path / 'rejects-2.csv'} holds the header only.",
        "2 created, 0 updated, 0 unchanged",
    ]
    assert read_rows(tmp_path / "rejects-2.csv") == [
        ["identifier", "title", "date", "places", "status", "error"]
    ]
    assert set(Document.objects.exclude(identifier="").values_list("identifier", "title")) == {
        ("D1", "Letter from Moscow"),
        ("D2", "Telegram, urgent"),
        ("D3", "Memorandum"),
        ("D4", "Note on Rapallo"),
        ("D5", "Report"),
    }
    assert Document.objects.get(identifier="D2").date == "1939-08-25"
    assert Document.objects.get(identifier="D4").places.get().name == "Moscow"
    # The whole file, corrected, now changes nothing: the collection is complete.
    whole = COLLECTION.replace("sometime", "1939-08-25").replace("Moskow", "Moscow")
    assert import_csv("documents", write(tmp_path, whole, "whole.csv")).last_line == (
        "0 created, 0 updated, 5 unchanged"
    )


def test_without_rejects_one_wrong_row_still_means_nothing_is_written(seeded, tmp_path):
    before = archive_state()

    run = import_csv("documents", write(tmp_path, COLLECTION))

    assert not run.ok
    assert run.errors[-1] == "CommandError: 2 errors; nothing was imported."
    assert archive_state() == before
    assert sorted(path.name for path in tmp_path.glob("*.csv")) == ["import.csv"]


def test_a_rejects_file_imported_again_keeps_one_error_column(seeded, tmp_path):
    rejects = tmp_path / "rejects.csv"
    import_csv("documents", write(tmp_path, COLLECTION), "--rejects", str(rejects))
    again = tmp_path / "rejects-2.csv"

    run = import_csv("documents", rejects, "--rejects", str(again))

    assert run.ok is False  # every row refused again: nothing was imported
    assert run.errors[-1] == "CommandError: 2 errors; nothing was imported."
    rows = read_rows(again)
    assert rows[0] == ["identifier", "title", "date", "places", "status", "error"]
    assert [row[-1] for row in rows[1:]] == [
        f'row 2, column date, value "sometime": {date_reason("sometime")}',
        'row 3, column places, value "Moskow": no place has this name, alternative name, '
        "identifier or slug; closest known names: Moscow.",
    ]


def test_rows_set_aside_keep_their_delimiter_cells_and_spacing(db, tmp_path):
    path = tmp_path / "topics.csv"
    text = (
        "Name;Status;Identifier\n"
        "Économie;published;T1\n"
        "  Trade  ;public;T2\n"
        '"Two\nlines";draft;T3\n'
        "War;draft;T4;extra\n"
    )
    path.write_bytes(text.encode("cp1252"))
    rejects = tmp_path / "rejects.csv"

    run = import_csv("topics", path, "--encoding", "cp1252", "--rejects", str(rejects))

    assert run.ok
    assert set(Topic.objects.values_list("name", flat=True)) == {"Économie", "Two\nlines"}
    rows = read_rows(rejects, delimiter=";")
    assert rows == [
        ["Name", "Status", "Identifier", "error"],
        [
            "  Trade  ",
            "public",
            "T2",
            'row 3, column status, value "public": not a known status; use one of: draft, '
            "published.",
        ],
        [
            "War",
            "draft",
            "T4",
            "extra",
            "row 5: the row has 4 cells but the header names 3 columns; is a cell with a "
            "delimiter missing its quotes?",
        ],
    ]


def test_an_error_of_the_file_itself_imports_nothing_and_writes_no_rejects(db, tmp_path):
    rejects = tmp_path / "rejects.csv"
    before = archive_state()

    run = import_csv(
        "topics", write(tmp_path, "name,colour\nTrade,red\n"), "--rejects", str(rejects)
    )

    assert not run.ok
    assert f"The file itself has errors, so no row was set aside: {rejects} was not written." in (
        run.stdout
    )
    assert run.errors[-1] == "CommandError: 1 error; nothing was imported."
    assert not rejects.exists()
    assert not list(tmp_path.glob(".import-*"))
    assert archive_state() == before


def test_a_line_that_cannot_be_read_imports_nothing_even_with_rejects(db, tmp_path):
    path = tmp_path / "topics.csv"
    path.write_bytes(b"name\nTrade\n" + "Économie\n".encode("cp1252"))

    run = import_csv("topics", path, "--rejects", str(tmp_path / "rejects.csv"))

    assert not run.ok
    assert not Topic.objects.exists()
    assert not (tmp_path / "rejects.csv").exists()


def test_a_dry_run_with_rejects_writes_the_file_and_not_the_database(seeded, tmp_path):
    rejects = tmp_path / "rejects.csv"
    before = archive_state()

    run = import_csv(
        "documents", write(tmp_path, COLLECTION), "--rejects", str(rejects), "--dry-run"
    )

    assert run.ok
    assert run.stdout.splitlines()[-2:] == [
        f"2 rows would be set aside; they are in {rejects}.",
        "3 created, 0 updated, 0 unchanged (dry run: nothing was written)",
    ]
    assert len(read_rows(rejects)) == 3
    assert archive_state() == before


# Rows that depend on each other


def test_a_later_row_naming_the_record_of_a_row_set_aside_is_set_aside_too(db, tmp_path):
    # Were row 3 imported, row 2, corrected and imported again, would silently overwrite
    # the topic it created: both go to the archivist, who decides.
    text = "identifier,name,status\nT1,Trade,public\nT1,Trade and commerce,draft\nT2,War,draft\n"
    rejects = tmp_path / "rejects.csv"

    run = import_csv("topics", write(tmp_path, text), "--rejects", str(rejects))

    assert run.ok
    assert list(Topic.objects.values_list("identifier", flat=True)) == ["T2"]
    assert [row[0] for row in read_rows(rejects)[1:]] == ["T1", "T1"]
    assert run.errors[1] == (
        'row 3, column identifier, value "T1": row 2 is set aside but names this topic '
        "(identifier T1); give each row its own identifier or slug."
    )


def test_a_row_naming_a_record_whose_row_was_set_aside_waits_for_it(db, tmp_path):
    # Places first: one is set aside; the document that names it is set aside in its turn,
    # since the place does not exist. Corrected and imported again in the same order, both
    # complete the collection.
    places = write(tmp_path, "name,latitude\nKönigsberg,54.7\nMemel,north\n", "places.csv")
    documents = write(
        tmp_path,
        "title,places\nA note on Memel,Memel\nA note on Königsberg,Königsberg\n",
        "documents.csv",
    )

    import_csv("places", places, "--rejects", str(tmp_path / "places-rejects.csv"))
    run = import_csv("documents", documents, "--rejects", str(tmp_path / "docs-rejects.csv"))

    assert run.ok
    assert run.errors[0].startswith('row 2, column places, value "Memel": no place has this name')
    assert list(Document.objects.values_list("title", flat=True)) == ["A note on Königsberg"]

    fixed = tmp_path / "places-rejects.csv"
    fixed.write_bytes(fixed.read_bytes().replace(b",north,", b",55.7,"))
    assert import_csv("places", fixed).ok
    assert import_csv("documents", tmp_path / "docs-rejects.csv").ok
    assert Document.objects.get(title="A note on Memel").places.get() == Place.objects.get(
        name="Memel"
    )


# The admin: the same, as an option of the import form

IMPORT_URL = "/admin/archive/document/import/"
CONFIRM_URL = "/admin/archive/document/process_import/"


@pytest.fixture(autouse=True)
def temporary_folder(tmp_path, monkeypatch):
    """Admin uploads and the files of rows set aside wait in a folder of this test's own."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def upload(client, text, **fields):
    data = SimpleUploadedFile("documents.csv", text.encode(), content_type="text/csv")
    return client.post(IMPORT_URL, {"import_file": data, "format": "0", "resource": "0", **fields})


def test_the_import_form_offers_to_set_wrong_rows_aside(editor_client):
    page = editor_client.get(IMPORT_URL).content.decode()

    assert "Import the valid rows and give me the refused ones as a file" in page


def test_the_admin_imports_the_valid_rows_and_offers_the_refused_ones(
    seeded, editor_client, temporary_folder
):
    before = archive_state()
    preview = upload(editor_client, COLLECTION, set_aside="on")

    page = preview.content.decode()
    assert "3 created, 0 updated, 0 unchanged" in page
    assert "2 rows will be set aside" in page
    assert "closest known names: Moscow." in page
    assert archive_state() == before  # the preview wrote nothing
    confirm = preview.context["confirm_form"].initial
    assert confirm["set_aside"] is True

    outcome = editor_client.post(CONFIRM_URL, confirm)

    assert outcome.status_code == 200
    page = outcome.content.decode()
    assert "Import finished: 3 created, 0 updated, 0 unchanged" in page
    assert "2 rows were set aside." in page
    assert imported_identifiers() == {"D1", "D3", "D5"}
    url = outcome.context["rejects_url"]
    assert f'href="{url}"' in page

    download = editor_client.get(url)

    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="documents-set-aside.csv"'
    data = b"".join(download.streaming_content)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert [row[0] for row in rows] == ["identifier", "D2", "D4"]
    assert rows[1][:5] == ["D2", "Telegram, urgent", "sometime", "Moscow", "published"]
    assert rows[2][-1].startswith('row 5, column places, value "Moskow"')

    # Another editor cannot have it, even knowing its address.
    other = UserFactory(is_staff=True)
    other.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_the_admin_without_the_option_still_refuses_the_whole_file(
    seeded, editor_client, temporary_folder
):
    preview = upload(editor_client, COLLECTION)

    assert "Nothing was imported: 2 errors" in preview.content.decode()
    assert not preview.context.get("confirm_form")
    assert imported_identifiers() == set()
    assert list(temporary_folder.rglob("*.csv")) == []


def test_a_file_with_only_wrong_rows_offers_no_confirmation(seeded, editor_client):
    preview = upload(editor_client, "title,date\nA,sometime\n", set_aside="on")

    assert "Nothing was imported: 1 error" in preview.content.decode()
    assert not preview.context.get("confirm_form")


def test_an_import_without_wrong_rows_ends_as_before(seeded, editor_client, temporary_folder):
    preview = upload(editor_client, "title\nA note\n", set_aside="on")

    response = editor_client.post(CONFIRM_URL, preview.context["confirm_form"].initial)

    assert response.status_code == 302
    assert Document.objects.filter(title="A note").exists()
    assert list(temporary_folder.rglob("*.csv")) == []


# Long titles, kept whole

LONG_TITLE = (
    "Memorandum of the conversation between the Reich Foreign Minister and the People's "
    "Commissar for Foreign Affairs of the Soviet Union on the night of 23 to 24 August 1939 "
    "in Moscow, concerning the delimitation of the spheres of interest of both parties in "
    "Eastern Europe, with the secret additional protocol and the notes exchanged thereafter"
)


def test_a_320_character_title_imports_whole_and_shows_whole_on_its_page(seeded, tmp_path):
    title = LONG_TITLE[:320]
    assert len(title) == 320
    path = write(tmp_path, f'title,type,date,status\n"{title}",memorandum,1939-08-24,published\n')

    run = import_csv("documents", path)

    assert run.ok, run.stderr
    document = Document.objects.get(title=title)
    page = Client().get(document.get_absolute_url())
    assert page.status_code == 200
    assert title.replace("'", "&#x27;") in page.content.decode()


def test_a_title_longer_than_the_limit_is_an_error_naming_it(db, tmp_path):
    path = write(tmp_path, "name\n" + "x" * 801 + "\n")

    run = import_csv("topics", path)

    assert run.errors[0].endswith(": is 801 characters long; at most 800 are allowed.")


@pytest.mark.postgresql
def test_titles_of_the_longest_in_any_three_byte_script_fit_the_list_indexes(db):
    # PostgreSQL limits an index entry to 2,704 bytes; titles of documents and events and
    # sort names of figures are in the public lists' composite indexes. Text that does not
    # compress (every character different) is the worst case.
    ideographs = "".join(chr(0x4E00 + n * 7) for n in range(800))
    DocumentFactory(title=ideographs, type="secret_protocol", status="published")
    EventFactory(title=ideographs, status="published")
    FigureFactory(name=ideographs[:399] + " " + ideographs[400:], nationality="x" * 30)

    assert Document.objects.filter(title=ideographs).exists()
