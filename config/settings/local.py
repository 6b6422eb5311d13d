"""Development settings: the default for manage.py. Debug on, SQLite in var/ unless DATABASE_URL."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool, env_list

DEBUG = env_bool("DJANGO_DEBUG", True)
# A development-only key; production refuses to start without its own.
SECRET_KEY = SECRET_KEY or "django-insecure-local-development-key-not-for-production"  # noqa: F405
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

VAR_DIR.mkdir(exist_ok=True)
