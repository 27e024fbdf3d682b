"""Assemble: (SourceDocument, Sections, span groups) → validated CaseRecords."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import ValidationError

from .errors import RecordError
from .ingest import SourceDocument
from .nlp import MAX_CHUNK_CHARS, load_nlp
from .records import CaseRecord
from .segment import Section, segment

# Fields whose values group mentions under one canonical key, in record order.
GROUPED_FIELDS = ("cities", "regions", "funds", "priorities", "organisations", "projects")


# A line break inside a paragraph is layout, not language: spaCy sees a space there (same
# length, so offsets are unchanged) and multiword names survive hard-wrapped lines.
_WRAPPED_LINE_BREAK = re.compile(r"(?<=\S)([ \t]*)\n(?=[ \t]*\S)")


def unwrap_lines(text: str) -> str:
    return _WRAPPED_LINE_BREAK.sub(r"\1 ", text)


def _chunks(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split [start, end) at paragraph breaks into pieces spaCy handles comfortably."""
    while end - start > MAX_CHUNK_CHARS:
        cut = text.rfind("\n\n", start, start + MAX_CHUNK_CHARS)
        if cut <= start:
            cut = text.rfind("\n", start, start + MAX_CHUNK_CHARS)
        if cut <= start:
            cut = text.rfind(" ", start, start + MAX_CHUNK_CHARS)
        if cut <= start:
            cut = start + MAX_CHUNK_CHARS
        yield start, cut
        start = cut
    yield start, end


def extract_entities(text: str, sections: list[Section]) -> list[list[dict[str, Any]]]:
    """Run the spaCy pipeline over each section; return plain entity dicts per section.

    Offsets in the returned dicts are offsets into `text` (the document's clean text).
    """
    from .components.common import SPAN_KEYS, make_doc, payloads_in_order

    nlp = load_nlp()
    pieces: list[tuple[int, int, int]] = []
    for index, section in enumerate(sections):
        pieces.extend((index, a, b) for a, b in _chunks(text, section.start, section.end))
    results: list[list[dict[str, Any]]] = [[] for _ in sections]
    flowing = unwrap_lines(text)
    docs = nlp.pipe(make_doc(nlp, flowing[a:b]) for _, a, b in pieces)
    for (index, offset, _), doc in zip(pieces, docs, strict=True):
        for field in SPAN_KEYS:
            # add_span kept each span's payload key in group order: no Span objects needed.
            for label, kb_id, stored in payloads_in_order(doc, field):
                payload = dict(stored)
                start = offset + payload.pop("start")
                end = offset + payload.pop("end")
                results[index].append(
                    {
                        "field": payload.pop("target_field", field)
                        if field == "negated"
                        else field,
                        "negated": field == "negated",
                        "label": label,
                        "kb_id": kb_id,
                        "start": start,
                        "end": end,
                        "payload": payload,
                    }
                )
    return results


def _mention(document: SourceDocument, start: int, end: int) -> dict[str, Any]:
    mention: dict[str, Any] = {
        "text": document.text[start:end],
        "start": start,
        "end": end,
        "page": document.page_at(start),
    }
    bbox = document.bbox_of(start, end)
    if bbox is not None:
        mention["bbox"] = bbox
    return mention


def _grouped(document: SourceDocument, entities: list[dict[str, Any]], field: str) -> list[dict]:
    """Group a field's mentions by canonical identity, ordered by first mention."""
    groups: dict[tuple[str, ...], dict[str, Any]] = {}
    for entity in sorted(entities, key=lambda e: (e["start"], e["end"])):
        label, code, payload = entity["label"], entity["kb_id"], entity["payload"]
        if field in {"cities", "regions"}:
            key, value = (code,), {"name": label, "code": code}
        elif field == "funds":
            key, value = (code,), {"code": code, "name": label}
        elif field == "priorities":
            scheme = payload.get("scheme", "")
            key, value = (scheme, code), {"scheme": scheme, "code": code, "name": label}
        else:
            key = (label.casefold(),)
            value = {"name": label, "kind": payload.get("kind")}
            if payload.get("canonical"):
                value["canonical"] = payload["canonical"]
                key = (payload["canonical"].casefold(),)
        group = groups.setdefault(key, {**value, "mentions": []})
        mention = _mention(document, entity["start"], entity["end"])
        if mention not in group["mentions"]:
            group["mentions"].append(mention)
    return list(groups.values())


