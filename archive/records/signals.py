"""Keep the search index and the public cache in step with every ORM write: admin, shell.

Which writes matter comes from the kinds registry: a record of any kind, the link rows
whose names an indexed record is found by (``Kind.linked_names``), and alternative
names. Fixtures (raw saves) are indexed once at the end by the archive's ``loaddata``;
bulk imports and status changes write rows without signals and call
:func:`archive.records.written.records_written` themselves. Any write to the archive's
tables makes the cached public pages stale (archive/caching.py).
"""

from django.core.management import call_command
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from archive import caching, kinds, search
from archive.models import AlternativeName


def skip_raw(handler):
    """Fixture loading saves raw rows, relations not yet in place; loaddata indexes after."""

    def guarded(sender, instance, raw=False, **kwargs):
        if not raw:
            handler(sender, instance, **kwargs)

    return guarded


@skip_raw
def record_changed(sender, instance, **kwargs):
    """A record was saved or deleted: its row, and the rows of records that name it."""
    search.refresh(sender, [instance.pk])


@skip_raw
def alternative_name_changed(sender, instance, **kwargs):
    search.refresh(instance.content_type.model_class(), [instance.object_id])


def link_row_changed(kind, link):
    """A handler for saves and deletes of one link table with rows of its own (roles,
    positions): the linking record's row names what the link names."""

    @skip_raw
    def changed(sender, instance, **kwargs):
        search.index(kind.model, [getattr(instance, link.column(link.record_field))])

    return changed


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


def create_cache_tables(sender, using="default", **kwargs):
    """The shared cache's table (config/settings/base.py), with every migrate: a fresh
    archive serves several processes from its first start."""
    call_command("createcachetable", database=using, verbosity=0)


def connect(app_config):
    post_migrate.connect(build_missing_index, sender=app_config, dispatch_uid="search-build")
    post_migrate.connect(create_cache_tables, sender=app_config, dispatch_uid="cache-tables")
    for model in app_config.get_models(include_auto_created=True):
        for signal in (post_save, post_delete):
            signal.connect(
                public_data_changed, sender=model, dispatch_uid=f"cache-{model}-{signal}"
            )
        if model._meta.auto_created:  # a many-to-many link table
            m2m_changed.connect(public_links_changed, sender=model, dispatch_uid=f"cache-{model}")
    for signal in (post_save, post_delete):
        for kind in kinds.KINDS:
            signal.connect(
                record_changed, sender=kind.model, dispatch_uid=f"search-{kind.name}-{signal}"
            )
        signal.connect(
            alternative_name_changed, sender=AlternativeName, dispatch_uid=f"search-alt-{signal}"
        )
    for kind in kinds.indexed():
        for path in kind.linked_names:
            link = kinds.link_table(kind.model, path)
            uid = f"search-{kind.name}-{path}"
            if link.through._meta.auto_created:
                m2m_changed.connect(links_changed, sender=link.through, dispatch_uid=uid)
                continue
            handler = link_row_changed(kind, link)
            for signal in (post_save, post_delete):
                # weak=False: the handler is made here and held by nothing else.
                signal.connect(
                    handler, sender=link.through, weak=False, dispatch_uid=uid + str(signal)
                )
