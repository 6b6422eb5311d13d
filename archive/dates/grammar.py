"""The grammar around single dates: qualifiers, ranges, alternatives and later states.

Every part is read from the text as typed (nothing is rewritten first), so that an error
quotes the part that failed as the editor typed it, and so that an en dash, which writes a
range, is never mistaken for the hyphen of an ISO month.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from archive.dates.base import (
    DateError,
    Precision,
    Reading,
    Unreadable,
    check_month,
    check_year,
    day,
    month,
    season,
    unreadable,
    years,
)
from archive.dates.edtf_strings import EDTF_LIKE, QUALIFIERS, SEASON_CODES, edtf
from archive.dates.english import YEAR, english

NO_DATE = {
    "",
    "n.d.",
    "n. d.",
    "nd",
    "n.d",
    "s.d.",
    "no date",
    "undated",
    "unknown",
    "?",
    "date not known",
    "not known",
    "date unknown",
}
# "c.", "ca.", "circa", … ; never the start of a longer word ("cast 1925").
APPROXIMATE = r"(?:c\.|ca\.?|circa|about|approx\.|approximately|approx|around)(?![a-z])"
APPROXIMATE_PREFIX = re.compile(rf"^{APPROXIMATE}\s*", re.IGNORECASE)
# What the date is the date of: kept in the text, the bounds are the date's.
EVENT_PREFIX = re.compile(
    r"^(?:(?:published|exhibited|printed|cast|born|died|active|floruit|fl|founded|established)"
    r"\s+|(?:fl|b|d|est)\.\s*)",
    re.IGNORECASE,
)
# "1884 or after", "1480 or before", "in or after 1508": the date or any time after (before).
OR_LATER = re.compile(
    r"^(?:in\s+)?(?P<date>.+?)\s+or\s+(?P<side>after|before|later|earlier)$", re.I
)
OR_LATER_FIRST = re.compile(r"^in\s+or\s+(?P<side>after|before)\s+(?P<date>.+)$", re.I)
# "probably 1535": what a cataloguer believes but cannot show.
UNCERTAIN_PREFIX = re.compile(r"^(?:probably|perhaps|possibly)\s+", re.IGNORECASE)
BEFORE = re.compile(r"^before\s+(.+)$", re.IGNORECASE)
AFTER = re.compile(r"^after\s+(.+)$", re.IGNORECASE)
BETWEEN = re.compile(r"^between\s+(.+?)\s+and\s+(.+)$", re.IGNORECASE)
FROM_TO = re.compile(r"^(?:from\s+)?(.+?)\s+(?:to|until|till)\s+(.+)$", re.IGNORECASE)
# "1786 or 1800" (one of them), "1831 and 1834" (both).
CONNECTIVE = re.compile(r"^(.+?)\s+(or|and)\s+(.+)$", re.IGNORECASE)
# A range is written with an en dash (or a figure or em dash), spaced or not, or with a
# hyphen between spaces. A hyphen between digits is ISO 8601's: see HYPHENATED.
RANGE_DASH = re.compile(r"\s*[\u2012\u2013\u2014\u2015]\s*|\s+[-\u2010\u2011]\s+")
HYPHEN = "-\u2010\u2011"
DASH = HYPHEN + "\u2012\u2013\u2014\u2015"
HYPHENATED = re.compile(rf"^(\d{{3,4}})[{HYPHEN}](\d{{1,4}})([~%]?)$")
# A full date written with dashes of any kind ("1939–08–23"): three parts, one reading.
DASHED_DAY = re.compile(rf"^(\d{{4}})[{DASH}](\d{{2}})[{DASH}](\d{{2}})$")
# The start of a range whose end may be written short ("c.1806–10"): one year, qualified.
QUALIFIED_YEAR = re.compile(rf"^(?:\?\s*)?(?:{APPROXIMATE}\s*)?(\d{{3,4}})\s*\??$", re.IGNORECASE)
SHORT_END = re.compile(r"^(\d{1,2})\s*(\??)$")
# Two years with a slash and the second written short ("1827/28", "1545/46"): never EDTF,
# whose intervals are written whole; the catalogues' way of writing a span of two years.
SLASHED_SHORT_END = re.compile(r"^(\d{3,4})/(\d{1,2})$")
# A word of the note before a later state's date ("enlarged version 2007"): lower case,
# so that a name or nationality ("French, born c. 1740") is never taken for a note.
NOTE_WORD = re.compile(r"^[a-z][a-z.'’-]*\s+(.+)$")
MAX_NOTE_WORDS = 4


def is_no_date(text: str) -> bool:
    return " ".join(text.lower().split()) in NO_DATE


def read(text: str, hyphen_years: bool = False) -> Reading | None:
    """The reading of a whole typed date (stripped); None if it says there is no date."""
    if is_no_date(text):
        return None
    if (inner := bracketed(text)) is not None:
        return read(inner, hyphen_years)
    return Reader(hyphen_years).phrase(text)


def bracketed(text: str) -> str | None:
    """What is inside "(1960)", "(c. 1920)", "(n.d.)", as some catalogues bracket their
    dates; None if the text is not one bracketed part."""
    if text[:1] == "(" and text[-1:] == ")":
        inner = text[1:-1].strip()
        if inner and "(" not in inner and ")" not in inner:
            return inner
    return None


class Reader:
    """Reads the parts of one text; ``hyphen_years`` reads "1905-06" as 1905–1906."""

    def __init__(self, hyphen_years: bool = False):
        self.hyphen_years = hyphen_years

    def phrase(self, text: str, commas: bool = True) -> Reading:
        """A date, "X or Y", "X and Y", or a date followed by a later state ("1978,
        printed 2005")."""
        try:
            return self.qualified(text)
        except Unreadable as error:
            whole = error
        if match := OR_LATER.match(text) or OR_LATER_FIRST.match(text):
            return self.open_on_one_side(match["date"], match["side"].lower())
        if (match := CONNECTIVE.match(text)) and (left := self.attempt(match[1])):
            right = self.phrase(match[3], commas)
            return alternatives(left, right, one_of=match[2].lower() == "or")
        if commas:
            for position in (index for index, char in enumerate(text) if char == ","):
                left = self.attempt(text[:position].strip(), commas=False)
                if left:
                    self.later_state(text[position + 1 :].strip())
                    return left
        raise whole

    def open_on_one_side(self, text: str, side: str) -> Reading:
        """ "1884 or after": from the start of the date on; "1480 or before": up to its end."""
        bound = closed(self.qualified(text), text)
        if side in ("after", "later"):
            return bound._replace(latest=None, precision=Precision.RANGE)
        return bound._replace(earliest=None, precision=Precision.RANGE)

    def attempt(self, text: str, commas: bool | None = None) -> Reading | None:
        """The reading of a part that may turn out not to be a date at all (None then)."""
        try:
            return self.qualified(text) if commas is None else self.phrase(text, commas)
        except Unreadable:
            return None

    def later_state(self, text: str) -> None:
        """A note and a date after the date ("printed 2005", "enlarged version 2007",
        "2007"): read to be sure it is one, not used for the bounds."""
        rest = text
        for _ in range(MAX_NOTE_WORDS + 1):
            if self.attempt(rest, commas=True):
                return
            if not (match := NOTE_WORD.match(rest)):
                break
            rest = match[1]
        raise unreadable(text)

    def qualified(self, text: str) -> Reading:
        """A date, optionally the date of an event ("published 1881", "born c. 1740")."""
        if match := EVENT_PREFIX.match(text):
            return self.expression(rest_of(text, match.end()))
        if (inner := bracketed(text)) is not None:  # "(1960), printed 1970"
            return self.qualified(inner)
        return self.expression(text)

    def expression(self, text: str) -> Reading:
        """A date or range with its qualifiers: "?", "c.", "before", "after"."""
        if YEAR.match(text):  # the commonest date by far
            return english(text)
        if not text:
            raise unreadable(text)
        if text[-1] == "?" and len(text) > 1:
            return self.expression(text[:-1].rstrip()).flagged(uncertain=True)
        if text[0] == "?" and len(text) > 1:
            return self.expression(text[1:].lstrip()).flagged(uncertain=True)
        if text[0].isalpha():
            if reading := self.worded(text):
                return reading
        elif match := DASHED_DAY.match(text):
            typed = day(int(match[1]), check_month(int(match[2]), text), int(match[3]))
            return Reading(typed, typed, Precision.DAY)
        if " " in text and (match := FROM_TO.match(text)):
            return self.range(match[1], match[2])
        if match := RANGE_DASH.search(text):
            if match.start() == 0 or match.end() == len(text):
                raise unreadable(text)
            return self.range(text[: match.start()], text[match.end() :], short_end=True)
        if match := HYPHENATED.match(text):
            return self.hyphenated(text, match[1], match[2], match[3])
        if match := SLASHED_SHORT_END.match(text):  # "1827/28": catalogues' two years
            return self.range(match[1], match[2], short_end=True)
        if EDTF_LIKE.match(text):
            return edtf(text)
        if reading := english(text):
            return reading
        raise unreadable(text)

    def worded(self, text: str) -> Reading | None:
        """A date after a word: "c. …", "before …", "after …", "between … and …"; or None."""
        if match := APPROXIMATE_PREFIX.match(text):
            return self.expression(rest_of(text, match.end())).flagged(approximate=True)
        if match := UNCERTAIN_PREFIX.match(text):
            return self.expression(rest_of(text, match.end())).flagged(uncertain=True)
        if match := BEFORE.match(text):
            bound = closed(self.expression(match[1]), match[1])
            if bound.earliest == date.min:
                raise DateError("nothing the archive can store comes before the year 1.")
            return bound._replace(
                earliest=None, latest=bound.earliest - timedelta(days=1), precision=Precision.RANGE
            )
        if match := AFTER.match(text):
            bound = closed(self.expression(match[1]), match[1])
            if bound.latest == date.max:
                raise DateError("nothing the archive can store comes after the year 9999.")
            return bound._replace(
                earliest=bound.latest + timedelta(days=1), latest=None, precision=Precision.RANGE
            )
        if match := BETWEEN.match(text):
            return self.range(match[1], match[2])
        return None

    def range(self, start_text: str, end_text: str, short_end: bool = False) -> Reading:
        """From the start of one date to the end of another; after a dash the end may be
        written short ("1843–4", "1806–10"), and is then always years, never a month."""
        start_text, end_text = start_text.strip(), end_text.strip()
        start = closed(self.expression(start_text), start_text)
        if (
            short_end
            and (end_match := SHORT_END.match(end_text))
            and (start_match := QUALIFIED_YEAR.match(start_text))
        ):
            last = short_year(start_match[1], end_match[1])
            return start._replace(
                latest=date(check_year(last), 12, 31),
                precision=Precision.RANGE,
                uncertain=start.uncertain or bool(end_match[2]),
            )
        end = closed(self.expression(end_text), end_text)
        if end.latest < start.earliest:
            raise DateError(f"the range ends ({end_text}) before it begins ({start_text}).")
        return Reading(
            start.earliest,
            end.latest,
            Precision.RANGE,
            start.approximate or end.approximate,
            start.uncertain or end.uncertain,
            start.ambiguous_with or end.ambiguous_with,
        )

    def hyphenated(self, text: str, start_text: str, end_text: str, qualifier: str) -> Reading:
        """A year, a hyphen and digits: "1939-08" (a month), "1939-21" (a season), "1925-33"
        and "1843-4" (years).

        "1905-06" is June 1905 in ISO 8601 and EDTF, and 1905–1906 in many catalogues:
        read as the month (as the years with ``hyphen_years``), with the other reading in
        ``ambiguous_with``. Seasons ("1919-21") have always been read as the years.
        """
        flags = QUALIFIERS[qualifier]
        start = int(start_text)
        if len(end_text) > 2:  # a full year: "1925-1933"
            return self.range(start_text, end_text + qualifier)
        last = int(start_text[: -len(end_text)] + end_text)
        as_years = None
        if last > start:
            as_years = Reading(*years(start, last), Precision.RANGE, *flags)
        as_calendar, calendar_text = None, None
        number = int(end_text)
        if len(start_text) == 4 and len(end_text) == 2:
            if 1 <= number <= 12:
                as_calendar = Reading(*month(start, number), Precision.MONTH, *flags)
                calendar_text = f"{calendar.month_name[number]} {start}"
            elif number in SEASON_CODES:
                name = SEASON_CODES[number]
                as_calendar = Reading(*season(start, name), Precision.SEASON, *flags)
                calendar_text = f"{name} {start}"
        if as_years and as_calendar:
            if self.hyphen_years or number in SEASON_CODES:
                return as_years._replace(ambiguous_with=calendar_text)
            return as_calendar._replace(ambiguous_with=f"{start}–{last}")
        if reading := as_years or as_calendar:
            return reading
        if len(end_text) == 2 and len(start_text) == 4:
            raise DateError(f"“{text}” has month {number:02d}; months run from 01 to 12.")
        raise DateError(f"the range ends ({end_text}) before it begins ({start_text}).")


def rest_of(text: str, position: int) -> str:
    """What follows a prefix; the whole text is what failed if nothing does ("c.")."""
    rest = text[position:].strip()
    if not rest:
        raise unreadable(text)
    return rest


def closed(reading: Reading, text: str) -> Reading:
    if reading.earliest is None or reading.latest is None:
        raise DateError(f"“{text}” is open-ended; write it as “before …” or “after …”.")
    return reading


def short_year(start_text: str, end_digits: str) -> int:
    """The year a range's short end names: its last digits replace the start's ("1806–10"
    is 1806–1810); a range that would end before it begins is refused, not rolled over,
    and never read as a month ("1939–08")."""
    last = int(start_text[: -len(end_digits)] + end_digits)
    if last < int(start_text):
        hint = ""
        if len(start_text) == 4 and len(end_digits) == 2 and 1 <= int(end_digits) <= 12:
            hint = (
                f" A dash between years writes a range; for the month write "
                f"{start_text}-{end_digits} or {calendar.month_name[int(end_digits)]} {start_text}."
            )
        raise DateError(f"the range ends ({end_digits}) before it begins ({start_text}).{hint}")
    return last


def alternatives(left: Reading, right: Reading, one_of: bool) -> Reading:
    """Bounds of two dates together: both ("1831 and 1834") or one of them ("1786 or 1800",
    uncertain)."""
    earliests = [left.earliest, right.earliest]
    latests = [left.latest, right.latest]
    return Reading(
        None if None in earliests else min(earliests),
        None if None in latests else max(latests),
        Precision.RANGE,
        left.approximate or right.approximate,
        one_of or left.uncertain or right.uncertain,
        left.ambiguous_with or right.ambiguous_with,
    )
