"""The card photo must be a real JPEG or PNG picture of a sensible size."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG"}
#: A photo is decoded in full when it is re-encoded; a small file can still
#: declare an enormous picture (a decompression bomb), so the pixel count is capped.
MAX_PIXELS = 36_000_000


def validate_photo(upload) -> None:
    """Refuse anything that Pillow cannot read as a JPEG/PNG, or that is too large.

    The file extension and the browser's content type prove nothing: the
    bytes themselves are decoded.
    """
    limit = settings.CARD_PHOTO_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("照片文件过大（%(size).1f MB），请上传不超过 %(limit).0f MB 的照片。")
            % {"size": upload.size / 1024 / 1024, "limit": limit / 1024 / 1024},
            code="photo_too_large",
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("上传的文件不是有效的图片，请上传 JPG 或 PNG 格式的照片。"), code="photo_invalid")
    finally:
        upload.seek(position)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(_("照片只支持 JPG 或 PNG 格式。"), code="photo_format")
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _("照片尺寸过大（%(width)d×%(height)d 像素），请缩小到 6000×6000 像素以内后再上传。")
            % {"width": width, "height": height},
            code="photo_too_many_pixels",
        )
