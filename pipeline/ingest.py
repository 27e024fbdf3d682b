"""Ingest: a file on disk → SourceDocument (clean text, page table, provenance, warnings)."""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from .errors import IngestError
from .textclean import LineRef, PageSpan, SourceLine, join_lines, rejoin_hyphenated

TEXT_SUFFIXES = frozenset({".txt", ".md"})
PDF_SUFFIXES = frozenset({".pdf"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES
# Share of control characters / NUL bytes above which a "text" file is really binary.
_BINARY_CONTROL_SHARE = 0.1
# Control characters other than the layout ones (\t \n \f \r) are binary evidence.
_BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_BINARY_NUL_SHARE = 0.01


@dataclass
class SourceDocument:
    """The clean text of one input and how to map any offset back to its page."""

    path: str
    sha256: str
    text: str
    pages: list[PageSpan]
    lines: list[LineRef] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    page_count: int | None = None
    backend: str | None = None

    @property
    def id(self) -> str:
        return self.sha256[:12]

    def __post_init__(self) -> None:
        self._page_starts = [page.start for page in self.pages]
        self._line_starts = [line.start for line in self.lines]

    def page_at(self, offset: int) -> int | None:
        if not self.pages:
            return None
        index = bisect_right(self._page_starts, offset) - 1
        return self.pages[max(index, 0)].number

    def bbox_of(self, start: int, end: int) -> tuple[float, float, float, float] | None:
        """Approximate box of text[start:end]: its line's box, narrowed by character position.

        Line boxes are exact; within a line, glyph widths are assumed equal, which is close
        enough to point a reviewer at the right words.
        """
        if not self.lines:
            return None
        index = bisect_right(self._line_starts, start) - 1
        if index < 0:
            return None
        line = self.lines[index]
        if line.bbox is None or not line.start <= start <= line.end:
            return None
        x0, top, x1, bottom = line.bbox
        width = max(line.end - line.start, 1)
        left = x0 + (x1 - x0) * (start - line.start) / width
        right = x0 + (x1 - x0) * (min(end, line.end) - line.start) / width
        return (round(left, 1), round(top, 1), round(right, 1), round(bottom, 1))

    def heading_lines(self) -> list[LineRef]:
        return [line for line in self.lines if line.kind in {"heading", "box"}]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise IngestError("file not found", path=str(path)) from None
    except IsADirectoryError:
        raise IngestError("is a directory, not a file", path=str(path)) from None
    except PermissionError:
        raise IngestError("permission denied (file is not readable)", path=str(path)) from None
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}", path=str(path)) from None


def decode_text(data: bytes, path: str) -> tuple[str, list[str]]:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252/latin-1."""
    warnings: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise IngestError("invalid UTF-16 text", path=path) from None
        warnings.append("decoded as UTF-16 (byte order mark found)")
        return text, warnings
    nul_count = data.count(b"\x00")
    if nul_count > len(data) * _BINARY_NUL_SHARE:
        raise IngestError("binary data, not a text file (contains NUL bytes)", path=path)
    if nul_count:
        warnings.append(f"removed {nul_count} NUL byte(s)")
    try:
        return data.decode("utf-8-sig"), warnings
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        encoding = "cp1252"
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        encoding = "latin-1"
    warnings.append(f"not valid UTF-8; decoded as {encoding}")
    return text, warnings


def _check_not_binary(text: str, path: str) -> None:
    if not text:
        return
    controls = len(_BINARY_CONTROLS.findall(text, 0, 20000))
    if controls > len(text[:20000]) * _BINARY_CONTROL_SHARE:
        raise IngestError("binary data, not a text file", path=path)


def text_to_lines(text: str) -> list[SourceLine]:
    """Split text into lines; a form feed starts a new page (as pdftotext writes them)."""
    lines: list[SourceLine] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for number, page_text in enumerate(text.split("\f"), start=1):
        lines.extend(SourceLine(line, number) for line in page_text.split("\n"))
    return lines


def ingest_text(text: str, path: str = "<text>", sha256: str | None = None) -> SourceDocument:
    """Clean an already-decoded text into a SourceDocument."""
    _check_not_binary(text, path)
    clean, pages, refs = join_lines(text_to_lines(text))
    if not clean.strip():
        raise IngestError("empty document (no text)", path=path)
    digest = sha256 or sha256_of(text.encode("utf-8"))
    return SourceDocument(path, digest, clean, pages, refs, [], page_count=len(pages))


def ingest_pdf(
    path: Path,
    data: bytes,
    *,
    backend: str | None = None,
    max_pages: int | None = None,
    ocr: bool = True,
) -> SourceDocument:
    if not data.startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise IngestError("not a PDF (no %PDF header)", path=str(path))
    from .pdf import DEFAULT_BACKEND, read_pdf  # deferred: PDF libraries are slow to import

    pdf = read_pdf(path, backend=backend or DEFAULT_BACKEND, max_pages=max_pages, ocr=ocr)
    lines: list[SourceLine] = []
    for page in pdf.pages:
        previous_block: int | None = None
        previous_bottom: float | None = None
        for line in page.lines:
            # A new block or a large vertical gap is a paragraph break for the segmenter.
            height = max(line.bottom - line.top, 1.0)
            new_block = previous_block is not None and line.block != previous_block
            gap = previous_bottom is not None and line.top - previous_bottom > 0.9 * height
            # A word hyphenated across a column or box break continues the paragraph.
            continues = bool(lines) and rejoin_hyphenated(lines[-1].text, line.text) is not None
            if (new_block or gap) and lines and lines[-1].text and not continues:
                lines.append(SourceLine("", page.number, None, "blank"))
            lines.append(
                SourceLine(
                    line.text, page.number, (line.x0, line.top, line.x1, line.bottom), line.kind
                )
            )
            previous_block, previous_bottom = line.block, line.bottom
    clean, pages, refs = join_lines(lines)
    if not clean.strip():
        raise IngestError("PDF has no extractable text", path=str(path))
    document = SourceDocument(
        str(path),
        sha256_of(data),
        clean,
        pages,
        refs,
        list(pdf.warnings),
        page_count=len(pdf.pages),
        backend=pdf.backend,
    )
    return document


def ingest_file(
    path: str | Path,
    *,
    pdf_backend: str | None = None,
    max_pages: int | None = None,
    ocr: bool = True,
) -> SourceDocument:
    """Read one .txt/.md/.pdf file into a SourceDocument; raise IngestError on bad input."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(f"unsupported file type {suffix or '(none)'!r}", path=str(path))
    data = read_bytes(path)
    if not data.strip():
        raise IngestError("empty file", path=str(path))
    if suffix in PDF_SUFFIXES:
        return ingest_pdf(path, data, backend=pdf_backend, max_pages=max_pages, ocr=ocr)
    text, warnings = decode_text(data, str(path))
    document = ingest_text(text, str(path), sha256_of(data))
    document.warnings[:0] = warnings
    return document
