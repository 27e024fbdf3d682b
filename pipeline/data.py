"""Loading the rule data under models/: one place that reads TSV / JSONL and reports errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from .errors import PatternError

MODELS_DIR = Path(__file__).resolve().parents[1] / "models"


def load_tsv(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a tab-separated file with a header; lines starting with '#' are comments."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            lines = [line for line in handle if line.strip() and not line.startswith("#")]
    except OSError as exc:
        raise PatternError(
            f"cannot read data file: {exc.strerror or exc}", path=str(path)
        ) from None
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    missing = [column for column in required if column not in (reader.fieldnames or [])]
    if missing:
        raise PatternError(f"missing column(s) {', '.join(missing)}", path=str(path))
    rows: list[dict[str, str]] = []
    for number, row in enumerate(reader, start=2):
        if None in row or any(row.get(column) in (None, "") for column in required[:1]):
            raise PatternError(
                f"line {number}: wrong number of fields or empty key", path=str(path)
            )
        rows.append({key: (value or "").strip() for key, value in row.items()})
    return rows


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise PatternError(
                        f"line {number}: invalid JSON ({exc.msg})", path=str(path)
                    ) from None
    except OSError as exc:
        raise PatternError(
            f"cannot read data file: {exc.strerror or exc}", path=str(path)
        ) from None
    return rows
