"""Keep the search index and the public cache in step with every ORM write: admin, shell.

Fixtures (raw saves) are indexed once at the end by the archive's ``loaddata``; bulk
imports write rows without signals and call ``search.refresh()`` themselves. A change to
anything a record's index row names (a linked figure's alternative name, a place's name)
re-indexes the records that name it. Any write to the archive's tables makes the cached
public pages stale (archive/caching.py).
"""

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from archive import caching, search
from archive.models import (
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


def skip_raw(handler):
    """Fixture loading saves raw rows, relations not yet in place; loaddata indexes after."""

    def guarded(sender, instance, raw=False, **kwargs):
        if not raw:
            handler(sender, instance, **kwargs)

    return guarded


@skip_raw
def record_changed(sender, instance, **kwargs):
    """A record, or a place, organisation or topic that records name, was saved or deleted."""
    search.refresh(sender, [instance.pk])


@skip_raw
def role_changed(sender, instance, **kwargs):
    if sender is DocumentFigure:
        search.index(Document, [instance.document_id])
    else:
        search.index(Event, [instance.event_id])


@skip_raw
def position_changed(sender, instance, **kwargs):
    search.refresh(Figure, [instance.figure_id])


@skip_raw
def alternative_name_changed(sender, instance, **kwargs):
    search.refresh(instance.content_type.model_class(), [instance.object_id])


def links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:
        # Changed from the other side (place.documents.add(...)): the records are pk_set.
        search.index(model, pk_set or [])
    else:
        search.index(type(instance), [instance.pk])


@skip_raw
def public_data_changed(sender, instance, using="default", **kwargs):
    caching.records_changed(using)


def public_links_changed(sender, action, using="default", **kwargs):
    if action.startswith("post_"):
        caching.records_changed(using)


def build_missing_index(sender, **kwargs):
    search.build_missing()


def connect(app_config):
    post_migrate.connect(build_missing_index, sender=app_config, dispatch_uid="search-build")
    for model in app_config.get_models(include_auto_created=True):
        for signal in (post_save, post_delete):
            signal.connect(
                public_data_changed, sender=model, dispatch_uid=f"cache-{model}-{signal}"
            )
        if model._meta.auto_created:  # a many-to-many link table
            m2m_changed.connect(public_links_changed, sender=model, dispatch_uid=f"cache-{model}")
    for signal in (post_save, post_delete):
        for model in (*search.INDEXED_MODELS, Place, Organization, Topic):
            signal.connect(record_changed, sender=model, dispatch_uid=f"search-{model}-{signal}")
        for model in (DocumentFigure, EventFigure):
            signal.connect(role_changed, sender=model, dispatch_uid=f"search-{model}-{signal}")
        signal.connect(position_changed, sender=Position, dispatch_uid=f"search-pos-{signal}")
        signal.connect(
            alternative_name_changed, sender=AlternativeName, dispatch_uid=f"search-alt-{signal}"
        )
    for through in (
        Document.places.through,
        Document.organizations.through,
        Document.topics.through,
        Event.places.through,
        Event.organizations.through,
    ):
        m2m_changed.connect(links_changed, sender=through, dispatch_uid=f"search-{through}")
