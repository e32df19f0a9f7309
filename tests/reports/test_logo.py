"""The logo is decoded once per process and shrunk once when it is larger than the cover can show."""

from __future__ import annotations

import io

from PIL import Image

from clientdesk.reports.logo import MAX_PIXELS, logo_image


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_same_logo_bytes_are_decoded_once():
    logo = png(30, 10)
    assert logo_image(logo) is logo_image(bytes(logo))


def test_a_logo_file_is_read_again_only_when_it_changes(tmp_path):
    path = tmp_path / "logo.png"
    path.write_bytes(png(30, 10))
    first = logo_image(path)
    assert logo_image(path) is first
    path.write_bytes(png(31, 10))
    assert logo_image(path).getSize() == (31, 10)


def test_a_large_logo_is_shrunk_to_what_the_cover_can_show():
    assert logo_image(png(4000, 1000)).getSize() == (MAX_PIXELS, MAX_PIXELS // 4)
    assert logo_image(png(300, 100)).getSize() == (300, 100)


def test_no_logo_and_an_unreadable_logo_give_none():
    assert logo_image(None) is None
    assert logo_image(b"") is None
    assert logo_image(b"GIF89a broken") is None
