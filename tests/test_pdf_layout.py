"""The PDF stage on generated PDFs: text accuracy, reading order, furniture, boxes, tables,
OCR and clean errors — for every backend."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from pipeline.errors import IngestError
from pipeline.pdf import BACKENDS, DEFAULT_BACKEND, Line, PdfText, read_pdf
from pipeline.pdf.ocr import osd_problem, tesseract_problem
from pipeline.pdf.textnorm import clean_word, decode_glyph_ids

from . import pdfgen

FOOTER_RE = re.compile(r"^Sid \d+ \(\d+\)$")


@pytest.fixture(scope="module")
def gen_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdfgen")


@pytest.fixture(scope="module")
def report(gen_dir: Path) -> pdfgen.Generated:
    return pdfgen.report_pdf(gen_dir)


@pytest.fixture(scope="module", params=BACKENDS)
def read_report(request: pytest.FixtureRequest, report: pdfgen.Generated) -> PdfText:
    return read_pdf(report.path, backend=request.param)


def page_text(lines: list[Line]) -> str:
    return " ".join(line.text for line in lines)


def index_of(lines: list[Line], text: str, start: int = 0) -> int:
    for i in range(start, len(lines)):
        if lines[i].text == text:
            return i
    raise AssertionError(f"line {text!r} not found after {start} in {[x.text for x in lines]}")


def subsequence(lines: list[Line], texts: list[str]) -> list[int]:
    """Positions of `texts` found in this order in `lines` (fails if they are not)."""
    positions: list[int] = []
    for text in texts:
        positions.append(index_of(lines, text, positions[-1] + 1 if positions else 0))
    return positions


# ---------------------------------------------------------------------------- text


def test_backends_and_default() -> None:
    assert BACKENDS == ("pdfium", "pdfplumber")
    assert DEFAULT_BACKEND in BACKENDS


def test_text_pages_cer_at_most_one_percent(read_report: PdfText, report: pdfgen.Generated) -> None:
    assert len(read_report.pages) == 3
    for page in read_report.pages:
        assert not page.ocr
        rate = pdfgen.cer(page_text(page.lines), report.page_text(page.number))
        assert rate <= 0.01, (read_report.backend, page.number, rate)


def test_lines_have_boxes_inside_the_page(read_report: PdfText) -> None:
    for page in read_report.pages:
        assert page.width == pytest.approx(595.28, abs=0.5)
        for line in page.lines:
            assert 0 <= line.x0 < line.x1 <= page.width + 1
            assert 0 <= line.top < line.bottom <= page.height + 1
            assert line.size > 0
            assert line.kind in {"body", "heading", "table", "box"}


def test_running_header_and_footer_are_furniture(read_report: PdfText) -> None:
    for page in read_report.pages:
        texts = [line.text for line in page.lines]
        assert not any(pdfgen.HEADER in t for t in texts)
        assert not any(FOOTER_RE.match(t) for t in texts)
        assert pdfgen.HEADER in page.furniture
        assert f"Sid {page.number} (3)" in page.furniture


def test_columns_read_in_order(read_report: PdfText, report: pdfgen.Generated) -> None:
    columns = report.extra["columns"]
    assert isinstance(columns, dict)
    for number, key in ((1, "p1"), (2, "p2")):
        lines = read_report.pages[number - 1].lines
        left, right = columns[f"{key}_left"], columns[f"{key}_right"]
        positions = subsequence(lines, [*left, *right])  # the whole left column, then the right
        assert positions == list(range(positions[0], positions[0] + len(positions)))
        # One block per column: the left column is not interleaved with the right one.
        left_blocks = {lines[i].block for i in positions[: len(left)]}
        right_blocks = {lines[i].block for i in positions[len(left) :]}
        assert len(left_blocks) == 1 and len(right_blocks) == 1
        assert left_blocks != right_blocks


def test_title_spanning_columns_stays_on_top(read_report: PdfText) -> None:
    first = read_report.pages[0].lines[0]
    assert first.text == "Regional utveckling i Norra Mellansverige"
    assert first.kind == "heading"
    assert first.bold


def test_hyphenated_word_across_page_break_is_adjacent(read_report: PdfText) -> None:
    last = read_report.pages[0].lines[-1]
    first = read_report.pages[1].lines[0]
    assert last.text.endswith("utveck-")  # kept: the ingest stage joins line-end hyphens
    assert first.text.startswith("lingsprojekten")


def test_box_is_its_own_block(read_report: PdfText, report: pdfgen.Generated) -> None:
    lines = read_report.pages[1].lines
    title = lines[index_of(lines, str(report.extra["box_title"]))]
    assert title.kind == "heading"
    body = report.extra["box_body"]
    assert isinstance(body, list)
    start = index_of(lines, title.text)
    positions = subsequence(lines, [title.text, *body])
    assert positions == list(range(start, start + len(body) + 1))
    box_lines = [lines[i] for i in positions[1:]]
    assert {line.kind for line in box_lines} == {"box"}
    assert {line.block for line in box_lines} == {title.block}
    others = {line.block for i, line in enumerate(lines) if i not in positions}
    assert title.block not in others
    # The box follows the right column's text instead of being woven into it.
    assert positions[-1] == len(lines) - 1


def test_table_rows_are_marked(read_report: PdfText, report: pdfgen.Generated) -> None:
    lines = read_report.pages[2].lines
    table = report.extra["table"]
    assert isinstance(table, list)
    rows = [line for line in lines if line.kind == "table"]
    assert [r.text for r in rows] == [" | ".join(row) for row in table]
    assert len({r.block for r in rows}) == 1
    # Figures in the table stay on their page, between the paragraphs around the table.
    assert lines[0].kind == "body" and lines[-1].kind == "body"


def test_typography_soft_hyphens_ligatures_fi_space(gen_dir: Path) -> None:
    gen = pdfgen.typography_pdf(gen_dir)
    for backend in BACKENDS:
        lines = [line.text for line in read_pdf(gen.path, backend=backend).pages[0].lines]
        assert lines == gen.pages[0], backend


@pytest.mark.parametrize("backend", BACKENDS)
def test_sideways_page_is_read_in_its_text_direction(gen_dir: Path, backend: str) -> None:
    gen = pdfgen.sideways_pdf(gen_dir)
    page = read_pdf(gen.path, backend=backend).pages[0]
    assert page.width > page.height  # the frame in which the text reads left to right
    assert [line.text for line in page.lines] == gen.pages[0]
    assert page.lines[0].kind == "heading"
    assert all(0 <= line.x0 < line.x1 <= page.width + 1 for line in page.lines)


def test_clean_word_rules() -> None:
    assert clean_word("genomsnit\u00ad") == ("genomsnit-", 0)
    assert clean_word("EU\u00adval") == ("EU-val", 0)  # a drawn soft hyphen is visible
    assert clean_word("\ufb01lm") == ("film", 0)
    assert clean_word("e\ufb00ekt") == ("effekt", 0)
    assert clean_word("(cid:3)ab(cid:21)") == ("ab", 2)
    assert clean_word("Ha\u0308rno\u0308sand") == ("Härnösand", 0)  # NFC
    assert decode_glyph_ids("*|UDQ\x033HUVVRQ") == "Göran Persson"
    assert clean_word("\uf732\uf730\uf730\uf734") == ("2004", 0)  # Adobe old-style figures
    assert clean_word("\uf0b7") == ("", 0)  # a Symbol-font bullet carries no text


def test_max_pages_reads_only_the_first_pages(report: pdfgen.Generated) -> None:
    for backend in BACKENDS:
        result = read_pdf(report.path, backend=backend, max_pages=2)
        assert [p.number for p in result.pages] == [1, 2]
        assert any("only the first 2 were read" in w for w in result.warnings)


def test_unknown_backend_is_a_value_error(report: pdfgen.Generated) -> None:
    with pytest.raises(ValueError, match="unknown PDF backend"):
        read_pdf(report.path, backend="nope")


# ---------------------------------------------------------------------------- OCR


@pytest.fixture(scope="module")
def scanned(gen_dir: Path) -> pdfgen.Generated:
    return pdfgen.scanned_pdf(gen_dir)


@pytest.mark.slow
@pytest.mark.skipif(tesseract_problem() is not None, reason=f"no OCR: {tesseract_problem()}")
@pytest.mark.parametrize("backend", BACKENDS)
def test_scanned_page_is_ocrd(scanned: pdfgen.Generated, backend: str) -> None:
    result = read_pdf(scanned.path, backend=backend)
    page = result.pages[0]
    assert page.ocr
    assert any("OCR'd with Tesseract (swe)" in w for w in result.warnings)
    assert pdfgen.cer(page_text(page.lines), scanned.page_text(1)) <= 0.05


@pytest.mark.slow
@pytest.mark.skipif(tesseract_problem() is not None, reason=f"no OCR: {tesseract_problem()}")
@pytest.mark.skipif(osd_problem() is not None, reason="no orientation detection (osd)")
@pytest.mark.parametrize("turn", [90, 180, 270])
def test_rotated_scan_is_turned_upright_before_ocr(gen_dir: Path, turn: int) -> None:
    scan = pdfgen.scanned_pdf(gen_dir, name=f"scanned_{turn}.pdf", rotate=turn)
    result = read_pdf(scan.path)
    page = result.pages[0]
    assert page.ocr
    assert pdfgen.cer(page_text(page.lines), scan.page_text(1)) <= 0.05
    assert any(f"turned {360 - turn}° clockwise" in w for w in result.warnings)
    assert page.width < page.height  # reported in the upright (portrait) page's frame


@pytest.mark.slow
@pytest.mark.skipif(tesseract_problem() is not None, reason=f"no OCR: {tesseract_problem()}")
def test_missing_orientation_model_is_a_warning(
    scanned: pdfgen.Generated, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.pdf as pdf_module
    from pipeline.pdf import ocr as ocr_module

    missing = "Tesseract's orientation model (osd) is not installed"
    monkeypatch.setattr(pdf_module, "osd_problem", lambda: missing)
    monkeypatch.setattr(ocr_module, "osd_problem", lambda: missing)
    result = read_pdf(scanned.path)
    assert missing in result.warnings
    assert pdfgen.cer(page_text(result.pages[0].lines), scanned.page_text(1)) <= 0.05


def test_scanned_page_without_ocr_is_left_empty_with_warning(scanned: pdfgen.Generated) -> None:
    result = read_pdf(scanned.path, ocr=False)
    assert result.pages[0].lines == [] and not result.pages[0].ocr
    assert any("no text layer" in w and "left empty" in w for w in result.warnings)


def test_missing_tesseract_is_a_warning(
    scanned: pdfgen.Generated, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.pdf as pdf_module

    monkeypatch.setattr(pdf_module, "tesseract_problem", lambda: "Tesseract is not installed")
    result = read_pdf(scanned.path)
    assert result.pages[0].lines == []
    assert result.warnings == [
        "Tesseract is not installed: page 1 has no text layer and was left empty"
    ]


# ---------------------------------------------------------------------------- bad files


BAD_FILES = {
    "junk": (pdfgen.junk_pdf, "not a PDF"),
    "corrupt": (pdfgen.corrupt_pdf, "corrupted"),
    "truncated": (pdfgen.truncated_pdf, "truncated"),
    "encrypted": (pdfgen.encrypted_pdf, "encrypted"),
    "zero_pages": (pdfgen.zero_page_pdf, "no pages"),
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_pdfs_raise_ingest_error(gen_dir: Path, backend: str, kind: str) -> None:
    make, phrase = BAD_FILES[kind]
    path = make(gen_dir)
    with pytest.raises(IngestError) as info:
        read_pdf(path, backend=backend)
    message = str(info.value)
    assert str(path) in message and phrase in message
    assert "\n" not in message and "Traceback" not in message
    assert info.value.path == str(path)


@pytest.mark.parametrize("seed", range(12))
def test_damaged_pdfs_never_leak_library_errors(
    gen_dir: Path, report: pdfgen.Generated, seed: int
) -> None:
    """Random byte damage: either text (with warnings) or one IngestError, never a traceback."""
    rnd = random.Random(seed)
    data = bytearray(report.path.read_bytes())
    for _ in range(rnd.randint(1, 40)):
        data[rnd.randrange(len(data))] = rnd.randrange(256)
    if seed % 3 == 0:
        start = rnd.randrange(len(data))
        del data[start : start + rnd.randint(1, 3000)]
    path = gen_dir / f"damaged_{seed}.pdf"
    path.write_bytes(bytes(data))
    for backend in BACKENDS:
        try:
            result = read_pdf(path, backend=backend)
        except IngestError as exc:
            assert str(path) in str(exc)
        else:
            assert isinstance(result, PdfText)


def test_missing_file_is_an_ingest_error(gen_dir: Path) -> None:
    with pytest.raises(IngestError, match="cannot read file"):
        read_pdf(gen_dir / "does_not_exist.pdf")


def test_text_pdf_helper_renders_lines(gen_dir: Path) -> None:
    gen = pdfgen.text_pdf(
        gen_dir / "exempel.pdf",
        [["Exempel 1: Ett projekt i Umeå", "Projektet fick 12 000 kr i stöd."], ["Slut."]],
    )
    result = read_pdf(gen.path)
    assert [[line.text for line in p.lines] for p in result.pages] == gen.pages
    assert result.pages[0].lines[0].kind == "heading"


def test_generated_files_stay_out_of_the_repo() -> None:
    # Generators write to tmp dirs only; real-world PDFs are read from ../shared, never copied.
    root = Path(__file__).resolve().parents[1]
    assert not list((root / "tests").rglob("*.pdf"))
