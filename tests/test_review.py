"""The review page without a browser: escaping, text offsets, overview, map, CLI."""

from __future__ import annotations

import itertools
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.corrections import FIELDS as FIELD_NAMES
from pipeline.corrections import Correction, apply_corrections
from pipeline.gazetteer import load_gazetteer
from pipeline.ingest import ingest_file
from pipeline.review import (
    Span,
    _outline,
    load_documents,
    load_run,
    render_review,
    script_json,
    segments,
    write_review,
)
from tests.test_corrections import REPORT, build_records, make_run, write_run

INJECTION = """Exempel 1: Stöd till </script><script>alert(2)</script> i Göteborg

Göteborgs Stad beskrev verktyget <script>alert(1)</script> i sin ansökan till regionalfonden.
Bilden <img src=x onerror=alert(1)> visades på en konferens i Malmö hösten 2018.
Ett citat: "><svg onload=alert(3)> och &amp; &lt;b&gt; som text.
"""


class PageParser(HTMLParser):
    """Collects what a browser would build: elements, attributes, and case text content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.texts: list[str] = []  # text content of each div.text
        self._script: list[str] | None = None
        self._depth = 0  # open elements inside the current div.text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self._script = []
        if self._depth:
            self._depth += 1
        elif tag == "div" and "text" in (attributes.get("class") or "").split():
            self._depth = 1
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None
        if self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
        elif self._depth:
            self.texts[-1] += data


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture
def injection_run(tmp_path: Path) -> tuple[Path, str]:
    """A run over a document full of markup, with an organisation whose name is markup."""
    source = tmp_path / "injektion.txt"
    source.write_text(INJECTION, encoding="utf-8")
    doc = ingest_file(source)
    text = doc.text
    img = "<img src=x onerror=alert(1)>"
    start = text.index(img)
    title_end = text.index("\n")
    record = {
        "record_id": f"{doc.id}:1",
        "document": {"id": doc.id, "path": doc.path, "sha256": doc.sha256, "pages": 1},
        "case_number": 1,
        "title": text[len("Exempel 1: ") : title_end],
        "span": {"start": 0, "end": len(text), "pages": [1]},
        "organisations": [
            {
                "name": img,
                "mentions": [{"text": img, "start": start, "end": start + len(img), "page": 1}],
            }
        ],
        "warnings": ['"><svg onload=alert(3)> in a warning'],
    }
    from pipeline.records import CaseRecord

    records = [CaseRecord.model_validate(record, context={"text": text})]
    return write_run(tmp_path / "run", doc, records), text


def test_document_text_is_escaped_everywhere(injection_run):
    run_dir, text = injection_run
    target, _, _ = write_review(run_dir)
    page = target.read_text(encoding="utf-8")
    for raw in ("<script>alert", "<img src", "<svg onload", "</script><script>alert"):
        assert raw not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&amp;amp; &amp;lt;b&amp;gt;" in page  # entity-looking text stays text
    parsed = parse(page)
    assert [tag for tag, _ in parsed.tags if tag in {"img", "svg"}].count("img") == 0
    handlers = [
        (tag, name) for tag, attrs in parsed.tags for name in attrs if name.startswith("on")
    ]
    assert handlers == []
    # Exactly two scripts: the JSON data and the page's own code.
    assert len([tag for tag, _ in parsed.tags if tag == "script"]) == 2
    assert parsed.texts == [text]  # the literal text is the case text, character for character


def test_embedded_json_cannot_close_its_script_and_round_trips(injection_run):
    run_dir, _ = injection_run
    page = write_review(run_dir)[0].read_text(encoding="utf-8")
    match = re.search(
        r'<script type="application/json" id="casebook-data">(.*?)</script>', page, re.S
    )
    assert match is not None
    payload = match.group(1)
    assert "<" not in payload and ">" not in payload and "&" not in payload
    data = json.loads(payload)
    labels = [value["label"] for value in data["values"].values()]
    assert labels == ["<img src=x onerror=alert(1)>"]
    assert script_json("a\u2028b\u2029</script><!--&") == (
        '"a\\u2028b\\u2029\\u003c/script\\u003e\\u003c!--\\u0026"'
    )
    assert json.loads(script_json("a\u2028</script>")) == "a\u2028</script>"


def test_case_text_content_equals_the_clean_text_of_each_case(tmp_path):
    run_dir, doc = make_run(tmp_path)
    page = write_review(run_dir)[0].read_text(encoding="utf-8")
    records = build_records(doc)
    expected = [doc.text[r.span.start : r.span.end] for r in records]
    assert parse(page).texts == expected
    # Every value links to marks carrying its mention ids, and marks carry the field colour.
    assert page.count('class="ent f-cities"') >= 4
    assert 'data-label="CITY"' in page
    for record in records:
        assert f'data-record="{record.record_id}"' in page
        assert f'data-start="{record.span.start}"' in page


def test_overlapping_evidence_is_split_into_segments():
    spans = [Span("a", "organisations", 0, 10), Span("b", "cities", 0, 4)]
    parts = segments(0, 12, spans, cuts=[6])
    assert [(s.start, s.end) for s in parts] == [(0, 4), (4, 6), (6, 10), (10, 12)]
    assert [[x.id for x in s.spans] for s in parts] == [["a", "b"], ["a"], ["a"], []]
    assert [[x.id for x in s.ends] for s in parts] == [["b"], [], ["a"], []]


def test_overview_counts_cases_and_draws_the_case_cities(tmp_path):
    run_dir, _ = make_run(tmp_path)
    page = write_review(run_dir)[0].read_text(encoding="utf-8")
    tiles = dict(re.findall(r'data-tile="(\w+)"><b>(\d+)</b>', page))
    assert tiles == {
        "documents": "1",
        "cases": "2",
        "warnings": "1",
        "errors": "0",
        "skipped": "0",
        "reviewed": "0",
    }
    assert "<title>Göteborg: 1 case</title>" in page
    assert "<title>Malmö: 1 case</title>" in page
    assert page.count('<g class="city">') == 2
    assert "<title>Västra Götalands län: 1</title>" in page  # via the city Göteborg
    assert "<title>Skåne län: 1</title>" in page
    assert "<title>ERDF: 1</title>" in page and "<title>ESF: 1</title>" in page
    assert page.count('class="land"') == 3  # mainland, Gotland, Öland


def _inside(point: tuple[float, float], polygon: list[list[float]]) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[-1:] + polygon[:-1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def test_the_outline_of_sweden_holds_every_municipality():
    polygons = _outline()
    gaz = load_gazetteer()
    outside = [
        m.name
        for m in gaz.municipalities.values()
        if not any(_inside((m.lon, m.lat), p) for p in polygons.values())
    ]
    assert outside == []
    # and is not just a box: Oslo, Helsinki, Copenhagen and Riga lie outside it
    for lon, lat in ((10.75, 59.91), (24.94, 60.17), (12.57, 55.68), (24.1, 56.95)):
        assert not any(_inside((lon, lat), p) for p in polygons.values())


def test_missing_or_changed_documents_are_flagged_and_fields_still_shown(tmp_path):
    run_dir, doc = make_run(tmp_path)
    Path(doc.path).write_text(REPORT.replace("Malmö", "Lund"), encoding="utf-8")
    page = write_review(run_dir)[0].read_text(encoding="utf-8")
    assert "file changed since the run (sha256 differs)" in page
    assert "Case text not available." in page
    assert ">Malmö</a>" in page  # the values are listed all the same
    Path(doc.path).unlink()
    result = CliRunner().invoke(app, ["review", str(run_dir)])
    assert result.exit_code == 0, result.output
    assert "file not found" in result.output
    page = (run_dir / "review.html").read_text(encoding="utf-8")
    assert "file not found; evidence text not shown" in page


def test_page_marks_values_confirmed_by_stored_decisions(tmp_path):
    run_dir, doc = make_run(tmp_path)
    records = build_records(doc)
    accept = Correction(
        record_id=records[0].record_id,
        field="cities",
        value="1480",
        action="accept",
        evidence={"start": records[0].cities[0].mentions[0].start,
                  "end": records[0].cities[0].mentions[0].end, "text": "Göteborg"},
    )  # fmt: skip
    (run_dir / "corrections.jsonl").write_text(accept.to_json_line() + "\n", encoding="utf-8")
    corrected, _ = apply_corrections(records, [accept], {doc.id: doc.text})
    (run_dir / "records.jsonl").write_text(
        "".join(r.to_json_line() + "\n" for r in corrected), encoding="utf-8"
    )
    run = load_run(run_dir)
    page = render_review(run, load_documents(run.records))
    assert page.count('class="value confirmed"') == 1
    assert '<span class="badge ok">reviewed</span>' in page
    assert re.search(r'data-tile="reviewed"><b>1</b>', page)


def test_review_cli_writes_the_page_atomically_and_reports_usage_errors(tmp_path):
    run_dir, _ = make_run(tmp_path)
    runner = CliRunner()
    out = tmp_path / "elsewhere" / "page.html"
    result = runner.invoke(app, ["review", str(run_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert not list(out.parent.glob(".*.tmp"))  # no temp file left behind
    result = runner.invoke(app, ["review", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "run folder not found" in result.output
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["review", str(tmp_path / "empty")])
    assert result.exit_code == 2
    assert "no records.jsonl" in result.output


def test_page_is_deterministic_and_self_contained(tmp_path):
    run_dir, _ = make_run(tmp_path)
    first = write_review(run_dir)[0].read_bytes()
    second = write_review(run_dir)[0].read_bytes()
    assert first == second
    page = first.decode("utf-8")
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing fetched from anywhere
    assert "<link" not in page


@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.integers(1, 15), st.sampled_from(FIELD_NAMES)),
        max_size=12,
    ),
    st.lists(st.integers(0, 50), max_size=3),
)
def test_segments_cover_the_text_and_each_span_exactly(raw, cuts):
    spans = [Span(f"m{i}", field, a, a + n) for i, (a, n, field) in enumerate(raw)]
    parts = segments(0, 50, spans, cuts)
    assert parts[0].start == 0 and parts[-1].end == 50
    assert all(x.end == y.start for x, y in itertools.pairwise(parts))
    for span in spans:
        if span.end > 50:
            assert all(span not in p.spans for p in parts)
            continue
        covered = [p for p in parts if span in p.spans]
        assert (covered[0].start, covered[-1].end) == (span.start, span.end)
        assert sum(p.end - p.start for p in covered) == span.end - span.start
        assert [p for p in parts if span in p.ends] == [covered[-1]]
