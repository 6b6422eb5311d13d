"""One date in the English an editor types: a day, month, season, year, decade or century.

No ranges and no qualifiers here (archive.dates.grammar reads those around these forms).
"""

from __future__ import annotations

import calendar
import re

from archive.dates.base import SEASONS, DateError, Precision, Reading, day, month, part, season
from archive.dates.base import years as year_bounds

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
# Cheap test that a text may be one of the forms above: a digit, and a letter or an
# apostrophe ("1930's").
MAYBE_ENGLISH = re.compile(r"(?=.*\d).*[A-Za-z']")


def english(text: str) -> Reading | None:
    """The reading of one English date, or None if the text is none of these forms."""
    if match := YEAR.match(text):
        year = int(match[1])
        return Reading(*year_bounds(year, year), Precision.YEAR)
    if not MAYBE_ENGLISH.match(text):
        return None
    if match := DAY_MONTH_YEAR.match(text):
        typed = day(int(match[3]), MONTHS[match[2].lower()], int(match[1]))
        return Reading(typed, typed, Precision.DAY)
    if match := MONTH_DAY_YEAR.match(text):
        typed = day(int(match[3]), MONTHS[match[1].lower()], int(match[2]))
        return Reading(typed, typed, Precision.DAY)
    if match := MONTH_YEAR.match(text):
        return Reading(*month(int(match[2]), MONTHS[match[1].lower()]), Precision.MONTH)
    if match := SEASON_YEAR.match(text):
        return Reading(*season(int(match[2]), match[1].lower()), Precision.SEASON)
    if match := DECADE.match(text):
        start = int(match[2]) * 10
        precision = Precision.DECADE if not match[1] else Precision.RANGE
        return Reading(*part(start, 10, match[1]), precision)
    if match := CENTURY.match(text):
        number = int(match[2])
        if number < 1:
            raise DateError("centuries are counted from the 1st.")
        precision = Precision.CENTURY if not match[1] else Precision.RANGE
        return Reading(*part(max((number - 1) * 100, 1), 100, match[1]), precision)
    return None
