"""PDF backends: one page at a time → positioned words (+ frames, ruled tables).

Both backends produce the same intermediate (`RawPage` of `Word`s with boxes, size and
weight) so that one shared layout analysis (layout.py) decides reading order, furniture and
headings. PDFium also validates every file up front (it is fast and its error codes are
precise), so bad input gives the same `IngestError` whichever backend reads the text.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import IngestError
from .textnorm import decode_cid_text, letter_score, mac_glyph_char

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in points, top-left origin


class Word(NamedTuple):
    """A positioned word, text as extracted (clean-up happens once, in layout)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    glue: bool = False  # set by layout: raw text ended in a ligature glyph ("ﬁ lmens" bug)


@dataclass
class RawTable:
    """A ruled table found by the backend: its box and the cell boxes of each row."""

    bbox: Box
    rows: list[list[Box]]


@dataclass
class RawPage:
    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    frames: list[Box] = field(default_factory=list)  # drawn rectangles that may frame a box
    images: list[Box] = field(default_factory=list)  # placed images (pictures, scans)
    tables: list[RawTable] = field(default_factory=list)
    chars: int = 0  # characters in the text layer (0: scanned or blank page)
    image_cover: float = 0.0  # share of the page covered by images (only for pages without text)
    decoded: int = 0  # glyphs of fonts without a Unicode map, decoded by glyph order
    garbled: int = 0  # such glyphs that could not be decoded (kept, or dropped as (cid))
    error: str | None = None  # the library failed on this page (it is left empty)


class Backend(Protocol):
    name: str

    def iter_pages(self, path: Path, doc: pdfium.PdfDocument, limit: int) -> Iterator[RawPage]:
        """Yield the first `limit` pages, one at a time (nothing page-sized is kept)."""
        ...


_BOLD_RE = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_FRAME_MIN_W, _FRAME_MIN_H = 30.0, 12.0
_RULE_MAX, _RULE_MIN = 2.5, 3.0  # a path this thin and at least this long is a ruling line


def is_bold_font(name: str) -> bool:
    return bool(_BOLD_RE.search(name))


@functools.lru_cache(maxsize=256)
def _bold_font_name(name: bytes) -> bool:
    """is_bold_font of a PDFium font name (a document uses a handful, looked up per line)."""
    return is_bold_font(name.decode("latin-1"))


# ---------------------------------------------------------------------------- validation


