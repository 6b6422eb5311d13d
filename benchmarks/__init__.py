"""Tools that measure the archive at scale; run through `manage.py bench`, not part of the app."""
