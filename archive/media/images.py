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

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

# Only these decoders ever see an upload: Pillow is told not to try its other plugins
# (EPS, for one, hands the file to Ghostscript).
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "TIFF": "tif", "WEBP": "webp"}
ALLOWED_FORMATS = tuple(EXTENSIONS)
# The public derivatives: the longest side of each, in pixels.
DERIVATIVE_SIZES = {"display": 1600, "thumbnail": 320}
# Pillow reports broken files as OSError, ValueError or SyntaxError, depending on the format.
READ_ERRORS = (
    UnidentifiedImageError,
    OSError,
    ValueError,
    SyntaxError,
    Image.DecompressionBombError,
)


def validate_image(field_file):
    """Accept only real JPEG, PNG, TIFF or WebP images within the size and pixel caps."""
    if getattr(field_file, "_committed", False):
        return  # stored already, so checked when it was uploaded; not decoded on every save
    if field_file.size and field_file.size > settings.ARCHIVE_MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"The file is {filesizeformat(field_file.size)}; the archive accepts images of up "
            f"to {filesizeformat(settings.ARCHIVE_MAX_UPLOAD_BYTES)}."
        )
    try:
        with _opened(field_file):
            pass
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
        with _opened(field_file) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((size, size))
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            pixels = Image.frombytes(image.mode, image.size, image.tobytes())
    except READ_ERRORS:
        logger.exception("Could not read the image %s to make its %s", field_file.name, variant)
        return None
    buffer = io.BytesIO()
    pixels.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue())


@contextmanager
def _opened(field_file):
    """Open an uploaded or stored image, with decompression-bomb warnings as errors."""
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
