"""Export: a run's records.jsonl → tables and files other tools read.

Every tabular format carries the same relational shape (see `CASE_COLUMNS`,
`MENTION_COLUMNS`, `FIGURE_COLUMNS`): `cases` (one row per record), `mentions` (one row per
piece of evidence) and `figures` (one row per figure). The annotation-tool formats (spaCy
DocBin, Label Studio, Prodigy) live in pipeline.annotations and are dispatched from here.

Regenerate the committed JSON Schema with `python -m pipeline.export --write-schema`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CasebookError
from .outputs import write_atomic
from .records import CaseRecord, Mention, read_records, record_schema_text

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "case-record.schema.json"

TABLE_FORMATS = ("csv", "xlsx", "parquet", "sqlite", "duckdb", "geojson")
ANNOTATION_FORMATS = ("docbin", "labelstudio", "prodigy")
FORMATS = TABLE_FORMATS + ANNOTATION_FORMATS

# Default output, relative to the run folder, per format.
DEFAULT_OUTPUTS = {
    "csv": "csv",
    "xlsx": "cases.xlsx",
    "parquet": "parquet",
    "sqlite": "cases.sqlite",
    "duckdb": "cases.duckdb",
    "geojson": "cases.geojson",
    "docbin": "cases.spacy",
    "labelstudio": "labelstudio.json",
    "prodigy": "prodigy.jsonl",
}

# Spreadsheets cannot hold lists: list fields of `cases` are joined with this separator.
LIST_SEPARATOR = "; "
# Warnings are sentences that may contain "; " themselves: one per line instead.
WARNING_SEPARATOR = "\n"

# The example query of README.md (cases per fund); tests run exactly this.
CASES_PER_FUND_SQL = (
    "SELECT code AS fund, COUNT(DISTINCT record_id) AS cases FROM mentions "
    "WHERE field = 'funds' GROUP BY code ORDER BY cases DESC, fund"
)

# Column name → type: str | int | float | bool. Order is the column order in every format.
CASE_COLUMNS: dict[str, str] = {
    "record_id": "str",
    "schema_version": "str",
    "document_id": "str",
    "document_path": "str",
    "document_sha256": "str",
    "case_number": "int",
    "title": "str",
    "span_start": "int",
    "span_end": "int",
    "pages": "str",
    "cities": "str",
    "city_codes": "str",
    "regions": "str",
    "region_codes": "str",
    "funds": "str",
    "priorities": "str",
    "organisations": "str",
    "projects": "str",
    "dates": "str",
    "n_mentions": "int",
    "n_figures": "int",
    "n_dates": "int",
    "warnings": "str",
    "reviewed": "bool",
}
MENTION_COLUMNS: dict[str, str] = {
    "record_id": "str",
    "field": "str",
    "item": "int",
    "value": "str",
    "code": "str",
    "kind": "str",
    "text": "str",
    "start": "int",
    "end": "int",
    "page": "int",
    "bbox_x0": "float",
    "bbox_top": "float",
    "bbox_x1": "float",
    "bbox_bottom": "float",
}
FIGURE_COLUMNS: dict[str, str] = {
    "record_id": "str",
    "item": "int",
    "kind": "str",
    "value": "float",
    "unit": "str",
    "per": "str",
    "approximate": "bool",
    "bound": "str",
    "range_part": "str",
    "context": "str",
    "text": "str",
    "start": "int",
    "end": "int",
    "page": "int",
}
TABLE_COLUMNS = {"cases": CASE_COLUMNS, "mentions": MENTION_COLUMNS, "figures": FIGURE_COLUMNS}

# Record fields with mentions, in the order their rows appear in `mentions`.
MENTION_FIELDS = (
    "cities",
    "regions",
    "funds",
    "priorities",
    "organisations",
    "projects",
    "figures",
    "dates",
)

Row = dict[str, Any]


class ExportError(CasebookError):
    """A run folder cannot be read or an export cannot be written."""


@dataclass
class Tables:
    cases: list[Row] = field(default_factory=list)
    mentions: list[Row] = field(default_factory=list)
    figures: list[Row] = field(default_factory=list)

    def items(self) -> Iterator[tuple[str, list[Row]]]:
        yield "cases", self.cases
        yield "mentions", self.mentions
        yield "figures", self.figures


@dataclass
class ExportResult:
    """What an export wrote: files, row counts per table, and notes for the user."""

    format: str
    paths: list[Path]
    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- reading a run


def records_path(run_dir: Path) -> Path:
    """records.jsonl of a run folder (a records.jsonl path itself is accepted too)."""
    run_dir = Path(run_dir)
    if run_dir.is_file():
        return run_dir
    if not run_dir.exists():
        raise ExportError("run folder not found", path=str(run_dir))
    path = run_dir / "records.jsonl"
    if not path.is_file():
        raise ExportError(
            "no records.jsonl in the run folder (run `casebook extract PATH --out DIR` first)",
            path=str(run_dir),
        )
    return path


def load_records(run_dir: str | Path) -> list[CaseRecord]:
    """The validated records of a run; a bad line raises ExportError naming the line."""
    return read_records(records_path(Path(run_dir)), ExportError)


# --------------------------------------------------------------------------- the tables


def number_text(value: float) -> str:
    """A figure value as text: "4000", not "4000.0" or "4e+03"."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _joined(values: list[str]) -> str:
    return LIST_SEPARATOR.join(dict.fromkeys(values))


