"""casebook: Swedish policy reports → validated, source-grounded case records.

>>> from pipeline import extract_text
>>> records = extract_text("Exempel 1: Stöd i Malmö\\n\\nMalmö stad fick stöd från regionalfonden.")
>>> [(r.case_number, r.title) for r in records]
[(1, 'Stöd i Malmö')]
>>> [city.name for city in records[0].cities], [fund.code for fund in records[0].funds]
(['Malmö'], ['ERDF'])
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .errors import CasebookError, IngestError, PatternError, RecordError, SegmentError

if TYPE_CHECKING:
    from .records import SCHEMA_VERSION, CaseRecord

__version__ = "0.1.0"


def extract_text(text: str, path: str = "<text>") -> list[CaseRecord]:
    """Records of one Swedish text given as a string."""
    from .assemble import extract_document
    from .ingest import ingest_text

    return extract_document(ingest_text(text, path))


def extract_file(
    path: str | Path, *, pdf_backend: str | None = None, max_pages: int | None = None
) -> list[CaseRecord]:
    """Records of one .pdf/.txt/.md file; raises a CasebookError subclass on bad input."""
    from .assemble import extract_document
    from .ingest import ingest_file

    return extract_document(ingest_file(path, pdf_backend=pdf_backend, max_pages=max_pages))


def extract_paths(
    paths: str | Path | Iterable[str | Path],
    *,
    errors: Literal["raise", "ignore"] = "raise",
    **options: Any,
) -> Iterator[CaseRecord]:
    """Records of many files, folders and glob patterns, in input order.

    Options as for `casebook extract`: workers (default 0: this process), timeout, max_pages,
    pdf_backend, ocr, executor ("local" | "dask"), scheduler, out_dir (cache and outputs),
    force. Failed inputs raise one CasebookError after the last record unless
    errors="ignore"; pipeline.batch.iter_results gives every input's status instead.
    """
    from .batch import extract_paths as _extract_paths

    return _extract_paths(paths, errors=errors, **options)


def __getattr__(name: str) -> Any:
    # The record models load pydantic and build validators (~0.5 s): only when asked for, so
    # `casebook extract` answering from its cache starts fast.
    if name in ("CaseRecord", "SCHEMA_VERSION"):
        from . import records

        return getattr(records, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")


__all__ = [
    "SCHEMA_VERSION",
    "CaseRecord",
    "CasebookError",
    "IngestError",
    "PatternError",
    "RecordError",
    "SegmentError",
    "extract_file",
    "extract_paths",
    "extract_text",
]
