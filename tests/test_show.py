"""casebook show: one case in the terminal, its evidence highlighted per field."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.show import case_text, field_style, find_record, render_case
from tests.test_corrections import build_records, make_run


def _render(renderable) -> str:
    console = Console(width=200, record=True, color_system="truecolor", file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def test_case_text_styles_exactly_the_evidence_of_each_field(tmp_path):
    _, doc = make_run(tmp_path)
    record = build_records(doc)[0]
    text = case_text(record, doc.text)
    plain = text.plain
    styled = {
        (plain[span.start : span.end], str(span.style))
        for span in text.spans
        if span.style not in {"", None}
    }
    assert ("Västsverige", str(field_style("regions"))) in styled
    assert ("12 miljoner kronor", str(field_style("figures"))) in styled
    assert ("Chalmers tekniska högskola", str(field_style("organisations"))) in styled
    # The label follows the evidence, and the unmarked text is the case text itself.
    assert "Västsverige REGION" in plain
    assert plain.replace(" REGION", "").replace(" CITY", "").startswith("Exempel 1: Testbädd")


def test_render_case_lists_fields_with_evidence_and_pages(tmp_path):
    _, doc = make_run(tmp_path)
    record = build_records(doc)[1]
    output = _render(render_case(record, doc))
    assert "Exempel 2: Kompetenslyft i Malmö" in output
    assert "Omkring 300 deltagare p.1" in output
    assert "ca 300 deltagare" in output  # the value as a reviewer reads it
    assert "⚠ organisations: Region Skåne named only as a region" in output
    assert "Malmö p.1; Malmö stad p.1" in output


def test_render_case_without_text_still_lists_fields(tmp_path):
    _, doc = make_run(tmp_path)
    record = build_records(doc)[0]
    output = _render(render_case(record, None, "rapport.txt: file not found"))
    assert "⚠ rapport.txt: file not found" in output
    assert "(case text not available)" in output
    assert "Chalmers tekniska högskola" in output


def test_find_record_by_id_or_unique_prefix(tmp_path):
    _, doc = make_run(tmp_path)
    records = build_records(doc)
    assert find_record(records, records[1].record_id, "x") is records[1]
    assert find_record(records, records[1].record_id[:-1] + "2", "x") is records[1]


def test_cli_show(tmp_path: Path):
    run, doc = make_run(tmp_path)
    record = build_records(doc)[0]
    runner = CliRunner()
    result = runner.invoke(app, ["show", record.record_id, "--run", str(run)])
    assert result.exit_code == 0, result.output
    assert "Cirkulära Kvarter" in result.output
    assert "regionalfonden" in result.output
    missing = runner.invoke(app, ["show", "ffffffffffff:9", "--run", str(run)])
    assert missing.exit_code == 2
    assert "no record 'ffffffffffff:9' (2 records; e.g." in missing.output
    ambiguous = runner.invoke(app, ["show", record.record_id[:12], "--run", str(run)])
    assert ambiguous.exit_code == 2
    assert "ambiguous" in ambiguous.output
