"""Reading a run for review, and the self-contained review page (review.html).

The page is one HTML file with inline CSS, JS and SVG: it opens from disk, loads nothing.
Every piece of document text reaches it through `html.escape` (text nodes and attributes)
or `script_json` (data for the script), so a PDF can never inject markup or script.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .corrections import (
    FIELDS,
    SINGLE_MENTION_FIELDS,
    Correction,
    CorrectionError,
    item_mentions,
    load_corrections,
    resolve_value,
    value_key,
    value_label,
)
from .errors import CasebookError, UsageError
from .ingest import SourceDocument, read_bytes, sha256_of
from .outputs import write_atomic
from .records import CaseRecord, DocumentRef, read_records

RECORDS_FILE = "records.jsonl"
MANIFEST_FILE = "manifest.json"
CORRECTIONS_FILE = "corrections.jsonl"
REVIEW_FILE = "review.html"
MAX_EVIDENCE_LINKS = 8  # per value; a city named 60 times would bury the field list

# Field colours in the displaCy manner (its palette: GPE, LOC, EVENT, WORK_OF_ART, …).
FIELD_STYLE: dict[str, tuple[str, str, str]] = {
    # field: (heading, mark label, colour)
    "cities": ("Cities", "CITY", "#feca74"),
    "regions": ("Regions", "REGION", "#ff9561"),
    "funds": ("Funds", "FUND", "#ffeb80"),
    "priorities": ("Priorities", "PRIORITY", "#f0d0ff"),
    "figures": ("Figures", "FIGURE", "#e4e7d2"),
    "dates": ("Dates", "DATE", "#bfe1d9"),
    "organisations": ("Organisations", "ORG", "#7aecec"),
    "projects": ("Projects", "PROJECT", "#bfeeb7"),
}


# ---------------------------------------------------------------------------------------
# Reading a run


@dataclass
class Run:
    directory: Path
    records: list[CaseRecord]
    manifest: dict[str, Any]
    corrections: list[Correction] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Identifies this run's records: review decisions in the browser are kept under it."""
        digest = hashlib.sha256()
        for record in self.records:
            digest.update(record.to_json_line().encode("utf-8"))
        return f"{self.directory.name}:{digest.hexdigest()[:16]}"


def load_records(path: Path) -> list[CaseRecord]:
    """The records of a records.jsonl file; one-line usage errors naming the file and line."""
    return read_records(path, UsageError)


def load_run(run_dir: str | Path) -> Run:
    directory = Path(run_dir)
    if not directory.is_dir():
        raise UsageError("run folder not found", str(directory))
    records = load_records(directory / RECORDS_FILE)
    manifest: dict[str, Any] = {}
    manifest_path = directory / MANIFEST_FILE
    if manifest_path.exists():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UsageError(f"cannot read manifest: {exc}", str(manifest_path)) from None
    corrections_path = directory / CORRECTIONS_FILE
    corrections = load_corrections(corrections_path) if corrections_path.exists() else []
    return Run(directory, records, manifest, corrections)


@dataclass
class LoadedDocument:
    """A run's document re-read for review: its text, or why it cannot be shown."""

    ref: DocumentRef
    document: SourceDocument | None
    problem: str | None = None

    @property
    def text(self) -> str | None:
        return self.document.text if self.document is not None else None


