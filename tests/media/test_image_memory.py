"""Checking an upload and making its public copies stay within a memory bound.

A PNG, TIFF or WebP image (and a progressive JPEG) is decoded whole before it can be made
smaller, so those are accepted up to ARCHIVE_MAX_DECODE_PIXELS, below the archive's pixel
cap; a baseline JPEG is decoded at a fraction of its size (libjpeg's scaling) and may
have up to ARCHIVE_MAX_IMAGE_PIXELS. Each large image is checked and copied in a process
of its own, whose peak resident memory is the figure asserted.
"""

import html
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from archive.models import Document
from tests.support.admin_forms import admin_url, document_form
from tests.support.factories import DocumentFactory, image_upload

ROOT = Path(__file__).resolve().parents[2]

# What checking an upload and making both public copies may take, the Python process with
# Django loaded included (about 60 MB of it).
BOUND_MB = 300

TOO_MANY = "too many to decode safely"

# Checks the image at argv[1] as the upload form does, then makes its public copies as
# saving it does; prints what happened and the process's peak memory. VmHWM is this
# process's own peak: ru_maxrss would include the parent's, inherited at exec on Linux.
CHILD = """
import json, resource, sys
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files import File
from PIL import Image
from archive.media.images import DERIVATIVE_SIZES, make_derivative, validate_image

def peak_mb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

path = sys.argv[1]
baseline = peak_mb()
with open(path, "rb") as handle:
    upload = File(handle, name=path)
    upload._committed = False  # an upload, not yet stored
    try:
        validate_image(upload)
        refused = None
    except ValidationError as error:
        refused = " ".join(error.messages)
made = {}
if refused is None:
    for variant in DERIVATIVE_SIZES:
        content = make_derivative(File(open(path, "rb"), name=path), variant)
        made[variant] = content and Image.open(content).size
print(json.dumps({"refused": refused, "made": made, "peak_mb": peak_mb(), "baseline_mb": baseline}))
"""


def check_and_copy(path):
    """Check ``path`` as an upload and make its public copies, in a process of its own."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.splitlines()[-1])
    print(
        f"{path.name}: peak {outcome['peak_mb']:.0f} MB (Python with Django: "
        f"{outcome['baseline_mb']:.0f} MB); refused: {outcome['refused']}; made: {outcome['made']}"
    )
    return outcome


def solid(path, size, mode="RGB", **options):
    Image.new(mode, size, (200, 180, 150, 255)[: len(mode)]).save(path, **options)
    return path


def test_a_100_million_pixel_png_is_refused_with_a_clear_message_without_decoding_it(tmp_path):
    # 10,000 x 10,000: within the archive's pixel cap, and 400 MB once decoded.
    png = solid(tmp_path / "huge.png", (10_000, 10_000), "RGBA", compress_level=1)
    assert png.stat().st_size < 2_000_000  # small on disk

    outcome = check_and_copy(png)

    assert TOO_MANY in outcome["refused"]
    assert f"{settings.ARCHIVE_MAX_DECODE_PIXELS:,} pixels" in outcome["refused"]
    assert outcome["peak_mb"] < BOUND_MB


def test_a_100_million_pixel_jpeg_is_accepted_and_copied_within_the_bound(tmp_path):
    jpeg = solid(tmp_path / "huge.jpg", (10_000, 10_000), quality=85)

    outcome = check_and_copy(jpeg)

    assert outcome["refused"] is None
    assert outcome["made"] == {"display": [1600, 1600], "thumbnail": [320, 320]}
    assert outcome["peak_mb"] < BOUND_MB


def test_the_largest_png_accepted_is_copied_within_the_bound(tmp_path):
    width = 8_000
    height = settings.ARCHIVE_MAX_DECODE_PIXELS // width
    png = solid(tmp_path / "largest.png", (width, height), "RGBA", compress_level=1)

    outcome = check_and_copy(png)

    assert outcome["refused"] is None
    assert outcome["made"]["display"][0] == 1600
    assert outcome["peak_mb"] < BOUND_MB


# What an editor sees: the message on the upload form (the cap lowered, to keep it quick).


def upload_scan(client, upload):
    document = DocumentFactory()
    data = document_form(document)
    data.update({"images-TOTAL_FORMS": "1", "images-0-image": upload, "images-0-order": "1"})
    return client.post(admin_url(Document, "change", document.pk), data)


def jpeg_upload(size, **options):
    """A JPEG as a camera or scanner writes it; ``progressive=True`` for a progressive one."""
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format="JPEG", **options)
    return SimpleUploadedFile("scan.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.parametrize(
    "upload",
    [
        lambda: image_upload("scan.png", size=(200, 100)),
        lambda: image_upload("scan.tif", size=(200, 100), image_format="TIFF"),
        lambda: image_upload("scan.webp", size=(200, 100), image_format="WEBP"),
        lambda: jpeg_upload((200, 100), progressive=True),
    ],
    ids=["png", "tiff", "webp", "progressive-jpeg"],
)
def test_an_image_decoded_whole_over_the_decode_cap_is_refused_on_the_form(
    editor_client, settings, upload
):
    settings.ARCHIVE_MAX_DECODE_PIXELS = 100 * 100
    response = upload_scan(editor_client, upload())
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert f"The image has 20,000 pixels: {TOO_MANY}" in page
    assert "up to 10,000 pixels" in page
    assert "save it as a standard (baseline) JPEG" in page
    assert not Document.objects.get().images.exists()


def test_a_baseline_jpeg_over_the_decode_cap_is_accepted(editor_client, settings):
    settings.ARCHIVE_MAX_DECODE_PIXELS = 100 * 100
    response = upload_scan(editor_client, jpeg_upload((200, 100)))
    assert response.status_code == 302
    assert Document.objects.get().images.get().display
