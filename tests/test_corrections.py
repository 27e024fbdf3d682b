"""Reviewer corrections: each action, stale decisions, re-application on a later run, CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.corrections import (
    Correction,
    CorrectionError,
    CorrectionSession,
    apply_corrections,
    load_corrections,
    merge_corrections,
    value_key,
)
from pipeline.ingest import SourceDocument, ingest_file
from pipeline.records import CaseRecord

REPORT = """Exempel 1: Testbädd för cirkulär ekonomi i Göteborg

Göteborgs Stad och Chalmers tekniska högskola driver projektet Cirkulära Kvarter med stöd
från regionalfonden. Projektet fick 12 miljoner kronor under 2018 och ska nå 40 företag i
Västsverige. Arbetet samordnas av Business Region Göteborg.

Exempel 2: Kompetenslyft i Malmö

Malmö stad har tillsammans med Arbetsförmedlingen genomfört insatser inom socialfonden.
Omkring 300 deltagare tog del av utbildningar under hösten 2019. Region Skåne bidrog med
5 procent av budgeten och Malmö stad med 5 procent.
"""


def _mention(doc: SourceDocument, text: str, after: int = 0) -> dict[str, Any]:
    start = doc.text.index(text, after)
    return {"text": text, "start": start, "end": start + len(text), "page": doc.page_at(start)}


def build_records(doc: SourceDocument, *, region: bool = True) -> list[CaseRecord]:
    """Records as the extractor would write them for REPORT (built by hand, so tests of the
    review tools do not depend on how well extraction does)."""
    t = doc.text
    s1, s2 = t.index("Exempel 1"), t.index("Exempel 2")
    end = len(t.rstrip())
    ref = {"id": doc.id, "path": doc.path, "sha256": doc.sha256, "pages": doc.page_count}
    m = _mention

    def fig(kind: str, value: float, unit: str, text: str, after: int, **extra: Any) -> dict:
        return {
            "kind": kind,
            "value": value,
            "unit": unit,
            "text": text,
            **extra,
            "mention": m(doc, text, after),
        }

    first = {
        "record_id": f"{doc.id}:1",
        "document": ref,
        "case_number": 1,
        "title": "Testbädd för cirkulär ekonomi i Göteborg",
        "span": {"start": s1, "end": s2, "pages": [1]},
        "cities": [
            {
                "name": "Göteborg",
                "code": "1480",
                "mentions": [m(doc, "Göteborg", s1), m(doc, "Göteborgs Stad", s1)],
            },
        ],
        "regions": [{"name": "Västsverige", "code": "SE23", "mentions": [m(doc, "Västsverige")]}]
        if region
        else [],
        "funds": [
            {
                "code": "ERDF",
                "name": "Europeiska regionala utvecklingsfonden",
                "mentions": [m(doc, "regionalfonden")],
            },
        ],
        "figures": [
            fig("money", 12000000.0, "SEK", "12 miljoner kronor", s1),
            fig("quantity", 40.0, "företag", "40 företag", s1),
        ],
        "dates": [{"value": "2018", "kind": "date", "text": "2018", "mention": m(doc, "2018")}],
        "organisations": [
            {
                "name": "Chalmers tekniska högskola",
                "mentions": [m(doc, "Chalmers tekniska högskola")],
            }
        ],
        "projects": [{"name": "Cirkulära Kvarter", "mentions": [m(doc, "Cirkulära Kvarter")]}],
    }
    second = {
        "record_id": f"{doc.id}:2",
        "document": ref,
        "case_number": 2,
        "title": "Kompetenslyft i Malmö",
        "span": {"start": s2, "end": end, "pages": [1]},
        "cities": [
            {
                "name": "Malmö",
                "code": "1280",
                "mentions": [m(doc, "Malmö", s2), m(doc, "Malmö stad", s2)],
            },
        ],
        "regions": [{"name": "Skåne län", "code": "12", "mentions": [m(doc, "Region Skåne")]}],
        "funds": [
            {"code": "ESF", "name": "Europeiska socialfonden", "mentions": [m(doc, "socialfonden")]}
        ],
        "figures": [
            fig("quantity", 300.0, "deltagare", "Omkring 300 deltagare", s2, approximate=True),
            fig("percent", 5.0, "percent", "5 procent", s2),
            fig("percent", 5.0, "percent", "5 procent", t.index("5 procent", s2) + 1),
        ],
        "dates": [
            {
                "value": "2019",
                "kind": "season",
                "text": "hösten 2019",
                "mention": m(doc, "hösten 2019"),
            },
        ],
        "organisations": [],
        "projects": [],
        "warnings": ["organisations: Region Skåne named only as a region"],
    }
    return [CaseRecord.model_validate(data, context={"text": t}) for data in (first, second)]


def write_run(directory: Path, doc: SourceDocument, records: list[CaseRecord]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "records.jsonl").write_text(
        "".join(r.to_json_line() + "\n" for r in records), encoding="utf-8"
    )
    manifest = {
        "documents": 1,
        "ok": 1,
        "errors": 0,
        "skipped": 0,
        "records": len(records),
        "inputs": [
            {
                "path": doc.path,
                "sha256": doc.sha256,
                "status": "ok",
                "error": None,
                "cases": len(records),
                "pages": 1,
                "warnings": [],
            },
        ],
    }
    (directory / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return directory


def make_run(
    tmp_path: Path, text: str = REPORT, name: str = "run", *, region: bool = True
) -> tuple[Path, SourceDocument]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "rapport.txt"
    source.write_text(text, encoding="utf-8")
    doc = ingest_file(source)
    return write_run(tmp_path / name, doc, build_records(doc, region=region)), doc


@pytest.fixture
def sample(tmp_path: Path) -> tuple[list[CaseRecord], SourceDocument]:
    source = tmp_path / "rapport.txt"
    source.write_text(REPORT, encoding="utf-8")
    doc = ingest_file(source)
    return build_records(doc), doc


def decision(
    record: CaseRecord, field: str, value: str, action: str, evidence: str, **extra: Any
) -> Correction:
    """A decision on `evidence`, the first mention of that text in the record's span."""
    items = getattr(record, field)
    for item in items:
        mentions = [item.mention] if hasattr(item, "mention") else item.mentions
        for mention in mentions:
            if mention.text == evidence:
                ev = {"start": mention.start, "end": mention.end, "text": evidence}
                break
        else:
            continue
        break
    else:
        raise AssertionError(f"no mention {evidence!r} in {field}")
    return Correction.model_validate(
        {
            "record_id": record.record_id,
            "field": field,
            "value": value,
            "action": action,
            "evidence": ev,
            "case_start": record.span.start,
            "document_path": record.document.path,
            **extra,
        }
    )


