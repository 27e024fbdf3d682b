"""Annotation-tool formats: DocBin / Label Studio / Prodigy exports and the way back to gold."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pipeline.annotations import AnnotationError, import_annotations
from pipeline.cli import app
from pipeline.evaluate import EvaluationReport, evaluate, score_document
from pipeline.export import export_run, load_records
from pipeline.ingest import ingest_file
from tests.conftest import SAMPLE
from tests.test_export import SWEDISH_DOCUMENT, SWEDISH_TITLE

runner = CliRunner()
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


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("annotations")
    extra = base / "fjallnara_entre.txt"
    extra.write_text(SWEDISH_DOCUMENT, encoding="utf-8")
    out = base / "run"
    result = runner.invoke(app, ["extract", str(SAMPLE), str(extra), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    raw = [json.loads(line) for line in (out / "records.jsonl").read_text("utf-8").splitlines()]
    clean = {str(p): ingest_file(p).text for p in (SAMPLE, extra)}
    for fmt in ("docbin", "labelstudio", "prodigy"):
        exported = runner.invoke(app, ["export", str(out), "--format", fmt])
        assert exported.exit_code == 0, exported.output
    return {"dir": out, "base": base, "raw": raw, "clean": clean, "extra": extra}


def case_text(run, record: dict[str, Any]) -> str:
    return run["clean"][record["document"]["path"]][record["span"]["start"] : record["span"]["end"]]


def expected_spans(record: dict[str, Any]) -> set[tuple[int, int, str]]:
    """(start, end, label) relative to the case text, from the record's raw JSON."""
    offset = record["span"]["start"]
    spans = set()
    for field, label in LABELS.items():
        for item in record[field]:
            for m in item.get("mentions") or [item["mention"]]:
                spans.add((m["start"] - offset, m["end"] - offset, label))
    return spans


def perfect(report: EvaluationReport) -> bool:
    return not report.differences and all(s.f1 == 1.0 for s in report.fields.values())


