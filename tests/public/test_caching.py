"""The public cache: pages read it, and every kind of change to the records makes it stale."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive import caching
from archive.models import Document, Status
from archive.records.services import records_publish, records_unpublish
from tests.support.csvtools import import_csv, write
from tests.support.factories import DocumentFactory


def home_count(client, label="documents"):
    return dict(client.get("/").context["counts"])[label]


def type_count(client, value="secret_protocol"):
    facets = {facet.param: facet for facet in client.get("/documents/").context["facets"]}
    return {item.value: item.count for item in facets["type"].values}.get(value, 0)


def test_a_publish_shows_at_once_on_cached_pages(client, db):
    DocumentFactory(status=Status.PUBLISHED)
    draft = DocumentFactory(type="secret_protocol", status=Status.DRAFT)
    assert (home_count(client), type_count(client)) == (1, 0)  # now cached

    records_publish(queryset=Document.objects.filter(pk=draft.pk))
    assert (home_count(client), type_count(client)) == (2, 1)

    records_unpublish(queryset=Document.objects.filter(pk=draft.pk))
    assert (home_count(client), type_count(client)) == (1, 0)


def test_a_save_a_delete_and_an_import_show_at_once(client, db, tmp_path):
    assert home_count(client) == 0
    document = DocumentFactory(status=Status.PUBLISHED)
    assert home_count(client) == 1
    document.delete()
    assert home_count(client) == 0
    run = import_csv("documents", write(tmp_path, "title,status\nImported,published\n"))
    assert run.ok
    assert home_count(client) == 1


def test_a_second_reader_of_a_list_is_served_its_facets_from_the_cache(client, db):
    DocumentFactory.create_batch(3, status=Status.PUBLISHED)
    with CaptureQueriesContext(connection) as first:
        client.get("/documents/", {"type": "treaty"})
    with CaptureQueriesContext(connection) as second:
        response = client.get("/documents/", {"type": "treaty", "page": "1"})
    assert len(second) < len(first)
    assert len(response.context["results"]) == 3


def test_the_version_stamp_changes_on_every_change(db):
    before = caching.version()
    assert caching.version() == before
    caching.records_changed()
    assert caching.version() != before


def test_the_cache_is_redis_when_redis_url_is_set():
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.REDIS_URL:
        assert backend == "django.core.cache.backends.redis.RedisCache"
        cache.set("probe", {"ok": 1})
        assert cache.get("probe") == {"ok": 1}
    else:
        assert backend == "django.core.cache.backends.locmem.LocMemCache"


def test_a_search_is_ranked_once_and_a_publish_shows_in_it_at_once(client, db):
    DocumentFactory(title="Pact of Steel", status=Status.PUBLISHED)
    draft = DocumentFactory(title="Pact draft", status=Status.DRAFT)
    assert client.get("/search/", {"q": "pact"}).context["total"] == 1
    with CaptureQueriesContext(connection) as cached:
        assert client.get("/search/", {"q": "pact"}).context["total"] == 1
    searched = [q["sql"] for q in cached.captured_queries if "_search" in q["sql"]]
    assert len(searched) <= 1  # the snippets of the page; the ranking came from the cache

    records_publish(queryset=Document.objects.filter(pk=draft.pk))
    assert client.get("/search/", {"q": "pact"}).context["total"] == 2


def test_a_second_reader_of_a_deep_page_neither_counts_nor_orders_the_list(client, db):
    DocumentFactory.create_batch(45, status=Status.PUBLISHED)
    first = client.get("/documents/", {"page": "2"})
    with CaptureQueriesContext(connection) as second:
        response = client.get("/documents/", {"page": "2"})
    sql = [query["sql"] for query in second.captured_queries]
    assert len(sql) == 1, sql  # the page's rows by id, nothing else
    assert "COUNT" not in sql[0] and "ORDER BY" not in sql[0]
    assert response.context["total"] == first.context["total"] == 45
    assert [r.pk for r, _ in response.context["results"]] == [
        r.pk for r, _ in first.context["results"]
    ]
    assert response.context["page"].has_next() and response.context["page"].number == 2


def test_a_record_unpublished_behind_the_caches_back_is_never_shown(client, db):
    # A reader may take a cached page a moment before a record is unpublished; the
    # page's rows are read afterwards. QuerySet.update() changes the row without the
    # signal that makes the cache stale, which is that moment held still.
    documents = DocumentFactory.create_batch(
        3, status=Status.PUBLISHED, title="Telegram from Moscow", text="telegram"
    )
    for url in ("/documents/", "/documents/?q=telegram", "/search/?q=telegram"):
        assert len(client.get(url).context["results"]) == 3, url
    Document.objects.filter(pk=documents[0].pk).update(status=Status.DRAFT)
    for url in ("/documents/", "/documents/?q=telegram", "/search/?q=telegram"):
        response = client.get(url)
        assert response.status_code == 200
        shown = [record.pk for record, _ in response.context["results"]]
        assert sorted(shown) == sorted(d.pk for d in documents[1:]), url


def test_a_second_reader_of_a_searched_page_reads_only_its_rows(client, db):
    # Highlighting the last word as a prefix reads every word that starts with it; the
    # passages of a page are cached with the page.
    DocumentFactory.create_batch(25, status=Status.PUBLISHED, text="A telegram to Berlin.")
    for url in ("/documents/?q=telegr&page=2", "/search/?q=telegr&page=2"):
        first = client.get(url)
        with CaptureQueriesContext(connection) as second:
            response = client.get(url)
        sql = [query["sql"] for query in second.captured_queries]
        assert len(sql) == 1, (url, sql)  # the documents of the page, by id
        assert "_search" not in sql[0]
        passages = [snippet for _, snippet in response.context["results"]]
        assert len(passages) == 5
        assert passages == [snippet for _, snippet in first.context["results"]]
        assert all("<mark>telegram</mark>" in passage for passage in passages), passages
