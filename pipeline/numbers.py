"""Shared Swedish number grammar: data loading, a linear tokeniser and number reading.

Both `pipeline.figures` and `pipeline.dates` work on the same token list: one regex pass
splits the text into digit runs, words and single other characters (whitespace is not a
token; each token keeps the whitespace before it in `gap`). Numbers are then read over the
tokens with bounded look-ahead, so the whole grammar is linear in the length of the text.

What counts as a number here:

- digits with a thousands separator that is one space, no-break space (U+00A0), narrow
  no-break space (U+202F), thin space (U+2009) or a dot, used consistently
  ("4 000", "1.200", "1 200 000"); a decimal comma ("5,3"); an English decimal dot when it
  cannot be a thousands dot ("2.5"); a sign glued to the digits ("-3", "−3", "+5");
- number words, compounds included ("fem", "elva", "tjugofem", "etthundrafemtio",
  "tvåtusen"), "en"/"ett" (flagged `article`: they are numbers only before a scale word or a
  measure), "ett par" (2), "-tal" words ("ett tiotal" 10, "ett hundratal", "ett 20-tal"; all
  approximate), "en halv" and "två och en halv";
- scale words after a number: tusen, hundra, miljon(er), miljard(er), mn, milj., mdr, md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from .errors import PatternError

DATA_DIR = Path(__file__).resolve().parents[1] / "models" / "figures"

# Characters that may separate thousands groups (one of them, exactly once per gap).
GROUP_SEPARATORS = frozenset({" ", "\u00a0", "\u202f", "\u2009"})
SIGNS = {"-": -1, "\u2212": -1, "+": 1}
MAX_DIGITS = 18  # longer digit runs (integer or decimal part) are identifiers, not amounts
# Brackets and quotes may stand glued before a number without making it part of a code.
OPENERS = frozenset("([{\"'«»“”‘’")


# --------------------------------------------------------------------------- data files


class Row(tuple[str, ...]):
    """The cells of one data line; `line` is its 1-based line number, for error messages."""

    line: int

    def __new__(cls, cells: Sequence[str], line: int) -> Row:
        row = super().__new__(cls, cells)
        row.line = line
        return row


def row_error(path: Path, row: Row, problem: str) -> PatternError:
    """A PatternError that names the data file and the line of the offending row."""
    return PatternError(f"line {row.line}: {problem} in {'<TAB>'.join(row)!r}", path=str(path))


def load_tsv(path: Path, columns: Sequence[str]) -> list[Row]:
    """Rows of a tab-separated data file whose header row names exactly `columns`.

    Blank lines and lines starting with '#' are skipped. Any malformation raises
    PatternError naming the file and the (1-based) line, so a bad edit is easy to find.
    """
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeError) as exc:
        raise PatternError(f"cannot read data file: {exc}", path=str(path)) from None
    rows: list[Row] = []
    header_seen = False
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = tuple(cell.strip() for cell in line.split("\t"))
        if not header_seen:
            if cells != tuple(columns):
                raise PatternError(
                    f"line {number}: header must be {'<TAB>'.join(columns)!r}, got {line!r}",
                    path=str(path),
                )
            header_seen = True
            continue
        if len(cells) != len(columns):
            raise PatternError(
                f"line {number}: expected {len(columns)} tab-separated fields, got {len(cells)}",
                path=str(path),
            )
        if not cells[0]:
            raise PatternError(f"line {number}: empty first field", path=str(path))
        rows.append(Row(cells, number))
    if not header_seen:
        raise PatternError("no header row", path=str(path))
    return rows


def number_field(path: Path, row: Row, value: str) -> Decimal:
    """A numeric cell, or PatternError naming the file and the offending line."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise row_error(path, row, f"not a number {value!r}") from None
    if not number.is_finite():
        raise row_error(path, row, f"not a finite number {value!r}")
    return number


@lru_cache(maxsize=64)
def table(name: str, columns: tuple[str, ...]) -> tuple[Row, ...]:
    """A data file under models/figures/, read once per process."""
    return tuple(load_tsv(DATA_DIR / name, columns))


@dataclass(frozen=True)
class NumberWord:
    value: Decimal
    type: str  # digit | teen | ten | hundred | thousand | scale | scale_abbr | fraction | ...


