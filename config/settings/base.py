"""Settings shared by every environment; each variant module adjusts these from the environment."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"  # git-ignored: the default SQLite file and uploaded media


def env_bool(name, default=False):
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """Read a comma-separated environment variable as a list of non-empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "import_export",
    "csp",
    "axes",
    "archive",
]

# The header-setting middleware comes first, so that every response carries the headers —
# static files too, which whitenoise (production) answers from just after them.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.routers.ReplicaReadsMiddleware",
    # Django's, with a page for a database that refuses to save the session (errors.py).
    "config.errors.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "archive.public.context_processors.archive",  # ARCHIVE_NAME
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"


def database(url_or_default):
    """One entry of DATABASES from a database URL, tuned for its engine."""
    config = dj_database_url.parse(
        url_or_default,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while an editor or an import writes; the busy timeout makes a
        # second writer wait instead of failing with "database is locked".
        config.setdefault("OPTIONS", {}).update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # JIT compilation pays off for long analytic queries, not a web page's: counting a
        # million documents' facets spent 1.3 of its 6.5 s compiling.
        config.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    return config


DATABASES = {
    "default": database(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'archive.sqlite3'}"
    )
}
# A read replica of the primary (PostgreSQL streaming replication): the public pages read
# from it, everything else uses the primary (config/routers.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = database(os.environ["DATABASE_REPLICA_URL"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
ARCHIVE_READ_REPLICA = "replica" if "replica" in DATABASES else None
DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
# Stored files are for editors: this address is a staff-only view (config/urls.py). The
# public sees derivatives of published records only, through archive/public/images.py.
MEDIA_URL = "/admin/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Media on S3-compatible object storage (AWS S3, MinIO, Ceph, …), shared by every app
# server, when a bucket is named; django-storages reads the other AWS_* settings itself.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
MEDIA_ORIGINS = []  # where images come from besides this site (the Content-Security-Policy)
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None  # None: AWS itself
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_LOCATION = os.environ.get("AWS_LOCATION", "media")
    # Drafts' scans must not be guessable: private objects, reached by signed URLs.
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = env_bool("AWS_QUERYSTRING_AUTH", True)
    AWS_S3_FILE_OVERWRITE = False
    if AWS_S3_CUSTOM_DOMAIN:
        MEDIA_ORIGINS = [f"https://{AWS_S3_CUSTOM_DOMAIN}"]
    elif AWS_S3_ENDPOINT_URL:
        endpoint = urlsplit(AWS_S3_ENDPOINT_URL)
        # Path-style (endpoint/bucket/…) and virtual-hosted (bucket.endpoint/…) addresses.
        MEDIA_ORIGINS = [
            f"{endpoint.scheme}://{endpoint.netloc}",
            f"{endpoint.scheme}://*.{endpoint.netloc}",
        ]
    else:
        MEDIA_ORIGINS = ["https://*.amazonaws.com"]

# Redis when REDIS_URL names a server (shared by every app server), else this process's
# memory. What is cached is invalidated by archive/caching.py when records change.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
CACHES["default"].update(KEY_PREFIX="archive", TIMEOUT=int(os.environ.get("CACHE_SECONDS", 600)))
# What every process and server must agree on: the version stamp that says whether a cached
# page is current (archive/caching.py) and each client's search budget (throttling). Redis
# when there is one, else a table of the database (made by `migrate`), which every process
# already shares: never one process's memory, or an unpublished record would stay on the
# pages of the processes that did not see the change.
CACHES["shared"] = (
    {**CACHES["default"]}
    if REDIS_URL
    else {
        "BACKEND": "archive.caching.SharedDatabaseCache",
        "LOCATION": "archive_shared_cache",
        "KEY_PREFIX": "archive",
        # Search budgets are a key per client per minute; expired ones go first.
        "OPTIONS": {"MAX_ENTRIES": 100_000, "CULL_FREQUENCY": 4},
    }
)

