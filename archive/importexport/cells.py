"""How each kind of spreadsheet cell is read (``clean``) and written (``render``).

``clean`` receives a cell already stripped of surrounding spaces and of formula escaping,
and raises :class:`CellError` with a reason an editor can act on.

Text cells are cleaned of the characters XML 1.0 cannot carry
(:func:`archive.models.text.plain_text`), which the archive's Atom feeds would otherwise
fail on: a vertical tab or form feed (a line or page break from a word processor or a
spreadsheet) becomes a line break in multi-line text and a space in one-line text
(titles, names, dates, relation names), and other control characters are removed. This
changes the data, on purpose: the file's text is kept, its words apart, and the import is
not refused for a character nobody can see. A NUL is the exception, refused with the
cell named, as it always was.
"""

import re
from decimal import Decimal, InvalidOperation
from functools import partial

from django.core.validators import slug_re
from import_export import widgets

from archive import dates
from archive.importexport.references import UnknownReference, normalize
from archive.models.text import plain_text

SEPARATOR = ";"


class CellError(ValueError):
    """A cell, or one name within it (``value``), that cannot be imported."""

    def __init__(self, reason, value=None):
        super().__init__(reason)
        self.reason = reason
        self.value = value


class CellErrors(ValueError):
    """Several names in one cell that cannot be imported."""

    def __init__(self, errors):
        super().__init__("; ".join(error.reason for error in errors))
        self.errors = errors


def refuse_nul(value):
    if "\x00" in value:
        raise CellError("contains a NUL character, which no text may hold.")


class TextWidget(widgets.Widget):
    """Plain text, with the model field's length limit; ``required`` for names and titles.

    Text without a length limit (a summary, a full text, a biography) is ``multiline``;
    text with one (a title, a name, a reference) is one line. Either is cleaned by
    :func:`archive.models.text.plain_text` (see the module's docstring): vertical tabs and
    form feeds become line breaks or spaces, other control characters are removed.
    """

    def __init__(self, max_length=None, required=False, multiline=None):
        super().__init__()
        self.max_length = max_length
        self.required = required
        self.multiline = max_length is None if multiline is None else multiline

    def clean(self, value, row=None, **kwargs):
        value = value or ""
        refuse_nul(value)
        value = plain_text(value, multiline=self.multiline)
        if self.required and not value:
            raise CellError("is required and may not be empty.")
        if self.max_length and len(value) > self.max_length:
            raise CellError(
                f"is {len(value)} characters long; at most {self.max_length} are allowed."
            )
        return value

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class SlugWidget(TextWidget):
    """A record's address: letters, digits, hyphens and underscores."""

    def clean(self, value, row=None, **kwargs):
        value = super().clean(value, row, **kwargs)
        if value and not slug_re.fullmatch(value):
            raise CellError("a slug may hold only letters, digits, hyphens and underscores.")
        return value


class ChoiceWidget(widgets.Widget):
    """A value from a vocabulary, given by its code or its label, in any case."""

    def __init__(self, choices, noun, default="", hint=None):
        super().__init__()
        self.noun = noun
        self.default = default
        self.codes = [code for code, _ in choices]
        self.hint = hint or f"use one of: {', '.join(self.codes)}"
        self.lookup = {}
        for code, label in choices:
            self.lookup.setdefault(code.casefold(), code)
            self.lookup.setdefault(str(label).casefold(), code)

    def clean(self, value, row=None, **kwargs):
        if not value:
            return self.default
        try:
            return self.lookup[normalize(value)]
        except KeyError:
            raise CellError(f"not a known {self.noun}; {self.hint}.") from None

    def render(self, value, obj=None, **kwargs):
        return value or ""


