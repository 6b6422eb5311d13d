"""What each row of an import becomes: the record it creates or updates (its values,
dates derived by the record rules, links and alternative names compared with what is
stored), and how the rows of a chunk are written. The reading and checking of the file
is archive/importexport/importer.py's, which builds on this class."""

from dataclasses import dataclass, field

from django.utils import timezone

from archive.importexport.cells import HistoricalDateWidget
from archive.importexport.columns import AlternativeNamesField, RelationField
from archive.importexport.writer import insert_rows, log_import
from archive.models import AlternativeName
from archive.models.rules import DATE_PARTS, date_columns, range_error


@dataclass
class Row:
    """One row on its way in: cleaned values by column, the record it matches, and the
    database row (``record``: column -> value) that will be written."""

    number: int
    values: dict
    pk: int | None = None
    slug: str = ""
    record: dict = None
    changed: list = field(default_factory=list)
    links: dict = field(default_factory=dict)  # column -> items, for links to (re)write
    names_added: list = field(default_factory=list)
    names_removed: list = field(default_factory=list)


class RowBuilding:
    """The part of :class:`~archive.importexport.importer.Importer` that turns checked
    rows into database rows and writes them."""

    def _current(self, pks):
        """What the matched records hold now: field values, links, alternative names."""
        if not pks:
            return {}
        attnames = [f.attname for f in self.model._meta.concrete_fields]
        current = {"values": {}, "links": {}, "names": {}}
        for values in self.model._default_manager.filter(pk__in=pks).values(*attnames):
            current["values"][values["id"]] = values
        for _, column in self.columns:
            if isinstance(column, RelationField):
                current["links"][column.column_name] = column.link.current(pks)
            elif isinstance(column, AlternativeNamesField):
                names = AlternativeName.objects.filter(
                    content_type=self.content_type, object_id__in=pks
                ).values_list("object_id", "name", "pk")
                for pk, name, name_pk in names:
                    current["names"].setdefault(pk, {})[name] = name_pk
        return current

    @staticmethod
    def _set(record, column, value):
        """Put a cleaned value in the record; a date brings the columns derived from it
        (its cell was parsed by the widget, so the rule takes the parse)."""
        if isinstance(column.widget, HistoricalDateWidget):
            record.update(date_columns(column.attribute, value))
        else:
            record[column.attribute] = value

    def _build_new(self, row):
        name = row.values.get(self.name_field, "")
        if not name:
            self.error(
                f"a new {self.noun} needs a {self.name_field}.",
                row=row.number,
                column=self.name_field,
                value=name,
            )
            return False
        record = dict(self.writer.defaults)
        for _, column in self.columns:
            value = row.values[column.column_name]
            if isinstance(column, RelationField):
                if value:
                    row.links[column.column_name] = value
            elif isinstance(column, AlternativeNamesField):
                row.names_added = value
            else:
                self._set(record, column, value)
        # What the model fills in itself (a figure's sort name), asked of the model so that
        # an imported record comes out as one saved in the admin would. The slug is given
        # once the row is known to be imported (see _process).
        record.update(self.model.derived_values(record))
        row.record = record
        return True

    def _build_update(self, row, current):
        values = current["values"][row.pk]
        record = dict(values)
        for _, column in self.columns:
            name = column.column_name
            value = row.values[name]
            if isinstance(column, RelationField):
                before = current["links"][name].get(row.pk, [])
                same = before == value if column.link.has_roles else set(before) == set(value)
                if not same:
                    row.links[name] = value
                    row.changed.append(name)
            elif isinstance(column, AlternativeNamesField):
                before = current["names"].get(row.pk, {})
                row.names_added = [n for n in value if n not in before]
                row.names_removed = [pk for n, pk in before.items() if n not in value]
                if row.names_added or row.names_removed:
                    row.changed.append(name)
            elif name == "slug" and not value:
                continue  # an empty slug cell keeps the record's address
            else:
                stored = record[column.attribute]
                new = value.text if isinstance(column.widget, HistoricalDateWidget) else value
                if stored != new:
                    self._set(record, column, value)
                    row.changed.append(name)
        row.record = record
        return True

    def _check_ranges(self, row):
        """The model's date ranges, checked by the rule ``save()`` uses; the message
        quotes the dates, since the row may change only one of them."""
        record = row.record
        for start, end, start_label, end_label in self.date_ranges:
            message = range_error(
                start_label,
                record[f"{start}_earliest"],
                end_label,
                record[f"{end}_latest"],
                start_text=record[start],
                end_text=record[end],
            )
            if message:
                column = end if end in row.values else start
                self.error(message, row=row.number, column=column, value=record[column])
                return False
        return True

    # Writing

    def _write(self, creates, updates):
        now = timezone.now()
        for row in creates + updates:
            row.record["modified"] = now
        if creates:
            for row in creates:
                row.record["created"] = now
            pks = self.writer.insert([row.record for row in creates])
            for row in creates:
                row.record["id"] = row.pk = pks[row.record["slug"]]
        if updates:
            self.writer.update([row.record for row in updates], self._update_fields())
        self.written.extend(row.pk for row in creates + updates)
        self._write_links(creates, updates)
        self._write_names(creates + updates)
        if self.user is not None:
            name = self.name_field
            log_import(
                self.user,
                self.content_type,
                added=[(row.pk, row.record[name]) for row in creates],
                changed=[(row.pk, row.record[name], row.changed) for row in updates],
            )

    def _update_fields(self):
        fields = ["modified"]
        for _, column in self.columns:
            if isinstance(column, RelationField | AlternativeNamesField):
                continue
            fields.append(column.attribute)
            if isinstance(column.widget, HistoricalDateWidget):
                fields += [f"{column.attribute}_{part}" for part in DATE_PARTS]
        return fields

    def _write_links(self, creates, updates):
        for _, column in self.columns:
            if not isinstance(column, RelationField):
                continue
            name = column.column_name
            rewritten = [row for row in updates if name in row.links]
            column.link.delete([row.pk for row in rewritten])
            written = [row for row in creates if name in row.links] + rewritten
            column.link.insert((row.pk, row.links[name]) for row in written)

    def _write_names(self, rows):
        removed = [pk for row in rows for pk in row.names_removed]
        if removed:
            AlternativeName.objects.filter(pk__in=removed).delete()
        insert_rows(
            AlternativeName,
            ["content_type_id", "object_id", "name", "language", "note"],
            [
                (self.content_type.pk, row.pk, name, "", "")
                for row in rows
                for name in row.names_added
            ],
        )
