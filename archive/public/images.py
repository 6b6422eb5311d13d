"""The public's images: derivatives of published records only (archive/media/)."""

from django.shortcuts import get_object_or_404

from archive.media.views import derivative_response
from archive.models import Document, Figure


def document_image(request, slug, pk, variant):
    """A scan of a published document, at display size or as a thumbnail."""
    document = get_object_or_404(Document.objects.published().only("pk"), slug=slug)
    scan = get_object_or_404(document.images.all(), pk=pk)
    return derivative_response(scan, "image", variant)


def figure_portrait(request, slug, variant):
    """The portrait of a published figure, at display size or as a thumbnail."""
    figure = get_object_or_404(Figure.objects.published().exclude(portrait=""), slug=slug)
    return derivative_response(figure, "portrait", variant)
