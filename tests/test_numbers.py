"""The shared Swedish number grammar: parse_number, tokens, data files."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import dates, figures, numbers
from pipeline.errors import PatternError
from pipeline.numbers import load_tsv, parse_number, tokenize, word_number

SEPARATORS = [" ", "\u00a0", "\u202f", "\u2009", "."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4 000", 4000.0),
        ("4\u00a0000", 4000.0),
        ("4\u202f000", 4000.0),
        ("4\u2009000", 4000.0),
        ("1.200", 1200.0),
        ("1 200 000", 1200000.0),
        ("12000000", 12000000.0),
        ("5,3", 5.3),
        ("1 200,75", 1200.75),
        ("10.000,5", 10000.5),
        ("2.5", 2.5),
        ("0,5", 0.5),
        ("-3", -3.0),
        ("\u22123", -3.0),
        ("+5", 5.0),
        ("fem", 5.0),
        ("tre", 3.0),
        ("elva", 11.0),
        ("noll", 0.0),
        ("tjugofem", 25.0),
        ("tjugoett", 21.0),
        ("nittionio", 99.0),
        ("sextio", 60.0),
        ("sexton", 16.0),
        ("etthundrafemtio", 150.0),
        ("hundra", 100.0),
        ("tusen", 1000.0),
        ("ettusen", 1000.0),
        ("tvåtusen", 2000.0),
        ("tvåtusenfemhundra", 2500.0),
        ("tvåhundratusen", 200000.0),
        ("en", 1.0),
        ("ett", 1.0),
        ("en miljon", 1000000.0),
        ("tre miljoner", 3000000.0),
        ("1,5 miljarder", 1.5e9),
        ("12 milj.", 12000000.0),
        ("3 mdr", 3e9),
        ("20 tusen", 20000.0),
        ("en halv miljon", 500000.0),
        ("två och en halv miljon", 2500000.0),
        ("ett tiotal", 10.0),
        ("ett hundratal", 100.0),
        ("ett par", 2.0),
        ("ett 20-tal", 20.0),
        ("  42  ", 42.0),
    ],
)
def test_parse_number(text: str, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hej",
        "1b",
        "3:e",
        "2018:3",
        "08",
        "010",
        "femfem",
        "tretton tjugo",
        "4 000 kr",
        "1,2,3",
        "2.3.1",
        "12/5",
        "5 %",
        "hälften",
        "mellan 2 och 3",
        "ettett",
        "tiotals",
    ],
)
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


def test_parse_number_never_raises_on_non_strings() -> None:
    assert parse_number(None) is None  # type: ignore[arg-type]
    assert parse_number(5) is None  # type: ignore[arg-type]


def test_word_number_tal_words_are_approximate() -> None:
    assert word_number("tiotal") == (10, True)
    assert word_number("femtiotal") == (50, True)
    assert word_number("fåtal") is None
    assert word_number("antal") is None
    assert word_number("fem") == (5, False)


_DIGITS = ["", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio"]
_TEENS = [
    "tio",
    "elva",
    "tolv",
    "tretton",
    "fjorton",
    "femton",
    "sexton",
    "sjutton",
    "arton",
    "nitton",
]
_TENS = ["", "", "tjugo", "trettio", "fyrtio", "femtio", "sextio", "sjuttio", "åttio", "nittio"]


def _below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    word = f"{_DIGITS[hundreds]}hundra" if hundreds else ""
    if 10 <= rest < 20:
        word += _TEENS[rest - 10]
    else:
        word += _TENS[rest // 10] + _DIGITS[rest % 10]
    return word


def spell(n: int) -> str:
    """Swedish spelling as one compound word (1 <= n < 1 000 000)."""
    thousands, rest = divmod(n, 1000)
    return (f"{_below_thousand(thousands)}tusen" if thousands else "") + _below_thousand(rest)


@given(st.integers(min_value=1, max_value=999_999))
def test_spelled_numbers_round_trip(n: int) -> None:
    assert parse_number(spell(n)) == n


def _group(n: int, separator: str) -> str:
    digits = str(n)
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(groups)


@given(
    st.integers(min_value=0, max_value=10**15),
    st.sampled_from(SEPARATORS),
    st.sampled_from(["", "-", "\u2212", "+"]),
)
def test_formatted_integers_round_trip(n: int, separator: str, sign: str) -> None:
    text = sign + _group(n, separator)
    expected = -n if sign in ("-", "\u2212") else n
    assert parse_number(text) == expected


@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=99),
    st.sampled_from(SEPARATORS),
)
def test_formatted_decimals_round_trip(n: int, cents: int, separator: str) -> None:
    text = f"{_group(n, separator)},{cents:02d}"
    assert parse_number(text) == pytest.approx(n + cents / 100, rel=1e-12)


@given(st.text(max_size=60))
def test_parse_number_never_raises(text: str) -> None:
    result = parse_number(text)
    assert result is None or isinstance(result, float)


@given(st.text(max_size=200))
def test_tokens_cover_text_in_order(text: str) -> None:
    previous_end = 0
    for token in tokenize(text):
        assert text[token.start : token.end] == token.text
        assert text[previous_end : token.start] == token.gap
        assert token.gap.strip() == ""
        previous_end = token.end
    assert text[previous_end:].strip() == ""


# ------------------------------------------------------------------------ data files


def test_shipped_data_files_load() -> None:
    lex = figures.lexicon()
    assert len({base for base, kind in lex.units.values() if kind == "count"}) >= 150
    assert lex.units["arbetstillfällen"] == ("arbetstillfälle", "count")
    assert lex.units["personer"] == ("person", "count")
    assert lex.units["km"] == ("kilometer", "measure")
    assert lex.not_counted["veckor"] == "vecka"
    assert numbers.number_words()["tjugo"].type == "ten"
    assert dates._lexicon().months["mars"] == 3


def test_load_tsv_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("# comment\nword\tvalue\nfem\t5\nsex\n", encoding="utf-8")
    with pytest.raises(PatternError) as error:
        load_tsv(bad, ("word", "value"))
    assert "bad.tsv" in str(error.value)
    assert "line 4" in str(error.value)


def test_load_tsv_checks_header_and_existence(tmp_path: Path) -> None:
    bad = tmp_path / "header.tsv"
    bad.write_text("wrong\theader\n", encoding="utf-8")
    with pytest.raises(PatternError, match=r"header\.tsv.*line 1"):
        load_tsv(bad, ("word", "value"))
    with pytest.raises(PatternError, match=r"missing\.tsv"):
        load_tsv(tmp_path / "missing.tsv", ("word", "value"))


def _clear_caches() -> None:
    for cached in (
        numbers.table,
        numbers.number_words,
        numbers._compound_parts,
        numbers.word_number,
        figures.lexicon,
        dates._lexicon,
    ):
        cached.cache_clear()


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of models/figures that the grammar reads instead of the real one."""
    copy = tmp_path / "figures"
    shutil.copytree(numbers.DATA_DIR, copy)
    monkeypatch.setattr(numbers, "DATA_DIR", copy)
    monkeypatch.setattr(figures, "DATA_DIR", copy)
    monkeypatch.setattr(dates, "DATA_DIR", copy)
    _clear_caches()
    yield copy
    _clear_caches()