def add(record: CaseRecord, doc: SourceDocument, field: str, value: str, text: str) -> Correction:
    start = doc.text.index(text, record.span.start)
    return Correction.model_validate(
        {
            "record_id": record.record_id,
            "field": field,
            "value": value,
            "action": "add",
            "evidence": {"start": start, "end": start + len(text), "text": text},
            "case_start": record.span.start,
            "document_path": record.document.path,
        }
    )


def test_reject_removes_the_value_and_marks_the_record_reviewed(sample):
    records, doc = sample
    rejected = decision(records[0], "regions", "SE23", "reject", "Västsverige")
    result, report = apply_corrections(records, [rejected], {doc.id: doc.text})
    assert [o.status for o in report.outcomes] == ["applied"]
    assert result[0].regions == []
    assert result[0].reviewed is True
    assert result[1] == records[1]  # untouched record stays as it was
    assert result[1].reviewed is False


def test_reject_of_a_figure_removes_only_the_mention_it_was_made_on(sample):
    records, doc = sample
    second_five = records[1].figures[2]
    correction = Correction(
        record_id=records[1].record_id,
        field="figures",
        value="5 percent",
        action="reject",
        evidence={
            "start": second_five.mention.start,
            "end": second_five.mention.end,
            "text": "5 procent",
        },
    )
    result, report = apply_corrections(records, [correction], {doc.id: doc.text})
    assert report.counts()["applied"] == 1
    kept = [f for f in result[1].figures if f.unit == "percent"]
    assert [f.mention.start for f in kept] == [records[1].figures[1].mention.start]


