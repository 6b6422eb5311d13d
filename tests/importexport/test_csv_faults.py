"""Faults in the files editors bring: a quote that runs away with the rows after it, and a
file in more than one encoding. Both are reported, on the command line and in the admin,
and nothing is written; a file whose encoding the admin had to guess is shown to the editor
before anything is written."""

import tempfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.importexport import csvfiles
from archive.models import Document, Figure, Place
from tests.support.csvtools import archive_state, import_csv, write

pytestmark = pytest.mark.django_db

QUOTE_ADVICE = (
    'Close the quote where the cell ends; a quote inside a quoted cell is written twice ("").'
)


@pytest.fixture(autouse=True)
def temporary_folder(tmp_path, monkeypatch):
    """Admin uploads wait in a temporary folder of this test's own."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def upload(client, data, kind="document"):
    if isinstance(data, str):
        data = data.encode("utf-8")
    upload = SimpleUploadedFile(f"{kind}s.csv", data, content_type="text/csv")
    return client.post(
        f"/admin/archive/{kind}/import/", {"import_file": upload, "format": "0", "resource": "0"}
    )


def confirm(client, preview, kind="document"):
    return client.post(
        f"/admin/archive/{kind}/process_import/", preview.context["confirm_form"].initial
    )


def page_errors(response):
    return [str(error) for error in response.context["result"].outcome.errors]


# 7. A quote that is never closed swallows the rows after it

NEVER_CLOSED = (
    "title,date,text\n"
    'Telegram from Moscow,1939-08-24,"The pact is signed. Ribbentrop leaves tonight.\n'
    "Letter to Paris,1939-08-25,Routine\n"
    "Memorandum,1939-08-26,Nothing new\n"
)

NEVER_CLOSED_ERROR = (
    "line 2: row 2, column text: the quote opened here is never closed, so lines 3–4 were "
    "read into this one cell. " + QUOTE_ADVICE
)


def test_a_quote_never_closed_is_reported_and_nothing_is_written(tmp_path):
    before = archive_state()

    run = import_csv("documents", write(tmp_path, NEVER_CLOSED))

    assert run.errors == [NEVER_CLOSED_ERROR, "CommandError: 1 error; nothing was imported."]
    assert archive_state() == before


def test_a_quote_closed_by_a_later_row_s_quote_is_reported(tmp_path):
    # Row 4's own quoted cell "closes" row 2's runaway quote: the csv module would read
    # rows 3 and 4 into row 2's text and go on as if nothing happened.
    text = (
        "title,date,text\n"
        'Telegram from Moscow,1939-08-24,"The pact is signed.\n'
        "Letter to Paris,1939-08-25,Routine\n"
        'Memorandum,1939-08-26,"Signed, sealed"\n'
        "Note,1939-08-27,Filed\n"
    )

    run = import_csv("documents", write(tmp_path, text))

    assert run.errors == [
        "line 2: row 2, column text: the quote opened here closes 2 lines later, on line 4, "
        "where it is followed by “S” rather than by a delimiter or the end of the line, so "
        "lines 3–4 were read into this one cell. " + QUOTE_ADVICE,
        "CommandError: 1 error; nothing was imported.",
    ]
    assert not Document.objects.exists()


def test_a_quote_closed_cleanly_after_lines_that_are_rows_is_reported(tmp_path):
    # The stray quote at the end of row 4's height closes row 2's quote where a real cell
    # could end, and the row then has the header's three cells: the line between them is
    # a row of its own, which gives the runaway away.
    text = (
        "name,biography,nationality\n"
        'Ivan Petrov,"Born in Tula,Soviet\n'
        "Anna Schmidt,Teacher,German\n"
        "Jean Dupont,Height 5'11\",French\n"
    )

    run = import_csv("figures", write(tmp_path, text))

    assert run.errors == [
        "line 2: row 2, column biography: the quote opened here closes 2 lines later, on "
        "line 4, so lines 3–4, which look like rows of their own, were read into this one "
        "cell. " + QUOTE_ADVICE,
        "CommandError: 1 error; nothing was imported.",
    ]
    assert not Figure.objects.exists()


def test_a_quoted_cell_that_closes_with_too_many_cells_after_it_is_reported(tmp_path):
    text = 'title,date,text\nTelegram,1939-08-24,"The pact\nis signed",Moscow,extra\n'

    run = import_csv("documents", write(tmp_path, text))

    assert run.errors[0] == (
        "line 2: row 2, column text: the quote opened here closes 1 line later, on line 3, "
        "and the row then has 5 cells where the header names 3 columns, so line 3 was read "
        "into this one cell. " + QUOTE_ADVICE
    )
    assert not Document.objects.exists()


TRANSCRIPTION = (
    "Moscow, 23 August 1939.\n"
    "The Government of the German Reich and\n"
    "the Government of the U.S.S.R., desirous of strengthening, the cause of peace,\n"
    "\n"
    'Article I. Both High Contracting Parties obligate themselves to desist from any "act of '
    'violence".'
)


def test_real_multi_line_cells_still_import(tmp_path):
    escaped = TRANSCRIPTION.replace('"', '""')
    text = (
        "title,date,text,archival_reference\n"
        f'Treaty of Non-Aggression,1939-08-23,"{escaped}",PA AA\n'
        'Address,1939,"Wilhelmstraße 76\n10117 Berlin, Germany",BArch\r\n'
        "Memorandum,1939-08-26,Nothing new,\n"
    )

    run = import_csv("documents", write(tmp_path, text))

    assert run.ok, run.errors
    assert run.last_line == "3 created, 0 updated, 0 unchanged"
    assert Document.objects.get(title="Treaty of Non-Aggression").text == TRANSCRIPTION
    assert Document.objects.get(title="Address").text == "Wilhelmstraße 76\n10117 Berlin, Germany"


def test_rows_after_a_real_multi_line_cell_keep_their_spreadsheet_numbers(tmp_path):
    text = 'title,date\n"Two\nlines",1939\nBad,31 February 1939\n'

    run = import_csv("documents", write(tmp_path, text))

    assert run.errors[0].startswith('row 3, column date, value "31 February 1939"')


def test_the_admin_preview_reports_a_quote_never_closed(editor_client):
    before = archive_state()

    response = upload(editor_client, NEVER_CLOSED)

    assert not response.context.get("confirm_form")
    assert page_errors(response) == [NEVER_CLOSED_ERROR]
    assert "Nothing was imported: 1 error" in response.content.decode()
    assert archive_state() == before


# 8. One decoding rule: a UTF-8 file with a line in another encoding is refused on both
# paths; a file that is not UTF-8 at all is read by a guess the admin shows before writing.

MIXED = (
    "name,country\nМолотовград,СССР\n".encode()
    + "München,Deutschland\n".encode("cp1252")
    + "Ленинград,СССР\n".encode()
)
MIXED_ERROR = "line 3: byte 0xfc at position 2 is not UTF-8 text."


def test_a_utf8_file_with_a_windows_1252_line_is_refused_on_the_command_line(tmp_path):
    path = tmp_path / "places.csv"
    path.write_bytes(MIXED)

    run = import_csv("places", path)

    assert run.errors[0].startswith(MIXED_ERROR)
    # Not the advice to name another encoding, which would garble the UTF-8 lines.
    assert "Other lines of this file are UTF-8" in run.errors[0]
    assert "--encoding" not in run.errors[0]
    assert not Place.objects.exists()


def test_the_admin_refuses_a_utf8_file_with_a_windows_1252_line_naming_it(editor_client):
    response = upload(editor_client, MIXED, kind="place")

    assert not response.context.get("confirm_form")
    errors = page_errors(response)
    assert len(errors) == 1
    assert errors[0].startswith(MIXED_ERROR)
    assert "Other lines of this file are UTF-8" in errors[0]
    assert "Nothing was imported: 1 error" in response.content.decode()
    assert not Place.objects.exists()


WINDOWS_FIGURES = "name;nationality\nFrançois Lefèvre;French\nJosé Martí;Cuban\n".encode("cp1252")


def test_the_admin_shows_a_guessed_encoding_with_a_sample_before_writing(editor_client):
    preview = upload(editor_client, WINDOWS_FIGURES, kind="figure")

    page = preview.content.decode()
    assert "This file is not UTF-8, so it was read as cp1252 (Windows-1252," in page
    assert "<li>row 2, name: François Lefèvre</li>" in page
    assert "<li>row 3, name: José Martí</li>" in page
    assert not Figure.objects.exists()  # shown, not written

    assert confirm(editor_client, preview, kind="figure").status_code == 302
    assert sorted(Figure.objects.values_list("name", flat=True)) == [
        "François Lefèvre",
        "José Martí",
    ]


def test_a_utf8_file_shows_no_guess(editor_client):
    preview = upload(editor_client, "name\nFrançois Lefèvre\n", kind="figure")

    assert preview.context["confirm_form"]
    assert "not UTF-8" not in preview.content.decode()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"name\nParis\n", ("utf-8", False)),
        ("name\nZürich\n".encode(), ("utf-8", False)),
        (MIXED, ("utf-8", False)),
        ("\ufeffname\n".encode() + "Köln\nMünchen\n".encode("cp1252"), ("utf-8", False)),
        ("name\nZürich\nSão Paulo\n".encode("cp1252"), ("cp1252", True)),
        # German quotes after ß happen to be a valid UTF-8 pair: one such line among many
        # that are not UTF-8 does not make the file UTF-8.
        ("name\nGroße „Straße“\nMünchen\nKöln\n".encode("cp1252"), ("cp1252", True)),
        (b"name\nA\x81b\n", ("latin-1", True)),  # 0x81 is not Windows-1252
    ],
    ids=["ascii", "utf-8", "mixed", "bom-and-a-bad-line", "cp1252", "cp1252-accident", "latin-1"],
)
def test_choose_encoding(data, expected):
    assert csvfiles.choose_encoding(data) == expected
