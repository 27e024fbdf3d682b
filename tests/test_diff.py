"""casebook diff: values added, removed and changed between two runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.diff import Change, diff_records, diff_runs
from pipeline.ingest import SourceDocument, ingest_file
from pipeline.records import CaseRecord, NamedEntity
from tests.test_corrections import REPORT, build_records, write_run


@pytest.fixture
def base(tmp_path: Path) -> tuple[list[CaseRecord], SourceDocument]:
    source = tmp_path / "rapport.txt"
    source.write_text(REPORT, encoding="utf-8")
    doc = ingest_file(source)
    return build_records(doc), doc


def _later_run(records: list[CaseRecord]) -> list[CaseRecord]:
    """What a new pipeline version might make of the same document."""
    first, second = records
    chalmers = first.organisations[0]
    new_org = NamedEntity(name="Business Region Göteborg", mentions=chalmers.mentions)
    big = first.figures[0].model_copy(update={"approximate": True})
    first = first.model_copy(
        update={
            "regions": [],  # removed
            "organisations": [chalmers, new_org],  # one added
            "figures": [big, first.figures[1]],  # one changed
            "title": "Testbädd för cirkulär ekonomi i Göteborg.",
        }
    )
    second = second.model_copy(
        update={
            "figures": second.figures[:2],  # the second "5 procent" dropped
            "warnings": [],
        }
    )
    return [first, second]


def test_added_removed_and_changed_values_per_record_and_field(base):
    records, _ = base
    changes = diff_records(records, _later_run(records))
    rid1, rid2 = records[0].record_id, records[1].record_id
    assert Change(rid1, "regions", "removed", "SE23", "Västsverige", None) in changes
    assert (
        Change(rid1, "organisations", "added", "business region göteborg", None,
               "Business Region Göteborg «Chalmers tekniska högskola»")
        in changes
    )  # fmt: skip
    assert (
        Change(rid1, "figures", "changed", "12000000 SEK", "approximate: false",
               "approximate: true")
        in changes
    )  # fmt: skip
    assert (
        Change(rid1, "title", "changed", "title", "Testbädd för cirkulär ekonomi i Göteborg",
               "Testbädd för cirkulär ekonomi i Göteborg.")
        in changes
    )  # fmt: skip
    # Two "5 percent" figures before, one after: exactly one removed, none changed.
    percent = [c for c in changes if c.record_id == rid2 and c.field == "figures"]
    assert percent == [Change(rid2, "figures", "removed", "5 percent", "5 % «5 procent»", None)]
    warnings = [c for c in changes if c.field == "warnings"]
    assert [(c.change, c.key) for c in warnings] == [
        ("removed", "organisations: Region Skåne named only as a region")
    ]
    assert len(changes) == 6


def test_records_added_and_removed_and_identical_runs(base):
    records, _ = base
    assert diff_records(records, records) == []
    changes = diff_records(records[:1], records[1:])
    assert [(c.record_id, c.field, c.change) for c in changes] == [
        (records[1].record_id, "record", "added"),
        (records[0].record_id, "record", "removed"),
    ]


def test_mention_count_changes_show_as_changed(base):
    records, _ = base
    city = records[0].cities[0]
    fewer = records[0].model_copy(
        update={"cities": [city.model_copy(update={"mentions": city.mentions[:1]})]}
    )
    changes = diff_records(records, [fewer, records[1]])
    assert changes == [
        Change(records[0].record_id, "cities", "changed", "1480", "mentions: 2", "mentions: 1")
    ]


def test_cli_diff_table_and_json(tmp_path, base):
    records, doc = base
    run_a = write_run(tmp_path / "a", doc, records)
    run_b = write_run(tmp_path / "b", doc, _later_run(records))
    runner = CliRunner()
    result = runner.invoke(app, ["diff", str(run_a), str(run_b), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["summary"] == {
        "records_added": 0,
        "records_removed": 0,
        "records_changed": 2,
        "values_added": 1,
        "values_removed": 3,
        "values_changed": 2,
    }
    assert data == diff_runs(run_a, run_b).as_dict()
    result = runner.invoke(app, ["diff", str(run_a), str(run_b)])
    assert result.exit_code == 0
    for text in ("removed", "added", "changed", "SE23", "Västsverige"):
        assert text in result.output
    assert "values: +1 −3 ~2" in result.output
    same = runner.invoke(app, ["diff", str(run_a), str(run_a)])
    assert "no differences" in same.output
    missing = runner.invoke(app, ["diff", str(run_a), str(tmp_path / "nope")])
    assert missing.exit_code == 2
    assert "no records.jsonl" in missing.output