def ingest_options(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """The run's own ingest options (PDF backend, page limit, OCR), so offsets line up."""
    options = manifest.get("options") or {}
    return {
        key: options[key]
        for key in ("pdf_backend", "max_pages", "ocr")
        if options.get(key) is not None
    }


def load_document(
    ref: DocumentRef, base_dirs: Sequence[Path] = (), options: Mapping[str, Any] | None = None
) -> LoadedDocument:
    """Re-ingest a record's document; refuse a file whose bytes changed since the run."""
    from .ingest import ingest_file

    path = Path(ref.path)
    candidates = [path] if path.is_absolute() else [path, *(base / path for base in base_dirs)]
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        return LoadedDocument(ref, None, f"{ref.path}: file not found; evidence text not shown")
    try:
        digest = sha256_of(read_bytes(found))
        if digest != ref.sha256:
            return LoadedDocument(
                ref,
                None,
                f"{ref.path}: file changed since the run (sha256 differs); evidence text not shown",
            )
        return LoadedDocument(ref, ingest_file(found, **dict(options or {})))
    except CasebookError as exc:
        return LoadedDocument(ref, None, f"{exc}; evidence text not shown")
    except Exception as exc:  # a PDF library failing on re-read must not stop the review
        message = f"{ref.path}: cannot re-read ({type(exc).__name__}: {exc})"
        return LoadedDocument(ref, None, f"{message}; evidence text not shown")


def search_dirs(run_dir: Path) -> tuple[Path, ...]:
    """Where a relative document path may start: the run's parent folders (outputs/x → .)."""
    resolved = run_dir.resolve()
    return (resolved.parent, resolved.parent.parent)


def load_documents(
    records: Iterable[CaseRecord],
    base_dirs: Sequence[Path] = (),
    options: Mapping[str, Any] | None = None,
) -> dict[str, LoadedDocument]:
    documents: dict[str, LoadedDocument] = {}
    for record in records:
        if record.document.id not in documents:
            documents[record.document.id] = load_document(record.document, base_dirs, options)
    return documents


def mention_problems(record: CaseRecord, text: str | None) -> int:
    """How many of a record's mentions do not match the re-read text (0 if there is none)."""
    if text is None:
        return 0
    return sum(text[m.start : m.end] != m.text for m in record.iter_mentions())


# ---------------------------------------------------------------------------------------
# Escaping


def esc(value: object) -> str:
    """Text node or attribute value: &, <, >, " and ' escaped; CR kept as a reference."""
    return html.escape(str(value), quote=True).replace("\r", "&#13;")


_SCRIPT_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_json(value: Any) -> str:
    """JSON that is safe inside <script>: no "</script>", "<!--" or line separators."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.translate(_SCRIPT_JSON_ESCAPES)


# ---------------------------------------------------------------------------------------
# Marked-up case text


@dataclass(frozen=True)
class Span:
    """One piece of evidence to mark: [start, end) in the clean text."""

    id: str
    field: str
    start: int
    end: int


@dataclass(frozen=True)
class Segment:
    """A stretch of text covered by the same set of spans (overlaps split into segments)."""

    start: int
    end: int
    spans: tuple[Span, ...]  # covering spans, longest first
    ends: tuple[Span, ...]  # spans that end with this segment (their label goes here)


def segments(
    start: int, end: int, spans: Sequence[Span], cuts: Iterable[int] = ()
) -> list[Segment]:
    """Split [start, end) at every span boundary (and at `cuts`, e.g. page starts).

    A sweep over the boundaries: linear in the number of spans plus the spans active at
    each point, so a long document with thousands of mentions stays fast.
    """
    inside = [s for s in spans if start <= s.start < s.end <= end]
    bounds = {start, end, *(c for c in cuts if start < c < end)}
    opening: dict[int, list[Span]] = {}
    for span in inside:
        bounds.update((span.start, span.end))
        opening.setdefault(span.start, []).append(span)
    active: dict[str, Span] = {}
    result: list[Segment] = []
    for a, b in itertools.pairwise(sorted(bounds)):
        for span in opening.get(a, ()):
            active[span.id] = span
        covering = sorted(active.values(), key=lambda s: (-(s.end - s.start), s.start, s.id))
        result.append(Segment(a, b, tuple(covering), tuple(s for s in covering if s.end == b)))
        for span in [s for s in covering if s.end == b]:
            del active[span.id]
    return result


# A blank line ends a paragraph; single line breaks are layout (hard-wrapped lines).
_PARAGRAPH_BREAK = re.compile(r"(\n[ \t\u00a0]*\n\s*)")


def _flowing(raw: str) -> str:
    """Escaped text whose paragraph breaks get an empty block element after them.

    The page shows text with collapsed white space (so hard-wrapped lines flow); the break
    elements carry no text, so the text content (and every offset) stays the clean text.
    """
    pieces = _PARAGRAPH_BREAK.split(raw)
    return "".join(
        esc(piece) + ('<span class="pb"></span>' if index % 2 else "")
        for index, piece in enumerate(pieces)
    )


def _text_html(
    text: str, start: int, end: int, spans: Sequence[Span], page_starts: Mapping[int, int]
) -> str:
    parts: list[str] = []
    for segment in segments(start, end, spans, page_starts):
        if segment.start in page_starts:
            parts.append(f'<span class="pg" data-page="{page_starts[segment.start]}"></span>')
        piece = _flowing(text[segment.start : segment.end])
        if not segment.spans:
            parts.append(piece)
            continue
        ids = " ".join(span.id for span in segment.spans)
        main = segment.spans[0].field
        label = " · ".join(dict.fromkeys(FIELD_STYLE[s.field][1] for s in segment.ends))
        label_attr = f' data-label="{esc(label)}"' if label else ""
        parts.append(f'<mark class="ent f-{main}" data-m="{esc(ids)}"{label_attr}>{piece}</mark>')
    return "".join(parts)


# ---------------------------------------------------------------------------------------
# Charts and map (inline SVG)


def bar_chart(title: str, counts: Sequence[tuple[str, int]], colour: str, limit: int = 12) -> str:
    rows = list(counts)[:limit]
    width, label_width, row_height = 380, 175, 20
    more = len(counts) > limit
    height = 28 + row_height * max(len(rows), 1) + (14 if more else 0)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' role="img" aria-label="{esc(title)}">',
        f'<text x="0" y="16" class="chart-title">{esc(title)}</text>',
    ]
    if not rows:
        parts.append('<text x="0" y="40" class="muted">none</text>')
    top = max((n for _, n in rows), default=1)
    for index, (label, count) in enumerate(rows):
        y = 26 + index * row_height
        bar = max(2.0, (width - label_width - 40) * count / top)
        short = label if len(label) <= 27 else label[:26] + "…"
        parts.append(
            f"<g><title>{esc(label)}: {count}</title>"
            f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end">{esc(short)}</text>'
            f'<rect x="{label_width}" y="{y + 2}" width="{bar:.1f}" height="{row_height - 6}"'
            f' rx="2" fill="{colour}"/>'
            f'<text x="{label_width + bar + 5:.1f}" y="{y + 13}">{count}</text></g>'
        )
    if more:
        parts.append(
            f'<text x="0" y="{height - 2}" class="muted">+ {len(counts) - limit} more</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _outline() -> dict[str, list[list[float]]]:
    data = json.loads(
        resources.files("pipeline").joinpath("review_assets/sweden_outline.json").read_text("utf-8")
    )
    return data["polygons"]


class MapProjection:
    """Equirectangular projection, x scaled by cos(62°) so Sweden keeps its shape."""

    def __init__(self, polygons: Mapping[str, list[list[float]]], height: float = 520) -> None:
        points = [p for poly in polygons.values() for p in poly]
        self.lon0 = min(p[0] for p in points)
        self.lat1 = max(p[1] for p in points)
        self.kx = math.cos(math.radians(62.0))
        span_y = self.lat1 - min(p[1] for p in points)
        self.scale = (height - 20) / span_y
        self.height = height
        self.width = (max(p[0] for p in points) - self.lon0) * self.kx * self.scale + 20

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            10 + (lon - self.lon0) * self.kx * self.scale,
            10 + (self.lat1 - lat) * self.scale,
        )


def sweden_map(cities: Sequence[tuple[str, float, float, int]]) -> str:
    """Sweden's outline with a dot per case city, area by number of cases."""
    polygons = _outline()
    project = MapProjection(polygons)
    width, height = project.width + 70, project.height
    parts = [
        f'<svg class="map" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}"'
        f' height="{height:.0f}" role="img" aria-label="Map of Sweden with the case cities">'
    ]
    for name, polygon in polygons.items():
        points = " ".join("{:.1f},{:.1f}".format(*project(lon, lat)) for lon, lat in polygon)
        parts.append(f'<polygon class="land" data-part="{esc(name)}" points="{points}"/>')
    top = max((n for *_, n in cities), default=1)
    placed = sorted(cities, key=lambda c: (-c[3], c[0]))
    dots = []
    for name, lat, lon, count in placed:
        x, y = project(lon, lat)
        dots.append((name, count, x, y, 3 + 6 * math.sqrt(count / top)))
    # Labels avoid every dot but their own and every label placed before them.
    boxes = {name: (x - r, y - r, x + r, y + r) for name, _, x, y, r in dots}
    labels: list[tuple[float, float, float, float]] = []

    def free(box: tuple[float, float, float, float], own: str) -> bool:
        if box[0] < 1 or box[2] > width - 1 or box[1] < 1 or box[3] > height - 1:
            return False
        others = [b for n, b in boxes.items() if n != own] + labels
        return not any(
            box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in others
        )

    for name, count, x, y, radius in dots:
        parts.append(
            f'<g class="city"><title>{esc(name)}: {count} case{"s" if count != 1 else ""}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}"/>'
        )
        width_px = 6.6 * len(name) + 4  # generous: labels must not leave the map
        for lx, ly, anchor in (
            (x + radius + 3, y + 4, "start"),
            (x - radius - 3, y + 4, "end"),
            (x + radius + 2, y + 15, "start"),
            (x + radius + 2, y - 7, "start"),
            (x - radius - 2, y + 15, "end"),
            (x - radius - 2, y - 7, "end"),
        ):
            left = lx if anchor == "start" else lx - width_px
            box = (left, ly - 10, left + width_px, ly + 2)
            if len(labels) < 14 and free(box, name):
                labels.append(box)
                parts.append(
                    f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">{esc(name)}</text>'
                )
                break
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


@dataclass
class Overview:
    cities: list[tuple[str, float, float, int]]
    per_city: list[tuple[str, int]]
    per_county: list[tuple[str, int]]
    per_fund: list[tuple[str, int]]
    per_theme: list[tuple[str, int]]


def overview(records: Sequence[CaseRecord]) -> Overview:
    """Cases per city, county, fund and theme (a case counts once per value)."""
    from .gazetteer import load_gazetteer

    gaz = load_gazetteer()
    city_counts: Counter[str] = Counter()
    county_counts: Counter[str] = Counter()
    fund_counts: Counter[str] = Counter()
    theme_counts: Counter[str] = Counter()
    for record in records:
        city_counts.update({city.code for city in record.cities})
        counties = {
            gaz.municipalities[c.code].county_code
            for c in record.cities
            if c.code in gaz.municipalities
        }
        counties.update(r.code for r in record.regions if r.code in gaz.counties)
        county_counts.update(counties)
        fund_counts.update({fund.code for fund in record.funds})
        theme_counts.update({p.name for p in record.priorities if p.scheme == "theme"})

    def ranked(counter: Counter[str], name: Any) -> list[tuple[str, int]]:
        return sorted(((name(k), n) for k, n in counter.items()), key=lambda kv: (-kv[1], kv[0]))

    def city_name(code: str) -> str:
        town = gaz.municipalities.get(code)
        return town.name if town else code

    def county_name(code: str) -> str:
        county = gaz.counties.get(code)
        return county.name if county else code

    cities = [
        (town.name, town.lat, town.lon, n)
        for code, n in city_counts.items()
        if (town := gaz.municipalities.get(code)) is not None
    ]
    return Overview(
        sorted(cities),
        ranked(city_counts, city_name),
        ranked(county_counts, county_name),
        ranked(fund_counts, str),
        ranked(theme_counts, str),
    )


# ---------------------------------------------------------------------------------------
# The page


def _asset(name: str) -> str:
    return resources.files("pipeline").joinpath(f"review_assets/{name}").read_text("utf-8")


def _pages_text(pages: Sequence[int]) -> str:
    if not pages:
        return ""
    if len(pages) == 1:
        return f"p. {pages[0]}"
    return f"pp. {pages[0]}–{pages[-1]}"


def _confirmed_keys(corrections: Sequence[Correction]) -> set[tuple[str, str, str]]:
    """(record, field, key) a reviewer accepted, edited or added in an applied decision."""
    keys: set[tuple[str, str, str]] = set()
    for c in corrections:
        value = {"accept": c.value, "add": c.value, "edit": c.new_value}.get(c.action)
        if value is None:
            continue
        keys.add((c.record_id, c.field, value))
        with contextlib.suppress(CorrectionError):
            keys.add((c.record_id, c.field, value_key(c.field, resolve_value(c.field, value))))
    return keys


class _PageBuilder:
    def __init__(self, run: Run, documents: Mapping[str, LoadedDocument]) -> None:
        self.run = run
        self.documents = documents
        self.confirmed = _confirmed_keys(run.corrections)
        self.values: dict[str, dict[str, Any]] = {}
        self.value_count = 0
        self.mention_count = 0

    def value_id(self) -> str:
        self.value_count += 1
        return f"v{self.value_count}"

    def mention_id(self) -> str:
        self.mention_count += 1
        return f"m{self.mention_count}"

    def case(self, record: CaseRecord) -> str:
        loaded = self.documents.get(record.document.id)
        text = loaded.text if loaded else None
        bad_mentions = mention_problems(record, text)
        spans: list[Span] = []
        field_rows: list[str] = []
        for name in FIELDS:
            items = getattr(record, name)
            heading, _, colour = FIELD_STYLE[name]
            values_html: list[str] = []
            for item in items:
                vid = self.value_id()
                mentions = item_mentions(name, item)
                ids: list[str] = []
                links: list[str] = []
                for mention in mentions:
                    mid = self.mention_id()
                    ids.append(mid)
                    if text is not None and text[mention.start : mention.end] == mention.text:
                        spans.append(Span(mid, name, mention.start, mention.end))
                    if len(links) >= MAX_EVIDENCE_LINKS:
                        continue  # all stay marked; the value link highlights every one
                    page = f"p. {mention.page}" if mention.page else "text"
                    links.append(
                        f'<a class="ev-link" href="#{mid}" data-m="{mid}"'
                        f' title="{esc(mention.text)}">{esc(page)}</a>'
                    )
                if len(mentions) > len(links):
                    links.append(f'<span class="muted">+{len(mentions) - len(links)}</span>')
                key = value_key(name, item)
                first = mentions[0]
                self.values[vid] = {
                    "record_id": record.record_id,
                    "field": name,
                    "value": key,
                    "label": value_label(name, item),
                    "evidence": {"start": first.start, "end": first.end, "text": first.text},
                    "case_start": record.span.start,
                    "document_path": record.document.path,
                    "single": name in SINGLE_MENTION_FIELDS,
                }
                detail = self._detail(name, item)
                confirmed = (record.record_id, name, key) in self.confirmed
                badge = '<span class="badge ok" title="confirmed by a reviewer">✓</span>'
                values_html.append(
                    f'<li class="value{" confirmed" if confirmed else ""}" id="{vid}"'
                    f' data-v="{vid}">'
                    f'<a class="val" href="#{ids[0]}" data-m="{" ".join(ids)}"'
                    f' style="--c:{colour}">{esc(value_label(name, item))}</a>'
                    f"{badge if confirmed else ''}"
                    f"{f' <span class=detail>{esc(detail)}</span>' if detail else ''}"
                    f' <span class="evs">{" ".join(links)}</span>'
                    '<span class="actions">'
                    '<button type="button" class="act" data-act="accept" title="Accept">✓</button>'
                    '<button type="button" class="act" data-act="reject" title="Reject">✗</button>'
                    '<button type="button" class="act" data-act="edit" title="Edit">✎</button>'
                    "</span></li>"
                )
            count = f'<span class="n">{len(items)}</span>' if items else ""
            field_rows.append(
                f'<tr data-field="{name}"><th><span class="lbl" style="--c:{colour}">'
                f"{esc(heading)}</span>{count}</th>"
                f'<td><ul class="values">{"".join(values_html)}</ul>'
                f"{'' if items else '<span class=muted>—</span>'}</td></tr>"
            )

        number = f"Exempel {record.case_number}" if record.case_number is not None else "Document"
        title = f"{number}: {record.title}" if record.title else number
        warnings = list(record.warnings)
        problem = loaded.problem if loaded else "document not loaded"
        notes: list[str] = []
        if problem:
            notes.append(problem)
        if bad_mentions:
            notes.append(
                f"{bad_mentions} mention(s) do not match the re-read text"
                " (was the run made with another PDF backend?); they are not marked"
            )
        warn_html = ""
        if warnings or notes:
            items_html = "".join(f"<li>{esc(w)}</li>" for w in warnings)
            items_html += "".join(f'<li class="problem">{esc(n)}</li>' for n in notes)
            warn_html = (
                f'<div class="warnings"><strong>⚠ {len(warnings) + len(notes)}'
                f" warning{'s' if len(warnings) + len(notes) != 1 else ''}</strong>"
                f"<ul>{items_html}</ul></div>"
            )
        if text is not None:
            page_starts = {}
            if loaded and loaded.document is not None:
                page_starts = {
                    page.start: page.number
                    for page in loaded.document.pages
                    if record.span.start < page.start < record.span.end
                }
                first_page = loaded.document.page_at(record.span.start)
                if first_page is not None and len(loaded.document.pages) > 1:
                    page_starts[record.span.start] = first_page
            body = _text_html(text, record.span.start, record.span.end, spans, page_starts)
            text_html = (
                f'<div class="text" data-start="{record.span.start}"'
                f' data-end="{record.span.end}">{body}</div>'
            )
        else:
            text_html = '<div class="text missing">Case text not available.</div>'
        reviewed = '<span class="badge ok">reviewed</span>' if record.reviewed else ""
        meta = (
            f'<span class="doc" title="sha256 {esc(record.document.sha256)}">'
            f"{esc(record.document.path)}</span> · {esc(_pages_text(record.span.pages))}"
            f" · <code>{esc(record.record_id)}</code> {reviewed}"
        )
        options = "".join(
            f'<option value="{name}">{esc(FIELD_STYLE[name][0])}</option>' for name in FIELDS
        )
        add_panel = (
            '<form class="add-panel" hidden>'
            '<span class="add-title">Add a value from the selection '
            '<q class="sel"></q></span>'
            f'<label>Field <select name="field">{options}</select></label>'
            '<label>Value <input name="value" list="" autocomplete="off"></label>'
            '<label>Note <input name="note" autocomplete="off"></label>'
            '<button type="submit" class="add-ok">Add</button>'
            '<button type="button" class="add-cancel">Cancel</button></form>'
        )
        flagged = " flagged" if warn_html else ""
        return (
            f'<article class="case{flagged}" id="case-{esc(record.record_id)}"'
            f' data-record="{esc(record.record_id)}" data-start="{record.span.start}"'
            f' data-path="{esc(record.document.path)}">'
            f"<header><h2>{esc(title)}</h2><div class=meta>{meta}</div></header>"
            f"{warn_html}"
            f'<div class="body"><table class="fields">{"".join(field_rows)}</table>'
            f'<div class="text-col"><ul class="added"></ul>{add_panel}{text_html}</div></div>'
            "</article>"
        )

    @staticmethod
    def _detail(name: str, item: Any) -> str:
        if name in {"cities", "regions", "funds"}:
            return item.code if name != "funds" else item.name
        if name == "priorities":
            return f"{item.scheme}:{item.code}"
        if name == "figures":
            bits = [item.kind]
            if item.range_part:
                bits.append(f"range {item.range_part}")
            if item.context:
                bits.append(item.context)
            return " · ".join(bits)
        if name == "dates":
            return item.kind if item.kind != "date" else ""
        return item.kind or ""


def _overview_html(run: Run, documents: Mapping[str, LoadedDocument]) -> str:
    manifest = run.manifest
    inputs = manifest.get("inputs", [])
    records = run.records
    warnings_total = sum(len(r.warnings) for r in records)
    errors = [i for i in inputs if i.get("status") == "error"]
    skipped = [i for i in inputs if i.get("status") == "skipped"]
    doc_count = manifest.get("documents", len({r.document.id for r in records}))
    tiles = [
        ("documents", doc_count),
        ("cases", len(records)),
        ("warnings", warnings_total),
        ("errors", len(errors)),
        ("skipped", len(skipped)),
        ("reviewed", sum(r.reviewed for r in records)),
    ]
    tiles_html = "".join(
        f'<div class="tile{" bad" if name == "errors" and n else ""}" data-tile="{name}">'
        f"<b>{n}</b><span>{name}</span></div>"
        for name, n in tiles
    )
    stats = overview(records)
    charts = "".join(
        [
            bar_chart("Cases per county", stats.per_county, FIELD_STYLE["regions"][2]),
            bar_chart("Cases per city", stats.per_city, FIELD_STYLE["cities"][2]),
            bar_chart("Cases per fund", stats.per_fund, FIELD_STYLE["funds"][2]),
            bar_chart("Cases per theme", stats.per_theme, "#c9a8f5"),
        ]
    )
    doc_rows = []
    for entry in inputs:
        status = entry.get("status", "?")
        message = entry.get("error") or ""
        doc_warnings = entry.get("warnings") or []
        doc_rows.append(
            f'<tr class="st-{esc(status)}"><td>{esc(entry.get("path", ""))}</td>'
            f"<td>{esc(status)}</td><td>{esc(entry.get('cases', ''))}</td>"
            f"<td>{esc(entry.get('pages') if entry.get('pages') is not None else '')}</td>"
            f"<td>{esc(message)}"
            + "".join(f'<div class="muted">⚠ {esc(w)}</div>' for w in doc_warnings)
            + "</td></tr>"
        )
    problems = [d.problem for d in documents.values() if d.problem]
    problems_html = (
        '<div class="warnings"><strong>Documents not shown</strong><ul>'
        + "".join(f"<li>{esc(p)}</li>" for p in problems)
        + "</ul></div>"
        if problems
        else ""
    )
    docs_table = (
        '<details class="docs"'
        + (" open" if errors or skipped else "")
        + f"><summary>Documents ({len(inputs)})</summary>"
        "<table><tr><th>path</th><th>status</th><th>cases</th><th>pages</th>"
        "<th>errors / warnings</th></tr>" + "".join(doc_rows) + "</table></details>"
        if inputs
        else '<p class="muted">No manifest.json in this run.</p>'
    )
    toc = "".join(
        f'<li><a href="#case-{esc(r.record_id)}">'
        f"{esc(r.case_number if r.case_number is not None else '–')}</a>"
        f" {esc((r.title or r.document.path)[:90])}"
        f"{' <span class=warn-dot title=warnings>⚠</span>' if r.warnings else ''}</li>"
        for r in records
    )
    return (
        f'<section id="overview"><div class="tiles">{tiles_html}</div>{problems_html}'
        f'<div class="figures-row"><div class="map-box">{sweden_map(stats.cities)}</div>'
        f'<div class="charts">{charts}</div></div>{docs_table}'
        f'<details class="toc"><summary>Cases ({len(records)})</summary><ol>{toc}</ol>'
        "</details></section>"
    )


def _datalists() -> str:
    """Known values per field, offered while typing a value to add."""
    from .gazetteer import load_gazetteer

    gaz = load_gazetteer()
    forms: dict[str, list[str]] = {
        "cities": sorted(m.name for m in gaz.municipalities.values()),
        "regions": sorted(
            [c.name for c in gaz.counties.values()] + [a.name for a in gaz.programme_areas.values()]
        ),
    }
    try:
        from .corrections import _fund_index, _priority_index

        forms["funds"] = sorted({code for code, _ in _fund_index()[0].values()})
        forms["priorities"] = sorted(
            {f"{scheme}:{code}" for scheme, code, _ in _priority_index()[0].values()}
        )
    except CasebookError:  # optional help only
        pass
    return "".join(
        f'<datalist id="dl-{name}">'
        + "".join(f'<option value="{esc(v)}"></option>' for v in values)
        + "</datalist>"
        for name, values in forms.items()
    )


def render_review(run: Run, documents: Mapping[str, LoadedDocument]) -> str:
    """The whole review page as one string (deterministic for the same run)."""
    builder = _PageBuilder(run, documents)
    cases = "".join(builder.case(record) for record in run.records)
    data = {
        "run_key": run.key,
        "run": run.directory.name,
        "fields": {name: list(style) for name, style in FIELD_STYLE.items()},
        "values": builder.values,
    }
    version = run.manifest.get("pipeline_version")
    subtitle = f"{run.directory} · {len(run.records)} cases" + (
        f" · pipeline {version}" if version else ""
    )
    field_css = "".join(
        f".f-{name}{{--c:{colour}}}" for name, (_, _, colour) in FIELD_STYLE.items()
    )
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>casebook review: {esc(run.directory.name)}</title>"
        f"<style>{_asset('review.css')}{field_css}</style></head><body>"
        '<header class="top"><div><h1>casebook review</h1>'
        f'<div class="subtitle">{esc(subtitle)}</div></div>'
        '<div class="toolbar"><span id="decision-count">No decisions yet</span>'
        '<button type="button" id="export">Export corrections</button>'
        '<button type="button" id="clear">Clear decisions</button></div></header>'
        f"<main>{_overview_html(run, documents)}"
        f'<section id="cases">{cases}</section></main>'
        f"{_datalists()}"
        f'<script type="application/json" id="casebook-data">{script_json(data)}</script>'
        f"<script>{_asset('review.js')}</script></body></html>\n"
    )


def write_review(
    run_dir: str | Path, out: str | Path | None = None, base_dirs: Sequence[Path] = ()
) -> tuple[Path, Run, dict[str, LoadedDocument]]:
    """Write the run's review page atomically; return where, the run and its documents."""
    run = load_run(run_dir)
    bases = (*base_dirs, *search_dirs(run.directory))
    documents = load_documents(run.records, bases, ingest_options(run.manifest))
    target = Path(out) if out is not None else run.directory / REVIEW_FILE
    write_atomic(target, render_review(run, documents).encode("utf-8"))
    return target, run, documents
