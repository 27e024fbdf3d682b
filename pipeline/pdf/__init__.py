"""PDF → positioned text → clean page text (the PDF half of the ingest stage).

`read_pdf` reads a PDF page by page with one of two backends (PDFium or pdfplumber), OCRs
pages that only hold an image of text, and runs one shared layout analysis over the words:
columns read in order, boxes/sidebars and tables as their own blocks, running headers,
footers and page numbers moved out of the text, headings marked. Line-end hyphens are kept
(the ingest stage joins them for text and PDF input alike).
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, defaultdict
from pathlib import Path

from ..errors import IngestError
from .backends import BACKEND_IMPLS, RawPage, open_document
from .layout import analyse_page
from .model import Line, Page, PdfText
from .ocr import OCR_LANG, ocr_page, osd_problem, tesseract_problem

__all__ = [
    "BACKENDS",
    "DEFAULT_BACKEND",
    "Line",
    "Page",
    "PdfText",
    "read_pdf",
]

BACKENDS: tuple[str, ...] = ("pdfium", "pdfplumber")

# DEFAULT_BACKEND, chosen with bench/bench_pdf.py (2026-11-27; CPU time, best of 5 interleaved
# runs on a 2-CPU machine shared with other jobs; 15 files: the 3 generated test PDFs and the 12
# real ones in ../shared/realworld, 200 pages, OCR off):
#
#   method                             pages/s   x bare PDFium   x bare pdfplumber   CER (gen.)
#   bare pypdfium2 get_text_range       547.5        1.000            70.6               -
#   bare pdfplumber extract_text          7.8        0.014             1.000             -
#   read_pdf(backend="pdfium")          206.7        0.378            26.6             0.00 %
#   read_pdf(backend="pdfplumber")        7.3        0.013             0.937            0.00 %
#
# Both backends reproduce the generated pages exactly and agree closely on the real files
# (cross-backend CER 0-4 % per file, mostly tables that pdfplumber's find_tables cuts
# differently), so PDFium, 25x faster, is the default. Targets: PDFium end to end >= 0.3x bare
# PDFium - met at 0.378 (0.364-0.395 across runs; 0.29-0.32 before the word loop, page-object
# scan and layout passes were made cheaper); pdfplumber backend within 1.3x of bare
# extract_text - met (1.07x).
DEFAULT_BACKEND: str = "pdfium"

# Running headers/footers live in the top/bottom band of a page and repeat on many pages.
FURNITURE_ZONE = 0.08
FURNITURE_MIN_SHARE = 0.5
FURNITURE_MAX_WORDS = 8  # running heads are short; a repeated sentence is body text
PAGE_NUMBER_MIN_SHARE = 0.4  # pages carrying a bare page number (title pages often do not)
EDGE_ROWS = 4  # outermost text rows of a page considered even outside the band
# A page without text whose images cover this share of it is a scan: OCR it.
SCAN_MIN_IMAGE_COVER = 0.5

_PAGE_NUMBER_RES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"[-–—]?\s*\d{1,4}\s*[-–—]?",  # 12, - 12 -
        r"(sid|sida|s\.|page)\s*\d{1,4}\s*(\(\s*\d{1,4}\s*\)|(av|of|/)\s*\d{1,4})?",  # Sid 2 (13)
        r"\d{1,4}\s*\(\s*\d{1,4}\s*\)",  # 2(13)
        r"\d{1,4}\s*(/|av|of)\s*\d{1,4}",  # 2/13, 2 av 13
        r"[^\W\d_]+\s+\d{1,4}\s*\(\s*\d{1,4}\s*\)",  # Rapport 2(13)
    )
]
_PDFIUM_LOCK = threading.RLock()
_DIGITS_RE = re.compile(r"\d+")
_LETTER_RE = re.compile(r"[^\W\d_]")
_BARE_NUMBER_RE = re.compile(r"[-–—]?\s*(\d{1,4})\s*[-–—]?")
_KEY_STRIP = " #.,:;-–—|"


def read_pdf(
    path: Path,
    *,
    backend: str = DEFAULT_BACKEND,
    max_pages: int | None = None,
    ocr: bool = True,
) -> PdfText:
    """Read a PDF into pages of clean lines; bad files raise IngestError (one line)."""
    if backend not in BACKEND_IMPLS:
        raise ValueError(f"unknown PDF backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    path = Path(path)
    with _PDFIUM_LOCK:  # PDFium is not thread-safe; processes may still run in parallel
        return _read_pdf(path, backend, max_pages, ocr)


def _read_pdf(path: Path, backend: str, max_pages: int | None, ocr: bool) -> PdfText:
    doc = open_document(path)
    warnings: list[str] = []
    try:
        total = len(doc)
        limit = total if max_pages is None else max(0, min(total, max_pages))
        if limit < total:
            warnings.append(
                f"document has {total} pages; only the first {limit} were read (--max-pages)"
            )
        layouts: list[tuple[RawPage, list[Line], bool]] = []
        ocr_done: list[int] = []
        ocr_skipped: list[int] = []
        turned: list[tuple[int, int]] = []  # (page, clockwise degrees) of rotated scans
        failed: list[str] = []
        dropped: dict[int, int] = {}
        decoded: dict[int, int] = {}
        garbled: dict[int, int] = {}
        reason = None
        for raw in BACKEND_IMPLS[backend].iter_pages(path, doc, limit):
            if raw.error is not None:
                failed.append(f"page {raw.number}: {raw.error}")
                if not raw.width:
                    raw.width, raw.height = _page_size(doc, raw.number - 1)
            used_ocr = False
            if raw.chars == 0 and raw.error is None and raw.image_cover >= SCAN_MIN_IMAGE_COVER:
                reason = tesseract_problem() if ocr else "OCR is disabled"
                if reason is None:
                    try:
                        raw.words, turn = ocr_page(doc, raw.number - 1)
                        used_ocr = True
                        ocr_done.append(raw.number)
                        if turn:
                            turned.append((raw.number, turn))
                            if turn != 180:  # the words are in the upright page's frame
                                raw.width, raw.height = raw.height, raw.width
                    except Exception as exc:  # Tesseract crashed on this image: warn, go on
                        failed.append(f"page {raw.number}: OCR failed ({exc})")
                else:
                    ocr_skipped.append(raw.number)
            layout = analyse_page(raw)
            if layout.dropped:
                dropped[raw.number] = layout.dropped
            if raw.decoded:
                decoded[raw.number] = raw.decoded
            if raw.garbled:
                garbled[raw.number] = raw.garbled
            raw.words = []  # the layout is all we keep of a page
            layouts.append((raw, layout.lines, used_ocr))
        if len(failed) == len(layouts) and failed:
            raise IngestError(f"no page could be read ({failed[0]})", path=str(path))
    finally:
        doc.close()

    pages = _split_furniture(layouts)
    if ocr_done:
        warnings.append(
            f"{_pages_phrase(ocr_done)} had no text layer and "
            f"{'was' if len(ocr_done) == 1 else 'were'} OCR'd with Tesseract ({OCR_LANG})"
        )
        problem = osd_problem()
        if problem is not None:
            warnings.append(problem)
    for number, turn in turned:
        warnings.append(
            f"page {number}: the scan lies rotated; it was turned {turn}° clockwise before "
            "OCR (its boxes refer to the upright page)"
        )
    if ocr_skipped:
        verb = "was" if len(ocr_skipped) == 1 else "were"
        warnings.append(
            f"{reason}: {_pages_phrase(ocr_skipped)} "
            f"{'has' if len(ocr_skipped) == 1 else 'have'} no text layer and {verb} left empty"
        )
    for number, count in sorted(dropped.items()):
        warnings.append(
            f"page {number}: {count} characters in an undecodable font (cid) were dropped"
        )
    for number, count in sorted(decoded.items()):
        warnings.append(
            f"page {number}: {count} characters in a font without a Unicode map (undecodable "
            "as is) were decoded by glyph order; check the text"
        )
    for number, count in sorted(garbled.items()):
        warnings.append(
            f"page {number}: {count} characters in a font without a Unicode map could not be "
            "decoded and may be garbled"
        )
    warnings.extend(f"{msg}; the page was left empty" for msg in failed)
    return PdfText(pages, warnings, backend)


def _page_size(doc: object, index: int) -> tuple[float, float]:
    """The size of a page the backend failed on (0, 0 if PDFium cannot tell either)."""
    try:
        page = doc[index]  # type: ignore[index]
    except Exception:
        return 0.0, 0.0
    try:
        w, h = page.get_size()
        return float(w), float(h)
    except Exception:
        return 0.0, 0.0
    finally:
        page.close()


def _pages_phrase(numbers: list[int]) -> str:
    """'page 2', 'pages 2-3', 'pages 1, 4-6'."""
    spans: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        spans.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(spans)


def is_page_number(text: str) -> bool:
    """A bare page marker: "12", "- 12 -", "Sid 2 (13)", "Sid 3(30)", "2(13)", "Rapport 2(13)"."""
    text = text.strip()
    return any(p.fullmatch(text) for p in _PAGE_NUMBER_RES)


def furniture_key(text: str) -> str:
    """Compare header/footer lines across pages: digits blurred, page numbers at the ends cut.

    A line without letters (a date such as "2004-09-10") keeps its digits: it is furniture
    only if it repeats exactly.
    """
    text = " ".join(text.lower().split())
    if not _LETTER_RE.search(text):
        return "=" + text if len(text) >= 4 else ""
    return _DIGITS_RE.sub("#", text).strip(_KEY_STRIP)


def _in_zone(line: Line, height: float) -> bool:
    if height <= 0:
        return False
    zone = FURNITURE_ZONE * height
    return line.bottom <= zone + 0.02 * height or line.top >= height - zone - 0.02 * height


def _edge_lines(lines: list[Line], height: float) -> set[int]:
    """Indices of lines that may be furniture: in the top/bottom band of the page, or the
    outermost lines of the page (a footer above a wide bottom margin is still the last line)."""
    edge = {i for i, line in enumerate(lines) if _in_zone(line, height)}
    if lines:
        # Rows, not lines: a header row may hold several lines ("Rapport", "2(13)") whose
        # tops differ by a point or two.
        order = sorted(range(len(lines)), key=lambda i: lines[i].top)
        rows: list[list[int]] = []
        for i in order:
            if rows and lines[i].top - lines[rows[-1][0]].top <= 4.0:
                rows[-1].append(i)
            else:
                rows.append([i])
        for row in rows[:EDGE_ROWS] + rows[-EDGE_ROWS:]:
            edge.update(row)
    return edge


def _bare_number(text: str) -> int | None:
    m = _BARE_NUMBER_RE.fullmatch(text.strip())
    return int(m.group(1)) if m else None


def _split_furniture(layouts: list[tuple[RawPage, list[Line], bool]]) -> list[Page]:
    """Move running headers/footers and page numbers out of the body lines.

    Candidates are the outer rows of each page. A line is a running header/footer when its
    digit-blurred form repeats on at least half of the pages; if one exact wording dominates
    those repeats ("NFS 2007:10" on every page), only that wording is furniture, so that an
    amendment note "NFS 2014:23" or a title in another case is not taken for it.

    A bare number is a page number only if it differs from the PDF page index by the
    document's usual offset (printed page 24 on PDF page 1, and so on) and that offset is
    common, so a section number such as the "2" of "2 Lagtext" at the top of page 4 stays.
    """
    pages_with: dict[str, set[int]] = defaultdict(set)
    wordings: dict[str, Counter[str]] = defaultdict(Counter)
    offsets: dict[int, set[int]] = defaultdict(set)
    edges: list[set[int]] = []
    keys: dict[str, str] = {}  # furniture_key per line text, reused by is_furniture
    for raw, lines, _ in layouts:
        edge = _edge_lines(lines, raw.height)
        edges.append(edge)
        for i in edge:
            text = lines[i].text
            number = _bare_number(text)
            if number is not None:
                offsets[number - raw.number].add(raw.number)
                continue
            key = keys[text] = furniture_key(text)
            if key and len(text.split()) <= FURNITURE_MAX_WORDS:
                pages_with[key].add(raw.number)
                wordings[key][text] += 1
    n = len(layouts)
    needed = max(2, math.ceil(FURNITURE_MIN_SHARE * n))
    running: dict[str, str | None] = {}  # key -> the one exact wording, or None (any)
    for key, numbers in pages_with.items():
        if len(numbers) >= needed:
            text, count = wordings[key].most_common(1)[0]
            running[key] = text if count >= 0.8 * sum(wordings[key].values()) else None
    best = max(offsets.items(), key=lambda kv: (len(kv[1]), -abs(kv[0])), default=None)
    offset = None
    if best and len(best[1]) >= (1 if n == 1 else max(2, math.ceil(PAGE_NUMBER_MIN_SHARE * n))):
        offset = best[0]

    def is_furniture(text: str, number: int) -> bool:
        bare = _bare_number(text)
        if bare is not None:
            return bare - number == offset
        if is_page_number(text):
            return True
        key = keys[text] if text in keys else furniture_key(text)
        if key not in running:
            return False
        wording = running[key]
        return wording is None or wording == text

    pages: list[Page] = []
    for (raw, lines, used_ocr), edge in zip(layouts, edges, strict=True):
        body: list[Line] = []
        furniture: list[str] = []
        for i, line in enumerate(lines):
            if i in edge and is_furniture(line.text, raw.number):
                furniture.append(line.text)
            else:
                body.append(line)
        pages.append(Page(raw.number, raw.width, raw.height, body, furniture, used_ocr))
    return pages
