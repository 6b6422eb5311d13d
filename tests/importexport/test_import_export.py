"""CSV import and export from the command line, on real files and a real database."""

from pathlib import Path

import pytest

from archive import models, search
from archive.models import Document, DocumentFigure, Event, EventFigure, Figure, Place, Role
from tests.support.csvtools import (
    KINDS_IN_IMPORT_ORDER,
    archive_state,
    export_csv,
    import_csv,
    write,
)
from tests.support.factories import DocumentFactory, FigureFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def empty_the_archive():
    for model in (Document, Event, Figure, Place, models.Organization, models.Topic):
        model.objects.all().delete()
    models.AlternativeName.objects.all().delete()


# Round trip and matching


def test_export_import_into_an_empty_archive_and_export_again_gives_identical_files(
    seeded, tmp_path
):
    first = {kind: export_csv(kind, tmp_path / f"{kind}.csv") for kind in KINDS_IN_IMPORT_ORDER}
    empty_the_archive()

    for kind in KINDS_IN_IMPORT_ORDER:
        # Documents name events and events name documents: the events file, imported
        # last, writes the links of both.
        extra = ["--ignore-column", "events"] if kind == "documents" else []
        run = import_csv(kind, tmp_path / f"{kind}.csv", *extra)
        assert run.ok, run.stderr

    again = {kind: export_csv(kind, tmp_path / f"again-{kind}.csv") for kind in first}
    for kind in KINDS_IN_IMPORT_ORDER:
        assert again[kind] == first[kind], kind
    assert Document.objects.get(slug="molotov-ribbentrop-pact").figure_roles.count() == 2


@pytest.mark.parametrize("kind", KINDS_IN_IMPORT_ORDER)
def test_importing_an_export_again_changes_nothing(seeded, tmp_path, kind):
    path = tmp_path / f"{kind}.csv"
    export_csv(kind, path)
    before = archive_state()

    run = import_csv(kind, path)

    model = {
        "documents": Document,
        "events": Event,
        "figures": Figure,
        "places": Place,
        "organizations": models.Organization,
        "topics": models.Topic,
    }[kind]
    assert run.ok, run.stderr
    assert run.last_line == f"0 created, 0 updated, {model.objects.count()} unchanged"
    assert archive_state() == before  # not even the modified times


def test_importing_the_same_file_twice_creates_once_then_reports_unchanged(seeded, tmp_path):
    path = write(
        tmp_path,
        "identifier,title,type,date,figures\n"
        "Q1,Telegram on the pact,telegram,1939-08-24,Ribbentrop (sender)\n",
    )

    assert import_csv("documents", path).last_line == "1 created, 0 updated, 0 unchanged"
    assert import_csv("documents", path).last_line == "0 created, 0 updated, 1 unchanged"
    assert Document.objects.filter(identifier="Q1").count() == 1


def test_row_updates_the_record_with_the_same_identifier(db, tmp_path):
    document = DocumentFactory(identifier="Q131", title="Old title", date="1939")
    slug = document.slug
    path = write(tmp_path, "identifier,title,date\nQ131,New title,23 August 1939\n")

    run = import_csv("documents", path)

    assert run.last_line == "0 created, 1 updated, 0 unchanged"
    document.refresh_from_db()
    assert (document.title, document.date, str(document.date_earliest)) == (
        "New title",
        "23 August 1939",
        "1939-08-23",
    )
    assert document.slug == slug == "old-title"  # the address is kept
    assert Document.objects.count() == 1


def test_row_without_identifier_updates_the_record_with_the_same_slug(db, tmp_path):
    place = PlaceFactory(name="Moscow", slug="moscow", country="")
    path = write(tmp_path, "slug,name,country\nmoscow,Moscow,Russia\n")

    assert import_csv("places", path).last_line == "0 created, 1 updated, 0 unchanged"
    place.refresh_from_db()
    assert place.country == "Russia"


