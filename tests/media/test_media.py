"""What the public sees of scans and portraits: derivatives re-encoded from the pixels, of
published records only, through the image views; originals stay with the editors."""

import io
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from archive.models import Document, DocumentImage, Status
from tests.support.admin_forms import admin_url, document_form
from tests.support.factories import DocumentFactory, FigureFactory, UserFactory, image_upload

pytestmark = pytest.mark.django_db

XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Scanner 9"/>'
    b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)
PHOTOGRAPHER = b"A. Photographer"
COMMENT = b"Scanned at home, 12 Example Street"


def iptc_segment():
    """A Photoshop APP13 segment holding an IPTC By-line (2:80), as cameras write it."""
    record = b"\x1c\x02\x50" + len(PHOTOGRAPHER).to_bytes(2, "big") + PHOTOGRAPHER
    resource = b"8BIM\x04\x04\x00\x00" + len(record).to_bytes(4, "big") + record
    payload = b"Photoshop 3.0\x00" + resource + b"\x00" * (len(record) % 2)
    return b"\xff\xed" + (len(payload) + 2).to_bytes(2, "big") + payload


def photo_with_metadata():
    """A 400×200 JPEG, red on the left and blue on the right, that a camera says to turn a
    quarter clockwise (orientation 6), with GPS EXIF, XMP, IPTC and a comment."""
    image = Image.new("RGB", (400, 200), "blue")
    image.paste("red", (0, 0, 200, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Camera Maker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)})
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, xmp=XMP, comment=COMMENT)
    data = buffer.getvalue()
    return data[:2] + iptc_segment() + data[2:]


def image_url(scan, variant):
    return reverse("archive:document_image", args=[scan.document.slug, scan.pk, variant])


def portrait_url(figure, variant):
    return reverse("archive:figure_portrait", args=[figure.slug, variant])


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def published_scan(**image):
    document = DocumentFactory(status=Status.PUBLISHED)
    return DocumentImage.objects.create(document=document, image=image_upload(**image))


# Metadata and orientation


