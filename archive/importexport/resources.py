"""The one definition of each record kind's CSV columns.

The admin's import and export buttons (django-import-export) and the ``import_csv`` and
``export_csv`` commands all use these resources. Reading a file is not left to the
library's row-by-row import, which commits the valid rows of a bad file and, in bulk mode,
drops many-to-many links: :meth:`ArchiveResource.import_data` hands the rows to
:mod:`archive.importexport.importer` instead, which writes all of them or none (or, asked
to set wrong rows aside, the valid ones, handing back the others).
"""

from django.contrib.contenttypes.models import ContentType
from import_export import resources
from import_export.results import Result, RowResult

from archive import kinds
from archive.importexport.columns import AlternativeNamesField, RelationField, column_for
from archive.importexport.csvfiles import DatasetTable
from archive.importexport.references import ReferenceIndex
from archive.models import (
    AlternativeName,
)

EXPORT_CHUNK = 2000


class ImportResult(Result):
    """What the admin shows of an import: the summary, a preview, the errors grouped by
    column and value, and the rows set aside."""

    def __init__(self, outcome, resource):
        super().__init__()
        self.outcome = outcome
        self.diff_headers = ["row", resource.name_field, "changes"]
        self.totals[RowResult.IMPORT_TYPE_NEW] = outcome.created
        self.totals[RowResult.IMPORT_TYPE_UPDATE] = outcome.updated
        self.totals[RowResult.IMPORT_TYPE_SKIP] = outcome.unchanged
        self.total_rows = outcome.created + outcome.updated + outcome.unchanged
        for preview in outcome.preview:
            row = RowResult()
            row.import_type = preview.import_type
            row.diff = [preview.row, preview.label, ", ".join(preview.changes)]
            row.object_repr = preview.label
            self.append_row_result(row)

    def has_validation_errors(self):
        """Whether the import writes nothing; rows set aside alone do not stop it."""
        return self.outcome.failed


class ArchiveResource(resources.ModelResource):
    """Columns of one record kind; imports go through :mod:`archive.importexport.importer`."""

    kind = ""  # the name the commands use: documents, events, …

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._references = {}
        self._links = {}
        self._alternative_names = {}

    @property
    def name_field(self):
        return self._meta.model.slug_source

    @classmethod
    def columns(cls):
        return list(cls._meta.fields)

    # Import

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        from archive.importexport.importer import ImportFailed, import_table

        table = dataset if hasattr(dataset, "problems") else DatasetTable(dataset)
        outcome = import_table(
            self,
            table,
            dry_run=dry_run,
            user=kwargs.get("user"),
            set_aside=kwargs.get("set_aside", False),
            rejects=kwargs.get("rejects"),
        )
        if raise_errors and outcome.failed:
            raise ImportFailed(outcome)
        return ImportResult(outcome, self)

    # Export

    def relation_fields(self):
        return [field for field in self.get_export_fields() if isinstance(field, RelationField)]

    def references(self, model):
        """The name index of ``model``, built once per import or export."""
        if model not in self._references:
            self._references[model] = ReferenceIndex(model)
        return self._references[model]

    def iter_queryset(self, queryset):
        """Records in primary-key order, a chunk at a time, with their links fetched per
        chunk in one query per relation (not one per record and relation)."""
        queryset = queryset.order_by("pk")
        last = 0
        while True:
            chunk = list(queryset.filter(pk__gt=last)[:EXPORT_CHUNK])
            if not chunk:
                return
            self._load_related([record.pk for record in chunk])
            yield from chunk
            last = chunk[-1].pk

    def _load_related(self, pks):
        for field in self.relation_fields():
            self.references(field.link.target_model)
            self._links[field.column_name] = field.link.current(pks)
        if "alternative_names" in self.fields:
            self._alternative_names = {}
            names = (
                AlternativeName.objects.filter(
                    content_type=ContentType.objects.get_for_model(self._meta.model),
                    object_id__in=pks,
                )
                .order_by("name", "pk")
                .values_list("object_id", "name")
            )
            for pk, name in names:
                self._alternative_names.setdefault(pk, []).append(name)

    def export_field(self, field, instance, **kwargs):
        if isinstance(field, RelationField):
            return field.widget.render(
                self._links[field.column_name].get(instance.pk, []),
                references=self.references(field.link.target_model),
            )
        if isinstance(field, AlternativeNamesField):
            return field.widget.render(self._alternative_names.get(instance.pk, []))
        return super().export_field(field, instance, **kwargs)

    def export_rows(self, queryset=None):
        """The header, then each record's cells: what ``export_csv`` streams to a file."""
        yield self.get_export_headers()
        fields = self.get_export_fields()
        queryset = self.get_queryset() if queryset is None else queryset
        for record in self.iter_queryset(queryset):
            yield [self.export_field(field, record) for field in fields]


def resource_class(kind):
    """The CSV resource of a kind (:mod:`archive.kinds`): its columns, in order, each of
    the kind its model field says (:func:`archive.importexport.columns.column_for`)."""
    model = kind.model
    attrs = {name: column_for(model, name) for name in kind.csv_columns}
    attrs["kind"] = kind.prefix
    attrs["Meta"] = type(
        "Meta", (), {"model": model, "fields": kind.csv_columns, "export_order": kind.csv_columns}
    )
    return type(f"{model.__name__}Resource", (ArchiveResource,), attrs)


# Every kind with a CSV file, by the name the commands use (documents, events, …), in the
# order its files are best imported.
RESOURCES = {kind.prefix: resource_class(kind) for kind in kinds.in_import_order()}


def resource_for_model(model):
    return next(resource for resource in RESOURCES.values() if resource._meta.model is model)
