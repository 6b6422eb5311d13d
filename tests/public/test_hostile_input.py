"""Every public list under hostile query strings: never a server error, never an
unescaped echo of what was sent, never a draft.

The parameters come from the lists' own FilterSets, so a filter added later is covered
too. Run it on PostgreSQL as well: NUL bytes and numbers past a column's range fail
there, not on SQLite.
"""

from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive.models import Document, Event, Figure, Status
from archive.public.filters import LIST_FILTERSETS, SEARCH_FILTERSETS
from tests.support.factories import DocumentFactory, EventFactory, FigureFactory

pytestmark = pytest.mark.django_db

LISTS = {
    "/documents/": LIST_FILTERSETS[Document],
    "/events/": LIST_FILTERSETS[Event],
    "/figures/": LIST_FILTERSETS[Figure],
    "/timeline/": LIST_FILTERSETS[Event],
    "/search/": SEARCH_FILTERSETS[Document],
}
PARAMETERS = [
    pytest.param(path, name, id=f"{path.strip('/')}-{name}")
    for path, filterset in LISTS.items()
    for name in [*filterset.base_filters, "page", "more"]
]

XSS = "<script>alert(1)</script>"
ATTRIBUTE_BREAK = '"><img src=x onerror=alert(1)>'
# Values as a reader or a script could send them, already percent-encoded where it matters.
HOSTILE_VALUES = {
    "sql-quote": "' OR '1'='1",
    "sql-statement": "1; DROP TABLE archive_document; --",
    "sql-union": "x' UNION SELECT password FROM auth_user --",
    "script": XSS,
    "attribute-break": ATTRIBUTE_BREAK,
    "huge-number": str(10**30),
    "huge-decade": "99999999999999999999",
    "negative": "-1",
    "negative-huge": "-99999999999999999999",
    "float": "1e308",
    "nan": "NaN",
    "nul-byte": "Molotov\x00' OR 1=1",
    "long": "x" * 10_000,
    "long-digits": "9" * 10_000,
    "lookup": "draft",
    "punctuation": "!!! *** ---",
}
INVALID_UTF8 = "%ff%fe%fd"
DRAFT_TITLE = "Unpublished hostile-test draft"


@pytest.fixture
def records():
    """A published record of each kind linked to drafts, and a draft of each kind."""
    person = FigureFactory(name="Vyacheslav Molotov", status=Status.PUBLISHED)
    hidden_person = FigureFactory(name=f"{DRAFT_TITLE} person", slug="draft-person")
    document = DocumentFactory(title="Non-aggression pact", status=Status.PUBLISHED)
    document.figures.add(person, hidden_person)
    event = EventFactory(title="Signing in Moscow", status=Status.PUBLISHED)
    event.figures.add(person, hidden_person)
    DocumentFactory(title=f"{DRAFT_TITLE} document", slug="draft-document")
    EventFactory(title=f"{DRAFT_TITLE} event", slug="draft-event")
    return person


@pytest.fixture
def anonymous():
    """A reader's client that turns server errors into responses, as a browser sees them."""
    return Client(raise_request_exception=False)


def assert_safe(response, sent):
    """No server error, no draft, and nothing of the hostile text echoed as markup."""
    assert response.status_code < 500, f"{sent[:100]!r}: {response.status_code}"
    page = response.content.decode("utf-8", errors="replace")
    assert DRAFT_TITLE not in page, repr(sent[:100])
    if set(sent) & set("<>\"'&"):
        assert sent not in page
    assert "<script>alert" not in page
    assert "<img src=x" not in page


@pytest.mark.parametrize(("path", "parameter"), PARAMETERS)
def test_hostile_values_in_any_parameter_are_answered_without_error(
    anonymous, records, path, parameter
):
    for value in HOSTILE_VALUES.values():
        response = anonymous.get(f"{path}?{quote(parameter)}={quote(value, safe='')}")
        assert_safe(response, value)


@pytest.mark.parametrize(("path", "parameter"), PARAMETERS)
def test_invalid_utf8_and_nul_in_names_are_answered_without_error(
    anonymous, records, path, parameter
):
    for query in (
        f"{parameter}={INVALID_UTF8}",
        f"{INVALID_UTF8}={INVALID_UTF8}",
        f"{parameter}%00=1",
        f"{parameter}=%00",
        f"{parameter}=a%00b",
        f"{parameter}=%c0%80",  # an overlong NUL
    ):
        response = anonymous.get(f"{path}?{query}")
        assert_safe(response, query)


