"""The record rules (archive.models.rules): each rule on plain values, then the same rule
seen through both write paths, a model's ``save()`` and a CSV import."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from archive import dates
from archive.dates import Precision
from archive.models import Document, Figure
from archive.models.rules import (
    DATE_PARTS,
    FIRST_VERSION,
    date_columns,
    default_sort_name,
    next_version,
    numbered_slug,
    range_error,
    slug_base,
)

# Dates


def test_date_columns_are_the_text_and_every_part_of_the_parse():
    columns = date_columns("birth_date", dates.parse("c. 1890"))
    assert columns == {
        "birth_date": "c. 1890",
        "birth_date_earliest": date(1890, 1, 1),
        "birth_date_latest": date(1890, 12, 31),
        "birth_date_year": 1890,
        "birth_date_precision": Precision.YEAR,
        "birth_date_approximate": True,
        "birth_date_uncertain": False,
    }


def test_date_columns_of_an_empty_date_are_undated():
    columns = date_columns("date", dates.parse(""))
    assert columns["date_precision"] == Precision.UNDATED
    assert columns["date_earliest"] is columns["date_latest"] is columns["date_year"] is None


def test_every_date_part_is_a_model_column():
    stored = {field.attname for field in Figure._meta.concrete_fields}
    assert {f"death_date_{part}" for part in DATE_PARTS} <= stored


def test_a_range_in_order_or_open_is_no_error():
    assert range_error("start date", date(1939, 1, 1), "end date", date(1941, 12, 31)) is None
    assert range_error("start date", date(1939, 9, 1), "end date", date(1939, 9, 1)) is None
    assert range_error("start date", None, "end date", date(1900, 1, 1)) is None
    assert range_error("start date", date(1900, 1, 1), "end date", None) is None


def test_an_end_before_its_start_is_an_error_worded_for_a_form_or_for_a_file():
    begins, ends = date(1941, 1, 1), date(1939, 12, 31)
    assert range_error("start date", begins, "end date", ends) == (
        "End date comes before start date."
    )
    assert range_error(
        "start date", begins, "end date", ends, start_text="1941", end_text="1939"
    ) == ("the end date (1939) comes before the start date (1941).")


# Slugs


def test_slug_base():
    assert slug_base("Treaty of Non-Aggression") == "treaty-of-non-aggression"
    assert slug_base("") == slug_base(None) == slug_base("!!!") == "record"
    assert len(slug_base("word " * 100)) <= 180


def test_a_free_base_is_the_slug():
    assert numbered_slug("ivan-petrov", set()) == "ivan-petrov"
    assert numbered_slug("ivan-petrov", {"ivan-petrov-2"}) == "ivan-petrov"


def test_a_taken_base_is_numbered_from_two_skipping_taken_numbers():
    assert numbered_slug("ivan-petrov", {"ivan-petrov"}) == "ivan-petrov-2"
    assert numbered_slug("ivan-petrov", {"ivan-petrov", "ivan-petrov-2"}) == "ivan-petrov-3"


def test_taken_may_be_a_test_instead_of_a_collection():
    taken = {"untitled", "untitled-2"}
    assert numbered_slug("untitled", taken.__contains__) == "untitled-3"


def test_the_memo_skips_numbers_handed_out_before_and_stays_empty_for_free_bases():
    taken, memo, asked = {"untitled"}, {}, []

    def is_taken(slug):
        asked.append(slug)
        return slug in taken

    for expected in ("untitled-2", "untitled-3", "untitled-4"):
        slug = numbered_slug("untitled", is_taken, memo)
        assert slug == expected
        taken.add(slug)
    assert memo == {"untitled": 4}
    asked.clear()
    assert numbered_slug("untitled", is_taken, memo) == "untitled-5"
    assert asked == ["untitled", "untitled", "untitled-5"]  # not 2, 3 and 4 again

    assert numbered_slug("free", is_taken, memo) == "free"
    assert "free" not in memo


# Versions and names


def test_the_version_starts_at_one_and_rises_by_one():
    assert FIRST_VERSION == 1
    assert Figure._meta.get_field("version").default == FIRST_VERSION
    assert next_version(1) == 2
    assert next_version(41) == 42
    # The bulk writer raises it in the database with the same rule.
    assert str(next_version(F("version"))) == str(F("version") + 1)


@pytest.mark.parametrize(
    "name, sort_name",
    [
        ("Vyacheslav Molotov", "Molotov, Vyacheslav"),
        ("Joachim von Ribbentrop", "Ribbentrop, Joachim von"),
        ("  Vyacheslav   Molotov ", "Molotov, Vyacheslav"),
        ("Stalin", "Stalin"),
        ("", ""),
        ("   ", ""),
        (None, ""),
    ],
)
def test_default_sort_name(name, sort_name):
    assert default_sort_name(name) == sort_name


def test_a_figure_derives_its_sort_name_only_when_it_has_none():
    assert Figure.derived_values({"name": "Ivan Petrov", "sort_name": ""}) == {
        "sort_name": "Petrov, Ivan"
    }
    assert Figure.derived_values({"name": "Ivan Petrov", "sort_name": "Petrov, I."}) == {}


def test_kinds_without_derived_columns_derive_nothing():
    assert Document.derived_values({"title": "Treaty", "slug": ""}) == {}


# One rule, both paths: save() and a CSV import


def import_figures(tmp_path, text):
    """Run ``import_csv figures`` on ``text``; the errors it printed ("" if none)."""
    path = tmp_path / "figures.csv"
    path.write_text(text, encoding="utf-8")
    stderr = io.StringIO()
    try:
        call_command("import_csv", "figures", str(path), stdout=io.StringIO(), stderr=stderr)
    except CommandError:
        assert stderr.getvalue(), "an import that fails says why"
    return stderr.getvalue()


def saved_figures(rows):
    """The figures ``rows`` (dicts of field values) make through the ORM, one save each."""
    return [Figure.objects.create(**row) for row in rows]


def imported_figures(tmp_path, rows):
    """The figures ``rows`` make through a CSV import; identifiers make each row a new
    figure (rows with the same name and no key would be one figure imported twice)."""
    lines = ["identifier,name,birth_date,death_date"]
    lines += [
        f"Q{index},{row['name']},{row.get('birth_date', '')},{row.get('death_date', '')}"
        for index, row in enumerate(rows, start=1)
    ]
    assert import_figures(tmp_path, "\n".join(lines) + "\n") == ""
    keys = [f"Q{index}" for index in range(1, len(rows) + 1)]
    return list(Figure.objects.filter(identifier__in=keys).order_by("identifier"))


def stored(figure):
    """What the rules decide of a figure: slug, sort name and every date column."""
    names = ["slug", "sort_name"] + [
        f"{field}_{part}" if part else field
        for field in ("birth_date", "death_date")
        for part in ("", *DATE_PARTS)
    ]
    return {name: getattr(figure, name) for name in names}


def test_both_paths_give_the_same_sort_name_slug_and_date_columns(db, tmp_path):
    rows = [{"name": "Vyacheslav Molotov", "birth_date": "9 March 1890", "death_date": "1986"}]
    saved = [stored(figure) for figure in saved_figures(rows)]
    Figure.objects.all().delete()
    imported = [stored(figure) for figure in imported_figures(tmp_path, rows)]
    assert saved == imported
    assert saved[0]["sort_name"] == "Molotov, Vyacheslav"
    assert saved[0]["slug"] == "vyacheslav-molotov"
    assert saved[0]["birth_date_earliest"] == date(1890, 3, 9)
    assert saved[0]["death_date_precision"] == Precision.YEAR


def test_an_import_without_identifiers_derives_the_same_as_a_save(db, tmp_path):
    """The file's header is the plain one an editor writes: name and dates only."""
    assert import_figures(tmp_path, "name,birth_date,death_date\nIvan Petrov,c. 1900,1950s\n") == ""
    imported = stored(Figure.objects.get())
    Figure.objects.all().delete()
    saved = stored(
        Figure.objects.create(name="Ivan Petrov", birth_date="c. 1900", death_date="1950s")
    )
    assert saved == imported
    assert imported["sort_name"] == "Petrov, Ivan"
    assert imported["birth_date_approximate"] is True
    assert imported["death_date_precision"] == Precision.DECADE