# Archival scans are large; the admin accepts uploads up to this size (bytes).
ARCHIVE_MAX_UPLOAD_BYTES = int(os.environ.get("ARCHIVE_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))
# Larger images are refused: Pillow's decompression-bomb guard, sized for archival scans.
ARCHIVE_MAX_IMAGE_PIXELS = int(os.environ.get("ARCHIVE_MAX_IMAGE_PIXELS", 100_000_000))
# PNG, TIFF and WebP images and progressive JPEGs are decoded whole before they can be made
# smaller (up to 4 bytes a pixel), so they have a lower cap; a baseline JPEG is decoded at a
# fraction of its size. Checking an upload and making its public copies then takes at most
# about 300 MB of a worker's memory (README, "Images").
ARCHIVE_MAX_DECODE_PIXELS = int(os.environ.get("ARCHIVE_MAX_DECODE_PIXELS", 40_000_000))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
ARCHIVE_NAME = os.environ.get("ARCHIVE_NAME", "The Archive")  # shown in headers and citations

# HTTP hardening (README, "Security"). Django's defaults already send most of these; they
# are spelt out so that no environment can quietly lose one.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# A form refused by the CSRF check gets the archive's own 403 page (Django's has an inline
# style, which the Content-Security-Policy refuses).
CSRF_FAILURE_VIEW = "archive.admin.views.csrf_failure"

# Content-Security-Policy (django-csp): scripts, styles and everything else from this
# origin only — no inline script, no inline style, no plugin, no framing. The site, the
# admin and django-import-export's pages work without an inline allowance (the
# browser tests watch for refusals).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, *MEDIA_ORIGINS],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Sign-in lockout (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one username
# from one client address, that pair is refused for the cool-off time. The attempts live in
# the database (the default handler), not the cache: they must hold across every app
# server and a restart, and the cache is local memory unless REDIS_URL is set and holds
# only what can be recomputed. `manage.py axes_reset` unlocks.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every manage.py command; lockouts are still logged
# The same page and status whether or not the username exists (axes counts failures for
# any name typed): nothing to learn about accounts from it.
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client address is REMOTE_ADDR, the peer of this server, unless the operator says how
# many proxies in front of it append to X-Forwarded-For (config/client_ip.py).
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"

# Bulk CSV import and export in the admin need explicit permissions (archive.import_document,
# archive.export_figure, …), which the Editors group holds; other staff get a 403.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
# Imports run in one transaction in archive.importexport.importer; the library's own setting agrees.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# The largest CSV file the admin's import accepts (larger ones: manage.py import_csv), and
# how long (seconds) an upload waits for its editor to confirm the import before the next
# import that starts deletes it from the temporary folder (archive/admin/csv_buttons.py).
ARCHIVE_MAX_CSV_UPLOAD_BYTES = int(
    os.environ.get("ARCHIVE_MAX_CSV_UPLOAD_BYTES", str(100 * 1024 * 1024))
)
ARCHIVE_CSV_UPLOAD_MAX_AGE = 60 * 60

# Public search per client (archive/public/throttling.py): ARCHIVE_SEARCH_RATE full-text searches
# ("60/m": per minute; "/s", "/h", "/d" also read), counted in the shared cache above by
# django-ratelimit; empty for no limit. Clients are told apart by REMOTE_ADDR, or behind
# DJANGO_TRUSTED_PROXY_COUNT proxies by the X-Forwarded-For entry the outermost one added.
ARCHIVE_SEARCH_RATE = os.environ.get("ARCHIVE_SEARCH_RATE", "60/m") or None
RATELIMIT_IP_META_KEY = "archive.public.throttling.client_ip"
RATELIMIT_USE_CACHE = "shared"  # counted where every process sees it
# django_ratelimit is used as a library, not an installed app: its system check predates
# Django's own Redis backend (a warning) and refuses local memory, which counts per
# process; that is enough for `make run`, and REDIS_URL makes every process share counts.
# A count that vanished between two cache calls (an entry expiring) lets the search
# through rather than refusing it.
RATELIMIT_FAIL_OPEN = True
