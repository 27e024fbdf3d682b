"""CLI commands for reviewing runs (review page, corrections, diff, show)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from .cli import DEFAULT_OUT, _fail_usage, app, err, out
from .errors import CasebookError


@app.command()
def review(
    run_dir: Annotated[Path, typer.Argument(help="A run folder (from casebook extract).")],
    out_file: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Page to write (default RUN_DIR/review.html)."),
    ] = None,
) -> None:
    """Write a self-contained review page (review.html) for a run."""
    from .review import write_review

    try:
        target, run, documents = write_review(run_dir, out_file)
    except CasebookError as exc:
        _fail_usage(str(exc))
    for document in documents.values():
        if document.problem:
            err.print(f"[yellow]warning:[/yellow] {document.problem}", markup=True)
    err.print(f"review page for {len(run.records)} cases → {target}", markup=False)
    out.print(str(target), markup=False)


@app.command("apply-corrections")
def apply_corrections_command(
    run_dir: Annotated[Path, typer.Argument(help="The run folder whose records to correct.")],
    corrections: Annotated[
        Path, typer.Argument(help="Corrections JSONL (exported from the review page).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Apply review decisions to RUN_DIR/records.jsonl; keep them in RUN_DIR/corrections.jsonl.

    Exit status 1 when some decisions could not be applied (listed with the reason).
    """
    from .corrections import (
        apply_corrections,
        corrections_lines,
        load_corrections,
        records_concerned,
    )
    from .corrections import merge_corrections as merge
    from .outputs import write_lines_atomic
    from .review import (
        CORRECTIONS_FILE,
        RECORDS_FILE,
        ingest_options,
        load_documents,
        load_run,
        search_dirs,
    )

    try:
        run = load_run(run_dir)
        decisions = load_corrections(corrections)
        documents = load_documents(
            records_concerned(run.records, decisions),
            search_dirs(run.directory),
            ingest_options(run.manifest),
        )
        texts = {doc_id: d.document for doc_id, d in documents.items() if d.document is not None}
        records, report = apply_corrections(run.records, decisions, texts)
        write_lines_atomic(run_dir / RECORDS_FILE, [r.to_json_line() for r in records])
        stored = merge(run.corrections, decisions)
        write_lines_atomic(run_dir / CORRECTIONS_FILE, corrections_lines(stored))
    except CasebookError as exc:
        _fail_usage(str(exc))
    for document in documents.values():
        if document.problem:
            err.print(f"[yellow]warning:[/yellow] {document.problem}", markup=True)
    if as_json:
        out.print_json(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        counts = report.counts()
        out.print(
            f"{counts['applied']} applied, {counts['already']} already in effect,"
            f" {counts['stale']} stale, {counts['invalid']} invalid"
            f" → {run_dir / RECORDS_FILE} ({sum(r.reviewed for r in records)} reviewed records);"
            f" {len(stored)} decisions kept in {run_dir / CORRECTIONS_FILE}",
            markup=False,
        )
        if report.outcomes:
            table = Table(title="decisions", title_justify="left")
            for column in ("status", "record", "field", "action", "value", "what happened"):
                table.add_column(column)
            colours = {"applied": "green", "already": "cyan", "stale": "yellow", "invalid": "red"}
            for outcome in report.outcomes:
                c = outcome.correction
                value = c.value + (f" → {c.new_value}" if c.new_value else "")
                table.add_row(
                    Text(outcome.status, style=colours[outcome.status]),
                    c.record_id,
                    c.field,
                    c.action,
                    Text(value),
                    Text(outcome.message),
                )
            out.print(table)
        for outcome in report.not_applied:  # one unwrapped line each, to grep or copy
            c = outcome.correction
            out.print(
                f"{outcome.status}: {c.record_id} {c.field} {c.action} {c.value!r}:"
                f" {outcome.message}",
                markup=False,
            )
    raise typer.Exit(1 if report.not_applied else 0)


@app.command()
def diff(
    run_a: Annotated[Path, typer.Argument(help="The earlier run folder (or its records.jsonl).")],
    run_b: Annotated[Path, typer.Argument(help="The later run folder (or its records.jsonl).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the differences as JSON.")] = False,
) -> None:
    """What changed between two runs: values added, removed or changed, per record and field."""
    from .diff import diff_runs

    try:
        result = diff_runs(run_a, run_b)
    except CasebookError as exc:
        _fail_usage(str(exc))
    if as_json:
        out.print_json(json.dumps(result.as_dict(), ensure_ascii=False))
        return
    summary = result.summary()
    if not result.changes:
        out.print(f"no differences between {run_a} and {run_b}", markup=False)
        return
    table = Table(title=f"casebook diff {run_a} → {run_b}", title_justify="left")
    for column in ("record", "field", "change", "key", "before", "after"):
        table.add_column(column, overflow="fold")
    styles = {"added": "green", "removed": "red", "changed": "yellow"}
    previous = None
    for change in result.changes:
        table.add_row(
            change.record_id if change.record_id != previous else "",
            change.field,
            Text(change.change, style=styles[change.change]),
            Text(change.key),
            Text(change.before or "", style="red"),
            Text(change.after or "", style="green"),
            end_section=False,
        )
        previous = change.record_id
    out.print(table)
    out.print(
        f"records: +{summary['records_added']} −{summary['records_removed']}"
        f" ~{summary['records_changed']}; values: +{summary['values_added']}"
        f" −{summary['values_removed']} ~{summary['values_changed']}",
        markup=False,
    )


@app.command()
def show(
    record_id: Annotated[str, typer.Argument(help="A record id (or a unique prefix of one).")],
    run: Annotated[Path, typer.Option("--run", help="The run folder.")] = DEFAULT_OUT,
) -> None:
    """Print one case with its evidence highlighted, and its fields."""
    from .review import RECORDS_FILE, ingest_options, load_document, load_run, search_dirs
    from .show import find_record, render_case

    try:
        loaded_run = load_run(run)
        record = find_record(loaded_run.records, record_id, str(run / RECORDS_FILE))
    except CasebookError as exc:
        _fail_usage(str(exc))
    loaded = load_document(record.document, search_dirs(run), ingest_options(loaded_run.manifest))
    out.print(render_case(record, loaded.document, loaded.problem))
