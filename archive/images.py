"""Images (scans, portraits): validation by content and derived thumbnails, with Pillow."""

import io
import logging
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

ALLOWED_FORMATS = {"JPEG", "PNG", "TIFF", "WEBP"}
THUMBNAIL_SIZE = (320, 320)


def validate_image(field_file):
    """Accept only real JPEG, PNG, TIFF or WebP images within the size and pixel caps."""
    if field_file.size and field_file.size > settings.ARCHIVE_MAX_UPLOAD_BYTES:
        limit = settings.ARCHIVE_MAX_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError(f"The file is larger than the {limit} MB the archive accepts.")
    try:
        with _opened(field_file) as image:
            image_format = image.format
    except Image.DecompressionBombError as error:
        raise ValidationError(
            f"The image has more than the {settings.ARCHIVE_MAX_IMAGE_PIXELS:,} pixels the "
            "archive accepts; scale it down before uploading."
        ) from error
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError(
            "The file is not an image the archive can read (JPEG, PNG, TIFF or WebP)."
        ) from error
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            f"{image_format} images are not accepted; upload JPEG, PNG, TIFF or WebP."
        )


def refresh_thumbnail(instance, image_field, thumbnail_field):
    """Keep ``thumbnail_field`` a small JPEG of ``image_field``; an unreadable image gets none."""
    image = getattr(instance, image_field)
    thumbnail = getattr(instance, thumbnail_field)
    if not image:
        if thumbnail:
            setattr(instance, thumbnail_field, None)
        return
    if thumbnail and getattr(image, "_committed", True):
        return  # the image did not change since its thumbnail was made
    try:
        content = make_thumbnail(image)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        logger.exception("Could not make a thumbnail of %s", image.name)
        setattr(instance, thumbnail_field, None)
        return
    name = image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    thumbnail.save(f"{name}.jpg", content, save=False)


def make_thumbnail(field_file):
    """A JPEG thumbnail re-encoded from the pixels (no metadata), orientation applied."""
    with _opened(field_file) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail(THUMBNAIL_SIZE)
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=85)
    return ContentFile(buffer.getvalue())


class _opened:
    """Open an uploaded or stored image with decompression-bomb warnings as errors."""

    def __init__(self, field_file):
        self.field_file = field_file

    def __enter__(self):
        self.field_file.open("rb")
        self.field_file.seek(0)
        # Pillow warns above MAX_IMAGE_PIXELS; the archive's cap is a setting, and its
        # warning is an error here (a decompression bomb must not reach memory).
        Image.MAX_IMAGE_PIXELS = settings.ARCHIVE_MAX_IMAGE_PIXELS
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                self.image = Image.open(self.field_file)
                self.image.load()
            except Image.DecompressionBombWarning as warning:
                raise Image.DecompressionBombError(str(warning)) from warning
        return self.image

    def __exit__(self, *exc_info):
        self.field_file.seek(0)
        return False
