"""Line-level text cleaning shared by text and PDF input.

Both ingest paths produce `SourceLine`s; `join_lines` turns them into one clean text with a
page table and per-line provenance, so hyphenation is handled in exactly one place.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
SOFT_HYPHEN = "\u00ad"
# C0/C1 controls other than tab and newline carry no text; NUL bytes in particular break
# downstream tools that treat the text as C strings.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\ufeff]")
# Words that follow a suspended hyphen ("test- och demonstrationsarena"): the hyphen is real.
SUSPENDED_HYPHEN_FOLLOWERS = frozenset(
    {"och", "eller", "samt", "resp", "resp.", "respektive", "som", "till", "än", "men"}
)
_HYPHEN_END = re.compile(r"(\w)-$")
_FIRST_WORD = re.compile(r"^(\S+)\s*")


@dataclass(frozen=True)
class SourceLine:
    """One physical line as read from the input, before joining."""

    text: str
    page: int
    bbox: tuple[float, float, float, float] | None = None
    kind: str = "body"


@dataclass(frozen=True)
class LineRef:
    """Where one line of the clean text came from."""

    start: int
    end: int
    page: int
    bbox: tuple[float, float, float, float] | None
    kind: str


@dataclass(frozen=True)
class PageSpan:
    number: int
    start: int
    end: int


def clean_line(text: str) -> str:
    """NFC, no soft hyphens, ligatures expanded, no control characters, no trailing space."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace(SOFT_HYPHEN, "")
    for ligature, letters in LIGATURES.items():
        text = text.replace(ligature, letters)
    text = text.replace("\t", " ")
    text = _CONTROL.sub("", text)
    return text.rstrip()


def rejoin_hyphenated(current: str, following: str) -> tuple[str, str] | None:
    """Join a line ending in a hyphen with the next line's first word, or None to keep both."""
    if not current.endswith("-"):  # most lines: no regex needed
        return None
    match = _HYPHEN_END.search(current)
    if not match or current.endswith("--"):
        return None
    word_match = _FIRST_WORD.match(following.lstrip())
    if not word_match:
        return None
    word = word_match.group(1)
    if not word[0].islower():
        return None
    bare = word.rstrip(".,;:!?)").lower()
    if bare in SUSPENDED_HYPHEN_FOLLOWERS:
        return None
    rest = following.lstrip()[word_match.end() :]
    last_char = match.group(1)
    # "IKT-\nföretag" is a compound with an acronym: the hyphen belongs to the word.
    if last_char.isupper() or last_char.isdigit():
        return current + word, rest
    return current[:-1] + word, rest


def join_lines(lines: list[SourceLine]) -> tuple[str, list[PageSpan], list[LineRef]]:
    """Clean and join lines into one text; re-join words broken by a line-end hyphen.

    A broken word moves whole onto the line (and page) where it starts, so the page table
    stays exact. Blank lines are paragraph breaks and are never joined across.
    """
    cleaned = [SourceLine(clean_line(line.text), line.page, line.bbox, line.kind) for line in lines]
    out: list[SourceLine] = []
    i = 0
    while i < len(cleaned):
        line = cleaned[i]
        text = line.text
        while i + 1 < len(cleaned) and cleaned[i + 1].text.strip():
            joined = rejoin_hyphenated(text, cleaned[i + 1].text)
            if joined is None:
                break
            text, rest = joined
            nxt = cleaned[i + 1]
            if rest.strip():
                cleaned[i + 1] = SourceLine(rest, nxt.page, nxt.bbox, nxt.kind)
                break
            i += 1  # the whole next line was the word's tail
        out.append(SourceLine(text, line.page, line.bbox, line.kind))
        i += 1

    parts: list[str] = []
    refs: list[LineRef] = []
    offset = 0
    for line in out:
        refs.append(LineRef(offset, offset + len(line.text), line.page, line.bbox, line.kind))
        parts.append(line.text)
        offset += len(line.text) + 1
    text = "\n".join(parts)
    return text, page_table(refs, len(text)), refs


def page_table(refs: list[LineRef], text_length: int) -> list[PageSpan]:
    """Contiguous page spans covering the whole text (each line's newline goes with it)."""
    spans: list[PageSpan] = []
    for ref in refs:
        if spans and spans[-1].number == ref.page:
            continue
        if spans:
            previous = spans[-1]
            spans[-1] = PageSpan(previous.number, previous.start, ref.start)
        spans.append(PageSpan(ref.page, ref.start, ref.start))
    if spans:
        last = spans[-1]
        spans[-1] = PageSpan(last.number, last.start, text_length)
    return spans


def page_at(pages: list[PageSpan], offset: int) -> int | None:
    """The page number of a character offset, or None for an empty page table."""
    if not pages:
        return None
    index = bisect_right([page.start for page in pages], offset) - 1
    return pages[max(index, 0)].number
