"""The PDF stage on 12 real Swedish public-sector PDFs (../shared/realworld, see SOURCES.md).

The files are not ours and are never copied into the repository: the tests read them where
they are and skip when the folder is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.pdf import DEFAULT_BACKEND, PdfText, read_pdf
from pipeline.pdf.ocr import tesseract_problem

REALWORLD = Path(__file__).resolve().parents[1].parent / "shared" / "realworld"
PDFS = sorted(REALWORLD.glob("*.pdf")) if REALWORLD.is_dir() else []
SCANNED = "scanned_prop_1991_92_43_skattetillagg.pdf"

pytestmark = pytest.mark.skipif(not PDFS, reason=f"real-world PDFs not found in {REALWORLD}")

# Running headers/footers each file is known to carry (SOURCES.md), as whole body lines.
RUNNING = {
    "tillvaxtanalys_2011_regional_lokal_tillvaxtpolitik.pdf": [
        r"REGIONAL OCH LOKAL TILLVÄXTPOLITIK"
    ],
    "rsa_hagfors_2023_2026.pdf": [r"Sid \d+\s*\(30\)"],
    "nfs_2007_10_rovdjursinventering.pdf": [r"NFS 2007:10"],
    "scb_valfard_2009_europaparlamentsval.pdf": [r"(\d+ )?Välfärd Nr 2 2009( \d+)?"],
    "scb_valfard_2008_klippan_en_rost.pdf": [r"(\d+ )?Välfärd [Nn]r 3 2008( \d+)?"],
    "scb_valfard_2006_ljungby_karlstad.pdf": [r"(\d+ )?Välfärd [Nn]r 1 2006( \d+)?"],
    "scb_valfard_2005_valdeltagande_eu.pdf": [r"(\d+ )?Välfärd Nr 2 2005( \d+)?"],
    "scb_2004_arvoderade_fortroendevalda.pdf": [
        r"(STATISTISKA CENTRALBYRÅN )?Rapport \d+\(13\)",
        r"STATISTISKA CENTRALBYRÅN",
        r"2004-09-10",
    ],
    "rsa_bjurholm_2023_2025.pdf": [r"Risk- och sårbarhetsanalys 2023-2025"],
    "prop_1999_2000_17_farjor_tag.pdf": [r"Prop\. 1999/2000:17"],
}

_cache: dict[str, PdfText] = {}


def read(name: str) -> PdfText:
    """Each file is read once per session (the 56-page report takes a moment)."""
    if name not in _cache:
        skip_ocr = name == SCANNED and tesseract_problem() is not None
        _cache[name] = read_pdf(REALWORLD / name, ocr=not skip_ocr)
    return _cache[name]


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.stem)
def test_reads_without_exception(path: Path) -> None:
    result = read(path.name)
    assert result.backend == DEFAULT_BACKEND
    assert result.pages and [p.number for p in result.pages] == list(
        range(1, len(result.pages) + 1)
    )
    if path.name != SCANNED:
        assert sum(len(p.lines) for p in result.pages) > 10
        assert not any(p.ocr for p in result.pages)  # never OCR a page that has text


@pytest.mark.parametrize("name", sorted(RUNNING))
def test_no_running_header_left_in_body(name: str) -> None:
    if not (REALWORLD / name).exists():
        pytest.skip(f"{name} is absent")
    patterns = [re.compile(p) for p in RUNNING[name]]
    result = read(name)
    for page in result.pages:
        for line in page.lines:
            # Only near the page edges: mid-page, "NFS 2007:10" is a real heading (the
            # transitional provisions list each amending act under its number).
            if 0.15 * page.height < line.top < 0.85 * page.height:
                continue
            for pattern in patterns:
                assert not pattern.fullmatch(line.text.strip()), (name, page.number, line.text)
    removed = [text for page in result.pages for text in page.furniture]
    assert any(p.fullmatch(t) for p in patterns for t in removed), name


def test_bare_page_numbers_are_furniture() -> None:
    result = read("dir_2017_29_forskningsdatautredningen.pdf")
    for page in result.pages[1:]:
        assert str(page.number) in page.furniture
        assert page.lines[0].text != str(page.number)


@pytest.mark.slow
@pytest.mark.skipif(tesseract_problem() is not None, reason=f"no OCR: {tesseract_problem()}")
def test_scanned_file_is_ocrd() -> None:
    result = read(SCANNED)
    assert all(p.ocr for p in result.pages)
    assert any("OCR'd with Tesseract (swe)" in w for w in result.warnings)
    text = " ".join(line.text for page in result.pages for line in page.lines)
    assert len(text) > 1500
    assert "skattetillägg" in text and "propositionen" in text


def test_custom_encoding_is_decoded_with_a_warning() -> None:
    result = read("prop_1999_2000_17_farjor_tag.pdf")
    assert any("undecodable" in w for w in result.warnings)
    text = " ".join(line.text for page in result.pages for line in page.lines)
    assert "Göran Persson" in text and "Bosse Ringholm" in text
    assert "(cid:" not in text and "*|UDQ" not in text


def test_soft_hyphens_and_fi_ligature_spacing() -> None:
    for name in (
        "scb_valfard_2009_europaparlamentsval.pdf",
        "scb_valfard_2006_ljungby_karlstad.pdf",
    ):
        text = "\n".join(line.text for page in read(name).pages for line in page.lines)
        assert "\u00ad" not in text and "\ufb01" not in text
    ljungby = " ".join(
        line.text for page in read("scb_valfard_2006_ljungby_karlstad.pdf").pages
        for line in page.lines
    )  # fmt: skip
    assert "filmens" in ljungby and "fi lmens" not in ljungby
    assert "återfinner" in ljungby


def test_four_columns_are_not_merged() -> None:
    lines = [line.text for line in read("scb_valfard_2009_europaparlamentsval.pdf").pages[0].lines]
    # extract_text merges the four columns line by line into this:
    assert not any("har andelen Än större" in t for t in lines)
    assert "röstande sjunkit över tid. Totalt" in lines


def test_sidebar_is_not_woven_into_the_title() -> None:
    lines = [line.text for line in read("dir_2017_29_forskningsdatautredningen.pdf").pages[0].lines]
    start = lines.index("Tilläggsdirektiv till Forskningsdatautred-")
    assert lines[start + 1] == "ningen (U 2016:04)"
