"""Annotation-tool formats: records → spaCy DocBin / Label Studio / Prodigy, and back to gold.

Every task or Doc holds one case: the document's clean text from the case's span, re-read
from the source file (its sha256 must still match the run). Span offsets are character
offsets into that case text, so `case_offset = document_offset - record.span.start`.

Exported tasks carry a `casebook` hint block: for each pre-annotated span, the canonical
values the run linked it to. On import, a span whose (start, end, label) still matches a
hint gets those values back exactly; any other span (added or changed by an annotator) is
linked afresh: places through the gazetteer forms, then casebook's own recognisers over the
case text, figures and dates through the number grammar.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from . import __version__
from .errors import CasebookError
from .export import ExportError, ExportResult, number_text
from .outputs import write_atomic, write_json_atomic
from .records import RECORD_FIELDS, CaseRecord

# Record field → span label, in the order labels are offered to annotators.
LABELS = {
    "cities": "CITY",
    "regions": "REGION",
    "funds": "FUND",
    "priorities": "PRIORITY",
    "figures": "FIGURE",
    "dates": "DATE",
    "organisations": "ORG",
    "projects": "PROJECT",
}
FIELDS_BY_LABEL = {label: name for name, label in LABELS.items()}
SPAN_GROUP = "casebook"
HINT_KEY = "casebook"
# Gold sections list every field (an empty list is a claim that the case has none).
GOLD_FIELDS = RECORD_FIELDS
LABEL_STUDIO_FROM = "label"
LABEL_STUDIO_TO = "text"


class AnnotationError(CasebookError):
    """An annotation file cannot be read, or a case text cannot be rebuilt for export."""


@dataclass
class CaseSpan:
    """One pre-annotated span of a case text, with the run's values for it."""

    start: int
    end: int
    label: str
    values: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class AnnotatedCase:
    """A case as an annotation tool sees it: text, labelled spans, provenance."""

    record_id: str
    document: str
    case_number: int | None
    title: str | None
    text: str
    spans: list[CaseSpan]

    @property
    def meta(self) -> dict[str, Any]:
        return {
            "record_id": self.record_id,
            "document": self.document,
            "case_number": self.case_number,
            "title": self.title,
        }

    def hints(self) -> dict[str, Any]:
        return {
            "version": 1,
            "spans": [
                {"start": s.start, "end": s.end, "label": s.label, "values": s.values}
                for s in self.spans
            ],
        }


# --------------------------------------------------------------------------- case texts


def _resolve_document(path: str, run_dir: Path | None) -> Path:
    candidate = Path(path)
    if candidate.is_file():
        return candidate
    if run_dir is not None and not candidate.is_absolute():
        for base in (run_dir, run_dir.parent):
            if (base / candidate).is_file():
                return base / candidate
    raise AnnotationError(
        "source document not found (the case texts are re-read from it; run from the folder "
        "you extracted in)",
        path=path,
    )


def case_texts(
    records: list[CaseRecord], *, run_dir: Path | None = None, pdf_backend: str | None = None
) -> dict[str, str]:
    """record_id → the case's clean text, re-ingested from each record's source document."""
    from .ingest import ingest_file

    texts: dict[str, str] = {}
    by_path: dict[str, list[CaseRecord]] = {}
    for record in records:
        by_path.setdefault(record.document.path, []).append(record)
    for path, group in by_path.items():
        document = ingest_file(_resolve_document(path, run_dir), pdf_backend=pdf_backend)
        expected = group[0].document.sha256
        if document.sha256 != expected:
            raise AnnotationError(
                f"document changed since extraction (sha256 {document.sha256[:12]}, run has "
                f"{expected[:12]}); extract it again",
                path=path,
            )
        for record in group:
            for mention in record.iter_mentions():
                if document.text[mention.start : mention.end] != mention.text:
                    raise AnnotationError(
                        f"clean text differs from the run at {mention.start} ({mention.text!r}); "
                        "was it extracted with another PDF backend?",
                        path=path,
                    )
            texts[record.record_id] = document.text[record.span.start : record.span.end]
    return texts