@pytest.mark.parametrize(("path", "parameter"), PARAMETERS)
def test_repeated_parameters_are_answered_without_error(anonymous, records, path, parameter):
    for value in ("1930", "molotov", "treaty", "date"):
        response = anonymous.get(path, {parameter: [value] * 500})
        assert_safe(response, value)


@pytest.mark.parametrize("path", LISTS)
def test_more_parameters_than_django_accepts_is_a_bad_request(anonymous, records, path):
    response = anonymous.get(f"{path}?" + "&".join(f"q{n}=1" for n in range(2000)))
    assert response.status_code == 400


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    "query",
    [
        "status=draft",
        "status__in=draft",
        "status__in=draft,published",
        "status__ne=published",
        "title__regex=.*",
        "title__regex=.*&status=draft",
        "name__regex=.*",
        "pk__gt=0",
        "slug=draft-document",
        "figure=draft-person",
        "figure__status=draft",
        "figures__status=draft",
        "q=draft&status=draft",
        "q=Unpublished",
        "q=hostile-test",
        "kind=document&status=draft",
    ],
)
def test_lookup_syntax_as_parameter_names_never_shows_a_draft(anonymous, records, path, query):
    response = anonymous.get(f"{path}?{query}")
    assert_safe(response, query)
    results = response.context["results"] if response.context["page"] else []
    assert all(record.status == Status.PUBLISHED for record, _ in results)


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    "page", ["0", "-1", str(10**30), "99999999", "1e3", "NaN", "inf", "1.5", "9" * 10_000, ""]
)
def test_deep_or_odd_pages_are_a_not_found_page_or_the_first(anonymous, records, path, page):
    response = anonymous.get(path, {"page": page})
    assert_safe(response, page)
    assert response.status_code in (200, 404)


@pytest.mark.parametrize("path", ["/documents/", "/events/", "/timeline/"])
def test_a_draft_linked_from_a_published_record_is_not_a_filter_value(anonymous, records, path):
    response = anonymous.get(path, {"figure": "draft-person"})
    assert response.status_code == 200
    assert b"Unpublished" not in response.content
    assert response.context["page"] is None  # the form refused the value


@pytest.mark.parametrize("path", LISTS)
def test_script_in_the_search_is_shown_as_text(anonymous, records, path):
    response = anonymous.get(path, {"q": XSS})
    assert response.status_code == 200
    assert XSS not in response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()


@pytest.mark.parametrize("path", ["/documents/", "/events/", "/figures/", "/timeline/", "/search/"])
def test_a_decade_past_any_year_is_a_message_on_the_form(anonymous, records, path):
    response = anonymous.get(path, {"decade": "99999999999999999999"})
    assert response.status_code == 200
    assert "Choose decades" in response.content.decode()


@pytest.mark.parametrize(("path", "parameter"), PARAMETERS)
def test_nul_byte_in_a_name_or_value_is_a_bad_request_never_a_query(
    anonymous, records, path, parameter, django_assert_num_queries
):
    for query in (f"{parameter}=molotov%00", f"{parameter}%00=1"):
        with django_assert_num_queries(0):
            response = anonymous.get(f"{path}?{query}")
        assert response.status_code == 400
        page = response.content.decode()
        assert "This address could not be read" in page and "NUL character" in page
        assert "\x00" not in page


@pytest.mark.parametrize("path", LISTS)
def test_a_search_of_punctuation_alone_lists_everything_by_date(anonymous, records, path):
    response = anonymous.get(path, {"q": "!!! ***"})
    assert response.status_code == 200
    assert response.context["sort"] == "date"
    assert "Unpublished" not in response.content.decode()


@pytest.mark.parametrize("path", ["/documents/", "/events/", "/figures/", "/timeline/"])
def test_unknown_parameters_share_the_cached_facet_counts(anonymous, records, path):
    anonymous.get(path, {"x": "1"})  # counts the facets, and caches the counts
    with CaptureQueriesContext(connection) as padded:
        anonymous.get(path, {"x": "2", "utm_source": "feed"})
    cache.clear()
    with CaptureQueriesContext(connection) as counted:
        anonymous.get(path, {"x": "3"})
    assert len(padded) < len(counted)