def test_row_without_identifier_or_slug_updates_the_record_its_name_would_slug_to(db, tmp_path):
    PlaceFactory(name="Berlin", slug="berlin")
    path = write(tmp_path, "name,country\nBerlin,Germany\n")

    assert import_csv("places", path).last_line == "0 created, 1 updated, 0 unchanged"
    assert Place.objects.get().country == "Germany"


def test_status_is_draft_when_the_column_is_absent_or_empty(db, tmp_path):
    path = write(tmp_path, "name,status\nPublished one,published\nEmpty one,\n")
    import_csv("topics", path)
    write(tmp_path, "name\nAbsent one\n", name="absent.csv")
    import_csv("topics", tmp_path / "absent.csv")

    assert dict(models.Topic.objects.values_list("name", "status")) == {
        "Published one": "published",
        "Empty one": "draft",
        "Absent one": "draft",
    }


def test_dry_run_reports_what_would_change_and_writes_nothing(seeded, tmp_path):
    path = write(
        tmp_path,
        "slug,title,type\n"
        "treaty-of-rapallo,Treaty of Rapallo,treaty\n"
        "munich-agreement,The Munich Agreement,agreement\n"
        ",A new letter,letter\n",
    )
    before = archive_state()

    run = import_csv("documents", path, "--dry-run")

    assert run.ok
    assert run.last_line == "1 created, 1 updated, 1 unchanged (dry run: nothing was written)"
    assert archive_state() == before


# Relations


def test_relations_resolve_by_name_alternative_name_identifier_and_slug_with_roles(
    seeded, tmp_path
):
    Place.objects.filter(name="Berlin").update(identifier="Q64")
    path = write(
        tmp_path,
        "title,figures,places,organizations,topics\n"
        '"A memorandum","Молотов (signatory); ribbentrop (Signatory); Joseph Stalin",'
        '"Q64; moscow","USSR","Treaties and diplomacy"\n',
    )

    assert import_csv("documents", path).ok
    document = Document.objects.get(title="A memorandum")
    assert [(link.figure.name, link.role) for link in document.figure_roles.all()] == [
        ("Vyacheslav Molotov", Role.SIGNATORY),
        ("Joachim von Ribbentrop", Role.SIGNATORY),
        ("Joseph Stalin", Role.MENTIONED),  # the default role of a person in a document
    ]
    assert sorted(document.places.values_list("name", flat=True)) == ["Berlin", "Moscow"]
    assert list(document.organizations.values_list("name", flat=True)) == ["Soviet Union"]
    assert list(document.topics.values_list("name", flat=True)) == ["Treaties and diplomacy"]


def test_event_participants_default_to_participant_and_export_with_their_roles(seeded, tmp_path):
    path = write(
        tmp_path,
        "identifier,title,figures,documents\n"
        "E1,A meeting,Vyacheslav Molotov; Ribbentrop (signatory),Munich Agreement\n",
    )
    assert import_csv("events", path).ok

    event = Event.objects.get(identifier="E1")
    assert list(event.figure_roles.values_list("figure__name", "role")) == [
        ("Vyacheslav Molotov", Role.PARTICIPANT),
        ("Joachim von Ribbentrop", Role.SIGNATORY),
    ]
    exported = export_csv("events")
    assert (
        "E1,a-meeting,A meeting,other,,,,"
        "Vyacheslav Molotov (participant); Joachim von Ribbentrop (signatory),,"
        "Munich Agreement,,draft\r\n"
    ) in exported


def test_a_name_with_parentheses_that_are_not_a_role_is_read_as_a_name(seeded, tmp_path):
    path = write(tmp_path, 'title,organizations\nA note,"Deutsches Reich (1919–1933); RCP(b)"\n')
    assert import_csv("documents", path).ok
    names = Document.objects.get(title="A note").organizations.values_list("name", flat=True)
    assert sorted(names) == [
        "Central Committee of the All-Union Communist Party (Bolsheviks)",
        "Weimar Republic",
    ]


