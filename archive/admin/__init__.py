"""The editors' interface: model admins (records.py), forms and the CSV buttons."""

from archive.admin import records  # noqa: F401  (registers the model admins)
