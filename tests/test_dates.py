"""Dates: the data-driven case table, the sample document, and property tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dates import DateHit, find_dates
from tests.casetables import load_cases

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_NAME = "exempel_storstadsregioner.txt"
KINDS = ("date", "period", "season", "quarter")


TABLE = load_cases("dates_cases.tsv")


def test_table_is_big_and_covers_negatives() -> None:
    assert len(TABLE) >= 100
    assert sum(1 for _, expected in TABLE if expected == "-") >= 35


@pytest.mark.parametrize(("phrase", "spec"), TABLE, ids=[phrase for phrase, _ in TABLE])
def test_date_case(phrase: str, spec: str) -> None:
    hits = find_dates(phrase)
    described = [(h.text, h.value, h.kind) for h in hits]
    expected = [] if spec == "-" else [part.split() for part in spec.split(" ; ")]
    assert len(hits) == len(expected), described
    for hit, (value, kind, *flags) in zip(hits, expected, strict=True):
        assert phrase[hit.start : hit.end] == hit.text
        assert (hit.value, hit.kind) == (value, kind), described
        for flag in flags:
            key, _, want = flag.partition("=")
            assert key == "text"
            assert hit.text == want.replace("_", " "), described


def test_dates_in_running_text_keep_offsets() -> None:
    text = "Projektet startade den 1 februari 2016 och pågick till hösten 2017 (2014–2020)."
    hits = find_dates(text)
    assert [(h.text, h.value, h.kind) for h in hits] == [
        ("1 februari 2016", "2016-02-01", "date"),
        ("hösten 2017", "2017", "season"),
        ("2014–2020", "2014/2020", "period"),
    ]
    assert all(text[h.start : h.end] == h.text for h in hits)


def test_sample_document_gives_exactly_its_two_dates() -> None:
    shared = ROOT.parent / "shared" / "corpora" / SAMPLE_NAME
    path = next((p for p in (ROOT / "corpora" / SAMPLE_NAME, shared) if p.exists()), None)
    if path is None:
        pytest.skip("sample document not found")
    text = path.read_text(encoding="utf-8")
    hits = find_dates(text)
    assert [(h.text, h.value, h.kind) for h in hits] == [
        ("mars 2017", "2017-03", "date"),
        ("hösten 2017", "2017", "season"),
    ]
    assert all(text[h.start : h.end] == h.text for h in hits)


_ISO = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def check_hits(text: str, hits: list[DateHit]) -> None:
    starts = [h.start for h in hits]
    assert starts == sorted(starts)
    for hit in hits:
        assert text[hit.start : hit.end] == hit.text
        assert hit.kind in KINDS
        parts = hit.value.split("/")
        assert 1 <= len(parts) <= 2
        assert all(_ISO.fullmatch(part) for part in parts), hit
        assert all(1900 <= int(part[:4]) <= 2099 for part in parts), hit
        if len(parts) == 2:
            assert parts[0] < parts[1], hit


@given(
    st.integers(min_value=1900, max_value=2099),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=28),
)
def test_written_dates_round_trip(year: int, month: int, day: int) -> None:
    names = "januari februari mars april maj juni juli augusti september oktober november december"
    names = names.split()
    iso = f"{year}-{month:02d}-{day:02d}"
    for text in (f"den {day} {names[month - 1]} {year}", iso, f"{day}/{month} {year}"):
        hits = find_dates(f"Beslutet fattades {text}.")
        assert [(h.value, h.kind) for h in hits] == [(iso, "date")], text


@given(st.integers(min_value=1900, max_value=2098), st.integers(min_value=1, max_value=20))
def test_year_periods_round_trip(start: int, length: int) -> None:
    end = min(start + length, 2099)
    for dash in ("-", "–", " – "):
        hits = find_dates(f"Under perioden {start}{dash}{end} gjordes det.")
        assert [(h.value, h.kind) for h in hits] == [(f"{start}/{end}", "period")]


@settings(max_examples=300)
@given(st.text(max_size=300))
def test_random_text_never_raises(text: str) -> None:
    check_hits(text, find_dates(text))


PIECES = [
    *"0123456789 ,.-–:/()\n\u00a0",
    "2017",
    "2020",
    "1970",
    "mars",
    "juni",
    "den",
    "till",
    "och",
    "mellan",
    "hösten",
    "vintern",
    "första",
    "kvartalet",
    "halvåret",
    "Q1",
    "kvartal",
    "-talet",
    "Europa",
    "Dnr",
    "SFS",
    "år",
    "kronor",
    ":a",
    "sept",
    "från",
]


@settings(max_examples=500)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_date_heavy_text_never_raises(text: str) -> None:
    check_hits(text, find_dates(text))
