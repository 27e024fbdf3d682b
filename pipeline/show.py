"""One case for the terminal: its text with the evidence of each field highlighted (rich)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from .corrections import FIELDS, item_mentions, value_key, value_label
from .errors import UsageError
from .ingest import SourceDocument
from .records import CaseRecord
from .review import FIELD_STYLE, Span, mention_problems, segments


def field_style(field: str) -> Style:
    return Style(color="black", bgcolor=FIELD_STYLE[field][2])


def label_style(field: str) -> Style:
    return Style(color=FIELD_STYLE[field][2], bold=True)


def find_record(records: Sequence[CaseRecord], record_id: str, source: str) -> CaseRecord:
    """The record with this id (or the only one whose id starts with it)."""
    for record in records:
        if record.record_id == record_id:
            return record
    matches = [r for r in records if r.record_id.startswith(record_id)]
    if len(matches) == 1:
        return matches[0]
    examples = ", ".join(r.record_id for r in records[:3])
    more = f"; e.g. {examples}" if examples else ""
    if matches:
        raise UsageError(f"record id {record_id!r} is ambiguous ({len(matches)} records)", source)
    raise UsageError(f"no record {record_id!r} ({len(records)} records{more})", source)


def case_text(record: CaseRecord, text: str, page_starts: Mapping[int, int] | None = None) -> Text:
    """The case's clean text with every mention styled in its field's colour, label after it."""
    spans = [
        Span(f"{name}:{index}:{n}", name, m.start, m.end)
        for name in FIELDS
        for index, item in enumerate(getattr(record, name))
        for n, m in enumerate(item_mentions(name, item))
        if text[m.start : m.end] == m.text
    ]
    result = Text()
    page_starts = page_starts or {}
    for segment in segments(record.span.start, record.span.end, spans, page_starts):
        if segment.start in page_starts:
            result.append(f"⟨page {page_starts[segment.start]}⟩ ", style="dim")
        piece = text[segment.start : segment.end]
        if not segment.spans:
            result.append(piece)
            continue
        result.append(piece, style=field_style(segment.spans[0].field))
        for field in dict.fromkeys(span.field for span in segment.ends):
            result.append(f" {FIELD_STYLE[field][1]}", style=label_style(field))
    return result


def fields_table(record: CaseRecord) -> Table:
    table = Table(show_header=True, header_style="bold", expand=False, box=None, padding=(0, 1))
    table.add_column("field")
    table.add_column("value")
    table.add_column("key", style="dim")
    table.add_column("evidence")
    for name in FIELDS:
        items = getattr(record, name)
        for index, item in enumerate(items):
            evidence = Text()
            for n, mention in enumerate(item_mentions(name, item)):
                if n:
                    evidence.append("; ")
                evidence.append(mention.text, style=field_style(name))
                if mention.page:
                    evidence.append(f" p.{mention.page}", style="dim")
            table.add_row(
                Text(FIELD_STYLE[name][0] if index == 0 else "", style=label_style(name)),
                value_label(name, item),
                value_key(name, item),
                evidence,
            )
        if not items:
            table.add_row(Text(FIELD_STYLE[name][0], style=label_style(name)), Text("—", "dim"))
    return table


def render_case(
    record: CaseRecord, document: SourceDocument | None, problem: str | None = None
) -> RenderableType:
    """Everything `casebook show` prints for one record, as rich renderables."""
    number = f"Exempel {record.case_number}" if record.case_number is not None else "Document"
    header = Text(f"{number}: {record.title}" if record.title else number, style="bold")
    pages = ", ".join(str(p) for p in record.span.pages)
    meta = Text(
        f"{record.record_id} · {record.document.path}" + (f" · pages {pages}" if pages else ""),
        style="dim",
    )
    if record.reviewed:
        meta.append(" · reviewed", style="green")
    parts: list[RenderableType] = [header, meta]
    notes = list(record.warnings)
    if problem:
        notes.append(problem)
    text = document.text if document is not None else None
    bad = mention_problems(record, text)
    if bad:
        notes.append(f"{bad} mention(s) do not match the re-read text; they are not highlighted")
    for note in notes:
        parts.append(Text(f"⚠ {note}", style="yellow"))
    parts.append(Text())
    if document is not None:
        page_starts = {
            page.start: page.number
            for page in document.pages
            if record.span.start < page.start < record.span.end
        }
        parts.append(case_text(record, document.text, page_starts))
    else:
        parts.append(Text("(case text not available)", style="dim"))
    parts.extend([Text(), fields_table(record)])
    return Group(*parts)