_WORD_TYPES = frozenset(
    {
        "digit",
        "teen",
        "ten",
        "hundred",
        "thousand",
        "scale",
        "scale_abbr",
        "fraction",
        "half_of",
        "half",
        "pair",
    }
)


@lru_cache(maxsize=1)
def number_words() -> dict[str, NumberWord]:
    path = DATA_DIR / "number_words.tsv"
    words: dict[str, NumberWord] = {}
    for row in table("number_words.tsv", ("word", "value", "type")):
        word, value, kind = row
        if kind not in _WORD_TYPES:
            raise row_error(path, row, f"unknown type {kind!r}")
        words[word.lower()] = NumberWord(number_field(path, row, value), kind)
    return words


# ------------------------------------------------------------------------------ tokens


class Token(NamedTuple):
    """One token of the number grammar (a tuple: built at C speed, never mutated)."""

    kind: str  # "num" (ASCII digits) | "word" | "other" (one character)
    start: int
    end: int
    text: str
    low: str
    gap: str  # the whitespace between the previous token and this one ("" = glued)


# One token per match: the whitespace before it, then exactly one of digits, a word or one
# other character. No nested quantifiers over the same characters: linear time. A word may
# hold inner hyphens/colons/apostrophes ("EU-länder", "EU:s", "c:a") and end in digits ("km2",
# "PO2", "år3"), so glued footnote digits never look like a number. Whitespace is never a
# token, so trailing whitespace matches nothing.
_TOKEN_RE = re.compile(
    r"(\s*)(?:([0-9]+)|([^\W\d_]+(?:[-:'’][^\W\d_]+)*[0-9]*)|(\S))",
)


def tokenize(text: str) -> list[Token]:
    """The grammar's tokens of `text`; the same text (figures, then dates) is read once."""
    if text is _last_tokenized[0]:
        return _last_tokenized[1]
    tokens: list[Token] = []
    append = tokens.append
    position = 0
    for gap, digits, word, other in _TOKEN_RE.findall(text):
        position += len(gap)
        if digits:  # digits are their own lower case
            end = position + len(digits)
            append(new_token(Token, ("num", position, end, digits, digits, gap)))
        elif word:
            end = position + len(word)
            append(new_token(Token, ("word", position, end, word, word.lower(), gap)))
        else:
            end = position + 1
            append(new_token(Token, ("other", position, end, other, other.lower(), gap)))
        position = end
    _last_tokenized[:] = [text, tokens, None]
    return tokens


def token_lows(tokens: list[Token]) -> list[str]:
    """The lower-cased text of each token, built at C speed and kept with the cached tokens
    (figures and dates both test every token's word against a table)."""
    if tokens is _last_tokenized[1]:
        lows = _last_tokenized[2]
        if lows is None:
            lows = _last_tokenized[2] = list(map(_LOW, tokens))
        return lows
    return list(map(_LOW, tokens))


_LOW = itemgetter(4)
_KIND = itemgetter(0)
# Distinct words a per-word table remembers before it starts afresh (bounded memory).
WORD_TABLE_LIMIT = 1 << 18


def per_word(
    tokens: list[Token], table: dict[str, Any], decide: Callable[[str, str], Any]
) -> list[Any]:
    """decide(kind, low) for every token, computed once per distinct lower-cased word and
    kept in `table` (never None): a text costs a few C-level passes, not a call per token."""
    lows = token_lows(tokens)
    values = list(map(table.get, lows))
    if None in values:  # words not seen before
        if len(table) > WORD_TABLE_LIMIT:
            table.clear()
        kinds = dict(zip(lows, map(_KIND, tokens), strict=True))
        for low in set(lows).difference(table):
            table[low] = decide(kinds[low], low)
        values = list(map(table.__getitem__, lows))
    return values


new_token = tuple.__new__  # Token(...) would run NamedTuple's Python-level __new__

# The last text tokenized and its tokens: the figure and date components read the same Doc
# text one after the other. Identity, not equality, so the check costs nothing; callers
# never mutate the returned list (see Token).
_last_tokenized: list = [None, [], None]


def glued(tokens: Sequence[Token], i: int) -> bool:
    """Token i touches the token before it (no whitespace between)."""
    return 0 < i < len(tokens) and tokens[i].gap == ""


