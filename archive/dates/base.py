"""What a parse returns, the errors it raises, and the calendar every form is checked by."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.db import models


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


class Unreadable(DateError):
    """No form of the grammar matches the text (rather than a form that matched with an
    impossible value): the grammar may still read a larger text another way."""


def unreadable(text: str) -> Unreadable:
    return Unreadable(
        f"“{text}” is not a date the archive can read. Try 1939-08-23, 23 August 1939, "
        "August 1939, 1939, c. 1922, 1930s, 1925–1933, before 1922 or n.d."
    )


@dataclass(frozen=True)
class HistoricalDate:
    """What the archive derives from one typed date.

    ``ambiguous_with`` is the other reading of a text that standards and catalogues read
    differently ("1905-06": June 1905 in ISO 8601 and EDTF, the years 1905–1906 in many
    catalogues), written out ("1905–1906", "June 1905"); None when the text has one reading.
    """

    text: str
    earliest: date | None
    latest: date | None
    precision: str
    approximate: bool = False
    uncertain: bool = False
    ambiguous_with: str | None = None

    @property
    def is_undated(self) -> bool:
        return self.precision == Precision.UNDATED

    @property
    def year(self) -> int | None:
        """The year the date starts in (ends in, when open at the start); None if undated."""
        day = self.earliest or self.latest
        return day.year if day else None


class Reading(NamedTuple):
    """A HistoricalDate without its text: what one part of a text was read as."""

    earliest: date | None
    latest: date | None
    precision: str
    approximate: bool = False
    uncertain: bool = False
    ambiguous_with: str | None = None

    def flagged(self, approximate: bool = False, uncertain: bool = False) -> Reading:
        if (approximate and not self.approximate) or (uncertain and not self.uncertain):
            return self._replace(
                approximate=self.approximate or approximate,
                uncertain=self.uncertain or uncertain,
            )
        return self


# Meteorological seasons of the northern hemisphere, where the collections we serve were
# made; EDTF codes 21–24 mean the same seasons.
SEASONS = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "winter": (12, 2),
}

# Parts of a decade or century: "early 1930s" is 1930–1933, "mid" 1934–1936, "late" 1937–1939.
PARTS = {"early": (0.0, 0.4), "mid": (0.4, 0.7), "late": (0.7, 1.0)}


def check_year(year: int) -> int:
    if not 1 <= year <= 9999:
        raise DateError(f"the year {year} is outside the years the archive can store (1–9999).")
    return year


def check_month(number: int, text: str) -> int:
    if not 1 <= number <= 12:
        raise DateError(f"“{text}” has month {number:02d}; months run from 01 to 12.")
    return number


def day(year: int, month_number: int, day_number: int) -> date:
    year = check_year(year)
    days_in_month = calendar.monthrange(year, month_number)[1]
    if not 1 <= day_number <= days_in_month:
        raise DateError(
            f"{calendar.month_name[month_number]} {year} has {days_in_month} days, so day "
            f"{day_number} never existed."
        )
    return date(year, month_number, day_number)


def month(year: int, month_number: int) -> tuple[date, date]:
    year = check_year(year)
    last = calendar.monthrange(year, month_number)[1]
    return date(year, month_number, 1), date(year, month_number, last)


def season(year: int, name: str) -> tuple[date, date]:
    first_month, last_month = SEASONS[name]
    start, _ = month(year, first_month)
    # Winter runs from December into the next year's February.
    _, end = month(year + 1 if last_month < first_month else year, last_month)
    return start, end


def years(first: int, last: int) -> tuple[date, date]:
    return date(check_year(first), 1, 1), date(check_year(last), 12, 31)


def part(start_year: int, span: int, name: str | None) -> tuple[date, date]:
    low, high = PARTS.get((name or "").lower(), (0.0, 1.0))
    return years(start_year + round(span * low), start_year + round(span * high) - 1)
