"""The dates of a real museum collection (about 70,000 works) and of the National Gallery
of Art: every form it wrote, what the archive reads it as, and the ways it was misread.
"""

import re
from datetime import date

import pytest

from archive.dates import DateError, Precision, edtf_strings, parse

D = date
RANGE, YEAR, DECADE, MONTH, DAY = (
    Precision.RANGE,
    Precision.YEAR,
    Precision.DECADE,
    Precision.MONTH,
    Precision.DAY,
)

MUSEUM_FORMS = [
    # text, earliest, latest, precision, approximate, uncertain
    # A year range with an en dash and a short end: years, never a month.
    ("1843–4", D(1843, 1, 1), D(1844, 12, 31), RANGE, False, False),
    ("1810–12", D(1810, 1, 1), D(1812, 12, 31), RANGE, False, False),
    ("1905–06", D(1905, 1, 1), D(1906, 12, 31), RANGE, False, False),
    ("1810–10", D(1810, 1, 1), D(1810, 12, 31), RANGE, False, False),
    ("1858–60", D(1858, 1, 1), D(1860, 12, 31), RANGE, False, False),
    ("1939—45", D(1939, 1, 1), D(1945, 12, 31), RANGE, False, False),
    ("1843 – 4", D(1843, 1, 1), D(1844, 12, 31), RANGE, False, False),
    ("c.1806–10", D(1806, 1, 1), D(1810, 12, 31), RANGE, True, False),
    ("c.1786–9", D(1786, 1, 1), D(1789, 12, 31), RANGE, True, False),
    ("c. 1973–4", D(1973, 1, 1), D(1974, 12, 31), RANGE, True, False),
    ("circa 1806–7", D(1806, 1, 1), D(1807, 12, 31), RANGE, True, False),
    ("c.1825–30", D(1825, 1, 1), D(1830, 12, 31), RANGE, True, False),
    ("c.1825–30?", D(1825, 1, 1), D(1830, 12, 31), RANGE, True, True),
    # Uncertain, written before the date.
    ("?c.1785", D(1785, 1, 1), D(1785, 12, 31), YEAR, True, True),
    ("?1787–8", D(1787, 1, 1), D(1788, 12, 31), RANGE, False, True),
    ("?1787", D(1787, 1, 1), D(1787, 12, 31), YEAR, False, True),
    # Open-ended, approximately.
    ("after c.1830", D(1831, 1, 1), None, RANGE, True, False),
    ("before c. 1922", None, D(1921, 12, 31), RANGE, True, False),
    # The date of an event: the record's date is the event's.
    ("published 1881", D(1881, 1, 1), D(1881, 12, 31), YEAR, False, False),
    ("exhibited 1804", D(1804, 1, 1), D(1804, 12, 31), YEAR, False, False),
    ("published 1858–60", D(1858, 1, 1), D(1860, 12, 31), RANGE, False, False),
    ("Published 1881", D(1881, 1, 1), D(1881, 12, 31), YEAR, False, False),
    # Made in the first date; the second is a later state.
    ("1978, printed 2005", D(1978, 1, 1), D(1978, 12, 31), YEAR, False, False),
    ("1891, cast 1925", D(1891, 1, 1), D(1891, 12, 31), YEAR, False, False),
    ("1976–7, enlarged version 2007", D(1976, 1, 1), D(1977, 12, 31), RANGE, False, False),
    ("1995–6, 2007", D(1995, 1, 1), D(1996, 12, 31), RANGE, False, False),
    ("c.1890, cast c.1925", D(1890, 1, 1), D(1890, 12, 31), YEAR, True, False),
    ("August 23, 1939, printed 1950", D(1939, 8, 23), D(1939, 8, 23), DAY, False, False),
    # One of two years; both years.
    ("1786 or 1800", D(1786, 1, 1), D(1800, 12, 31), RANGE, False, True),
    ("1831 and 1834", D(1831, 1, 1), D(1834, 12, 31), RANGE, False, False),
    ("1834 and 1831", D(1831, 1, 1), D(1834, 12, 31), RANGE, False, False),
    # Bracketed, as another museum writes its dates.
    ("(1960)", D(1960, 1, 1), D(1960, 12, 31), YEAR, False, False),
    ("(c. 1920)", D(1920, 1, 1), D(1920, 12, 31), YEAR, True, False),
    # National Gallery of Art.
    ("born c. 1740", D(1740, 1, 1), D(1740, 12, 31), YEAR, True, False),
    ("born 1740", D(1740, 1, 1), D(1740, 12, 31), YEAR, False, False),
    ("died 1820", D(1820, 1, 1), D(1820, 12, 31), YEAR, False, False),
    ("active 1468/1484", D(1468, 1, 1), D(1484, 12, 31), RANGE, False, False),
    ("active c. 1500", D(1500, 1, 1), D(1500, 12, 31), YEAR, True, False),
    ("active 1520s", D(1520, 1, 1), D(1529, 12, 31), DECADE, False, False),
    ("fl. 1520", D(1520, 1, 1), D(1520, 12, 31), YEAR, False, False),
    ("fl.1520", D(1520, 1, 1), D(1520, 12, 31), YEAR, False, False),
    ("floruit 1520", D(1520, 1, 1), D(1520, 12, 31), YEAR, False, False),
    ("1740 - 1810", D(1740, 1, 1), D(1810, 12, 31), RANGE, False, False),
    ("c. 1740 - 1810", D(1740, 1, 1), D(1810, 12, 31), RANGE, True, False),
    # Hyphens: ISO's month unless it cannot be one.
    ("1905-06", D(1905, 6, 1), D(1905, 6, 30), MONTH, False, False),
    ("1843-4", D(1843, 1, 1), D(1844, 12, 31), RANGE, False, False),
    ("1905-6", D(1905, 1, 1), D(1906, 12, 31), RANGE, False, False),
    # EDTF, read without the edtf library.
    ("1830?", D(1830, 1, 1), D(1830, 12, 31), YEAR, False, True),
    ("1843~", D(1843, 1, 1), D(1843, 12, 31), YEAR, True, False),
    ("[1667,1668]", D(1667, 1, 1), D(1668, 12, 31), RANGE, False, True),
    ("{1667,1668}", D(1667, 1, 1), D(1668, 12, 31), RANGE, False, False),
    ("[1667..1670]", D(1667, 1, 1), D(1670, 12, 31), RANGE, False, True),
    ("1960/1970", D(1960, 1, 1), D(1970, 12, 31), RANGE, False, False),
    ("1984?/2004~", D(1984, 1, 1), D(2004, 12, 31), RANGE, True, True),
    # Other wordings of approximately.
    ("approximately 1922", D(1922, 1, 1), D(1922, 12, 31), YEAR, True, False),
]


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "precision", "approximate", "uncertain"), MUSEUM_FORMS
)
def test_museum_form_is_read(text, earliest, latest, precision, approximate, uncertain):
    parsed = parse(text)
    assert (parsed.earliest, parsed.latest) == (earliest, latest)
    assert parsed.precision == precision
    assert (parsed.approximate, parsed.uncertain) == (approximate, uncertain)
    assert parsed.text == text  # qualifiers and later states stay, as typed