def _values(record: CaseRecord, name: str) -> Iterable[tuple[Any, dict[str, Any]]]:
    """(mention, canonical value) pairs of one field."""
    if name in {"cities", "regions"}:
        for place in getattr(record, name):
            for mention in place.mentions:
                yield mention, {"name": place.name, "code": place.code}
    elif name == "funds":
        for fund in record.funds:
            for mention in fund.mentions:
                yield mention, {"code": fund.code, "name": fund.name}
    elif name == "priorities":
        for priority in record.priorities:
            for mention in priority.mentions:
                yield mention, {"scheme": priority.scheme, "code": priority.code}
    elif name in {"organisations", "projects"}:
        for entity in getattr(record, name):
            for mention in entity.mentions:
                yield mention, {"name": entity.name}
    elif name == "figures":
        for figure in record.figures:
            yield figure.mention, {"kind": figure.kind, "value": figure.value, "unit": figure.unit}
    else:
        for date in record.dates:
            yield date.mention, {"value": date.value}


def annotated_case(record: CaseRecord, text: str) -> AnnotatedCase:
    """The record's mentions as case-relative spans; one span per (start, end, label)."""
    spans: dict[tuple[int, int, str], CaseSpan] = {}
    offset = record.span.start
    for name, label in LABELS.items():
        for mention, value in _values(record, name):
            key = (mention.start - offset, mention.end - offset, label)
            span = spans.setdefault(key, CaseSpan(*key))
            if value not in span.values:
                span.values.append(value)
    ordered = sorted(spans.values(), key=lambda s: (s.start, s.end, s.label))
    return AnnotatedCase(
        record.record_id, record.document.path, record.case_number, record.title, text, ordered
    )


def annotated_cases(
    records: list[CaseRecord], *, run_dir: Path | None = None, pdf_backend: str | None = None
) -> list[AnnotatedCase]:
    texts = case_texts(records, run_dir=run_dir, pdf_backend=pdf_backend)
    return [annotated_case(record, texts[record.record_id]) for record in records]


# --------------------------------------------------------------------------- spaCy DocBin


def _kb_id(label: str, value: dict[str, Any]) -> str:
    """A span's canonical value as one string (spaCy's kb_id)."""
    if label in {"CITY", "REGION"}:
        return value["code"]
    if label == "FUND":
        return value["code"]
    if label == "PRIORITY":
        return f"{value['scheme']}:{value['code']}"
    if label == "FIGURE":
        return f"{value['unit']}:{number_text(value['value'])}"
    return str(value.get("value") or value.get("name"))


def case_doc(vocab, tokenizer, case: AnnotatedCase):  # -> spacy.tokens.Doc
    """A Doc of the case text whose tokens split at every span boundary, with the spans."""
    from spacy.tokens import Doc, Span

    boundaries = {edge for span in case.spans for edge in (span.start, span.end)}
    words: list[str] = []
    spaces: list[bool] = []
    for token in tokenizer(case.text):
        # The number grammar may start a figure inside a token ("10–15"): split it there.
        start, end = token.idx, token.idx + len(token.text)
        cuts = [start, *sorted(b for b in boundaries if start < b < end), end]
        for left, right in pairwise(cuts):
            words.append(case.text[left:right])
            spaces.append(False)
        spaces[-1] = bool(token.whitespace_)
    doc = Doc(vocab, words=words, spaces=spaces)
    spans = []
    for span in case.spans:
        for value in span.values:
            char_span = doc.char_span(span.start, span.end, label=span.label)
            if char_span is None:  # a span starting in whitespace: widen to whole tokens
                char_span = doc.char_span(
                    span.start, span.end, label=span.label, alignment_mode="expand"
                )
            if char_span is not None:
                spans.append(
                    Span(
                        doc,
                        char_span.start,
                        char_span.end,
                        label=span.label,
                        kb_id=_kb_id(span.label, value),
                    )
                )
    doc.spans[SPAN_GROUP] = spans
    doc.user_data.update(
        {
            "record_id": case.record_id,
            "document_path": case.document,
            "case_number": case.case_number,
            "title": case.title,
        }
    )
    return doc


def write_docbin(cases: list[AnnotatedCase], out: Path) -> list[Path]:
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("sv")
    doc_bin = DocBin(store_user_data=True)
    for case in cases:
        doc_bin.add(case_doc(nlp.vocab, nlp.tokenizer, case))
    write_atomic(out, doc_bin.to_bytes())
    return [out]


