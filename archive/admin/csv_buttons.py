"""CSV import and export buttons in the admin, on django-import-export's views.

The library supplies the upload, preview-and-confirm and download steps and the
permission checks; the columns come from :mod:`archive.importexport.resources` and the import itself
from :mod:`archive.importexport.importer` (all or nothing, every error listed), exactly as on the
command line.
"""

import io
import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV

from archive.importexport.csvfiles import CsvTable, csv_bytes, guess_encoding
from archive.importexport.resources import resource_for_model


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


# The names of the files an editor uploaded and may still confirm, kept in their session.
UPLOADS_SESSION_KEY = "archive_csv_uploads"


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

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if initial:
            name = os.path.basename(initial["import_file_name"])
            uploads = request.session.get(UPLOADS_SESSION_KEY, [])
            request.session[UPLOADS_SESSION_KEY] = [*uploads[-9:], name]
        return initial

    def process_import(self, request, **kwargs):
        # The confirm step names the uploaded file in a hidden field. Only a file this editor
        # uploaded and has not yet imported is read: a tampered or replayed name gets a
        # message, never another file of the temporary folder or a server error.
        if request.method != "POST":
            return super().process_import(request, **kwargs)
        if not self.has_import_permission(request):
            raise PermissionDenied
        name = os.path.basename(request.POST.get("import_file_name", ""))
        uploads = request.session.get(UPLOADS_SESSION_KEY, [])
        storage = self.get_tmp_storage_class()(name=name, **self.get_tmp_storage_class_kwargs())
        if name not in uploads or not os.path.isfile(storage.get_full_path()):
            messages.error(
                request,
                "This import cannot be confirmed: the file is not one you uploaded, or it "
                "was imported or removed already. Upload the file again.",
            )
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_import")
        request.session[UPLOADS_SESSION_KEY] = [upload for upload in uploads if upload != name]
        return super().process_import(request, **kwargs)

    def generate_log_entries(self, result, request):
        # The import pipeline has already written each record's history entry, in the
        # same transaction as the records.
        pass

    def add_success_message(self, result, request):
        messages.success(request, f"Import finished: {result.outcome.summary}.")
