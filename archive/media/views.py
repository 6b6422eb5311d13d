"""Serving images: a derivative as a response, and the editors' files.

The media folder (or bucket) is never a public address. The public reaches images only
through the views of archive/public/images.py, which serve the re-encoded derivatives
(``archive.media.images``) while the record they belong to is published, and a 404 otherwise.
Editors reach originals and derivatives through ``editor_file``, at ``MEDIA_URL`` under
/admin/, which only signed-in staff with a permission on the archive may use. Both serve
from the same origin, whatever the storage, so the pages' Content-Security-Policy can
keep ``img-src 'self'``.
"""

import posixpath

from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse

from archive.media.images import DERIVATIVE_SIZES, open_derivative

# Derivatives change only when an editor replaces the image; a record that is unpublished
# may stay in a browser's or proxy's cache this long.
PUBLIC_CACHE = "public, max-age=3600"
PLACEHOLDER_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240" viewBox="0 0 320 240">'
    '<rect width="320" height="240" fill="#e4e1da"/>'
    '<text x="160" y="125" font-family="sans-serif" font-size="16" fill="#4a4740" '
    'text-anchor="middle">Image unavailable</text></svg>'
)
# What editors may be sent inline; anything else (a file put in the folder by other
# means) is a download, so that a browser never renders it as a page of this site.
INLINE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".webp": "image/webp",
}


def derivative_response(record, image_field, variant):
    """The derivative as a JPEG; an image that cannot be read gives a placeholder."""
    if variant not in DERIVATIVE_SIZES:
        raise Http404("No such image size.")
    file = open_derivative(record, image_field, variant)
    if file is None:
        response = HttpResponse(PLACEHOLDER_SVG, content_type="image/svg+xml")
        response["Cache-Control"] = "no-cache"  # shown until the image is replaced
        return response
    response = FileResponse(file, content_type="image/jpeg")
    response["Cache-Control"] = PUBLIC_CACHE
    return response


def editor_file(request, name):
    """A stored file (original or derivative), for staff with a permission on the archive.

    The admin wraps this view: signed-out visitors are sent to the sign-in page.
    """
    if not request.user.has_module_perms("archive"):
        raise PermissionDenied
    try:
        file = default_storage.open(name)
    except (OSError, SuspiciousFileOperation) as error:
        raise Http404("No such file.") from error
    content_type = INLINE_TYPES.get(posixpath.splitext(name)[1].lower())
    response = FileResponse(
        file,
        content_type=content_type or "application/octet-stream",
        as_attachment=content_type is None,
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response