def low_at(tokens: Sequence[Token], i: int) -> str:
    return tokens[i].low if 0 <= i < len(tokens) else ""


def free_before(tokens: Sequence[Token], i: int) -> bool:
    """Token i does not continue a code glued to what precedes it.

    "vecka.41", "SE-171", "2015/00394", "5,3" (read from the 3) and "år3" all fail; a
    bracket or quote before the number is fine.
    """
    if not glued(tokens, i):
        return True
    before = tokens[i - 1]
    if before.kind in ("word", "num"):
        return False
    if before.text in OPENERS:
        return True
    # Punctuation glued on both sides ("vecka.41", "08-5791") ties the number to a code.
    return not (glued(tokens, i - 1) and tokens[i - 2].kind in ("word", "num"))


# ----------------------------------------------------------------------- number words

_COMPOUND_TYPES = ("digit", "teen", "ten", "hundred", "thousand")


@lru_cache(maxsize=1)
def _compound_parts() -> tuple[tuple[str, int, str], ...]:
    """Word pieces that build compounds, longest first so 'sextio' wins over 'sex'."""
    parts = [
        (word, int(entry.value), entry.type)
        for word, entry in number_words().items()
        if entry.type in _COMPOUND_TYPES
    ]
    return tuple(sorted(parts, key=lambda part: -len(part[0])))


def _segment(parts: Sequence[tuple[int, str]], p: int) -> tuple[int | None, int]:
    """Read a value below 1000 ([N]hundra + teen | ten [digit] | digit) from parts[p:]."""
    value = 0
    found = False
    if (
        p + 1 < len(parts)
        and parts[p][1] == "digit"
        and parts[p][0] > 0
        and parts[p + 1][1] == ("hundred")
    ):
        value, p, found = parts[p][0] * 100, p + 2, True
    elif p < len(parts) and parts[p][1] == "hundred":
        value, p, found = 100, p + 1, True
    if p < len(parts) and parts[p][1] == "teen":
        value, p, found = value + parts[p][0], p + 1, True
    elif p < len(parts) and parts[p][1] == "ten":
        value, p, found = value + parts[p][0], p + 1, True
        if p < len(parts) and parts[p][1] == "digit" and parts[p][0] > 0:
            value, p = value + parts[p][0], p + 1
    elif p < len(parts) and parts[p][1] == "digit" and (parts[p][0] > 0 or len(parts) == 1):
        value, p, found = value + parts[p][0], p + 1, True
    return (value if found else None), p


def _evaluate(parts: Sequence[tuple[int, str]]) -> int | None:
    first, p = _segment(parts, 0)
    if p < len(parts) and parts[p][1] == "thousand":
        if parts[p][0] != 1000:  # cannot happen with the shipped data; keeps the maths honest
            return None
        total = (first if first is not None else 1) * 1000
        rest, p = _segment(parts, p + 1)
        total += rest or 0
    else:
        total = first if first is not None else -1
    return total if p == len(parts) and total >= 0 else None


def _split(word: str, start: int, acc: list[tuple[int, str]]) -> int | None:
    """Split `word[start:]` into compound pieces (backtracking; words are short)."""
    if start == len(word):
        return _evaluate(acc)
    for piece, value, kind in _compound_parts():
        if word.startswith(piece, start):
            acc.append((value, kind))
            result = _split(word, start + len(piece), acc)
            acc.pop()
            if result is not None:
                return result
    return None


@lru_cache(maxsize=8192)
def word_number(word: str) -> tuple[int, bool] | None:
    """(value, approximate) of a spelled-out number ("tjugofem", "tiotal"), else None."""
    word = word.lower()
    if not word or len(word) > 60 or not word.isalpha():
        return None
    if word.endswith("tal") and len(word) > 3:
        # "tiotal", "hundratal": an approximate number ("ett tiotal företag").
        stem = _split(word[:-3], 0, [])
        return (stem, True) if stem else None
    value = _split(word, 0, [])
    return (value, False) if value is not None else None


# ---------------------------------------------------------------------- number reading