def test_two_figures_of_one_name_are_numbered_alike_by_both_paths(db, tmp_path):
    rows = [{"name": "Ivan Petrov"}, {"name": "Ivan Petrov"}, {"name": "Ivan Petrov"}]
    saved = sorted(figure.slug for figure in saved_figures(rows))
    Figure.objects.all().delete()
    imported = sorted(figure.slug for figure in imported_figures(tmp_path, rows))
    assert saved == imported == ["ivan-petrov", "ivan-petrov-2", "ivan-petrov-3"]


def test_each_path_numbers_past_the_slugs_the_other_gave(db, tmp_path):
    Figure.objects.create(name="Ivan Petrov")
    assert import_figures(tmp_path, "identifier,name\nQ1,Ivan Petrov\n") == ""
    assert Figure.objects.get(identifier="Q1").slug == "ivan-petrov-2"
    assert Figure.objects.create(name="Ivan Petrov").slug == "ivan-petrov-3"


def test_a_reversed_range_is_refused_by_both_paths_with_the_same_wording(db, tmp_path):
    with pytest.raises(ValidationError) as error:
        Figure.objects.create(name="Ivan Petrov", birth_date="1900", death_date="1890")
    form_message = error.value.message_dict["death_date"][0]

    printed = import_figures(tmp_path, "name,birth_date,death_date\nIvan Petrov,1900,1890\n")
    file_message = printed.strip().split(": ", 1)[1]

    assert not Figure.objects.exists()
    assert form_message == range_error(
        "birth date", date(1900, 1, 1), "death date", date(1890, 12, 31)
    )
    assert file_message == range_error(
        "birth date",
        date(1900, 1, 1),
        "death date",
        date(1890, 12, 31),
        start_text="1900",
        end_text="1890",
    )
    assert form_message == "Death date comes before birth date."
    assert printed.startswith('row 2, column death_date, value "1890": ')


def test_both_paths_raise_the_version_by_the_same_rule(db, tmp_path):
    figure = Figure.objects.create(name="Ivan Petrov")
    assert figure.version == FIRST_VERSION
    assert import_figures(tmp_path, "slug,name\nivan-petrov,Ivan Petrov Jr.\n") == ""
    figure.refresh_from_db()
    assert figure.version == next_version(FIRST_VERSION)
    figure.save()
    assert figure.version == next_version(next_version(FIRST_VERSION))
