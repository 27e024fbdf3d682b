"""Figures: the data-driven case table, the sample document, and property tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.figures import FigureHit, find_figures
from tests.casetables import load_cases

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_NAME = "exempel_storstadsregioner.txt"


def sample_path() -> Path:
    """The sample document: the repo's copy, else the shared one beside the repo."""
    shared = ROOT.parent / "shared" / "corpora" / SAMPLE_NAME
    for candidate in (ROOT / "corpora" / SAMPLE_NAME, shared):
        if candidate.exists():
            return candidate
    pytest.skip("sample document not found")
    raise AssertionError  # unreachable: skip raises


@dataclass(frozen=True)
class Expected:
    kind: str
    value: float
    unit: str
    flags: dict[str, str]


def parse_expected(spec: str) -> list[Expected]:
    if spec == "-":
        return []
    hits = []
    for part in spec.split(" ; "):
        head, *flags = part.split()
        kind, value, unit = head.split(":", 2)
        parsed: dict[str, str] = {}
        for flag in flags:
            key, _, val = flag.partition("=")
            # Underscores stand for spaces in free-text flags only ("ctx=EU:s_BNP").
            parsed[key] = val.replace("_", " ") if key in ("ctx", "text", "per") else val
        hits.append(Expected(kind, float(value), unit, parsed))
    return hits


TABLE = load_cases("figures_cases.tsv")


def test_table_is_big_and_covers_negatives() -> None:
    assert len(TABLE) >= 200
    assert sum(1 for _, expected in TABLE if expected == "-") >= 60


@pytest.mark.parametrize(("phrase", "spec"), TABLE, ids=[phrase for phrase, _ in TABLE])
def test_figure_case(phrase: str, spec: str) -> None:
    hits = find_figures(phrase)
    expected = parse_expected(spec)
    described = [
        (h.text, h.kind, h.value, h.unit, h.per, h.approximate, h.bound, h.range_part, h.context)
        for h in hits
    ]
    assert len(hits) == len(expected), described
    for hit, want in zip(hits, expected, strict=True):
        assert phrase[hit.start : hit.end] == hit.text
        assert (hit.kind, hit.unit) == (want.kind, want.unit), described
        assert hit.value == pytest.approx(want.value, rel=1e-9, abs=1e-9), described
        assert hit.per == want.flags.get("per"), described
        assert hit.approximate == ("approx" in want.flags), described
        assert hit.bound == want.flags.get("bound"), described
        assert hit.range_part == want.flags.get("range"), described
        if "ctx" in want.flags:
            assert hit.context == want.flags["ctx"], described
        if "text" in want.flags:
            assert hit.text == want.flags["text"], described


def test_figures_in_running_text_keep_offsets() -> None:
    text = "Projektet har 46 företag och en budget på 9,8 miljoner kronor (2019)."
    hits = find_figures(text)
    assert [(h.text, h.value) for h in hits] == [
        ("46 företag", 46.0),
        ("9,8 miljoner kronor", 9800000.0),
    ]
    assert all(text[h.start : h.end] == h.text for h in hits)


def test_sample_document_gives_exactly_its_three_figures() -> None:
    text = sample_path().read_text(encoding="utf-8")
    hits = find_figures(text)
    assert [(h.kind, h.value, h.unit, h.per, h.approximate, h.bound) for h in hits] == [
        ("percent", 5.0, "percent", None, False, "at_least"),
        ("percent", 3.0, "percent", None, False, None),
        ("quantity", 4000.0, "ton", "år", True, None),
    ]
    assert [" ".join(h.text.split()) for h in hits] == [
        "minst fem procent",
        "tre procent",
        "cirka 4 000 ton per år",
    ]
    assert [h.context for h in hits] == ["regionalfonden", "EU:s BNP", "koldioxidutsläpp"]
    assert all(text[h.start : h.end] == h.text for h in hits)


# ------------------------------------------------------------------------ properties

SEPARATORS = [" ", "\u00a0", "\u2009", "\u202f", "."]
SCALES = {"": 1, "tusen": 10**3, "miljoner": 10**6, "miljarder": 10**9}
CURRENCIES = {"kronor": "SEK", "kr": "SEK", "SEK": "SEK", "euro": "EUR"}


def swedish(integer: int, decimals: str, separator: str) -> str:
    digits = str(integer)
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    grouped = separator.join(groups)
    return grouped + ("," + decimals if decimals else "")


@settings(max_examples=300)
@given(
    st.integers(min_value=0, max_value=10**12),
    st.one_of(st.just(""), st.from_regex(r"[0-9]{1,3}", fullmatch=True)),
    st.sampled_from(SEPARATORS),
    st.sampled_from(sorted(SCALES)),
    st.sampled_from(sorted(CURRENCIES)),
    st.sampled_from(["", "Budgeten är ", "Projektet fick ", "("]),
    st.sampled_from(["", ".", " under 2019.", ")", " per år"]),
)
def test_swedish_amounts_parse_back(
    integer: int,
    decimals: str,
    separator: str,
    scale: str,
    currency: str,
    before: str,
    after: str,
) -> None:
    amount = swedish(integer, decimals, separator)
    phrase = " ".join(part for part in (amount, scale, currency) if part)
    text = before + phrase + after
    hits = find_figures(text)
    assert len(hits) == 1, (text, hits)
    hit = hits[0]
    expected = float(f"{integer}.{decimals or '0'}") * SCALES[scale]
    assert hit.kind == "money"
    assert hit.unit == CURRENCIES[currency]
    rate = after == " per år"
    assert hit.text == (phrase + after if rate else phrase)
    assert hit.per == ("år" if rate else None)
    assert hit.value == pytest.approx(expected, rel=1e-6, abs=1e-6)


@settings(max_examples=300)
@given(st.text(max_size=300))
def test_random_text_never_raises(text: str) -> None:
    check_hits(text, find_figures(text))


PIECES = [
    *"0123456789 ,.-–:/%€§()\n\u00a0\u2009\u202f\u2212",
    "kr",
    "tkr",
    "MSEK",
    "procent",
    "miljoner",
    "ton",
    "per",
    "år",
    "en",
    "ett",
    "tiotal",
    "mellan",
    "och",
    "till",
    "cirka",
    "minst",
    "tre",
    "fem",
    "företag",
    "hälften",
    "tredjedel",
    "nya",
    "av",
    "Exempel",
    "mål",
    "kl",
    "SFS",
    "-tal",
    "om",
    "året",
    "hösten",
    "mars",
    "den",
]
# Number-heavy text: pieces that the grammar reacts to, in random order.
NUMBERISH = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=500)
@given(NUMBERISH)
def test_number_heavy_text_never_raises(text: str) -> None:
    check_hits(text, find_figures(text))


def check_hits(text: str, hits: list[FigureHit]) -> None:
    starts = [h.start for h in hits]
    assert starts == sorted(starts)
    for hit in hits:
        assert text[hit.start : hit.end] == hit.text
        assert hit.kind in ("percent", "money", "quantity")
        assert hit.range_part in (None, "low", "high")
        assert hit.bound in (None, "at_least", "at_most", "more_than", "less_than")
        assert isinstance(hit.value, float)
