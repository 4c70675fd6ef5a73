"""The CJK fonts documents are set in, and the slim copy signature stamps use.

Documents are set in Noto Serif SC (body) and Noto Sans SC (headings, header, footer, stamps),
static OpenType (CFF) files from the `pylopdf-fonts-zh-cn` wheel (upstream noto-cjk
SubsetOTF/SC, SIL OFL 1.1). Where that package is missing, Debian's `fonts-noto-cjk` is used;
settings.DOCUMENT_FONT_SERIF / DOCUMENT_FONT_SANS name other files.

WeasyPrint subsets what a page uses by itself. pyHanko's stamp writer subsets with fontTools,
which decompiles all 65,000 glyphs of the full font for every stamp (~0.2 s); from a copy cut
down once to GB 2312 plus punctuation, without layout tables or CFF subroutines, ~0.03 s.
A stamp whose text has a character outside it (a rare name) falls back to the full font.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

# Debian 12 `fonts-noto-cjk` (collections: the SC face is chosen by name).
DEBIAN_SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
DEBIAN_SANS = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
STAMP_CHARSET_VERSION = "gb2312-2"


class FontMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class FontFile:
    path: Path
    family: str  # the family name inside the file (used for local() and collections)

    @property
    def is_collection(self) -> bool:
        return self.path.suffix.lower() in {".ttc", ".otc"}


def _package_fonts() -> tuple[Path, Path] | None:
    try:
        import pylopdf_fonts_zh_cn as pkg
    except ImportError:
        return None
    serif, sans = Path(pkg.serif_path()), Path(pkg.sans_path())
    return (serif, sans) if serif.exists() and sans.exists() else None


@cache
def serif() -> FontFile:
    return _resolve("DOCUMENT_FONT_SERIF", 0, DEBIAN_SERIF, "Noto Serif CJK SC", "Noto Serif SC")


@cache
def sans() -> FontFile:
    return _resolve("DOCUMENT_FONT_SANS", 1, DEBIAN_SANS, "Noto Sans CJK SC", "Noto Sans SC")


def _resolve(setting: str, index: int, debian: Path, debian_family: str, family: str) -> FontFile:
    configured = getattr(settings, setting, "")
    if configured:
        path = Path(configured)
        if not path.exists():
            raise FontMissing(f"settings.{setting} names {path}, which does not exist")
        return FontFile(path, debian_family if path.suffix.lower() == ".ttc" else family)
    packaged = _package_fonts()
    if packaged:
        return FontFile(packaged[index], family)
    if debian.exists():
        return FontFile(debian, debian_family)
    raise FontMissing(
        "No CJK font for documents: `pip install pylopdf-fonts-zh-cn` (a dependency of "
        "sutiao) or `apt-get install fonts-noto-cjk`."
    )


def font_face_css() -> str:
    """@font-face rules for the two document families ('Doc Serif', 'Doc Sans')."""
    rules = []
    for name, font in (("Doc Serif", serif()), ("Doc Sans", sans())):
        src = f'local("{font.family}")' if font.is_collection else f'url("{font.path.as_uri()}")'
        rules.append(f'@font-face {{ font-family: "{name}"; src: {src}; }}')
    return "\n".join(rules)


def allowed_font_paths() -> set[Path]:
    return {serif().path.resolve(), sans().path.resolve()}


# --- stamps -------------------------------------------------------------------------------


def _cache_dir() -> Path:
    path = Path(settings.DATA_DIR) / "cache" / "fonts"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stamp_charset() -> set[int]:
    chars = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    chars |= set(range(0x2000, 0x2070)) | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(ord(bytes([hi, lo]).decode("gb2312")))
    return chars


def _open(font: FontFile):
    from fontTools.ttLib import TTCollection, TTFont

    if not font.is_collection:
        return TTFont(str(font.path))
    for face in TTCollection(str(font.path)).fonts:
        if face["name"].getDebugName(1) == font.family:
            return face
    raise FontMissing(f"{font.path} has no face named {font.family}")


def _derive(font: FontFile, kind: str, build) -> Path:
    stat = font.path.stat()
    key = f"{font.path}|{font.family}|{stat.st_size}|{stat.st_mtime_ns}|{kind}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    target = _cache_dir() / f"{kind}-{digest}.otf"
    if not target.exists():
        tt = _open(font)
        build(tt)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        os.close(fd)
        try:
            tt.save(tmp)
            os.replace(tmp, target)  # atomic: a racing process writes the same bytes
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return target


def _slim(tt) -> None:
    from fontTools import subset

    options = subset.Options()
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "DSIG"]
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    # Without subroutines, subsetting a stamp's few glyphs need not decompile all the others.
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_stamp_charset())
    subsetter.subset(tt)


@cache
def stamp_font_slim() -> tuple[str, frozenset[int]]:
    from fontTools.ttLib import TTFont

    path = _derive(sans(), f"stamp-{STAMP_CHARSET_VERSION}", _slim)
    cmap = TTFont(str(path), lazy=True).getBestCmap() or {}
    return str(path), frozenset(cmap)


@cache
def stamp_font_full() -> tuple[str, frozenset[int]]:
    from fontTools.ttLib import TTFont

    font = sans()
    path = (
        str(font.path)
        if not font.is_collection
        else str(_derive(font, "stamp-full", lambda tt: None))
    )
    cmap = TTFont(path, lazy=True).getBestCmap() or {}
    return path, frozenset(cmap)


MISSING_GLYPH = "〓"  # the typesetter's mark for a character the font lacks


def stamp_font_for(text: str) -> tuple[str, str]:
    """The font file a stamp showing `text` is set in, and the text as it can be set: a
    character even the full font lacks shows as 〓 (the certificate keeps the real name)."""
    path, covered = stamp_font_slim()
    if all(ord(ch) in covered for ch in text if not ch.isspace()):
        return path, text
    path, covered = stamp_font_full()
    return path, "".join(ch if ch.isspace() or ord(ch) in covered else MISSING_GLYPH for ch in text)
