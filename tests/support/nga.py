"""The National Gallery of Art's constituents (../shared/data/nga-constituents, CC0) as the
archive's figures CSV, converted as a user migrating the collection would: the name, its
alternative names, the life dates read from the display date, the nationality, the
Wikidata ID (or the gallery's own constituent number) as the identifier."""

import csv
import re
from collections import defaultdict
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[3] / "shared" / "data" / "nga-constituents"
COLUMNS = [
    "identifier",
    "name",
    "alternative_names",
    "birth_date",
    "death_date",
    "nationality",
    "biography",
    "status",
]
# "1876 - 1958", "c. 1740 - 1810", "1827/28 - 1900": a life, birth to death.
LIFE = re.compile(r"^(?P<birth>.+?) - (?P<death>.+)$")
# "born Australia, 1876 - 1958" is split at its comma already; "born Germany 1861 - 1943"
# names the country of birth before the years.
BORN_IN = re.compile(r"^born [A-Z][^\d]*?\s+(?=\d|c\. )")


def constituents():
    with (FOLDER / "constituents.csv").open(encoding="utf-8", newline="") as stream:
        yield from csv.DictReader(stream)


def alternative_names():
    """{constituent id: [names]}, each name once, in the file's order."""
    names = defaultdict(list)
    with (FOLDER / "constituents_altnames.csv").open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            for name in (row["forwarddisplayname"].strip(), row["displayname"].strip()):
                if name and name not in names[row["constituentid"]]:
                    names[row["constituentid"]].append(name)
    return names


def life_dates(display_date):
    """(birth, death) as the display date writes them: "French, born c. 1740" gives
    ("c. 1740", ""). A date of activity or of a firm is not a life: it stays in the text."""
    dated = display_date.split(", ")[-1] if display_date else ""
    if not re.search(r"\d", dated):
        return "", ""
    dated = BORN_IN.sub("", dated)
    if dated.startswith("born "):
        return dated.removeprefix("born "), ""
    if dated.startswith("died "):
        return "", dated.removeprefix("died ")
    if re.match(r"(active|fl\.|founded|est\.|closed|workshop)\b", dated):
        return "", ""
    if match := LIFE.match(dated):
        return match["birth"], match["death"]
    return dated, ""  # one year: the gallery's begin year


def write_figures_csv(path):
    """The figures file; returns {identifier: the constituent's row}."""
    names = alternative_names()
    by_identifier = {}
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        for row in constituents():
            name = row["forwarddisplayname"].strip() or row["preferreddisplayname"].strip()
            birth, death = life_dates(row["displaydate"].strip())
            identifier = row["wikidataid"] or f"nga-{row['constituentid']}"
            others = [other for other in names[row["constituentid"]] if other != name]
            writer.writerow(
                [
                    identifier,
                    name,
                    "; ".join(others),
                    birth,
                    death,
                    row["nationality"],
                    row["displaydate"],
                    "published",
                ]
            )
            by_identifier.setdefault(identifier, row)
    return by_identifier
