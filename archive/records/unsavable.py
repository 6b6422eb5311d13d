"""Telling a write the database refused now (read-only, full) from other database errors.

Such a refusal is no fault of the request, and nothing was changed (the transaction is
rolled back): the editor is told that the archive cannot save right now, instead of
meeting a generic server error or a message about their file.
"""

from django.db import DatabaseError

# SQLite says it in its messages; PostgreSQL in SQLSTATE codes: a read-only transaction
# (a hot standby, default_transaction_read_only) and the classes of insufficient resources
# (disk full, out of memory, too many connections).
SQLITE_MESSAGES = ("attempt to write a readonly database", "database or disk is full")
POSTGRESQL_CODES = ("25006", "53")


def refused_write(error: BaseException) -> bool:
    """Whether ``error`` is the database refusing to write at the moment."""
    if not isinstance(error, DatabaseError):
        return False
    cause = error.__cause__ or error
    code = getattr(cause, "sqlstate", None) or ""
    if code and code.startswith(POSTGRESQL_CODES):
        return True
    message = str(error).lower()
    return any(text in message for text in SQLITE_MESSAGES)
