"""The form every record's admin page uses: it cleans pasted text and refuses a save
from a stale form."""

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from archive.models.text import plain_text


class PlainTextForm(forms.ModelForm):
    """Cleans every text field of the characters XML 1.0 cannot carry, which would take
    the Atom feeds down (:func:`archive.models.text.plain_text`).

    Editors paste from word processors: a manual line break arrives as a vertical tab, a
    page break as a form feed. In a text area (a summary, a full text, a biography) each
    becomes a line break, in a one-line field (a title, a name, a date) a space; other
    control characters are removed. The form does not announce it: the cleaned text is
    what is saved and what the form shows when the record is opened again. A NUL is
    refused before this, with a message on the field (Django's own check).
    """

    def clean(self):
        cleaned_data = super().clean()
        for name, value in cleaned_data.items():
            if isinstance(value, str) and name in self.fields:
                multiline = isinstance(self.fields[name].widget, forms.Textarea)
                cleaned = plain_text(value, multiline=multiline)
                # A stripped field stays stripped when a control at its end goes.
                strip = getattr(self.fields[name], "strip", False)
                cleaned_data[name] = cleaned.strip() if strip else cleaned
        return cleaned_data


class VersionedRecordForm(PlainTextForm):
    """Carries the version of the record as the editor opened it.

    Two editors who open the same record both see version 5; the first to save makes it
    6; the second's form still says 5 and is refused with a message naming who saved,
    so the first editor's change survives instead of being silently overwritten.
    """

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk:
            # Locked until the admin's transaction ends, so that two saves arriving at the
            # same moment are checked one after the other (SQLite's IMMEDIATE transactions
            # serialise writers already).
            current = (
                type(self.instance)
                ._default_manager.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and cleaned_data.get("seen_version") != current:
                raise ValidationError(self.conflict_message(), code="edit_conflict")
        return cleaned_data

    def conflict_message(self):
        last = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(self.instance),
                object_id=str(self.instance.pk),
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        if last is None:
            who = "Someone else changed this record"
        else:
            when = timezone.localtime(last.action_time).strftime("%Y-%m-%d %H:%M")
            who = f"{last.user.get_username()} changed this record at {when}"
        return (
            f"{who} after you opened it, so your changes were not saved. Open the record "
            "again to see the current version, then make your changes there."
        )
