"""CSV import and export buttons in the admin, on django-import-export's views.

The library supplies the upload, preview-and-confirm and download steps and the
permission checks; the columns come from :mod:`archive.importexport.resources` and the import itself
from :mod:`archive.importexport.importer` (all or nothing, every error listed), exactly as on the
command line. As ``import_csv --rejects`` does, an editor may choose to import the valid rows
and be given the refused ones back as a file (kept in the uploads' folder, named in their
session, and served to them alone).
"""

import contextlib
import functools
import os
import tempfile
import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.signals import post_import
from import_export.tmp_storages import TempFolderStorage

from archive.importexport.csvfiles import CsvTable, csv_bytes
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
        # Nobody names the encoding of an upload: the rule of csvfiles.choose_encoding.
        return CsvTable.from_bytes(in_stream)

    def export_data(self, dataset, **kwargs):
        return csv_bytes(dataset.headers, dataset)


# The names of the files an editor uploaded and may still confirm, kept in their session.
UPLOADS_SESSION_KEY = "archive_csv_uploads"
# The names of the files of rows set aside by an editor's imports, theirs to download.
REJECTS_SESSION_KEY = "archive_csv_rejects"


class CsvUploadStorage(TempFolderStorage):
    """Uploads waiting for their editor to confirm the import, in a folder of their own in
    the system's temporary folder (the library's TempFolderStorage puts them loose among
    every other program's files), so that those nobody will confirm can be found and
    deleted: a refused upload at once, an abandoned one once it is older than
    settings.ARCHIVE_CSV_UPLOAD_MAX_AGE seconds."""

    FOLDER = "archive-csv-imports"

    @classmethod
    def folder(cls):
        return os.path.join(tempfile.gettempdir(), cls.FOLDER)

    def get_full_path(self):
        return os.path.join(self.folder(), os.path.basename(self.name))

    def _open(self, mode="r"):
        if self.name:
            return open(self.get_full_path(), mode, encoding=self.encoding)  # noqa: SIM115
        os.makedirs(self.folder(), mode=0o700, exist_ok=True)
        file = tempfile.NamedTemporaryFile(  # noqa: SIM115 - the library writes and closes it
            dir=self.folder(), prefix="upload-", suffix=".csv", delete=False
        )
        self.name = os.path.basename(file.name)
        return file

    def remove(self):
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.get_full_path())

    @classmethod
    def remove_older_than(cls, seconds):
        """Delete the uploads last written more than ``seconds`` ago."""
        oldest = time.time() - seconds
        with contextlib.suppress(FileNotFoundError), os.scandir(cls.folder()) as entries:
            for entry in entries:
                with contextlib.suppress(OSError):  # gone already, or not a file
                    if entry.is_file() and entry.stat().st_mtime < oldest:
                        os.remove(entry.path)


SET_ASIDE_LABEL = "Import the valid rows and give me the refused ones as a file"
SET_ASIDE_HELP = (
    "Otherwise one wrong row means nothing is imported. The refused rows come back as they "
    "are in your file, with a column saying what is wrong with each: correct them there and "
    "import that file again."
)


class CsvImportForm(ImportForm):
    """The upload form, refusing a file over settings.ARCHIVE_MAX_CSV_UPLOAD_BYTES; the
    editor may ask for the valid rows to be imported and the others set aside."""

    set_aside = forms.BooleanField(required=False, label=SET_ASIDE_LABEL, help_text=SET_ASIDE_HELP)

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.ARCHIVE_MAX_CSV_UPLOAD_BYTES
        if limit and upload.size > limit:
            raise ValidationError(
                f"This file is {filesizeformat(upload.size)}; the admin imports CSV files of "
                f"up to {filesizeformat(limit)}. Split it into smaller files, or import it "
                "with manage.py import_csv."
            )
        return upload


class CsvConfirmImportForm(ConfirmImportForm):
    """The confirm step, carrying the editor's choice to set wrong rows aside."""

    set_aside = forms.BooleanField(required=False, widget=forms.HiddenInput())


@functools.cache
def _import_resource(resource_class):
    """The kind's resource, which also hands the admin's templates what they say about
    reading the file: the encoding if it was guessed, and a sample of what it read."""

    def import_data(self, dataset, *args, **kwargs):
        result = super(resource, self).import_data(dataset, *args, **kwargs)
        guessed = getattr(dataset, "encoding_guessed", False)
        result.guessed_encoding = dataset.encoding if guessed else None
        result.encoding_sample = dataset.sample if guessed else []
        return result

    resource = type(resource_class.__name__, (resource_class,), {"import_data": import_data})
    resource.__module__ = resource_class.__module__
    return resource


