"""Card photos are stored as pixels only: decoded, re-encoded, and named by the server.

An uploaded file can be a valid JPEG and still carry an HTML page in a
comment segment or after its end marker. Re-encoding through Pillow keeps
the picture and nothing else (no comments, EXIF with its GPS position, text
chunks or trailing bytes), and the stored name's extension comes from the
decoded format, never from the name the browser sent.
"""
import io
import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from activity_cards.validators import validate_photo

#: decoded format → (extension of the stored file, content type it is served with)
STORED_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png")}
CONTENT_TYPES = dict(STORED_FORMATS.values())
JPEG_QUALITY = 90
#: Longest side kept: the card shows 120×160 px and prints on A5; larger pictures are scaled down.
MAX_SIDE = 1600
PHOTO_DIRECTORY = "card-photos"


def photo_storage_name(extension: str, year: int | None = None) -> str:
    """A new random name under the year's folder; only the extensions the server writes are allowed."""
    if extension not in CONTENT_TYPES:
        raise ValueError(f"card photos are stored as {sorted(CONTENT_TYPES)}, not {extension!r}")
    return f"{PHOTO_DIRECTORY}/{year or date.today().year}/{uuid.uuid4().hex}.{extension}"


def photo_content_type(name: str) -> str | None:
    """The content type a stored photo is served with, or None for a name the server did not choose."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return CONTENT_TYPES.get(extension)


def _pixels_only(image: Image.Image, image_format: str) -> Image.Image:
    """A new image holding the pixels and nothing of the file's metadata (``info`` stays empty)."""
    if image_format == "JPEG":
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode a large JPEG at a reduced scale
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    image = ImageOps.exif_transpose(image)  # EXIF is dropped, so apply its rotation to the pixels
    if image_format == "JPEG":
        mode = "L" if image.mode in ("1", "L") else "RGB"
    else:
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        mode = "RGBA" if has_alpha else ("L" if image.mode in ("1", "L") else "RGB")
    converted = image.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def photo_reencoded(upload) -> ContentFile:
    """Validate the upload, then return it re-encoded as ``photo.jpg`` or ``photo.png``.

    Raises ``ValidationError`` with the same Chinese messages as the form.
    """
    validate_photo(upload)
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image_format = image.format
            clean = _pixels_only(image, image_format)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("上传的文件不是有效的图片，请上传 JPG 或 PNG 格式的照片。"), code="photo_invalid")
    extension, _content_type = STORED_FORMATS[image_format]
    buffer = io.BytesIO()
    if image_format == "JPEG":
        clean.save(buffer, format="JPEG", quality=JPEG_QUALITY)
    else:
        clean.save(buffer, format="PNG", optimize=True)
    return ContentFile(buffer.getvalue(), name=f"photo.{extension}")


def stored_photos_reencode(card_model) -> dict[str, int]:
    """Re-encode and rename every stored card photo (installations from before re-encoding).

    Replaced cards share their predecessor's file, so each file is handled
    once. A file that is missing or no longer decodes as a JPEG/PNG is not
    a photo: its reference is cleared (the card shows no photo) and the file
    removed. Returns how many files were re-encoded and how many cleared.
    """
    storage = card_model._meta.get_field("photo").storage
    renamed: dict[str, str] = {}
    for card_id, old_name in card_model.objects.exclude(photo="").values_list("pk", "photo").iterator():
        if old_name not in renamed:
            renamed[old_name] = _stored_photo_reencode(storage, old_name)
        card_model.objects.filter(pk=card_id).update(photo=renamed[old_name])
    for old_name in renamed:
        if storage.exists(old_name):
            storage.delete(old_name)
    cleared = sum(1 for new_name in renamed.values() if not new_name)
    return {"reencoded": len(renamed) - cleared, "cleared": cleared}


def _stored_photo_reencode(storage, old_name: str) -> str:
    try:
        with storage.open(old_name, "rb") as stored:
            content = photo_reencoded(stored)
    except (FileNotFoundError, ValidationError):
        return ""
    folder_year = old_name.split("/")[1] if old_name.count("/") >= 2 else ""
    year = int(folder_year) if folder_year.isdigit() else None
    return storage.save(photo_storage_name(content.name.rsplit(".", 1)[-1], year), content)
