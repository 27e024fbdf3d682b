"""The casebook command line: parses arguments, calls the library, prints. Nothing else."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from .errors import CasebookError

app = typer.Typer(
    name="casebook",
    help="Turn Swedish policy reports into structured, source-grounded case records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

DEFAULT_OUT = Path("outputs/latest")


def _fail_usage(message: str) -> None:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.pdf, .txt, .md).")],
    out_dir: Annotated[
        str, typer.Option("--out", "-o", help="Output folder, or - for JSONL on stdout.")
    ] = str(DEFAULT_OUT),
    pdf_backend: Annotated[
        str | None, typer.Option(help="PDF backend: pdfium or pdfplumber.")
    ] = None,
    max_pages: Annotated[
        int | None, typer.Option(help="Read at most this many pages per PDF.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")] = False,
) -> None:
    """Extract case records; write records.jsonl and manifest.json (or stream with --out -)."""
    from .batch import ExtractOptions, extract_paths, write_run

    options = ExtractOptions(pdf_backend=pdf_backend, max_pages=max_pages)
    started = time.perf_counter()
    results = []
    try:
        for result in extract_paths(paths, options):
            results.append(result)
            if result.status == "error":
                err.print(f"[red]error:[/red] {result.error}", markup=True)
            elif result.status == "skipped" and not quiet:
                err.print(f"skipped: {result.error}")
            elif not quiet:
                err.print(f"ok: {result.path} ({len(result.records)} cases)")
            if out_dir == "-":
                for record in result.records:
                    sys.stdout.write(record.to_json_line() + "\n")
                sys.stdout.flush()
    except CasebookError as exc:
        _fail_usage(str(exc))
    if out_dir != "-":
        manifest = write_run(Path(out_dir), results, started=started)
        if not quiet:
            err.print(
                f"{manifest['records']} records from {manifest['ok']} documents → {out_dir}"
                f" ({manifest['errors']} errors, {manifest['skipped']} skipped)"
            )
    raise typer.Exit(1 if any(r.status == "error" for r in results) else 0)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a case record."""
    from .records import record_json_schema

    out.print_json(json.dumps(record_json_schema(), ensure_ascii=False))


@app.command()
def evaluate(
    gold: Annotated[
        list[Path], typer.Argument(help="Gold files (*.gold.json) or folders of them.")
    ],
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every miss and extra.")
    ] = False,
    minimum: Annotated[
        list[str] | None, typer.Option("--min", help="FIELD=F1 threshold, e.g. cities=0.97.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    pdf_backend: Annotated[Optional[str], typer.Option(help="PDF backend.")] = None,  # noqa: UP045
) -> None:
    """Score the pipeline against gold files: per-field precision, recall and F1."""
    from .evaluate import evaluate as run_evaluation
    from .evaluate import failed_thresholds, parse_thresholds

    files: list[Path] = []
    for item in gold:
        files.extend(sorted(item.rglob("*.gold.json")) if item.is_dir() else [item])
    try:
        thresholds = parse_thresholds(minimum or [])
        if not files:
            raise CasebookError("no gold files given")
        report = run_evaluation(files, pdf_backend=pdf_backend)
    except CasebookError as exc:
        _fail_usage(str(exc))
    if as_json:
        out.print_json(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        table = Table(title=f"casebook evaluate: {report.documents} documents")
        for column in ("field", "P", "R", "F1", "tp", "fp", "fn"):
            table.add_column(column, justify="left" if column == "field" else "right")
        rows = {**report.fields, "sections": report.sections, "titles": report.titles}
        for name, score in rows.items():
            table.add_row(
                name,
                f"{score.precision:.3f}",
                f"{score.recall:.3f}",
                f"{score.f1:.3f}",
                str(score.tp),
                str(score.fp),
                str(score.fn),
            )
        out.print(table)
    if verbose:
        for diff in report.differences:
            out.print(
                f"{diff.kind:5} {diff.document} §{diff.section} {diff.field}: {diff.value}",
                markup=False,
            )
    for message in report.errors:
        err.print(f"[red]error:[/red] {message}")
    failures = failed_thresholds(report, thresholds)
    for failure in failures:
        err.print(f"[red]below threshold:[/red] {failure}")
    raise typer.Exit(1 if failures or report.errors else 0)


# Further commands live in their own modules (one per feature) and register on `app`.
from . import cli_export, cli_review  # noqa: E402, F401


def main() -> None:
    app()


if __name__ == "__main__":
    main()
