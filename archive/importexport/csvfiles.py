"""CSV files as spreadsheets and scripts make them: read any common dialect, write safely.

Reading streams the file line by line, so memory does not grow with its length. Rows are
numbered as a spreadsheet shows them: the header is row 1, and a blank line is a row too.
Lines are numbered as a text editor shows them, for what only lines can say: bytes that are
not text, and a quote that runs on over the lines after it. Where nobody names the
encoding, :func:`choose_encoding` is the rule.
"""

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

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


class CsvProblem:
    """A line of the file that cannot be read as it stands: bytes that are not text in the
    file's encoding, or a quote that runs away with the rows after it."""

    def __init__(self, line, reason):
        self.line = line
        self.reason = reason

    def __str__(self):
        return f"line {self.line}: {self.reason}"


# Said of a line that is not UTF-8 in a file that otherwise is: naming another encoding for
# the whole file would turn its UTF-8 text into mojibake.
MIXED_ENCODING_HINT = (
    " Other lines of this file are UTF-8, so this one is in another encoding (perhaps "
    "pasted from a Windows-1252 file): retype its accented letters, keeping the file UTF-8."
)

QUOTE_ADVICE = (
    'Close the quote where the cell ends; a quote inside a quoted cell is written twice ("").'
)

# How many values of a file whose encoding was guessed are kept to show the editor.
SAMPLE_VALUES = 5


