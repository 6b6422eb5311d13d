"""Which record each row of an import updates, and which slug each new record gets.

Rows are matched on identifier, then slug, then (with neither) the slug the row's title
or name would make. The keys of every record of the kind are read once, at the start,
and what the file itself uses is kept beside them, so that a row is checked against the
database and against the file's earlier rows without a query per row. New slugs are
numbered by the same rule as ``save()`` (:func:`archive.models.rules.numbered_slug`),
against these in-memory sets.
"""

from archive.models.rules import numbered_slug, slug_base


class RowMatcher:
    """The keys of existing records and of the file's rows so far.

    ``error(reason, **where)`` reports a problem; ``noun`` and ``name_field`` are the kind's
    (``figure``, ``name``), for the messages.
    """

    def __init__(self, model, name_field, error):
        self.model = model
        self.noun = model._meta.verbose_name
        self.name_field = name_field
        self.error = error

    def load(self):
        """Identifiers and slugs of every record of the kind: the keys rows match on."""
        self.by_identifier, self.by_slug, self.identifier_of = {}, {}, {}
        rows = self.model._default_manager.values_list("pk", "identifier", "slug")
        for pk, identifier, slug in rows.iterator(chunk_size=5000):
            self.by_slug[slug] = pk
            if identifier:
                self.by_identifier[identifier] = pk
                self.identifier_of[pk] = identifier
        # What the file has used so far, for its rows to be checked against each other.
        # One entry per row for a file of any length: plain strings and ints, no tuples.
        self.new_slugs = {}  # slug given to a record this file creates -> its row
        self.next_suffix = {}  # slug base -> last number tried, for bases met before
        self.seen_keys = {"identifier": {}, "slug": {}}  # value -> row
        self.seen_pks = {}  # matched record -> row
        self.set_aside = set()  # rows set aside whose keys later rows may not take

    def match(self, row):
        """Find the record the row updates (identifier, else slug); False on a clash."""
        values = row.values
        identifier = values.get("identifier", "")
        slug = values.get("slug", "")
        number = row.number
        if identifier and identifier in self.by_identifier:
            row.pk, column = self.by_identifier[identifier], "identifier"
        elif slug:
            row.pk, column = self.by_slug.get(slug), "slug"
            other = self.identifier_of.get(row.pk, "")
            if identifier and other:
                self.error(
                    f"this slug belongs to the {self.noun} with identifier {other}, "
                    f"not {identifier}.",
                    row=number,
                    column="slug",
                    value=slug,
                )
                return False
        elif identifier:
            column = "identifier"
        elif values.get(self.name_field):
            # No key given: the record whose slug the title or name would make.
            column = self.name_field
            row.pk = self.by_slug.get(slug_base(values[self.name_field]))
        else:
            self.error(
                f"the row names no {self.noun}: give it a {self.name_field}, an identifier "
                "or a slug.",
                row=number,
            )
            return False
        if slug and self.by_slug.get(slug, row.pk) != row.pk or slug in self.new_slugs:
            taken_by = self.new_slugs.get(slug)
            self.error(
                f"row {taken_by} already gives this slug to a new {self.noun}."
                if taken_by
                else f"another {self.noun} already has this slug.",
                row=number,
                column="slug",
                value=slug,
            )
            return False
        keys = [(name, values[name]) for name in ("identifier", "slug") if values.get(name)]
        if not keys:
            keys = [("slug", slug_base(values[self.name_field]))]
        for key in keys:
            earlier = self.seen_keys[key[0]].get(key[1]) or self.seen_pks.get(row.pk)
            if earlier:
                does = "is set aside but names" if earlier in self.set_aside else "already imports"
                self.error(
                    f"row {earlier} {does} this {self.noun} ({key[0]} {key[1]}); "
                    "give each row its own identifier or slug.",
                    row=number,
                    column=column,
                    value=values.get(column, ""),
                )
                return False
        for name, value in keys:
            self.seen_keys[name][value] = number
        if row.pk is not None:
            self.seen_pks[row.pk] = number
        return True

    def reserve(self, number, values, keys_read=True):
        """Row ``number`` is set aside: the record it names (by the values of its cells
        that could be read) is kept from the file's later rows, which are set aside in
        their turn, as if the row had been imported. Else a later row naming the same
        record would be imported, and the row, corrected and imported again, would
        overwrite it. ``keys_read`` says the identifier and slug cells could be read; if
        not, the name is no key (the row may have meant another record)."""
        self.set_aside.add(number)
        keys = [(name, values[name]) for name in ("identifier", "slug") if values.get(name)]
        if not keys and keys_read and values.get(self.name_field):
            keys = [("slug", slug_base(values[self.name_field]))]
        for name, value in keys:
            self.seen_keys[name].setdefault(value, number)
            pk = self.by_identifier.get(value) if name == "identifier" else self.by_slug.get(value)
            if pk is not None:
                self.seen_pks.setdefault(pk, number)

    def _taken(self, slug):
        return slug in self.by_slug or slug in self.new_slugs

    def new_slug(self, number, name, given=""):
        """The slug of the record row ``number`` creates: the one the row gives (which
        :meth:`match` found free), else one numbered from its name. Taken from now on."""
        slug = given or numbered_slug(slug_base(name), self._taken, self.next_suffix)
        self.new_slugs[slug] = number
        return slug

    def moved(self, pk, slug):
        """An updated record takes a new slug: no later row may give it to another."""
        self.by_slug[slug] = pk
