"""Keep the search index in step with every write made through the ORM: admin, shell.

Fixtures (raw saves) are indexed once at the end by the archive's ``loaddata``; bulk
imports write rows without signals and call ``search.index()`` themselves.
A change to anything a record's index row names (a linked figure's alternative name, a
place's name) re-indexes the records that name it.
"""

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from . import search
from .models import (
    AlternativeName,
    Document,
    DocumentFigure,
    Event,
    EventFigure,
    Figure,
    Organization,
    Place,
    Position,
    Topic,
)


def reindex_figure(figure_pk):
    """A figure's own row, and the rows of everything that names it."""
    search.index(Figure, [figure_pk])
    search.index(
        Document, DocumentFigure.objects.filter(figure=figure_pk).values_list("document", flat=True)
    )
    search.index(
        Event, EventFigure.objects.filter(figure=figure_pk).values_list("event", flat=True)
    )


def skip_raw(handler):
    """Fixture loading saves raw rows, relations not yet in place; loaddata indexes after."""

    def guarded(sender, instance, raw=False, **kwargs):
        if not raw:
            handler(sender, instance, **kwargs)

    return guarded


@skip_raw
def record_changed(sender, instance, **kwargs):
    if sender is Figure:
        reindex_figure(instance.pk)
    else:
        search.index(sender, [instance.pk])


@skip_raw
def role_changed(sender, instance, **kwargs):
    record = instance.document_id if sender is DocumentFigure else instance.event_id
    search.index(Document if sender is DocumentFigure else Event, [record])


@skip_raw
def position_changed(sender, instance, **kwargs):
    search.index(Figure, [instance.figure_id])


@skip_raw
def alternative_name_changed(sender, instance, **kwargs):
    model = instance.content_type.model_class()
    if model is Figure:
        reindex_figure(instance.object_id)
    elif model in (Place, Organization, Topic):
        authority_changed(model, model(pk=instance.object_id))


@skip_raw
def authority_changed(sender, instance, **kwargs):
    """A place, organisation or topic renamed: the documents and events naming it."""
    search.index(Document, instance.documents.values_list("pk", flat=True))
    if sender is not Topic:
        search.index(Event, instance.events.values_list("pk", flat=True))


def links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:
        # Changed from the other side (place.documents.add(...)): the records are pk_set.
        if model in search.INDEXED_MODELS:
            search.index(model, pk_set or [])
    else:
        search.index(type(instance), [instance.pk])


def build_missing_index(sender, **kwargs):
    search.build_missing()


def connect(app_config):
    post_migrate.connect(build_missing_index, sender=app_config, dispatch_uid="search-build")
    for model in search.INDEXED_MODELS:
        post_save.connect(record_changed, sender=model, dispatch_uid=f"search-{model.__name__}")
        post_delete.connect(
            record_changed, sender=model, dispatch_uid=f"search-delete-{model.__name__}"
        )
    for model in (DocumentFigure, EventFigure):
        post_save.connect(role_changed, sender=model, dispatch_uid=f"search-{model.__name__}")
        post_delete.connect(
            role_changed, sender=model, dispatch_uid=f"search-delete-{model.__name__}"
        )
    for signal in (post_save, post_delete):
        signal.connect(position_changed, sender=Position, dispatch_uid=f"search-position-{signal}")
        signal.connect(
            alternative_name_changed, sender=AlternativeName, dispatch_uid=f"search-alt-{signal}"
        )
    for model in (Place, Organization, Topic):
        post_save.connect(authority_changed, sender=model, dispatch_uid=f"search-{model.__name__}")
    for through in (
        Document.places.through,
        Document.organizations.through,
        Document.topics.through,
        Event.places.through,
        Event.organizations.through,
    ):
        m2m_changed.connect(links_changed, sender=through, dispatch_uid=f"search-{through}")
