"""The admin's addresses and change-form data, as an editor's browser would use them."""

from django.urls import reverse


def admin_url(model, view, *args):
    return reverse(f"admin:archive_{model._meta.model_name}_{view}", args=args)


def document_form(document, **changes):
    """The POST data of a document's change form, as the browser would send it."""
    data = {
        "title": document.title,
        "type": document.type,
        "date": document.date,
        "language": document.language,
        "status": document.status,
        "summary": document.summary,
        "text": document.text,
        "archival_reference": document.archival_reference,
        "slug": document.slug,
        "identifier": document.identifier,
        "seen_version": document.version,
    }
    data.update(
        no_inline_forms(
            "figure_roles", "Event_documents", "images", "archive-citation-content_type-object_id"
        )
    )
    data.update(changes)
    return data


def no_inline_forms(*prefixes):
    """The management data of empty inline formsets with these prefixes."""
    return {
        key: "0"
        for prefix in prefixes
        for key in (f"{prefix}-TOTAL_FORMS", f"{prefix}-INITIAL_FORMS")
    }
