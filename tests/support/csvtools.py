"""Running the CSV commands as an editor would, on real files."""

import io
from dataclasses import dataclass

from django.core.management import CommandError, call_command

from archive import kinds, models
from archive.importexport.columns import link_of

KINDS_IN_IMPORT_ORDER = [kind.prefix for kind in kinds.in_import_order()]


@dataclass
class Run:
    ok: bool
    stdout: str
    stderr: str

    @property
    def errors(self):
        return [line for line in self.stderr.splitlines() if line]

    @property
    def last_line(self):
        return self.stdout.strip().splitlines()[-1]


def write(tmp_path, text, name="import.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def import_csv(kind, path, *args):
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("import_csv", kind, str(path), *args, stdout=stdout, stderr=stderr)
    except CommandError as error:
        return Run(False, stdout.getvalue(), stderr.getvalue() + f"CommandError: {error}\n")
    return Run(True, stdout.getvalue(), stderr.getvalue())


def export_csv(kind, path=None):
    """The exported file's bytes (to ``path``), or the text written to standard output."""
    stdout, stderr = io.StringIO(), io.StringIO()
    if path is None:
        call_command("export_csv", kind, stdout=stdout, stderr=stderr)
        return stdout.getvalue()
    call_command("export_csv", kind, "-o", str(path), stdout=stdout, stderr=stderr)
    return path.read_bytes()


def archive_state():
    """Everything an import can write, to show that a failed one wrote nothing."""
    return {
        model.__name__: sorted(model.objects.values_list(flat=False)) for model in written_models()
    }


def written_models():
    """Every kind with a CSV file, its alternative names, and every link table its
    columns write (people with roles, places, topics, events named by documents…)."""
    models_ = [models.AlternativeName]
    for kind in kinds.with_csv():
        models_.append(kind.model)
        for column in kind.csv_relations():
            models_.append(link_of(kind.model, column).through)
    return list(dict.fromkeys(models_))
