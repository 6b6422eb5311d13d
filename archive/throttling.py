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

SEARCH_GROUP = "archive.search"


def client_ip(request) -> str:
    """The address of the client, for counting its requests.

    REMOTE_ADDR, unless ``TRUSTED_PROXY_COUNT`` proxies stand in front: each appends the
    address it received the request from to X-Forwarded-For, so the client is the entry
    that many places from the end. Entries further left are whatever the client wrote,
    and are never read: a client cannot escape its budget by inventing addresses.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
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
