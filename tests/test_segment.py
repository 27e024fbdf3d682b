"""Segment: Exempel headings in the forms reports use."""

from __future__ import annotations

import pytest

from pipeline.ingest import ingest_text
from pipeline.segment import segment

BODY = (
    "Projektet har genomförts med stöd från regionalfonden och har engagerat många aktörer "
    "i regionen under flera år.\n"
)


def sections_of(text: str):
    return segment(ingest_text(text))


@pytest.mark.parametrize(
    "heading",
    [
        "Exempel 1: Satsning i Umeå",
        "Exempel 1. Satsning i Umeå",
        "Exempel 1 – Satsning i Umeå",
        "Exempel 1 - Satsning i Umeå",
        "EXEMPEL 1: Satsning i Umeå",
        "  Exempel 1: Satsning i Umeå",
    ],
)
def test_heading_forms(heading):
    sections, warnings = sections_of(f"Inledning om programmet.\n\n{heading}\n\n{BODY}")
    assert [(s.number, s.title) for s in sections] == [(1, "Satsning i Umeå")]
    assert not warnings


def test_heading_alone_with_title_on_next_line():
    text = f"EXEMPEL 4\nSamverkan i Luleå\n\n{BODY}"
    sections, _ = sections_of(text)
    assert [(s.number, s.title) for s in sections] == [(4, "Samverkan i Luleå")]


def test_heading_alone_followed_by_body_has_no_title():
    long_line = BODY.strip() * 2
    more = "med mer text på nästa rad som fortsätter stycket utan paus alls."
    text = f"Exempel 2\n{long_line}\n{more}\n"
    sections, _ = sections_of(text)
    assert sections[0].number == 2
    assert sections[0].title is None


def test_title_over_several_lines_is_joined():
    text = (
        "Exempel 3: Sektorsövergripande innovationssamarbete, kompetensförsörjning och stöd till\n"
        "nyföretagande inriktat på social ekonomi i Göteborgsregionen\n\n"
        f"{BODY}{BODY}"
    )
    sections, _ = sections_of(text)
    assert sections[0].title == (
        "Sektorsövergripande innovationssamarbete, kompetensförsörjning och stöd till "
        "nyföretagande inriktat på social ekonomi i Göteborgsregionen"
    )


def test_text_before_first_heading_is_not_a_case_and_spans_are_ordered():
    text = f"Förord om rapporten.\n\nExempel 1: Ett\n\n{BODY}\nExempel 2: Två\n\n{BODY}"
    document = ingest_text(text)
    sections, _ = segment(document)
    assert [s.number for s in sections] == [1, 2]
    assert sections[0].start == text.index("Exempel 1")
    assert sections[0].end <= sections[1].start
    assert "Förord" not in document.text[sections[0].start : sections[1].end]


@pytest.mark.parametrize(
    "line",
    [
        "Exempel på insatser som efterfrågades var många.",
        "Exempel på stormar som drabbat kommunen:",
        "Ett exempel 1 är inte en rubrik",
        "exempel 2: gemener räknas inte",
    ],
)
def test_false_headings_are_not_cases(line):
    sections, warnings = sections_of(f"{line}\n\n{BODY}")
    assert [s.number for s in sections] == [None]
    assert any("no 'Exempel N' headings" in w for w in warnings)


def test_document_without_headings_is_one_record_with_warning():
    from pipeline import extract_text

    records = extract_text(f"Rapport om Umeå.\n\n{BODY}")
    assert len(records) == 1
    assert records[0].case_number is None
    assert records[0].record_id.endswith(":0")
    assert any("no 'Exempel N' headings" in w for w in records[0].warnings)


def test_repeated_numbers_warn_and_get_distinct_ids():
    from pipeline import extract_text

    records = extract_text(f"Exempel 1: A\n\n{BODY}\nExempel 1: B\n\n{BODY}")
    assert [r.case_number for r in records] == [1, 1]
    assert len({r.record_id for r in records}) == 2
    assert any("more than once" in w for w in records[0].warnings)


def test_sample_titles(sample_gold):
    from pipeline.ingest import ingest_file
    from tests.conftest import SAMPLE

    sections, _ = segment(ingest_file(SAMPLE))
    assert [(s.number, s.title) for s in sections] == [
        (g["number"], g["title"]) for g in sample_gold["sections"]
    ]
