"""The casebook command line: parses arguments, calls the library, prints. Nothing else."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .errors import CasebookError

if TYPE_CHECKING:  # imported for annotations only: the CLI must start fast
    from .batch import ExtractOptions
    from .corrections import CorrectionReport, CorrectionSession

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


def _cpu_count() -> int:
    import os

    # The cores this process may use (a container's share), not the machine's.
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return os.cpu_count() or 1


@app.command()
def extract(
    paths: Annotated[
        Optional[list[str]],  # noqa: UP045  (typer needs Optional for an optional list)
        typer.Argument(
            help="Files, folders (searched recursively) or glob patterns like 'in/**/*.pdf'.",
            show_default=False,
        ),
    ] = None,
    out_dir: Annotated[
        str, typer.Option("--out", "-o", help="Output folder, or - for JSONL on stdout.")
    ] = str(DEFAULT_OUT),
    from_list: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--from-list", help="Read more paths from FILE (- = stdin), one a line."),
    ] = None,
    workers: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(
            "--workers", "-j", help="Worker processes (default: CPU cores; 0 = in this process)."
        ),
    ] = None,
    timeout: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(help="Give up on a document after this many seconds (default: no limit)."),
    ] = None,
    max_pages: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(help="Read at most this many pages per PDF."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Re-extract every input, ignoring the cache.")
    ] = False,
    executor: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="local (default) or dask (default with --scheduler)."),
    ] = None,
    scheduler: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="Dask scheduler address, e.g. tcp://10.0.0.5:8786."),
    ] = None,
    pdf_backend: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="PDF backend: pdfium or pdfplumber."),
    ] = None,
    ocr: Annotated[
        bool, typer.Option("--ocr/--no-ocr", help="OCR pages without a text layer.")
    ] = True,
    corrections: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            help="Reviewers' decisions (JSONL) to apply; default: DIR/corrections.jsonl if any."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")] = False,
) -> None:
    """Extract case records; write records.jsonl and manifest.json (or stream with --out -).

    Unchanged inputs reuse the records of the previous run in the same output folder.
    Exit status: 0 all inputs ok, 1 some failed (see the manifest), 2 usage error.
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    from .batch import Batch, DocumentResult, ExtractOptions, parse_path_list

    inputs = list(paths or [])
    if from_list is not None:
        try:
            listed = (
                sys.stdin.read()
                if from_list == "-"
                else Path(from_list).read_text(encoding="utf-8-sig")
            )
        except (OSError, UnicodeDecodeError) as exc:
            _fail_usage(f"{from_list}: cannot read the path list ({exc})")
        inputs += parse_path_list(listed)
    elif not inputs:
        _fail_usage("give at least one file, folder or glob pattern (or --from-list FILE)")
    stream = out_dir == "-"
    workers = _cpu_count() if workers is None else workers
    if timeout is not None and workers == 0 and not (executor == "dask" or scheduler):
        err.print("warning: --timeout needs worker processes; it has no effect with --workers 0")
    try:
        batch = Batch(
            inputs,
            options=ExtractOptions(pdf_backend=pdf_backend, max_pages=max_pages, ocr=ocr),
            workers=workers,
            timeout=timeout,
            executor=executor or ("dask" if scheduler else "local"),  # type: ignore[arg-type]
            scheduler=scheduler,
            out_dir=None if stream else Path(out_dir),
            force=force,
        )
    except CasebookError as exc:
        _fail_usage(str(exc))
    session = _correction_session(corrections, None if stream else Path(out_dir), batch.options)

    # A bar on a terminal; plain lines (one per document) for logs and pipes.
    bar = err.is_terminal and not quiet
    progress = Progress(
        TextColumn("extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeRemainingColumn(),
        console=err,
        disable=not bar,
    )
    task = progress.add_task("extract", total=len(batch.items), detail="docs · starting")
    pages = records = 0
    started = time.perf_counter()
    waiting: dict[int, DocumentResult] = {}  # --out -: results waiting for their turn
    next_index = 0

    def say(label: str, style: str, message: str) -> None:
        if bar:  # above the bar, in colour
            err.print(Text.assemble((label, style), message))
        else:  # one plain line per document: rich's rendering would cost a re-run ~15 %
            sys.stderr.write(f"{label}{message}\n")

    def report(result: DocumentResult) -> None:
        if result.status == "error":
            say("error: ", "red", result.error or result.path)
        elif quiet:
            return
        elif result.status == "skipped":
            say("skipped: ", "yellow", result.error or result.path)
        elif not bar:
            how = "cached" if result.cached else f"{result.pages or 0} p., {result.seconds:.1f} s"
            say("ok: ", "", f"{result.path} ({result.cases} cases, {how})")

    try:
        with batch, progress:
            for result in batch.results():
                report(result)
                pages += result.pages or 0
                records += result.cases
                done = len(batch.done)
                rate = done / max(time.perf_counter() - started, 1e-9)
                progress.update(
                    task,
                    completed=done,
                    detail=f"docs · {pages} pages · {records} records · {rate:.1f} docs/s",
                )
                if stream:
                    waiting[result.index] = result
                    while next_index in waiting:
                        lines = waiting.pop(next_index).lines
                        for line in session.apply_lines(lines) if session else lines:
                            sys.stdout.write(line + "\n")
                        next_index += 1
                    sys.stdout.flush()
            manifest = None if stream else batch.write(session)
    except KeyboardInterrupt:
        resume = "" if stream else "; finished documents are cached, run again to resume"
        err.print(f"interrupted{resume}")
        raise typer.Exit(130) from None
    except CasebookError as exc:
        _fail_usage(str(exc))
    summary = batch.summary()
    if session is not None:
        _report_corrections(session.report(), quiet)
    if not quiet:
        where = "stdout" if manifest is None else out_dir
        err.print(
            f"{summary['records']} records from {summary['ok']} documents → {where}"
            f" ({summary['errors']} errors, {summary['skipped']} skipped,"
            f" {summary['cached']} unchanged)",
            markup=False,
        )
    raise typer.Exit(1 if summary["errors"] else 0)


def _correction_session(
    path: Path | None, out: Path | None, options: ExtractOptions
) -> CorrectionSession | None:
    """Decisions to re-apply: --corrections FILE, else the run folder's corrections.jsonl.

    Decisions stick: a later run into the same folder applies them again as long as their
    evidence still matches (pipeline.corrections decides, and reports those that do not).
    """
    from dataclasses import asdict

    if path is None and out is not None and (out / "corrections.jsonl").is_file():
        path = out / "corrections.jsonl"
    if path is None:
        return None
    # Imported only when there are decisions: it builds the record models (pydantic).
    from .corrections import CorrectionSession, load_corrections

    try:
        decisions = load_corrections(path)
    except CasebookError as exc:
        _fail_usage(str(exc))
    return CorrectionSession(decisions, ingest=asdict(options))


def _report_corrections(report: CorrectionReport, quiet: bool) -> None:
    counts = report.counts()
    if not quiet:
        err.print(
            f"corrections: {counts['applied']} applied, {counts['already']} already in effect,"
            f" {counts['stale'] + counts['invalid']} no longer match",
            markup=False,
        )
    for outcome in report.not_applied:
        err.print(
            Text.assemble(("correction not applied: ", "yellow"), f"{outcome.message}"),
        )


@app.command()
def schema() -> None:
    """Print the JSON Schema of a case record (the bytes committed in schema/)."""
    from .records import record_schema_text

    sys.stdout.write(record_schema_text())


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
