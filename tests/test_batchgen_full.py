"""The report-sized generator of tests/batchgen.py: length, structure, PDFs and vocabulary."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest

from pipeline.ingest import ingest_file, ingest_text
from pipeline.segment import segment
from tests.batchgen import (
    FULL_MAX_WORDS,
    FULL_MEDIAN_WORDS,
    FULL_MIN_WORDS,
    full_report,
    full_report_blocks,
    full_report_length,
    hard_wrapped,
    swedish_report,
    write_full_pdf_corpus,
    write_full_text_corpus,
)

SEEDS = range(200)
HEADING = re.compile(r"Exempel (\d+): (.+)")
WORD = re.compile(r"[^\W\d_]+")
# A sentence ends before a space and a capital letter or an opening quote.
SENTENCE_BREAK = re.compile(r"(?<=[.!?”])\s+(?=[A-ZÅÄÖ”])")


@pytest.fixture(scope="module")
def reports() -> dict[int, str]:
    return {seed: full_report(seed) for seed in SEEDS}


def _words(text: str) -> int:
    return len(text.split())


def _normalised(text: str) -> str:
    return " ".join(text.split())


def test_the_same_seed_gives_the_same_report(reports: dict[int, str]) -> None:
    for seed in (0, 17, 199):
        assert full_report(seed) == reports[seed]
    assert len(set(reports.values())) == len(reports)


def test_lengths_follow_the_calibrated_log_normal(reports: dict[int, str]) -> None:
    counts = [_words(text) for text in reports.values()]
    assert abs(statistics.median(counts) - FULL_MEDIAN_WORDS) <= 0.2 * FULL_MEDIAN_WORDS
    assert all(FULL_MIN_WORDS <= count <= FULL_MAX_WORDS for count in counts)
    # A log-normal with sigma 1 has long tails on both sides, unlike a fixed size.
    assert sum(count < 1500 for count in counts) >= 0.1 * len(counts)
    assert sum(count > 6000 for count in counts) >= 0.1 * len(counts)
    # Each report ends close to the length drawn for it.
    for seed, count in zip(SEEDS, counts, strict=True):
        assert abs(count - full_report_length(seed)) <= 0.1 * full_report_length(seed)


def test_exempel_headings_are_numbered_in_order_and_found_by_the_segmenter(
    reports: dict[int, str],
) -> None:
    case_counts = set()
    for seed, text in reports.items():
        paragraphs = text.split("\n\n")
        positions = [i for i, paragraph in enumerate(paragraphs) if paragraph.startswith("Exempel")]
        # Every paragraph that starts with "Exempel" is a heading: none is running text.
        headings = [HEADING.fullmatch(paragraphs[i]) for i in positions]
        assert all(headings), seed
        numbers = [int(match.group(1)) for match in headings if match]
        titles = [match.group(2) for match in headings if match]
        assert numbers == list(range(1, len(numbers) + 1)), seed
        assert 2 <= len(numbers) <= 8
        case_counts.add(len(numbers))

        sections, warnings = segment(ingest_text(hard_wrapped(text)))
        assert [section.number for section in sections] == numbers, seed
        assert [section.title for section in sections] == titles, seed
        assert not warnings

        # The chapters around the cases come in a report's order.
        chapter = paragraphs.index
        assert chapter("Sammanfattning") < chapter("Bakgrund") < positions[0]
        assert positions[-1] < chapter("Slutsatser") < chapter("Referenser")
    assert len(case_counts) >= 5  # the number of cases varies with the report


def test_paragraphs_are_of_varied_length() -> None:
    sizes = [
        len(SENTENCE_BREAK.split(text))
        for seed in range(20)
        for kind, text in full_report_blocks(seed).blocks
        if kind == "body"
    ]
    assert min(sizes) <= 2 and max(sizes) >= 8
    assert len(set(sizes)) >= 6


def test_vocabulary_is_several_times_richer_than_swedish_report(
    reports: dict[int, str],
) -> None:
    old = {word for seed in SEEDS for word in WORD.findall(swedish_report(seed).lower())}
    new = {word for text in reports.values() for word in WORD.findall(text.lower())}
    assert len(new) >= 4 * len(old)


def test_text_corpus_is_hard_wrapped_full_reports(tmp_path: Path) -> None:
    paths = write_full_text_corpus(tmp_path / "txt", 3, seed=40)
    assert [path.name for path in paths] == [
        "rapport_0000.txt",
        "rapport_0001.txt",
        "rapport_0002.txt",
    ]
    for number, path in enumerate(paths):
        text = path.read_text(encoding="utf-8")
        assert text == hard_wrapped(full_report(40 + number))
        assert max(len(line) for line in text.splitlines()) <= 90


def _short_run(count: int) -> int:
    """The first seed of `count` consecutive short reports: small PDFs keep the test fast."""
    seed = 10_000
    while any(full_report_length(seed + n) > 1800 for n in range(count)):
        seed += 1
    return seed


def test_pdf_has_running_header_and_page_footer_and_reads_back_clean(tmp_path: Path) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    first = _short_run(3)
    paths = write_full_pdf_corpus(tmp_path / "pdf", 3, seed=first)
    for number, path in enumerate(paths):
        report = full_report_blocks(first + number)
        document = pdfium.PdfDocument(str(path))
        pages = len(document)
        assert pages >= 2
        for index in range(pages):
            lines = document[index].get_textpage().get_text_range().splitlines()
            lines = [line.strip() for line in lines if line.strip()]
            assert lines[0] == report.header
            assert lines[-1] == report.page_label.format(page=index + 1, pages=pages)
        document.close()

        ingested = ingest_file(path)
        assert ingested.page_count == pages
        # The running header and page numbers are gone; the report's text is all there.
        assert report.header not in ingested.text
        assert _normalised(ingested.text) == _normalised(report.text)
        sections, _ = segment(ingested)
        assert [section.number for section in sections] == list(range(1, report.cases + 1))
