"""User text on its way into reportlab's Paragraph, which reads its text as markup: a note holding `<b>`,
`&` or `<img src="http://…"/>` would change the layout, break the build or make reportlab fetch a URL.
Every text a user typed passes through `text()` (or is a value of `markup()`), which escapes it; the
report's own markup lives only in its templates.

Long notes are cut into paragraphs (`note_paragraphs`) so that no single flowable is taller than a page."""

from __future__ import annotations

import re
from typing import Protocol
from xml.sax.saxutils import escape

# C0 and C1 control characters other than tab and newline: they have no glyph and no business in a PDF.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SENTENCE_END = re.compile(r"[.!?…](?:[\"'”’)\]]*)\s+")
NOTE_CHUNK = 1500  # characters: about a third of an A4 page in the body style


def clean(value: object) -> str:
    """The text as it should print: line ends as \\n, tabs as spaces, control characters and unpaired
    surrogates (from a badly decoded file) gone."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = _CONTROLS.sub("", text)
    return text.encode("utf-8", "replace").decode("utf-8") if any("\ud800" <= c <= "\udfff" for c in text) else text


# Set by fonts.register_fonts: which characters go to the fallback font, and its name.
_fallback: FallbackFont | None = None


class FallbackFont(Protocol):
    fallback: str | None

    def needs_fallback(self, char: str) -> bool: ...


def use_fallback(fonts: FallbackFont | None) -> None:
    global _fallback
    _fallback = fonts if fonts is not None and fonts.fallback else None


def text(value: object) -> str:
    """User text as Paragraph markup that prints exactly as typed; line breaks are kept, and runs of characters
    the body font has no glyph for are set in the fallback font."""
    escaped = escape(clean(value)).replace("\n", "<br/>")
    fonts = _fallback
    if fonts is None or escaped.isascii():
        return escaped
    out: list[str] = []
    run: list[str] = []
    for char in escaped:
        if fonts.needs_fallback(char):
            run.append(char)
            continue
        if run:
            out.append(f'<font name="{fonts.fallback}">{"".join(run)}</font>')
            run = []
        out.append(char)
    if run:
        out.append(f'<font name="{fonts.fallback}">{"".join(run)}</font>')
    return "".join(out)


def markup(template: str, **values: object) -> str:
    """The report's own markup with user values put in escaped: markup("<b>{name}</b>", name=…)."""
    return template.format(**{key: text(value) for key, value in values.items()})


def note_paragraphs(note: str, chunk: int = NOTE_CHUNK) -> list[str]:
    """A typed note as paragraphs of plain text (not yet escaped): one per line, blank lines dropped, and a
    line longer than `chunk` characters cut at the last sentence end before it (else the last space, else
    anywhere), so each paragraph stays well under a page."""
    paragraphs = []
    for line in clean(note).split("\n"):
        line = line.strip()
        while len(line) > chunk:
            cut = _cut(line, chunk)
            paragraphs.append(line[:cut].rstrip())
            line = line[cut:].lstrip()
        if line:
            paragraphs.append(line)
    return paragraphs


def _cut(line: str, chunk: int) -> int:
    ends = [match.end() for match in _SENTENCE_END.finditer(line, 0, chunk + 1)]
    if ends and ends[-1] > chunk // 3:
        return ends[-1]
    space = line.rfind(" ", chunk // 3, chunk)
    return space + 1 if space > 0 else chunk


__all__ = ["NOTE_CHUNK", "FallbackFont", "clean", "markup", "note_paragraphs", "text", "use_fallback"]