class NumberRead(NamedTuple):
    """A number read at a token (a tuple: cheaper to build than a frozen dataclass)."""

    value: Decimal
    first: int  # index of the first token of the number (sign included)
    next: int  # index of the token after the number
    words: bool  # spelled out ("fem", "ett tiotal")
    article: bool  # a bare "en"/"ett"/"en halv": a number only before scale words / measures
    approximate: bool  # "ett tiotal", "ett par", "ett 20-tal"
    year_like: bool  # four bare digits 1900-2099: a year unless a unit follows directly
    glued_word: bool  # a word touches the digits ("5kr", "1b"): a figure only if it is a unit


def _read_digits(tokens: Sequence[Token], i: int, after_dash: bool) -> NumberRead | None:
    n = len(tokens)
    k = i
    sign = 1
    if tokens[k].kind == "other" and tokens[k].text in SIGNS:
        if k + 1 >= n or tokens[k + 1].kind != "num" or not glued(tokens, k + 1):
            return None
        if glued(tokens, k) and tokens[k - 1].text not in OPENERS:
            return None  # "10-15": the dash belongs to a range, not to the 15
        sign = SIGNS[tokens[k].text]
        k += 1
    elif tokens[k].kind != "num":
        return None
    if not after_dash and not free_before(tokens, i):
        return None
    digits = tokens[k].text
    if len(digits) > 1 and digits[0] == "0":
        return None  # "08", "010", "00394": phone prefixes and codes, not amounts
    if len(digits) > MAX_DIGITS:
        return None  # a digit run this long is an identifier, not an amount
    k += 1
    grouped = False
    if len(digits) <= 3:
        separator: str | None = None
        # Bounded: more groups than an amount can have is a list or a code, and the bound
        # keeps a long run of "100 100 100 …" linear.
        while k < n and len(digits) <= MAX_DIGITS:
            tok = tokens[k]
            if (
                tok.kind == "num"
                and len(tok.text) == 3
                and tok.gap in GROUP_SEPARATORS
                and separator in (None, tok.gap)
            ):
                separator, digits, k, grouped = tok.gap, digits + tok.text, k + 1, True
                continue
            if (
                tok.text == "."
                and tok.gap == ""
                and separator in (None, ".")
                and k + 1 < n
                and tokens[k + 1].kind == "num"
                and len(tokens[k + 1].text) == 3
                and tokens[k + 1].gap == ""
                and not (k + 2 < n and tokens[k + 2].gap == "" and tokens[k + 2].kind == "num")
            ):
                separator, digits, k, grouped = ".", digits + tokens[k + 1].text, k + 2, True
                continue
            break
    fraction = ""
    if (
        k + 1 < n
        and tokens[k].gap == ""
        and tokens[k + 1].gap == ""
        and tokens[k + 1].kind == "num"
        and (tokens[k].text == "," or (tokens[k].text == "." and not grouped))
    ):
        fraction = tokens[k + 1].text
        k += 2
    # Whatever is glued after the number decides whether it is a code ("2018:3", "2.3.1").
    approximate = False
    glued_word = False
    if k < n and tokens[k].gap == "":
        tok = tokens[k]
        following = tokens[k + 1] if k + 1 < n and tokens[k + 1].gap == "" else None
        if tok.kind == "word":
            glued_word = True
        elif tok.text in ".,/" and following is not None and following.kind in ("num", "word"):
            if not (tok.text == "/" and following.kind == "word"):
                return None
        elif tok.text == ":" and following is not None:
            if following.text != "-":
                return None  # "3:e", "2018:3"; ":-" is the kronor sign
        elif tok.text in "-–" and following is not None and following.kind == "word":
            if following.low != "tal":
                return None  # "45-åring", "2020-strategin"
            approximate = True  # "ett 20-tal"
            k += 2
    if len(digits) > MAX_DIGITS or len(fraction) > MAX_DIGITS:
        return None
    number = digits + ("." + fraction if fraction else "")
    if sign == 1:
        # Decimals are immutable and the same numbers (years above all) recur in every text.
        value = _POSITIVE.get(number)
        if value is None:
            if len(_POSITIVE) > 1 << 16:
                _POSITIVE.clear()
            value = _POSITIVE[number] = Decimal(number) * sign
    else:
        value = Decimal(number) * sign
    year_like = (
        sign == 1
        and not grouped
        and not fraction
        and len(digits) == 4
        and 1900 <= int(digits) <= 2099
        and not approximate
    )
    return NumberRead(value, i, k, False, False, approximate, year_like, glued_word)


