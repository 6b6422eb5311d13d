"""The client's address for the sign-in lockout, read only as far as the proxies are trusted.

Each proxy in front of the app appends the address it was reached from to
X-Forwarded-For, so behind N trusted proxies the client is the N-th entry from the right;
anything further left was written by the client and may be forged. With no trusted proxy
(the default) the header is ignored and the client is the peer of this server. (django-ipware
does this too, but with its own reading of "proxy count" and a list of headers to trust; the
rule here is small enough to state and test.)
"""

from django.conf import settings


def client_ip(request):
    """The address django-axes counts failed sign-ins against."""
    proxies = settings.TRUSTED_PROXY_COUNT
    remote_addr = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote_addr
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < proxies:
        # Not through every trusted proxy: the peer is the only address we can vouch for.
        return remote_addr
    return forwarded[-proxies]
