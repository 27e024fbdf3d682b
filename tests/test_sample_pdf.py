"""The sample document rendered as a multi-page PDF gives the same records, with pages."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tests.conftest import SAMPLE

reportlab = pytest.importorskip("reportlab")

LINES_PER_PAGE = 30


def render_pdf(lines: list[str], path: Path) -> list[int]:
    """Draw lines onto A4 pages, 30 per page, with a running header and a page footer.

    Returns the page number of each input line.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=A4)
    width, height = A4
    total = (len(lines) + LINES_PER_PAGE - 1) // LINES_PER_PAGE
    pages: list[int] = []
    for page_index in range(total):
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, height - 40, "Rapport 2018:3 – Exempel från storstadsregionerna")
        canvas.drawString(width / 2 - 20, 30, f"Sid {page_index + 1} ({total})")
        canvas.setFont("Helvetica", 9.5)
        y = height - 80
        for line in lines[page_index * LINES_PER_PAGE : (page_index + 1) * LINES_PER_PAGE]:
            canvas.drawString(60, y, line)
            pages.append(page_index + 1)
            y -= 16
        canvas.showPage()
    canvas.save()
    return pages


@pytest.fixture(scope="module")
def pdf_and_lines(tmp_path_factory):
    text = SAMPLE.read_text(encoding="utf-8")
    lines = [line.rstrip() for line in text.splitlines()]
    # A hyphenated line end inside a case: "Plasten är ett av våra största miljö-/problem."
    index = next(i for i, line in enumerate(lines) if "Plasten är ett av våra största" in line)
    head, _, tail = lines[index].partition("miljöproblem.")
    lines[index : index + 1] = [head + "miljö-", "problem." + tail]
    path = tmp_path_factory.mktemp("pdf") / "exempel_storstadsregioner.pdf"
    pages = render_pdf(lines, path)
    return path, lines, pages


def test_pdf_gives_the_same_records_as_the_text(pdf_and_lines, sample_records):
    from pipeline import extract_file

    path, lines, pages = pdf_and_lines
    # The layout must put a page break inside a case for this test to mean anything.
    starts = [i for i, line in enumerate(lines) if line.lstrip().startswith("Exempel 1:")]
    starts += [
        i
        for i, line in enumerate(lines)
        if line.lstrip()[:9] in {"Exempel 2", "Exempel 3", "Exempel 4", "Exempel 5"}
    ]
    starts = [*sorted(starts), len(lines)]
    assert any(pages[a] != pages[b - 1] for a, b in itertools.pairwise(starts))
    records = extract_file(path)
    assert len(records) == len(sample_records) == 5
    for got, want in zip(records, sample_records, strict=True):
        assert got.title == want.title
        for field in ("cities", "regions", "funds", "organisations", "projects"):
            assert [v.name for v in getattr(got, field)] == [v.name for v in getattr(want, field)]
        assert [(f.value, f.unit) for f in got.figures] == [(f.value, f.unit) for f in want.figures]
        assert [d.value for d in got.dates] == [d.value for d in want.dates]
        assert not any("Rapport 2018:3" in w or "Sid " in w for w in got.warnings)


def _clean_line_pages(document, lines: list[str], pages: list[int]) -> list[tuple[int, int]]:
    """(start offset, rendered page) of each clean-text line, aligned in order to the source."""
    result: list[tuple[int, int]] = []
    source = 0
    offset = 0
    for clean in document.text.split("\n"):
        key = " ".join(clean.split())[:12]
        if key:
            while source < len(lines) and key not in " ".join(lines[source].split()):
                source += 1
            assert source < len(lines), f"clean line not found in the source: {clean!r}"
            result.append((offset, pages[source]))
        offset += len(clean) + 1
    return result


def test_pdf_mentions_carry_their_page(pdf_and_lines):
    from pipeline import extract_file
    from pipeline.ingest import ingest_file

    path, lines, pages = pdf_and_lines
    document = ingest_file(path)
    assert "miljöproblem." in document.text
    assert "Rapport 2018:3" not in document.text and "Sid 1 (" not in document.text
    line_pages = _clean_line_pages(document, lines, pages)
    records = extract_file(path)
    checked = 0
    for record in records:
        for mention in record.iter_mentions():
            expected = [page for start, page in line_pages if start <= mention.start][-1]
            assert mention.page == expected, mention
            assert mention.bbox is not None
            checked += 1
    assert {page for _, page in line_pages} == {1, 2, 3}
    assert checked > 50