def _figures(document: SourceDocument, entities: list[dict[str, Any]]) -> list[dict]:
    figures = []
    for entity in sorted(entities, key=lambda e: (e["start"], e["end"])):
        payload = entity["payload"]
        figures.append(
            {
                "kind": payload["kind"],
                "value": payload["value"],
                "unit": payload["unit"],
                "per": payload.get("per"),
                "approximate": payload.get("approximate", False),
                "bound": payload.get("bound"),
                "range_part": payload.get("range_part"),
                "context": payload.get("context"),
                "text": payload["text"],
                "mention": _mention(document, entity["start"], entity["end"]),
            }
        )
    return figures


def _dates(document: SourceDocument, entities: list[dict[str, Any]]) -> list[dict]:
    return [
        {
            "value": e["payload"]["value"],
            "kind": e["payload"].get("kind", "date"),
            "text": e["payload"]["text"],
            "mention": _mention(document, e["start"], e["end"]),
        }
        for e in sorted(entities, key=lambda e: (e["start"], e["end"]))
    ]


def record_id(document_id: str, number: int | None, seen: dict[int | None, int]) -> str:
    """ "<doc id>:<N>"; "<doc id>:0" for a document without headings; repeats get ".2", ".3"."""
    seen[number] = seen.get(number, 0) + 1
    base = f"{document_id}:{number if number is not None else 0}"
    return base if seen[number] == 1 else f"{base}.{seen[number]}"


def assemble(
    document: SourceDocument,
    sections: list[Section],
    entities: list[list[dict[str, Any]]],
    section_warnings: Iterable[str] = (),
) -> list[CaseRecord]:
    records: list[CaseRecord] = []
    seen: dict[int | None, int] = {}
    shared_warnings = [*document.warnings, *section_warnings]
    for section, found in zip(sections, entities, strict=True):
        by_field: dict[str, list[dict[str, Any]]] = {}
        warnings = list(shared_warnings)
        for entity in found:
            if entity["negated"]:
                warnings.append(
                    f"{entity['field']}: {entity['label']} named only in a negated statement "
                    f"({document.text[entity['start'] : entity['end']]!r} at {entity['start']})"
                )
                continue
            by_field.setdefault(entity["field"], []).append(entity)
        pages = sorted(
            {
                page
                for page in (
                    document.page_at(section.start),
                    document.page_at(max(section.end - 1, section.start)),
                )
                if page is not None
            }
        )
        if len(pages) == 2:
            pages = list(range(pages[0], pages[1] + 1))
        data: dict[str, Any] = {
            "record_id": record_id(document.id, section.number, seen),
            "document": {
                "id": document.id,
                "path": document.path,
                "sha256": document.sha256,
                "pages": document.page_count,
            },
            "case_number": section.number,
            "title": section.title,
            "span": {"start": section.start, "end": section.end, "pages": pages},
            "figures": _figures(document, by_field.get("figures", [])),
            "dates": _dates(document, by_field.get("dates", [])),
            "warnings": sorted(set(warnings), key=warnings.index),
        }
        for field in GROUPED_FIELDS:
            data[field] = _grouped(document, by_field.get(field, []), field)
        try:
            records.append(CaseRecord.model_validate(data, context={"text": document.text}))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise RecordError(
                f"record {data['record_id']} is invalid at {where}: {first['msg']}",
                path=document.path,
            ) from None
    return records


def extract_document(document: SourceDocument) -> list[CaseRecord]:
    """Segment, run the extractors and assemble the records of one ingested document."""
    sections, warnings = segment(document)
    return assemble(document, sections, extract_entities(document.text, sections), warnings)
