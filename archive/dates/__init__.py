"""Historical dates: the text an editor types -> the days it may mean.

An editor types what is known ("23 August 1939", "c. 1922", "early 1930s",
"between 1925 and 1933", "1922~", "n.d."), and a museum's catalogue what it knows
("c.1806–10", "published 1858–60", "1978, printed 2005", "1786 or 1800"). The archive
keeps that text for display and derives, for filtering and sorting, the earliest and
latest possible day, the precision and whether the date is approximate or uncertain.

The grammar (``grammar``) reads the English and catalogue forms, the common EDTF strings
(``edtf_strings``) with regular expressions, and hands the rest of the Library of
Congress Extended Date/Time Format to the maintained ``edtf`` parser, which costs
milliseconds a string. Its natural-language converter is not used: it drops qualifiers
("early 1930s" becomes the whole decade), misreads en-dash ranges and cannot say *why*
"31 February 1939" is wrong. Bounds are the strict bounds of what was typed;
``approximate`` and ``uncertain`` flag that the truth may lie outside.

Parsing is a pure function of the text and its result immutable, so results (and
refusals) are memoised: a collection repeats its dates.
"""

from __future__ import annotations

from functools import lru_cache

from archive.dates.base import DateError, HistoricalDate, Precision
from archive.dates.grammar import read

__all__ = ["DateError", "HistoricalDate", "Precision", "parse"]


def parse(text: str | None, *, hyphen_years: bool = False) -> HistoricalDate:
    """Read a typed historical date; raise DateError with a reason an editor can act on.

    ``hyphen_years`` reads a hyphen between a year and two digits that could be a month
    ("1905-06") as years (1905–1906), as many catalogues write them, rather than as ISO
    8601's month (June 1905); either way the other reading is in ``ambiguous_with``.
    """
    result = _parse(text or "", hyphen_years)
    if isinstance(result, _Refusal):
        raise result.kind(result.message)
    return result


class _Refusal:
    """A DateError remembered: raised anew on each call, so no traceback is shared."""

    __slots__ = ("kind", "message")

    def __init__(self, error: DateError):
        self.kind, self.message = type(error), str(error)


@lru_cache(maxsize=1 << 16)
def _parse(text: str, hyphen_years: bool) -> HistoricalDate | _Refusal:
    typed = text.strip()
    try:
        reading = read(typed, hyphen_years)
    except DateError as error:
        return _Refusal(error)
    if reading is None:
        return HistoricalDate(typed, None, None, Precision.UNDATED)
    return HistoricalDate(typed, *reading)


parse.cache_clear = _parse.cache_clear  # type: ignore[attr-defined]
parse.cache_info = _parse.cache_info  # type: ignore[attr-defined]
