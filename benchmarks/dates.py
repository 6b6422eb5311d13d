"""How fast the archive reads a museum's dates: 70,000 mixed dates, cold and warm.

    python benchmarks/dates.py            (or: python -m benchmarks.dates)
    python benchmarks/dates.py --count 200000 --seed 7

The dates are the forms a real collection holds (catalogue ranges with short ends,
qualifiers, later states, "or" and "and", bracketed dates, National Gallery forms),
random years, plus a share of ISO dates and EDTF strings, and a few EDTF strings only the
``edtf`` library reads. "Cold" parses them with the cache cleared, "warm" again with the
cache full. Reads only archive.dates, which needs no Django settings. Not a test: it
prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.dates import DateError, parse  # noqa: E402

MONTHS = ["January", "March", "May", "August", "October", "December"]

# (name, weight, template): {y} a year, {e1} its next year's last digit, {e2} the last two
# digits of a year 1–9 later, {y2} a full later year, {m}/{d} month and day.
FORMS = [
    ("year", 30, "{y}"),
    ("c. year", 10, "c.{y}"),
    ("en-dash range, short end", 8, "{y}–{e2}"),
    ("en-dash range, one digit", 4, "{y}–{e1}"),
    ("c. en-dash range", 5, "c.{y}–{e2}"),
    ("circa range", 1, "circa {y}–{e1}"),
    ("uncertain c. range", 1, "c.{y}–{e2}?"),
    ("?c. year", 1, "?c.{y}"),
    ("?range", 1, "?{y}–{e1}"),
    ("after c.", 1, "after c.{y}"),
    ("published", 2, "published {y}"),
    ("exhibited", 1, "exhibited {y}"),
    ("published range", 1, "published {y}–{e2}"),
    ("later state", 2, "{y}, printed {y2}"),
    ("later state, cast", 1, "{y}, cast {y2}"),
    ("range, enlarged version", 1, "{y}–{e1}, enlarged version {y2}"),
    ("range, later date", 1, "{y}–{e1}, {y2}"),
    ("X or Y", 1, "{y} or {y2}"),
    ("X and Y", 1, "{y} and {y2}"),
    ("bracketed", 1, "({y})"),
    ("bracketed c.", 1, "(c. {y})"),
    ("no date", 3, "date not known"),
    ("bracketed no date", 1, "(n.d.)"),
    ("NGA born c.", 1, "born c. {y}"),
    ("NGA active", 1, "active {y}/{y2}"),
    ("NGA spaced range", 1, "{y} - {y2}"),
    ("NGA died", 1, "died {y}"),
    ("fl.", 1, "fl. {y}"),
    ("decade", 2, "{decade}s"),
    ("day", 3, "{d} {month} {y}"),
    ("month", 2, "{month} {y}"),
    ("ISO day", 6, "{y}-{m:02d}-{d:02d}"),
    ("ISO month (ambiguous when a year)", 2, "{y}-{m:02d}"),
    ("EDTF uncertain", 2, "{y}?"),
    ("EDTF approximate", 2, "{y}~"),
    ("EDTF one of a set", 1, "[{y},{y2}]"),
    ("EDTF interval", 2, "{y}/{y2}"),
    ("EDTF open interval", 1, "{y}/.."),
    ("refused (nationality)", 1, "French, born c. {y}"),
]
# EDTF that only the edtf library reads (a qualifier inside a date, unspecified digits
# before a month): rare in a collection, a handful of distinct strings.
LIBRARY_ONLY = ["2004-06~-11", "156X-12-25", "2001-XX", "1XXX", "?2004-06", "200X-10"]
LIBRARY_SHARE = 0.0005
LIBRARY_FORM = "EDTF through the edtf library"


def dates(count: int, seed: int) -> list[tuple[str, str]]:
    """``count`` (form name, text) pairs."""
    chooser = random.Random(seed)
    names = [name for name, _, _ in FORMS]
    weights = [weight for _, weight, _ in FORMS]
    templates = {name: template for name, _, template in FORMS}
    made = []
    for _ in range(count):
        if chooser.random() < LIBRARY_SHARE:
            made.append((LIBRARY_FORM, chooser.choice(LIBRARY_ONLY)))
            continue
        name = chooser.choices(names, weights)[0]
        year = chooser.randint(1500, 2015)
        later = year + chooser.randint(1, 9)
        made.append(
            (
                name,
                templates[name].format(
                    y=year,
                    e1=str(later)[-1] if later // 10 == year // 10 else str(year + 1)[-2:],
                    e2=str(later)[-2:] if later // 100 == year // 100 else str(later),
                    y2=later,
                    decade=year // 10 * 10,
                    m=chooser.randint(1, 12),
                    d=chooser.randint(1, 28),
                    month=chooser.choice(MONTHS),
                ),
            )
        )
    return made


def run(made: list[tuple[str, str]]) -> tuple[float, float, dict[str, list[float]], int]:
    """Total seconds (wall clock and CPU), seconds per call by form, how many refused."""
    by_form: dict[str, list[float]] = defaultdict(list)
    refused = 0
    clock = time.perf_counter
    started, started_cpu = clock(), time.process_time()
    for name, text in made:
        before = clock()
        try:
            parse(text)
        except DateError:
            refused += 1
        by_form[name].append(clock() - before)
    return clock() - started, time.process_time() - started_cpu, by_form, refused


def main(argv: list[str] | None = None) -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--count", type=int, default=70_000)
    arguments.add_argument("--seed", type=int, default=1806)
    options = arguments.parse_args(argv)

    made = dates(options.count, options.seed)
    distinct = len({text for _, text in made})
    parse.cache_clear()
    cold, cold_cpu, cold_forms, refused = run(made)
    warm, warm_cpu, warm_forms, _ = run(made)
    library = sum(cold_forms.get(LIBRARY_FORM, []))

    print(f"{len(made):,} dates ({distinct:,} distinct), {refused:,} refused")
    for label, total, cpu in [("cold (cache cleared)", cold, cold_cpu), ("warm", warm, warm_cpu)]:
        print(
            f"{label:<21} {total:.3f} s ({cpu:.3f} s CPU), {total / len(made) * 1e6:.1f} µs a date"
        )
    print(f"of which the edtf library (cold): {library:.3f} s")
    print()
    print(f"{'form':<36} {'count':>6} {'cold mean µs':>13} {'cold max µs':>12} {'warm µs':>8}")
    for name in sorted(cold_forms, key=lambda name: -statistics.fmean(cold_forms[name])):
        times = cold_forms[name]
        print(
            f"{name:<36} {len(times):>6} {statistics.fmean(times) * 1e6:>13.1f} "
            f"{max(times) * 1e6:>12.1f} {statistics.fmean(warm_forms[name]) * 1e6:>8.2f}"
        )


if __name__ == "__main__":
    main()