class CsvImportExportMixin(ImportExportMixin):
    """Import and export buttons for a record kind; needs the kind's import or export
    permission (settings.IMPORT_EXPORT_*_PERMISSION_CODE), else the views answer 403."""

    import_template_name = "admin/archive/csv_import.html"
    import_outcome_template_name = "admin/archive/csv_import_outcome.html"
    import_form_class = CsvImportForm
    confirm_form_class = CsvConfirmImportForm
    tmp_storage_class = CsvUploadStorage

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "import/set-aside/<str:name>/",
                self.admin_site.admin_view(self.download_rejects),
                name=f"{opts.app_label}_{opts.model_name}_import_rejects",
            ),
            *super().get_urls(),
        ]

    def get_resource_classes(self, request):
        return [resource_for_model(self.model)]

    def get_import_resource_classes(self, request):
        return [_import_resource(resource) for resource in self.get_resource_classes(request)]

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        context["max_upload_bytes"] = settings.ARCHIVE_MAX_CSV_UPLOAD_BYTES
        return context

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

    def import_action(self, request, **kwargs):
        # Every import that starts clears the uploads nobody confirmed in time. An upload
        # the preview refuses (errors, or a file that cannot be read) can never be
        # confirmed: it is deleted as soon as the preview is made, or if making it fails.
        if not self.has_import_permission(request):
            raise PermissionDenied
        storage_class = self.get_tmp_storage_class()
        if hasattr(storage_class, "remove_older_than"):
            storage_class.remove_older_than(settings.ARCHIVE_CSV_UPLOAD_MAX_AGE)
        response = None
        try:
            response = super().import_action(request, **kwargs)
        finally:
            name = getattr(request.FILES.get("import_file"), "tmp_storage_name", None)
            context = getattr(response, "context_data", None) or {}
            if name and not context.get("confirm_form"):
                self._upload(name).remove()
        return response

    def _upload(self, name):
        return self.get_tmp_storage_class()(name=name, **self.get_tmp_storage_class_kwargs())

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if initial:
            name = os.path.basename(initial["import_file_name"])
            uploads = request.session.get(UPLOADS_SESSION_KEY, [])
            request.session[UPLOADS_SESSION_KEY] = [*uploads[-9:], name]
            initial["set_aside"] = import_form.cleaned_data.get("set_aside", False)
        return initial

    def get_import_data_kwargs(self, **kwargs):
        # The preview and the confirmed import both set wrong rows aside if asked to.
        form = kwargs.get("form")
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["set_aside"] = bool(form and form.cleaned_data.get("set_aside"))
        return kwargs

    def process_dataset(self, dataset, form, request, **kwargs):
        """The confirmed import; with rows set aside, they are written to a file in the
        uploads' folder that the editor's session names, for :meth:`download_rejects`."""
        if not form.cleaned_data.get("set_aside"):
            return super().process_dataset(dataset, form, request, **kwargs)
        storage = self._rejects_storage()
        try:
            with open(storage.get_full_path(), "w", encoding="utf-8-sig", newline="") as stream:
                result = super().process_dataset(dataset, form, request, rejects=stream, **kwargs)
        except BaseException:
            storage.remove()
            raise
        outcome = result.outcome
        if outcome.refused and not outcome.file_errors:
            rejects = request.session.get(REJECTS_SESSION_KEY, [])
            request.session[REJECTS_SESSION_KEY] = [*rejects[-9:], storage.name]
            result.rejects_name = storage.name
        else:
            storage.remove()
        return result

    def _rejects_storage(self):
        folder = CsvUploadStorage.folder()
        os.makedirs(folder, mode=0o700, exist_ok=True)
        descriptor, full_path = tempfile.mkstemp(dir=folder, prefix="set-aside-", suffix=".csv")
        os.close(descriptor)
        return self._upload(os.path.basename(full_path))

    def process_result(self, result, request):
        # An import that wrote nothing after all (the database refused it, or the records
        # changed since the preview) says so, with its errors; one that set rows aside
        # shows them, and offers them as a file.
        outcome = result.outcome
        if not outcome.failed and not outcome.refused:
            return super().process_result(result, request)
        if not outcome.failed:
            post_import.send(sender=None, model=self.model)
        opts = self.model._meta
        rejects_name = getattr(result, "rejects_name", None)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import",
            "opts": opts,
            "result": result,
            "rejects_url": rejects_name
            and reverse(
                f"admin:{opts.app_label}_{opts.model_name}_import_rejects",
                args=[rejects_name],
                current_app=self.admin_site.name,
            ),
            "rejects_kept_minutes": settings.ARCHIVE_CSV_UPLOAD_MAX_AGE // 60,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_outcome_template_name], context)

    def download_rejects(self, request, name):
        """The rows an import of this editor's set aside, as a CSV file; to them alone."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        name = os.path.basename(name)
        if name not in request.session.get(REJECTS_SESSION_KEY, []):
            raise Http404("No such file of rows set aside.")
        try:
            stream = open(self._upload(name).get_full_path(), "rb")  # noqa: SIM115
        except FileNotFoundError:
            raise Http404("The file of rows set aside has been removed; import again.") from None
        plural = self.model._meta.verbose_name_plural
        return FileResponse(
            stream,
            as_attachment=True,
            filename=f"{plural}-set-aside.csv",
            content_type="text/csv; charset=utf-8",
        )

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
        storage = self._upload(name)
        if name not in uploads or not os.path.isfile(storage.get_full_path()):
            messages.error(
                request,
                "This import cannot be confirmed: the file is not one you uploaded, or it "
                "was imported or removed already. Upload the file again.",
            )
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_import")
        request.session[UPLOADS_SESSION_KEY] = [upload for upload in uploads if upload != name]
        try:
            return super().process_import(request, **kwargs)
        except BaseException:
            storage.remove()  # no longer confirmable: struck from the session above
            raise

    def generate_log_entries(self, result, request):
        # The import pipeline has already written each record's history entry, in the
        # same transaction as the records.
        pass

    def add_success_message(self, result, request):
        messages.success(request, f"Import finished: {result.outcome.summary}.")