def score(run, gold_dir: Path) -> EvaluationReport:
    """Score each imported gold file against the run's own records."""
    records = load_records(run["dir"])
    report = EvaluationReport()
    for path in sorted(gold_dir.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        document = (path.parent / gold["file"]).resolve()
        mine = [r for r in records if Path(r.document.path).resolve() == document]
        assert mine, f"{path.name} points at {document}, not at a document of the run"
        score_document(report, path.name, gold, mine)
    return report


# --------------------------------------------------------------------------- exports


def test_docbin_loads_into_spacy_with_the_spans(run):
    import spacy
    from spacy.tokens import DocBin

    docs = list(DocBin().from_disk(run["dir"] / "cases.spacy").get_docs(spacy.blank("sv").vocab))
    assert len(docs) == len(run["raw"])
    for doc, record in zip(docs, run["raw"], strict=True):
        assert doc.text == case_text(run, record)
        assert doc.user_data["record_id"] == record["record_id"]
        spans = doc.spans["casebook"]
        assert {(s.start_char, s.end_char, s.label_) for s in spans} == expected_spans(record)
        for span in spans:
            assert span.text == doc.text[span.start_char : span.end_char]
        codes = {s.kb_id_ for s in spans if s.label_ == "CITY"}
        assert codes == {city["code"] for city in record["cities"]}
    swedish = next(doc for doc in docs if doc.user_data["title"] == SWEDISH_TITLE)
    assert "Fjällnära Entré" in {s.text for s in swedish.spans["casebook"] if s.label_ == "PROJECT"}


def test_label_studio_tasks_carry_pre_annotations(run):
    tasks = json.loads((run["dir"] / "labelstudio.json").read_text(encoding="utf-8"))
    assert len(tasks) == len(run["raw"])
    for task, record in zip(tasks, run["raw"], strict=True):
        text = task["data"]["text"]
        assert text == case_text(run, record)
        assert task["data"]["record_id"] == record["record_id"]
        result = task["predictions"][0]["result"]
        for region in result:
            assert (region["from_name"], region["to_name"], region["type"]) == (
                "label",
                "text",
                "labels",
            )
            value = region["value"]
            assert value["text"] == text[value["start"] : value["end"]]
        got = {(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in result}
        assert got == expected_spans(record)


def test_prodigy_tasks_are_jsonl_with_spans(run):
    lines = (run["dir"] / "prodigy.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(run["raw"])
    for line, record in zip(lines, run["raw"], strict=True):
        task = json.loads(line)
        assert task["text"] == case_text(run, record)
        assert task["meta"]["record_id"] == record["record_id"]
        assert {(s["start"], s["end"], s["label"]) for s in task["spans"]} == expected_spans(record)
    assert "Åre" in (run["dir"] / "prodigy.jsonl").read_text(encoding="utf-8")


def test_label_studio_jsonl_when_asked(run, tmp_path):
    out = tmp_path / "tasks.jsonl"
    export_run(run["dir"], "labelstudio", out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(run["raw"])
    assert json.loads(lines[0])["data"]["record_id"] == run["raw"][0]["record_id"]


# --------------------------------------------------------------------------- import


def _without_hints(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    tasks = copy.deepcopy(tasks)
    for task in tasks:
        task.get("data", task).pop("casebook")
    return tasks


@pytest.mark.parametrize("hints", [True, False], ids=["with-hints", "linked-afresh"])
@pytest.mark.parametrize("fmt", ["labelstudio", "prodigy"])
def test_tasks_reimport_to_gold_matching_the_run(run, tmp_path, fmt, hints):
    source = run["dir"] / ("labelstudio.json" if fmt == "labelstudio" else "prodigy.jsonl")
    if not hints:
        text = source.read_text(encoding="utf-8")
        tasks = (
            json.loads(text) if fmt == "labelstudio" else [json.loads(x) for x in text.splitlines()]
        )
        source = tmp_path / "tasks.jsonl"
        source.write_text(
            "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in _without_hints(tasks)),
            encoding="utf-8",
        )
    result = import_annotations(source, fmt, tmp_path / "gold")
    assert len(result.paths) == 2  # one gold file per document
    assert result.sections == len(run["raw"])
    report = score(run, tmp_path / "gold")
    assert perfect(report), [vars(d) for d in report.differences]
    assert report.sections.tp == len(run["raw"]) and report.titles.tp == len(run["raw"])
    gold = json.loads((tmp_path / "gold" / "fjallnara_entre.gold.json").read_text("utf-8"))
    assert set(gold) == {"file", "source", "has_exempel_headings", "sections"}
    section = gold["sections"][0]
    assert section["title"] == SWEDISH_TITLE
    assert section["cities"] == ["Åre", "Östersund"]
    assert section["projects"] == ["Fjällnära Entré"]
    assert {"value": 2500000, "unit": "SEK"} in section["figures"]


def _find(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def test_corrected_label_studio_annotations_become_gold(run, tmp_path):
    """An annotator's corrections (Label Studio JSON export) change the gold values."""
    tasks = json.loads((run["dir"] / "labelstudio.json").read_text(encoding="utf-8"))
    by_number = {
        task["data"]["case_number"]: task for task in tasks if "Åre" not in task["data"]["text"]
    }
    for task in tasks:
        task["annotations"] = [
            {
                "id": 1,
                "result": copy.deepcopy(task["predictions"][0]["result"]),
                "was_cancelled": False,
            }
        ]

    def regions(number: int) -> list[dict[str, Any]]:
        return by_number[number]["annotations"][0]["result"]

    def add(number: int, phrase: str, label: str) -> None:
        start, end = _find(by_number[number]["data"]["text"], phrase)
        value = {"start": start, "end": end, "text": phrase, "labels": [label]}
        regions(number).append(
            {"from_name": "label", "to_name": "text", "type": "labels", "value": value}
        )

    # Case 1: socialfonden is only a programme document here, not a fund of the case.
    by_number[1]["annotations"][0]["result"] = [
        r for r in regions(1) if "socialfond" not in r["value"]["text"].lower()
    ]
    # Case 2: the annotator counts Kommunstyrelsen as an organisation.
    add(2, "Kommunstyrelsen", "ORG")
    # Case 3: Röda korset relabelled from ORG to PROJECT.
    for region in regions(3):
        if region["value"]["text"] == "Röda korset":
            region["value"]["labels"] = ["PROJECT"]
    # Case 5: new spans with new boundaries, linked through the gazetteer and number grammar.
    add(5, "Norrköpings kommun", "CITY")
    add(5, "4 000 ton", "FIGURE")
    add(5, "Uppsala kommun", "REGION")  # not a region: no value, a warning
    # A cancelled annotation is ignored.
    by_number[4]["annotations"].append({"id": 2, "result": [], "was_cancelled": True})
    corrected = tmp_path / "export.json"
    corrected.write_text(json.dumps(_without_hints(tasks), ensure_ascii=False), encoding="utf-8")

    result = import_annotations(corrected, "labelstudio", tmp_path / "gold")
    gold = json.loads(
        (tmp_path / "gold" / "exempel_storstadsregioner.gold.json").read_text("utf-8")
    )
    sections = {s["number"]: s for s in gold["sections"]}
    raw = {r["case_number"]: r for r in run["raw"] if r["document"]["path"] == str(SAMPLE)}
    assert sections[1]["funds"] == ["ERDF"]
    assert sections[2]["organisations"] == ["Kommunstyrelsen"]
    assert "Röda korset" not in sections[3]["organisations"]
    assert "Röda korset" in sections[3]["projects"]
    assert sections[5]["cities"] == [c["name"] for c in raw[5]["cities"]]  # Norrköping known
    assert sections[5]["figures"] == [{"value": 4000, "unit": "quantity"}]
    assert sections[5]["regions"] == [r["name"] for r in raw[5]["regions"]]
    assert any("'Uppsala kommun'" in warning for warning in result.warnings)
    assert sections[4]["funds"] == [f["code"] for f in raw[4]["funds"]]  # cancelled: ignored


def test_imported_gold_scores_the_pipeline_perfectly(run, tmp_path):
    """The round trip ends in `casebook evaluate`: gold files from tasks are evaluation data."""
    result = runner.invoke(
        app,
        [
            "import-annotations",
            str(run["dir"] / "prodigy.jsonl"),
            "--format",
            "prodigy",
            "--out",
            str(tmp_path / "gold"),
        ],
    )
    assert result.exit_code == 0, result.output
    report = evaluate(sorted((tmp_path / "gold").glob("*.gold.json")))
    assert report.documents == 2 and not report.errors
    assert perfect(report), [vars(d) for d in report.differences]


def test_prodigy_rejected_tasks_are_left_out(run, tmp_path):
    lines = (run["dir"] / "prodigy.jsonl").read_text(encoding="utf-8").splitlines()
    tasks = [json.loads(line) for line in lines]
    tasks[0]["answer"] = "reject"
    tasks[1]["answer"] = "accept"
    source = tmp_path / "db-out.jsonl"
    source.write_text("".join(json.dumps(t) + "\n" for t in tasks), encoding="utf-8")
    result = import_annotations(source, "prodigy", tmp_path / "gold")
    assert result.sections == len(tasks) - 1
    assert any("reject" in warning for warning in result.warnings)


def test_bad_annotation_files_are_one_line_errors(run, tmp_path):
    with pytest.raises(AnnotationError, match="annotation file not found"):
        import_annotations(tmp_path / "saknas.json", "labelstudio", tmp_path / "gold")
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "Malmö"}\n{trasig\n', encoding="utf-8")
    with pytest.raises(AnnotationError, match="line 2 is not valid JSON"):
        import_annotations(broken, "prodigy", tmp_path / "gold")
    broken.write_text('{"text": "Malmö stad", "spans": []}\n', encoding="utf-8")
    with pytest.raises(AnnotationError, match="task 1 has no document path"):
        import_annotations(broken, "prodigy", tmp_path / "gold")
    result = runner.invoke(
        app, ["import-annotations", str(broken), "--format", "prodigy", "--out", str(tmp_path)]
    )
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_changed_source_document_stops_the_export(tmp_path):
    document = tmp_path / "exempel.txt"
    shutil.copy(SAMPLE, document)
    out = tmp_path / "run"
    assert runner.invoke(app, ["extract", str(document), "--out", str(out), "-q"]).exit_code == 0
    document.write_text(document.read_text("utf-8").replace("Göteborg", "Borås"), encoding="utf-8")
    with pytest.raises(AnnotationError, match="document changed since extraction"):
        export_run(out, "prodigy")
    document.unlink()
    result = runner.invoke(app, ["export", str(out), "--format", "docbin"])
    assert result.exit_code == 1 and "source document not found" in result.output


def test_docbin_splits_tokens_at_span_boundaries():
    """A range's two figures start inside one spaCy token ("10–15"); spans stay exact."""
    import spacy

    from pipeline.annotations import AnnotatedCase, CaseSpan, case_doc

    text = "Exempel 1: Älvdalen\n\nAndelen ökade med 10–15 procent i Älvdalen."
    low, high = text.index("10"), text.index("15")
    spans = [
        CaseSpan(low, low + 2, "FIGURE", [{"kind": "percent", "value": 10.0, "unit": "percent"}]),
        CaseSpan(high, high + 10, "FIGURE", [{"kind": "percent", "value": 15, "unit": "percent"}]),
        CaseSpan(
            text.rindex("Älvdalen"), len(text) - 1, "CITY", [{"name": "Älvdalen", "code": "2039"}]
        ),
    ]
    nlp = spacy.blank("sv")
    assert not nlp.tokenizer(text).char_span(low, low + 2)  # spaCy alone cannot hold it
    doc = case_doc(
        nlp.vocab, nlp.tokenizer, AnnotatedCase("x:1", "x.txt", 1, "Älvdalen", text, spans)
    )
    assert doc.text == text
    got = [(s.text, s.label_, s.kb_id_) for s in doc.spans["casebook"]]
    assert got == [
        ("10", "FIGURE", "percent:10"),
        ("15 procent", "FIGURE", "percent:15"),
        ("Älvdalen", "CITY", "2039"),
    ]


def test_label_studio_json_min_export_is_read(run, tmp_path):
    """Label Studio's JSON-MIN export: data fields at the top, regions under the tag name."""
    tasks = json.loads((run["dir"] / "labelstudio.json").read_text(encoding="utf-8"))
    minimal = []
    for task in tasks:
        regions = [dict(r["value"]) for r in task["predictions"][0]["result"]]
        data = {k: v for k, v in task["data"].items() if k != "casebook"}
        minimal.append({**data, "id": len(minimal) + 1, "label": regions})
    source = tmp_path / "min.json"
    source.write_text(json.dumps(minimal, ensure_ascii=False), encoding="utf-8")
    import_annotations(source, "labelstudio", tmp_path / "gold")
    report = score(run, tmp_path / "gold")
    assert perfect(report), [vars(d) for d in report.differences]
