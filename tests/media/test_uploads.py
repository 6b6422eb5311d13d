"""Uploads through the admin's real change forms: only JPEG, PNG, TIFF and WebP, judged by
content, within the size and pixel caps, stored under a random name."""

import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from archive.models import Document, DocumentImage, Figure
from tests.support.admin_forms import admin_url, document_form, no_inline_forms
from tests.support.factories import DocumentFactory, FigureFactory, image_upload

REFUSED = "The file is not a JPEG, PNG, TIFF or WebP image the archive can read."


def pillow_file(image_format):
    """A real file of ``image_format`` written by Pillow (EPS, PDF…)."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format=image_format)
    return buffer.getvalue()


NOT_IMAGES = {
    "svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script></svg>"
    ),
    "eps": pillow_file("EPS"),
    "pdf": pillow_file("PDF"),
    "html": b"<!doctype html><html><body><script>alert(1)</script></body></html>",
}


def upload_scan(client, document, upload):
    """Post the document's change form with one new scan, as the browser does."""
    data = document_form(document)
    data.update({"images-TOTAL_FORMS": "1", "images-0-image": upload, "images-0-order": "1"})
    return client.post(admin_url(Document, "change", document.pk), data)


def figure_form(figure, **changes):
    """The POST data of a figure's change form."""
    data = {
        "name": figure.name,
        "sort_name": figure.sort_name,
        "birth_date": figure.birth_date,
        "death_date": figure.death_date,
        "nationality": figure.nationality,
        "status": figure.status,
        "biography": figure.biography,
        "portrait_caption": "",
        "slug": figure.slug,
        "identifier": figure.identifier,
        "seen_version": figure.version,
    }
    data.update(
        no_inline_forms(
            "archive-alternativename-content_type-object_id",
            "positions",
            "archive-citation-content_type-object_id",
        )
    )
    data.update(changes)
    return data


def page_text(response):
    return html.unescape(response.content.decode())


def stored_files(media_root):
    return sorted(path for path in media_root.rglob("*") if path.is_file())


@pytest.mark.parametrize("kind", NOT_IMAGES)
def test_a_file_that_is_not_an_image_named_png_is_refused_with_a_clear_message(
    editor_client, media_root, kind
):
    document = DocumentFactory()
    upload = SimpleUploadedFile("scan.png", NOT_IMAGES[kind], content_type="image/png")
    response = upload_scan(editor_client, document, upload)
    assert response.status_code == 200
    assert REFUSED in page_text(response)
    assert "are not accepted, whatever the file is called" in page_text(response)
    assert not document.images.exists()
    assert stored_files(media_root) == []


def test_an_svg_portrait_is_refused_with_a_clear_message(editor_client, media_root):
    figure = FigureFactory()
    upload = SimpleUploadedFile("portrait.png", NOT_IMAGES["svg"], content_type="image/png")
    response = editor_client.post(
        admin_url(Figure, "change", figure.pk), figure_form(figure, portrait=upload)
    )
    assert response.status_code == 200
    assert REFUSED in page_text(response)
    figure.refresh_from_db()
    assert not figure.portrait
    assert stored_files(media_root) == []


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "TIFF", "WEBP"])
def test_a_real_image_is_accepted_as_a_scan(editor_client, image_format):
    document = DocumentFactory()
    upload = image_upload("page.img", image_format=image_format)
    response = upload_scan(editor_client, document, upload)
    assert response.status_code == 302
    scan = document.images.get()
    with Image.open(scan.image) as stored:
        assert stored.format == image_format


@pytest.mark.parametrize(
    "pixels",
    [
        120 * 100,  # over the cap, where Pillow only warns: the archive refuses anyway
        300 * 100,  # more than twice the cap, where Pillow itself refuses
    ],
)
def test_an_image_over_the_pixel_cap_is_refused_in_the_admin(editor_client, settings, pixels):
    settings.ARCHIVE_MAX_IMAGE_PIXELS = 100 * 100
    document = DocumentFactory()
    response = upload_scan(editor_client, document, image_upload(size=(pixels // 100, 100)))
    assert response.status_code == 200
    assert "more than the 10,000 pixels the archive accepts" in page_text(response)
    assert not document.images.exists()


def test_an_upload_over_the_size_cap_is_refused_in_the_admin(editor_client, settings):
    settings.ARCHIVE_MAX_UPLOAD_BYTES = 20_000
    buffer = io.BytesIO()
    Image.effect_noise((200, 200), 80).convert("RGB").save(buffer, format="PNG")
    assert len(buffer.getvalue()) > 20_000
    document = DocumentFactory()
    upload = SimpleUploadedFile("noise.png", buffer.getvalue(), content_type="image/png")
    response = upload_scan(editor_client, document, upload)
    assert response.status_code == 200
    assert "the archive accepts images of up to 19.5\xa0KB" in page_text(response)
    assert not document.images.exists()


@pytest.mark.parametrize("name", ["../../etc/passwd.png", "<script>alert(1)</script>.png"])
def test_a_scan_is_stored_under_a_random_name_whatever_it_is_called(
    editor_client, media_root, name
):
    document = DocumentFactory()
    response = upload_scan(editor_client, document, image_upload(name))
    assert response.status_code == 302
    stored = document.images.get().image
    assert re.fullmatch(r"scans/[0-9a-f]{32}\.png", stored.name)
    assert stored_files(media_root / "scans") == [media_root / stored.name]


def test_the_extension_comes_from_the_content_not_the_name(editor_client):
    document = DocumentFactory()
    upload_scan(editor_client, document, image_upload("photo.png", image_format="JPEG"))
    assert re.fullmatch(r"scans/[0-9a-f]{32}\.jpg", document.images.get().image.name)


def test_a_portrait_is_stored_under_a_random_name(editor_client, media_root):
    figure = FigureFactory()
    upload = image_upload("<img src=x onerror=alert(1)>.webp", image_format="WEBP")
    response = editor_client.post(
        admin_url(Figure, "change", figure.pk), figure_form(figure, portrait=upload)
    )
    assert response.status_code == 302
    figure.refresh_from_db()
    assert re.fullmatch(r"portraits/[0-9a-f]{32}\.webp", figure.portrait.name)
    assert (media_root / figure.portrait.name).is_file()


def test_a_scan_saved_without_validation_never_keeps_the_uploaders_extension(db, media_root):
    scan = DocumentImage.objects.create(
        document=DocumentFactory(),
        image=SimpleUploadedFile("page.html", b"<script>alert(1)</script>", "text/html"),
    )
    assert re.fullmatch(r"scans/[0-9a-f]{32}\.bin", scan.image.name)