@pytest.mark.parametrize(
    "text", ["date not known", "Date not known", "(n.d.)", "( n.d. )", "not known", "date unknown"]
)
def test_no_date_forms_are_undated(text):
    parsed = parse(text)
    assert parsed.is_undated
    assert (parsed.earliest, parsed.latest, parsed.text) == (None, None, text)


@pytest.mark.parametrize(
    "text",
    [
        "French, born c. 1740",
        "American, active 1520s",
        "1740, French",
        "born c. 1740, French",
        "born in Paris",
        "1978, Printed in Paris",
        "published",
        "c.",
        "()",
    ],
)
def test_prose_is_not_a_date(text):
    with pytest.raises(DateError):
        parse(text)


# Ambiguity: "1905-06"


def test_iso_hyphen_is_a_month_that_says_it_may_be_years():
    parsed = parse("1905-06")
    assert (parsed.earliest, parsed.latest) == (D(1905, 6, 1), D(1905, 6, 30))
    assert parsed.precision == MONTH
    assert parsed.ambiguous_with == "1905–1906"


@pytest.mark.parametrize(
    ("text", "latest", "other"),
    [("1905-06", D(1906, 12, 31), "June 1905"), ("1905-6", D(1906, 12, 31), None)],
)
def test_hyphen_years_reads_a_hyphen_as_years(text, latest, other):
    parsed = parse(text, hyphen_years=True)
    assert (parsed.earliest, parsed.latest, parsed.precision) == (D(1905, 1, 1), latest, RANGE)
    assert parsed.ambiguous_with == other


