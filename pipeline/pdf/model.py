"""The public data model of the PDF stage (re-exported by pipeline.pdf)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """One text line in reading order, with its box in PDF points (top-left origin)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # median font size of the line
    bold: bool  # majority of chars bold
    block: int  # index of the text block (column / box / sidebar / table) on its page
    kind: str  # "body" | "heading" | "table" | "box"


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    lines: list[Line]  # body lines in reading order, headers/footers removed
    furniture: list[str]  # removed running header/footer/page-number lines (provenance)
    ocr: bool  # True when the text came from OCR


@dataclass(frozen=True)
class PdfText:
    pages: list[Page]
    warnings: list[str]
    backend: str