def test_an_unknown_name_is_an_error_that_suggests_the_closest_known_names(seeded, tmp_path):
    path = write(tmp_path, "title,figures,places\nA note,Molotof (signatory),Moskow\n")
    before = archive_state()

    run = import_csv("documents", path)

    assert run.errors == [
        'row 2, column figures, value "Molotof (signatory)": no figure has this name, '
        "alternative name, identifier or slug; closest known names: Vyacheslav Molotov.",
        'row 2, column places, value "Moskow": no place has this name, alternative name, '
        "identifier or slug; closest known names: Moscow.",
        "CommandError: 2 errors; nothing was imported.",
    ]
    assert archive_state() == before


def test_a_name_shared_by_two_records_is_an_ambiguous_error(db, tmp_path):
    FigureFactory(name="Ivan Petrov", slug="ivan-petrov")
    FigureFactory(name="Ivan Petrov", slug="ivan-petrov-2", identifier="Q7")
    path = write(tmp_path, "title,figures\nA letter,Ivan Petrov (author)\n")

    run = import_csv("documents", path)

    assert run.errors[0] == (
        'row 2, column figures, value "Ivan Petrov (author)": 2 figures go by this name: '
        "Ivan Petrov (ivan-petrov), Ivan Petrov (Q7); name the one you mean by its "
        "identifier or slug."
    )
    assert not Document.objects.exists()


def test_export_names_a_record_with_an_ambiguous_name_by_identifier_or_slug(db, tmp_path):
    first = FigureFactory(name="Ivan Petrov", slug="ivan-petrov")
    second = FigureFactory(name="Ivan Petrov", slug="ivan-petrov-2", identifier="Q7")
    document = DocumentFactory(title="A letter", identifier="D1")
    DocumentFigure.objects.create(document=document, figure=first, role=Role.AUTHOR, order=0)
    DocumentFigure.objects.create(document=document, figure=second, role=Role.RECIPIENT, order=1)

    exported = export_csv("documents", tmp_path / "documents.csv")

    assert b"ivan-petrov (author); Q7 (recipient)" in exported
    assert import_csv("documents", tmp_path / "documents.csv").last_line == (
        "0 created, 0 updated, 1 unchanged"
    )


# Bad input: every error, in the spreadsheet's terms, and nothing written

