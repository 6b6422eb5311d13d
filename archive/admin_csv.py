"""CSV import and export buttons in the admin, on django-import-export's views.

The library supplies the upload, preview-and-confirm and download steps and the
permission checks; the columns come from :mod:`archive.resources` and the import itself
from :mod:`archive.importing` (all or nothing, every error listed), exactly as on the
command line.
"""

import io

from django.contrib import messages
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV

from .csvfiles import CsvTable, csv_bytes, guess_encoding
from .resources import resource_for_model


class SpreadsheetCSV(CSV):
    """CSV read as bytes, so that the importer can find the encoding and delimiter and
    name the line of any problem; written with formulas escaped and a BOM for Excel."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, str):
            in_stream = in_stream.encode("utf-8")
        return CsvTable(io.BytesIO(in_stream), encoding=guess_encoding(in_stream))

    def export_data(self, dataset, **kwargs):
        return csv_bytes(dataset.headers, dataset)


class CsvImportExportMixin(ImportExportMixin):
    """Import and export buttons for a record kind; needs the kind's import or export
    permission (settings.IMPORT_EXPORT_*_PERMISSION_CODE), else the views answer 403."""

    import_template_name = "admin/archive/csv_import.html"

    def get_resource_classes(self, request):
        return [resource_for_model(self.model)]

    def get_import_formats(self):
        return [SpreadsheetCSV]

    def get_export_formats(self):
        return [SpreadsheetCSV]

    def write_to_tmp_storage(self, import_file, input_format):
        # The library gathers the upload with `data += chunk`, which copies the whole file
        # once per chunk: minutes for a file of a few hundred megabytes. Join it once.
        tmp_storage = self.get_tmp_storage_class()(
            encoding=None, read_mode="rb", **self.get_tmp_storage_class_kwargs()
        )
        tmp_storage.save(b"".join(import_file.chunks()))
        return tmp_storage

    def generate_log_entries(self, result, request):
        # The import pipeline has already written each record's history entry, in the
        # same transaction as the records.
        pass

    def add_success_message(self, result, request):
        messages.success(request, f"Import finished: {result.outcome.summary}.")
