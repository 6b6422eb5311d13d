"""Images (scans, portraits), with Pillow: validation by content, private originals stored
under random names, and the public derivatives re-encoded from the pixels alone.

The public never receives an original: it may carry EXIF (camera, GPS position), XMP or
IPTC metadata, and its format is the uploader's choice. What the public sees is a JPEG
made here from the pixels, at display size or as a thumbnail, served by
``archive.media.views`` while the record it belongs to is published.
"""

import io
import logging
import uuid
import warnings
from contextlib import contextmanager
from math import ceil

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from PIL import ExifTags, Image, UnidentifiedImageError

logger = logging.getLogger(__name__)

# Only these decoders ever see an upload: Pillow is told not to try its other plugins
# (EPS, for one, hands the file to Ghostscript).
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "TIFF": "tif", "WEBP": "webp"}
ALLOWED_FORMATS = tuple(EXTENSIONS)
# The public derivatives: the longest side of each, in pixels.
DERIVATIVE_SIZES = {"display": 1600, "thumbnail": 320}
# EXIF orientation -> the turn that makes the image upright (as ImageOps.exif_transpose).
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# A JPEG is decoded at 1/2, 1/4 or 1/8 of its size when a copy this many times the size
# wanted still results (Pillow's thumbnail() reduces by the same gap).
REDUCING_GAP = 2


class TooLargeToDecode(Exception):
    """An image that must be decoded whole, with more than ARCHIVE_MAX_DECODE_PIXELS."""

    def __init__(self, pixels):
        super().__init__(f"{pixels:,} pixels to decode whole")
        self.pixels = pixels


# Pillow reports broken files as OSError, ValueError or SyntaxError, depending on the format.
READ_ERRORS = (
    UnidentifiedImageError,
    OSError,
    ValueError,
    SyntaxError,
    Image.DecompressionBombError,
    TooLargeToDecode,
)


def validate_image(field_file):
    """Accept only real JPEG, PNG, TIFF or WebP images within the size and pixel caps.

    The image is decoded, to find a truncated or broken file, but at most as large as its
    thumbnail needs: a JPEG at a fraction of its size, other formats only within
    ARCHIVE_MAX_DECODE_PIXELS.
    """
    if getattr(field_file, "_committed", False):
        return  # stored already, so checked when it was uploaded; not decoded on every save
    if field_file.size and field_file.size > settings.ARCHIVE_MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"The file is {filesizeformat(field_file.size)}; the archive accepts images of up "
            f"to {filesizeformat(settings.ARCHIVE_MAX_UPLOAD_BYTES)}."
        )
    try:
        with _opened(field_file, min(DERIVATIVE_SIZES.values())):
            pass
    except TooLargeToDecode as error:
        raise ValidationError(
            f"The image has {error.pixels:,} pixels: too many to decode safely. PNG, TIFF and "
            "WebP images and progressive JPEGs are decoded whole to make the public copies, "
            f"so the archive accepts them up to {settings.ARCHIVE_MAX_DECODE_PIXELS:,} pixels. "
            "Scale the image down, or save it as a standard (baseline) JPEG, which may have "
            f"up to {settings.ARCHIVE_MAX_IMAGE_PIXELS:,} pixels."
        ) from error
    except Image.DecompressionBombError as error:
        raise ValidationError(
            f"The image has more than the {settings.ARCHIVE_MAX_IMAGE_PIXELS:,} pixels the "
            "archive accepts; scale it down before uploading."
        ) from error
    except READ_ERRORS as error:
        raise ValidationError(
            "The file is not a JPEG, PNG, TIFF or WebP image the archive can read. Other "
            "formats (SVG, GIF, PDF, EPS, HTML…) are not accepted, whatever the file is called."
        ) from error


class UploadedImageField(models.ImageField):
    """An image that editors upload: checked by :func:`validate_image` alone.

    Django's own form check opens an upload with every Pillow plugin and answers "not an
    image or a corrupted image" for anything it cannot read; here only the four accepted
    decoders see the file, and the message says what the archive accepts and why not.
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": _UploadedImageFormField, **kwargs})


class _UploadedImageFormField(forms.ImageField):
    # The file's name and extension decide nothing: the content is checked, the name replaced.
    default_validators = []

    def to_python(self, data):
        return forms.FileField.to_python(self, data)


def random_name(folder, field_file):
    """``folder/<random hex>.<extension of the format found in the file>``.

    Nothing of the uploader's file name is kept: it could hold a path, markup or a name
    that collides, and its extension need not match the content.
    """
    try:
        field_file.seek(0)
        with Image.open(field_file, formats=ALLOWED_FORMATS) as image:
            extension = EXTENSIONS[image.format]
    except READ_ERRORS:
        extension = "bin"  # saved without validation (a shell, a restore): never served as is
    finally:
        field_file.seek(0)
    return f"{folder}/{uuid.uuid4().hex}.{extension}"


def scan_upload_to(instance, filename):
    """Where a document's scan is stored: a random name under ``scans/``."""
    return random_name("scans", instance.image)


def portrait_upload_to(instance, filename):
    """Where a figure's portrait is stored: a random name under ``portraits/``."""
    return random_name("portraits", instance.portrait)


