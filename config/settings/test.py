"""Test settings: fast hashing; SQLite unless DATABASE_URL, local memory unless REDIS_URL."""

from .base import *  # noqa: F403
from .base import DATABASES

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
