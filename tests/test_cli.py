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
    result = runner.invoke(app, ["extract", str(SAMPLE), "--out", str(out)])
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
    result = runner.invoke(app, ["extract", str(SAMPLE), "--out", "-"])
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
        app, ["extract", str(folder), str(tmp_path / "saknas.txt"), "--out", str(out)]
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
