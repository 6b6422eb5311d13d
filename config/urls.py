"""Top-level URLs: the public archive and the editors' admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from archive.media import views as media

admin.site.site_header = "Archive administration"
admin.site.site_title = "Archive admin"
admin.site.index_title = "Curate the collection"

urlpatterns = [
    # Stored originals and derivatives, for editors only (MEDIA_URL points here). The media
    # folder is never served to the public, not even with DEBUG: the public sees images
    # through archive/public/images.py, while the record they belong to is published.
    path(
        f"{settings.MEDIA_URL.strip('/')}/<path:name>",
        admin.site.admin_view(media.editor_file, cacheable=True),
        name="editor_file",
    ),
    path("admin/", admin.site.urls),
    path("", include("archive.urls")),
]
