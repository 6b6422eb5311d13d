"""What an import did or would do, and every problem it found, said the way a
spreadsheet user finds it."""

from dataclasses import dataclass, field


@dataclass
class RowError:
    """One problem in a file, said the way a spreadsheet user finds it."""

    reason: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    line: int | None = None

    def __str__(self):
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        if self.value is not None:
            where.append(f'value "{_shorten(self.value)}"')
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


def _shorten(value, limit=80):
    value = " ".join(value.split()) if "\n" in value or "\r" in value else value
    return value if len(value) <= limit else value[: limit - 1] + "…"


# The rows an import preview shows.
PREVIEW_ROWS = 100


@dataclass
class PreviewRow:
    row: int
    import_type: str  # "new", "update" or "skip", as django-import-export names them
    label: str
    changes: list


@dataclass
class ImportOutcome:
    """What an import did, or on a dry run would do, and every error it found."""

    kind: str
    dry_run: bool = False
    encoding: str | None = None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)
    preview: list = field(default_factory=list)

    @property
    def summary(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


class ImportFailed(Exception):
    def __init__(self, outcome):
        super().__init__(f"{len(outcome.errors)} errors; nothing was imported.")
        self.outcome = outcome
