"""What the public pages cache, and how any change to the records makes it stale.

One version stamp covers every cached public value: a change to the records (a save or
delete through the ORM, publishing, unpublishing, an import, a fixture load) sets a new
stamp, and entries made under the old one are never read again (they expire). That is
simpler and safer than tracking which entry depends on which record, and writes are
rare next to reads.

Production runs several processes, maybe on several servers, and a command-line import
runs in a process of its own: the stamp must be one that all of them read. It lives in
the *shared* cache (config/settings/base.py): Redis with REDIS_URL, else a table of the
database, which every process and server already shares. Pages themselves may stay in
each process's memory, since a page is only ever read under the current stamp.

The stamp has two parts. The shared part changes when a write commits, so that every
process sees the change at its next request, and a page that read the old rows before
the commit stays under the old stamp. The process's own part changes at once, so that
the writing process (an editor's request, a test inside its transaction) never serves
its own stale pages. Changing the shared part only after the commit also keeps a long
import from holding a lock on it that would make every other editor's save wait.
"""

import hashlib
import logging
import threading
from uuid import uuid4

from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.dummy import DummyCache
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, transaction

logger = logging.getLogger(__name__)

VERSION_KEY = "records-version"
# The cache every process must agree on: the stamp, and the search budget (throttling).
SHARED = "shared"

_process_stamp = uuid4().hex
# The shared stamp is read once per request: a search page caches several values.
_request = threading.local()


def _shared():
    return caches[SHARED]


def _shared_version() -> str:
    stamp = getattr(_request, "stamp", None)
    if stamp is None:
        shared = _shared()
        stamp = shared.get(VERSION_KEY)
        if stamp is None:  # the first reader after a restart or an eviction makes one
            shared.add(VERSION_KEY, uuid4().hex, timeout=None)  # add: another may have won
            stamp = shared.get(VERSION_KEY) or "unstamped"
        if getattr(_request, "active", False):
            _request.stamp = stamp
    return stamp


def version() -> str:
    """The current stamp: the shared part and this process's part."""
    return f"{_shared_version()}.{_process_stamp}"


def _new_process_version():
    global _process_stamp
    _process_stamp = uuid4().hex
    _request.stamp = None


def _new_shared_version():
    _request.stamp = None
    _shared().set(VERSION_KEY, uuid4().hex, timeout=None)


def records_changed(using="default") -> None:
    """Make every cached public value stale: in this process now, and in every process
    once the transaction commits (or now, outside a transaction)."""
    _new_process_version()
    transaction.on_commit(_new_shared_version, using=using)


def cached(name: str, parts, compute):
    """``compute()``, cached under ``name`` and ``parts`` until the records next change."""
    if isinstance(cache, DummyCache):
        return compute()  # nothing is kept, so there is no stamp to read
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"{name}:{version()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value)
    return value


def _request_started(**kwargs):
    _request.active, _request.stamp = True, None


def _request_finished(**kwargs):
    _request.active, _request.stamp = False, None


request_started.connect(_request_started, dispatch_uid="archive-stamp-start")
request_finished.connect(_request_finished, dispatch_uid="archive-stamp-finish")


class SharedDatabaseCache(DatabaseCache):
    """The database as the shared cache when there is no Redis.

    A write the database refuses (read-only, disk full) is logged and skipped rather than
    turned into an error page for a reader: the stamp then stays as it was, cached pages
    expire on their own, and a search is let through uncounted.
    """

    def _write(self, method, *args, **kwargs):
        try:
            return method(*args, **kwargs)
        except DatabaseError:
            logger.warning("The shared cache could not be written.", exc_info=True)
            return None

    def set(self, *args, **kwargs):
        self._write(super().set, *args, **kwargs)

    def add(self, *args, **kwargs):
        added = self._write(super().add, *args, **kwargs)
        return True if added is None else added

    def incr(self, *args, **kwargs):
        value = self._write(super().incr, *args, **kwargs)
        return 1 if value is None else value

    def touch(self, *args, **kwargs):
        return bool(self._write(super().touch, *args, **kwargs))

    def delete(self, *args, **kwargs):
        return bool(self._write(super().delete, *args, **kwargs))
