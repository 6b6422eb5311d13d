"""Top-level URLs: the public archive and the editors' admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from archive.admin import views as admin_views
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
    # The admin's "view on site" address, answered only for those who may view the record
    # (Django's own would name a draft's address to any staff account); it shadows the
    # admin's r/ URL, whose name (admin:view_on_site) still reverses to this address.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(admin_views.view_on_site),
    ),
    path("admin/", admin.site.urls),
    path("", include("archive.urls")),
]

# A server error that is the database refusing writes gets a page saying so (config/errors.py).
handler500 = "config.errors.server_error"
