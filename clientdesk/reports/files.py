"""Putting a finished PDF on disk without ever leaving half of one: the bytes go to a temporary file in the
same folder, are flushed to the disk, and the file is then renamed over the target in one step."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from clientdesk.domain.errors import ClientDeskError

NEW_FILE_MODE = 0o644  # a report is meant to be read by others; mkstemp's 0o600 would hide it


class ReportNotWritten(ClientDeskError):
    """The report could not be saved; the message says where and why, and any earlier file is untouched."""


def write_atomically(path: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to `path` so that `path` holds either its old content or all of `data`, never part of
    it: a crash, a full disk or a viewer holding the old file leaves the old file as it was. An existing
    file's permissions are kept. Returns the path written."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        mode = NEW_FILE_MODE
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    except OSError as error:
        raise ReportNotWritten(f"{target} could not be saved: {error.strerror or error}.") from error
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise ReportNotWritten(f"{target} could not be saved: {error.strerror or error}. "
                               "If it is open in another program, close it and try again.") from error
    return target


__all__ = ["ReportNotWritten", "write_atomically"]
