"""Every form of historical date the archive reads, and every one it refuses."""

from datetime import date

import pytest

from archive.dates import DateError, Precision, parse

D = date

READABLE = [
    # text, earliest, latest, precision, approximate, uncertain
    ("1939-08-23", D(1939, 8, 23), D(1939, 8, 23), Precision.DAY, False, False),
    ("23 August 1939", D(1939, 8, 23), D(1939, 8, 23), Precision.DAY, False, False),
    ("August 23, 1939", D(1939, 8, 23), D(1939, 8, 23), Precision.DAY, False, False),
    ("23 Aug. 1939", D(1939, 8, 23), D(1939, 8, 23), Precision.DAY, False, False),
    ("Sept. 1, 1939", D(1939, 9, 1), D(1939, 9, 1), Precision.DAY, False, False),
    ("1st September 1939", D(1939, 9, 1), D(1939, 9, 1), Precision.DAY, False, False),
    ("August 1939", D(1939, 8, 1), D(1939, 8, 31), Precision.MONTH, False, False),
    ("february 1940", D(1940, 2, 1), D(1940, 2, 29), Precision.MONTH, False, False),
    ("1939", D(1939, 1, 1), D(1939, 12, 31), Precision.YEAR, False, False),
    ("c. 1922", D(1922, 1, 1), D(1922, 12, 31), Precision.YEAR, True, False),
    ("ca. 1922", D(1922, 1, 1), D(1922, 12, 31), Precision.YEAR, True, False),
    ("circa 1922", D(1922, 1, 1), D(1922, 12, 31), Precision.YEAR, True, False),
    ("1922?", D(1922, 1, 1), D(1922, 12, 31), Precision.YEAR, False, True),
    ("1930s", D(1930, 1, 1), D(1939, 12, 31), Precision.DECADE, False, False),
    ("early 1930s", D(1930, 1, 1), D(1933, 12, 31), Precision.RANGE, False, False),
    ("mid 1930s", D(1934, 1, 1), D(1936, 12, 31), Precision.RANGE, False, False),
    ("late 1930s", D(1937, 1, 1), D(1939, 12, 31), Precision.RANGE, False, False),
    ("1920s?", D(1920, 1, 1), D(1929, 12, 31), Precision.DECADE, False, True),
    ("19th century", D(1800, 1, 1), D(1899, 12, 31), Precision.CENTURY, False, False),
    ("spring 1939", D(1939, 3, 1), D(1939, 5, 31), Precision.SEASON, False, False),
    ("winter 1939", D(1939, 12, 1), D(1940, 2, 29), Precision.SEASON, False, False),
    ("1925–1933", D(1925, 1, 1), D(1933, 12, 31), Precision.RANGE, False, False),
    ("1925-1933", D(1925, 1, 1), D(1933, 12, 31), Precision.RANGE, False, False),
    ("1925-33", D(1925, 1, 1), D(1933, 12, 31), Precision.RANGE, False, False),
    ("between 1925 and 1933", D(1925, 1, 1), D(1933, 12, 31), Precision.RANGE, False, False),
    ("from 1925 to 1933", D(1925, 1, 1), D(1933, 12, 31), Precision.RANGE, False, False),
    ("April 1939 – August 1939", D(1939, 4, 1), D(1939, 8, 31), Precision.RANGE, False, False),
    ("before 1922", None, D(1921, 12, 31), Precision.RANGE, False, False),
    ("after 1940", D(1941, 1, 1), None, Precision.RANGE, False, False),
    # EDTF
    ("1939-08", D(1939, 8, 1), D(1939, 8, 31), Precision.MONTH, False, False),
    ("1922~", D(1922, 1, 1), D(1922, 12, 31), Precision.YEAR, True, False),
    ("1922%", D(1922, 1, 1), D(1922, 12, 31), Precision.YEAR, True, True),
    ("1940-06-18?", D(1940, 6, 18), D(1940, 6, 18), Precision.DAY, False, True),
    ("1925/1933", D(1925, 1, 1), D(1933, 12, 31), Precision.RANGE, False, False),
    ("1939-08-23/1939-09-01", D(1939, 8, 23), D(1939, 9, 1), Precision.RANGE, False, False),
    ("../1922", None, D(1922, 12, 31), Precision.RANGE, False, False),
    ("1940/..", D(1940, 1, 1), None, Precision.RANGE, False, False),
    ("193X", D(1930, 1, 1), D(1939, 12, 31), Precision.DECADE, False, False),
    ("19XX", D(1900, 1, 1), D(1999, 12, 31), Precision.CENTURY, False, False),
    ("1939-21", D(1939, 3, 1), D(1939, 5, 31), Precision.SEASON, False, False),
]


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "precision", "approximate", "uncertain"), READABLE
)
def test_date_form_is_read(text, earliest, latest, precision, approximate, uncertain):
    parsed = parse(text)
    assert (parsed.earliest, parsed.latest) == (earliest, latest)
    assert parsed.precision == precision
    assert (parsed.approximate, parsed.uncertain) == (approximate, uncertain)
    assert parsed.text == text


@pytest.mark.parametrize("text", ["", "   ", "n.d.", "N.D.", "unknown", "undated", "no date", None])
def test_explicit_no_date_is_undated(text):
    parsed = parse(text)
    assert parsed.is_undated
    assert parsed.earliest is None and parsed.latest is None


def test_text_is_kept_as_typed_without_surrounding_space():
    assert parse("  23 August 1939 ").text == "23 August 1939"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31 February 1939", "February 1939 has 28 days"),
        ("29 February 1900", "February 1900 has 28 days"),
        ("1939-02-31", "February 1939 has 28 days"),
        ("1939-13-01", "month 13"),
        ("1939-13", "month 13"),
        ("June 31, 1940", "June 1940 has 30 days"),
        ("1933/1925", "ends (1925) before it begins (1933)"),
        ("1933–1925", "ends (1925) before it begins (1933)"),
        ("between 1940 and 1939", "ends (1939) before it begins (1940)"),
        ("soon after the war", "not a date the archive can read"),
        ("before sunrise", "not a date the archive can read"),
        ("0", "not a date the archive can read"),
    ],
)
def test_impossible_or_unreadable_date_is_refused_with_reason(text, reason):
    with pytest.raises(DateError) as error:
        parse(text)
    assert reason in str(error.value)


def test_leap_day_exists_in_leap_years():
    assert parse("29 February 1940").earliest == D(1940, 2, 29)
