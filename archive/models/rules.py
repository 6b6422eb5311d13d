"""The rules every write of a record follows, whether one ``save()`` or a bulk CSV import.

A record is written along two paths: the ORM (admin, shell, fixtures), where ``save()``
derives what the editor did not type, and the importer, which writes thousands of rows
with plain SQL and builds no model instance. Each rule is written once, here, as a pure
function of plain values (strings, dates, numbers; no queries, no models), so that both
paths call the same code and a record cannot come out differently by how it arrived.

The callers supply what only they know: ``save()`` reads taken slugs from the database,
the importer keeps them in memory; the model says which dates form a range and what
their labels are.
"""

from collections.abc import Callable, Collection, MutableMapping
from datetime import date

from slugify import slugify

# The columns derived from one historical date, each stored as ``<date field>_<part>``
# (see ``historical_date()`` in archive.models.base), in the order they are written.
DATE_PARTS = ("earliest", "latest", "year", "precision", "approximate", "uncertain")

# A new record starts at this version; every later write raises it by VERSION_STEP.
FIRST_VERSION = 1
VERSION_STEP = 1


def date_columns(name, parsed):
    """The stored columns of the historical date field ``name``, from what
    :func:`archive.dates.parse` made of its text: the text as normalized, then its
    bounds, year, precision and flags.

    >>> from archive import dates
    >>> date_columns("date", dates.parse("August 1939"))["date_latest"]
    datetime.date(1939, 8, 31)
    """
    columns = {name: parsed.text}
    for part in DATE_PARTS:
        columns[f"{name}_{part}"] = getattr(parsed, part)
    return columns


def range_error(
    start_label: str,
    start_earliest: date | None,
    end_label: str,
    end_latest: date | None,
    *,
    start_text: str | None = None,
    end_text: str | None = None,
) -> str | None:
    """Why a date range is wrong (its end comes before its start), or None if it is not.

    Open or undated ends are never wrong: only bounds both known can contradict. The
    sentence is always "<end> comes before <start>". A form shows it beside the end
    field, where the labels say enough ("End date comes before start date."); an import
    points at one cell among many rows, so given the texts it quotes the dates as typed
    ("the end date (1939) comes before the start date (1941).").
    """
    if not (start_earliest and end_latest and end_latest < start_earliest):
        return None
    if start_text is None and end_text is None:
        return f"{end_label.capitalize()} comes before {start_label}."
    return f"the {end_label} ({end_text}) comes before the {start_label} ({start_text})."


def slug_base(text):
    """The slug a title or name gives before a number is added to make it unique."""
    # The backend named, not "auto": auto looks for the optional Unidecode package on
    # every call with non-ASCII text, a file-system search that made slugs most of an
    # import's time. text-unidecode is what auto found here anyway (the same slugs).
    return slugify(str(text or ""), max_length=180, backend="text-unidecode") or "record"


def numbered_slug(
    base: str,
    taken: Collection[str] | Callable[[str], bool],
    memo: MutableMapping[str, int] | None = None,
) -> str:
    """``base`` if it is free, else the first of ``base-2``, ``base-3``, … that is.

    ``taken`` is a collection of slugs in use or a test ``slug -> bool``. ``memo``, if
    given, maps a base to the last number handed out for it, so that a caller giving out
    many slugs of one base (an import of 5,000 "Untitled" rows) does not try 2, 3, …
    again each time; it is only valid while ``taken`` grows and never shrinks, as within
    one import. A base met for the first time and free is not remembered: most titles
    are distinct, and the memo would otherwise hold one entry per row.
    """
    is_taken = taken if callable(taken) else taken.__contains__
    if not is_taken(base):
        return base
    number = memo.get(base, 1) if memo is not None else 1
    slug = base
    while is_taken(slug):
        number += 1
        slug = f"{base}-{number}"
    if memo is not None:
        memo[base] = number
    return slug


def next_version(version):
    """The version a record has after a change to it.

    Every write raises it, so that an edit form opened before someone else's change is
    refused instead of silently overwriting it. Works on a number or on anything that
    adds an integer (``F("version")``, or a column in SQL; see RecordWriter.update).
    """
    return version + VERSION_STEP


def default_sort_name(name):
    """'Vyacheslav Molotov' -> 'Molotov, Vyacheslav': last word first."""
    if not name or not name.split():
        return ""
    *given, last = name.split()
    return f"{last}, {' '.join(given)}" if given else last