# --------------------------------------------------------------------------- Label Studio


def label_studio_config() -> str:
    """The labeling config a Label Studio project needs for these tasks."""
    labels = "\n".join(f'    <Label value="{label}"/>' for label in LABELS.values())
    return (
        "<View>\n"
        f'  <Labels name="{LABEL_STUDIO_FROM}" toName="{LABEL_STUDIO_TO}">\n'
        f"{labels}\n"
        "  </Labels>\n"
        f'  <Text name="{LABEL_STUDIO_TO}" value="$text"/>\n'
        "</View>\n"
    )


def label_studio_task(case: AnnotatedCase) -> dict[str, Any]:
    result = [
        {
            "id": f"cb{index}",
            "from_name": LABEL_STUDIO_FROM,
            "to_name": LABEL_STUDIO_TO,
            "type": "labels",
            "value": {
                "start": span.start,
                "end": span.end,
                "text": case.text[span.start : span.end],
                "labels": [span.label],
            },
        }
        for index, span in enumerate(case.spans, start=1)
    ]
    return {
        "data": {"text": case.text, **case.meta, HINT_KEY: case.hints()},
        "predictions": [{"model_version": f"casebook {__version__}", "result": result}],
    }


def prodigy_task(case: AnnotatedCase) -> dict[str, Any]:
    return {
        "text": case.text,
        "spans": [
            {
                "start": span.start,
                "end": span.end,
                "label": span.label,
                "text": case.text[span.start : span.end],
            }
            for span in case.spans
        ],
        "meta": case.meta,
        HINT_KEY: case.hints(),
    }


def _write_json_tasks(tasks: list[dict[str, Any]], out: Path, *, jsonl: bool) -> list[Path]:
    if jsonl:
        text = "".join(json.dumps(task, ensure_ascii=False) + "\n" for task in tasks)
        write_atomic(out, text.encode("utf-8"))
    else:
        write_json_atomic(out, tasks)
    return [out]


def export_annotations(
    records: list[CaseRecord],
    fmt: str,
    out: Path,
    *,
    run_dir: Path | None = None,
    pdf_backend: str | None = None,
) -> ExportResult:
    """Write records as DocBin / Label Studio tasks / Prodigy tasks (one per case)."""
    cases = annotated_cases(records, run_dir=run_dir, pdf_backend=pdf_backend)
    counts = {"cases": len(cases), "spans": sum(len(case.spans) for case in cases)}
    if fmt == "docbin":
        return ExportResult(fmt, write_docbin(cases, out), counts)
    if fmt == "labelstudio":
        # A JSON list is what Label Studio's importer takes; .jsonl gives one task per line.
        tasks = [label_studio_task(case) for case in cases]
        return ExportResult(
            fmt, _write_json_tasks(tasks, out, jsonl=out.suffix == ".jsonl"), counts
        )
    if fmt == "prodigy":
        tasks = [prodigy_task(case) for case in cases]
        return ExportResult(fmt, _write_json_tasks(tasks, out, jsonl=True), counts)
    raise ExportError(f"unknown annotation format {fmt!r}")


# --------------------------------------------------------------------------- reading tasks


@dataclass
class ImportResult:
    paths: list[Path]
    sections: int
    spans: int
    warnings: list[str] = field(default_factory=list)


