"""Markup that arrives in a spreadsheet is stored as the text it is and shown escaped on
every public page; formulas are escaped on every export path."""

import pytest

from archive.importexport.resources import RESOURCES
from archive.models import Document, Event, Figure
from tests.support.csvtools import import_csv, write

PAYLOAD = "<script>alert('x')</script><img src=x onerror=alert(1)>"
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture
def hostile_records(seeded, tmp_path):
    """A figure, a document and an event imported from CSV with markup in every text cell."""
    files = {
        "figures": (
            "name,alternative_names,birth_date,biography,status\n"
            f'"Hostile {PAYLOAD}","Alias {PAYLOAD}",1890,"Bio {PAYLOAD}",published\n'
        ),
        "documents": (
            "title,type,date,language,summary,text,figures,status\n"
            f'"Memo {PAYLOAD}",memorandum,1939-08-01,de,"Summary {PAYLOAD}",'
            f'"Text {PAYLOAD}","Hostile {PAYLOAD} (author)",published\n'
        ),
        "events": (
            "title,type,start_date,figures,summary,status\n"
            f'"Meeting {PAYLOAD}",conference,1939-08-02,"Hostile {PAYLOAD} (participant)",'
            f'"Summary {PAYLOAD}",published\n'
        ),
    }
    for kind, text in files.items():
        run = import_csv(kind, write(tmp_path, text, name=f"{kind}.csv"))
        assert run.ok, run.errors
    return {
        "figure": Figure.objects.get(name=f"Hostile {PAYLOAD}"),
        "document": Document.objects.get(title=f"Memo {PAYLOAD}"),
        "event": Event.objects.get(title=f"Meeting {PAYLOAD}"),
    }


def test_imported_markup_is_stored_as_text(hostile_records):
    assert hostile_records["document"].summary == f"Summary {PAYLOAD}"
    assert list(hostile_records["figure"].alternative_names.values_list("name", flat=True)) == [
        f"Alias {PAYLOAD}"
    ]


PAGES = [
    "/",
    "/documents/",
    # The seed holds more than a page of events and of people: the hostile ones' dates.
    "/events/?date_from=1939-08-02&date_to=1939-08-02",
    "/figures/?date_from=1890&date_to=1890",
    "/timeline/",
    "/search/?q=hostile",
    "/search/?q=alias",
    "/search/?q=memo",
    "/documents/?q=summary",
    "/events/?q=meeting",
    "/figures/?q=bio",
]


@pytest.mark.parametrize("url", PAGES)
def test_imported_markup_is_escaped_on_every_list(client, hostile_records, url):
    body = client.get(url).content.decode()
    assert "alert" in body  # the records are on the page…
    assert "<script>alert" not in body  # …and their markup is only ever text
    assert "<img src=x" not in body


@pytest.mark.parametrize("kind", ["document", "event", "figure"])
def test_imported_markup_is_escaped_on_detail_pages(client, hostile_records, kind):
    body = client.get(hostile_records[kind].get_absolute_url()).content.decode()
    assert ESCAPED in body
    assert "<script>alert" not in body
    assert "<img src=x" not in body


def test_the_admin_export_escapes_formulas(seeded, editor_client):
    Document.objects.filter(slug="treaty-of-rapallo").update(title='=HYPERLINK("http://x")')
    fields = {f"documentresource_{name}": "on" for name in RESOURCES["documents"].columns()}
    response = editor_client.post(
        "/admin/archive/document/export/", {"format": "0", "resource": "0", **fields}
    )
    assert response["Content-Type"] == "text/csv"
    text = response.content.decode("utf-8-sig")
    assert '"\'=HYPERLINK(""http://x"")"' in text
    assert ",=HYPERLINK(" not in text
