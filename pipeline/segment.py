"""Segment: SourceDocument → Sections, one per "Exempel N" heading."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from .ingest import SourceDocument

# "Exempel 1:", "Exempel 1.", "Exempel 1 –", "EXEMPEL 1", "Exempel 1" alone. "Exempel på …"
# has no number and never matches.
HEADING = re.compile(
    r"^[ \t]*(?:Exempel|EXEMPEL)[ \t\u00a0]+(?P<number>\d{1,3})"
    r"(?:[ \t]*(?P<sep>[:.–—-])[ \t]*(?P<title>.*?)|[ \t]*)[ \t]*$"
)
_SENTENCE_END = (".", "!", "?", ":")
_MAX_TITLE_LINES = 4


@dataclass(frozen=True)
class Section:
    """One case: its heading number, title and character span in the clean text."""

    number: int | None
    title: str | None
    start: int
    end: int
    title_start: int | None = None
    title_end: int | None = None


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str
    kind: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _lines(document: SourceDocument) -> list[_Line]:
    kinds = {ref.start: ref.kind for ref in document.lines}
    result: list[_Line] = []
    offset = 0
    for text in document.text.split("\n"):
        result.append(_Line(offset, offset + len(text), text, kinds.get(offset, "body")))
        offset += len(text) + 1
    return result


def _typical_width(lines: list[_Line]) -> float:
    widths = [len(line.text.strip()) for line in lines if len(line.text.strip()) > 20]
    return statistics.median(widths) if widths else 80.0


def _title_lines(lines: list[_Line], first: int, heading_wraps: bool, width: float) -> int:
    """How many lines after index `first` continue a title (a wrapped heading)."""
    count = 0
    index = first
    while count < _MAX_TITLE_LINES and index < len(lines):
        line = lines[index]
        if line.blank or HEADING.match(line.text):
            break
        followed_by_break = index + 1 >= len(lines) or lines[index + 1].blank
        is_heading_kind = line.kind in {"heading", "box"}
        if not (heading_wraps or followed_by_break or is_heading_kind):
            break
        count += 1
        if line.text.rstrip().endswith(_SENTENCE_END) or followed_by_break:
            break
        # A continuation that is itself short ends the title.
        heading_wraps = len(line.text.strip()) >= 0.7 * width
        index += 1
    return count


def segment(document: SourceDocument) -> tuple[list[Section], list[str]]:
    """Split a document into Exempel sections; text before the first heading is no case.

    A document without headings yields one section (number None) spanning its text, and a
    warning saying so.
    """
    lines = _lines(document)
    width = _typical_width(lines)
    warnings: list[str] = []
    heads: list[tuple[int, int, str | None, int | None, int | None]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        match = HEADING.match(line.text)
        if not match:
            index += 1
            continue
        number = int(match.group("number"))
        title_text = (match.group("title") or "").strip()
        parts: list[str] = [title_text] if title_text else []
        title_start = line.start + match.start("title") if title_text else None
        title_end = line.start + match.end("title") if title_text else None
        heading_wraps = bool(title_text) and len(line.text.strip()) >= 0.7 * width
        if title_text and title_text.endswith(_SENTENCE_END):
            extra = 0
        elif title_text:
            extra = _title_lines(lines, index + 1, heading_wraps, width)
        else:
            # "Exempel 1" alone: the title is on the next line(s) when they read as a heading.
            nxt = index + 1
            while nxt < len(lines) and lines[nxt].blank:
                nxt += 1
            extra = 0
            if nxt < len(lines) and not HEADING.match(lines[nxt].text):
                candidate = lines[nxt]
                short = len(candidate.text.strip()) < 0.7 * width
                ends_paragraph = nxt + 1 >= len(lines) or lines[nxt + 1].blank
                looks_heading = candidate.kind in {"heading", "box"}
                if (
                    looks_heading
                    or (short and ends_paragraph)
                    or (ends_paragraph and not candidate.text.rstrip().endswith("."))
                ):
                    extra = _title_lines(lines, nxt, True, width) if looks_heading else 1
                    index = nxt - 1
        for continuation in lines[index + 1 : index + 1 + extra]:
            parts.append(continuation.text.strip())
            if title_start is None:
                title_start = continuation.start + (
                    len(continuation.text) - len(continuation.text.lstrip())
                )
            title_end = continuation.end
        title = " ".join(part for part in parts if part) or None
        heads.append((line.start, number, title, title_start, title_end))
        index += 1 + extra

    if not heads:
        warnings.append("no 'Exempel N' headings found: the whole document is one record")
        start = len(document.text) - len(document.text.lstrip())
        end = len(document.text.rstrip())
        return [Section(None, None, start, end)], warnings

    seen: set[int] = set()
    sections: list[Section] = []
    for position, (start, number, title, title_start, title_end) in enumerate(heads):
        if number in seen:
            warnings.append(f"'Exempel {number}' occurs more than once")
        seen.add(number)
        start += len(document.text[start:]) - len(document.text[start:].lstrip())
        end = heads[position + 1][0] if position + 1 < len(heads) else len(document.text)
        end = start + len(document.text[start:end].rstrip())
        sections.append(Section(number, title, start, end, title_start, title_end))
    return sections, warnings
