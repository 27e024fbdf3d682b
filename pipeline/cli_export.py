"""CLI commands that feed other tools (export formats). Registered on pipeline.cli.app."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from .cli import app, err
from .errors import CasebookError


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    raise typer.Exit(code)


@app.command()
def export(
    run_dir: Annotated[Path, typer.Argument(help="Run folder written by `casebook extract`.")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="csv|xlsx|parquet|sqlite|duckdb|geojson|docbin|labelstudio|prodigy",
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Output file (folder for csv/parquet); default: in RUN_DIR."
        ),
    ] = None,
    pdf_backend: Annotated[
        str | None, typer.Option(help="PDF backend used at extraction (annotation formats).")
    ] = None,
) -> None:
    """Export a run's records as tables (cases, mentions, figures), GeoJSON or annotation tasks."""
    from .export import FORMATS, export_run

    if fmt not in FORMATS:
        _fail(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})", code=2)
    try:
        result = export_run(run_dir, fmt, out, pdf_backend=pdf_backend)
    except CasebookError as exc:
        _fail(str(exc))
    counts = ", ".join(f"{count} {name}" for name, count in result.counts.items())
    for warning in result.warnings:
        err.print(f"warning: {warning}", markup=False)
    for path in result.paths:
        err.print(f"wrote {path}", markup=False)
    err.print(f"{fmt}: {counts}", markup=False)


@app.command("import-annotations")
def import_annotations(
    file: Annotated[Path, typer.Argument(help="Corrected tasks exported by the annotation tool.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="labelstudio | prodigy")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the gold files.")] = Path(
        "gold"
    ),
) -> None:
    """Turn corrected Label Studio / Prodigy annotations into gold files (one per document)."""
    from .annotations import import_annotations as run_import

    if fmt not in {"labelstudio", "prodigy"}:
        _fail(f"unknown format {fmt!r} (labelstudio or prodigy)", code=2)
    try:
        result = run_import(file, fmt, out)
    except CasebookError as exc:
        _fail(str(exc))
    for warning in result.warnings:
        err.print(f"warning: {warning}", markup=False)
    for path in result.paths:
        err.print(f"wrote {path}", markup=False)
    err.print(f"{result.sections} sections, {result.spans} spans → {out}", markup=False)
