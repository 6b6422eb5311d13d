"""Control characters where text enters the archive: a CSV cell and the admin's record
forms. A vertical tab (a manual line break pasted from a word processor) or a form feed (a
page break in a CSV cell) becomes a line break in multi-line text and a space in one-line
text; other C0 controls are dropped. Stored that way, a record never takes the XML feeds
down. A NUL is still refused, with a message naming the cell."""

import xml.etree.ElementTree as ET

import pytest

from archive.models import AlternativeName, Document, Figure, Status
from tests.support.admin_forms import admin_url, document_form
from tests.support.csvtools import import_csv, write
from tests.support.factories import DocumentFactory, FigureFactory

pytestmark = pytest.mark.django_db

VT, FF, ESC, SOH = "\x0b", "\x0c", "\x1b", "\x01"


def assert_feed_is_up(client):
    response = client.get("/feeds/documents/")
    assert response.status_code == 200
    ET.fromstring(response.content)


def csv_cell(text):
    return '"' + text.replace('"', '""') + '"'


def test_an_imported_documents_control_characters_are_cleaned(tmp_path, client):
    FigureFactory(name="Joseph Stalin", status=Status.PUBLISHED)
    cells = {
        "title": f"Pact{VT}signed",
        "date": f"23{VT}August 1939",
        "summary": f"First line{VT}second line{FF}next page{ESC}[0m{SOH}",
        "text": f"Article I{FF}Article II",
        "archival_reference": f"AVP{SOH} RF",
        "figures": f"Joseph{VT}Stalin (signatory)",
        "status": "published",
    }
    path = write(tmp_path, ",".join(cells) + "\n" + ",".join(map(csv_cell, cells.values())) + "\n")

    run = import_csv("documents", path)

    assert run.ok, run.stderr
    document = Document.objects.get()
    assert document.title == "Pact signed"
    assert document.date == "23 August 1939"
    assert document.summary == "First line\nsecond line\nnext page[0m"
    assert document.text == "Article I\nArticle II"
    assert document.archival_reference == "AVP RF"
    assert [figure.name for figure in document.figures.all()] == ["Joseph Stalin"]
    assert_feed_is_up(client)


def test_imported_alternative_names_are_cleaned(tmp_path):
    path = write(tmp_path, f'name,alternative_names\nVyacheslav Molotov,"Моло{SOH}тов; V.{VT}M."\n')
    run = import_csv("figures", path)
    assert run.ok, run.stderr
    assert sorted(AlternativeName.objects.values_list("name", flat=True)) == ["V. M.", "Молотов"]
    assert Figure.objects.get().name == "Vyacheslav Molotov"


def test_a_nul_in_a_cell_is_still_refused_with_the_cell_named(tmp_path):
    path = write(tmp_path, 'title,summary\nPact,"A\x00B"\n')
    run = import_csv("documents", path)
    assert not run.ok
    assert any(
        error.startswith("row 2, column summary") and "NUL" in error for error in run.errors
    ), run.errors
    assert not Document.objects.exists()


def test_an_editors_pasted_control_characters_are_cleaned_on_save(editor_client, client):
    document = DocumentFactory(title="Pact", status=Status.PUBLISHED)
    response = editor_client.post(
        admin_url(Document, "change", document.pk),
        document_form(
            document,
            title=f"Pact{VT}signed{ESC}",
            date=f"23{VT}August 1939",
            summary=f"First line{VT}second line{FF}next page{SOH}",
            text=f"Article I{FF}Article II",
        ),
    )
    assert response.status_code == 302, response.context["errors"]
    document.refresh_from_db()
    assert document.title == "Pact signed"
    assert document.date == "23 August 1939"
    assert document.summary == "First line\nsecond line\nnext page"
    assert document.text == "Article I\nArticle II"
    assert_feed_is_up(client)


def test_an_editors_new_figure_is_cleaned_on_save(editor_client):
    response = editor_client.post(
        admin_url(Figure, "add"),
        {
            "name": f"Vyacheslav{VT}Molotov",
            "birth_date": "1890",
            "biography": f"Born in Kukarka.{FF}Died in Moscow.{ESC}",
            "status": Status.DRAFT,
            **management_forms(editor_client, admin_url(Figure, "add")),
        },
    )
    assert response.status_code == 302, response.context["errors"]
    figure = Figure.objects.get()
    assert figure.name == "Vyacheslav Molotov"
    assert figure.biography == "Born in Kukarka.\nDied in Moscow."


def management_forms(client, url):
    """Empty inline formsets' management data, as the add page names them."""
    formsets = client.get(url).context["inline_admin_formsets"]
    return {
        f"{formset.formset.prefix}-{key}": "0"
        for formset in formsets
        for key in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
