"""CSV files as spreadsheets and scripts make them: read any common dialect, write safely.

Reading streams the file line by line, so memory does not grow with its length. Rows are
numbered as a spreadsheet shows them: the header is row 1, and a blank line is a row too.
"""

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator

# Full-text transcriptions outgrow the csv module's default limit of 128 KB per cell.
csv.field_size_limit(64 * 1024 * 1024)

DELIMITERS = (",", ";", "\t")

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Numbers such as -3.7 or +44 are not formulas; leaving them bare keeps coordinates numeric.
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
# A value that already starts with apostrophes before a formula character is escaped once
# more, so that unescaping always removes exactly the apostrophe export added.
ESCAPED = re.compile(r"'+[=+\-@\t\r]")


def escape_formula(value):
    """Prefix an apostrophe to a cell a spreadsheet would run as a formula."""
    if not value:
        return value
    if value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    if value.startswith("'") and ESCAPED.match(value):
        return "'" + value
    return value


def unescape_formula(value):
    """Undo :func:`escape_formula`: one apostrophe before a formula character goes."""
    if value.startswith("'") and ESCAPED.match(value):
        return value[1:]
    return value


class DecodeProblem:
    """A line whose bytes are not text in the file's encoding."""

    def __init__(self, line, reason):
        self.line = line
        self.reason = reason

    def __str__(self):
        return f"line {self.line}: {self.reason}"


class CsvTable:
    """The header and numbered rows of a CSV file given as lines of bytes.

    ``problems`` collects lines that could not be decoded, as they are met: decoding
    goes on (with replacement characters) so that every such line is reported.
    """

    def __init__(self, lines: Iterable[bytes], encoding="utf-8", hint=""):
        self.encoding = codecs.lookup(encoding).name
        self.hint = hint
        self.problems: list[DecodeProblem] = []
        self.bytes_read = 0
        self.delimiter = ","
        self._lines = iter(lines)
        self._reader = None
        self.header = self._read_header()

    def _decoded(self) -> Iterator[str]:
        for number, raw in enumerate(self._lines, 1):
            self.bytes_read += len(raw)
            if number == 1:
                if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                    self.problems.append(
                        DecodeProblem(1, "the file is UTF-16; save it as “CSV UTF-8” instead.")
                    )
                    return
                if self.encoding == "utf-8" and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield raw.decode(self.encoding)
            except UnicodeDecodeError as error:
                byte = raw[error.start]
                label = "UTF-8" if self.encoding == "utf-8" else self.encoding
                self.problems.append(
                    DecodeProblem(
                        number,
                        f"byte 0x{byte:02x} at position {error.start + 1} is not {label} "
                        f"text.{self.hint}",
                    )
                )
                yield raw.decode(self.encoding, errors="replace")

    def _read_header(self):
        lines = self._decoded()
        first = next(lines, None)
        if first is None or not first.strip():
            return None
        # Column names never contain a delimiter, so the one the header uses most is it.
        counts = {delimiter: first.count(delimiter) for delimiter in DELIMITERS}
        self.delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
        self._reader = csv.reader(_chain(first, lines), delimiter=self.delimiter)
        try:
            return next(self._reader)
        except csv.Error as error:
            self.problems.append(DecodeProblem(1, f"the header cannot be read as CSV: {error}"))
            return None

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        """(spreadsheet row number, cells) for every row after the header."""
        if self._reader is None:
            return
        number = 1
        while True:
            number += 1
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as error:
                self.problems.append(
                    DecodeProblem(self._reader.line_num, f"the file cannot be read as CSV: {error}")
                )
                return
            yield number, cells


def _chain(first, rest):
    yield first
    yield from rest


class DatasetTable:
    """A tablib Dataset (from another import format) seen as a table of numbered rows."""

    def __init__(self, dataset):
        self.encoding = None
        self.problems = []
        self.bytes_read = 0
        self.header = list(dataset.headers) if dataset.headers else None
        self._dataset = dataset

    def __iter__(self):
        for number, row in enumerate(self._dataset, 2):
            yield number, ["" if cell is None else str(cell) for cell in row]


def guess_encoding(data: bytes):
    """UTF-8 if the bytes are UTF-8, else Windows-1252 (Excel's “CSV” on Windows), else
    Latin-1, which reads any byte. Used where nobody can name the encoding (the admin)."""
    for encoding in ("utf-8", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def write_csv(stream, header, rows):
    """Write a header and rows of text cells, escaping formulas, with CRLF line ends."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([escape_formula(cell) for cell in row])


def csv_bytes(header, rows, bom=True):
    """The whole CSV file as UTF-8 bytes; with a BOM so that Excel reads it as UTF-8."""
    buffer = io.StringIO()
    write_csv(buffer, header, rows)
    return (codecs.BOM_UTF8 if bom else b"") + buffer.getvalue().encode("utf-8")
