"""Figures in Swedish text: percentages, amounts of money and counted quantities.

`find_figures(text)` reads the shared token stream of `pipeline.numbers` with a small
hand-written grammar:

    [qualifier] [mellan|från] [currency] NUMBER [scale] [(–|-|till|och) NUMBER [scale]]
        (percent word | currency | [st] [adjectives] counted noun) [per-phrase]

plus fractions ("en tredjedel" -> 33.33 percent, "hälften" -> 50 percent). Precision comes
before recall: a number is a figure only when a known unit follows (models/figures/units.tsv,
currencies.tsv); a number followed by an unknown noun, a duration or an age
(not_counted.tsv) is no figure, nor is a number right after a label word (labels.tsv:
"Exempel 3", "mål 2.3", "Sid 2", "kl. 10.00"), a code glued to letters or punctuation
("1b", "3:e", "2018:3", "vecka.41", "08-5791 7100") or a bare year (1900–2099) unless a
unit follows it directly.

Choices worth knowing:

- kind "percent" covers unit "percent", "percentage_points" (procentenheter) and
  "per_mille" (promille, ‰).
- "en"/"ett" count only before a scale word, a -tal word, "par", a fraction, a percent word,
  a currency or a measure ("en miljon kronor", "ett tiotal företag", "en procent"); never
  before a counted noun ("ett projekt", "ett ITI-projekt", "en del"): there they are articles.
- A range gives two hits with the same span (the whole phrase), range_part "low" and "high";
  a scale word after the second number applies to the first too ("10–12 miljoner kronor").
- Money `value` is in whole currency units: number × scale × the currency's own multiplier
  ("500 tkr" -> 500000, "5,3 MSEK" -> 5300000).
- Adjectives may stand between number and noun ("200 nya arbetstillfällen", "30 små och
  medelstora företag"), an adverb before them too ("två glest befolkade kommuner"; listed
  in stopwords.tsv or formed on -iskt/-igt); compounds count by their longest known head
  ("48 lantbruksföretag", "30 ITI-projekt", "inlandskommuner"; unit = the compound with
  the head in base form). Heads under four letters close a compound only when listed in
  compound_heads.tsv ("24 godståg"; not "ort" in "exporter").
- A part of a counted whole is counted in the whole's noun: "tre av kommunerna", "12 av
  de 40 företagen" (the 40 is a figure of its own), and "29 av dem"/"av dessa", which takes
  the unit of the latest counted quantity when that is in the same or the previous sentence
  and not smaller; with no such antecedent the number is no figure. "del 2 av rapporten"
  (a singular whole) and "en av dem" (an article) count nothing.
- A capitalised noun after a number is a heading, a name or a table header ("2.1 Förslag",
  "1 Karlstad"), not a counted noun; a footnote number glued to the unit is left out of the
  span ("5 procent3" -> "5 procent").
- `per` takes only known rate nouns (units.tsv, not_counted.tsv: "per år", "/mån", "om
  året", "per invånare och år", "per capita"); "per telefon" is no rate.
- `context` is a reviewer's hint, best effort: the noun after "av" ("fem procent av
  regionalfonden", "EU:s BNP"), the noun before "på"/"om"/"med" ("koldioxidutsläpp på
  cirka 4 000 ton"), or the substance after a measure ("4 000 ton koldioxid").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import compress
from operator import itemgetter
from typing import Generic, NamedTuple, TypeVar

from .numbers import (
    DATA_DIR,
    GROUP_SEPARATORS,
    SIGNS,
    NumberRead,
    NumberWord,
    Row,
    Token,
    low_at,
    number_field,
    number_words,
    per_word,
    read_number,
    read_scale,
    row_error,
    table,
    tokenize,
    word_number,
)

__all__ = ["FigureHit", "find_figures"]


@dataclass(frozen=True)
class FigureHit:
    start: int  # char offsets into the text passed in; text[start:end] == self.text
    end: int
    text: str  # the whole figure phrase incl. qualifier, number, scale, unit
    kind: str  # "percent" | "money" | "quantity"
    value: float  # money in whole currency units; percent as a percentage
    unit: str  # "percent" | "percentage_points" | "per_mille" | currency code | noun base form
    per: str | None  # "år", "invånare", "månad"… for rates
    approximate: bool
    bound: str | None  # "at_least" | "at_most" | "more_than" | "less_than"
    range_part: str | None  # "low" / "high" for the two figures of a range
    context: str | None  # what the figure is of ("regionalfonden"), None when unclear


# ------------------------------------------------------------------------------ lexicon

_UNIT_KINDS = frozenset({"count", "measure", "percent"})
_BOUNDS = frozenset({"at_least", "at_most", "more_than", "less_than"})
_STOP_ROLES = frozenset({"determiner", "verb", "function"})
_LABEL_BLOCKS = frozenset({"figures", "dates", "both"})


_V = TypeVar("_V")
_LOW = itemgetter(4)  # Token.low, read at C speed when a phrase key is built


@dataclass(frozen=True)
class PhraseTable(Generic[_V]):
    """Multi-token phrases ("mer än", "norska kronor", ":-") keyed by their lower-cased tokens."""

    phrases: dict[tuple[str, ...], _V]
    longest: int
    firsts: frozenset[str]  # first tokens: a cheap test before building keys
    lasts: frozenset[str]

    @classmethod
    def build(cls, phrases: dict[tuple[str, ...], _V]) -> PhraseTable[_V]:
        return cls(
            phrases,
            max((len(key) for key in phrases), default=1),
            frozenset(key[0] for key in phrases),
            frozenset(key[-1] for key in phrases),
        )

    def forward(self, tokens: Sequence[Token], j: int) -> tuple[_V, int] | None:
        """The longest phrase starting at token j -> (its value, index after it)."""
        if not 0 <= j < len(tokens) or tokens[j].low not in self.firsts:
            return None
        for length in range(min(self.longest, len(tokens) - j), 0, -1):
            found = self.phrases.get(tuple(map(_LOW, tokens[j : j + length])))
            if found is not None:
                return found, j + length
        return None

    def backward(self, tokens: Sequence[Token], i: int, floor: int) -> tuple[_V, int] | None:
        """The longest phrase ending right before token i (not before `floor`)."""
        if not floor < i <= len(tokens) or tokens[i - 1].low not in self.lasts:
            return None
        for length in range(min(self.longest, i - floor), 0, -1):
            found = self.phrases.get(tuple(map(_LOW, tokens[i - length : i])))
            if found is not None:
                return found, i - length
        return None


@dataclass(frozen=True)
class Lexicon:
    units: dict[str, tuple[str, str]]  # surface -> (base, kind)
    not_counted: dict[str, str]  # surface -> base
    currencies: PhraseTable[tuple[str, Decimal]]  # -> (code, multiplier)
    prefix_currencies: PhraseTable[tuple[str, Decimal]]
    qualifiers: PhraseTable[tuple[bool, str | None]]  # -> (approximate, bound)
    labels: dict[str, str]  # word -> figures | dates | both
    stopwords: dict[str, str]  # word -> role
    compound_heads: frozenset[str]  # count bases under four letters that may end a compound
    # Lower-cased token -> whether a figure may start there (filled per new word; lives as
    # long as this lexicon, so reloading the data files starts it afresh).
    starts: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)
    words: dict[str, NumberWord] = field(default_factory=number_words, compare=False, repr=False)
    # Word text -> _noun / _adjectival of a word token with that text (both depend on the
    # text alone); kept like `starts`.
    nouns: dict[str, tuple[str, str] | str | None] = field(
        default_factory=dict, compare=False, repr=False
    )
    adjectivals: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)


def _key(phrase: str) -> tuple[str, ...]:
    """A lexicon phrase as the token sequence it matches ("c:a", "ca.", "norska kronor", ":-")."""
    return tuple(token.low for token in tokenize(phrase))


def _check(ok: bool, name: str, row: Row, problem: str) -> None:
    if not ok:
        raise row_error(DATA_DIR / name, row, problem)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """All figure lexicons, read and validated once per process."""
    units: dict[str, tuple[str, str]] = {}
    for row in table("units.tsv", ("surface", "base", "kind")):
        _check(row[2] in _UNIT_KINDS, "units.tsv", row, f"unknown kind {row[2]!r}")
        units[row[0].lower()] = (row[1], row[2])
    not_counted = {
        row[0].lower(): row[1] for row in table("not_counted.tsv", ("surface", "base", "kind"))
    }
    currencies: dict[tuple[str, ...], tuple[str, Decimal]] = {}
    prefixes: dict[tuple[str, ...], tuple[str, Decimal]] = {}
    for row in table("currencies.tsv", ("surface", "code", "multiplier", "prefix")):
        key = _key(row[0])
        _check(bool(key), "currencies.tsv", row, "empty surface")
        _check(row[3] in ("yes", "no"), "currencies.tsv", row, "prefix must be yes or no")
        entry = (row[1], number_field(DATA_DIR / "currencies.tsv", row, row[2]))
        currencies[key] = entry
        if row[3] == "yes":
            prefixes[key] = entry
    qualifiers: dict[tuple[str, ...], tuple[bool, str | None]] = {}
    for row in table("qualifiers.tsv", ("phrase", "approximate", "bound")):
        _check(row[1] in ("yes", "no"), "qualifiers.tsv", row, "approximate must be yes or no")
        _check(row[2] in _BOUNDS or row[2] == "-", "qualifiers.tsv", row, "unknown bound")
        qualifiers[_key(row[0])] = (row[1] == "yes", None if row[2] == "-" else row[2])
    labels: dict[str, str] = {}
    for row in table("labels.tsv", ("word", "blocks")):
        _check(row[1] in _LABEL_BLOCKS, "labels.tsv", row, "blocks must be figures/dates/both")
        labels[row[0].lower()] = row[1]
    stopwords = {row[0].lower(): row[1] for row in table("stopwords.tsv", ("word", "role"))}
    count_bases = {base for base, kind in units.values() if kind == "count"}
    heads: set[str] = set()
    for row in table("compound_heads.tsv", ("head",)):
        _check(row[0] in count_bases, "compound_heads.tsv", row, "not a count base in units.tsv")
        heads.add(row[0])
    return Lexicon(
        units=units,
        not_counted=not_counted,
        currencies=PhraseTable.build(currencies),
        prefix_currencies=PhraseTable.build(prefixes),
        qualifiers=PhraseTable.build(qualifiers),
        labels=labels,
        stopwords=stopwords,
        compound_heads=frozenset(heads),
    )


# ------------------------------------------------------------------------------ helpers


def labelled(tokens: Sequence[Token], i: int, lex: Lexicon, blocks: str) -> bool:
    """Token i follows a label word ("Exempel 3", "kl. 10.00", "s. 12", "13 §" is elsewhere)."""
    k = i - 1
    if k >= 1 and tokens[k].text == "." and tokens[k].gap == "":
        k -= 1  # "kl.", "s.", "kap."
    if k < 0:
        return False
    return lex.labels.get(tokens[k].low) in (blocks, "both")


def _stop_role(token: Token, lex: Lexicon) -> str | None:
    return lex.stopwords.get(token.low)


def _adjectival(token: Token, lex: Lexicon) -> bool:
    """May stand between a number and its noun ("200 nya arbetstillfällen", "små och …")."""
    if token.kind != "word":
        return False
    known = lex.adjectivals.get(token.text)
    if known is None:
        known = lex.adjectivals[token.text] = _adjectival_word(token, lex)
    return known


def _adjectival_word(token: Token, lex: Lexicon) -> bool:
    if len(token.low) < 2 or not token.text[:1].islower():
        return False
    role = _stop_role(token, lex)
    if role in _STOP_ROLES:
        return False
    if token.low in lex.not_counted or word_number(token.low) is not None:
        return False
    # Plural adjectives and participles after a number end in -a/-e; a few do not.
    return role == "adjective" or token.low.endswith(("a", "e"))


def _adverb(tokens: Sequence[Token], k: int, lex: Lexicon) -> bool:
    """An adverb before an adjective between number and noun ("två glest befolkade …")."""
    token = tokens[k]
    if token.kind != "word" or not token.text[:1].islower() or k + 1 >= len(tokens):
        return False
    role = _stop_role(token, lex)
    shaped = role is None and len(token.low) >= 5 and token.low.endswith(("iskt", "igt"))
    return (role == "adverb" or shaped) and _adjectival(tokens[k + 1], lex)


def _content_word(token: Token, lex: Lexicon) -> bool:
    """A word that can name what a figure is of (not a function word, number or unit)."""
    return (
        token.kind == "word"
        and len(token.low) >= 2
        and _stop_role(token, lex) is None
        and (token.low,) not in lex.qualifiers.phrases
        and word_number(token.low) is None
        and token.low not in lex.labels
    )


_NOT_COUNTED = "not_counted"


def _capitalised(word: str) -> bool:
    """ "Förslag", "Karlstad": after a number a capitalised noun is a heading or a name
    ("2.1 Förslag", "1 Karlstad" in a ranking), never the counted noun; "MWh" is fine."""
    return word[:1].isupper() and word[1:2].islower()


def _noun(token: Token, lex: Lexicon) -> tuple[str, str] | str | None:
    """(base, kind) of a counted/measured noun, _NOT_COUNTED for a duration, else None.

    Compounds count by their last part: "ITI-projekt" -> "ITI-projekt" (base of the head
    with the modifier kept), "småföretag" -> "småföretag", "arbetstimmar" -> not counted.
    """
    if token.kind != "word":
        return None
    nouns = lex.nouns
    if token.text in nouns:
        return nouns[token.text]
    if len(nouns) > 1 << 16:
        nouns.clear()
    found = nouns[token.text] = _noun_word(token, lex)
    return found


def _noun_word(token: Token, lex: Lexicon) -> tuple[str, str] | str | None:
    low = token.low
    if low in lex.not_counted:
        return _NOT_COUNTED
    if _capitalised(token.text.rpartition("-")[2]):
        return None
    entry = lex.units.get(low)
    if entry is not None:
        return entry if entry[1] != "percent" else None
    if "-" in low:
        head, _, last = low.rpartition("-")
        if not head or not last:
            return None
        if last in lex.not_counted:
            return _NOT_COUNTED
        entry = lex.units.get(last)
        if entry is not None and entry[1] == "count":
            return token.text[: len(head) + 1] + entry[0], "count"
        return None
    # Closed compounds: the longest known head after a modifier of at least three letters,
    # the compound inflected like its head ("inlandskommuner" -> "inlandskommun"). Heads
    # under four letters only when listed (compound_heads.tsv): "godståg", but "ort" hides
    # inside "transporter" and "art" inside "användbart".
    for cut in range(3, len(low) - 2):
        tail = low[cut:]
        if len(tail) >= 4 and tail in lex.not_counted:
            return _NOT_COUNTED
        entry = lex.units.get(tail)
        if (
            entry is not None
            and entry[1] == "count"
            and (len(entry[0]) >= 4 or entry[0] in lex.compound_heads)
        ):
            return token.text[:cut] + entry[0], "count"
    return None


class _Unit(NamedTuple):
    kind: str  # percent | money | quantity
    unit: str
    multiplier: Decimal
    next: int
    noun_kind: str  # percent | money | count | measure
    cut: int | None = None  # char offset where a glued footnote mark starts ("procent3")
    resume: int | None = None  # partitive: where reading goes on ("12 av de 40 företagen")
    context: str | None = None  # partitive: the whole the number is part of


def _footnoted(token: Token, lex: Lexicon) -> _Unit | None:
    """A percent word or counted noun with a footnote number glued on ("procent3")."""
    if token.kind != "word" or not token.low[-1:].isdigit() or _capitalised(token.text):
        return None
    bare = token.low.rstrip("0123456789")
    entry = lex.units.get(bare)
    if entry is None or entry[1] == "measure":
        return None  # "km2" and friends are listed whole; "år3" is no unit at all
    kind = "percent" if entry[1] == "percent" else "quantity"
    return _Unit(kind, entry[0], Decimal(1), 0, entry[1], token.start + len(bare))


def _read_unit(
    tokens: Sequence[Token], j: int, lex: Lexicon, *, count_ok: bool, loose: bool
) -> _Unit | str | None:
    """The unit starting at token j; `loose` allows fillers, adjectives and compounds."""
    n = len(tokens)
    if j >= n:
        return None
    currency = lex.currencies.forward(tokens, j)
    if currency is not None:
        (code, multiplier), after = currency
        return _Unit("money", code, multiplier, after, "money")
    token = tokens[j]
    entry = lex.units.get(token.low)
    if entry is not None and _capitalised(token.text):
        return None  # "100 Procent", "2.1 Förslag": table headers and headings
    if entry is not None and entry[1] == "percent":
        if (
            token.text == "%"
            and low_at(tokens, j + 1) == "-"
            and low_at(tokens, j + 2) in ("enheter", "enhet")
            and tokens[j + 1].gap == ""
            and tokens[j + 2].gap == ""
        ):
            return _Unit("percent", "percentage_points", Decimal(1), j + 3, "percent")
        return _Unit("percent", entry[0], Decimal(1), j + 1, "percent")
    if token.kind != "word":
        return None
    if token.low in lex.not_counted:
        return _NOT_COUNTED
    footnoted = _footnoted(token, lex) if entry is None else None
    if footnoted is not None:
        if footnoted.noun_kind == "count" and not count_ok:
            return None
        return footnoted._replace(next=j + 1)
    if entry is not None:
        if entry[1] == "count" and not count_ok:
            return None
        if loose and entry[1] == "count" and _adjectival(token, lex) and j + 1 < n:
            # "30 nyanlända kvinnor": the participle is an adjective to the next noun.
            following = lex.units.get(tokens[j + 1].low)
            if (
                following is not None
                and following[1] == "count"
                and not _capitalised(tokens[j + 1].text)
            ):
                return _Unit("quantity", following[0], Decimal(1), j + 2, "count")
        return _Unit("quantity", entry[0], Decimal(1), j + 1, entry[1])
    if not (loose and count_ok):
        return None
    k = j
    if token.low in ("st", "stycken", "styck"):
        k += 1
        if low_at(tokens, k) == "." and tokens[k].gap == "":
            k += 1
    adjectives = 0
    while k < n and adjectives <= 4:
        noun = _noun(tokens[k], lex)
        if noun == _NOT_COUNTED:
            return _NOT_COUNTED
        if isinstance(noun, tuple):
            return _Unit("quantity", noun[0], Decimal(1), k + 1, noun[1])
        if _adverb(tokens, k, lex):
            k += 1  # "glest befolkade": the adjective after it is checked next
            continue
        if not _adjectival(tokens[k], lex):
            return None
        adjectives += 1
        k += 1
        if k < n and tokens[k].text == "-" and tokens[k].gap == "":
            k += 1  # "små- och medelstora"
        if k < n and (tokens[k].low in ("och", "eller") or tokens[k].text == ","):
            k += 1
    return None


_PARTITIVE_PRONOUNS = frozenset({"dem", "dessa", "dom"})
# Determiners that make the whole after "av" plural ("av de 40 företagen", "av dessa
# kommuner"); "del 2 av rapporten", "2 av det nya programmet" count no part of a whole.
_PLURAL_DETERMINERS = frozenset(
    {"de", "dessa", "alla", "samtliga", "våra", "era", "deras", "sina", "båda", "bägge"}
)
_SENTENCE_MARKS = frozenset({".", "!", "?"})
# How far back "29 av dem" may look for the figure it counts part of.
_ANTECEDENT_TOKENS = 40
_ANTECEDENT_SENTENCES = 1


@dataclass(frozen=True)
class _Antecedent:
    """The latest counted quantity: what a later "N av dem" counts part of."""

    hits: tuple[FigureHit, ...]
    end: int  # token index after its phrase


def _sentence_breaks(tokens: Sequence[Token], start: int, stop: int) -> int:
    """Sentence-ending marks between two token indices (a decimal point is none)."""
    return sum(
        1
        for t in range(start, min(stop, len(tokens)))
        if tokens[t].text in _SENTENCE_MARKS and (t + 1 >= len(tokens) or tokens[t + 1].gap)
    )


def _partitive(
    text: str,
    tokens: Sequence[Token],
    j: int,
    lex: Lexicon,
    value: Decimal,
    antecedent: _Antecedent | None,
    i: int,
) -> _Unit | None:
    """ "N av [de|dessa] [M] [adjectives] <counted noun>" or "N av dem": a part of a counted
    whole is counted in the whole's noun ("tre av kommunerna" -> kommun, "12 av de 40
    företagen" -> företag). "av dem/dessa" takes the noun of the latest counted quantity
    when it is close (this or the previous sentence) and not smaller than N; otherwise
    the antecedent is unclear and the number is no figure."""
    n = len(tokens)
    if low_at(tokens, j) != "av" or j + 1 >= n:
        return None
    k = j + 1
    plural = tokens[k].low in _PLURAL_DETERMINERS
    if plural:
        k += 1
    resume: int | None = None
    whole = read_number(tokens, k) if k < n else None
    if whole is not None and not whole.article and not whole.glued_word:
        resume, k = k, whole.next  # "av de 40 företagen": the 40 is a figure of its own
    adjectives = 0
    while k < n and adjectives <= 3:
        token = tokens[k]
        noun = _noun(token, lex) if token.text[:1].islower() else None
        # Without a plural determiner or number the noun must show a plural definite -na
        # ("tre av kommunerna"); "företagen"/"rapporten" could be singular.
        shows_plural = plural or resume is not None or token.low.endswith("na")
        if isinstance(noun, tuple) and noun[1] == "count" and shows_plural:
            return _Unit(
                "quantity",
                noun[0],
                Decimal(1),
                k + 1,
                "count",
                resume=resume,
                context=text[tokens[j + 1].start : token.end],
            )
        if noun is not None or not _adjectival(token, lex):
            break
        adjectives += 1
        k += 1
    pronoun = tokens[j + 1]
    if pronoun.low not in _PARTITIVE_PRONOUNS or antecedent is None:
        return None
    if j + 2 < n and _noun(tokens[j + 2], lex) is not None:
        return None  # "av dessa företag" read above; "av dessa år" is no part of a count
    whole_value = max(hit.value for hit in antecedent.hits)
    if (
        i - antecedent.end > _ANTECEDENT_TOKENS
        or _sentence_breaks(tokens, antecedent.end, i) > _ANTECEDENT_SENTENCES
        or float(value) > whole_value
    ):
        return None
    last = antecedent.hits[-1]
    return _Unit("quantity", last.unit, Decimal(1), j + 2, "count", context=last.text)


def _per_word(low: str, lex: Lexicon) -> str | None:
    """Base form of a known rate noun ("år", "invånare", "capita"); unknown words are not
    rates ("per telefon" is a means, not a denominator)."""
    entry = lex.units.get(low)
    if entry is not None and entry[1] != "percent":
        return entry[0]
    if low in lex.not_counted:
        return lex.not_counted[low]
    return None


def _read_per(tokens: Sequence[Token], j: int, lex: Lexicon) -> tuple[str | None, int]:
    """A rate after the unit: "per år", "/år", "om året", "i månaden", "årligen"."""
    n = len(tokens)
    if j >= n:
        return None, j
    token = tokens[j]
    nxt = tokens[j + 1] if j + 1 < n and tokens[j + 1].kind == "word" else None
    if token.low == "per" and nxt is not None:
        first = _per_word(nxt.low, lex)
        if first is not None:
            if low_at(tokens, j + 2) == "och" and j + 3 < n:
                second = _per_word(tokens[j + 3].low, lex)
                if second is not None:
                    return f"{first} och {second}", j + 4  # "per invånare och år"
            return first, j + 2
    if token.text == "/" and nxt is not None:
        base = _per_word(nxt.low, lex)
        if base is not None:
            return base, j + 2
    if token.low in ("om", "i") and nxt is not None:
        base = lex.not_counted.get(nxt.low)
        # Only the definite form is a rate ("om året"); "i år" means this year.
        if base is not None and nxt.low != base and nxt.low.endswith(("et", "en", "an")):
            return base, j + 2
    if token.low == "årligen":
        return "år", j + 1
    if token.low == "varje" and nxt is not None and lex.not_counted.get(nxt.low) == nxt.low:
        return nxt.low, j + 2
    return None, j


def _line_broken(tokens: Sequence[Token], k: int) -> bool:
    """Token k continues a word hyphenated across a line break ("stadsde-\nlarna")."""
    return (
        k >= 2
        and "\n" in tokens[k].gap
        and tokens[k - 1].text == "-"
        and tokens[k - 1].gap == ""
        and tokens[k - 2].kind == "word"
    )


def _word_forward(tokens: Sequence[Token], k: int) -> tuple[str, int]:
    """The word at token k, joined over a line-break hyphen -> (text, its last index)."""
    if k + 2 < len(tokens) and tokens[k + 2].kind == "word" and _line_broken(tokens, k + 2):
        return tokens[k].text + tokens[k + 2].text, k + 2
    return tokens[k].text, k


def _word_backward(tokens: Sequence[Token], k: int) -> str:
    if _line_broken(tokens, k):
        return tokens[k - 2].text + tokens[k].text
    return tokens[k].text


_GENITIVE_ENDINGS = ("ens", "ets", "nas", "arnas", "ernas", "ornas")


def _context(
    text: str,
    tokens: Sequence[Token],
    first: int,
    after: int,
    lex: Lexicon,
    substance: str | None,
) -> str | None:
    """What the figure is of: "… procent av regionalfonden", "utsläpp på cirka 4 000 ton"."""
    n = len(tokens)
    if after < n and tokens[after].low == "av":
        k = after + 1
        skipped = 0
        while k < n and skipped < 2 and _stop_role(tokens[k], lex) == "determiner":
            k, skipped = k + 1, skipped + 1
        adjective_start = k
        while (
            k - adjective_start < 1
            and k + 1 < n
            and _adjectival(tokens[k], lex)
            and _content_word(tokens[k + 1], lex)
        ):
            k += 1  # "av de totala kostnaderna" -> "totala kostnaderna"
        if k < n and _content_word(tokens[k], lex):
            word, last = _word_forward(tokens, k)
            if k > adjective_start:
                word = text[tokens[adjective_start].start : tokens[k].start] + word
            genitive = word.endswith("s") and (
                ":" in word or word[:1].isupper() or word.endswith(_GENITIVE_ENDINGS)
            )
            if genitive and last + 1 < n and _content_word(tokens[last + 1], lex):
                owned, _ = _word_forward(tokens, last + 1)
                return f"{word} {owned}"  # "EU:s BNP", "fondens medel"
            return word
    if substance is not None:
        return substance
    if first >= 2 and tokens[first - 1].low in ("på", "om", "med"):
        word = tokens[first - 2]
        # Passive verbs end in -as ("kan jämföras med"): not what a figure is of.
        if _content_word(word, lex) and word.text[:1].islower() and not word.low.endswith("as"):
            # After "med" a verb of change is likely ("ökade med"): keep only nouns.
            if tokens[first - 1].low == "med" and word.low.endswith(
                ("ade", "de", "te", "at", "it", "tt", "rt", "er", "ar")
            ):
                return None
            return _word_backward(tokens, first - 2)
    return None


# ------------------------------------------------------------------------------ grammar

_RANGE_DASHES = frozenset({"-", "–", "—", "‒", "\u2010", "\u2011"})
_RANGE_WORDS = frozenset({"till", "à"})
_RANGE_CONNECTORS = {"mellan": ("och",), "från": ("till",)}


def _word_starts(low: str, lex: Lexicon) -> bool:
    return (
        low in ("mellan", "från")
        or "-" in low  # "tre-fyra"
        or low in number_words()
        or low in lex.prefix_currencies.firsts
        or word_number(low) is not None
    )


def _hit(
    text: str,
    tokens: Sequence[Token],
    first: int,
    last: int,
    cut: int | None = None,
    **fields: object,
) -> FigureHit:
    start, end = tokens[first].start, (tokens[last].end if cut is None else cut)
    # What FigureHit(...) makes, without a frozen dataclass's object.__setattr__ per field.
    hit = _new_object(FigureHit)
    hit.__dict__.update(start=start, end=end, text=text[start:end], **fields)
    return hit


_new_object = object.__new__


def _qualifier(
    tokens: Sequence[Token], i: int, lex: Lexicon, floor: int
) -> tuple[bool, str | None, int]:
    found = lex.qualifiers.backward(tokens, i, floor)
    if found is None:
        return False, None, i
    (approximate, bound), first = found
    return approximate, bound, first


def _fraction_hit(
    text: str,
    tokens: Sequence[Token],
    i: int,
    after: int,
    value: Decimal,
    floor: int,
    lex: Lexicon,
) -> tuple[list[FigureHit], int, bool]:
    """A fraction as a percent: "hälften" -> 50; "en tredjedel" -> 33.33; "två tredjedelar"."""
    approximate, bound, first = _qualifier(tokens, i, lex, floor)
    hit = _hit(
        text,
        tokens,
        first,
        after - 1,
        kind="percent",
        value=round(float(value), 2),
        unit="percent",
        per=None,
        approximate=approximate,
        bound=bound,
        range_part=None,
        context=_context(text, tokens, first, after, lex, None),
    )
    return [hit], after, False


def _fraction_of(tokens: Sequence[Token], number: NumberRead) -> Decimal | None:
    """The percent a number makes with the fraction word after it ("två tredjedelar")."""
    if number.approximate or number.glued_word or number.next >= len(tokens):
        return None
    fraction = number_words().get(tokens[number.next].low)
    if fraction is None or fraction.type != "fraction" or fraction.value == 0:
        return None
    return number.value * 100 / fraction.value


def _word_range(tokens: Sequence[Token], i: int) -> tuple[Decimal, Decimal] | None:
    """ "tre-fyra" (one hyphenated word token) -> (3, 4)."""
    low = tokens[i].low
    if tokens[i].kind != "word" or low.count("-") != 1:
        return None
    left, right = low.split("-")
    first, second = word_number(left), word_number(right)
    if first is None or second is None or first[1] or second[1]:
        return None
    return Decimal(first[0]), Decimal(second[0])


def _figure_at(
    text: str,
    tokens: Sequence[Token],
    i: int,
    floor: int,
    lex: Lexicon,
    antecedent: _Antecedent | None = None,
) -> tuple[list[FigureHit], int, bool] | None:
    """The figure phrase starting at token i -> (its hits, the token index to read on from,
    whether it counts a noun)."""
    n = len(tokens)
    k = i
    opener = tokens[i].low if tokens[i].low in ("mellan", "från") else None
    if opener is not None:
        k += 1
    prefix = lex.prefix_currencies.forward(tokens, k)
    prefix_currency: tuple[str, Decimal] | None = None
    if prefix is not None:
        prefix_currency, k = prefix
    if k >= n or labelled(tokens, i, lex, "figures"):
        return None
    plain = opener is None and prefix_currency is None
    half = lex.words.get(tokens[k].low)
    if plain and half is not None and half.type == "half_of":
        return _fraction_hit(text, tokens, i, k + 1, half.value, floor, lex)  # "hälften"

    low_value: Decimal
    high_value: Decimal | None = None
    word_range = _word_range(tokens, k) if opener is None else None
    if word_range is not None:
        low_value, high_value = word_range
        scale_low = None
        scale_high, j = read_scale(tokens, k + 1)
        article = year_like = glued_word = approximate = False
    else:
        first_number = read_number(tokens, k)
        if first_number is None:
            return None
        fraction = _fraction_of(tokens, first_number) if plain else None
        if fraction is not None:
            return _fraction_hit(text, tokens, i, first_number.next + 1, fraction, floor, lex)
        low_value = first_number.value
        article, year_like = first_number.article, first_number.year_like
        glued_word, approximate = first_number.glued_word, first_number.approximate
        scale_low, j = read_scale(tokens, first_number.next)
        scale_high = None
        second: NumberRead | None = None
        connector = tokens[j] if j < n else None
        if connector is not None and not glued_word:
            wanted = _RANGE_CONNECTORS.get(opener) if opener is not None else None
            if wanted is not None:
                ok = connector.low in wanted
            else:
                ok = connector.text in _RANGE_DASHES or connector.low in _RANGE_WORDS
            if ok:
                second = read_number(tokens, j + 1, after_dash=True)
                if second is not None and second.article:
                    second = None  # "5 till en …": not a range
        if opener is not None and second is None:
            return None
        if second is not None:
            high_value = second.value
            approximate = approximate or second.approximate
            glued_word = second.glued_word
            if year_like and second.year_like:
                return None  # "2023-2025 ha": a period heading, not a range of amounts
            scale_high, j = read_scale(tokens, second.next)
    if (
        high_value is not None
        and scale_high is not None
        and scale_low is None
        and (low_value <= high_value)
    ):
        scale_low = scale_high  # "10–12 miljoner kronor": the scale serves both ends
    scaled = scale_low is not None or scale_high is not None

    if prefix_currency is not None:
        code, multiplier = prefix_currency
        unit: _Unit | str | None = _Unit("money", code, multiplier, j, "money")
    else:
        unit = _read_unit(
            tokens,
            j,
            lex,
            count_ok=not (article and not scaled),
            loose=not (year_like and not scaled) and not glued_word,
        )
        if unit is None and not (article or glued_word or (year_like and not scaled)):
            unit = _partitive(text, tokens, j, lex, low_value, antecedent, i)
    if not isinstance(unit, _Unit):
        return None
    if glued_word and unit.noun_kind == "count":
        return None  # "1b", "3e": only a glued currency/measure ("5kr", "5km") is a unit
    if unit.next < n and tokens[unit.next].text == "§":
        return None

    partitive = unit.context is not None
    per, end = (
        _read_per(tokens, unit.next, lex)
        if unit.cut is None and not partitive
        else (None, unit.next)
    )
    substance = None
    if per is None and unit.noun_kind == "measure" and unit.next < n:
        # "4 000 ton koldioxid per år": the substance sits between the unit and the rate.
        candidate = tokens[unit.next]
        if _content_word(candidate, lex) and candidate.text[:1].islower():
            per, after_per = _read_per(tokens, unit.next + 1, lex)
            if per is not None:
                substance, end = candidate.text, after_per
            else:
                substance = candidate.text
    if floor < i and tokens[i - 1].low in lex.qualifiers.lasts:
        approximate_q, bound, first = _qualifier(tokens, i, lex, floor)
        approximate = approximate or approximate_q
    else:
        bound, first = None, i  # what _qualifier finds without a qualifier word before i
    context = unit.context if partitive else _context(text, tokens, first, end, lex, substance)

    start = tokens[first].start
    stop = tokens[end - 1].end if unit.cut is None else unit.cut
    phrase = text[start:stop]
    if high_value is None:
        value = _amount(low_value, scale_low, unit)
        hits = [_figure(start, stop, phrase, unit, value, per, approximate, bound, None, context)]
    else:
        value = _amount(low_value, scale_low, unit)
        high = _amount(high_value, scale_high if scale_high is not None else scale_low, unit)
        hits = [
            _figure(start, stop, phrase, unit, value, per, approximate, bound, "low", context),
            _figure(start, stop, phrase, unit, high, per, approximate, bound, "high", context),
        ]
    return hits, (end if unit.resume is None else unit.resume), unit.noun_kind == "count"


def _amount(value: Decimal, scale: Decimal | None, unit: _Unit) -> float:
    total = value * (scale if scale is not None else 1)
    if unit.kind == "money":
        total *= unit.multiplier
    return float(total)


def _figure(
    start: int,
    end: int,
    phrase: str,
    unit: _Unit,
    value: float,
    per: str | None,
    approximate: bool,
    bound: str | None,
    range_part: str | None,
    context: str | None,
) -> FigureHit:
    """FigureHit(...) without a frozen dataclass's object.__setattr__ per field."""
    hit = _new_object(FigureHit)
    hit.__dict__.update(
        start=start,
        end=end,
        text=phrase,
        kind=unit.kind,
        value=value,
        unit=unit.unit,
        per=per,
        approximate=approximate,
        bound=bound,
        range_part=range_part,
        context=context,
    )
    return hit


