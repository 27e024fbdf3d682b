"""Dates in Swedish text: days, months, years, periods, seasons, quarters and decades.

`find_dates(text)` reads the token stream of `pipeline.numbers`. Values are ISO 8601
prefixes: "2017", "2017-03", "2015-05-25"; a period joins its two ends with "/"
("2014/2020", "2023-06-27/2023-09-14"); a season is its year ("hösten 2017" -> "2017",
kind "season"); a quarter or half-year is its months ("första kvartalet 2019" ->
"2019-01/2019-03"); a decade its years ("1970-talet" -> "1970/1979"; "1900-talet" is the
century, "1900/1999").

Only years 1900–2099 count, and every date needs a year: "den 31 augusti" is not extracted,
while "27 juni till 14 september 2023" lends the year to both ends. A bare year is a date
unless it is a label's number (labels.tsv: "Europa 2020", "Agenda 2030", "Exempel 3",
"SFS 2009:1263"), part of a code ("2018:3", "Dnr 2023/449", "2020-strategin", phone numbers)
or an amount ("2000 kronor", which `pipeline.figures` reports instead).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import compress

from .figures import labelled, lexicon
from .numbers import (
    DATA_DIR,
    Row,
    Token,
    free_before,
    low_at,
    per_word,
    row_error,
    table,
    tokenize,
)

__all__ = ["DateHit", "find_dates"]


@dataclass(frozen=True)
class DateHit:
    start: int
    end: int
    text: str
    value: str  # ISO 8601 prefix, or two joined by "/" for a period
    kind: str  # "date" | "period" | "season" | "quarter"


@dataclass(frozen=True)
class _DateLexicon:
    months: dict[str, int]
    seasons: dict[str, str]
    ordinals: dict[str, int]
    # Lower-cased token -> _NOT_A_START / _START / _YEAR (see _candidates); filled per new
    # word and kept as long as this lexicon.
    starts: dict[str, int] = field(default_factory=dict, compare=False, repr=False)


def _int_field(name: str, row: Row, value: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        raise row_error(DATA_DIR / name, row, f"expected a whole number {low}..{high}")
    return number


@lru_cache(maxsize=1)
def _lexicon() -> _DateLexicon:
    months = {
        row[0].lower(): _int_field("months.tsv", row, row[1], 1, 12)
        for row in table("months.tsv", ("surface", "month"))
    }
    seasons = {row[0].lower(): row[1] for row in table("seasons.tsv", ("surface", "season"))}
    ordinals = {
        row[0].lower(): _int_field("ordinals.tsv", row, row[1], -1, 10)
        for row in table("ordinals.tsv", ("word", "value"))
    }
    return _DateLexicon(months, seasons, ordinals)


_DASHES = frozenset({"-", "–", "—", "‒", "\u2010", "\u2011"})
_DECADE_WORDS = frozenset({"talet", "talets", "talen", "talens"})
_YEAR_WINDOW = 8  # tokens from a date's first token to its (first) year, at most


@dataclass(frozen=True)
class _Point:
    year: int | None
    month: int | None
    day: int | None
    first: int  # token index of the first token
    next: int  # token index after the last token


def _year(tokens: Sequence[Token], i: int) -> int | None:
    if not 0 <= i < len(tokens):
        return None
    token = tokens[i]
    if token.kind != "num" or len(token.text) != 4:
        return None
    value = int(token.text)
    return value if 1900 <= value <= 2099 else None


def _small(tokens: Sequence[Token], i: int, low: int, high: int) -> int | None:
    """A one- or two-digit number in [low, high] at token i."""
    if not 0 <= i < len(tokens):
        return None
    token = tokens[i]
    if token.kind != "num" or len(token.text) > 2:
        return None
    value = int(token.text)
    return value if low <= value <= high else None


def _is(tokens: Sequence[Token], i: int, text: str, glued_to_previous: bool = True) -> bool:
    return (
        0 < i < len(tokens)
        and tokens[i].text == text
        and (not glued_to_previous or tokens[i].gap == "")
    )


def _valid(year: int, month: int | None, day: int | None) -> bool:
    if month is None:
        return day is None
    if day is None:
        return 1 <= month <= 12
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _read_point(tokens: Sequence[Token], i: int, allow_day: bool = False) -> _Point | None:
    """One date expression at token i; its year may be missing (only ranges use that)."""
    n = len(tokens)
    if not 0 <= i < n:
        return None
    lex = _lexicon()
    token = tokens[i]
    if token.kind == "word":
        month = lex.months.get(token.low)
        if month is None:
            return None
        k = i + 1
        if _is(tokens, k, "."):
            k += 1  # "sept."
        year = _year(tokens, k)
        if year is not None:
            return _Point(year, month, None, i, k + 1)
        return _Point(None, month, None, i, k)
    if token.kind != "num":
        return None
    year = _year(tokens, i)
    if year is not None:
        # ISO 8601: "2015-05-25", "2017-03".
        if _is(tokens, i + 1, "-") and i + 2 < n and tokens[i + 2].gap == "":
            month = _small(tokens, i + 2, 1, 12)
            if month is not None and len(tokens[i + 2].text) == 2:
                if (
                    _is(tokens, i + 3, "-")
                    and _small(tokens, i + 4, 1, 31) is not None
                    and (tokens[i + 4].gap == "" and len(tokens[i + 4].text) == 2)
                ):
                    day = int(tokens[i + 4].text)
                    return _Point(year, month, day, i, i + 5) if _valid(year, month, day) else None
                # "2017-03" is a month; "2010-12" would rather be a short period 2010–2012.
                if tokens[i + 2].text[0] == "0" or month <= year % 100:
                    return _Point(year, month, None, i, i + 3)
        return _Point(year, None, None, i, i + 1)
    day = _small(tokens, i, 1, 31)
    if day is None:
        return None
    # Numeric day/month: "25/5 2015", "25/5-2015", "25.5.2015".
    if (
        (_is(tokens, i + 1, "/") or _is(tokens, i + 1, "."))
        and i + 2 < n
        and (tokens[i + 2].gap == "")
    ):
        month = _small(tokens, i + 2, 1, 12)
        k = i + 3
        if month is not None:
            if k < n and tokens[k].text in ("-", "/", ".") and tokens[k].gap == "":
                if tokens[k].text != tokens[i + 1].text and tokens[k].text != "-":
                    return None  # "25/5.2015": mixed separators
                k += 1
                if k >= n or tokens[k].gap != "":
                    return None
            elif k < n and tokens[k].gap == "":
                return None
            year = _year(tokens, k)
            if year is not None and _valid(year, month, day):
                return _Point(year, month, day, i, k + 1)
        return None
    # "30 juni 2014", "1:a mars 2016", "27 juni" (year lent by a range end).
    k = i + 1
    if _is(tokens, k, ":") and low_at(tokens, k + 1) in ("a", "e") and tokens[k + 1].gap == "":
        k += 2
    if k < n and tokens[k].gap and tokens[k].kind == "word" and tokens[k].low in lex.months:
        month = lex.months[tokens[k].low]
        k += 1
        if _is(tokens, k, "."):
            k += 1
        year = _year(tokens, k)
        if year is not None:
            return _Point(year, month, day, i, k + 1) if _valid(year, month, day) else None
        return _Point(None, month, day, i, k)
    if allow_day and not (k < n and tokens[k].gap == "" and tokens[k].text not in _DASHES):
        return _Point(None, None, day, i, i + 1)  # "27" in "27–29 juni 2023"
    return None


def _format(point: _Point) -> str:
    value = f"{point.year:04d}"
    if point.month is not None:
        value += f"-{point.month:02d}"
        if point.day is not None:
            value += f"-{point.day:02d}"
    return value


def _bad_trailer(tokens: Sequence[Token], k: int) -> bool:
    """What follows a date makes it part of a code: "2018:3", "2023/449", "2020-strategin"."""
    if k >= len(tokens) or tokens[k].gap != "":
        return False
    token = tokens[k]
    if token.kind in ("word", "num"):
        return True
    following = tokens[k + 1] if k + 1 < len(tokens) else None
    return (
        token.text in ":/.,-–§"
        and following is not None
        and following.gap == ""
        and following.kind in ("word", "num")
    )


def _amount_follows(tokens: Sequence[Token], k: int) -> bool:
    """ "2000 kronor", "1950 personer": the number is an amount, not a year."""
    if k >= len(tokens):
        return False
    lex = lexicon()
    return tokens[k].low in lex.units or lex.currencies.forward(tokens, k) is not None


def _hit(
    text: str, tokens: Sequence[Token], first: int, after: int, value: str, kind: str
) -> DateHit:
    start, end = tokens[first].start, tokens[after - 1].end
    # What DateHit(...) makes, without a frozen dataclass's object.__setattr__ per field.
    hit = _new_object(DateHit)
    hit.__dict__.update(start=start, end=end, text=text[start:end], value=value, kind=kind)
    return hit


_new_object = object.__new__


def _blocked(tokens: Sequence[Token], first: int) -> bool:
    return not free_before(tokens, first) or labelled(tokens, first, lexicon(), "dates")


def _decades(text: str, tokens: Sequence[Token], i: int) -> tuple[list[DateHit], int] | None:
    """ "1970-talet" -> 1970/1979; "1970- och 1980-talen" -> two decades."""
    year = _year(tokens, i)
    if year is None or year % 10 or not _is(tokens, i + 1, "-"):
        return None

    def span(y: int) -> str:
        return f"{y}/{y + 99}" if y % 100 == 0 else f"{y}/{y + 9}"

    if i + 2 < len(tokens) and tokens[i + 2].gap == "" and tokens[i + 2].low in _DECADE_WORDS:
        return [_hit(text, tokens, i, i + 3, span(year), "period")], i + 3
    # Suspended hyphen: "1970- och 1980-talen".
    if low_at(tokens, i + 2) in ("och", "eller") and tokens[i + 2].gap:
        second = _decades(text, tokens, i + 3)
        if second is not None:
            return [_hit(text, tokens, i, i + 2, span(year), "period"), *second[0]], second[1]
    return None


def _season(text: str, tokens: Sequence[Token], i: int) -> tuple[list[DateHit], int] | None:
    """ "hösten 2017" -> 2017; "vintern 2017/2018" -> 2017/2018 (kind season)."""
    if tokens[i].kind != "word" or tokens[i].low not in _lexicon().seasons:
        return None
    year = _year(tokens, i + 1)
    if year is None or not tokens[i + 1].gap:
        return None
    value, after = str(year), i + 2
    if after + 1 < len(tokens) and tokens[after].text in ("/", *_DASHES):
        second = _year(tokens, after + 1)
        if second == year + 1:
            value, after = f"{year}/{second}", after + 2
    if _bad_trailer(tokens, after):
        return None
    return [_hit(text, tokens, i, after, value, "season")], after


def _quarter(text: str, tokens: Sequence[Token], i: int) -> tuple[list[DateHit], int] | None:
    """ "första kvartalet 2019", "1:a kvartalet 2019", "Q1 2019", "kvartal 1 2019", and
    "andra halvåret 2019" (a half-year is kind period)."""
    lex = _lexicon()
    token = tokens[i]
    which: int | None = None
    noun_at: int | None = None  # where "kvartalet"/"halvåret" must stand, if anywhere
    year_at = i + 1
    if token.low in lex.ordinals:
        which, noun_at = lex.ordinals[token.low], i + 1
    elif (
        _small(tokens, i, 1, 4) is not None
        and _is(tokens, i + 1, ":")
        and (low_at(tokens, i + 2) in ("a", "e") and tokens[i + 2].gap == "")
    ):
        which, noun_at = int(token.text), i + 3
    elif len(token.low) == 2 and token.low[0] == "q" and token.low[1] in "1234":
        which = int(token.low[1])
    elif token.low in ("kvartal", "kv") and _small(tokens, i + 1, 1, 4) is not None:
        which, year_at = int(tokens[i + 1].text), i + 2
    if which is None:
        return None
    parts = 4
    if noun_at is not None:
        noun = low_at(tokens, noun_at)
        if noun in ("halvåret", "halvår"):
            parts = 2
        elif noun not in ("kvartalet", "kvartal"):
            return None
        year_at = noun_at + 1
    year = _year(tokens, year_at)
    if year is None or not tokens[year_at].gap or _bad_trailer(tokens, year_at + 1):
        return None
    if which == -1:
        which = parts  # "sista kvartalet"
    if not 1 <= which <= parts:
        return None
    length = 12 // parts
    first_month = (which - 1) * length + 1
    value = f"{year}-{first_month:02d}/{year}-{first_month + length - 1:02d}"
    kind = "quarter" if parts == 4 else "period"
    return [_hit(text, tokens, i, year_at + 1, value, kind)], year_at + 1


def _period(
    text: str, tokens: Sequence[Token], first: int, start: _Point, end: _Point
) -> tuple[list[DateHit], int] | None:
    if end.year is None:
        return None
    if start.year is None:
        month = start.month if start.month is not None else end.month
        if month is None:
            return None
        year = end.year
        if (month, start.day or 0) > (end.month or 12, end.day or 31):
            year -= 1  # "december till mars 2018"
        start = replace(start, year=year, month=month)
    assert start.year is not None
    if not _valid(start.year, start.month, start.day):
        return None
    # The start must end before the end begins: "2017–2018", "27–29 juni"; not "2017-2017"
    # nor "2017 – mars 2017" (an end inside the start).
    start_closes = (start.year, start.month or 12, start.day or 31)
    end_opens = (end.year, end.month or 1, end.day or 1)
    if start_closes >= end_opens or _bad_trailer(tokens, end.next):
        return None
    first_value, last_value = _format(start), _format(end)
    value = f"{first_value}/{last_value}"
    return [_hit(text, tokens, first, end.next, value, "period")], end.next


def _short_year(tokens: Sequence[Token], k: int, start: _Point) -> _Point | None:
    """ "2014–20" -> 2020: a two-digit end after a full year."""
    if start.year is None or start.month is not None or not 0 <= k < len(tokens):
        return None
    token = tokens[k]
    if token.kind != "num" or len(token.text) != 2:
        return None
    year = start.year - start.year % 100 + int(token.text)
    return _Point(year, None, None, k, k + 1) if year > start.year else None


_NUM_SPECIALS = (_decades, _quarter)
_WORD_SPECIALS = (_season, _quarter)


def _date_at(text: str, tokens: Sequence[Token], i: int) -> tuple[list[DateHit], int] | None:
    token = tokens[i]
    if token.low == "mellan":
        start = _read_point(tokens, i + 1)
        if start is not None and low_at(tokens, start.next) == "och":
            end = _read_point(tokens, start.next + 1)
            if end is not None and not _blocked(tokens, i + 1):
                return _period(text, tokens, i, start, end)
        return None
    # _decades reads digits only and _season words only: each is tried where it can match.
    for special in _NUM_SPECIALS if token.kind == "num" else _WORD_SPECIALS:
        found = special(text, tokens, i)
        if found is not None:
            return found if not _blocked(tokens, i) else None
    start = _read_point(tokens, i, allow_day=True)
    if start is None or _blocked(tokens, i):
        return None
    k = start.next
    if k + 1 < len(tokens) and (tokens[k].text in _DASHES or tokens[k].low == "till"):
        end = _read_point(tokens, k + 1)
        if end is None and tokens[k].text in _DASHES:
            end = _short_year(tokens, k + 1, start)
        if end is not None:
            found = _period(text, tokens, i, start, end)
            if found is not None:
                return found
    if k + 1 < len(tokens) and _is(tokens, k, "/") and start.month is None:
        # "2014/2020": close years joined by a slash (not "2023/449", a case number).
        end_year = _year(tokens, k + 1)
        short = _small(tokens, k + 1, 0, 99)
        if (
            end_year is None
            and short is not None
            and start.year is not None
            and (
                len(tokens[k + 1].text) == 2
                and short == (start.year + 1) % 100
                and start.year < 2099
            )
        ):
            end_year = start.year + 1  # "2017/18": a fiscal or school year
        if (
            end_year is not None
            and tokens[k + 1].gap == ""
            and start.year is not None
            and (0 < end_year - start.year <= 10)
        ):
            return _period(text, tokens, i, start, _Point(end_year, None, None, k + 1, k + 2))
    if start.year is None or _bad_trailer(tokens, k):
        return None
    first = i
    if start.month is None:
        if _amount_follows(tokens, k):
            return None
        if i > 0 and tokens[i - 1].low in ("år", "året"):
            first = i - 1  # "år 2020"
    return [_hit(text, tokens, first, k, _format(start), "date")], k


_NOT_A_START, _START, _YEAR = 0, 1, 2


def _start_kind(kind: str, low: str, lex: _DateLexicon) -> int:
    """Whether _date_at can find anything at a token: every digit run (_YEAR for 19xx/20xx)
    and the words it tests: "mellan", months, seasons, ordinals, "kvartal"/"kv", "q1"-"q4"."""
    if kind == "num":
        return _YEAR if len(low) == 4 and low[:2] in ("19", "20") else _START
    if kind != "word":
        return _NOT_A_START
    if (
        low in lex.months
        or low in lex.seasons
        or low in lex.ordinals
        or low in ("mellan", "kvartal", "kv")
        or (len(low) == 2 and low[0] == "q" and low[1] in "1234")
    ):
        return _START
    return _NOT_A_START


def _candidates(tokens: list[Token]) -> tuple[list[int], list[int]]:
    """(indices of the tokens a date may start at, indices of the years among them), from a
    table of distinct lower-cased tokens: a text costs a few C-level passes."""
    lex = _lexicon()
    flags = per_word(tokens, lex.starts, lambda kind, low: _start_kind(kind, low, lex))
    indices = range(len(flags))
    return list(compress(indices, flags)), list(compress(indices, map(_YEAR.__eq__, flags)))


def find_dates(text: str) -> list[DateHit]:
    """All dates in `text` that name a year, sorted by start; never raises on a str."""
    if not isinstance(text, str) or not text:
        return []
    tokens = tokenize(text)
    n = len(tokens)
    # Every date names a year within a few tokens of its start ("27 juni till 14 september
    # 2023"): a token farther than _YEAR_WINDOW before the next year is skipped. Past the
    # last year, reading goes on only when the first token reached is that close to the end
    # of the text (the year window measured against the end).
    candidates, years = _candidates(tokens)
    last_year = years[-1] if years else -1
    hits: list[DateHit] = []
    i = 0  # the token after the latest date
    y = 0  # years[y] is the first year at or after the candidate
    for c in candidates:
        if c < i:
            continue
        if c > last_year:
            if n - max(i, last_year + 1) > _YEAR_WINDOW:
                break
        else:
            while years[y] < c:
                y += 1
            if years[y] - c > _YEAR_WINDOW:
                continue
        found = _date_at(text, tokens, c)
        if found is not None:
            new_hits, i = found
            hits.extend(new_hits)
    hits.sort(key=lambda hit: hit.start)
    return hits
