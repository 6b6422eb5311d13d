"""The one hook for records written outside their own ``save()``: bulk imports, status
changes made with ``update()``, fixtures. Search follows and cached pages go stale, as
the signals in archive/records/signals.py make them do for single saves."""

from archive import caching, search


def records_written(model, pks, using="default") -> None:
    """Records of ``model`` with these ids were created, changed or deleted in bulk."""
    search.refresh(model, pks)
    caching.records_changed(using)


def archive_reloaded(using="default") -> None:
    """Every record may have changed (a fixture was loaded): rebuild what derives from them."""
    search.rebuild()
    caching.records_changed(using)
