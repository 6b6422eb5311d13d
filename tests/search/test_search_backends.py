"""Search on both databases: the seeded archive ranks, highlights and suggests alike;
each database's own machinery (FTS5 tables, tsvector + GIN, trigram indexes) is tested
on that database."""

import pytest
from django.db import connection, transaction

from archive import search
from archive.importexport.references import ReferenceIndex, UnknownReference
from archive.models import Document, Figure, Status
from archive.search import suggestions as similar
from tests.support.factories import DocumentFactory, FigureFactory


def titles(response):
    return [str(record) for record, _ in response.context["results"]]


def test_seeded_search_ranks_and_highlights_ribbentrop(client, seeded):
    response = client.get("/documents/", {"q": "Ribbentrop"})
    found = titles(response)
    assert (
        "Treaty of Non-Aggression between Germany and the Union of Soviet Socialist Republics"
        in found
    )
    assert all(
        snippet and "<mark>Ribbentrop</mark>" in snippet
        for _, snippet in response.context["results"]
    )
    ranks = search.search(Document, "Ribbentrop")[1]
    assert sorted(ranks.values(), reverse=True) == [
        ranks[document.pk] for document in response.context["page"].object_list
    ]


def test_seeded_search_finds_molotov_by_his_russian_name(client, seeded):
    response = client.get("/search/", {"q": "Молотов"})
    found = titles(response)
    assert "Vyacheslav Molotov" in found
    assert (
        "Treaty of Non-Aggression between Germany and the Union of Soviet Socialist Republics"
        in found
    )
    _, snippet = next(
        pair for pair in response.context["results"] if str(pair[0]) == "Vyacheslav Molotov"
    )
    assert "<mark>Молотов</mark>" in snippet


def test_search_ignores_accents_and_case_and_completes_the_last_word(seeded):
    assert search.search(Document, "RAPALLÓ")[0].filter(slug="treaty-of-rapallo").exists()
    assert search.search(Document, "Schulenb")[0].exists()


def test_snippets_escape_the_text_and_mark_only_the_matches(db):
    document = DocumentFactory(
        title="Letter",
        summary='<script>alert("x")</script> about the pact & more',
        status=Status.PUBLISHED,
    )
    snippet = search.snippets(Document, "pact", [document.pk])[document.pk]
    # FTS5 keeps the tag as escaped text; PostgreSQL's parser drops tags from headlines.
    assert "<script" not in snippet
    assert "<mark>pact</mark>" in snippet
    assert snippet.count("<mark>") == snippet.count("</mark>") == 1


def test_a_title_match_ranks_above_a_text_match(db):
    in_text = DocumentFactory(title="Memorandum", text="a word on the armistice")
    in_title = DocumentFactory(title="Armistice", text="terms")
    ranks = search.search(Document, "armistice")[1]
    assert ranks[in_title.pk] > ranks[in_text.pk]


def test_an_edited_record_is_searched_by_its_new_words_at_once(db):
    document = DocumentFactory(title="Draft communiqué")
    document.title = "Final communiqué"
    document.save()
    assert list(search.search(Document, "final")[0]) == [document]
    assert not search.search(Document, "draft")[0].exists()
    document.delete()
    assert not search.search(Document, "final")[0].exists()


def test_a_misspelt_search_suggests_the_published_name(client, seeded):
    response = client.get("/search/", {"q": "Molotof"})
    assert response.context["suggestion"][0] == "Vyacheslav Molotov"
    assert "Did you mean" in response.content.decode()
    response = client.get("/figures/", {"q": "Ribentrop", "sort": "title"})
    name, url = response.context["suggestion"]
    assert name in {"Ribbentrop", "Joachim von Ribbentrop"}  # a name or an alternative name
    assert "sort=title" in url and f"q={name.replace(' ', '+')}" in url


def test_suggestions_never_name_a_draft(client, db):
    FigureFactory(name="Wilhelm Canaris", status=Status.DRAFT)
    assert similar.suggest("Canaris") is None
    assert client.get("/search/", {"q": "Canari"}).context["suggestion"] is None


def test_a_search_with_enough_results_suggests_nothing(client, seeded):
    assert client.get("/search/", {"q": "treaty"}).context["suggestion"] is None


def test_an_unknown_name_in_an_import_suggests_the_closest_names(seeded):
    with pytest.raises(UnknownReference, match="closest known names: .*Vyacheslav Molotov"):
        ReferenceIndex(Figure).resolve("Molotof")


@pytest.mark.sqlite
def test_sqlite_keeps_an_fts5_table_per_kind(seeded):
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'archive_document_search'")
        (sql,) = cursor.fetchone()
        assert "fts5" in sql.lower()
        cursor.execute("SELECT count(*) FROM archive_document_search")
        assert cursor.fetchone()[0] == Document.objects.count()


def explain(sql, params):
    """The PostgreSQL plan of a query, with sequential scans ruled out: on a table of a few
    dozen rows the planner rightly prefers them, and the question is whether the index
    can answer at all."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgresql
def test_postgresql_search_reads_the_gin_index_of_weighted_vectors(seeded):
    from archive.search import postgres as search_postgres

    expression = search_postgres.tsquery(["ribbentrop"])
    plan = explain(search_postgres.matches("archive_document_search"), [expression])
    assert "archive_document_search_vector" in plan
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT vector::text FROM archive_document_search s JOIN archive_document d "
            "ON d.id = s.record_id WHERE d.slug = 'treaty-of-rapallo'"
        )
        (vector,) = cursor.fetchone()
    assert "'rapallo':" in vector and "A" in vector.split("'rapallo':")[1].split(" ")[0]


@pytest.mark.postgresql
def test_postgresql_configuration_unaccents_every_script(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('archive_names', 'Schulenbürg Молотов Ёлкин París')")
        (vector,) = cursor.fetchone()
    assert vector == "'paris':4 'schulenburg':1 'елкин':3 'молотов':2"


@pytest.mark.postgresql
def test_postgresql_name_suggestions_use_the_trigram_index(seeded):
    plan = explain(
        "SELECT name FROM archive_figure WHERE archive_unaccent(%s) <%% archive_unaccent(name)",
        ["Molotof"],
    )
    assert "archive_figure_name_trgm" in plan
    assert similar.similar_names(Figure, "Ribentrop")[0][0] == "Ribbentrop"  # an alternative name