def _mention_row(
    record: CaseRecord,
    field_name: str,
    item: int,
    mention: Mention,
    value: str,
    code: str | None,
    kind: str | None,
) -> Row:
    box = mention.bbox or (None, None, None, None)
    return {
        "record_id": record.record_id,
        "field": field_name,
        "item": item,
        "value": value,
        "code": code,
        "kind": kind,
        "text": mention.text,
        "start": mention.start,
        "end": mention.end,
        "page": mention.page,
        "bbox_x0": box[0],
        "bbox_top": box[1],
        "bbox_x1": box[2],
        "bbox_bottom": box[3],
    }


def mention_rows(record: CaseRecord) -> list[Row]:
    """One row per mention of a record, fields in MENTION_FIELDS order."""
    rows: list[Row] = []
    for name in ("cities", "regions"):
        for item, place in enumerate(getattr(record, name)):
            for mention in place.mentions:
                rows.append(_mention_row(record, name, item, mention, place.name, place.code, None))
    for item, fund in enumerate(record.funds):
        for mention in fund.mentions:
            rows.append(_mention_row(record, "funds", item, mention, fund.name, fund.code, None))
    for item, priority in enumerate(record.priorities):
        for mention in priority.mentions:
            values = (priority.name, priority.code, priority.scheme)
            rows.append(_mention_row(record, "priorities", item, mention, *values))
    for name in ("organisations", "projects"):
        for item, entity in enumerate(getattr(record, name)):
            for mention in entity.mentions:
                rows.append(
                    _mention_row(record, name, item, mention, entity.name, None, entity.kind)
                )
    for item, figure in enumerate(record.figures):
        values = (number_text(figure.value), figure.unit, figure.kind)
        rows.append(_mention_row(record, "figures", item, figure.mention, *values))
    for item, date in enumerate(record.dates):
        rows.append(_mention_row(record, "dates", item, date.mention, date.value, None, date.kind))
    return rows


def figure_rows(record: CaseRecord) -> list[Row]:
    return [
        {
            "record_id": record.record_id,
            "item": item,
            "kind": figure.kind,
            "value": float(figure.value),
            "unit": figure.unit,
            "per": figure.per,
            "approximate": figure.approximate,
            "bound": figure.bound,
            "range_part": figure.range_part,
            "context": figure.context,
            "text": figure.text,
            "start": figure.mention.start,
            "end": figure.mention.end,
            "page": figure.mention.page,
        }
        for item, figure in enumerate(record.figures)
    ]