class CsvTable:
    """The header and numbered rows of a CSV file given as lines of bytes.

    ``problems`` collects what cannot be read, with its line, as it is met: decoding goes
    on (with replacement characters) so that every such line is reported, and a row whose
    quote runs away with the lines after it is reported and left out.

    ``encoding_guessed`` says nobody named the encoding and the file is not UTF-8 (see
    :func:`choose_encoding`); then ``sample`` holds the first few values with characters
    outside ASCII as read, as (row, column, value), for the editor to check.
    """

    def __init__(self, lines: Iterable[bytes], encoding="utf-8", hint="", guessed=False):
        self.encoding = codecs.lookup(encoding).name
        self.encoding_guessed = guessed
        self.sample: list[tuple[int, str, str]] = []
        self.hint = hint
        self.problems: list[CsvProblem] = []
        self.bytes_read = 0
        self.delimiter = ","
        self._lines = iter(lines)
        self._utf8_text_seen = False  # a line of UTF-8 beyond ASCII has been read
        self._line_number = 0
        self._row_lines: list[str] = []  # the lines of the record being read
        self._reader = None
        self.header = self._read_header()

    @classmethod
    def from_bytes(cls, data: bytes):
        """A whole file whose encoding nobody named (an upload in the admin), read by the
        rule of :func:`choose_encoding`."""
        encoding, guessed = choose_encoding(data)
        hint = "" if guessed else MIXED_ENCODING_HINT
        return cls(io.BytesIO(data), encoding=encoding, hint=hint, guessed=guessed)

    def _decoded(self) -> Iterator[str]:
        for number, raw in enumerate(self._lines, 1):
            self.bytes_read += len(raw)
            self._line_number = number
            if number == 1:
                if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                    self.problems.append(
                        CsvProblem(1, "the file is UTF-16; save it as “CSV UTF-8” instead.")
                    )
                    return
                if self.encoding == "utf-8" and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
                    self._utf8_text_seen = True  # the mark says the file is UTF-8
            try:
                line = raw.decode(self.encoding)
            except UnicodeDecodeError as error:
                byte = raw[error.start]
                utf8 = self.encoding == "utf-8"
                hint = MIXED_ENCODING_HINT if utf8 and self._utf8_text_seen else self.hint
                self.problems.append(
                    CsvProblem(
                        number,
                        f"byte 0x{byte:02x} at position {error.start + 1} is not "
                        f"{'UTF-8' if utf8 else self.encoding} text.{hint}",
                    )
                )
                line = raw.decode(self.encoding, errors="replace")
            else:
                if not self._utf8_text_seen and self.encoding == "utf-8":
                    self._utf8_text_seen = not raw.isascii()
            self._row_lines.append(line)
            yield line

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
            self.problems.append(CsvProblem(1, f"the header cannot be read as CSV: {error}"))
            return None
        finally:
            self._row_lines = []

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
                    CsvProblem(self._reader.line_num, f"the file cannot be read as CSV: {error}")
                )
                return
            lines, self._row_lines = self._row_lines, []
            if len(lines) > 1 and not self._quotes_hold(number, cells, lines):
                continue  # reported; its cells are other rows run together
            if self.encoding_guessed and len(self.sample) < SAMPLE_VALUES:
                self._add_to_sample(number, cells)
            yield number, cells

    # A quoted cell may hold line breaks, so a quote that is never closed reads every line
    # after it into one cell, silently. A record that spans lines is therefore checked:
    # each of its cells that runs past a line's end must close its quote where a cell can
    # end (before a delimiter or the line's end), leave the row with the header's number of
    # cells, and not have swallowed lines that are each a row of the header's width.

    def _quotes_hold(self, number, cells, lines):
        """Whether every quoted cell of a record that spans ``lines`` really spans them; the
        first that does not is reported, on the line its quote opens on."""
        first = self._line_number - len(lines) + 1
        width = len(self.header)
        for cell in _cells_across_lines(lines, self.delimiter):
            opened = first + cell.opened
            where = f"row {number}, column {self._column_name(cell.index)}: the quote opened here"
            if cell.closed is None:
                span, were = _lines_span(opened + 1, first + len(lines) - 1)
                reason = f"{where} is never closed, so {span} {were} read into this one cell."
            else:
                later = cell.closed - cell.opened
                closes = (
                    f"{where} closes {later} line{'s' if later != 1 else ''} later, "
                    f"on line {first + cell.closed}"
                )
                span, were = _lines_span(opened + 1, first + cell.closed)
                if cell.after is not None:
                    reason = (
                        f"{closes}, where it is followed by “{cell.after}” rather than by a "
                        f"delimiter or the end of the line, so {span} {were} read into this "
                        "one cell."
                    )
                elif len(cells) != width:
                    reason = (
                        f"{closes}, and the row then has {len(cells)} cells where the header "
                        f"names {width} columns, so {span} {were} read into this one cell."
                    )
                elif _all_rows(lines[cell.opened + 1 : cell.closed], self.delimiter, width):
                    reason = (
                        f"{closes}, so {span}, which look like rows of their own, {were} read "
                        "into this one cell."
                    )
                else:
                    continue  # a cell that really spans lines
            self.problems.append(CsvProblem(opened, f"{reason} {QUOTE_ADVICE}"))
            return False
        return True

    def _column_name(self, index):
        if index < len(self.header) and self.header[index].strip():
            return self.header[index].strip()
        return str(index + 1)

    def _add_to_sample(self, number, cells):
        for index, cell in enumerate(cells):
            if not cell.isascii() and len(self.sample) < SAMPLE_VALUES:
                self.sample.append((number, self._column_name(index), cell.strip()))


@dataclass
class _QuotedCell:
    index: int  # the cell's position in its row
    opened: int  # the line of its opening quote, counted from the record's first line (0)
    closed: int | None = None  # the line of its closing quote; None if never closed
    after: str | None = None  # what follows a closing quote where a cell cannot end


