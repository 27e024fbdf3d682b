"""The casebook CLI through typer's CliRunner: extract, schema, exit codes, bad input."""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import SAMPLE

runner = CliRunner()


def test_extract_writes_records_and_manifest(tmp_path):
    out = tmp_path / "run"
    result = runner.invoke(app, ["extract", str(SAMPLE), "--out", str(out), "-j", "0"])
    assert result.exit_code == 0, result.output
    lines = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5
    first = json.loads(lines[0])
    assert first["case_number"] == 1 and first["schema_version"] == "2"
    assert "Stockholm" in lines[0]  # UTF-8 kept, not \\u escapes
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["inputs"][0]
    assert entry["status"] == "ok" and entry["cases"] == 5 and len(entry["sha256"]) == 64
    assert not list(out.glob(".*.tmp"))


def test_extract_to_stdout_streams_jsonl(tmp_path):
    result = runner.invoke(app, ["extract", str(SAMPLE), "--out", "-", "-j", "0"])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["case_number"] for r in records] == [1, 2, 3, 4, 5]


def test_bad_files_are_reported_and_the_rest_is_written(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "bra.txt")
    (folder / "tom.txt").write_bytes(b"")
    (folder / "fejk.pdf").write_bytes(b"GIF89a not a pdf")
    (folder / "bild.png").write_bytes(b"\x89PNG")
    out = tmp_path / "run"
    result = runner.invoke(
        app, ["extract", str(folder), str(tmp_path / "saknas.txt"), "--out", str(out), "-j", "0"]
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    by_name = {entry["path"].rsplit("/", 1)[-1]: entry for entry in manifest["inputs"]}
    assert by_name["bra.txt"]["status"] == "ok"
    assert by_name["tom.txt"]["status"] == "error" and "empty" in by_name["tom.txt"]["error"]
    assert by_name["fejk.pdf"]["status"] == "error"
    assert by_name["saknas.txt"]["status"] == "error"
    assert "saknas.txt" in result.stderr and "fejk.pdf" in result.stderr
    assert len((out / "records.jsonl").read_text(encoding="utf-8").splitlines()) == 5


def test_schema_prints_json_schema():
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "CaseRecord"
    assert "cities" in schema["properties"]


def test_usage_errors_exit_2():
    assert runner.invoke(app, ["extract"]).exit_code == 2
    assert runner.invoke(app, ["extract", str(SAMPLE), "--max-pages", "många"]).exit_code == 2


def _records(run) -> list[dict]:
    return [json.loads(line) for line in (run / "records.jsonl").read_text("utf-8").splitlines()]


def test_extract_applies_corrections_and_they_stick_on_later_runs(tmp_path):
    source = tmp_path / "rapport.txt"
    shutil.copy(SAMPLE, source)
    run = tmp_path / "run"
    assert runner.invoke(app, ["extract", str(source), "--out", str(run), "-j", "0"]).exit_code == 0
    first = _records(run)[0]
    mention = first["regions"][0]["mentions"][0]
    decisions = tmp_path / "beslut.jsonl"
    decision = {
        "record_id": first["record_id"],
        "field": "regions",
        "value": first["regions"][0]["code"],
        "action": "reject",
        "evidence": {k: mention[k] for k in ("start", "end", "text")},
    }
    stale = {**decision, "record_id": "000000000000:9"}
    decisions.write_text(json.dumps(decision) + "\n" + json.dumps(stale) + "\n", "utf-8")

    result = runner.invoke(
        app, ["extract", str(source), "--out", str(run), "-j", "0", "--corrections", str(decisions)]
    )
    assert result.exit_code == 0, result.output
    corrected = _records(run)[0]
    assert corrected["regions"] == [] and corrected["reviewed"] is True
    assert "1 applied" in result.stderr and "no longer match" in result.stderr
    assert "000000000000:9" in result.stderr  # the stale decision is reported, not dropped

    # Decisions kept in the run folder apply again on the next run into it.
    (run / "corrections.jsonl").write_text(json.dumps(decision) + "\n", "utf-8")
    again = runner.invoke(app, ["extract", str(source), "--out", str(run), "-j", "0"])
    assert again.exit_code == 0
    assert _records(run)[0]["regions"] == []

    # When the evidence text no longer matches, the decision is reported, not applied.
    text = source.read_text("utf-8").replace("Stockholmsregionen", "Stockholms län", 1)
    source.write_text(text, "utf-8")
    changed = runner.invoke(app, ["extract", str(source), "--out", str(run), "-j", "0"])
    assert "correction not applied" in changed.stderr
