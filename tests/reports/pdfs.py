"""Reading a rendered PDF back the way a person (or a PDF reader) would: its pages' text, fonts and images."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cached_property

from pypdf import PdfReader

STANDARD_14 = {"Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica", "Helvetica-Bold",
               "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold", "Times-Italic",
               "Times-BoldItalic", "Symbol", "ZapfDingbats"}


def squeeze(value: str) -> str:
    """Runs of whitespace as one space: where a line wraps is the layout's business, not the text's."""
    return re.sub(r"\s+", " ", value).strip()


@dataclass
class Pdf:
    data: bytes

    @cached_property
    def reader(self) -> PdfReader:
        return PdfReader(io.BytesIO(self.data))

    @cached_property
    def pages(self) -> list[str]:
        """Each page's text, whitespace squeezed."""
        return [squeeze(page.extract_text()) for page in self.reader.pages]

    @cached_property
    def text(self) -> str:
        return " ".join(self.pages)

    def body(self, running_header: str) -> str:
        """The text of every page without its running header and footer (drawn last, so they end each page's
        text): what flows from page to page reads as one."""
        return " ".join(page[:page.rfind(running_header)].strip() for page in self.pages)

    def fonts(self) -> list[dict]:
        """Every font resource of every page (and of the forms a page draws), as pypdf objects."""
        found = []
        for page in self.reader.pages:
            resources = page["/Resources"]
            for font in resources.get("/Font", {}).values():
                found.append(font.get_object())
            for xobject in resources.get("/XObject", {}).values():
                xobject = xobject.get_object()
                for font in xobject.get("/Resources", {}).get("/Font", {}).values():
                    found.append(font.get_object())
        return found

    def images(self, page_number: int) -> list:
        resources = self.reader.pages[page_number - 1]["/Resources"]
        return [xobject.get_object() for xobject in resources.get("/XObject", {}).values()
                if xobject.get_object().get("/Subtype") == "/Image"]

    def outline_titles(self, entries=None) -> list:
        """The outline as nested lists of titles."""
        entries = self.reader.outline if entries is None else entries
        return [self.outline_titles(entry) if isinstance(entry, list) else entry.title for entry in entries]