def open_document(path: Path) -> pdfium.PdfDocument:
    """Open and sanity-check a PDF with PDFium; every failure becomes one IngestError line."""
    where = str(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(1024)
            fh.seek(max(0, size - 4096))
            tail = fh.read()
    except OSError as exc:
        raise IngestError(f"cannot read file ({exc.strerror or exc})", path=where) from None
    if b"%PDF-" not in head:
        raise IngestError("not a PDF file (no %PDF header)", path=where)
    try:
        doc = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        # PDFium's last-error code can be left over from an earlier document in the same
        # process, so encryption is believed only when the file has an /Encrypt entry.
        encrypted = b"/Encrypt" in tail or b"/Encrypt" in path.read_bytes()
        if encrypted and code == pdfium_c.FPDF_ERR_SECURITY:
            msg = "PDF uses an unsupported security handler and cannot be read"
        elif encrypted:
            msg = "PDF is encrypted (password-protected) and cannot be read"
        elif _pdfminer_page_count(path) == 0:
            msg = "PDF has no pages"  # PDFium refuses a well-formed file with an empty page tree
        else:
            msg = "PDF is corrupted or truncated (cannot parse its structure)"
        raise IngestError(msg, path=where) from None
    except Exception as exc:  # any other loader failure must not escape as a traceback
        raise IngestError(f"PDF could not be opened ({exc})", path=where) from None
    # PDFium silently rebuilds a damaged cross-reference table; a missing end marker is the
    # reliable sign that the file was cut short, so reject it rather than read half a document.
    if b"%%EOF" not in tail:
        doc.close()
        raise IngestError("PDF is truncated or corrupted (no %EOF end marker)", path=where)
    if len(doc) == 0:
        doc.close()
        raise IngestError("PDF has no pages", path=where)
    return doc


def _pdfminer_page_count(path: Path) -> int | None:
    """Page count by pdfminer, or None when it cannot parse the file either."""
    try:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser

        logging.getLogger("pdfminer").setLevel(logging.ERROR)
        with path.open("rb") as fh:
            document = PDFDocument(PDFParser(fh))
            return sum(1 for _ in PDFPage.create_pages(document))
    except Exception:
        return None


# ---------------------------------------------------------------------------- PDFium


# A word runs to whitespace/control chars; PDFium's line-end hyphen (U+FFFE) ends a word
# because the next character already sits on the following line.
_WORD_RE = re.compile(r"[^\s\x00-\x1f\ufffe]+\ufffe?|\ufffe")
_MARKER_CHARS = frozenset("0123456789*†‡")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class PdfiumBackend:
    """Words from PDFium's text page: one text call, then boxes only at word ends.

    Querying every character through ctypes costs ~3 µs per char; splitting PDFium's own
    text (which already holds generated spaces and line breaks) and asking for two boxes per
    word keeps the backend near bare-PDFium speed.
    """

    name = "pdfium"

    def iter_pages(self, path: Path, doc: pdfium.PdfDocument, limit: int) -> Iterator[RawPage]:
        for index in range(limit):
            try:
                page = doc[index]
            except Exception as exc:
                yield RawPage(index + 1, 0.0, 0.0, error=str(exc) or type(exc).__name__)
                continue
            try:
                raw = self._read_page(page, index + 1)
            except Exception as exc:  # library failure on one page: keep the rest
                raw = RawPage(index + 1, 0.0, 0.0, error=str(exc) or type(exc).__name__)
            finally:
                page.close()
            yield raw

    def _read_page(self, page: pdfium.PdfPage, number: int) -> RawPage:
        left, bottom, right, top = page.get_cropbox()
        raw = RawPage(number, right - left, top - bottom)
        textpage = page.get_textpage()
        direction = (1, 0)
        try:
            count = textpage.count_chars()
            raw.chars = count
            if count:
                direction = self._read_words(textpage, count, raw, left, top)
        finally:
            textpage.close()
        raw.frames, raw.images, edges = _pdfium_objects(page, left, top)
        if direction != (1, 0):
            # Most text runs sideways or upside down (a landscape table set on a portrait
            # page): work in the frame where it reads left to right.
            turn = _Turn(direction, raw.width, raw.height)
            raw.words = [turn.word(w) for w in raw.words]
            raw.frames = [turn.box(b) for b in raw.frames]
            raw.images = [turn.box(b) for b in raw.images]
            edges = [turn.box(b) for b in edges]
            raw.width, raw.height = turn.size
        raw.image_cover = image_cover(raw.images, raw.width, raw.height)
        if raw.words and len(edges) >= 4:
            raw.tables = tables_from_edges(edges)
        return raw

    def _read_words(
        self, textpage: pdfium.PdfTextPage, count: int, raw: RawPage, left: float, top: float
    ) -> tuple[int, int]:
        """Fill raw.words; returns the page's dominant text direction (1, 0) = upright."""
        tp = textpage.raw
        text = textpage.get_text_range(0, count)
        # PDFium drops control characters from bulk text (so indices no longer match), and
        # fonts without a Unicode map expose glyph ids as control codes: such pages take the
        # per-character path. Otherwise the fast path runs and reports what it meets.
        slow = len(text) != count or bool(_CONTROL_RE.search(text))
        if not slow:
            outcome = _upright_words(tp, text, raw, left, top, check_map=True)
            if outcome == "ok":
                return (1, 0)
            raw.words.clear()
            slow = outcome == "unmapped"  # a font without a Unicode map ("*|UDQ" for Göran)
        if slow:
            text = _decoded_text(tp, count, raw)
        direction = _dominant_direction(tp, text)
        if direction != (1, 0):
            _read_turned_words(tp, text, raw, left, top, direction)
        else:
            _upright_words(tp, text, raw, left, top, check_map=False)
        return direction


def _decoded_text(tp: pdfium_c.FPDF_TEXTPAGE, count: int, raw: RawPage) -> str:
    """Text one character per index; glyphs without a Unicode map decoded by the Mac glyph
    order when that yields real words (counted in raw.decoded / raw.garbled)."""
    text, broken = _pdfium_char_text(tp, count)
    if not broken:
        return text
    raw_part = "".join(text[i] for i in broken)
    decoded = "".join(mac_glyph_char(ord(text[i])) or "\x00" for i in broken)
    chars = list(text)
    if letter_score(decoded) > letter_score(raw_part) + 0.15:
        for i, ch in zip(broken, decoded, strict=True):
            chars[i] = ch
        raw.decoded += len(broken)
    else:
        raw.garbled += len(broken)
        for i in broken:  # control codes of undecodable glyphs: treat as gaps
            if ord(chars[i]) < 32:
                chars[i] = " "
    return "".join(chars)


def _upright_words(
    tp: pdfium_c.FPDF_TEXTPAGE,
    text: str,
    raw: RawPage,
    left: float,
    top: float,
    *,
    check_map: bool,
) -> str:
    """The hot loop: words of upright text into raw.words. Returns "ok"; or "unmapped" when
    `check_map` and a font without a Unicode map shows up, or "sideways" when most words
    run in another direction (the caller then takes the slower paths)."""
    calls = _raw_text_calls()
    loose, get_matrix, get_size, get_weight, get_font_info, map_error = (
        calls.loose_box,
        calls.matrix,
        calls.font_size,
        calls.font_weight,
        calls.font_info,
        calls.map_error,
    )
    # Handle, rect and matrix go in as ready-made pointers: the bindings convert nothing.
    tp_ptr = ctypes.c_void_p(ctypes.cast(tp, ctypes.c_void_p).value)
    rect = pdfium_c.FS_RECTF()
    rect_ptr = ctypes.byref(rect)
    matrix = pdfium_c.FS_MATRIX()
    matrix_ptr = ctypes.byref(matrix)
    font_buf = ctypes.create_string_buffer(128)
    font_len = ctypes.c_ulong(128)
    words = raw.words
    append = words.append
    skipped = 0
    new = tuple.__new__  # Word(...) without NamedTuple's Python-level __new__: hot loop
    prev_t = prev_b = -1e9
    size, unit, per_char, bold, upright = 0.0, 1.0, 1.3, False, True
    for m in _WORD_RE.finditer(text):
        start, stop = m.span()
        loose(tp_ptr, start, rect_ptr)
        x0 = rect.left
        t0 = rect.top
        b0 = rect.bottom
        if not (-0.05 <= t0 - prev_t <= 0.05 and -0.05 <= b0 - prev_b <= 0.05):
            # (loose boxes jitter by ~0.01) Font, size and orientation only change where the
            # loose box (font ascent / descent x size) changes, so words on one line in one
            # font share one lookup.
            prev_t, prev_b = t0, b0
            if check_map and map_error(tp_ptr, start):
                return "unmapped"
            get_matrix(tp_ptr, start, matrix_ptr)
            a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
            upright = a > 0 and abs(b) <= 0.1 * abs(a) and abs(c) <= 0.1 * abs(d)
            size = get_size(tp_ptr, start) * math.hypot(c, d)
            unit = size if size > 1.0 else 1.0
            per_char = 1.3 * unit  # a generous upper bound of one glyph's advance
            # The weight comes from the font descriptor (often absent or a StemV guess),
            # so the font name decides too, as for pdfplumber.
            bold = get_weight(tp_ptr, start) >= 600
            if not bold:
                get_font_info(tp_ptr, start, font_buf, font_len, None)
                bold = _bold_font_name(font_buf.value)
        if not upright:
            skipped += 1
            continue  # rotated or mirrored text (photo credits, word art): not body text
        if stop - start == 1:
            append(new(Word, (text[start], x0 - left, top - t0, rect.right - left, top - b0,
                              size, bold, False)))  # fmt: skip
            continue
        loose(tp_ptr, stop - 1, rect_ptr)
        x1 = rect.right
        if (
            -0.05 < rect.top - t0 < 0.05
            and -0.05 < rect.bottom - b0 < 0.05
            and x0 <= x1 <= x0 + (stop - start) * per_char + unit
        ):
            append(new(Word, (text[start:stop], x0 - left, top - t0, x1 - left, top - b0,
                              size, bold, False)))  # fmt: skip
            continue
        t1, b1 = rect.top, rect.bottom
        if (
            x1 < x0
            or abs(t1 + b1 - t0 - b0) > 0.8 * unit
            or x1 - x0 > (stop - start) * per_char + unit
        ):
            # The "word" jumps lines or gaps (no space was generated): split per char.
            words.extend(_split_chars(tp_ptr, text, start, stop - 1, size, bold, left, top, rect))
        else:  # mixed sizes within the word: a note marker ("beroenden³"), a drop cap
            words.extend(_with_marker(tp_ptr, text, start, stop, size, bold, left, top, rect))
    return "sideways" if skipped > len(words) else "ok"


class _TextCalls(NamedTuple):
    """FPDFText_* functions bound by _unchecked (the text page goes in as c_void_p)."""

    loose_box: Callable[..., int]
    matrix: Callable[..., int]
    font_size: Callable[..., float]
    font_weight: Callable[..., int]
    font_info: Callable[..., int]
    map_error: Callable[..., int]
    unicode: Callable[..., int]
    is_hyphen: Callable[..., int]


def _unchecked(function: object, restype: type = ctypes.c_int) -> Callable[..., Any]:
    """A PDFium function bound without ctypes argument checks (argtypes unset) and without
    releasing the GIL (PYFUNCTYPE): each call is a few µs of work, and the checks and GIL
    handoff cost more than the call itself. Arguments must be ctypes objects (handles as
    c_void_p, structs and out-values by byref(), lengths as c_ulong) or plain ints for C ints.
    """
    address = ctypes.cast(function, ctypes.c_void_p).value
    bound = ctypes.PYFUNCTYPE(restype)(address)
    bound.argtypes = None
    return bound


@functools.lru_cache(maxsize=1)
def _raw_text_calls() -> _TextCalls:
    return _TextCalls(
        _unchecked(pdfium_c.FPDFText_GetLooseCharBox),
        _unchecked(pdfium_c.FPDFText_GetMatrix),
        _unchecked(pdfium_c.FPDFText_GetFontSize, ctypes.c_double),
        _unchecked(pdfium_c.FPDFText_GetFontWeight),
        _unchecked(pdfium_c.FPDFText_GetFontInfo, ctypes.c_ulong),
        _unchecked(pdfium_c.FPDFText_HasUnicodeMapError),
        _unchecked(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint),
        _unchecked(pdfium_c.FPDFText_IsHyphen),
    )


def _cardinal(a: float, b: float) -> tuple[int, int]:
    """The axis direction closest to the vector (a, b)."""
    if abs(a) >= abs(b):
        return (1 if a >= 0 else -1, 0)
    return (0, 1 if b > 0 else -1)


def _dominant_direction(tp: pdfium_c.FPDF_TEXTPAGE, text: str) -> tuple[int, int]:
    """Majority text direction of a sample of characters (user space, y up)."""
    matrix = pdfium_c.FS_MATRIX()
    votes: Counter[tuple[int, int]] = Counter()
    step = max(1, len(text) // 24)
    for i in range(0, len(text), step):
        if text[i].isspace() or not pdfium_c.FPDFText_GetMatrix(tp, i, matrix):
            continue
        votes[_cardinal(matrix.a, matrix.b)] += 1
    if not votes:
        return (1, 0)
    best, count = votes.most_common(1)[0]
    return best if count > votes[(1, 0)] else (1, 0)


def _read_turned_words(
    tp: pdfium_c.FPDF_TEXTPAGE,
    text: str,
    raw: RawPage,
    left: float,
    top: float,
    direction: tuple[int, int],
) -> None:
    """Words of a page whose text runs in `direction`, boxed in the page's usual frame
    (the caller turns them); text in other directions is dropped as on upright pages."""
    rect = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    font_buf = ctypes.create_string_buffer(128)
    for m in _WORD_RE.finditer(text):
        start, stop = m.span()
        pdfium_c.FPDFText_GetMatrix(tp, start, matrix)
        if _cardinal(matrix.a, matrix.b) != direction:
            continue
        size = pdfium_c.FPDFText_GetFontSize(tp, start) * math.hypot(matrix.c, matrix.d)
        bold = pdfium_c.FPDFText_GetFontWeight(tp, start) >= 600
        if not bold:
            pdfium_c.FPDFText_GetFontInfo(tp, start, font_buf, 128, None)
            bold = is_bold_font(font_buf.value.decode("latin-1"))
        pdfium_c.FPDFText_GetLooseCharBox(tp, start, rect)
        l0, t0, r0, b0 = rect.left, rect.top, rect.right, rect.bottom
        pdfium_c.FPDFText_GetLooseCharBox(tp, stop - 1, rect)
        x0, x1 = min(l0, rect.left) - left, max(r0, rect.right) - left
        y0, y1 = top - max(t0, rect.top), top - min(b0, rect.bottom)
        raw.words.append(Word(text[start:stop], x0, y0, x1, y1, size, bold))


class _Turn:
    """Maps boxes from the page frame (top-left origin) to the frame in which text that runs
    in `direction` (user space, y up) reads left to right, top to bottom."""

    def __init__(self, direction: tuple[int, int], width: float, height: float) -> None:
        ux, uy = direction[0], -direction[1]  # the text direction with y pointing down
        self.u = (ux, uy)
        self.v = (-uy, ux)  # "down" is the text direction turned clockwise
        xs = [x * ux + y * uy for x, y in ((0, 0), (width, 0), (0, height), (width, height))]
        ys = [x * -uy + y * ux for x, y in ((0, 0), (width, 0), (0, height), (width, height))]
        self.dx, self.dy = -min(xs), -min(ys)
        self.size = (max(xs) - min(xs), max(ys) - min(ys))

    def box(self, box: Box) -> Box:
        (ux, uy), (vx, vy) = self.u, self.v
        x0, y0, x1, y1 = box
        xs = (x0 * ux + y0 * uy, x1 * ux + y1 * uy)
        ys = (x0 * vx + y0 * vy, x1 * vx + y1 * vy)
        return (min(xs) + self.dx, min(ys) + self.dy, max(xs) + self.dx, max(ys) + self.dy)

    def word(self, word: Word) -> Word:
        x0, top, x1, bottom = self.box((word.x0, word.top, word.x1, word.bottom))
        return word._replace(x0=x0, top=top, x1=x1, bottom=bottom)


def _pdfium_char_text(tp: pdfium_c.FPDF_TEXTPAGE, count: int) -> tuple[str, list[int]]:
    """Text with one character per index, and the indices of glyphs without a Unicode map."""
    calls = _raw_text_calls()
    get_unicode, map_error, is_hyphen = calls.unicode, calls.map_error, calls.is_hyphen
    tp_ptr = ctypes.c_void_p(ctypes.cast(tp, ctypes.c_void_p).value)
    chars: list[str] = []
    broken: list[int] = []
    for i in range(count):
        code = get_unicode(tp_ptr, i)
        if map_error(tp_ptr, i):
            broken.append(i)
        if code == 2 and is_hyphen(tp_ptr, i):
            code = 0xFFFE  # the bulk text API's marker for a hyphen that ends a line
        chars.append(chr(code) if 0 < code < 0xD800 or 0xE000 <= code < 0x110000 else "\x00")
    return "".join(chars), broken


def _with_marker(
    tp: ctypes.c_void_p,
    text: str,
    start: int,
    stop: int,
    size: float,
    bold: bool,
    left: float,
    top: float,
    rect: pdfium_c.FS_RECTF,
) -> list[Word]:
    """A word whose characters differ in size; a smaller trailing run of digits (a footnote
    marker set as superscript) becomes a word of its own, which layout drops."""
    rect_ref = ctypes.byref(rect)
    loose_box = _raw_text_calls().loose_box
    loose_box(tp, start, rect_ref)
    x0, t0, b0 = rect.left, rect.top, rect.bottom
    k = stop
    while k > start + 1 and text[k - 1] in _MARKER_CHARS:
        k -= 1
    if k < stop:
        loose_box(tp, k, rect_ref)
        mx0, mt, mb = rect.left, rect.top, rect.bottom
        loose_box(tp, stop - 1, rect_ref)
        mx1 = rect.right
        if (mt - mb) < 0.85 * (t0 - b0) and mb > b0 + 0.1 * (t0 - b0):
            loose_box(tp, k - 1, rect_ref)
            base = Word(text[start:k], x0 - left, top - t0, rect.right - left, top - b0, size, bold)
            ratio = (mt - mb) / (t0 - b0)
            marker = Word(
                text[k:stop], mx0 - left, top - mt, mx1 - left, top - mb, size * ratio, bold
            )
            return [base, marker]
    loose_box(tp, stop - 1, rect_ref)
    x1, t1, b1 = rect.right, rect.top, rect.bottom
    tt = t0 if t0 > t1 else t1
    bb = b0 if b0 < b1 else b1
    return [Word(text[start:stop], x0 - left, top - tt, x1 - left, top - bb, size, bold)]


def _split_chars(
    tp: ctypes.c_void_p,
    text: str,
    start: int,
    end: int,
    size: float,
    bold: bool,
    left: float,
    top: float,
    rect: pdfium_c.FS_RECTF,
) -> list[Word]:
    """Slow path: rebuild words of text[start:end+1] from per-character boxes."""
    out: list[Word] = []
    cur: list[str] = []
    box: list[float] = []
    rect_ref = ctypes.byref(rect)
    gap = 0.3 * max(size, 1.0)
    loose_box = _raw_text_calls().loose_box
    for i in range(start, end + 1):
        loose_box(tp, i, rect_ref)
        x0, x1 = rect.left - left, rect.right - left
        t, b = top - rect.top, top - rect.bottom
        if cur:
            mid_prev, mid = (box[1] + box[3]) / 2, (t + b) / 2
            if abs(mid - mid_prev) > 0.4 * max(size, 1.0) or x0 > box[2] + gap or x0 < box[0]:
                out.append(Word("".join(cur), box[0], box[1], box[2], box[3], size, bold))
                cur, box = [], []
        if not cur:
            box = [x0, t, x1, b]
        else:
            box = [min(box[0], x0), min(box[1], t), max(box[2], x1), max(box[3], b)]
        cur.append(text[i])
    if cur:
        out.append(Word("".join(cur), box[0], box[1], box[2], box[3], size, bold))
    return out


def image_cover(images: list[Box], width: float, height: float) -> float:
    """Share of the page covered by images (overlaps counted twice; capped at 1)."""
    area = 0.0
    for x0, y0, x1, y1 in images:
        area += max(0.0, min(x1, width) - max(x0, 0.0)) * max(0.0, min(y1, height) - max(y0, 0.0))
    return min(1.0, area / (width * height)) if width * height > 0 else 0.0


def _pdfium_objects(
    page: pdfium.PdfPage, left: float, top: float
) -> tuple[list[Box], list[Box], list[Box]]:
    """Rectangle-like paths (possible box frames), image boxes, and ruling edges of a page.

    Edges are thin paths (a drawn line or hairline rectangle) and the sides of rectangles,
    as pdfplumber derives them, so that ruled tables can be found the same way.
    """
    frames: list[Box] = []
    images: list[Box] = []
    edges: list[Box] = []  # degenerate boxes: x0 == x1 (vertical) or top == bottom
    calls = _raw_object_calls()
    get_object, get_type, get_bounds, count_segments = (
        calls.page_object,
        calls.object_type,
        calls.bounds,
        calls.count_segments,
    )
    l_, b_, r_, t_ = (ctypes.c_float() for _ in range(4))
    refs = (ctypes.byref(l_), ctypes.byref(b_), ctypes.byref(r_), ctypes.byref(t_))
    path_t, image_t, form_t, text_t = (
        pdfium_c.FPDF_PAGEOBJ_PATH,
        pdfium_c.FPDF_PAGEOBJ_IMAGE,
        pdfium_c.FPDF_PAGEOBJ_FORM,
        pdfium_c.FPDF_PAGEOBJ_TEXT,
    )

    def visit(obj: _Ptr, kind: int, depth: int) -> None:
        if kind == form_t:
            if depth < 3:
                for k in range(calls.form_count(obj)):
                    child = calls.form_object(obj, k)
                    visit(child, get_type(child), depth + 1)
            return
        if not get_bounds(obj, *refs):
            return
        x0, y0, x1, y1 = l_.value - left, top - t_.value, r_.value - left, top - b_.value
        if kind == image_t:
            images.append((x0, y0, x1, y1))
            return
        w, h = x1 - x0, y1 - y0
        if h <= _RULE_MAX and w >= _RULE_MIN:
            y = (y0 + y1) / 2
            edges.append((x0, y, x1, y))
            return
        if w <= _RULE_MAX and h >= _RULE_MIN:
            x = (x0 + x1) / 2
            edges.append((x, y0, x, y1))
            return
        segments = count_segments(obj)
        if (
            segments in (4, 5)
            and w >= _FRAME_MIN_H
            and h >= _FRAME_MIN_H
            and _is_rectangle(obj, segments)
        ):
            # A rectangle's four sides can rule a table (as pdfplumber takes "re" operators).
            edges.extend(((x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)))
        if w >= _FRAME_MIN_W and h >= _FRAME_MIN_H and segments <= 24:  # rectangles, rounded
            frames.append((x0, y0, x1, y1))

    # Text objects are most of a page's objects: two unchecked calls each to pass them by.
    raw_page = page.raw
    page_ptr = ctypes.c_void_p(ctypes.cast(raw_page, ctypes.c_void_p).value)
    for k in range(pdfium_c.FPDFPage_CountObjects(raw_page)):
        obj = get_object(page_ptr, k)
        kind = get_type(obj)
        if kind != text_t and kind in (path_t, form_t, image_t):
            visit(obj, kind, 0)
    return frames, images, edges


class _Ptr(ctypes.c_void_p):
    """A pointer result kept as a ctypes object (a c_void_p subclass is not turned into an
    int), so it can go straight back into an unchecked call."""


class _ObjectCalls(NamedTuple):
    page_object: Callable[..., _Ptr]
    object_type: Callable[..., int]
    bounds: Callable[..., int]
    count_segments: Callable[..., int]
    form_count: Callable[..., int]
    form_object: Callable[..., _Ptr]
    path_segment: Callable[..., _Ptr]
    segment_point: Callable[..., int]
    segment_type: Callable[..., int]


@functools.lru_cache(maxsize=1)
def _raw_object_calls() -> _ObjectCalls:
    """Page-object functions bound without argument checks (see _raw_text_calls)."""
    return _ObjectCalls(
        _unchecked(pdfium_c.FPDFPage_GetObject, _Ptr),
        _unchecked(pdfium_c.FPDFPageObj_GetType),
        _unchecked(pdfium_c.FPDFPageObj_GetBounds),
        _unchecked(pdfium_c.FPDFPath_CountSegments),
        _unchecked(pdfium_c.FPDFFormObj_CountObjects),
        _unchecked(pdfium_c.FPDFFormObj_GetObject, _Ptr),
        _unchecked(pdfium_c.FPDFPath_GetPathSegment, _Ptr),
        _unchecked(pdfium_c.FPDFPathSegment_GetPoint),
        _unchecked(pdfium_c.FPDFPathSegment_GetType),
    )


def _join_lines(
    lines: list[tuple[float, float, float]], tol: float
) -> list[tuple[float, float, float]]:
    """Snap (pos, start, end) rules lying within `tol` of one position and join the pieces
    that touch or overlap (pdfplumber's snap and join, tolerance 3 pt)."""
    out: list[tuple[float, float, float]] = []
    lines.sort()
    i = 0
    while i < len(lines):
        j = i
        while j + 1 < len(lines) and lines[j + 1][0] - lines[i][0] <= tol:
            j += 1
        group = lines[i : j + 1]
        pos = sum(g[0] for g in group) / len(group)
        spans = sorted((g[1], g[2]) for g in group)
        start, end = spans[0]
        for a, b in spans[1:]:
            if a <= end + tol:
                end = max(end, b)
            else:
                out.append((pos, start, end))
                start, end = a, b
        out.append((pos, start, end))
        i = j + 1
    return out


def _is_rectangle(obj: _Ptr, segments: int) -> bool:
    """An axis-aligned rectangle: every point shares its x or its y with the previous one."""
    calls = _raw_object_calls()
    x, y = ctypes.c_float(), ctypes.c_float()
    xr, yr = ctypes.byref(x), ctypes.byref(y)
    prev: tuple[float, float] | None = None
    for i in range(segments):
        seg = calls.path_segment(obj, i)
        if not seg or not calls.segment_point(seg, xr, yr):
            return False
        if calls.segment_type(seg) == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            return False
        point = (x.value, y.value)
        if prev is not None and abs(point[0] - prev[0]) > 0.5 and abs(point[1] - prev[1]) > 0.5:
            return False
        prev = point
    return True


def tables_from_edges(edges: list[Box], tol: float = 3.0) -> list[RawTable]:
    """Ruled tables from ruling edges, by pdfplumber's "lines" method: snap and join the
    rules, intersect them, and take each smallest rectangle whose four sides are ruled."""
    h_lines = _join_lines([(e[1], e[0], e[2]) for e in edges if e[1] == e[3]], tol)
    v_lines = _join_lines([(e[0], e[1], e[3]) for e in edges if e[1] != e[3]], tol)
    h_lines = [h for h in h_lines if h[2] - h[1] >= tol]
    v_lines = [v for v in v_lines if v[2] - v[1] >= tol]
    if len(h_lines) < 2 or len(v_lines) < 2:
        return []
    # Intersections, each knowing which horizontal (hi) and vertical (vi) rule it lies on.
    points: dict[tuple[float, float], tuple[int, int]] = {}
    for vi, (x, v0, v1) in enumerate(v_lines):
        for hi, (y, h0, h1) in enumerate(h_lines):
            if h0 - tol <= x <= h1 + tol and v0 - tol <= y <= v1 + tol:
                points[(x, y)] = (hi, vi)
    if len(points) < 4:
        return []
    by_row: dict[int, list[float]] = {}
    by_col: dict[int, list[float]] = {}
    for (x, y), (hi, vi) in points.items():
        by_row.setdefault(hi, []).append(x)
        by_col.setdefault(vi, []).append(y)
    for xs in by_row.values():
        xs.sort()
    for ys in by_col.values():
        ys.sort()
    cells: list[Box] = []
    for (x, y), (hi, vi) in points.items():
        xs, ys = by_row[hi], by_col[vi]  # sorted: the corners right of / below this one
        rights = xs[bisect_right(xs, x) :]
        downs = ys[bisect_right(ys, y) :]
        found = False
        for dy in downs:  # the nearest rule below with a matching corner closes the cell
            for rx in rights:
                corner = points.get((rx, dy))
                right = points.get((rx, y))
                down = points.get((x, dy))
                if corner and right and down and corner[0] == down[0] and corner[1] == right[1]:
                    cells.append((x, y, rx, dy))
                    found = True
                    break
            if found:
                break
    return _cells_to_tables(cells)


def _cells_to_tables(cells: list[Box]) -> list[RawTable]:
    """Group cells sharing corners into tables; rows by their top edge."""
    remaining = set(cells)
    tables: list[RawTable] = []
    while remaining:
        seed = remaining.pop()
        group = [seed]
        corners = {(seed[0], seed[1]), (seed[2], seed[1]), (seed[0], seed[3]), (seed[2], seed[3])}
        grew = True
        while grew:
            grew = False
            for cell in list(remaining):
                mine = {
                    (cell[0], cell[1]),
                    (cell[2], cell[1]),
                    (cell[0], cell[3]),
                    (cell[2], cell[3]),
                }
                if mine & corners:
                    remaining.discard(cell)
                    group.append(cell)
                    corners |= mine
                    grew = True
        if len(group) < 2:
            continue
        rows: dict[float, list[Box]] = {}
        for cell in sorted(group, key=lambda c: (c[1], c[0])):
            rows.setdefault(cell[1], []).append(cell)
        bbox = (
            min(c[0] for c in group),
            min(c[1] for c in group),
            max(c[2] for c in group),
            max(c[3] for c in group),
        )
        tables.append(RawTable(bbox, list(rows.values())))
    tables.sort(key=lambda t: (t.bbox[1], t.bbox[0]))
    return tables


# ---------------------------------------------------------------------------- pdfplumber


class PdfplumberBackend:
    """Words from pdfplumber (pdfminer): slower, but finds ruled tables with find_tables."""

    name = "pdfplumber"

    def iter_pages(self, path: Path, doc: pdfium.PdfDocument, limit: int) -> Iterator[RawPage]:
        import pdfplumber  # deferred: pdfminer is slow to import
        from pdfminer.pdfpage import PDFPage
        from pdfplumber.page import Page

        # pdfminer logs a warning per odd font descriptor; they are noise for our users.
        logging.getLogger("pdfminer").setLevel(logging.ERROR)
        where = str(path)
        # Our own file handle: pdfplumber's PDF.close() would build (and parse) every page.
        with path.open("rb") as stream:
            try:
                pdf = pdfplumber.PDF(stream, path=path, stream_is_external=True)
            except Exception as exc:
                msg = f"PDF could not be opened by pdfplumber ({exc})"
                raise IngestError(msg, path=where) from None
            pages = PDFPage.create_pages(pdf.doc)  # a generator: pages are parsed on demand
            for index in range(limit):
                try:
                    page_obj = next(pages)
                except StopIteration:
                    return
                except Exception as exc:
                    msg = f"PDF page tree is corrupted at page {index + 1} ({exc})"
                    raise IngestError(msg, path=where) from None
                try:
                    page = Page(pdf, page_obj, page_number=index + 1, initial_doctop=0)
                    page = _upright_page(page)
                    raw = self._read_page(page, index + 1)
                    page.close()
                except Exception as exc:  # pdfminer failure on one page: keep the rest
                    raw = RawPage(index + 1, 0.0, 0.0, error=str(exc) or type(exc).__name__)
                yield raw

    def _read_page(self, page: object, number: int) -> RawPage:
        from pdfplumber.page import Page

        assert isinstance(page, Page)
        raw = RawPage(number, float(page.width), float(page.height))
        chars = page.chars
        raw.chars = len(chars)
        raw.images = [
            (float(i["x0"]), float(i["top"]), float(i["x1"]), float(i["bottom"]))
            for i in page.images
        ]
        if not chars:
            raw.image_cover = image_cover(raw.images, raw.width, raw.height)
            return raw
        # Fonts whose glyphs come out as (cid:NN) have no Unicode map; their other glyphs are
        # glyph ids too ("*|UDQ"). Decode them by glyph order when that yields real words.
        cid_fonts = {c["fontname"] for c in chars if c["text"].startswith("(cid:")}
        decode_fonts: set[str] = set()
        for font in cid_fonts:
            sample = "".join(c["text"] for c in chars if c["fontname"] == font)
            plain = re.sub(r"\(cid:\d+\)", "", sample)
            if letter_score(decode_cid_text(sample)) > letter_score(plain) + 0.15:
                decode_fonts.add(font)
        for c in chars:
            if c["fontname"] in cid_fonts:
                if c["fontname"] in decode_fonts:
                    raw.decoded += 1
                elif not c["text"].startswith("(cid:"):
                    raw.garbled += 1  # (cid) glyphs are counted when dropped in layout
        words = page.extract_words(
            extra_attrs=["size", "fontname"], use_text_flow=False, keep_blank_chars=False
        )
        for w in words:
            if not w.get("upright", True):
                continue  # rotated text (photo credits, word art): not body text
            text = w["text"]
            font = w["fontname"]
            if font in decode_fonts:
                text = decode_cid_text(text)
            raw.words.append(
                Word(
                    text,
                    float(w["x0"]),
                    float(w["top"]),
                    float(w["x1"]),
                    float(w["bottom"]),
                    float(w["size"]),
                    is_bold_font(font),
                )
            )
        raw.frames = _plumber_frames(page)
        if len(page.edges) >= 6:  # find_tables is costly; ruled tables need several edges
            for table in page.find_tables():
                rows = [[cell for cell in row.cells if cell is not None] for row in table.rows]
                rows = [r for r in rows if r]
                raw.tables.append(RawTable(tuple(table.bbox), rows))  # type: ignore[arg-type]
        return raw


_TURN_FOR = {(0, 1): 90, (-1, 0): 180, (0, -1): 270}  # text direction -> extra rotation


def _upright_page(page: object) -> object:
    """If most characters are not upright (text set sideways), re-read the page rotated so
    that the text runs left to right, as the PDFium backend does."""
    from pdfplumber.page import Page

    assert isinstance(page, Page)
    chars = page.chars
    if not chars or 2 * sum(1 for c in chars if c.get("upright", True)) >= len(chars):
        return page
    votes = Counter(_cardinal(c["matrix"][0], c["matrix"][1]) for c in chars if "matrix" in c)
    direction = votes.most_common(1)[0][0] if votes else (1, 0)
    extra = _TURN_FOR.get(direction)
    if extra is None:
        return page
    page_obj = page.page_obj
    rotate = (int(page_obj.attrs.get("Rotate", 0) or 0) + extra) % 360
    page_obj.attrs["Rotate"] = rotate  # pdfplumber reads the boxes' rotation from here,
    page_obj.rotate = rotate  # pdfminer the content's
    page.close()
    return Page(page.pdf, page_obj, page_number=page.page_number, initial_doctop=0)


_WHITE = {(1,), (1, 1, 1), (0, 0, 0, 0), (1.0,), (1.0, 1.0, 1.0), (0.0, 0.0, 0.0, 0.0)}


def _plumber_frames(page: object) -> list[Box]:
    frames: list[Box] = []
    for obj in [*page.rects, *page.curves]:  # type: ignore[attr-defined]
        w = float(obj["x1"]) - float(obj["x0"])
        h = float(obj["bottom"]) - float(obj["top"])
        if w < _FRAME_MIN_W or h < _FRAME_MIN_H:
            continue
        color = obj.get("non_stroking_color")
        if not obj.get("stroke") and isinstance(color, (tuple, list)) and tuple(color) in _WHITE:
            continue  # an invisible white fill (page backgrounds, masks) frames nothing
        frames.append((float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"])))
    return frames


BACKEND_IMPLS: dict[str, Backend] = {
    "pdfium": PdfiumBackend(),
    "pdfplumber": PdfplumberBackend(),
}
