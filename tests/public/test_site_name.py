"""The site's name comes from ARCHIVE_NAME on every page, and each kind of record has
its own entry in a list of results."""

from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.views.defaults import server_error

from archive.models import Status
from tests.support.factories import DocumentFactory, EventFactory, FigureFactory

NAME = "Zqx Museum"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class Element:
    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = dict(attrs)
        self.classes = set((self.attrs.get("class") or "").split())
        self.children = []
        self.parts = []

    @property
    def text(self):
        """The text a reader sees in the element, its spaces collapsed."""
        return " ".join("".join(self.parts).split())

    def find_all(self, tag, css_class=None):
        for child in self.children:
            if child.tag == tag and (css_class is None or css_class in child.classes):
                yield child
            yield from child.find_all(tag, css_class)

    def find(self, tag, css_class=None):
        found = list(self.find_all(tag, css_class))
        assert len(found) == 1, f"{len(found)} <{tag} class={css_class!r}> in <{self.tag}>"
        return found[0]


class Page(HTMLParser):
    """A page as a tree of elements, with the text each one shows."""

    def __init__(self, html):
        super().__init__()
        self.root = Element("document", [])
        self.open = [self.root]
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs)
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        for element in self.open:
            element.parts.append(data)


@pytest.fixture
def records(db):
    """One published record of each kind, all mentioning a pact, and a draft."""
    return {
        "document": DocumentFactory(
            title="Pact of Zqxtown",
            type="treaty",
            date="1939-08-23",
            summary="The pact that settled the border along the river.",
            status=Status.PUBLISHED,
        ),
        "event": EventFactory(
            title="Zqxtown conference",
            type="negotiation",
            start_date="1939-08-21",
            end_date="1939-08-23",
            summary="Three days of talks before the pact was signed.",
            status=Status.PUBLISHED,
        ),
        "figure": FigureFactory(
            name="Ivan Zqxov",
            birth_date="1890-03-09",
            death_date="1986-11-08",
            biography="A diplomat who negotiated the pact and signed it.",
            status=Status.PUBLISHED,
        ),
        "draft": DocumentFactory(title="Draft Zqxtown memo", summary="A pact draft."),
    }


# The site's name


@pytest.mark.parametrize(
    "url, status",
    [
        ("/", 200),
        ("/documents/", 200),
        ("/search/?q=x", 200),
        ("{document}", 200),
        ("/documents/no-such-document/", 404),
    ],
)
def test_every_page_is_titled_and_headed_with_the_configured_name(
    client, settings, records, url, status
):
    settings.ARCHIVE_NAME = NAME
    response = client.get(url.format(document=records["document"].get_absolute_url()))
    assert response.status_code == status
    html = response.content.decode()
    page = Page(html).root
    assert page.find("title").text.endswith(NAME)
    site_name = page.find("header", "site-header").find("a", "site-name")
    assert site_name.text == NAME
    assert site_name.attrs["href"] == "/"
    assert "The Archive" not in html


def test_the_home_page_is_headed_with_the_configured_name(client, settings, db):
    settings.ARCHIVE_NAME = NAME
    page = Page(client.get("/").content.decode()).root
    assert page.find("title").text == NAME
    assert page.find("h1").text == NAME


def test_a_detail_page_title_names_the_record_then_the_archive(client, settings, records):
    settings.ARCHIVE_NAME = NAME
    response = client.get(records["figure"].get_absolute_url())
    assert Page(response.content.decode()).root.find("title").text == f"Ivan Zqxov · {NAME}"


def test_the_plain_error_pages_link_home_without_a_request_or_a_name(rf, settings):
    # No database and no context processor: the 500 page as Django's handler renders it
    # (no context), and the 503 page as the load-shedding middleware renders it at start.
    settings.ARCHIVE_NAME = NAME
    for html in (server_error(rf.get("/")).content.decode(), render_to_string("503.html")):
        page = Page(html).root
        assert [link.attrs["href"] for link in page.find_all("a")] == ["/"]
        assert NAME not in html and "None" not in html


# One result entry per kind


def results_by_title(response):
    """{title: the <li class="result"> showing it} of a list of results."""
    page = Page(response.content.decode()).root
    return {item.find("h3").text: item for item in page.find_all("li", "result")}


def assert_entry(item, record, kind, date, text):
    assert item.find("p", "kind").text == kind
    assert item.find("h3").find("a").attrs["href"] == record.get_absolute_url()
    assert item.find("p", "date").text.startswith(date)
    paragraphs = [p.text for p in item.find_all("p") if not p.classes & {"kind", "date"}]
    assert paragraphs == [text]


def test_search_shows_each_kind_of_record_with_what_is_known_of_that_kind(client, records):
    entries = results_by_title(client.get("/search/"))
    assert set(entries) == {"Pact of Zqxtown", "Zqxtown conference", "Ivan Zqxov"}

    document = entries["Pact of Zqxtown"]
    assert_entry(
        document,
        records["document"],
        "document · treaty",
        "1939-08-23",
        "The pact that settled the border along the river.",
    )
    event = entries["Zqxtown conference"]
    assert_entry(
        event,
        records["event"],
        "event · negotiation",
        "1939-08-21",
        "Three days of talks before the pact was signed.",
    )
    assert " – 1939-08-23" in event.find("p", "date").text  # the event's end
    figure = entries["Ivan Zqxov"]
    assert_entry(
        figure,
        records["figure"],
        "figure",  # a person has no type
        "1890-03-09 – 1986-11-08",  # life dates
        "A diplomat who negotiated the pact and signed it.",
    )


def test_a_searched_word_shows_each_kind_of_record_with_its_passage(client, records):
    entries = results_by_title(client.get("/search/", {"q": "pact"}))
    assert set(entries) == {"Pact of Zqxtown", "Zqxtown conference", "Ivan Zqxov"}
    assert entries["Ivan Zqxov"].find("p", "date").text == "1890-03-09 – 1986-11-08"
    assert entries["Zqxtown conference"].find("p", "kind").text == "event · negotiation"
    for item in entries.values():
        passage = item.find("p", "snippet")
        assert "pact" in passage.text.lower()
        assert [mark.text.lower() for mark in passage.find_all("mark")][:1] == ["pact"]


@pytest.mark.parametrize(
    "url, kind, title, shown",
    [
        ("/documents/", "document · treaty", "Pact of Zqxtown", "1939-08-23"),
        ("/events/", "event · negotiation", "Zqxtown conference", "1939-08-21"),
        ("/figures/", "figure", "Ivan Zqxov", "1890-03-09 – 1986-11-08"),
    ],
)
def test_each_list_shows_its_kind_of_record_the_same_way(client, records, url, kind, title, shown):
    entries = results_by_title(client.get(url))
    assert list(entries) == [title]
    assert entries[title].find("p", "kind").text == kind
    assert entries[title].find("p", "date").text.startswith(shown)