def case_row(record: CaseRecord) -> Row:
    return {
        "record_id": record.record_id,
        "schema_version": record.schema_version,
        "document_id": record.document.id,
        "document_path": record.document.path,
        "document_sha256": record.document.sha256,
        "case_number": record.case_number,
        "title": record.title,
        "span_start": record.span.start,
        "span_end": record.span.end,
        "pages": _joined([str(page) for page in record.span.pages]),
        "cities": _joined([city.name for city in record.cities]),
        "city_codes": _joined([city.code for city in record.cities]),
        "regions": _joined([region.name for region in record.regions]),
        "region_codes": _joined([region.code for region in record.regions]),
        "funds": _joined([fund.code for fund in record.funds]),
        "priorities": _joined([priority.code for priority in record.priorities]),
        "organisations": _joined([org.name for org in record.organisations]),
        "projects": _joined([project.name for project in record.projects]),
        "dates": _joined([date.value for date in record.dates]),
        "n_mentions": len(record.iter_mentions()),
        "n_figures": len(record.figures),
        "n_dates": len(record.dates),
        "warnings": WARNING_SEPARATOR.join(record.warnings),
        "reviewed": record.reviewed,
    }


def build_tables(records: list[CaseRecord]) -> Tables:
    tables = Tables()
    for record in records:
        tables.cases.append(case_row(record))
        tables.mentions.extend(mention_rows(record))
        tables.figures.extend(figure_rows(record))
    return tables


# --------------------------------------------------------------------------- writers