def read_tasks(path: Path) -> list[dict[str, Any]]:
    """A JSON list of tasks, or JSONL with one task per line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise AnnotationError("annotation file not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AnnotationError(f"cannot read annotation file: {exc}", path=str(path)) from None
    if text.lstrip().startswith("["):
        try:
            tasks = json.loads(text)
        except json.JSONDecodeError as exc:
            raise AnnotationError(f"not valid JSON: {exc}", path=str(path)) from None
    else:
        tasks = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                tasks.append(json.loads(line))
            except json.JSONDecodeError:
                raise AnnotationError(f"line {number} is not valid JSON", path=str(path)) from None
    if not all(isinstance(task, dict) for task in tasks):
        raise AnnotationError("every task must be a JSON object", path=str(path))
    return tasks


@dataclass
class _Task:
    index: int
    text: str
    meta: dict[str, Any]
    spans: list[tuple[int, int, str]]
    hints: dict[tuple[int, int, str], list[dict[str, Any]]]


def _hints(block: Any) -> dict[tuple[int, int, str], list[dict[str, Any]]]:
    if not isinstance(block, dict):
        return {}
    return {
        (int(s["start"]), int(s["end"]), str(s["label"])): list(s.get("values") or [])
        for s in block.get("spans", [])
        if isinstance(s, dict) and {"start", "end", "label"} <= s.keys()
    }


def _label_studio_results(task: dict[str, Any], unreviewed: list[int], index: int) -> list[dict]:
    annotations = [
        a
        for a in task.get("annotations") or []
        if isinstance(a, dict) and not a.get("was_cancelled")
    ]
    if annotations:
        # Several annotators: the most recently updated annotation is the correction to keep.
        latest = max(enumerate(annotations), key=lambda p: (p[1].get("updated_at") or "", p[0]))
        return list(latest[1].get("result") or [])
    predictions = task.get("predictions") or []
    if predictions:
        unreviewed.append(index)
        return list(predictions[0].get("result") or [])
    if isinstance(task.get("label"), list):  # Label Studio's JSON-MIN export
        return [
            {"type": "labels", "value": item} for item in task["label"] if isinstance(item, dict)
        ]
    return []


def _parse_label_studio(task: dict[str, Any], index: int, unreviewed: list[int]) -> _Task:
    data = task.get("data") if isinstance(task.get("data"), dict) else task
    spans = []
    for item in _label_studio_results(task, unreviewed, index):
        value = item.get("value") or {}
        if item.get("type", "labels") != "labels" or "start" not in value:
            continue
        for label in value.get("labels") or []:
            spans.append((int(value["start"]), int(value["end"]), str(label)))
    return _Task(index, data.get("text", ""), data, spans, _hints(data.get(HINT_KEY)))


def _parse_prodigy(task: dict[str, Any], index: int) -> _Task:
    meta = task.get("meta") if isinstance(task.get("meta"), dict) else {}
    spans = [
        (int(span["start"]), int(span["end"]), str(span["label"]))
        for span in task.get("spans") or []
        if isinstance(span, dict) and {"start", "end", "label"} <= span.keys()
    ]
    return _Task(index, task.get("text", ""), meta, spans, _hints(task.get(HINT_KEY)))


# --------------------------------------------------------------------------- linking values


_WHITESPACE = re.compile(r"\s+")
_MUNICIPAL_SUFFIX = re.compile(r"\s+(kommuns?|stads?)$", re.IGNORECASE)


class Linker:
    """Canonical values for annotated spans: gazetteer forms, then casebook's recognisers."""

    def __init__(self) -> None:
        from .gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
        self.cities: dict[str, set[str]] = {}
        self.regions: dict[str, set[str]] = {}
        for municipality in gazetteer.municipalities.values():
            for form in (municipality.name, gazetteer.genitive(municipality.name)):
                self.cities.setdefault(form.casefold(), set()).add(municipality.name)
        for form, (code, _kind) in gazetteer.forms.items():
            self.cities.setdefault(form.casefold(), set()).add(gazetteer.municipalities[code].name)
        for form, code in gazetteer.metro_areas.items():
            self.cities.setdefault(form.casefold(), set()).add(gazetteer.municipalities[code].name)
        for county in gazetteer.counties.values():
            for form in (county.name, county.short, county.region_org):
                self.regions.setdefault(form.casefold(), set()).add(county.name)
        for form, code in gazetteer.informal_areas.items():
            self.regions.setdefault(form.casefold(), set()).add(gazetteer.counties[code].name)
        for area in gazetteer.programme_areas.values():
            for form in (area.name, *area.aliases):
                self.regions.setdefault(form.casefold(), set()).add(area.name)
        self._docs: dict[str, Any] = {}

    def gazetteer_place(self, label: str, text: str) -> str | None:
        """The one place a surface form names, or None if unknown or ambiguous."""
        form = _WHITESPACE.sub(" ", text.strip()).casefold()
        index = self.cities if label == "CITY" else self.regions
        found = index.get(form)
        if not found and label == "CITY":
            found = index.get(_MUNICIPAL_SUFFIX.sub("", form))
        return next(iter(found)) if found and len(found) == 1 else None

    def _entities(self, text: str, field_name: str) -> list[tuple[int, int, dict[str, Any]]]:
        """casebook's own entities of one field in `text` (the pipeline loads on first use)."""
        from .assemble import unwrap_lines
        from .components.common import SPAN_KEYS
        from .nlp import load_nlp

        if text not in self._docs:
            self._docs[text] = load_nlp()(unwrap_lines(text))
        doc = self._docs[text]
        found = []
        for span in doc.spans.get(SPAN_KEYS[field_name], []):
            payload = dict(span._.cb or {})
            start = payload.pop("start", span.start_char)
            end = payload.pop("end", span.end_char)
            found.append((start, end, {"label": span.label_, "code": span.kb_id_, **payload}))
        return found

    def recognised(
        self, text: str, start: int, end: int, field_name: str, *, exact: bool = False
    ) -> list[dict[str, Any]]:
        """Entities of the field recognised in the case text over [start, end), else in the
        span text alone; the exact match first, else (unless `exact`) those overlapping most."""
        for context, offset in ((text, 0), (text[start:end], start)):
            best: list[tuple[int, dict[str, Any]]] = []
            for s, e, entity in self._entities(context, field_name):
                overlap = min(e + offset, end) - max(s + offset, start)
                same = (s + offset, e + offset) == (start, end)
                if same or (overlap > 0 and not exact):
                    best.append((10**9 if same else overlap, entity))
            if best:
                top = max(score for score, _ in best)
                return [entity for score, entity in best if score == top]
        return []


