"""The kinds of CSV column: text, choices, dates, relations and alternative names, each
with the cell widget that reads and writes it, and :func:`column_for`, which reads the
kind of a column from the model field of the same name."""

from dataclasses import replace

from django.core.validators import MaxValueValidator
from django.db import models
from import_export.fields import Field

from archive.importexport.cells import (
    ChoiceWidget,
    CoordinateWidget,
    HistoricalDateWidget,
    NameListWidget,
    RelationWidget,
    SlugWidget,
    TextWidget,
)
from archive.importexport.writer import Link
from archive.models import AlternativeName, Status

# A vocabulary too long to list in a message is described instead.
VOCABULARY_HINTS = {
    "language": "use an ISO 639 code such as de, en, fr or ru, or an English name such as German",
}


class RelationField(Field):
    """A column naming related records; stored through ``link``, not on the model."""

    def __init__(self, column_name, link, roles=None):
        super().__init__(
            column_name=column_name,
            widget=RelationWidget(roles=roles, default_role=link.default_role),
        )
        self.link = link


class AlternativeNamesField(Field):
    """A column of the record's alternative names (kept as AlternativeName rows)."""

    def __init__(self):
        super().__init__(
            column_name="alternative_names",
            widget=NameListWidget(AlternativeName._meta.get_field("name").max_length),
        )


def text_column(model, name, required=False):
    """A text column with the model field's length limit."""
    max_length = model._meta.get_field(name).max_length
    widget_class = SlugWidget if name == "slug" else TextWidget
    return Field(attribute=name, column_name=name, widget=widget_class(max_length, required))


def choice_column(name, choices, noun, default="", hint=None):
    widget = ChoiceWidget(choices, noun, default, hint)
    return Field(attribute=name, column_name=name, widget=widget)


def date_column(name):
    return Field(attribute=name, column_name=name, widget=HistoricalDateWidget())


def status_column():
    return choice_column("status", Status.choices, "status", default=Status.DRAFT)


def column_for(model, name):
    """The CSV column ``name`` of ``model``, its kind read from the model field of that name."""
    if name == "alternative_names":
        return AlternativeNamesField()
    if name == "status":
        return status_column()
    field = model._meta.get_field(name)
    if field.many_to_many:
        link = link_of(model, name)
        through_roles = link.through._meta.get_field("role").choices if link.has_roles else None
        return RelationField(name, link, roles=through_roles)
    if name in getattr(model, "historical_dates", ()):
        return date_column(name)
    if field.choices:
        return choice_column(
            name,
            list(field.choices),
            str(field.verbose_name),
            default=field.get_default(),
            hint=VOCABULARY_HINTS.get(name),
        )
    if isinstance(field, models.DecimalField):
        # Bounded numbers (coordinates): the model's own limit is the column's.
        limit = next(v.limit_value for v in field.validators if isinstance(v, MaxValueValidator))
        return Field(attribute=name, column_name=name, widget=CoordinateWidget(limit))
    return text_column(model, name, required=name == model.slug_source)


def link_of(model, name):
    """Where the relation column ``name`` of ``model`` is stored: its many-to-many field,
    or the reverse accessor of another model's (documents name their events). A link
    table with a role column (people in a document) gives the role its default."""
    field = model._meta.get_field(name)
    if field.auto_created:  # the reverse side: Event.documents seen from Document
        return Link.many_to_many(field.related_model, field.field.name, reverse=True)
    link = Link.many_to_many(model, name)
    through = link.through._meta
    if any(field.name == "role" for field in through.get_fields()):
        return replace(link, default_role=through.get_field("role").default)
    return link
