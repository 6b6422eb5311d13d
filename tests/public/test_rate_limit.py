"""Each client has a budget of searches: past it, a 429 page says when to come back.

Counted in the Django cache, so these run against local memory in `make test` and
against Redis in `make test-postgres` (the cache is emptied between tests).
"""

import json

import pytest
from django.core.cache import cache

from archive.models import Status
from tests.support.factories import DocumentFactory
from tests.support.production import environment, manage

pytestmark = pytest.mark.django_db

SEARCHES = ["/search/?q=pact", "/documents/?q=pact", "/events/?q=pact", "/figures/?q=pact"]


@pytest.fixture(autouse=True)
def three_searches_an_hour(settings):
    # An hour rather than a minute, so that no window ends in the middle of a test.
    settings.ARCHIVE_SEARCH_RATE = "3/h"
    DocumentFactory(title="Non-aggression pact", status=Status.PUBLISHED)


def search(client, path="/search/?q=pact", address="203.0.113.7", **headers):
    return client.get(path, REMOTE_ADDR=address, **headers)


def test_searches_past_the_budget_get_a_429_page_saying_when_to_retry(client):
    for _ in range(3):
        assert search(client).status_code == 200
    refused = search(client)
    assert refused.status_code == 429
    retry_after = int(refused["Retry-After"])
    assert 1 <= retry_after <= 3600
    page = refused.content.decode()
    assert "Too many searches" in page
    assert f"wait {retry_after} second" in page
    assert "Non-aggression pact" not in page


def test_every_search_shares_one_budget_the_search_page_and_lists_with_q(client):
    for path in SEARCHES[:3]:
        assert search(client, path).status_code == 200
    for path in SEARCHES:
        assert search(client, path).status_code == 429, path


def test_browsing_without_a_search_is_not_counted(client):
    for _ in range(3):
        search(client)
    for path in ("/documents/", "/events/?type=treaty_signing", "/figures/", "/timeline/", "/"):
        assert search(client, path).status_code == 200, path
    assert search(client, "/documents/?q=").status_code == 200


def test_another_client_keeps_its_own_budget(client):
    for _ in range(4):
        search(client, address="203.0.113.7")
    assert search(client, address="203.0.113.7").status_code == 429
    assert search(client, address="198.51.100.23").status_code == 200


def test_an_invented_forwarded_for_does_not_escape_the_budget(client):
    for number in range(3):
        assert search(client, HTTP_X_FORWARDED_FOR=f"10.0.0.{number}").status_code == 200
    assert search(client, HTTP_X_FORWARDED_FOR="10.0.0.99").status_code == 429


def test_behind_a_trusted_proxy_the_client_is_the_address_the_proxy_saw(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "127.0.0.1"
    # The proxy appends the address it was reached from; what the client wrote before it
    # (here a new invented address each time) is ignored.
    for number in range(3):
        forwarded = f"10.0.0.{number}, 203.0.113.7"
        assert search(client, address=proxy, HTTP_X_FORWARDED_FOR=forwarded).status_code == 200
    forwarded = "10.0.0.99, 203.0.113.7"
    assert search(client, address=proxy, HTTP_X_FORWARDED_FOR=forwarded).status_code == 429
    other = "203.0.113.8"
    assert search(client, address=proxy, HTTP_X_FORWARDED_FOR=other).status_code == 200


def test_a_garbled_forwarded_for_behind_a_proxy_is_answered_not_an_error(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for forwarded in ("not-an-address", "", "<script>", "1.2.3.4.5", "::1, ,"):
        response = search(client, address="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        assert response.status_code in (200, 429), forwarded


def test_ipv6_clients_are_counted_per_network_not_per_address(client):
    for number in range(3):
        assert search(client, address=f"2001:db8:1:2::{number + 1}").status_code == 200
    assert search(client, address="2001:db8:1:2::ffff").status_code == 429
    assert search(client, address="2001:db8:1:3::1").status_code == 200


def test_the_budget_is_kept_in_the_shared_cache(client):
    for _ in range(4):
        search(client)
    assert search(client).status_code == 429
    cache.clear()  # as when the window ends, on every app server sharing the cache
    assert search(client).status_code == 200


def test_an_empty_rate_turns_the_limit_off(client, settings):
    settings.ARCHIVE_SEARCH_RATE = None
    for _ in range(10):
        assert search(client).status_code == 200


def test_the_rate_and_the_proxy_count_come_from_the_environment():
    script = (
        "import json; from django.conf import settings; "
        "print(json.dumps([settings.ARCHIVE_SEARCH_RATE, settings.TRUSTED_PROXY_COUNT]))"
    )
    configured = environment(ARCHIVE_SEARCH_RATE="20/m", DJANGO_TRUSTED_PROXY_COUNT="2")
    result = manage("shell", "-c", script, env=configured)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == ["20/m", 2], result.stderr
    result = manage("shell", "-c", script, env=environment())
    assert json.loads(result.stdout.strip().splitlines()[-1]) == ["60/m", 0], result.stderr