class HistoricalDateWidget(widgets.Widget):
    """A date in the archive's date grammar; cleans to :class:`archive.dates.HistoricalDate`."""

    def __init__(self, max_length=100):
        super().__init__()
        self.max_length = max_length

    def clean(self, value, row=None, hyphen_years=False, **kwargs):
        """``hyphen_years``: the file writes "1905-06" for the years 1905–1906, not June."""
        refuse_nul(value)
        value = plain_text(value, multiline=False)
        if len(value) > self.max_length:
            raise CellError(
                f"is {len(value)} characters long; at most {self.max_length} are allowed."
            )
        try:
            return dates.parse(value, hyphen_years=hyphen_years)  # memoised there
        except dates.DateError as error:
            raise CellError(str(error)) from None

    def render(self, value, obj=None, **kwargs):
        return value or ""


class CoordinateWidget(widgets.Widget):
    """Latitude or longitude in decimal degrees, kept to six places (about 10 cm)."""

    PLACES = Decimal("0.000001")

    def __init__(self, limit):
        super().__init__()
        self.limit = limit

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        try:
            number = Decimal(value.replace(",", ".") if value.count(",") == 1 else value)
        except InvalidOperation:
            raise CellError(
                "is not a number; write decimal degrees such as 52.52 or -3.7."
            ) from None
        if not number.is_finite() or not -self.limit <= number <= self.limit:
            raise CellError(f"must lie between -{self.limit} and {self.limit}.")
        return number.quantize(self.PLACES)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return format(Decimal(value).normalize(), "f")


class NameListWidget(widgets.Widget):
    """Alternative names separated by semicolons; cleans to a list without repeats."""

    def __init__(self, max_length):
        super().__init__()
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        names, seen, errors = [], set(), []
        for name in split_names(value):
            if len(name) > self.max_length:
                errors.append(
                    CellError(f"is longer than {self.max_length} characters.", value=name)
                )
            elif name not in seen:
                seen.add(name)
                names.append(name)
        if errors:
            raise CellErrors(errors)
        return names

    def render(self, value, obj=None, **kwargs):
        return f"{SEPARATOR} ".join(value or [])


ROLE_SUFFIX = re.compile(r"^(.*?)\s*\(([^()]*)\)$")


class RelationWidget(widgets.Widget):
    """Related records named by name, alternative name, identifier or slug, separated by
    semicolons; with ``roles``, each may carry a role in parentheses: ``Molotov (signatory)``.

    Cleans to a list of pks, or of (pk, role) pairs, in the order written, without repeats.
    """

    def __init__(self, roles=None, default_role=None):
        super().__init__()
        self.roles = ChoiceWidget(roles, "role") if roles else None
        self.default_role = default_role

    def clean(self, value, row=None, references=None, **kwargs):
        items, seen, errors = [], set(), []
        for text in split_names(value):
            try:
                item = references.remember(
                    (self.default_role, text), partial(self.parse_item, text, references)
                )
            except CellError as error:
                errors.append(error)
                continue
            if item not in seen:
                seen.add(item)
                items.append(item)
        if errors:
            raise CellErrors(errors)
        return items

    def parse_item(self, text, references):
        if not self.roles:
            return self._resolve(text, text, references)
        match = ROLE_SUFFIX.match(text)
        if not match:
            return self._resolve(text, text, references), self.default_role
        name, role_text = match.groups()
        try:
            role = self.roles.clean(role_text.strip())
        except CellError as error:
            # "Deutsches Reich (1919–1933)" is a name with parentheses, not a role.
            try:
                return self._resolve(text, text, references), self.default_role
            except CellError:
                raise CellError(f"“{role_text}” is {error.reason}", value=text) from None
        return self._resolve(name, text, references), role

    @staticmethod
    def _resolve(name, text, references):
        try:
            return references.resolve(name)
        except UnknownReference as error:
            raise CellError(str(error), value=text) from None

    def render(self, value, obj=None, references=None, **kwargs):
        if self.roles:
            texts = (f"{references.reference(pk)} ({role})" for pk, role in value)
        else:
            texts = (references.reference(pk) for pk in value)
        return f"{SEPARATOR} ".join(texts)


def split_names(value):
    """The names in a cell, each one line of plain text (see the module's docstring)."""
    names = plain_text(value or "", multiline=False).split(SEPARATOR)
    return [name.strip() for name in names if name.strip()]