_POSITIVE: dict[str, Decimal] = {}  # digit string -> Decimal(string) * 1


def _read_words(tokens: Sequence[Token], i: int) -> NumberRead | None:
    n = len(tokens)
    low = tokens[i].low
    words = number_words()
    if low in ("en", "ett"):
        nxt = tokens[i + 1] if i + 1 < n else None
        entry = words.get(nxt.low) if nxt is not None and nxt.kind == "word" else None
        if entry is not None and entry.type == "pair" and low == "ett":
            return NumberRead(entry.value, i, i + 2, True, False, True, False, False)
        if entry is not None and entry.type == "half":
            return NumberRead(entry.value, i, i + 2, True, True, False, False, False)
        if nxt is not None and nxt.kind == "word" and nxt.low.endswith("tal"):
            tal = word_number(nxt.low)
            if tal is not None and tal[1]:
                return NumberRead(Decimal(tal[0]), i, i + 2, True, False, True, False, False)
        if nxt is not None and nxt.kind == "num":
            digits = _read_digits(tokens, i + 1, after_dash=False)
            if digits is not None and digits.approximate:  # "ett 20-tal"
                return NumberRead(digits.value, i, digits.next, False, False, True, False, False)
        return NumberRead(Decimal(1), i, i + 1, True, True, False, False, False)
    parsed = word_number(low)
    if parsed is None:
        return None
    value = Decimal(parsed[0])
    k = i + 1
    # "två och en halv miljon"
    if [low_at(tokens, k), low_at(tokens, k + 1), low_at(tokens, k + 2)] == ["och", "en", "halv"]:
        value += Decimal("0.5")
        k += 3
    return NumberRead(value, i, k, True, False, parsed[1], False, False)


def read_number(tokens: Sequence[Token], i: int, after_dash: bool = False) -> NumberRead | None:
    """The number starting at token i (digits, sign or number words), or None.

    `after_dash` is set when the number is the second half of a range ("10-15"), where the
    glued dash before it is expected.
    """
    if not 0 <= i < len(tokens):
        return None
    tok = tokens[i]
    if tok.kind == "num" or (tok.kind == "other" and tok.text in SIGNS):
        return _read_digits(tokens, i, after_dash)
    if tok.kind == "word":
        return _read_words(tokens, i)
    return None


_SCALE_TYPES = ("scale", "scale_abbr", "hundred", "thousand")


def read_scale(tokens: Sequence[Token], j: int) -> tuple[Decimal | None, int]:
    """A scale word at token j ("miljoner", "milj.", "tusen") -> (multiplier, next index)."""
    if not 0 < j < len(tokens) or tokens[j].kind != "word" or tokens[j].gap == "":
        return None, j
    entry = number_words().get(tokens[j].low)
    if entry is None or entry.type not in _SCALE_TYPES:
        return None, j
    if entry.type == "thousand" and tokens[j].low != "tusen":
        return None, j  # "ettusen" is a number, not a scale
    k = j + 1
    if (
        entry.type == "scale_abbr"
        and k < len(tokens)
        and tokens[k].text == "."
        and (tokens[k].gap == "")
    ):
        k += 1  # "milj.", "mdr."
    return entry.value, k


def parse_number(s: str) -> float | None:
    """The value of a whole string that is one number, else None; never raises.

    "4 000", "4\\u00a0000", "1.200" -> 4000.0 / 1200.0; "5,3" -> 5.3; "-3" -> -3.0;
    "tjugofem" -> 25.0; "etthundrafemtio" -> 150.0; "en miljon" -> 1000000.0;
    "1,5 miljarder" -> 1.5e9; "ett tiotal" -> 10.0; "hej", "1b", "2018:3", "08" -> None.
    Fractions ("en tredjedel") are not numbers here: `pipeline.figures` reads them as
    percentages.
    """
    if not isinstance(s, str):
        return None
    tokens = tokenize(s.strip())
    if not tokens:
        return None
    number = read_number(tokens, 0)
    if number is None or number.glued_word:
        return None
    value = number.value
    scale, k = read_scale(tokens, number.next)
    if scale is not None:
        value *= scale
    if k != len(tokens):
        return None
    return float(value)
