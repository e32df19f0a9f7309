"""Putting a finished PDF on disk without ever leaving half of one: the bytes go to a temporary file in the
same folder, are flushed to the disk, and the file is then renamed over the target in one step.

`write_atomically` does both steps at once; `StagedFile` splits them, for a caller that has something to do
between the two (the review service records the review in its transaction, then moves the file in place
before committing) or may give up before the second (a batch cancelled): a staged file never shows under the
target's name until `commit`, and `discard` leaves nothing behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from clientdesk.domain.errors import ClientDeskError

NEW_FILE_MODE = 0o644  # a report is meant to be read by others; mkstemp's 0o600 would hide it


class ReportNotWritten(ClientDeskError):
    """The report could not be saved; the message says where and why, and any earlier file is untouched."""


PART_SUFFIX = ".part"  # a staged file's name: ".<target name>.<random>.part", hidden beside the target


class StagedFile:
    """`data` written to a hidden temporary file beside `path` and flushed to the disk; `commit()` renames it
    over `path` in one step, `discard()` removes it. Usable as a context manager that discards whatever was not
    committed, whatever happens."""

    def __init__(self, path: str | os.PathLike, data: bytes):
        self.target = Path(path)
        folder = self.target.parent if str(self.target.parent) else Path(".")
        try:
            self._mode = self.target.stat().st_mode & 0o7777
        except OSError:
            self._mode = NEW_FILE_MODE
        try:
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{self.target.name}.", suffix=PART_SUFFIX)
        except OSError as error:
            raise ReportNotWritten(f"{self.target} could not be saved: {error.strerror or error}.") from error
        self.temporary: Path | None = Path(temporary)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, self._mode)
        except OSError as error:
            self.discard()
            raise ReportNotWritten(f"{self.target} could not be saved: {error.strerror or error}.") from error

    def commit(self) -> Path:
        if self.temporary is None:
            raise RuntimeError("the staged file was already committed or discarded")
        try:
            os.replace(self.temporary, self.target)
        except OSError as error:
            self.discard()
            raise ReportNotWritten(f"{self.target} could not be saved: {error.strerror or error}. "
                                   "If it is open in another program, close it and try again.") from error
        self.temporary = None
        return self.target

    def discard(self) -> None:
        if self.temporary is not None:
            try:
                os.unlink(self.temporary)
            except OSError:
                pass
            self.temporary = None

    def __enter__(self) -> StagedFile:
        return self

    def __exit__(self, *exc_info) -> None:
        self.discard()


def write_atomically(path: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to `path` so that `path` holds either its old content or all of `data`, never part of
    it: a crash, a full disk or a viewer holding the old file leaves the old file as it was. An existing
    file's permissions are kept. Returns the path written."""
    with StagedFile(path, data) as staged:
        return staged.commit()


__all__ = ["PART_SUFFIX", "ReportNotWritten", "StagedFile", "write_atomically"]