def test_the_public_copies_carry_no_metadata_and_are_turned_upright(editor_client):
    original = photo_with_metadata()
    with Image.open(io.BytesIO(original)) as uploaded:  # what the test sends carries it all
        assert {"exif", "xmp", "photoshop", "comment"} <= set(uploaded.info)
        assert uploaded.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    document = DocumentFactory()
    data = document_form(document, status=Status.PUBLISHED)
    data.update(
        {
            "images-TOTAL_FORMS": "1",
            "images-0-image": SimpleUploadedFile("holiday.jpg", original, "image/jpeg"),
            "images-0-order": "1",
        }
    )
    assert editor_client.post(admin_url(Document, "change", document.pk), data).status_code == 302
    scan = document.images.get()

    for variant in ("display", "thumbnail"):
        response = editor_client.get(image_url(scan, variant))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        data = body(response)
        for marker in (b"http://ns.adobe.com/xap", b"Photoshop 3.0", b"Exif\x00\x00"):
            assert marker not in data
        assert PHOTOGRAPHER not in data and COMMENT not in data and b"Camera Maker" not in data
        with Image.open(io.BytesIO(data)) as public:
            assert public.format == "JPEG"
            assert not {"exif", "xmp", "XML:com.adobe.xmp", "photoshop", "comment"} & set(
                public.info
            )
            assert len(public.getexif()) == 0
            assert not public.getexif().get_ifd(ExifTags.IFD.GPSInfo)
            # Turned a quarter clockwise: portrait format, the red left half now on top.
            width, height = public.size
            assert height == 2 * width
            red, green, blue = public.convert("RGB").getpixel((width // 2, height // 4))
            assert red > 200 and blue < 60
            red, green, blue = public.convert("RGB").getpixel((width // 2, 3 * height // 4))
            assert blue > 200 and red < 60


def test_the_display_copy_is_at_most_1600_pixels_and_the_thumbnail_320(client):
    scan = published_scan(size=(2400, 1200))
    sizes = {}
    for variant in ("display", "thumbnail"):
        with Image.open(io.BytesIO(body(client.get(image_url(scan, variant))))) as image:
            sizes[variant] = image.size
    assert sizes == {"display": (1600, 800), "thumbnail": (320, 160)}


# Drafts


def test_a_draft_documents_scan_is_404_for_the_public_until_published(client, editor_client):
    document = DocumentFactory()
    scan = DocumentImage.objects.create(document=document, image=image_upload())
    for variant in ("display", "thumbnail"):
        assert client.get(image_url(scan, variant)).status_code == 404
        assert editor_client.get(image_url(scan, variant)).status_code == 404
    document.status = Status.PUBLISHED
    document.save()
    for variant in ("display", "thumbnail"):
        response = client.get(image_url(scan, variant))
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=3600"


def test_a_draft_figures_portrait_is_404_for_the_public_until_published(client):
    figure = FigureFactory(portrait=image_upload("portrait.png"))
    for variant in ("display", "thumbnail"):
        assert client.get(portrait_url(figure, variant)).status_code == 404
    figure.status = Status.PUBLISHED
    figure.save()
    for variant in ("display", "thumbnail"):
        response = client.get(portrait_url(figure, variant))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"


def test_a_drafts_scan_is_not_reached_through_a_published_documents_address(client):
    published = DocumentFactory(status=Status.PUBLISHED)
    draft_scan = DocumentImage.objects.create(document=DocumentFactory(), image=image_upload())
    url = reverse("archive:document_image", args=[published.slug, draft_scan.pk, "display"])
    assert client.get(url).status_code == 404


def test_only_the_two_public_sizes_exist(client):
    scan = published_scan()
    url = reverse("archive:document_image", args=[scan.document.slug, scan.pk, "original"])
    assert client.get(url).status_code == 404


def test_a_published_documents_page_shows_the_public_copies_not_the_stored_files(client):
    scan = published_scan()
    page = client.get(scan.document.get_absolute_url()).content.decode()
    assert f'src="{image_url(scan, "thumbnail")}"' in page
    assert f'href="{image_url(scan, "display")}"' in page
    for stored in (scan.image.name, scan.thumbnail.name, scan.display.name):
        assert stored not in page
    assert "scans/" not in page


def test_a_published_figures_page_shows_the_public_portrait(client):
    figure = FigureFactory(status=Status.PUBLISHED, portrait=image_upload("portrait.png"))
    page = client.get(figure.get_absolute_url()).content.decode()
    assert f'src="{portrait_url(figure, "thumbnail")}"' in page
    assert figure.portrait.name not in page and "portraits/" not in page


# The stored files: editors only


def test_the_media_folder_is_not_a_public_address(client):
    scan = published_scan()
    for url in (scan.image.url, scan.thumbnail.url, f"/media/{scan.image.name}"):
        response = client.get(url)
        assert response.status_code in (302, 404)
        assert not response.has_header("Content-Type") or "image" not in response["Content-Type"]
    assert client.get(scan.image.url).url.startswith(reverse("admin:login"))


def test_editors_see_the_original_and_staff_without_archive_rights_do_not(client, editor_client):
    scan = DocumentImage.objects.create(document=DocumentFactory(), image=image_upload())
    response = editor_client.get(scan.image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert body(response) == scan.image.read()
    client.force_login(UserFactory(is_staff=True))
    assert client.get(scan.image.url).status_code == 403


def test_editors_are_not_served_files_outside_the_media_folder(editor_client, media_root, settings):
    (media_root.parent / "secret.txt").write_text("not for the web")
    media_root.mkdir(exist_ok=True)
    response = editor_client.get(f"{settings.MEDIA_URL}..%2Fsecret.txt")
    assert response.status_code == 404


def test_a_stored_file_that_is_not_an_image_is_a_download_for_editors(editor_client):
    scan = DocumentImage.objects.create(
        document=DocumentFactory(), image=SimpleUploadedFile("x.png", b"<script>alert(1)</script>")
    )
    response = editor_client.get(scan.image.url)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


# Unreadable images


def test_a_corrupt_stored_scan_shows_a_placeholder_and_logs_an_error(client, caplog):
    png = image_upload().read()
    document = DocumentFactory(status=Status.PUBLISHED)
    scan = DocumentImage.objects.create(
        document=document, image=SimpleUploadedFile("page.png", png[: len(png) // 2])
    )  # as a restore or a failing disk may leave it: never validated
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="archive.media.images"):
        page = client.get(document.get_absolute_url())
        assert page.status_code == 200
        assert image_url(scan, "thumbnail") in page.content.decode()
        response = client.get(image_url(scan, "thumbnail"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"Image unavailable" in response.content
    errors = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert errors and scan.image.name in errors[0].getMessage()


def test_a_lost_public_copy_is_made_again_from_the_original(client, caplog):
    scan = published_scan()
    scan.display.storage.delete(scan.display.name)
    with caplog.at_level(logging.ERROR, logger="archive.media.images"):
        response = client.get(image_url(scan, "display"))
    assert response.status_code == 200
    with Image.open(io.BytesIO(body(response))) as image:
        assert image.format == "JPEG"
    assert "is missing" in caplog.text
    scan.refresh_from_db()
    assert scan.display.storage.exists(scan.display.name)


def test_a_scan_saved_before_display_copies_existed_gets_one_when_first_shown(client):
    scan = published_scan()
    DocumentImage.objects.filter(pk=scan.pk).update(display="")
    response = client.get(image_url(scan, "display"))
    assert response.status_code == 200
    scan.refresh_from_db()
    assert scan.display.name.startswith("display/")
