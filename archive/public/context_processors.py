"""Values every page rendered with a request can use."""

from django.conf import settings


def archive(request):
    """The archive's name (``ARCHIVE_NAME``) for every template rendered with a request.

    The name is one setting, so that a deployment can call its collection what it is;
    templates read it from here rather than spelling "The Archive" out, so that titles,
    the header and the home page never disagree with the feeds and citations, which read
    the same setting. Pages rendered without a request (the plain 400, 500 and 503 pages,
    templates/plain.html) get no context processor and do not rely on it.
    """
    return {"ARCHIVE_NAME": settings.ARCHIVE_NAME}