def _csv_bytes(columns: dict[str, str], rows: list[Row]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row[name]) for name in columns])
    # The BOM makes Excel read the file as UTF-8 (åäö intact) instead of the ANSI code page.
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def write_csv(tables: Tables, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, rows in tables.items():
        path = out / f"{name}.csv"
        write_atomic(path, _csv_bytes(TABLE_COLUMNS[name], rows))
        paths.append(path)
    return paths


def write_xlsx(tables: Tables, out: Path) -> list[Path]:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in tables.items():
        sheet = workbook.create_sheet(name)
        columns = TABLE_COLUMNS[name]
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row_index, row in enumerate(rows, start=2):
            for column_index, column in enumerate(columns, start=1):
                value = row[column]
                if isinstance(value, str):
                    # Control characters are not allowed in XML; a leading "=" must stay text.
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell = sheet.cell(row=row_index, column=column_index, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomic(out, buffer.getvalue())
    return [out]


def arrow_table(columns: dict[str, str], rows: list[Row]):  # -> pyarrow.Table
    import pyarrow as pa

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    schema = pa.schema([pa.field(name, types[kind]) for name, kind in columns.items()])
    return pa.table({name: [row[name] for row in rows] for name in columns}, schema=schema)


def write_parquet(tables: Tables, out: Path) -> list[Path]:
    import pyarrow.parquet as pq

    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, rows in tables.items():
        buffer = io.BytesIO()
        pq.write_table(arrow_table(TABLE_COLUMNS[name], rows), buffer)
        path = out / f"{name}.parquet"
        write_atomic(path, buffer.getvalue())
        paths.append(path)
    return paths


def _database_atomic(out: Path, build: Callable[[Path], None]) -> None:
    """Build a database in a fresh temp file next to `out`, then rename it over `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        build(temp)
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
        Path(f"{temp}.wal").unlink(missing_ok=True)


_SQLITE_TYPES = {"str": "TEXT", "int": "INTEGER", "float": "REAL", "bool": "INTEGER"}


def write_sqlite(tables: Tables, out: Path) -> list[Path]:
    def build(path: Path) -> None:
        connection = sqlite3.connect(path)
        try:
            for name, rows in tables.items():
                columns = TABLE_COLUMNS[name]
                definition = ", ".join(
                    f'"{column}" {_SQLITE_TYPES[kind]}' for column, kind in columns.items()
                )
                connection.execute(f"CREATE TABLE {name} ({definition})")
                marks = ", ".join("?" for _ in columns)
                connection.executemany(
                    f"INSERT INTO {name} VALUES ({marks})",
                    ([row[column] for column in columns] for row in rows),
                )
                connection.execute(f"CREATE INDEX {name}_record_id ON {name} (record_id)")
            connection.execute("CREATE INDEX mentions_field_code ON mentions (field, code)")
            connection.commit()
        finally:
            connection.close()

    _database_atomic(out, build)
    return [out]


def write_duckdb(tables: Tables, out: Path) -> list[Path]:
    import duckdb

    def build(path: Path) -> None:
        connection = duckdb.connect(str(path))
        try:
            for name, rows in tables.items():
                connection.register("source", arrow_table(TABLE_COLUMNS[name], rows))
                connection.execute(f"CREATE TABLE {name} AS SELECT * FROM source")
                connection.unregister("source")
                connection.execute(f"CREATE INDEX {name}_record_id ON {name} (record_id)")
            connection.execute("CHECKPOINT")
        finally:
            connection.close()

    _database_atomic(out, build)
    return [out]


def geojson_collection(records: list[CaseRecord]) -> tuple[dict[str, Any], list[str]]:
    """A FeatureCollection: one Point per (case, city), at the municipality's coordinates."""
    from .gazetteer import load_gazetteer

    municipalities = load_gazetteer().municipalities
    features: list[dict[str, Any]] = []
    warnings: list[str] = []
    for record in records:
        for city in record.cities:
            place = municipalities.get(city.code)
            if place is None:
                warnings.append(f"{record.record_id}: no coordinates for city code {city.code}")
                continue
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                    "properties": {
                        "record_id": record.record_id,
                        "case_number": record.case_number,
                        "title": record.title,
                        "city": city.name,
                        "city_code": city.code,
                        "mentions": len(city.mentions),
                        "regions": _joined([region.name for region in record.regions]),
                        "funds": _joined([fund.code for fund in record.funds]),
                        "document_path": record.document.path,
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}, warnings


def write_geojson(records: list[CaseRecord], out: Path) -> tuple[list[Path], int, list[str]]:
    collection, warnings = geojson_collection(records)
    text = json.dumps(collection, ensure_ascii=False, indent=1) + "\n"
    write_atomic(out, text.encode("utf-8"))
    return [out], len(collection["features"]), warnings


_TABLE_WRITERS: dict[str, Callable[[Tables, Path], list[Path]]] = {
    "csv": write_csv,
    "xlsx": write_xlsx,
    "parquet": write_parquet,
    "sqlite": write_sqlite,
    "duckdb": write_duckdb,
}


def export_records(
    records: list[CaseRecord],
    fmt: str,
    out: str | Path,
    *,
    run_dir: str | Path | None = None,
    pdf_backend: str | None = None,
) -> ExportResult:
    """Write `records` in format `fmt` to `out` (a folder for csv/parquet, else a file)."""
    out = Path(out)
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    try:
        if fmt in _TABLE_WRITERS:
            tables = build_tables(records)
            paths = _TABLE_WRITERS[fmt](tables, out)
            counts = {name: len(rows) for name, rows in tables.items()}
            return ExportResult(fmt, paths, counts)
        if fmt == "geojson":
            paths, features, warnings = write_geojson(records, out)
            return ExportResult(fmt, paths, {"features": features}, warnings)
        from .annotations import export_annotations

        return export_annotations(
            records, fmt, out, run_dir=Path(run_dir) if run_dir else None, pdf_backend=pdf_backend
        )
    except OSError as exc:
        raise ExportError(
            f"cannot write {fmt} export: {exc.strerror or exc}", path=str(out)
        ) from None


def export_run(
    run_dir: str | Path,
    fmt: str,
    out: str | Path | None = None,
    *,
    pdf_backend: str | None = None,
) -> ExportResult:
    """Export a run folder (records.jsonl) in one format; default output inside the run."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    run_dir = Path(run_dir)
    records = load_records(run_dir)
    base = run_dir if run_dir.is_dir() else run_dir.parent
    target = Path(out) if out is not None else base / DEFAULT_OUTPUTS[fmt]
    return export_records(records, fmt, target, run_dir=base, pdf_backend=pdf_backend)


# --------------------------------------------------------------------------- JSON Schema


def schema_text() -> str:
    """The committed form of the record JSON Schema: sorted keys, 2-space indent, newline."""
    return record_schema_text()


def write_schema(path: Path = SCHEMA_PATH) -> Path:
    write_atomic(path, schema_text().encode("utf-8"))
    return path


if __name__ == "__main__":  # python -m pipeline.export --write-schema
    if sys.argv[1:] != ["--write-schema"]:
        sys.stderr.write("usage: python -m pipeline.export --write-schema\n")
        raise SystemExit(2)
    sys.stdout.write(f"wrote {write_schema()}\n")
