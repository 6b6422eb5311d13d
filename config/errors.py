"""The server error page, with one case told apart: a database that refuses writes.

A read-only or full database makes every save fail, on sign-in (the session and the last
sign-in time are written), in the admin and in an import. Readers keep reading (nothing
they do writes); an editor gets a 503 that says the archive cannot save right now and
that nothing was changed, rather than "something went wrong".
"""

import sys

from django.contrib.sessions import middleware as sessions
from django.contrib.sessions.exceptions import SessionInterrupted
from django.shortcuts import render
from django.views.defaults import server_error as default_server_error

from archive.records.unsavable import refused_write

RETRY_AFTER_SECONDS = 300


def server_error(request):
    """handler500: Django calls it while the exception is being handled."""
    error = sys.exc_info()[1]
    if error is not None and refused_write(error):
        session = getattr(request, "session", None)
        if session is not None:
            # Nothing of this request is kept, the session's changes neither (saving them
            # would fail the same way, and turn this page into a 400).
            session.modified = False
        return cannot_save(request)
    return default_server_error(request)


def cannot_save(request):
    """The 503 page of a database that refuses writes."""
    response = render(request, "cannot_save.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class SessionMiddleware(sessions.SessionMiddleware):
    """Django's, except that a session the database refuses to save gives the page that
    says the archive cannot save right now, not a 400 "session was interrupted"."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except SessionInterrupted as interrupted:
            error = interrupted.__context__
            while error is not None and not refused_write(error):
                error = error.__context__
            if error is None:
                raise
            return cannot_save(request)
