"""vCard values: escaping text, splitting structured values (unescaping them), and vCard 2.1's
quoted-printable lines."""

from __future__ import annotations

import binascii
import re

_ESCAPES = str.maketrans({"\\": "\\\\", ",": "\\,", ";": "\\;", "\n": "\\n"})
_ESCAPE_OR_SEPARATOR = re.compile(r"\\(.)|([;,])", re.DOTALL)
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)


def escape(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").translate(_ESCAPES)


def unescape(value: str) -> str:
    """A single text value as written: \\n a line break, \\, \\; \\\\ the character itself."""
    if "\\" not in value:
        return value
    return _ESCAPED.sub(lambda m: "\n" if m[1] in "nN" else m[1], value)


def split(value: str, separator: str) -> list[str]:
    """The parts of a structured value (N, ADR, ORG at ";", CATEGORIES at ","), each unescaped; the
    other separator, unescaped in a part, is kept as text (vCard 2.1 never escapes a comma)."""
    if "\\" not in value:
        return value.split(separator)
    parts: list[str] = []
    current: list[str] = []
    position = 0
    for match in _ESCAPE_OR_SEPARATOR.finditer(value):
        current.append(value[position:match.start()])
        if match[1] is not None:
            current.append("\n" if match[1] in "nN" else match[1])
        elif match[2] == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(match[2])
        position = match.end()
    current.append(value[position:])
    parts.append("".join(current))
    return parts


def quoted_printable(line: str, colon: int) -> str:
    """A quoted-printable property as a plain one: its bytes decoded with its CHARSET (UTF-8 if
    none), and line breaks in the value escaped the vCard way."""
    head = line[:colon]
    charset = "utf-8"
    kept = []
    for param in head.split(";"):
        key, _, value = param.partition("=")
        key = key.strip().upper()
        if key == "CHARSET":
            charset = value.strip().strip('"') or charset
        elif key == "QUOTED-PRINTABLE" or (key == "ENCODING" and value.strip().upper() == "QUOTED-PRINTABLE"):
            pass
        else:
            kept.append(param)
    data = binascii.a2b_qp(line[colon + 1:].encode("utf-8", "replace"))
    try:
        text = data.decode(charset, "replace")
    except LookupError:
        text = data.decode("utf-8", "replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return ";".join(kept) + ":" + text