def test_accept_confirms_and_keeps_the_value(sample):
    records, doc = sample
    accepted = decision(records[0], "cities", "1480", "accept", "Göteborgs Stad")
    result, report = apply_corrections(records, [accepted], {doc.id: doc.text})
    assert report.outcomes[0].status == "applied"
    assert [c.code for c in result[0].cities] == ["1480"]
    assert result[0].reviewed


def test_add_inserts_the_value_with_its_evidence_in_mention_order(sample):
    records, doc = sample
    added = add(records[0], doc, "organisations", "Business Region Göteborg", "Business Region")
    added = added.model_copy(update={"value": "Business Region Göteborg"})
    result, report = apply_corrections(records, [added], {doc.id: doc})
    assert report.outcomes[0].status == "applied", report.outcomes[0].message
    names = [o.name for o in result[0].organisations]
    assert names == ["Chalmers tekniska högskola", "Business Region Göteborg"]
    mention = result[0].organisations[1].mentions[0]
    assert doc.text[mention.start : mention.end] == "Business Region" == mention.text
    assert mention.page == 1


def test_add_resolves_places_funds_and_figure_phrases(sample):
    records, doc = sample
    corrections = [
        add(records[1], doc, "organisations", "Arbetsförmedlingen", "Arbetsförmedlingen"),
        add(records[1], doc, "cities", "Malmö stad", "Malmö stad"),  # already there
        add(records[0], doc, "figures", "12 miljoner kronor", "12 miljoner kronor"),  # already
        add(records[1], doc, "priorities", "theme:employment_skills", "utbildningar"),
    ]
    result, report = apply_corrections(records, corrections, {doc.id: doc.text})
    assert [o.status for o in report.outcomes] == ["applied", "already", "already", "applied"]
    assert [o.name for o in result[1].organisations] == ["Arbetsförmedlingen"]
    assert [(p.scheme, p.code) for p in result[1].priorities] == [("theme", "employment_skills")]
    assert len(result[0].figures) == 2


def test_add_of_a_figure_reads_the_selected_phrase(sample):
    records, doc = sample
    text = doc.text
    rid = records[0].record_id
    start = text.index("40 företag")
    records[0] = records[0].model_copy(update={"figures": records[0].figures[:1]})
    correction = Correction(
        record_id=rid,
        field="figures",
        value="40 företag",
        action="add",
        evidence={"start": start, "end": start + 10, "text": "40 företag"},
    )
    result, report = apply_corrections(records, [correction], {doc.id: text})
    assert report.outcomes[0].status == "applied", report.outcomes[0].message
    figure = result[0].figures[1]
    assert (figure.kind, figure.value, figure.unit) == ("quantity", 40.0, "företag")
    assert figure.mention.text == "40 företag"


def test_add_with_evidence_that_does_not_match_the_text_is_reported(sample):
    records, doc = sample
    start = doc.text.index("Chalmers")
    wrong = Correction(
        record_id=records[0].record_id,
        field="organisations",
        value="Volvo Cars",
        action="add",
        evidence={"start": start, "end": start + 10, "text": "Volvo Cars"},
    )
    unknown_city = add(records[0], doc, "cities", "Atlantis", "Cirkulära Kvarter")
    result, report = apply_corrections(records, [wrong, unknown_city], {doc.id: doc.text})
    assert [o.status for o in report.outcomes] == ["stale", "invalid"]
    assert "no longer in the case text" in report.outcomes[0].message
    assert "Atlantis" in report.outcomes[1].message
    assert result == records  # nothing applied, nothing marked reviewed


