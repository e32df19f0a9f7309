"""The report's fonts: DejaVu Sans, embedded in every PDF so accents, Greek and Cyrillic print as typed, and
Droid Sans Fallback beside it for what DejaVu has no glyph for (Chinese, Japanese and Korean names): a run of
such characters is set in the fallback (markup.text for paragraphs, `Fonts.runs` for lines drawn directly).

Fonts are found in the folder the caller names, else in `resources/fonts` of a source checkout (or an
editable install), else where an installed copy put them (`share/clientdesk/fonts` under the environment's
data folder: pyproject.toml's data-files, as `pip install` lays them out, the user scheme included), else in
the system's DejaVu folder (Debian, Ubuntu, Fedora). Each folder's fonts are parsed and registered with
reportlab once per process (parsing a TrueType file takes tens of milliseconds; a batch of a thousand
reviews must not pay it a thousand times)."""

from __future__ import annotations

import os
import sys
import sysconfig
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from clientdesk.domain.errors import ClientDeskError
from clientdesk.reports.markup import use_fallback

FILES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
    "bold_italic": "DejaVuSans-BoldOblique.ttf",
}
FALLBACK_FILE = "DroidSansFallback.ttf"  # optional: without it such characters print as missing glyphs
BUNDLED = Path(__file__).resolve().parents[2] / "resources" / "fonts"
INSTALLED_SUBFOLDER = Path("share", "clientdesk", "fonts")  # pyproject.toml: [tool.setuptools.data-files]
SYSTEM = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
          Path("/usr/share/fonts/TTF"))


class FontsNotFound(ClientDeskError):
    """The DejaVu fonts are neither where the caller said nor anywhere the report looks."""


@dataclass(frozen=True, slots=True)
class Fonts:
    """The reportlab names of one registered family; `regular` alone is enough for <b> and <i> in markup."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    folder: Path
    fallback: str | None = None  # the fallback font's reportlab name, when the folder has it
    covered: frozenset[int] = frozenset()  # the code points DejaVu draws
    fallback_covered: frozenset[int] = frozenset()

    def needs_fallback(self, char: str) -> bool:
        code = ord(char)
        return self.fallback is not None and code not in self.covered and code in self.fallback_covered

    def runs(self, value: str) -> list[tuple[str, bool]]:
        """`value` cut into runs, each with whether it is set in the fallback font."""
        if self.fallback is None or value.isascii():
            return [(value, False)] if value else []
        runs: list[tuple[str, bool]] = []
        for char in value:
            fallback = self.needs_fallback(char)
            if runs and runs[-1][1] == fallback:
                runs[-1] = (runs[-1][0] + char, fallback)
            else:
                runs.append((char, fallback))
        return runs


_lock = threading.Lock()
_registered: dict[Path, Fonts] = {}


def _complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in FILES.values())


def installed_folders() -> list[Path]:
    """Where `pip install` puts the fonts: the data folder of this environment's schemes (a venv's, the
    system's, the user's), each once."""
    roots: list[str] = []
    for scheme in (None, f"{os.name}_user"):
        try:
            roots.append(sysconfig.get_path("data", scheme) if scheme else sysconfig.get_path("data"))
        except KeyError:  # a platform without a user scheme
            continue
    roots += [sys.prefix, sys.base_prefix]
    return list(dict.fromkeys(Path(root) / INSTALLED_SUBFOLDER for root in roots if root))


def find_fonts_folder(folder: str | os.PathLike | None = None) -> Path:
    """The folder to read the fonts from: `folder` when given (it must hold all four files), else the
    bundled resources/fonts, else an installed copy's, else a system DejaVu folder."""
    if folder is not None:
        given = Path(folder)
        if not _complete(given):
            missing = ", ".join(name for name in FILES.values() if not (given / name).is_file())
            raise FontsNotFound(f"The fonts folder {given} does not hold {missing}.")
        return given.resolve()
    for candidate in (BUNDLED, *installed_folders(), *SYSTEM):
        if _complete(candidate):
            return candidate.resolve()
    raise FontsNotFound(f"The DejaVu Sans fonts were not found in {BUNDLED} nor in the system's font folders; "
                        "pass the folder that holds them.")


def register_fonts(folder: str | os.PathLike | None = None) -> Fonts:
    """The family read from `folder` (see find_fonts_folder), registered with reportlab on first use and
    remembered for the rest of the process. Safe to call from several threads."""
    found = find_fonts_folder(folder)
    fonts = _registered.get(found)
    if fonts is not None:
        return fonts
    with _lock:
        fonts = _registered.get(found)
        if fonts is not None:
            return fonts
        # The first folder's family is plain "DejaVuSans"; another folder gets names of its own, so two
        # folders never fight over one name.
        suffix = f"-{len(_registered) + 1}" if _registered else ""
        names = {role: f"ClientDesk{file.removesuffix('.ttf')}{suffix}" for role, file in FILES.items()}
        for role, file in FILES.items():
            try:
                pdfmetrics.registerFont(TTFont(names[role], str(found / file)))
            except (TTFError, OSError) as error:
                raise FontsNotFound(f"The font file {found / file} could not be read: {error}") from None
        regular = names["regular"]
        for bold, italic, role in ((0, 0, "regular"), (1, 0, "bold"), (0, 1, "italic"), (1, 1, "bold_italic")):
            addMapping(regular, bold, italic, names[role])
        covered = frozenset(pdfmetrics.getFont(regular).face.charToGlyph)
        fallback, fallback_covered = _register_fallback(found, suffix)
        fonts = Fonts(regular, names["bold"], names["italic"], names["bold_italic"], found, fallback, covered,
                      fallback_covered)
        _registered[found] = fonts
        use_fallback(fonts)
        return fonts


def _register_fallback(folder: Path, suffix: str) -> tuple[str | None, frozenset[int]]:
    """The fallback font of `folder` (its own, else the bundled one), registered; (None, ∅) without one. Its
    single face serves bold and italic too: CJK text has no oblique, and the weight shows little at 8 points."""
    for candidate in (folder / FALLBACK_FILE, BUNDLED / FALLBACK_FILE):
        if candidate.is_file():
            name = f"ClientDeskFallback{suffix}"
            try:
                font = TTFont(name, str(candidate))
            except (TTFError, OSError):
                continue  # a damaged fallback must not stop the review: those characters print as boxes
            pdfmetrics.registerFont(font)
            for bold, italic in ((0, 0), (1, 0), (0, 1), (1, 1)):
                addMapping(name, bold, italic, name)
            return name, frozenset(font.face.charToGlyph)
    return None, frozenset()


__all__ = ["FILES", "Fonts", "FontsNotFound", "find_fonts_folder", "installed_folders", "register_fonts"]
