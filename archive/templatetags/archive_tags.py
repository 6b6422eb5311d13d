"""Template helpers for the public pages."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def historical_date(record, name):
    """A date as the editor typed it, with what is known of it: precision, doubt."""
    text = getattr(record, name)
    if not text:
        return ""
    earliest = getattr(record, f"{name}_earliest")
    latest = getattr(record, f"{name}_latest")
    notes = [getattr(record, f"get_{name}_precision_display")()]
    if getattr(record, f"{name}_approximate"):
        notes.append("approximate")
    if getattr(record, f"{name}_uncertain"):
        notes.append("uncertain")
    if earliest and earliest == latest:
        return format_html(
            '<time datetime="{}">{}</time> <span class="date-note">({})</span>',
            earliest.isoformat(),
            text,
            ", ".join(notes),
        )
    return format_html('{} <span class="date-note">({})</span>', text, ", ".join(notes))


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current list's URL on another page, every filter kept."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def more_url(context, param):
    """The current list's URL with every value of one facet shown."""
    query = context["request"].GET.copy()
    query.appendlist("more", param)
    query.pop("page", None)
    return f"?{query.urlencode()}"


@register.filter
def kind_of(record):
    """'document', 'event', 'figure'…: what kind of record this is."""
    return record._meta.verbose_name


@register.filter
def result_template(record):
    """The partial that shows one record in a list of results: one per kind, named by
    the model (archive/includes/results/document.html, event.html, figure.html)."""
    return f"archive/includes/results/{record._meta.model_name}.html"


@register.filter
def field_errors(form, name):
    """The errors of one form field by name ([] when the field has none or does not exist)."""
    return form.errors.get(name, [])


@register.filter
def getlist(query, key):
    """Every value of a repeated URL parameter."""
    return query.getlist(key)
