"""Writes that change records beyond one form: publishing, unpublishing."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from archive.models import Status
from archive.records.written import records_written


def _set_status(*, queryset, status, user, message):
    """Set the status of every record in ``queryset`` that differs; log each in its history."""
    with transaction.atomic():
        changing = queryset.exclude(status=status)
        changed = list(changing.values_list("pk", flat=True))
        if not changed:
            return 0
        queryset.model.objects.filter(pk__in=changed).update(
            status=status, modified=timezone.now(), version=F("version") + 1
        )
        # update() sends no signals: records index the names of the published records
        # they link to, and cached pages and counts show what is published.
        records_written(queryset.model, changed)
        if user is not None:
            LogEntry.objects.log_actions(
                user_id=user.pk,
                queryset=queryset.model.objects.filter(pk__in=changed),
                action_flag=CHANGE,
                change_message=message,
            )
    return len(changed)


def records_publish(*, queryset, user=None):
    """Publish the records; returns how many changed status."""
    return _set_status(queryset=queryset, status=Status.PUBLISHED, user=user, message="Published.")


def records_unpublish(*, queryset, user=None):
    """Return the records to draft; returns how many changed status."""
    return _set_status(queryset=queryset, status=Status.DRAFT, user=user, message="Unpublished.")