@pytest.mark.parametrize("hyphen_years", [False, True])
def test_a_hyphen_that_can_only_be_a_month_is_a_month(hyphen_years):
    """As years, "1939-08" would end before it begins: one reading, not ambiguous."""
    parsed = parse("1939-08", hyphen_years=hyphen_years)
    assert (parsed.earliest, parsed.latest) == (D(1939, 8, 1), D(1939, 8, 31))
    assert parsed.precision == MONTH
    assert parsed.ambiguous_with is None


@pytest.mark.parametrize("text", ["1905–06", "1905 – 06", "1905—06", "1905 - 06", "1939", "1843–4"])
def test_a_dash_is_never_ambiguous(text):
    parsed = parse(text, hyphen_years=False)
    assert parsed.ambiguous_with is None
    assert parsed.precision in (RANGE, YEAR)


def test_ambiguity_is_kept_under_qualifiers():
    parsed = parse("c. 1905-06?")
    assert (parsed.precision, parsed.approximate, parsed.uncertain) == (MONTH, True, True)
    assert parsed.ambiguous_with == "1905–1906"
    assert parse("published 1905-06", hyphen_years=True).ambiguous_with == "June 1905"


def test_every_hyphenated_month_that_could_be_years_says_so():
    """No "YYYY-MM" is read silently: where the years reading is a forward range, the
    result names it (and with hyphen_years, names the month it did not choose)."""
    for year in range(1000, 2021, 7):
        for number in range(1, 13):
            text = f"{year}-{number:02d}"
            as_years = year // 100 * 100 + number > year
            month = parse(text)
            assert month.precision == MONTH
            assert (month.earliest.year, month.earliest.month) == (year, number)
            years = parse(text, hyphen_years=True)
            if as_years:
                assert month.ambiguous_with == f"{year}–{year // 100 * 100 + number}", text
                assert years.precision == RANGE, text
                assert years.ambiguous_with and str(year) in years.ambiguous_with, text
            else:
                assert month.ambiguous_with is None, text
                assert years == month, text


# The property: an en dash never writes a month

PREFIXES = ["", "c.", "c. ", "?", "? c.", "circa "]
SUFFIXES = ["", "?"]
DASHES = ["–", " – ", "—"]
ENDS = sorted({str(number) for number in range(1, 13)} | {f"{n:02d}" for n in range(1, 13)})


def test_no_en_dash_range_is_ever_read_as_a_month():
    checked = refused = 0
    for year in range(1000, 2021, 7):
        for end in ENDS:
            last = int(str(year)[: -len(end)] + end)
            for prefix in PREFIXES:
                for dash in DASHES:
                    for suffix in SUFFIXES:
                        text = f"{prefix}{year}{dash}{end}{suffix}"
                        checked += 1
                        try:
                            parsed = parse(text)
                        except DateError as error:
                            # Refused only when the years would run backwards, and then
                            # the message quotes the end and the start as typed.
                            assert last < year, text
                            assert f"ends ({end}) before it begins ({year})" in str(error), text
                            refused += 1
                            continue
                        assert parsed.precision == RANGE, text
                        assert parsed.earliest == D(year, 1, 1), text
                        assert parsed.latest == D(last, 12, 31), text
                        assert parsed.latest.year >= parsed.earliest.year, text
                        assert parsed.ambiguous_with is None, text
                        assert parsed.approximate == ("c" in prefix), text
                        assert parsed.uncertain == ("?" in prefix + suffix), text
    assert checked > 30_000 and 0 < refused < checked


