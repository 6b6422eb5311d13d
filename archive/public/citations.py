"""How to cite a record: a Chicago-style note and a BibTeX entry with its stable URL."""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from archive import kinds
from archive.models.text import plain_text


@dataclass(frozen=True)
class Citation:
    chicago: str
    bibtex: str


def _bibtex_escape(text: str) -> str:
    for char in "\\{}&%$#_":
        text = text.replace(char, f"\\{char}")
    return text


def cite(record, url: str) -> Citation:
    """The citation of ``record`` as published at ``url``, accessed today."""
    # Records saved before text was cleaned on the way in may hold control characters,
    # which a reference manager would choke on as a feed reader did.
    title = plain_text(str(record), multiline=False)
    date_field = kinds.of(record).date_field
    date = plain_text(getattr(record, date_field), multiline=False) if date_field else ""
    accessed = timezone.localdate()
    archive = settings.ARCHIVE_NAME
    kind = record._meta.verbose_name
    dated = f", {date}" if date else ""
    chicago = (
        f"“{title}”{dated}. {kind.capitalize()} in {archive}. {url} "
        f"(accessed {accessed:%B} {accessed.day}, {accessed.year})."
    )
    fields = {
        "title": title,
        "howpublished": f"\\url{{{url}}}",
        "organization": archive,
        "note": f"{kind.capitalize()}{dated}. Accessed {accessed.isoformat()}",
    }
    year = getattr(record, f"{date_field}_year") if date_field else None
    if year:
        fields["year"] = str(year)
    body = ",\n".join(
        f"  {name} = {{{value if name == 'howpublished' else _bibtex_escape(value)}}}"
        for name, value in fields.items()
    )
    return Citation(chicago, f"@misc{{{record.slug},\n{body}\n}}")