def _figure_value(value: float, unit: str) -> dict[str, Any]:
    from .evaluate import unit_class

    number = float(value)
    return {"value": int(number) if number.is_integer() else number, "unit": unit_class(unit)}


def _priority_values(scheme: str, code: str) -> list[str]:
    # Themes are not scored (pipeline.evaluate.record_values); ESF programme areas are written
    # "programområde N" as in the team's gold files.
    if scheme == "theme":
        return []
    return [f"programområde {code}" if scheme == "esf_programme_area" else code]


def _hint_values(label: str, hints: list[dict[str, Any]]) -> list[Any]:
    values: list[Any] = []
    for hint in hints:
        if label in {"CITY", "REGION", "ORG", "PROJECT"}:
            values.append(hint["name"])
        elif label == "FUND":
            values.append(hint["code"])
        elif label == "PRIORITY":
            values.extend(_priority_values(hint["scheme"], hint["code"]))
        elif label == "FIGURE":
            values.append(_figure_value(hint["value"], hint["unit"]))
        elif label == "DATE":
            values.append(hint["value"])
    return values


def link_span(
    linker: Linker, text: str, start: int, end: int, label: str
) -> tuple[list[Any], str | None]:
    """Gold values of one annotated span without a hint, and a warning if none were found."""
    field_name = FIELDS_BY_LABEL[label]
    surface = text[start:end]
    values: list[Any] = []
    if label in {"CITY", "REGION"}:
        place = linker.gazetteer_place(label, surface)
        values = (
            [place]
            if place
            else [e["label"] for e in linker.recognised(text, start, end, field_name)]
        )
    elif label == "FUND":
        values = [e["code"] for e in linker.recognised(text, start, end, field_name)]
    elif label == "PRIORITY":
        for entity in linker.recognised(text, start, end, field_name):
            values.extend(_priority_values(entity.get("scheme", ""), entity["code"]))
        if not values:
            return [], None  # a theme phrase or an unknown code: not a scored priority
    elif label == "FIGURE":
        from .figures import find_figures

        values = [_figure_value(hit.value, hit.unit) for hit in find_figures(surface)]
        if not values:
            values = [
                _figure_value(e["value"], e["unit"])
                for e in linker.recognised(text, start, end, field_name)
            ]
    elif label == "DATE":
        from .dates import find_dates

        values = [hit.value for hit in find_dates(surface)]
        if not values:
            values = [e["value"] for e in linker.recognised(text, start, end, field_name)]
    else:
        # Organisations and projects: the recogniser's canonical name for exactly this span
        # (nominative, alias → full name, spelling variants joined), else the name as written.
        values = [e["label"] for e in linker.recognised(text, start, end, field_name, exact=True)]
        values = values[:1] or [_WHITESPACE.sub(" ", surface.strip())]
    if not values:
        return [], f"{label} span {surface!r} at {start}: no {field_name} value found; left out"
    return values, None