# Messages name the part that failed, as typed


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("c. 1933–1925", "the range ends (1925) before it begins (1933)."),
        ("c. 1933 — 1925", "the range ends (1925) before it begins (1933)."),
        ("1843–2", "the range ends (2) before it begins (1843)."),
        ("1939–08", "the range ends (08) before it begins (1939)."),
        ("c.1806–1o", "“1o” is not a date"),
        ("c. 1973–4x", "“4x” is not a date"),
        ("1939–13–01", "“1939–13–01” has month 13"),
        ("published someday", "“someday” is not a date"),
        ("after c.  sometime", "“sometime” is not a date"),
        ("soon  after   the war", "“soon  after   the war” is not a date"),
        ("1978, printed later", "“printed later” is not a date"),
        ("1786 or never", "“never” is not a date"),
        ("French, born c. 1740", "“French, born c. 1740” is not a date"),
        ("31 February 1939, printed 1950", "February 1939 has 28 days"),
        ("after 9999", "after the year 9999"),
        ("before 0001", "before the year 1"),
    ],
)
def test_message_names_the_part_as_typed(text, reason):
    with pytest.raises(DateError) as error:
        parse(text)
    assert reason in str(error.value)


def test_an_en_dash_month_is_refused_with_the_way_to_write_the_month():
    with pytest.raises(DateError) as error:
        parse("1939–08")
    assert "for the month write 1939-08 or August 1939" in str(error.value)


def test_messages_never_show_an_en_dash_rewritten_as_a_hyphen():
    for text in ["c. 1933–1925", "1843–2", "c.1806–1o", "1939–13–01", "1925–sometime"]:
        with pytest.raises(DateError) as error:
            parse(text)
        quoted = re.findall(r"[“(]([^”)]*)[”)]", str(error.value))
        assert quoted, text
        assert all(part in text for part in quoted), (text, quoted)


# Speed: memoised, and the edtf library only where it must


def test_results_are_memoised_and_refusals_raised_afresh():
    parse.cache_clear()
    assert parse("c.1806–10") is parse("c.1806–10")
    errors = []
    for _ in range(2):
        with pytest.raises(DateError) as error:
            parse("1843–2")
        errors.append(error.value)
    assert errors[0] is not errors[1] and str(errors[0]) == str(errors[1])
    assert parse.cache_info().hits >= 2


def test_the_edtf_library_reads_only_what_the_fast_path_does_not(monkeypatch):
    calls = []
    real = edtf_strings.parse_edtf

    def counting(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(edtf_strings, "parse_edtf", counting)
    parse.cache_clear()
    for text, *_ in MUSEUM_FORMS:
        parse(text)
    for text in ["1939-08-23", "1939-08", "1939-21", "1922~", "1922%", "193X", "19XX", "../1922"]:
        parse(text)
    assert calls == []
    assert parse("2004-06~-11").earliest == D(2004, 6, 11)  # a qualifier inside: EDTF's
    assert calls == ["2004-06~-11"]
    parse.cache_clear()


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("1827/28", date(1827, 1, 1), date(1828, 12, 31)),
        ("1545/46", date(1545, 1, 1), date(1546, 12, 31)),
    ],
)
def test_a_slash_with_a_short_second_year_is_two_years(text, earliest, latest):
    parsed = parse(text)
    assert (parsed.earliest, parsed.latest, parsed.text) == (earliest, latest, text)


@pytest.mark.parametrize(
    ("text", "year", "uncertain"),
    [
        ("founded 1929", 1929, False),
        ("est. 1959", 1959, False),
        ("established 1870", 1870, False),
        ("b. 1740", 1740, False),
        ("d. 2002", 2002, False),
        ("probably 1535", 1535, True),
        ("possibly c. 1600", 1600, True),
    ],
)
def test_more_catalogue_words_keep_their_date(text, year, uncertain):
    parsed = parse(text)
    assert parsed.text == text
    assert parsed.earliest == date(year, 1, 1) and parsed.latest == date(year, 12, 31)
    assert parsed.uncertain is uncertain


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("1884 or after", date(1884, 1, 1), None),
        ("1884 or later", date(1884, 1, 1), None),
        ("in or after 1508", date(1508, 1, 1), None),
        ("1480 or before", None, date(1480, 12, 31)),
        ("c. 1480 or before", None, date(1480, 12, 31)),
    ],
)
def test_a_date_or_any_time_after_or_before_is_open_on_that_side(text, earliest, latest):
    parsed = parse(text)
    assert (parsed.earliest, parsed.latest, parsed.text) == (earliest, latest, text)
