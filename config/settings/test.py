"""Test settings: fast hashing; SQLite unless DATABASE_URL, local memory unless REDIS_URL."""

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, REDIS_URL

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The replica is the primary itself under test (a test mirror); the public pages read from
# it only in the tests of the router, which turn ARCHIVE_READ_REPLICA on.
DATABASES.setdefault("replica", {**DATABASES["default"], "TEST": {"MIRROR": "default"}})
ARCHIVE_READ_REPLICA = None

# Generous, so that no test is refused by chance; the tests of the limit tighten it.
ARCHIVE_SEARCH_RATE = "1000/m"

# One process runs the tests: the shared values may stay in its memory (no query per page
# for the stamp, so query counts are those of the pages). The production stack, started by
# the tests as real processes, shares them through the database as configured in base.py.
if not REDIS_URL:
    CACHES["shared"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
