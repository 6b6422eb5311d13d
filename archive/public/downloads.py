"""A record's citation as a file: BibTeX for reference managers (Zotero, JabRef, BibDesk)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from archive.public import citations


def bibtex(request, model, slug):
    """``<slug>.bib`` for a published record; a draft is a 404, as its page is."""
    record = get_object_or_404(model.objects.published(), slug=slug)
    url = request.build_absolute_uri(record.get_absolute_url())
    response = HttpResponse(
        citations.cite(record, url).bibtex + "\n",
        content_type="application/x-bibtex; charset=utf-8",
    )
    # Slugs are letters, digits, hyphens and underscores: safe in the header as they are.
    response["Content-Disposition"] = f'attachment; filename="{record.slug}.bib"'
    return response
