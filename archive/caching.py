"""What the public pages cache, and how any change to the records makes it stale.

One version stamp covers every cached public value: a change to the records (a save or
delete through the ORM, publishing, unpublishing, an import, a fixture load) sets a new
stamp, and entries made under the old one are never read again (they expire). That is
simpler and safer than tracking which entry depends on which record, and writes are
rare next to reads. The cache is Redis when REDIS_URL is set (shared by every app
server), local memory otherwise (config/settings/base.py).
"""

import hashlib
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "records-version"


def version() -> str:
    """The current stamp; the first reader after a restart or an eviction makes one."""
    stamp = cache.get(VERSION_KEY)
    if stamp is None:
        cache.add(VERSION_KEY, uuid4().hex, timeout=None)  # add: another reader may have won
        stamp = cache.get(VERSION_KEY)
    return stamp


def _new_version():
    cache.set(VERSION_KEY, uuid4().hex, timeout=None)


def records_changed(using="default") -> None:
    """Make every cached public value stale: now, and again when the transaction commits,
    so that a page that read the old rows before the commit cannot keep them cached."""
    _new_version()
    transaction.on_commit(_new_version, using=using)


def cached(name: str, parts, compute):
    """``compute()``, cached under ``name`` and ``parts`` until the records next change."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"{name}:{version()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value)
    return value
