"""The seed collection: it loads, every record is valid, published and cites the article."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from archive import dates, kinds
from archive.models import (
    AlternativeName,
    Citation,
    Document,
    Event,
    Figure,
    Organization,
    Place,
    Source,
    Status,
    Topic,
)

pytestmark = pytest.mark.usefixtures("seeded")

RECORD_KINDS = [kind.model for kind in kinds.KINDS]


def test_seed_holds_the_collection():
    counts = {model.__name__: model.objects.count() for model in RECORD_KINDS}
    assert counts == {
        "Document": 15,
        "Event": 32,
        "Figure": 17,
        "Place": 23,
        "Organization": 20,
        "Topic": 10,
        "Source": 1,
    }


def test_every_seeded_object_passes_full_clean():
    for model in apps.get_app_config("archive").get_models():
        for obj in model.objects.all():
            obj.full_clean()


def test_stored_date_bounds_match_the_typed_dates():
    for model in apps.get_app_config("archive").get_models():
        for name in getattr(model, "historical_dates", ()):
            for obj in model.objects.all():
                parsed = dates.parse(getattr(obj, name))
                stored = (getattr(obj, f"{name}_earliest"), getattr(obj, f"{name}_latest"))
                assert stored == (parsed.earliest, parsed.latest), (obj, name)


def test_every_record_is_published():
    for model in RECORD_KINDS:
        assert not model.objects.exclude(status=Status.PUBLISHED).exists(), model


def test_every_record_but_the_article_cites_the_article_with_a_passage():
    article = Source.objects.get()
    for model in (Document, Event, Figure, Place, Organization, Topic):
        content_type = ContentType.objects.get_for_model(model)
        cited = set(
            Citation.objects.filter(content_type=content_type, source=article)
            .exclude(passage="")
            .values_list("object_id", flat=True)
        )
        uncited = model.objects.exclude(pk__in=cited)
        assert not uncited.exists(), list(uncited)


def test_every_cited_passage_is_in_the_article():
    article = " ".join(Source.objects.get().text.split())
    for citation in Citation.objects.all():
        assert " ".join(citation.passage.split()) in article, citation.passage


def test_the_people_the_article_names_are_there():
    named = ["Stalin", "Hitler", "Paul-Boncour", "Litvinov", "Barthou", "Laval", "Molotov"]
    for name in named:
        assert Figure.objects.filter(name__contains=name).exists(), name
    assert Figure.objects.filter(name__contains="Ribbentrop").exists()


def test_molotov_is_found_by_his_russian_name():
    molotov = Figure.objects.get(alternative_names__name="Вячеслав Михайлович Молотов")
    assert molotov.slug == "vyacheslav-molotov"
    assert AlternativeName.objects.filter(object_id=molotov.pk, name__contains="Скрябин").exists()


def test_the_1939_pact_has_its_signatories_and_real_date():
    pact = Document.objects.get(slug="molotov-ribbentrop-pact")
    signatories = pact.figure_roles.filter(role="signatory").values_list("figure__name", flat=True)
    assert set(signatories) == {"Vyacheslav Molotov", "Joachim von Ribbentrop"}
    assert str(pact.date_earliest) == str(pact.date_latest) == "1939-08-23"
    assert pact.citations.exclude(passage="").exists()


def test_the_articles_errors_carry_editorial_notes():
    assert Citation.objects.exclude(note="").count() >= 5