def refresh_derivatives(instance, image_field, derivative_fields):
    """Remake the derivatives (``{variant: field name}``) of a new or changed image.

    An image that cannot be read gets none (the error is logged); the public then sees
    a placeholder.
    """
    image = getattr(instance, image_field)
    derivatives = {variant: getattr(instance, name) for variant, name in derivative_fields.items()}
    if not image:
        for name in derivative_fields.values():
            setattr(instance, name, None)
        return
    if getattr(image, "_committed", True):
        # The image did not change: make only what is missing (records from before a
        # variant existed, or whose image could not be read before).
        derivatives = {variant: file for variant, file in derivatives.items() if not file}
    for variant, derivative in derivatives.items():
        content = make_derivative(image, variant)
        if content is None:
            setattr(instance, derivative_fields[variant], None)
        else:
            derivative.save(f"{uuid.uuid4().hex}.jpg", content, save=False)


def make_derivative(field_file, variant):
    """A JPEG of ``field_file`` at the size of ``variant``, or None (logged) if unreadable.

    Orientation is applied, then only the pixels are copied into a new image, so that no
    EXIF, GPS, XMP, IPTC, ICC profile or comment of the original reaches the public.
    """
    size = DERIVATIVE_SIZES[variant]
    try:
        with _opened(field_file, size) as image:
            image = _small_and_upright(image, size)
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            pixels = Image.frombytes(image.mode, image.size, image.tobytes())
    except READ_ERRORS:
        logger.exception("Could not read the image %s to make its %s", field_file.name, variant)
        return None
    buffer = io.BytesIO()
    pixels.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue())


def _small_and_upright(image, size):
    """``image`` (decoded) at most ``size`` pixels on its longest side, turned upright.

    The full-size pixels are never copied: the image is made small first (in place, or a
    band of rows at a time), then turned, which gives the same size in a square box.
    """
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    if image.mode in ("RGBA", "LA"):
        image = _reduced_without_alpha(image, size)
    image.thumbnail((size, size))
    upright = UPRIGHT.get(orientation)
    return image.transpose(upright) if upright else image


def _reduced_without_alpha(image, size):
    """An image with alpha, reduced by a whole factor to about REDUCING_GAP × ``size``, a
    band of rows at a time, its alpha dropped (the public copies are JPEGs). Pillow would
    resize it through a full-size premultiplied copy: twice the memory."""
    mode = image.mode[:-1]  # RGB, L
    factor = max(1, max(image.size) // (REDUCING_GAP * size))
    band = 64 * factor
    reduced = Image.new(mode, (ceil(image.width / factor), ceil(image.height / factor)))
    for top in range(0, image.height, band):
        rows = image.crop((0, top, image.width, min(top + band, image.height)))
        reduced.paste(rows.convert(mode).reduce(factor), (0, top // factor))
    return reduced


def decoded_whole(image):
    """Whether ``image`` (opened, not yet decoded) is in memory whole before it can be made
    smaller: all but a baseline JPEG (a progressive one keeps every coefficient)."""
    return image.format != "JPEG" or bool(image.info.get("progressive"))


@contextmanager
def _opened(field_file, size):
    """Open an uploaded or stored image and decode it for a copy at most ``size`` pixels
    on its longest side: within the archive's caps, with decompression-bomb warnings as
    errors, and a JPEG at the smallest fraction of its size that the copy allows."""
    field_file.open("rb")
    try:
        field_file.seek(0)
        # Pillow warns above MAX_IMAGE_PIXELS; the archive's cap is a setting, and its
        # warning is an error here (a decompression bomb must not reach memory).
        Image.MAX_IMAGE_PIXELS = settings.ARCHIVE_MAX_IMAGE_PIXELS
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                image = Image.open(field_file, formats=ALLOWED_FORMATS)
                pixels = image.width * image.height
                if decoded_whole(image) and pixels > settings.ARCHIVE_MAX_DECODE_PIXELS:
                    raise TooLargeToDecode(pixels)
                wanted = REDUCING_GAP * size / max(image.size)
                if wanted < 1:
                    # Only a JPEG answers (libjpeg's scaling); other formats ignore it.
                    image.draft(None, (ceil(image.width * wanted), ceil(image.height * wanted)))
                image.load()
            except Image.DecompressionBombWarning as warning:
                raise Image.DecompressionBombError(str(warning)) from warning
        yield image
    finally:
        if getattr(field_file, "_committed", True):
            field_file.close()  # a stored file was opened here; an upload stays open
        else:
            field_file.seek(0)


def open_derivative(record, image_field, variant):
    """The stored ``variant`` of ``record``'s image, opened; made now if it is missing (a
    record saved before the variant existed, a lost file). None, logged, if the image
    cannot be read."""
    field_name = record.derivative_fields[variant]
    derivative = getattr(record, field_name)
    if derivative:
        try:
            return derivative.storage.open(derivative.name)
        except OSError:
            logger.error("The %s %s of %r is missing; making it again", variant, derivative, record)
    content = make_derivative(getattr(record, image_field), variant)
    if content is None:
        return None
    derivative.save(f"{uuid.uuid4().hex}.jpg", content, save=False)
    # Only this column: the record's content, version and modified time did not change.
    type(record)._default_manager.filter(pk=record.pk).update(**{field_name: derivative.name})
    return derivative.storage.open(derivative.name)
