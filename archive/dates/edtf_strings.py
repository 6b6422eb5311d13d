"""Strings in the Library of Congress Extended Date/Time Format (EDTF).

The forms archives meet (a year, month, season or day with a trailing ``?``, ``~`` or
``%``; ``193X`` and ``19XX``; intervals with open ends; sets of those) are read here with
regular expressions. Only the rest of EDTF (a qualifier inside a date, ``156X-12-25``,
``2001-XX``) is handed to the ``edtf`` library, whose parser costs milliseconds a string.
"""

from __future__ import annotations

import re

from edtf import EDTFParseException, parse_edtf, struct_time_to_date

from archive.dates.base import (
    DateError,
    Precision,
    Reading,
    Unreadable,
    check_month,
    day,
    month,
    season,
    unreadable,
    years,
)

# The characters EDTF is written in (an interval's "/", a set's brackets and commas).
EDTF_LIKE = re.compile(r"^[\dXx?~%/.\-\[\]{},]+$")
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([?~%]?)$")
UNSPECIFIED = re.compile(r"^(\d{2})(\d|[Xx])[Xx]([?~%]?)$")  # 193X, 19XX
SEASON_CODES = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}
QUALIFIERS = {"": (False, False), "~": (True, False), "?": (False, True), "%": (True, True)}
OPEN = {"", ".."}
PRECISIONS = {
    "decade": Precision.DECADE,
    "century": Precision.CENTURY,
    "year": Precision.YEAR,
    "month": Precision.MONTH,
    "day": Precision.DAY,
}


def edtf(text: str) -> Reading:
    """The reading of an EDTF string (one that EDTF_LIKE matches); open ends are None."""
    if "/" in text:
        return interval(text)
    if text[0] in "[{":
        return date_set(text)
    if "," in text:  # EDTF has commas only in sets
        raise unreadable(text)
    return one_date(text)


def one_date(text: str) -> Reading:
    """One EDTF date, never open."""
    if match := DATE.match(text):
        year, month_digits, day_digits, qualifier = match.groups()
        flags = QUALIFIERS[qualifier]
        if day_digits:
            typed = day(int(year), check_month(int(month_digits), text), int(day_digits))
            return Reading(typed, typed, Precision.DAY, *flags)
        if month_digits:
            number = int(month_digits)
            if number in SEASON_CODES:
                return Reading(*season(int(year), SEASON_CODES[number]), Precision.SEASON, *flags)
            return Reading(*month(int(year), check_month(number, text)), Precision.MONTH, *flags)
        first, last = year_bounds(int(year), 1)
        return Reading(first, last, Precision.YEAR, *flags)
    if (match := UNSPECIFIED.match(text)) and int(match[1]):
        flags = QUALIFIERS[match[3]]
        if match[2] in "Xx":
            return Reading(*year_bounds(int(match[1]) * 100, 100), Precision.CENTURY, *flags)
        decade = int(match[1] + match[2]) * 10
        return Reading(*year_bounds(decade, 10), Precision.DECADE, *flags)
    if text.isdigit():  # "0", "12345": no year EDTF can write without a "Y"
        raise unreadable(text)
    return library(text)


def year_bounds(first: int, span: int):
    return years(first, first + span - 1)


def interval(text: str) -> Reading:
    start, _, end = text.partition("/")
    if start in OPEN and end in OPEN:
        raise DateError("an interval needs at least one end.")
    first = None if start in OPEN else one_date(start)
    last = None if end in OPEN else one_date(end)
    if first and last and last.latest < first.earliest:
        raise DateError(f"the interval ends ({end}) before it begins ({start}).")
    return Reading(
        first.earliest if first else None,
        last.latest if last else None,
        Precision.RANGE,
        any(side.approximate for side in (first, last) if side),
        any(side.uncertain for side in (first, last) if side),
    )


def date_set(text: str) -> Reading:
    """``[1667,1668]``, one of the dates (so uncertain); ``{1667,1668}``, all of them.
    ``..`` between two members means every date between them."""
    brackets = text[0] + text[-1]
    if brackets not in ("[]", "{}"):
        raise unreadable(text)
    members = []
    try:
        for member in text[1:-1].split(","):
            first, dots, last = member.strip().partition("..")
            members.append(one_date(first))
            if dots:
                members.append(one_date(last))
                if members[-1].latest < members[-2].earliest:
                    raise DateError(f"“{member.strip()}” ends before it begins.")
    except Unreadable:  # a member this module does not read ("156X", "..1760")
        return library(text)
    return Reading(
        min(member.earliest for member in members),
        max(member.latest for member in members),
        Precision.RANGE,
        any(member.approximate for member in members),
        brackets == "[]" or any(member.uncertain for member in members),
    )


def library(text: str) -> Reading:
    """What the ``edtf`` library reads in the text (milliseconds a call)."""
    upper = text.upper()  # EDTF writes unspecified digits as X
    try:
        parsed = parse_edtf(upper.replace(" ", ""))
        earliest = struct_time_to_date(parsed.lower_strict())
        latest = struct_time_to_date(parsed.upper_strict())
    except (EDTFParseException, ValueError, TypeError, AttributeError) as error:
        raise unreadable(text) from error
    if upper[:1] in "[{":
        precision = Precision.RANGE
    else:
        precision = PRECISIONS.get(getattr(parsed, "precision", None), Precision.YEAR)
    return Reading(
        earliest,
        latest,
        precision,
        "~" in upper or "%" in upper,
        "?" in upper or "%" in upper or upper.startswith("["),
    )
