"""Every date form the README documents, as a list's or the search's ``date_from`` and
``date_to``: a page with results (or, for "no date", a message on the form), never a
server error.

The forms are read from the README's "Historical dates" table itself, so a form added
there is tested here too. Open-ended dates are bounds on the side they name: ``after
1940`` and ``1940/..`` start a range, ``before 1922`` and ``../1922`` end one; given on the
other side ("from before 1922", "to after 1940") they set no bound there.
"""

import re
from pathlib import Path

import pytest
from django.test import Client

from archive.models import Status
from tests.support.factories import DocumentFactory, EventFactory, FigureFactory

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"
PATHS = ["/documents/", "/events/", "/figures/", "/timeline/", "/search/"]
BOUNDS = ["date_from", "date_to"]
NO_DATE = "no date"


def date_table():
    """[(typed form, what it is read as)] from the README's "Historical dates" table; the
    word "empty" in a row stands for an empty value."""
    section = README.read_text(encoding="utf-8").split("### Historical dates", 1)[1]
    forms = []
    for line in section.splitlines():
        if line.startswith("#"):
            break
        if not line.startswith("|") or set(line) <= set("|- "):
            continue
        typed, meaning = (cell.strip() for cell in line.strip().strip("|").split("|"))
        if typed == "typed":  # the header
            continue
        forms += [(form, meaning) for form in re.findall(r"`([^`]*)`", typed)]
        if "empty" in re.sub(r"`[^`]*`", "", typed):
            forms.append(("", meaning))
    return forms


DATE_FORMS = date_table()
OPEN_ENDED = ["before 1922", "after 1940", "../1922", "1940/.."]


def test_the_readme_table_is_read():
    """The cases below come from the table: it must still be found, with its open ends."""
    typed = [form for form, _ in DATE_FORMS]
    assert len(typed) >= 25
    assert set(OPEN_ENDED) <= set(typed)
    assert {"n.d.", "unknown", ""} <= {form for form, meaning in DATE_FORMS if meaning == NO_DATE}


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


DATED = ["1920", "before 1925", "1930", "1939-08-23", "after 1941", "1945"]


@pytest.fixture
def records():
    """A published document, event and figure for each date in DATED and one undated."""
    for label in [*DATED, "n.d."]:
        DocumentFactory(title=f"{label} document", date=label, status=Status.PUBLISHED)
        EventFactory(title=f"{label} event", start_date=label, status=Status.PUBLISHED)
        FigureFactory(name=f"{label} figure", birth_date=label, status=Status.PUBLISHED)


def labels(response):
    """The dates of the records listed, as their titles name them (any kind)."""
    return {str(record).rsplit(" ", 1)[0] for record, _ in response.context["results"]}


@pytest.mark.parametrize("bound", BOUNDS)
@pytest.mark.parametrize(
    ("form", "meaning"),
    [pytest.param(form, meaning, id=form or "empty") for form, meaning in DATE_FORMS],
)
def test_every_documented_date_form_is_a_bound_of_every_list(
    anonymous, records, bound, form, meaning
):
    for path in PATHS:
        response = anonymous.get(path, {bound: form})
        assert response.status_code == 200, (path, bound, form)
        errors = response.context["filterset"].form.errors
        if meaning == NO_DATE and form:
            assert bound in errors, path
            assert "Give a date, such as 1939 or August 1939." in response.content.decode()
        else:
            assert not errors, (path, errors)
            assert response.context["page"] is not None, path


EVERY_DATED = set(DATED)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # A start that is open at its start: no lower bound, every dated record.
        ({"date_from": "before 1922"}, EVERY_DATED),
        ({"date_from": "../1922"}, EVERY_DATED),
        # A start open at its end starts where it says: after 1940 is from 1941 on.
        ({"date_from": "after 1940"}, {"after 1941", "1945"}),
        ({"date_from": "1940/.."}, {"after 1941", "1945"}),
        # An end open at its end: no upper bound.
        ({"date_to": "after 1940"}, EVERY_DATED),
        ({"date_to": "1939/.."}, EVERY_DATED),
        # An end open at its start ends where it says: up to 1921 (before 1922) or 1922.
        ({"date_to": "before 1922"}, {"1920", "before 1925"}),
        ({"date_to": "../1922"}, {"1920", "before 1925"}),
        ({"date_from": "before 1922", "date_to": "after 1940"}, EVERY_DATED),
        ({"date_from": "../1930", "date_to": "before 1931"}, {"1920", "before 1925", "1930"}),
        ({"date_from": "after 1930", "date_to": "before 1940"}, {"1939-08-23"}),
    ],
    ids=lambda value: (
        "&".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else None
    ),
)
def test_an_open_ended_bound_means_what_a_reader_means(anonymous, records, path, query, expected):
    response = anonymous.get(path, query)
    assert response.status_code == 200
    assert not response.context["filterset"].form.errors
    assert labels(response) == expected
