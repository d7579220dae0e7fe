"""Personal files (card photos, roster exports) leave only through views that checked the user.

With ``MEDIA_ACCEL_REDIRECT`` (production behind nginx) the view answers with
an ``X-Accel-Redirect`` to nginx's internal location and nginx sends the file;
otherwise Django streams it. The headers are the same either way.
"""
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def protected_file_response(file, *, content_type: str, filename: str, inline: bool = False):
    """``file``: a FieldFile stored under MEDIA_ROOT, or an open file object (always streamed by Django)."""
    stored_name = getattr(file, "name", None)
    if settings.MEDIA_ACCEL_REDIRECT and getattr(file, "storage", None) is not None and stored_name:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_PREFIX.rstrip("/") + "/" + quote(
            Path(stored_name).as_posix())
    else:
        opened = file.open("rb") if hasattr(file, "storage") else file
        response = FileResponse(opened, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
