"""Writing a PDF never leaves half a file: the old file stays whole until the new one replaces it at once."""

from __future__ import annotations

import os
import stat

import pytest

from clientdesk.reports.files import ReportNotWritten, write_atomically


def test_the_bytes_are_written_and_nothing_else_is_left_in_the_folder(tmp_path):
    target = tmp_path / "review.pdf"
    assert write_atomically(target, b"%PDF-1.4 new") == target
    assert target.read_bytes() == b"%PDF-1.4 new"
    assert os.listdir(tmp_path) == ["review.pdf"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_new_file_is_readable_by_others_and_a_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "review.pdf"
    write_atomically(target, b"one")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    target.chmod(0o600)
    write_atomically(target, b"two")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes() == b"two"


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "review.pdf"
    target.write_bytes(b"the old review")

    def refuse(source, destination):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ReportNotWritten, match="review.pdf could not be saved: Permission denied"):
        write_atomically(target, b"the new review")
    assert target.read_bytes() == b"the old review"
    assert os.listdir(tmp_path) == ["review.pdf"]


def test_a_missing_folder_is_reported(tmp_path):
    with pytest.raises(ReportNotWritten, match="could not be saved"):
        write_atomically(tmp_path / "no such folder" / "review.pdf", b"x")
