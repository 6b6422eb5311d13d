"""Import reports an editor can act on: errors grouped by column and value, with the number
of rows and the first of them, advice said once; every error, ungrouped, in a CSV file on
request (``--errors``); the same groups in the admin."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from archive import dates
from archive.importexport.outcome import RowError, group_errors
from archive.models import Document
from tests.support.csvtools import archive_state, import_csv, write

pytestmark = pytest.mark.django_db


def date_reason(text):
    """Why the archive cannot read a date (archive.dates says it, in its own words)."""
    with pytest.raises(dates.DateError) as refusal:
        dates.parse(text)
    return str(refusal.value)


def documents(rows):
    """A documents file of (title, date) rows."""
    return "title,date\n" + "".join(f"{title},{date}\n" for title, date in rows)


def test_one_bad_value_on_300_rows_is_one_line_with_the_count_and_first_rows(tmp_path):
    rows = [(f"Letter {n}", "sometime") for n in range(300)]
    before = archive_state()

    run = import_csv("documents", write(tmp_path, documents(rows)))

    assert run.errors == [
        f'date "sometime": 300 rows (2, 3, 4, 5, 6, …): {date_reason("sometime")}',
        "CommandError: 300 errors; nothing was imported.",
    ]
    assert archive_state() == before


def test_groups_follow_the_file_and_a_value_met_once_keeps_its_plain_line(tmp_path):
    rows = [(f"Letter {n}", "1939") for n in range(40)]
    for number in (4, 17, 18, 30):
        rows[number - 2] = (f"Letter {number}", "31 February 1939")
    rows[9] = ("Letter 11", "32 June 1940")
    rows[24] = ("Letter 26", "32 June 1940")
    rows[35] = ("Letter 37", "sometime")

    run = import_csv("documents", write(tmp_path, documents(rows)))

    assert run.errors == [
        'date "31 February 1939": 4 rows (4, 17, 18, 30): ' + date_reason("31 February 1939"),
        f'date "32 June 1940": 2 rows (11, 26): {date_reason("32 June 1940")}',
        f'row 37, column date, value "sometime": {date_reason("sometime")}',
        "CommandError: 7 errors; nothing was imported.",
    ]
    assert not Document.objects.exists()


def test_a_vocabulary_s_codes_are_listed_once_per_column(tmp_path):
    text = "title,type,language\nA,scroll,Klingon\nB,codex,Klingon\nC,scroll,de\n"

    run = import_csv("documents", write(tmp_path, text))

    assert [line.split(": not a known")[0] for line in run.errors[:3]] == [
        'type "scroll": 2 rows (2, 4)',
        'language "Klingon": 2 rows (2, 3)',
        'row 3, column type, value "codex"',
    ]
    assert "use one of: treaty" in run.errors[0]
    assert run.errors[2].endswith(": not a known document type.")
    assert "ISO 639" in run.errors[1]


def test_row_errors_without_a_column_group_by_reason(tmp_path):
    text = "name,status\n" + "".join(f"Topic {n}, more,draft\n" for n in range(3)) + "Fine,draft\n"

    run = import_csv("topics", write(tmp_path, text))

    assert run.errors == [
        "3 rows (2, 3, 4): the row has 3 cells but the header names 2 columns; is a cell "
        "with a delimiter missing its quotes?",
        "CommandError: 3 errors; nothing was imported.",
    ]


def test_errors_of_the_file_itself_are_listed_as_they_are_advice_said_once(tmp_path):
    path = tmp_path / "places.csv"
    path.write_bytes("name,country\nZürich,Schweiz\nGenève,Schweiz\n".encode("cp1252"))

    run = import_csv("places", path)

    assert run.errors == [
        "line 2: byte 0xfc at position 2 is not UTF-8 text. If the file was saved as Windows "
        "or Excel “CSV” rather than “CSV UTF-8”, name its encoding: --encoding cp1252 (or "
        "latin-1).",
        "line 3: byte 0xe8 at position 4 is not UTF-8 text.",
        "CommandError: 2 errors; nothing was imported.",
    ]


def test_the_same_name_twice_in_one_cell_counts_its_row_once(seeded, tmp_path):
    text = "title,figures\nA,Molotof; Molotof\nB,Molotof\n"

    run = import_csv("documents", write(tmp_path, text))

    assert run.errors[0].startswith('figures "Molotof": 2 rows (2, 3): no figure has this name')


# --errors FILE: every error, one a row


def read_csv(path):
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, as Excel reads it
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_errors_file_lists_every_error_ungrouped(tmp_path):
    rows = [(f"Letter {n}", "sometime") for n in range(300)] + [("Молотов", "=1939-13-01")]
    errors = tmp_path / "errors.csv"

    run = import_csv("documents", write(tmp_path, documents(rows)), "--errors", str(errors))

    assert not run.ok
    assert f"301 errors written to {errors}." in run.stdout
    lines = read_csv(errors)
    assert lines[0] == ["row", "column", "value", "reason"]
    assert len(lines) == 302
    reason = date_reason("sometime")
    assert lines[1] == ["2", "date", "sometime", reason]
    assert lines[300] == ["301", "date", "sometime", reason]  # whole, every time
    assert lines[301][:3] == ["302", "date", "'=1939-13-01"]  # not run as a formula
    assert not Document.objects.exists()


def test_the_errors_file_names_lines_and_header_problems(tmp_path):
    path = tmp_path / "places.csv"
    path.write_bytes("name,colour\nZürich,red\n".encode("cp1252"))
    errors = tmp_path / "errors.csv"

    import_csv("places", path, "--errors", str(errors))

    lines = read_csv(errors)
    assert lines[1][:3] == ["1", "2", "colour"]
    assert lines[1][3].startswith("unknown column; the columns of places are:")
    assert lines[2][:3] == ["", "", ""]
    assert lines[2][3].startswith("line 2: byte 0xfc at position 2 is not UTF-8 text.")


def test_an_import_without_errors_writes_an_errors_file_with_the_header_only(tmp_path):
    errors = tmp_path / "errors.csv"

    run = import_csv("topics", write(tmp_path, "name\nTrade\n"), "--errors", str(errors))

    assert run.ok
    assert run.last_line == "1 created, 0 updated, 0 unchanged"
    assert read_csv(errors) == [["row", "column", "value", "reason"]]


def test_an_errors_file_that_cannot_be_written_stops_the_import_first(tmp_path):
    run = import_csv(
        "topics", write(tmp_path, "name\nTrade\n"), "--errors", str(tmp_path / "no" / "e.csv")
    )

    assert run.errors[-1].startswith(f"CommandError: Cannot write {tmp_path / 'no' / 'e.csv'}")
    assert not list(tmp_path.glob(".import-*"))


# The grouping itself


def test_group_errors_keeps_file_errors_apart_and_names_at_most_five_rows():
    errors = [
        RowError("unknown column.", row=1, column="2", value="colour"),
        *(RowError("bad.", row=n, column="date", value="x") for n in range(2, 10)),
        RowError("cannot be read.", line=12),
        RowError("cannot be read.", line=13),
    ]

    groups = group_errors(errors)

    assert [str(group) for group in groups] == [
        'row 1, column 2, value "colour": unknown column.',
        'date "x": 8 rows (2, 3, 4, 5, 6, …): bad.',
        "line 12: cannot be read.",
        "line 13: cannot be read.",
    ]
    assert (groups[1].count, groups[1].rows, groups[1].more) == (8, [2, 3, 4, 5, 6], True)


def test_short_shared_endings_are_not_taken_for_advice():
    errors = [
        RowError(
            "no figure has this name; closest known names: Molotov.",
            row=2,
            column="f",
            value="Molotof",
        ),
        RowError(
            "no figure has this name; closest known names: Molotov.",
            row=3,
            column="f",
            value="Molotoff",
        ),
    ]

    assert [group.reason for group in group_errors(errors)] == [errors[0].reason] * 2


# The admin shows the same groups


def test_the_admin_preview_groups_errors(editor_client):
    text = documents([(f"Letter {n}", "sometime") for n in range(300)] + [("Other", "1939")])
    text += "Another,32 June 1940\n"
    upload = SimpleUploadedFile("documents.csv", text.encode(), content_type="text/csv")

    response = editor_client.post(
        "/admin/archive/document/import/", {"import_file": upload, "format": "0", "resource": "0"}
    )

    page = response.content.decode()
    assert "Nothing was imported: 301 errors" in page
    assert [str(group) for group in response.context["result"].outcome.error_groups] == [
        f'date "sometime": 300 rows (2, 3, 4, 5, 6, …): {date_reason("sometime")}',
        f'row 303, column date, value "32 June 1940": {date_reason("32 June 1940")}',
    ]
    assert "<li>" + escape('date "sometime": 300 rows (2, 3, 4, 5, 6, …): ') in page
    assert "<li>" + escape('row 303, column date, value "32 June 1940": ') in page
    assert "The same value in the same column is listed once" in page
    assert not response.context.get("confirm_form")


def test_a_confirmed_import_that_fails_after_all_says_so_with_its_errors(seeded, editor_client):
    # Between the preview and the confirmation, another editor takes the slug the file
    # gives: the import writes nothing, and the page says why instead of "Import finished".
    upload = SimpleUploadedFile("documents.csv", b"identifier,title,slug\nD9,A note,a-note\n")
    preview = editor_client.post(
        "/admin/archive/document/import/", {"import_file": upload, "format": "0", "resource": "0"}
    )
    Document.objects.create(title="Another note", slug="a-note", identifier="Q5")

    response = editor_client.post(
        "/admin/archive/document/process_import/", preview.context["confirm_form"].initial
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was imported: 1 error" in page
    assert (
        escape(
            'row 2, column slug, value "a-note": this slug belongs to the document with '
            "identifier Q5, not D9."
        )
        in page
    )
    assert "Import finished" not in page
    assert Document.objects.get(slug="a-note").title == "Another note"
