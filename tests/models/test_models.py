"""Model validation: what an editor sees when a record is wrong, and what the archive derives."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from archive.dates import Precision
from archive.models import Document, DocumentImage, Figure, Status
from tests.support.factories import DocumentFactory, EventFactory, FigureFactory, image_upload

pytestmark = pytest.mark.django_db


def test_impossible_date_is_an_error_on_that_field():
    document = DocumentFactory.build(date="31 February 1939")
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert list(error.value.message_dict) == ["date"]
    assert "February 1939 has 28 days" in error.value.message_dict["date"][0]


def test_saving_an_impossible_date_from_code_is_refused_too():
    with pytest.raises(ValidationError) as error:
        FigureFactory(death_date="1939-13-01")
    assert "death_date" in error.value.message_dict
    assert not Figure.objects.exists()


def test_typed_date_is_kept_and_bounds_are_derived():
    document = DocumentFactory(date="c. 1922")
    document.refresh_from_db()
    assert document.date == "c. 1922"
    assert (document.date_earliest, document.date_latest) == (date(1922, 1, 1), date(1922, 12, 31))
    assert document.date_precision == Precision.YEAR
    assert document.date_approximate is True


def test_changing_the_date_text_updates_the_bounds():
    event = EventFactory(start_date="1939")
    event.start_date = "August 1939"
    event.save()
    event.refresh_from_db()
    assert (event.start_date_earliest, event.start_date_latest) == (
        date(1939, 8, 1),
        date(1939, 8, 31),
    )
    assert event.start_date_precision == Precision.MONTH


def test_end_before_start_is_an_error_on_the_end():
    event = EventFactory.build(start_date="1941", end_date="1939")
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.message_dict["end_date"] == ["End date comes before start date."]


def test_death_before_birth_is_refused():
    figure = FigureFactory.build(birth_date="1890", death_date="1880")
    with pytest.raises(ValidationError) as error:
        figure.full_clean()
    assert "death_date" in error.value.message_dict


def test_slug_is_transliterated_from_any_script():
    figure = FigureFactory(name="Вячеслав Молотов")
    assert figure.slug == "viacheslav-molotov"


def test_slugs_stay_unique_within_a_kind():
    first = DocumentFactory(title="Treaty of Berlin")
    second = DocumentFactory(title="Treaty of Berlin")
    assert (first.slug, second.slug) == ("treaty-of-berlin", "treaty-of-berlin-2")


def test_identifier_is_optional_but_unique_within_a_kind():
    DocumentFactory(identifier="")
    DocumentFactory(identifier="")
    DocumentFactory(identifier="Q1393")
    with pytest.raises(ValidationError) as error:
        DocumentFactory.build(identifier="Q1393").full_clean()
    assert "identifier" in str(error.value)
    with pytest.raises(IntegrityError):
        DocumentFactory(identifier="Q1393")


def test_new_records_are_drafts_and_only_published_ones_are_public():
    draft = DocumentFactory()
    published = DocumentFactory(status=Status.PUBLISHED)
    assert draft.status == Status.DRAFT
    assert list(Document.objects.published()) == [published]


def test_sort_name_is_made_last_name_first():
    assert FigureFactory(name="Maxim Litvinov").sort_name == "Litvinov, Maxim"


def test_a_scan_gets_a_jpeg_thumbnail(media_root):
    scan = DocumentImage(document=DocumentFactory(), image=image_upload(size=(2000, 1000)))
    scan.full_clean()
    scan.save()
    assert scan.thumbnail.name.endswith(".jpg")
    from PIL import Image

    with Image.open(scan.thumbnail.path) as thumb:
        assert thumb.format == "JPEG"
        assert max(thumb.size) == 320


def test_a_file_that_is_not_an_image_is_refused_as_a_scan():
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("scan.png", b"<html>not a picture</html>", "image/png")
    scan = DocumentImage(document=DocumentFactory(), image=fake)
    with pytest.raises(ValidationError) as error:
        scan.full_clean()
    assert "not a JPEG, PNG, TIFF or WebP image" in error.value.message_dict["image"][0]


def test_an_image_over_the_pixel_cap_is_refused(settings):
    settings.ARCHIVE_MAX_IMAGE_PIXELS = 100 * 100
    figure = FigureFactory.build(portrait=image_upload(size=(120, 100)))
    with pytest.raises(ValidationError) as error:
        figure.full_clean()
    assert "more than the 10,000 pixels" in error.value.message_dict["portrait"][0]


def test_gif_portraits_are_refused():
    figure = FigureFactory.build(portrait=image_upload("p.gif", image_format="GIF"))
    with pytest.raises(ValidationError) as error:
        figure.full_clean()
    assert "GIF" in error.value.message_dict["portrait"][0]
    assert "are not accepted" in error.value.message_dict["portrait"][0]