def test_edit_changes_name_and_code_and_figure_values(sample):
    records, doc = sample
    edits = [
        decision(records[0], "cities", "1480", "edit", "Göteborg", new_value="Mölndal"),
        decision(records[0], "figures", "40 företag", "edit", "40 företag", new_value="45"),
        decision(records[1], "dates", "2019", "edit", "hösten 2019", new_value="2019-09"),
    ]
    result, report = apply_corrections(records, edits, {doc.id: doc.text})
    assert [o.status for o in report.outcomes] == ["applied"] * 3, report.outcomes
    assert [(c.name, c.code) for c in result[0].cities] == [("Mölndal", "1481")]
    assert len(result[0].cities[0].mentions) == 2  # the evidence stays
    figure = result[0].figures[1]
    assert (figure.value, figure.unit, figure.kind) == (45.0, "företag", "quantity")
    assert (result[1].dates[0].value, result[1].dates[0].kind) == ("2019-09", "season")


def test_edit_into_a_value_already_present_merges_the_mentions(sample):
    records, doc = sample
    extra_org = add(records[0], doc, "organisations", "Chalmers", "Chalmers")
    # "Chalmers" is inside the existing mention: a reviewer adds the short form as its own
    # organisation, then edits it into the full name; the record keeps one organisation.
    step1, _ = apply_corrections(records, [extra_org], {doc.id: doc.text})
    assert [o.name for o in step1[0].organisations] == ["Chalmers tekniska högskola", "Chalmers"]
    merge = decision(
        step1[0],
        "organisations",
        "chalmers",
        "edit",
        "Chalmers",
        new_value="Chalmers tekniska högskola",
    )
    step2, report = apply_corrections(step1, [merge], {doc.id: doc.text})
    assert report.outcomes[0].status == "applied"
    assert [o.name for o in step2[0].organisations] == ["Chalmers tekniska högskola"]
    assert len(step2[0].organisations[0].mentions) == 2


def test_accept_or_edit_of_a_value_no_longer_extracted_is_stale(sample):
    records, doc = sample
    accept = decision(records[0], "projects", "cirkulära kvarter", "accept", "Cirkulära Kvarter")
    edit = decision(records[0], "dates", "2018", "edit", "2018", new_value="2018-05")
    rerun = [records[0].model_copy(update={"projects": [], "dates": []}), records[1]]
    result, report = apply_corrections(rerun, [accept, edit], {doc.id: doc.text})
    assert [o.status for o in report.outcomes] == ["stale", "stale"]
    assert "no longer in the record" in report.outcomes[0].message
    assert result == rerun


def test_decision_for_a_missing_record_is_reported_not_dropped(sample):
    records, doc = sample
    gone = decision(records[0], "regions", "SE23", "reject", "Västsverige")
    result, report = apply_corrections(records[1:], [gone], {doc.id: doc.text})
    assert report.outcomes[0].status == "stale"
    assert records[0].record_id in report.outcomes[0].message
    assert result == records[1:]


