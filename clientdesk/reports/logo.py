"""The business's logo, read and decoded once per process however many reviews print it.

A logo is given as the image file's bytes (what a batch should pass: read once, shared by every review) or
as its path (re-read only when the file changes). A large image is scaled down once to what the cover can
show (a logo is printed at most about 60 mm wide), so no document compresses a photograph-sized bitmap.
A logo that cannot be read is left out with a warning in the log: the review is still worth having."""

from __future__ import annotations

import io
import logging
import os
import threading
from collections import OrderedDict
from pathlib import Path

from reportlab.lib.utils import ImageReader

from clientdesk.domain.review import Logo

LOG = logging.getLogger(__name__)
MAX_PIXELS = 720  # the longer side; 60 mm at about 300 dpi
_CACHED = 8

_lock = threading.Lock()
_cache: OrderedDict[object, ImageReader | None] = OrderedDict()


def _key(source: Logo) -> tuple[object, ...]:
    if isinstance(source, bytes | bytearray | memoryview):
        return ("bytes", bytes(source))  # bytes cache their hash: a batch looks the same logo up cheaply
    path = Path(source)
    try:
        stat = path.stat()
    except OSError:
        return ("path", str(path), None, None)
    return ("path", str(path.resolve()), stat.st_mtime_ns, stat.st_size)


def _load(source: Logo, key: tuple[object, ...]) -> ImageReader | None:
    try:
        if key[0] == "bytes":
            reader = ImageReader(io.BytesIO(key[1]))  # type: ignore[arg-type]
        else:
            reader = ImageReader(io.BytesIO(Path(source).read_bytes()))  # type: ignore[arg-type]
        width, height = reader.getSize()
        image = getattr(reader, "_image", None)  # the decoded Pillow image behind the reader
        if max(width, height) > MAX_PIXELS and image is not None:
            small = image.copy()
            small.thumbnail((MAX_PIXELS, MAX_PIXELS))
            reader = ImageReader(small)
        reader.getRGBData()  # decode now, once, rather than in the first document
        return reader
    except Exception as error:  # noqa: BLE001 — any unreadable image: Pillow raises many kinds
        what = "the logo's bytes" if key[0] == "bytes" else f"the logo {os.fspath(source)}"  # type: ignore[arg-type]
        LOG.warning("Leaving the logo out of the review: %s could not be read as an image (%s).", what, error)
        return None


def logo_image(source: Logo | None) -> ImageReader | None:
    """The logo ready to draw, or None when there is none or it cannot be read."""
    if source is None or (isinstance(source, bytes | bytearray) and not source):
        return None
    key = _key(source)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    reader = _load(source, key)
    with _lock:
        _cache[key] = reader
        while len(_cache) > _CACHED:
            _cache.popitem(last=False)
    return reader


__all__ = ["MAX_PIXELS", "logo_image"]
