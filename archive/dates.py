"""Historical dates: the text an editor types -> the days it may mean.

An editor types what is known ("23 August 1939", "c. 1922", "early 1930s",
"between 1925 and 1933", "1922~", "n.d."). The archive keeps that text for display and
derives, for filtering and sorting, the earliest and latest possible day, the precision
and whether the date is approximate or uncertain.

Strings in the Library of Congress Extended Date/Time Format (EDTF) are handed to the
maintained ``edtf`` parser. It also ships a natural-language converter, but that one
drops qualifiers ("early 1930s" becomes the whole decade), misreads en-dash ranges and
cannot say *why* "31 February 1939" is wrong, so the English forms archivists use are
read here and then checked by the same calendar rules. Bounds are the strict bounds of
what was typed; ``approximate`` and ``uncertain`` flag that the truth may lie outside.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from edtf import EDTFParseException, parse_edtf, struct_time_to_date


class Precision(models.TextChoices):
    """How finely a historical date is known."""

    DAY = "day", "day"
    MONTH = "month", "month"
    SEASON = "season", "season"
    YEAR = "year", "year"
    DECADE = "decade", "decade"
    CENTURY = "century", "century"
    RANGE = "range", "range"
    UNDATED = "undated", "undated"


class DateError(ValueError):
    """The text is not a date the archive can read, or names a day that never existed."""


@dataclass(frozen=True)
class HistoricalDate:
    """What the archive derives from one typed date."""

    text: str
    earliest: date | None
    latest: date | None
    precision: str
    approximate: bool = False
    uncertain: bool = False

    @property
    def is_undated(self) -> bool:
        return self.precision == Precision.UNDATED

    @property
    def year(self) -> int | None:
        """The year the date starts in (ends in, when open at the start); None if undated."""
        day = self.earliest or self.latest
        return day.year if day else None


MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        calendar.month_name[number].lower(),
        calendar.month_abbr[number].lower(),
    )
}
MONTHS["sept"] = 9
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))

# Meteorological seasons of the northern hemisphere, where the collections we serve were
# made; EDTF codes 21–24 mean the same seasons.
SEASONS = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "winter": (12, 2),
}
EDTF_SEASONS = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}

# Parts of a decade or century: "early 1930s" is 1930–1933, "mid" 1934–1936, "late" 1937–1939.
PARTS = {"early": (0.0, 0.4), "mid": (0.4, 0.7), "late": (0.7, 1.0)}

NO_DATE = {"", "n.d.", "n. d.", "nd", "n.d", "s.d.", "no date", "undated", "unknown", "?"}
APPROXIMATE_PREFIX = re.compile(
    r"^(?:c\.|ca\.?|circa|about|approx\.?|approximately|around)\s*", re.IGNORECASE
)
ORDINAL = r"(?:st|nd|rd|th)?"

DAY_MONTH_YEAR = re.compile(
    rf"^(\d{{1,2}}){ORDINAL}\s+({MONTH_PATTERN})\.?,?\s+(\d{{3,4}})$", re.IGNORECASE
)
MONTH_DAY_YEAR = re.compile(
    rf"^({MONTH_PATTERN})\.?\s+(\d{{1,2}}){ORDINAL},?\s+(\d{{3,4}})$", re.IGNORECASE
)
MONTH_YEAR = re.compile(rf"^({MONTH_PATTERN})\.?,?\s+(\d{{3,4}})$", re.IGNORECASE)
SEASON_YEAR = re.compile(rf"^({'|'.join(SEASONS)})\s+(\d{{3,4}})$", re.IGNORECASE)
YEAR = re.compile(r"^(\d{3,4})$")
DECADE = re.compile(r"^(?:(early|mid|late)[\s-]+)?(\d{2,3})0'?s$", re.IGNORECASE)
CENTURY = re.compile(
    rf"^(?:(early|mid|late)[\s-]+)?(\d{{1,2}}){ORDINAL}[\s-]+(?:century|cent\.|c\.)$",
    re.IGNORECASE,
)
EDTF_LIKE = re.compile(r"^[\dXx?~%/.\-]+$")
ABBREVIATED_YEAR_RANGE = re.compile(r"^(\d{4})\s*-\s*(\d{2})$")
YEAR_RANGE = re.compile(r"^(\d{3,4})\s*-\s*(\d{3,4})$")
BETWEEN = re.compile(r"^between\s+(.+?)\s+and\s+(.+)$", re.IGNORECASE)
FROM_TO = re.compile(r"^(?:from\s+)?(.+?)\s+(?:to|until|till)\s+(.+)$", re.IGNORECASE)
SPACED_DASH = re.compile(r"^(.+?)\s+-\s+(.+)$", re.IGNORECASE)
BEFORE = re.compile(r"^before\s+(.+)$", re.IGNORECASE)
AFTER = re.compile(r"^after\s+(.+)$", re.IGNORECASE)


def parse(text: str | None) -> HistoricalDate:
    """Read a typed historical date; raise DateError with a reason an editor can act on."""
    original = (text or "").strip()
    cleaned = " ".join(original.replace("\u2013", "-").replace("\u2014", "-").split())
    if cleaned.lower() in NO_DATE:
        return HistoricalDate(original, None, None, Precision.UNDATED)

    approximate = False
    uncertain = False
    if match := APPROXIMATE_PREFIX.match(cleaned):
        approximate = True
        cleaned = cleaned[match.end() :]
    if cleaned.endswith("?") and not EDTF_LIKE.match(cleaned):
        uncertain = True
        cleaned = cleaned[:-1].rstrip()

    earliest, latest, precision, edtf_approximate, edtf_uncertain = _parse_expression(cleaned)
    return HistoricalDate(
        original,
        earliest,
        latest,
        precision,
        approximate or edtf_approximate,
        uncertain or edtf_uncertain,
    )


def _parse_expression(text: str):
    """Bounds, precision and EDTF qualifiers of a date or range without a leading qualifier."""
    if match := BEFORE.match(text):
        earliest, _, _ = _single(match[1])
        return None, earliest - timedelta(days=1), Precision.RANGE, False, False
    if match := AFTER.match(text):
        _, latest, _ = _single(match[1])
        return latest + timedelta(days=1), None, Precision.RANGE, False, False
    if match := ABBREVIATED_YEAR_RANGE.match(text):
        start, end_digits = int(match[1]), int(match[2])
        end = start // 100 * 100 + end_digits
        # "1939-08" is a month and "1925-33" the years 1925 to 1933. Anything else that is
        # not a forward range ("1939-21", spring 1939; "1939-13") is EDTF's to read or refuse.
        if end_digits > 12 and end > start:
            return (*_range(match[1], str(end)), False, False)
    if match := YEAR_RANGE.match(text):
        return (*_range(match[1], match[2]), False, False)
    for pattern in (BETWEEN, FROM_TO, SPACED_DASH):
        if match := pattern.match(text):
            return (*_range(match[1], match[2]), False, False)
    if EDTF_LIKE.match(text) and not YEAR.match(text):
        return _parse_edtf(text)
    return (*_single(text), False, False)


def _range(start_text: str, end_text: str):
    start_earliest, _, _ = _single(start_text.strip())
    _, end_latest, _ = _single(end_text.strip())
    if end_latest < start_earliest:
        raise DateError(
            f"the range ends ({end_text.strip()}) before it begins ({start_text.strip()})."
        )
    return start_earliest, end_latest, Precision.RANGE


def _single(text: str) -> tuple[date, date, str]:
    """Bounds and precision of one date expression (no ranges, no qualifiers)."""
    if match := DAY_MONTH_YEAR.match(text):
        day = _day(int(match[3]), MONTHS[match[2].lower()], int(match[1]))
        return day, day, Precision.DAY
    if match := MONTH_DAY_YEAR.match(text):
        day = _day(int(match[3]), MONTHS[match[1].lower()], int(match[2]))
        return day, day, Precision.DAY
    if match := MONTH_YEAR.match(text):
        return (*_month(int(match[2]), MONTHS[match[1].lower()]), Precision.MONTH)
    if match := SEASON_YEAR.match(text):
        return (*_season(int(match[2]), match[1].lower()), Precision.SEASON)
    if match := YEAR.match(text):
        year = _year(int(match[1]))
        return date(year, 1, 1), date(year, 12, 31), Precision.YEAR
    if match := DECADE.match(text):
        start = _year(int(match[2]) * 10)
        return (*_part(start, 10, match[1]), Precision.DECADE if not match[1] else Precision.RANGE)
    if match := CENTURY.match(text):
        number = int(match[2])
        if number < 1:
            raise DateError("centuries are counted from the 1st.")
        start = _year(max((number - 1) * 100, 1))
        return (
            *_part(start, 100, match[1]),
            Precision.CENTURY if not match[1] else Precision.RANGE,
        )
    if EDTF_LIKE.match(text):
        earliest, latest, precision, *_ = _parse_edtf(text)
        if earliest is None or latest is None:
            raise DateError(f"“{text}” is open-ended; write it as “before …” or “after …”.")
        return earliest, latest, precision
    raise _unreadable(text)


def _unreadable(text: str) -> DateError:
    return DateError(
        f"“{text}” is not a date the archive can read. Try 1939-08-23, 23 August 1939, "
        "August 1939, 1939, c. 1922, 1930s, 1925–1933, before 1922 or n.d."
    )


def _year(year: int) -> int:
    if not 1 <= year <= 9999:
        raise DateError(f"the year {year} is outside the years the archive can store (1–9999).")
    return year


def _day(year: int, month: int, day: int) -> date:
    year = _year(year)
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        raise DateError(
            f"{calendar.month_name[month]} {year} has {days_in_month} days, so day {day} "
            "never existed."
        )
    return date(year, month, day)


def _month(year: int, month: int) -> tuple[date, date]:
    year = _year(year)
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _season(year: int, season: str) -> tuple[date, date]:
    first_month, last_month = SEASONS[season]
    start, _ = _month(year, first_month)
    # Winter runs from December into the next year's February.
    _, end = _month(year + 1 if last_month < first_month else year, last_month)
    return start, end


def _part(start_year: int, span: int, part: str | None) -> tuple[date, date]:
    low, high = PARTS.get((part or "").lower(), (0.0, 1.0))
    first = start_year + round(span * low)
    last = start_year + round(span * high) - 1
    return date(first, 1, 1), date(_year(last), 12, 31)


def _parse_edtf(text: str):
    """Bounds, precision and qualifiers of an EDTF string, via the ``edtf`` library."""
    text = text.upper()  # EDTF writes unspecified digits as X
    approximate = "~" in text or "%" in text
    uncertain = "?" in text or "%" in text
    if "/" in text:
        start, _, end = text.partition("/")
        if start in {"", ".."} and end in {"", ".."}:
            raise DateError("an interval needs at least one end.")
        if start in {"", ".."}:
            _, latest, _ = _edtf_bounds(end)
            return None, latest, Precision.RANGE, approximate, uncertain
        if end in {"", ".."}:
            earliest, _, _ = _edtf_bounds(start)
            return earliest, None, Precision.RANGE, approximate, uncertain
        earliest, _, _ = _edtf_bounds(start)
        _, latest, _ = _edtf_bounds(end)
        if latest < earliest:
            raise DateError(f"the interval ends ({end}) before it begins ({start}).")
        return earliest, latest, Precision.RANGE, approximate, uncertain
    return (*_edtf_bounds(text), approximate, uncertain)


def _edtf_bounds(text: str) -> tuple[date, date, str]:
    core = text.rstrip("?~%")
    if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", core):
        day = _day(int(match[1]), _month_number(int(match[2]), text), int(match[3]))
        return day, day, Precision.DAY
    if match := re.fullmatch(r"(\d{4})-(\d{2})", core):
        number = int(match[2])
        if number in EDTF_SEASONS:
            return (*_season(int(match[1]), EDTF_SEASONS[number]), Precision.SEASON)
        return (*_month(int(match[1]), _month_number(number, text)), Precision.MONTH)
    try:
        parsed = parse_edtf(text)
        earliest = struct_time_to_date(parsed.lower_strict())
        latest = struct_time_to_date(parsed.upper_strict())
    except (EDTFParseException, ValueError, TypeError) as error:
        raise _unreadable(text) from error
    precision = {
        "decade": Precision.DECADE,
        "century": Precision.CENTURY,
        "year": Precision.YEAR,
        "month": Precision.MONTH,
        "day": Precision.DAY,
    }.get(getattr(parsed, "precision", None), Precision.YEAR)
    return earliest, latest, precision


def _month_number(number: int, text: str) -> int:
    if not 1 <= number <= 12:
        raise DateError(f"“{text}” has month {number:02d}; months run from 01 to 12.")
    return number