# --------------------------------------------------------------------------- gold files


def _gold_section(task: _Task, linker: Linker, warnings: list[str]) -> dict[str, Any]:
    where = task.meta.get("record_id") or f"task {task.index}"
    values: dict[str, list[Any]] = {name: [] for name in GOLD_FIELDS}
    for start, end, label in sorted(set(task.spans)):
        if label not in FIELDS_BY_LABEL:
            warnings.append(f"{where}: unknown label {label!r} ignored")
            continue
        if not 0 <= start < end <= len(task.text):
            warnings.append(f"{where}: {label} span {start}:{end} outside the text ignored")
            continue
        hints = task.hints.get((start, end, label))
        if hints:
            found = _hint_values(label, hints)
        else:
            found, warning = link_span(linker, task.text, start, end, label)
            if warning:
                warnings.append(f"{where}: {warning}")
        for value in found:
            if value not in values[FIELDS_BY_LABEL[label]]:
                values[FIELDS_BY_LABEL[label]].append(value)
    return {"number": task.meta.get("case_number"), "title": task.meta.get("title"), **values}


def _gold_name(document: str, taken: set[str]) -> str:
    stem = Path(document).stem or "document"
    name = f"{stem}.gold.json"
    counter = 2
    while name in taken:  # two documents with one file name in different folders
        name = f"{stem}-{counter}.gold.json"
        counter += 1
    taken.add(name)
    return name


def import_annotations(path: str | Path, fmt: str, out_dir: str | Path) -> ImportResult:
    """Corrected Label Studio / Prodigy annotations → one gold file per document in out_dir."""
    path, out_dir = Path(path), Path(out_dir)
    if fmt not in {"labelstudio", "prodigy"}:
        raise AnnotationError(f"unknown annotation format {fmt!r} (labelstudio or prodigy)")
    warnings: list[str] = []
    unreviewed: list[int] = []  # Label Studio tasks without an annotation
    tasks: list[_Task] = []
    for index, raw in enumerate(read_tasks(path), start=1):
        if fmt == "prodigy":
            if raw.get("answer") in {"reject", "ignore"}:
                warnings.append(f"task {index}: answer {raw['answer']!r}, left out")
                continue
            task = _parse_prodigy(raw, index)
        else:
            task = _parse_label_studio(raw, index, unreviewed)
        if not isinstance(task.text, str) or not task.text:
            raise AnnotationError(f"task {index} has no text", path=str(path))
        if not task.meta.get("document"):
            raise AnnotationError(
                f"task {index} has no document path (export tasks with `casebook export`)",
                path=str(path),
            )
        tasks.append(task)
    if not tasks:
        raise AnnotationError("no annotated tasks found", path=str(path))
    if unreviewed:
        warnings.append(
            f"{len(unreviewed)} of {len(tasks)} tasks have no annotation; their pre-annotations "
            f"were used (tasks {', '.join(map(str, unreviewed[:10]))}"
            f"{', …' if len(unreviewed) > 10 else ''})"
        )
    linker = Linker()
    documents: dict[str, dict[Any, dict[str, Any]]] = {}
    for task in tasks:
        sections = documents.setdefault(str(task.meta["document"]), {})
        key = task.meta.get("record_id") or task.meta.get("case_number")
        if key in sections:
            warnings.append(f"task {task.index}: {key} annotated twice; the later task kept")
        sections[key] = _gold_section(task, linker, warnings)
    written: list[Path] = []
    taken: set[str] = set()
    out_dir.mkdir(parents=True, exist_ok=True)
    for document, sections in documents.items():
        ordered = sorted(
            sections.values(), key=lambda s: (s["number"] is not None, s["number"] or 0)
        )
        gold = {
            "file": Path(os.path.relpath(Path(document).resolve(), out_dir.resolve())).as_posix(),
            "source": f"casebook import-annotations --format {fmt} {path.name}",
            "has_exempel_headings": any(s["number"] is not None for s in ordered),
            "sections": ordered,
        }
        target = out_dir / _gold_name(document, taken)
        write_json_atomic(target, gold)
        written.append(target)
    spans = sum(len(task.spans) for task in tasks)
    return ImportResult(written, sum(len(s) for s in documents.values()), spans, warnings)
