"""Public reads from a PostgreSQL read replica; everything else from the primary.

Only requests that cannot change anything and are not the editors' (GET or HEAD outside
the admin, without a session) read from the replica, so an editor always sees what they
have just saved, and imports, commands and migrations never read a replica that lags.
"""

from contextvars import ContextVar

from django.conf import settings

_replica_allowed = ContextVar("replica_allowed", default=False)
SAFE_METHODS = {"GET", "HEAD"}


class ReplicaRouter:
    """Sends reads to ``settings.ARCHIVE_READ_REPLICA`` while a public request allows it."""

    def db_for_read(self, model, **hints):
        if settings.ARCHIVE_READ_REPLICA and _replica_allowed.get():
            return settings.ARCHIVE_READ_REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary


def replica_reads_allowed(request) -> bool:
    admin = request.path_info.startswith("/admin/")
    signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
    return request.method in SAFE_METHODS and not admin and not signed_in


class ReplicaReadsMiddleware:
    """Lets the router use the replica for the length of a public request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _replica_allowed.set(replica_reads_allowed(request))
        try:
            return self.get_response(request)
        finally:
            _replica_allowed.reset(token)
