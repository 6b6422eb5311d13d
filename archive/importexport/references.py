"""Records named in spreadsheet cells: by name, alternative name, identifier or slug.

One index per record kind is built once per import or export (a few queries), so that
resolving a cell is a dictionary look-up, never a query.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.utils.functional import cached_property

from archive.models import AlternativeName
from archive.search.suggestions import (
    close_matches,
    normalize,
    similar_names,
    uses_trigrams,
    words_of,
)

# Working out suggestions scans every name; past this many misses an import stops
# suggesting, so that a file full of unknown names still finishes quickly.
SUGGESTION_LIMIT = 200
# Cell texts whose resolution is remembered at a time (about 25 MB).
MEMO_LIMIT = 100_000


class UnknownReference(LookupError):
    """The text names no record, or several."""


class ReferenceIndex:
    """Every way the records of one kind can be named, and the way each is written back."""

    def __init__(self, model):
        self.model = model
        self.noun = model._meta.verbose_name
        # Only what resolving needs is held for the whole import; names and labels for
        # messages and exports are read when first wanted (see labels, display), so that
        # the index of a large kind stays small.
        self.by_identifier = {}
        self.by_slug = {}
        self.by_name = {}  # normalized name -> pk, or a tuple of pks when names collide
        self._suggested = {}
        self.memo = {}  # cell text -> what it resolved to; see remember()
        for pk, name, identifier, slug in self._records():
            self.by_slug[slug.casefold()] = pk
            if identifier:
                self._add(self.by_identifier, normalize(identifier), pk)
            self._add_name(name, pk)
        for pk, name in self._alternative_names():
            self._add_name(name, pk)

    def _records(self):
        rows = self.model._default_manager.values_list(
            "pk", self.model.slug_source, "identifier", "slug"
        )
        return rows.iterator(chunk_size=5000)

    def _alternative_names(self):
        if not hasattr(self.model, "alternative_names"):
            return []
        alternatives = AlternativeName.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model),
            object_id__in=self.model._default_manager.values("pk"),
        ).values_list("object_id", "name")
        return alternatives.iterator(chunk_size=5000)

    @cached_property
    def labels(self):
        """{pk: (name, identifier, slug)}, for messages and for writing references."""
        return {pk: (name, identifier, slug) for pk, name, identifier, slug in self._records()}

    @cached_property
    def display(self):
        """{normalized name: the name as written}, for suggestions."""
        display = {}
        for _, name, _, _ in self._records():
            display.setdefault(normalize(name), name)
        for _, name in self._alternative_names():
            display.setdefault(normalize(name), name)
        display.pop("", None)
        return display

    def remember(self, key, resolve):
        """What ``resolve()`` gives for ``key``, worked out once while it is remembered:
        cells repeat names, but a file of a million rows must not fill memory with them."""
        found = self.memo.get(key)
        if found is None:
            if len(self.memo) >= MEMO_LIMIT:
                self.memo.clear()
            found = self.memo[key] = resolve()
        return found

    @staticmethod
    def _add(mapping, key, pk):
        found = mapping.get(key)
        if found is None or found == pk:
            mapping[key] = pk
        elif isinstance(found, tuple):
            if pk not in found:
                mapping[key] = (*found, pk)
        else:
            mapping[key] = (found, pk)

    def _add_name(self, name, pk):
        key = normalize(name)
        if key:
            self._add(self.by_name, key, pk)

    def resolve(self, text):
        """The pk of the one record ``text`` names; identifiers win over slugs over names."""
        key = normalize(text)
        for mapping in (self.by_identifier, self.by_slug, self.by_name):
            found = mapping.get(key)
            if found is None:
                continue
            if isinstance(found, tuple):
                labels = self.labels
                choices = ", ".join(
                    f"{labels[pk][0]} ({labels[pk][1] or labels[pk][2]})" for pk in found
                )
                raise UnknownReference(
                    f"{len(found)} {self.model._meta.verbose_name_plural} go by this name: "
                    f"{choices}; name the one you mean by its identifier or slug."
                )
            return found
        raise UnknownReference(
            f"no {self.noun} has this name, alternative name, identifier or slug"
            + self._suggestion(key)
        )

    def _suggestion(self, key):
        if key not in self._suggested:
            if len(self._suggested) >= SUGGESTION_LIMIT:
                return "."
            found = self._closest(key)
            self._suggested[key] = (
                "; closest known names: " + ", ".join(found) + "." if found else "."
            )
        return self._suggested[key]

    def _closest(self, key):
        """The names closest to a name that matched nothing: by the trigram indexes on
        PostgreSQL, else by comparing with every name held here."""
        records = self.model._default_manager.all()
        if uses_trigrams(connections[records.db]):
            return [name for name, _ in similar_names(self.model, key, records)]
        if not hasattr(self, "_by_word"):
            self._by_word = words_of(self.display)
        return [self.display[name] for name in close_matches(key, self.display, self._by_word)]

    def reference(self, pk):
        """Text that names record ``pk`` and resolves back to it: its name where that is
        unambiguous, else its identifier, else its slug (always unique)."""
        name, identifier, slug = self.labels[pk]
        for text in (name, identifier, slug):
            if not text or ";" in text or text != text.strip():
                continue
            try:
                if self.resolve(text) == pk:
                    return text
            except UnknownReference:
                continue
        return slug
