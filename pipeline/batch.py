"""Batch: many inputs → records + manifest. A bad document never stops the batch."""

from __future__ import annotations

import time
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CasebookError
from .ingest import SUPPORTED_SUFFIXES, read_bytes, sha256_of
from .outputs import write_json_atomic, write_lines_atomic
from .records import SCHEMA_VERSION, CaseRecord


@dataclass
class ExtractOptions:
    pdf_backend: str | None = None
    max_pages: int | None = None
    ocr: bool = True


@dataclass
class DocumentResult:
    """What happened to one input: its records or its error, for the manifest."""

    path: str
    status: str  # ok | error | skipped
    sha256: str | None = None
    error: str | None = None
    records: list[CaseRecord] = field(default_factory=list)
    seconds: float = 0.0
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)

    def manifest_entry(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "status": self.status,
            "error": self.error,
            "cases": len(self.records),
            "pages": self.pages,
            "seconds": round(self.seconds, 3),
            "warnings": self.warnings,
        }


def discover(inputs: Iterable[str | Path]) -> Iterator[tuple[Path, str | None]]:
    """Files to process from files and folders; (path, reason) for inputs to skip."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield child, None
            continue
        if path.exists() and path.suffix.lower() not in SUPPORTED_SUFFIXES:
            yield path, f"unsupported file type {path.suffix or '(none)'!r}"
            continue
        yield path, None


def process_file(path: Path, options: ExtractOptions) -> DocumentResult:
    """Extract one file; every failure becomes an error result with a one-line message."""
    from .assemble import extract_document
    from .ingest import ingest_file

    started = time.perf_counter()
    result = DocumentResult(path=str(path), status="ok")
    try:
        result.sha256 = sha256_of(read_bytes(path))
        document = ingest_file(
            path, pdf_backend=options.pdf_backend, max_pages=options.max_pages, ocr=options.ocr
        )
        result.pages = document.page_count
        result.records = extract_document(document)
        result.warnings = list(dict.fromkeys(w for r in result.records for w in r.warnings))
    except CasebookError as exc:
        result.status, result.error = "error", str(exc)
    except Exception as exc:  # a bug must not stop the batch; keep its origin for a report
        origin = traceback.extract_tb(exc.__traceback__)[-1]
        result.status = "error"
        result.error = (
            f"{path}: internal error {type(exc).__name__}: {exc} "
            f"(at {Path(origin.filename).name}:{origin.lineno})"
        )
    result.seconds = time.perf_counter() - started
    return result


def extract_paths(
    paths: Iterable[str | Path], options: ExtractOptions | None = None
) -> Iterator[DocumentResult]:
    """One DocumentResult per input, in input order (skipped inputs included)."""
    options = options or ExtractOptions()
    for path, skip_reason in discover(paths):
        if skip_reason:
            yield DocumentResult(path=str(path), status="skipped", error=f"{path}: {skip_reason}")
            continue
        yield process_file(path, options)


def write_run(out_dir: Path, results: list[DocumentResult], *, started: float) -> dict[str, Any]:
    """Write records.jsonl and manifest.json atomically; return the manifest."""
    from .nlp import pipeline_version

    lines = [record.to_json_line() for result in results for record in result.records]
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "pipeline_version": pipeline_version(),
        "documents": len(results),
        "ok": sum(r.status == "ok" for r in results),
        "errors": sum(r.status == "error" for r in results),
        "skipped": sum(r.status == "skipped" for r in results),
        "records": len(lines),
        "seconds": round(time.perf_counter() - started, 3),
        "inputs": [result.manifest_entry() for result in results],
    }
    write_lines_atomic(out_dir / "records.jsonl", lines)
    write_json_atomic(out_dir / "manifest.json", manifest)
    return manifest
