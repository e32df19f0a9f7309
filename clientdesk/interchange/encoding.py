"""Which encoding a file is in, whether it is text at all, and a text stream over it that knows how
far it has read. Everything here reads the file in chunks: memory never grows with the file."""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path
from typing import TextIO

from clientdesk.interchange.errors import InterchangeError

SAMPLE = 64 * 1024  # what detection looks at
CHUNK = 1024 * 1024  # how the UTF-8 check reads the whole file

# charset_normalizer's answer is taken only where the Windows-1252 fallback would surely be wrong:
# scripts other than Latin. For Latin text its guesses on a small sample wander between cp1250,
# cp1252 and Latin-1, and cp1250 turns a Western "£" or "ñ" into "Ł" or "ń".
_TRUSTED = {"cp1251", "koi8_r", "shift_jis", "cp932", "euc_jp", "gb18030", "gbk", "gb2312", "big5", "euc_kr",
            "cp949"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def known_encoding(name: str) -> str:
    """The codec's own name for what the user typed; InterchangeError when Python does not know it."""
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        raise InterchangeError(
            f"“{name}” is not an encoding this computer knows; leave the encoding to be detected, "
            "or choose one such as UTF-8 or Windows-1252.") from None


def read_head(path: Path) -> bytes:
    with open(path, "rb") as file:
        return file.read(SAMPLE)


def detect_encoding(path: Path, head: bytes) -> str:
    """BOM, then UTF-16 without one, then UTF-8 if the whole file is valid UTF-8, then a guess."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16
    if _whole_file_is_utf8(path):
        return "utf-8"
    return _guess(head)


def is_wide(encoding: str) -> bool:
    """UTF-16 and UTF-32 have NUL bytes in ordinary text; every other encoding here has none."""
    return codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))


def looks_like_text(head: bytes, encoding: str) -> bool:
    if not is_wide(encoding) and b"\x00" in head:
        return False
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    text = decoder.decode(head, final=False)
    bad = len(_CONTROL.findall(text))
    return bad <= max(3, len(text) // 50)


def decode_head(head: bytes, encoding: str) -> str:
    """The sample as text; a character cut at the sample's end is left out, not replaced."""
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)


def _utf16_without_bom(head: bytes) -> str | None:
    # Text in UTF-16 that is mostly Latin has a NUL in every other byte; nothing else does.
    probe = head[:512]
    pairs = len(probe) // 2
    if pairs < 2:
        return None
    even = probe[0:pairs * 2:2].count(0)
    odd = probe[1:pairs * 2:2].count(0)
    if odd >= pairs * 0.4 and even <= pairs * 0.05:
        return "utf-16-le"
    if even >= pairs * 0.4 and odd <= pairs * 0.05:
        return "utf-16-be"
    return None


def _whole_file_is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as file:
            while chunk := file.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _guess(head: bytes) -> str:
    import charset_normalizer  # only for the files that are not UTF-8

    best = charset_normalizer.from_bytes(head).best()
    if best is not None and best.encoding in _TRUSTED:
        return best.encoding
    return "cp1252"


class _Counting(io.RawIOBase):
    """Counts the bytes the text layer has taken from the file, for the progress bar."""

    def __init__(self, file: io.FileIO):
        self._file = file
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        read = self._file.readinto(buffer) or 0
        self.count += read
        return read

    def close(self) -> None:
        self._file.close()
        super().close()


class TextFile:
    """The file as text, decoded with errors replaced so that a wrong encoding never stops a read;
    newline="" keeps each physical line whole (\r\n, \n or \r) for the line numbers and for CSV."""

    def __init__(self, path: Path, encoding: str):
        self._counting = _Counting(io.FileIO(path, "rb"))
        self.stream: TextIO = io.TextIOWrapper(io.BufferedReader(self._counting, SAMPLE), encoding=encoding,
                                               errors="replace", newline="")

    @property
    def bytes_read(self) -> int:
        return self._counting.count

    def close(self) -> None:
        self.stream.close()

    def __enter__(self) -> TextFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
