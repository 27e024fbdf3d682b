"""OCR of pages without a text layer: PDFium renders, Tesseract (swe) reads words with boxes.

The words go through the same layout analysis as a text layer, so a scanned page gets the
same reading order, furniture removal and headings as a born-digital one.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
from collections import defaultdict

import pypdfium2 as pdfium

from .backends import Word

OCR_DPI = 300
OCR_LANG = "swe"
_NOISE_RE = re.compile(r"^[|¦!/\\_~`'\".,:;]+$")
_MIN_CONF = 10.0  # Tesseract's confidence (0-100) below which a token is speckle noise
# Orientation confidence below which a detected turn is not trusted (upright and turned test
# pages and the real scan score 15-22; pages with little text score near 0).
OSD_MIN_CONF = 2.0


@functools.lru_cache(maxsize=1)
def tesseract_problem() -> str | None:
    """None when Tesseract with the Swedish model is usable, else why not (one clause)."""
    try:
        import pytesseract
    except ImportError:
        return "pytesseract is not installed"
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        return "Tesseract is not installed"
    try:
        langs = pytesseract.get_languages(config="")
    except Exception as exc:  # a broken install: report it, never crash the document
        return f"Tesseract does not run ({exc})"
    if OCR_LANG not in langs:
        return f"the Tesseract language model '{OCR_LANG}' is not installed"
    return None


@functools.lru_cache(maxsize=1)
def osd_problem() -> str | None:
    """None when Tesseract can detect page orientation (its "osd" model), else why not."""
    try:
        import pytesseract
    except ImportError:
        return "pytesseract is not installed"
    try:
        langs = pytesseract.get_languages(config="")
    except Exception as exc:
        return f"Tesseract does not run ({exc})"
    if "osd" not in langs:
        return (
            "Tesseract's orientation model (osd, Debian package tesseract-ocr-osd) is not "
            "installed, so OCR'd pages were read as they lie (a scan placed sideways or "
            "upside down reads as noise)"
        )
    return None


def page_rotation(image: object) -> int:
    """Degrees (0, 90, 180, 270) to turn a scan clockwise so its text stands upright, by
    Tesseract's orientation detection; 0 when unsure or when detection is unavailable."""
    import pytesseract

    if osd_problem() is not None:
        return 0
    # Orientation needs no fine detail: half the OCR resolution is as sure and ~2x faster.
    small = image.reduce(2)  # type: ignore[attr-defined]
    try:
        osd = pytesseract.image_to_osd(small, output_type=pytesseract.Output.DICT, config="--psm 0")
    except Exception:  # too little text to tell ("Too few characters"): leave it as it lies
        return 0
    rotate = int(osd.get("rotate", 0)) % 360
    if rotate not in (90, 180, 270) or float(osd.get("orientation_conf", 0.0)) < OSD_MIN_CONF:
        return 0
    return rotate


def ocr_page(doc: pdfium.PdfDocument, index: int) -> tuple[list[Word], int]:
    """OCR one page; words in PDF points (top-left origin of the crop box), and the clockwise
    turn (0, 90, 180, 270) that set a rotated scan upright: the words are in the turned frame,
    so for 90 and 270 the page's width and height swap."""
    import pytesseract

    # Tesseract's OpenMP threads oversubscribe a busy machine (3x slower measured here);
    # batch runs parallelise across documents instead. An explicit setting is respected.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    scale = OCR_DPI / 72
    page = doc[index]
    try:
        image = page.render(scale=scale, grayscale=True).to_pil()
    finally:
        page.close()
    rotation = page_rotation(image)
    if rotation:
        image = image.rotate(-rotation, expand=True)  # PIL turns counter-clockwise
    data = pytesseract.image_to_data(
        image, lang=OCR_LANG, output_type=pytesseract.Output.DICT, config="--psm 3"
    )
    lines: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for i, text in enumerate(data["text"]):
        text = text.strip()
        try:
            conf = float(data["conf"][i])
        except (TypeError, ValueError):
            conf = -1.0
        if not text or conf < _MIN_CONF:
            continue
        if _NOISE_RE.match(text) or (conf < 60 and not any(ch.isalnum() for ch in text)):
            continue  # isolated marks from scan noise, rules read as "|"
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines[key].append(i)
    # Word boxes from Tesseract are ink boxes (an "a" is lower than an "h"); give every word
    # its line's extent so the layout groups the line like a text layer, and take the font
    # size per paragraph (median line height) so descenders do not make lines "headings".
    extents: dict[tuple[int, int, int], tuple[float, float]] = {}
    for key, members in lines.items():
        top = min(data["top"][i] for i in members) / scale
        bottom = max(data["top"][i] + data["height"][i] for i in members) / scale
        extents[key] = (top, bottom)
    paragraph_heights: dict[tuple[int, int], list[float]] = defaultdict(list)
    for (block, par, _), (top, bottom) in extents.items():
        paragraph_heights[(block, par)].append(bottom - top)
    words: list[Word] = []
    for key, members in lines.items():
        top, bottom = extents[key]
        height = bottom - top
        heights = sorted(paragraph_heights[key[:2]])
        median = heights[len(heights) // 2]
        size = max(median if abs(height - median) <= 0.4 * median else height, 1.0)
        for i in members:
            x0 = data["left"][i] / scale
            x1 = (data["left"][i] + data["width"][i]) / scale
            words.append(Word(data["text"][i].strip(), x0, top, x1, bottom, size, False))
    return words, rotation
