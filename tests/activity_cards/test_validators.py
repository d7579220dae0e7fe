import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from activity_cards.validators import validate_photo
from tests.activity_cards.conftest import oversize_png_upload, png_upload, text_as_png_upload


def _image_upload(image_format, name):
    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), (10, 20, 30)).save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.mark.parametrize("upload", [png_upload(), _image_upload("JPEG", "photo.jpg"),
                                    _image_upload("JPEG", "named-wrongly.png")])
def test_real_jpeg_and_png_pass(upload):
    validate_photo(upload)
    assert upload.tell() == 0  # left ready to be saved


@pytest.mark.parametrize("make_upload, code", [
    (text_as_png_upload, "photo_invalid"),
    (oversize_png_upload, "photo_too_large"),
    (lambda: _image_upload("GIF", "photo.gif"), "photo_format"),
    (lambda: SimpleUploadedFile("photo.png", png_upload().read()[:60]), "photo_invalid"),  # truncated
])
def test_bad_files_are_refused(make_upload, code):
    with pytest.raises(ValidationError) as exc:
        validate_photo(make_upload())
    assert exc.value.code == code


def test_size_limit_comes_from_settings(settings):
    settings.CARD_PHOTO_MAX_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        validate_photo(png_upload(size=(200, 200)))
    assert exc.value.code == "photo_too_large"