def _cells_across_lines(lines, delimiter):
    """The quoted cells of one record (its lines) whose quotes do not close on the line
    they open on, read by the csv module's rules: a doubled quote inside a quoted cell is
    a quote; a quote inside an unquoted cell is text."""
    ends_cell = re.compile(rf"[ \t]*(?:{re.escape(delimiter)}|\r?\n|\r|$)")
    found, index, state, cell = [], 0, _START, None
    for number, line in enumerate(lines):
        position, length = 0, len(line)
        while position < length:
            if state == _QUOTED:  # on to the next quote, which closes the cell or is doubled
                position = line.find('"', position)
                if position < 0:
                    break  # the cell goes on into the next line
                state = _QUOTE
            elif state == _UNQUOTED:  # on to the cell's end
                position = line.find(delimiter, position)
                if position < 0:
                    break  # the record ends with the line
                index, state = index + 1, _START
            else:
                char = line[position]
                if state == _START:
                    if char == '"':
                        state, cell = _QUOTED, _QuotedCell(index, number)
                    elif char == delimiter:
                        index += 1
                    elif char not in "\r\n":
                        state = _UNQUOTED
                elif char == '"':  # a quote after a quote inside a quoted cell: doubled
                    state = _QUOTED
                else:  # the quote before this character closed the cell
                    if number > cell.opened:
                        cell.closed = number
                        if not ends_cell.match(line, position):
                            cell.after = line[position:].lstrip(" \t")[:1]
                        found.append(cell)
                    if char == delimiter:
                        index, state = index + 1, _START
                    else:
                        state = _START if char in "\r\n" else _UNQUOTED
            position += 1
    if state == _QUOTE and len(lines) - 1 > cell.opened:  # closed at the very end
        cell.closed = len(lines) - 1
        found.append(cell)
    elif state == _QUOTED:
        found.append(cell)  # never closed
    return found


_START, _UNQUOTED, _QUOTED, _QUOTE = range(4)


def _lines_span(first, last):
    return (f"line {first}", "was") if first == last else (f"lines {first}–{last}", "were")


def _all_rows(lines, delimiter, width):
    """Whether lines that a quoted cell swallowed whole are each, read alone, a row of
    ``width`` cells (blank lines aside). Prose in a multi-line cell may have as many commas,
    but puts a space after them, and written cells seldom start with one. Where the header
    has one column, a line without a delimiter says nothing either way."""
    lines = [line for line in lines if line.strip()]
    return width > 1 and bool(lines) and all(_is_row(line, delimiter, width) for line in lines)


def _is_row(line, delimiter, width):
    cells = next(csv.reader([line], delimiter=delimiter), [])
    if len(cells) != width:
        return False
    spaced = sum(1 for cell in cells[1:] if cell[:1].isspace())
    return spaced * 2 < width - 1


def _chain(first, rest):
    yield first
    yield from rest


class DatasetTable:
    """A tablib Dataset (from another import format) seen as a table of numbered rows."""

    def __init__(self, dataset):
        self.encoding = None
        self.encoding_guessed = False
        self.sample = []
        self.problems = []
        self.bytes_read = 0
        self.header = list(dataset.headers) if dataset.headers else None
        self._dataset = dataset

    def __iter__(self):
        for number, row in enumerate(self._dataset, 2):
            yield number, ["" if cell is None else str(cell) for cell in row]


def choose_encoding(data: bytes):
    """The encoding of a file nobody named (an upload in the admin), and whether it is a
    guess: ``(encoding, guessed)``.

    A file is UTF-8 when it decodes as UTF-8 or starts with the UTF-8 byte order mark, and
    also when at least as many of its lines with characters outside ASCII are UTF-8 as are
    not: it is a UTF-8 file with lines in another encoding pasted in, and those lines are
    reported (as the command line reports them) rather than the whole file read in an
    encoding that turns its UTF-8 text into mojibake. A file that is not UTF-8 is guessed
    to be Windows-1252 (Excel's “CSV” on Windows), else Latin-1, which reads any byte; the
    admin shows the editor what it reads before anything is written.
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8", False
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8", False
    utf8_lines = other_lines = 0
    for line in io.BytesIO(data):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other_lines += 1
        else:
            utf8_lines += 1
    if utf8_lines >= other_lines:
        return "utf-8", False
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1", True
    return "cp1252", True


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