def test_malformed_units_file_raises_pattern_error(data_copy: Path) -> None:
    units = data_copy / "units.tsv"
    lines = units.read_text(encoding="utf-8").splitlines()
    lines.insert(10, "kommuner\tkommun")  # a missing column on line 11
    units.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PatternError) as error:
        figures.find_figures("8 kommuner")
    assert "units.tsv" in str(error.value)
    assert "line 11" in str(error.value)


def test_bad_value_in_data_file_raises_pattern_error(data_copy: Path) -> None:
    currencies = data_copy / "currencies.tsv"
    text = currencies.read_text(encoding="utf-8").replace("tkr\tSEK\t1000", "tkr\tSEK\ttusen")
    currencies.write_text(text, encoding="utf-8")
    with pytest.raises(PatternError, match=r"currencies\.tsv: line \d+: not a number .tusen"):
        figures.find_figures("500 tkr")
    months = data_copy / "months.tsv"
    months.write_text(
        months.read_text(encoding="utf-8").replace("mars\t3", "mars\t13"), encoding="utf-8"
    )
    with pytest.raises(PatternError, match=r"months\.tsv"):
        dates.find_dates("mars 2017")


def test_compound_head_must_be_a_listed_count_noun(data_copy: Path) -> None:
    heads = data_copy / "compound_heads.tsv"
    heads.write_text(heads.read_text(encoding="utf-8") + "ton\n", encoding="utf-8")
    with pytest.raises(PatternError, match=r"compound_heads\.tsv: line \d+: not a count base"):
        figures.find_figures("24 godståg")


def test_short_heads_close_compounds_only_when_listed(data_copy: Path) -> None:
    assert [h.unit for h in figures.find_figures("24 godståg")] == ["godståg"]
    heads = data_copy / "compound_heads.tsv"
    kept = [line for line in heads.read_text(encoding="utf-8").splitlines() if line != "tåg"]
    heads.write_text("\n".join(kept) + "\n", encoding="utf-8")
    _clear_caches()
    assert figures.find_figures("24 godståg") == []
    assert [h.unit for h in figures.find_figures("24 tåg")] == ["tåg"]


def test_hits_hold_exactly_their_fields_in_order() -> None:
    """Hits are built without the dataclass __init__ (speed); they must still be the same
    objects one would get from it: same fields in field order, equal and hashable alike."""
    text = "Cirka 10–12 miljoner kronor, hälften av budgeten, under 2014–2020 och hösten 2017."
    found: list[figures.FigureHit | dates.DateHit] = [
        *figures.find_figures(text),
        *dates.find_dates(text),
    ]
    assert {type(hit) for hit in found} == {figures.FigureHit, dates.DateHit}
    for hit in found:
        names = [field.name for field in dataclasses.fields(hit)]
        assert list(vars(hit)) == names
        rebuilt = type(hit)(**vars(hit))
        assert rebuilt == hit and hash(rebuilt) == hash(hit)
        with pytest.raises(dataclasses.FrozenInstanceError):
            hit.start = 0  # type: ignore[misc]
