"""The bundled DejaVu fonts: found in the checkout or where the caller says, registered once per process."""

from __future__ import annotations

import shutil

import pytest

from clientdesk.reports import render_review
from clientdesk.reports.fonts import BUNDLED, FILES, FontsNotFound, find_fonts_folder, register_fonts
from tests.reports.pdfs import Pdf
from tests.reports.samples import empty_review


def test_the_fonts_and_their_licence_are_bundled_in_the_checkout():
    for name in FILES.values():
        assert (BUNDLED / name).stat().st_size > 100_000
    assert "Bitstream Vera" in (BUNDLED / "LICENSE").read_text(encoding="utf-8")
    assert find_fonts_folder() == BUNDLED.resolve()


def test_fonts_are_registered_once_per_folder():
    assert register_fonts() is register_fonts()
    assert register_fonts(BUNDLED) is register_fonts()


def test_a_folder_given_by_the_caller_is_used(tmp_path):
    for name in FILES.values():
        shutil.copy(BUNDLED / name, tmp_path / name)
    fonts = register_fonts(tmp_path)
    assert fonts.folder == tmp_path.resolve()
    assert fonts.regular != register_fonts().regular  # two folders never share a name
    pdf = Pdf(render_review(empty_review(client_name="Ελένη"), fonts_dir=tmp_path))
    assert "Ελένη" in pdf.pages[0]
    assert all("DejaVuSans" in str(font["/BaseFont"]) for font in pdf.fonts())


def test_a_folder_without_the_fonts_is_refused_with_what_is_missing(tmp_path):
    shutil.copy(BUNDLED / FILES["regular"], tmp_path / FILES["regular"])
    with pytest.raises(FontsNotFound, match="DejaVuSans-Bold.ttf"):
        render_review(empty_review(), fonts_dir=tmp_path)


def test_a_broken_font_file_is_reported(tmp_path):
    for name in FILES.values():
        (tmp_path / name).write_bytes(b"not a font")
    with pytest.raises(FontsNotFound, match="could not be read"):
        register_fonts(tmp_path)
