"""Top-level URLs: the public archive and the editors' admin."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Archive administration"
admin.site.site_title = "Archive admin"
admin.site.index_title = "Curate the collection"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("archive.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
