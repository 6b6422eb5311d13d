"""Views in front of Django's own: the admin's "view on site" address, and the page of a
form refused by the CSRF check."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.shortcuts import render


def view_on_site(request, content_type_id, object_id):
    """Django's shortcut (``/admin/r/<content type>/<id>/``), for those who may view the
    record in the admin; anyone else gets a 404, not a redirect naming the record's
    address (a draft's slug)."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        model = None
    model_admin = admin.site._registry.get(model)
    if model_admin is None or not model_admin.has_view_permission(request):
        raise Http404("No such record.")
    return shortcut(request, content_type_id, object_id)


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check (CSRF_FAILURE_VIEW): the archive's own 403 page,
    which needs no inline style, instead of Django's."""
    return render(request, "403_csrf.html", status=403)