BAD_FILES = {
    "invalid date": (
        "documents",
        "title,date\nA,31 February 1939\n",
        [
            'row 2, column date, value "31 February 1939": February 1939 has 28 days, '
            "so day 31 never existed."
        ],
    ),
    "unreadable date": (
        "figures",
        "name,birth_date\nA Person,sometime\n",
        [
            'row 2, column birth_date, value "sometime": “sometime” is not a date the archive '
            "can read. Try 1939-08-23, 23 August 1939, August 1939, 1939, c. 1922, 1930s, "
            "1925–1933, before 1922 or n.d."
        ],
    ),
    "end before start": (
        "events",
        "title,start_date,end_date\nA war,1941,1939\n",
        [
            'row 2, column end_date, value "1939": the end date (1939) comes before the start '
            "date (1941)."
        ],
    ),
    "unknown type": (
        "events",
        "title,type\nA,coronation\n",
        [
            'row 2, column type, value "coronation": not a known event type; use one of: '
            "treaty_signing, negotiation, conference, appointment, dismissal, assassination, "
            "military_operation, war, annexation, military_cooperation, founding, closure, "
            "withdrawal, declaration, publication, coming_to_power, planning, other."
        ],
    ),
    "unknown language": (
        "documents",
        "title,language\nA,Klingon\n",
        [
            'row 2, column language, value "Klingon": not a known language; use an ISO 639 '
            "code such as de, en, fr or ru, or an English name such as German."
        ],
    ),
    "unknown status": (
        "topics",
        "name,status\nA,public\n",
        ['row 2, column status, value "public": not a known status; use one of: draft, published.'],
    ),
    "too long": (
        "topics",
        # Names and titles may be long (a museum's 320-character title), but not endless.
        "name\n" + "x" * 801 + "\n",
        [
            f'row 2, column name, value "{"x" * 79}…": is 801 characters long; at most 800 '
            "are allowed."
        ],
    ),
    "required name empty": (
        "figures",
        "name,nationality\n,Soviet\n",
        ['row 2, column name, value "": is required and may not be empty.'],
    ),
    "coordinate out of range": (
        "places",
        "name,latitude,longitude\nNowhere,91,east\n",
        [
            'row 2, column latitude, value "91": must lie between -90 and 90.',
            'row 2, column longitude, value "east": is not a number; write decimal degrees '
            "such as 52.52 or -3.7.",
        ],
    ),
    "unknown column": (
        "topics",
        "name,colour\nA,red\n",
        [
            'row 1, column 2, value "colour": unknown column; the columns of topics are: '
            "identifier, slug, name, alternative_names, status."
        ],
    ),
    "duplicate column": (
        "topics",
        "name,identifier,name\nA,T1,B\n",
        ['row 1, column 3, value "name": the column appears twice (columns 1 and 3).'],
    ),
    "no name column": (
        "topics",
        "status\ndraft\n",
        [
            "row 1: the file needs a name column (or an identifier or slug column, to update "
            "existing topics).",
            "row 2: the row names no topic: give it a name, an identifier or a slug.",
        ],
    ),
    "empty file": (
        "topics",
        "",
        [
            "row 1: the file is empty; its first row must name the columns: identifier, "
            "slug, name, alternative_names, status."
        ],
    ),
    "too many cells": (
        "topics",
        "name,status\nWar, peace,draft\n",
        [
            "row 2: the row has 3 cells but the header names 2 columns; is a cell with a "
            "delimiter missing its quotes?"
        ],
    ),
    "same record twice": (
        "topics",
        "identifier,name\nT1,Trade\nT1,Trade again\n",
        [
            'row 3, column identifier, value "T1": row 2 already imports this topic '
            "(identifier T1); give each row its own identifier or slug."
        ],
    ),
    "new record without a name": (
        "topics",
        "identifier,name\nT9,\n",
        ['row 2, column name, value "": is required and may not be empty.'],
    ),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_input_is_reported_exactly_and_nothing_is_written(seeded, tmp_path, case):
    kind, text, expected = BAD_FILES[case]
    path = write(tmp_path, text)
    before = archive_state()

    run = import_csv(kind, path)

    count = len(expected)
    assert not run.ok
    assert run.errors == [
        *expected,
        f"CommandError: {count} error{'s' if count > 1 else ''}; nothing was imported.",
    ]
    assert archive_state() == before


def test_every_error_in_the_file_is_reported_and_valid_rows_are_not_written(seeded, tmp_path):
    rows = ["title,type,date"]
    rows += [f"Good document {n},letter,1939" for n in range(1, 1500)]
    rows[200] = "Bad one,letter,1939-13-01"
    rows[1400] = "Bad two,scroll,1939"
    rows.append("Bad three,letter,30 February 1940")
    before = archive_state()

    run = import_csv("documents", write(tmp_path, "\n".join(rows) + "\n"))

    assert [error.split(":")[0] for error in run.errors] == [
        'row 201, column date, value "1939-13-01"',
        'row 1401, column type, value "scroll"',
        'row 1501, column date, value "30 February 1940"',
        "CommandError",
    ]
    assert archive_state() == before


# Files as they come


def test_utf8_with_bom_semicolons_crlf_and_quoted_line_breaks_are_read(db, tmp_path):
    text = (
        "\ufeffname;alternative_names;status\r\n"
        'Молотов;"Skryabin; Молотов";published\r\n'
        '"Two\r\nlines";;\r\n'
    )
    path = write(tmp_path, text)

    assert import_csv("figures", path).last_line == "2 created, 0 updated, 0 unchanged"
    assert set(Figure.objects.values_list("name", flat=True)) == {"Молотов", "Two\r\nlines"}
    assert sorted(Figure.objects.get(name="Молотов").alternative_names.values_list("name")) == [
        ("Skryabin",),
        ("Молотов",),
    ]


def test_tab_separated_files_are_read(db, tmp_path):
    path = write(tmp_path, "name\tcountry\tlatitude\nParis\tFrance\t48.8566\n")
    assert import_csv("places", path).ok
    assert str(Place.objects.get().latitude) == "48.856600"


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_a_named_encoding_is_used(db, tmp_path, encoding):
    path = write(tmp_path, "name,country\nZürich,Schweiz\nSão Paulo,Brasil\n", encoding=encoding)
    assert import_csv("places", path, "--encoding", encoding).ok
    assert sorted(Place.objects.values_list("name", flat=True)) == ["São Paulo", "Zürich"]


def test_a_file_that_is_not_utf8_is_refused_naming_the_line(db, tmp_path):
    path = write(tmp_path, "name,country\nParis,France\nZürich,Schweiz\n", encoding="cp1252")

    run = import_csv("places", path)

    assert run.errors == [
        "line 3: byte 0xfc at position 2 is not UTF-8 text. If the file was saved as Windows "
        "or Excel “CSV” rather than “CSV UTF-8”, name its encoding: --encoding cp1252 (or "
        "latin-1).",
        "CommandError: 1 error; nothing was imported.",
    ]
    assert not Place.objects.exists()


def test_blank_lines_keep_the_spreadsheet_row_numbers(db, tmp_path):
    path = write(tmp_path, "name,status\n\nA,draft\n\nB,wrong\n")
    run = import_csv("topics", path)
    assert run.errors[0].startswith('row 5, column status, value "wrong"')


# Formula escaping


def test_export_escapes_formulas_and_import_restores_the_values(db, tmp_path):
    titles = ['=HYPERLINK("http://x")', "+1+2", "-", "@SUM(A1)", "'=already quoted", "-1939"]
    for number, title in enumerate(titles):
        DocumentFactory(title=title, identifier=f"D{number}", summary="\tindented")
    PlaceFactory(name="Madrid", latitude="40.4168", longitude="-3.7038", identifier="P1")

    exported = export_csv("documents", tmp_path / "documents.csv").decode("utf-8-sig")
    places = export_csv("places", tmp_path / "places.csv").decode("utf-8-sig")

    for cell in [
        '"\'=HYPERLINK(""http://x"")"',
        "'+1+2",
        ",'-,",
        "'@SUM(A1)",
        "''=already quoted",
        ",-1939,",  # a plain number is not a formula
        "'\tindented",
    ]:
        assert cell in exported, cell
    assert ",40.4168,-3.7038," in places
    assert import_csv("documents", tmp_path / "documents.csv").last_line == (
        f"0 created, 0 updated, {len(titles)} unchanged"
    )
    assert import_csv("places", tmp_path / "places.csv").last_line == (
        "0 created, 0 updated, 1 unchanged"
    )
    assert sorted(Document.objects.values_list("title", flat=True)) == sorted(titles)


def test_an_apostrophe_typed_before_a_formula_character_is_removed_on_import(db, tmp_path):
    path = write(tmp_path, "name,latitude,longitude\n'-Minus town,1,'-2.5\n")
    assert import_csv("places", path).ok
    place = Place.objects.get()
    assert (place.name, str(place.longitude)) == ("-Minus town", "-2.500000")


# Size


def test_a_generated_20000_row_documents_file_with_relations_imports(db, tmp_path):
    figures = [FigureFactory(name=f"Person {n}", identifier=f"F{n}") for n in range(40)]
    places = [PlaceFactory(name=f"Town {n}") for n in range(20)]
    lines = ["identifier,title,type,date,language,summary,figures,places,status"]
    for n in range(20_000):
        lines.append(
            f"DOC{n},Report {n},report,{1900 + n % 100}-0{1 + n % 9}-1{n % 10},de,"
            f'"Summary of report {n}, with a comma",'
            f'"{figures[n % 40].name} (author); F{(n + 1) % 40} (recipient)",'
            f"Town {n % 20},published"
        )
    path = write(tmp_path, "\n".join(lines) + "\n")

    run = import_csv("documents", path)

    assert run.last_line == "20000 created, 0 updated, 0 unchanged"
    assert Document.objects.count() == 20_000
    assert DocumentFigure.objects.count() == 40_000
    assert Document.places.through.objects.count() == 20_000
    last = Document.objects.get(identifier="DOC19999")
    assert (last.date, str(last.date_earliest), last.slug) == (
        "1999-02-19",
        "1999-02-19",
        "report-19999",
    )
    assert list(last.figure_roles.values_list("figure__identifier", "role")) == [
        ("F39", Role.AUTHOR),
        ("F0", Role.RECIPIENT),
    ]
    assert import_csv("documents", path).last_line == "0 created, 0 updated, 20000 unchanged"
    assert places[0].documents.count() == 1000


def test_event_figures_are_rewritten_when_the_cell_changes(seeded, tmp_path):
    path = write(
        tmp_path,
        "slug,figures\nsigning-of-the-molotov-ribbentrop-pact,Joseph Stalin (participant)\n",
    )
    assert import_csv("events", path).last_line == "0 created, 1 updated, 0 unchanged"
    event = Event.objects.get(slug="signing-of-the-molotov-ribbentrop-pact")
    assert list(EventFigure.objects.filter(event=event).values_list("figure__name", "role")) == [
        ("Joseph Stalin", Role.PARTICIPANT)
    ]


# The documented example files

EXAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "examples"


@pytest.mark.parametrize("kind", KINDS_IN_IMPORT_ORDER)
def test_each_example_file_imports_into_the_seeded_archive_then_changes_nothing(seeded, kind):
    path = EXAMPLES / f"{kind}.csv"
    first = import_csv(kind, path)
    assert first.ok, first.stderr
    assert first.last_line.endswith("0 unchanged") or kind == "places"

    again = import_csv(kind, path)
    assert again.ok, again.stderr
    assert again.last_line.startswith("0 created, 0 updated, ")


def test_example_places_add_an_identifier_to_a_seeded_place_and_keep_its_address(seeded):
    import_csv("places", EXAMPLES / "places.csv")
    berlin = Place.objects.get(identifier="Q64")
    assert (berlin.slug, berlin.status) == ("berlin", "published")
    assert Place.objects.get(name="Warsaw").slug == "warsaw"
    brest = Place.objects.get(name="Brest")
    assert sorted(brest.alternative_names.values_list("name", flat=True)) == [
        "Brest-Litovsk",
        "Brześć nad Bugiem",
        "Брест",
    ]


@pytest.fixture
def document_refusing_trigger(db):
    """The database itself refuses a document titled "Refused" (as a full disk or a
    lost connection would), after the import has already written earlier chunks."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TRIGGER refuse_document BEFORE INSERT ON archive_document "
                "WHEN NEW.title = 'Refused' BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION refuse_document() RETURNS trigger AS $$ BEGIN "
                "IF NEW.title = 'Refused' THEN RAISE EXCEPTION 'refused'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_document BEFORE INSERT ON archive_document "
                "FOR EACH ROW EXECUTE FUNCTION refuse_document()"
            )


def test_a_failure_in_the_middle_of_an_import_leaves_the_archive_as_it_was(
    seeded, document_refusing_trigger, tmp_path
):
    rows = ["title,figures"] + [f"Letter {n},Joseph Stalin (recipient)" for n in range(2500)]
    rows[2200] = "Refused,"
    before = archive_state()

    run = import_csv("documents", write(tmp_path, "\n".join(rows) + "\n"))

    assert not run.ok
    assert run.errors[0].startswith("the database refused the import (")
    assert run.errors[0].endswith("); nothing was written.")
    assert archive_state() == before


def test_the_resource_imports_a_tablib_dataset_all_or_nothing(seeded):
    import tablib

    from archive.importexport.resources import RESOURCES

    good = tablib.Dataset(["Diplomacy in exile", "published"], headers=["name", "status"])
    bad = tablib.Dataset(["A", "draft"], ["B", "secret"], headers=["name", "status"])

    result = RESOURCES["topics"]().import_data(bad, dry_run=False)
    assert [str(error) for error in result.outcome.errors] == [
        'row 3, column status, value "secret": not a known status; use one of: draft, published.'
    ]
    assert not models.Topic.objects.filter(name="A").exists()

    result = RESOURCES["topics"]().import_data(good, dry_run=False)
    assert not result.has_validation_errors()
    assert models.Topic.objects.get(name="Diplomacy in exile").status == "published"


def test_an_unknown_encoding_name_is_refused(db, tmp_path):
    run = import_csv("topics", write(tmp_path, "name\nA\n"), "--encoding", "klingon-8")
    assert run.errors == ["CommandError: Unknown encoding 'klingon-8'."]


def test_imported_records_are_found_by_search_at_once(seeded, tmp_path):
    path = write(
        tmp_path,
        "title,summary,figures,status\n"
        '"Zeppelin memorandum","On airships.","Молотов (author)",published\n',
    )
    assert import_csv("documents", path).ok
    by_title, _ = search.search(Document, "zeppelin")
    assert list(by_title.values_list("title", flat=True)) == ["Zeppelin memorandum"]
    by_alternative_name, _ = search.search(Document, "Молотов")
    assert "Zeppelin memorandum" in by_alternative_name.values_list("title", flat=True)


def test_a_figure_renamed_by_import_is_found_in_its_documents_under_the_new_name(seeded, tmp_path):
    path = write(tmp_path, "slug,name\nvyacheslav-molotov,Vyacheslav Skryabin-Molotov\n")
    assert import_csv("figures", path).ok
    found, _ = search.search(Document, "Skryabin-Molotov")
    assert "molotov-ribbentrop-pact" in found.values_list("slug", flat=True)


def test_documents_of_a_large_import_are_found_by_their_people_s_names_but_not_a_draft_s(
    db, tmp_path
):
    figure = FigureFactory(name="Maxim Litvinov", status="published")
    figure.alternative_names.create(name="Литвинов")
    PlaceFactory(name="Rapallo", status="draft")
    # More rows than the search index writes at once, so that later rows are indexed
    # with the names read for the first ones.
    rows = "".join(f"Note {n},Maxim Litvinov (author),Rapallo,published\n" for n in range(1200))
    assert import_csv("documents", write(tmp_path, "title,figures,places,status\n" + rows)).ok
    found, _ = search.search(Document, "Литвинов")
    assert found.count() == 1200
    assert found.filter(title="Note 1199").exists()
    assert not search.search(Document, "Rapallo")[0].exists()


def test_a_file_naming_more_records_than_the_name_memo_holds_links_each_right(
    db, tmp_path, monkeypatch
):
    from archive.importexport import references

    monkeypatch.setattr(references, "MEMO_LIMIT", 2)
    figures = [FigureFactory(name=f"Person {n}") for n in range(5)]
    rows = "".join(f"Note {n},Person {n % 5}; Person {(n + 1) % 5}\n" for n in range(20))
    assert import_csv("documents", write(tmp_path, "title,figures\n" + rows)).ok
    for n in range(20):
        linked = DocumentFigure.objects.filter(document__title=f"Note {n}").order_by("order")
        assert [link.figure for link in linked] == [figures[n % 5], figures[(n + 1) % 5]]


@pytest.mark.postgresql
def test_a_large_import_leaves_postgresql_planning_from_the_imported_rows(db, tmp_path):
    from django.db import connection

    rows = "".join(f"Bulk place {n},published\n" for n in range(1_200))
    assert import_csv("places", write(tmp_path, "name,status\n" + rows)).ok

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'archive_place'")
        (estimated,) = cursor.fetchone()
    # Never analysed, PostgreSQL estimates -1 rows and plans as if the table were tiny.
    assert estimated == 1_200


@pytest.mark.postgresql
def test_a_large_import_outside_a_transaction_leaves_the_rows_countable_from_an_index(
    transactional_db, tmp_path
):
    from django.db import connection

    rows = "".join(f"Bulk place {n},published\n" for n in range(1_200))
    assert import_csv("places", write(tmp_path, "name,status\n" + rows)).ok

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpages, relallvisible FROM pg_class WHERE relname = 'archive_place'"
        )
        pages, visible = cursor.fetchone()
    # Vacuumed: every page marked all-visible, so a count reads the status index alone.
    assert pages > 0 and visible == pages