def test_decisions_reapply_on_a_new_run_after_the_text_moved(tmp_path):
    _, old_doc = make_run(tmp_path)
    records = build_records(old_doc)
    corrections = [
        decision(records[0], "regions", "SE23", "reject", "Västsverige"),
        add(records[1], old_doc, "organisations", "Arbetsförmedlingen", "Arbetsförmedlingen"),
        decision(records[1], "figures", "5 percent", "edit", "5 procent", new_value="6 %"),
    ]
    # A revised report at the same path: an introduction above the cases moves every
    # offset, and its new sha256 gives the records new ids.
    moved = "Inledning\n\nRapporten beskriver två exempel från strukturfondsarbetet.\n\n" + REPORT
    _, new_doc = make_run(tmp_path, moved, name="run2")
    new_records = build_records(new_doc)
    assert new_records[0].span.start != records[0].span.start
    assert new_records[0].record_id != records[0].record_id
    result, report = apply_corrections(new_records, corrections, {new_doc.id: new_doc.text})
    assert [o.status for o in report.outcomes] == ["applied"] * 3, report.outcomes
    assert f"case found as {new_records[0].record_id}" in report.outcomes[0].message
    assert result[0].regions == []
    org = result[1].organisations[0].mentions[0]
    assert new_doc.text[org.start : org.end] == "Arbetsförmedlingen"
    percent = [f.value for f in result[1].figures if f.unit == "percent"]
    assert percent == [6.0, 5.0]  # only the first "5 procent" was edited
    # Applying the same decisions again changes nothing more.
    again, report2 = apply_corrections(result, corrections, {new_doc.id: new_doc.text})
    assert [o.status for o in report2.outcomes] == ["already", "already", "already"]
    assert again == result
    # Without the document path a decision cannot follow the case to its new id.
    anonymous = corrections[0].model_copy(update={"document_path": None})
    _, report3 = apply_corrections(new_records, [anonymous], {new_doc.id: new_doc.text})
    assert report3.outcomes[0].status == "stale"
    assert "is not in this run" in report3.outcomes[0].message


def test_decisions_whose_evidence_changed_are_reported_stale(tmp_path):
    _, old_doc = make_run(tmp_path)
    records = build_records(old_doc)
    reject = decision(records[0], "regions", "SE23", "reject", "Västsverige")
    add_org = add(records[1], old_doc, "organisations", "Arbetsförmedlingen", "Arbetsförmedlingen")
    edited = REPORT.replace("Västsverige", "Västra Götaland").replace(
        "Malmö stad har tillsammans med Arbetsförmedlingen",
        "Arbetsförmedlingen och Malmö stad har tillsammans med Arbetsförmedlingen",
    )
    _, new_doc = make_run(tmp_path, edited, name="run2", region=False)
    new_records = build_records(new_doc, region=False)
    result, report = apply_corrections(new_records, [reject, add_org], {new_doc.id: new_doc.text})
    statuses = {o.correction.action: o for o in report.outcomes}
    assert statuses["reject"].status == "stale"
    assert "'Västsverige' is no longer in the case text" in statuses["reject"].message
    assert statuses["add"].status == "stale"
    assert "occurs 2 times" in statuses["add"].message
    assert result == new_records


def test_without_texts_decisions_are_checked_against_the_run_mentions(sample):
    records, doc = sample
    reject = decision(records[0], "funds", "ERDF", "reject", "regionalfonden")
    added = add(records[1], doc, "organisations", "Arbetsförmedlingen", "Arbetsförmedlingen")
    result, report = apply_corrections(records, [reject, added], {})
    assert [o.status for o in report.outcomes] == ["applied", "stale"]
    assert result[0].funds == []
    assert "unavailable" in report.outcomes[1].message


def test_texts_left_out_are_read_from_the_document_path(sample):
    records, doc = sample
    added = add(records[1], doc, "organisations", "Arbetsförmedlingen", "Arbetsförmedlingen")
    result, report = apply_corrections(records, [added])
    assert report.outcomes[0].status == "applied", report.outcomes[0].message
    assert result[1].organisations[0].name == "Arbetsförmedlingen"


