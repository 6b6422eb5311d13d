"""Limits on what one client may ask of the public site: full-text searches per minute.

Searches are the costly requests (ranking, snippets, facet counts of a new result set),
so each client has a budget of them (``ARCHIVE_SEARCH_RATE``, "60/m"), counted by
django-ratelimit in the Django cache: Redis with REDIS_URL, shared by every app server;
else the process's memory, which is enough for one process (``make run``). A client past
its budget gets a 429 page saying when to try again; other clients are not affected.
"""

import ipaddress

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage

from config.client_ip import client_ip as trusted_client_ip

SEARCH_GROUP = "archive.search"


def client_ip(request) -> str:
    """The client's address as the sign-in lockout reads it (config/client_ip.py: the
    connection's, or behind DJANGO_TRUSTED_PROXY_COUNT proxies the X-Forwarded-For entry
    the outermost one added), checked to be an address."""
    try:
        return str(ipaddress.ip_address(trusted_client_ip(request) or ""))
    except ValueError:
        # No readable address (a Unix socket without a proxy count, a garbled header):
        # such requests share one budget rather than each having none.
        return "0.0.0.0"


def is_search(request) -> bool:
    """Whether a request runs a full-text search: the search page, or a list with ``q``."""
    return request.resolver_match.url_name == "search" or bool(request.GET.get("q", "").strip())


def search_throttled(request):
    """A 429 response when this client has used its searches for now, else None."""
    if not is_search(request):
        return None
    usage = get_usage(
        request,
        group=SEARCH_GROUP,
        key="ip",  # client_ip() through RATELIMIT_IP_META_KEY, IPv6 counted per /64
        rate=settings.ARCHIVE_SEARCH_RATE,
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return None
    retry_after = max(1, usage["time_left"])
    response = render(
        request, "archive/too_many_requests.html", {"retry_after": retry_after}, status=429
    )
    response["Retry-After"] = str(retry_after)
    return response
