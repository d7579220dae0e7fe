"""Image files an attacker would upload: valid pictures that also carry a script."""
import io
import struct
import zlib

from PIL import Image
from PIL.PngImagePlugin import PngInfo

#: Sets a global and opens a dialog if a browser ever runs it as a page.
SCRIPT = b"<script>window.pwned = 1; alert('pwned')</script>"
TRAILER = b"<html><body>" + SCRIPT + b"</body></html>"


def _jpeg(size=(60, 80), color=(30, 90, 160)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return buffer.getvalue()


def jpeg_with_script(size=(60, 80)) -> bytes:
    """A JPEG with the script in a COM (FF FE) segment right after SOI, and an HTML page after EOI."""
    plain = _jpeg(size)
    comment = b"\xff\xfe" + struct.pack(">H", len(SCRIPT) + 2) + SCRIPT
    return plain[:2] + comment + plain[2:] + TRAILER


def png_with_script(size=(60, 80)) -> bytes:
    """A PNG with the script in a tEXt chunk, and an HTML page after IEND."""
    info = PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue() + TRAILER


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A tiny file whose header declares a huge picture (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + _chunk(b"IEND", b""))