def test_load_corrections_reports_the_bad_line(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(
        '{"record_id": "a:1", "field": "cities", "value": "1480", "action": "accept"}\n'
        '{"record_id": "a:1", "field": "citys", "value": "1480", "action": "accept"}\n',
        encoding="utf-8",
    )
    with pytest.raises(CorrectionError, match=r"c\.jsonl: line 2: field"):
        load_corrections(path)
    path.write_text('{"record_id": "a:1", "field": "cities", "value": "x", "action": "add"}\n')
    with pytest.raises(CorrectionError, match=r"line 1: .*evidence"):
        load_corrections(path)
    path.write_text("not json\n")
    with pytest.raises(CorrectionError, match="line 1: invalid JSON"):
        load_corrections(path)
    with pytest.raises(CorrectionError, match="not found"):
        load_corrections(tmp_path / "missing.jsonl")


def test_merge_keeps_the_latest_decision_per_value(sample):
    records, _ = sample
    accept = decision(records[0], "cities", "1480", "accept", "Göteborg")
    reject = decision(records[0], "cities", "1480", "reject", "Göteborgs Stad")
    other = decision(records[0], "regions", "SE23", "reject", "Västsverige")
    merged = merge_corrections([accept, other], [reject])
    assert merged == [other, reject]


def test_value_keys_are_canonical(sample):
    records, _ = sample
    assert value_key("cities", records[0].cities[0]) == "1480"
    assert value_key("figures", records[0].figures[0]) == "12000000 SEK"
    assert value_key("figures", records[1].figures[0]) == "300 deltagare"
    assert value_key("organisations", records[0].organisations[0]) == "chalmers tekniska högskola"


def test_cli_apply_corrections_rewrites_records_and_keeps_the_decisions(tmp_path):
    run, doc = make_run(tmp_path)
    records = build_records(doc)
    first = [decision(records[0], "regions", "SE23", "reject", "Västsverige")]
    second = [
        decision(records[1], "funds", "ESF", "accept", "socialfonden"),
        decision(records[0], "projects", "no such project", "accept", "Cirkulära Kvarter"),
    ]
    runner = CliRunner()
    for number, batch in enumerate((first, second), start=1):
        path = tmp_path / f"c{number}.jsonl"
        path.write_text("".join(c.to_json_line() + "\n" for c in batch), encoding="utf-8")
        result = runner.invoke(app, ["apply-corrections", str(run), str(path)])
        assert result.exit_code == (0 if number == 1 else 1), result.output
    assert "1 applied, 0 already in effect, 1 stale" in result.output
    assert "no longer in the record" in result.output
    stored = [json.loads(line) for line in (run / "corrections.jsonl").read_text().splitlines()]
    assert [(c["field"], c["action"]) for c in stored] == [
        ("regions", "reject"),
        ("funds", "accept"),
        ("projects", "accept"),
    ]
    lines = (run / "records.jsonl").read_text(encoding="utf-8").splitlines()
    after = [CaseRecord.model_validate_json(line) for line in lines]
    assert after[0].regions == [] and after[0].reviewed
    assert after[1].reviewed and [f.code for f in after[1].funds] == ["ESF"]


def test_cli_apply_corrections_usage_errors(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["apply-corrections", str(tmp_path / "nope"), "x.jsonl"])
    assert result.exit_code == 2
    assert "run folder not found" in result.output


def test_edit_to_what_the_value_already_is_changes_nothing(sample):
    records, doc = sample
    same = decision(records[0], "cities", "1480", "edit", "Göteborg", new_value="Göteborgs Stad")
    result, report = apply_corrections(records, [same], {doc.id: doc.text})
    assert report.outcomes[0].status == "already"
    assert result[0].cities == records[0].cities


def test_session_applies_decisions_document_by_document(tmp_path):
    _, doc = make_run(tmp_path)
    records = build_records(doc)
    decisions = [
        decision(records[1], "funds", "ESF", "reject", "socialfonden"),
        decision(records[0], "regions", "SE23", "reject", "Västsverige"),
    ]
    other = decisions[0].model_copy(update={"record_id": "ffffffffffff:3", "document_path": None})
    session = CorrectionSession([*decisions, other], {doc.id: doc.text})
    # As a batch writes a run: one document's lines at a time (here one record at a time);
    # lines no decision concerns come back as they were.
    first = session.apply_lines([records[0].to_json_line()])
    second = session.apply_lines([records[1].to_json_line()])
    assert CaseRecord.model_validate_json(first[0]).regions == []
    assert CaseRecord.model_validate_json(second[0]).funds == []
    assert session.apply_lines([records[0].to_json_line()]) == [records[0].to_json_line()]
    report = session.report()
    assert [o.status for o in report.outcomes] == ["applied", "applied", "stale"]
    assert "ffffffffffff:3 is not in this run" in report.outcomes[2].message