def _start_candidates(tokens: list[Token], lex: Lexicon) -> list[int]:
    """Indices of the tokens a figure may start at: every digit run, sign, number word,
    "mellan"/"från", hyphenated word and prefix currency (a number followed by another
    that is not its thousands group is dropped in find_figures). Decided once per distinct
    lower-cased token and kept in the lexicon: a text costs a few C-level passes."""

    def decide(kind: str, low: str) -> bool:
        if kind == "num":
            return True
        if kind == "word":
            return _word_starts(low, lex)
        return low in SIGNS or low in lex.prefix_currencies.firsts

    flags = per_word(tokens, lex.starts, decide)
    return list(compress(range(len(flags)), flags))


def find_figures(text: str) -> list[FigureHit]:
    """All figures in `text`, sorted by start (range low before high); never raises on a str."""
    if not isinstance(text, str) or not text:
        return []
    lex = lexicon()
    tokens = tokenize(text)
    hits: list[FigureHit] = []
    i = 0
    floor = 0  # tokens before it belong to an earlier figure (no shared qualifiers)
    antecedent: _Antecedent | None = None  # the latest counted quantity ("… 29 av dem")
    starts = _start_candidates(tokens, lex)
    n = len(tokens)
    next_start = 0
    while next_start < len(starts):
        if starts[next_start] < i:
            next_start += 1
            continue
        i = starts[next_start]
        token = tokens[i]
        if token.kind == "num" and i + 1 < n:
            # A number directly followed by another that cannot be its thousands group ends
            # without a unit: skip it early (tables and number lists are long).
            nxt = tokens[i + 1]
            if nxt.kind == "num" and not (
                len(nxt.text) == 3 and nxt.gap in GROUP_SEPARATORS and len(token.text) <= 3
            ):
                next_start += 1
                continue
        found = _figure_at(text, tokens, i, floor, lex, antecedent)
        if found is None:
            i += 1
            continue
        new_hits, i, counted = found
        hits.extend(new_hits)
        if counted:
            antecedent = _Antecedent(tuple(new_hits), i)
        floor = i
    hits.sort(key=lambda hit: (hit.start, hit.range_part == "high"))
    return hits
