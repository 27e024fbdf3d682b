"""`casebook export`: the sample corpus round-trips through every tabular format.

The expected rows are derived here from the raw JSON of records.jsonl, independently of
pipeline.export, and every format is read back with its own reader library.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.export import (
    CASES_PER_FUND_SQL,
    TABLE_COLUMNS,
    ExportError,
    export_run,
    load_records,
)
from pipeline.gazetteer import load_gazetteer
from tests.conftest import ROOT, SAMPLE

runner = CliRunner()
SWEDISH_TITLE = "Besöksnäring på fjället, Ängarna och entrécaféer i Åre och Östersund"
# Written by us: a second case document whose values carry å ä ö Å Ä Ö é.
SWEDISH_DOCUMENT = f"""Exempel 1: {SWEDISH_TITLE}

Åre kommun och Östersunds kommun driver sedan hösten 2019 projektet Fjällnära Entré
tillsammans med Mittuniversitetet. Projektet har fått 2,5 miljoner kronor från Europeiska
regionala utvecklingsfonden och når cirka 40 företag i Jämtlands län.
"""
TABULAR = ("csv", "xlsx", "parquet", "sqlite", "duckdb")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("export")
    extra = base / "fjallnara_entre.txt"
    extra.write_text(SWEDISH_DOCUMENT, encoding="utf-8")
    out = base / "run"
    result = runner.invoke(app, ["extract", str(SAMPLE), str(extra), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def raw_records(run_dir) -> list[dict[str, Any]]:
    lines = (run_dir / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def exported(run_dir) -> dict[str, Path]:
    paths = {}
    for fmt in (*TABULAR, "geojson"):
        result = runner.invoke(app, ["export", str(run_dir), "--format", fmt])
        assert result.exit_code == 0, result.output
        paths[fmt] = (
            run_dir
            / {
                "csv": "csv",
                "xlsx": "cases.xlsx",
                "parquet": "parquet",
                "sqlite": "cases.sqlite",
                "duckdb": "cases.duckdb",
                "geojson": "cases.geojson",
            }[fmt]
        )
    return paths


# --------------------------------------------------------------------------- readers


def _typed(table: str, row: dict[str, str]) -> dict[str, Any]:
    """A CSV row with the column types of the documented shape ("" is null)."""
    typed: dict[str, Any] = {}
    for name, kind in TABLE_COLUMNS[table].items():
        value = row[name]
        if value == "":
            typed[name] = None
        elif kind == "int":
            typed[name] = int(value)
        elif kind == "float":
            typed[name] = float(value)
        elif kind == "bool":
            typed[name] = {"true": True, "false": False}[value]
        else:
            typed[name] = value
    return typed


def read_tables(fmt: str, path: Path) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in TABLE_COLUMNS:
        if fmt == "csv":
            with (path / f"{table}.csv").open(encoding="utf-8-sig", newline="") as stream:
                tables[table] = [_typed(table, row) for row in csv.DictReader(stream)]
        elif fmt == "xlsx":
            from openpyxl import load_workbook

            sheet = load_workbook(path, read_only=True)[table]
            rows = list(sheet.iter_rows(values_only=True))
            tables[table] = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
        elif fmt == "parquet":
            import pyarrow.parquet as pq

            tables[table] = pq.read_table(path / f"{table}.parquet").to_pylist()
        elif fmt == "sqlite":
            connection = sqlite3.connect(path)
            connection.row_factory = sqlite3.Row
            tables[table] = [dict(row) for row in connection.execute(f"SELECT * FROM {table}")]
            connection.close()
        else:
            import duckdb

            connection = duckdb.connect(str(path), read_only=True)
            cursor = connection.execute(f"SELECT * FROM {table}")
            names = [column[0] for column in cursor.description]
            tables[table] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            connection.close()
    return tables


def _blank(value: Any) -> Any:
    """Spreadsheet cells and CSV fields cannot tell an empty string from null."""
    return None if value in ("", None) else value


# --------------------------------------------------------------------------- expectations


def expected_mentions(raw_records) -> Counter:
    found: Counter = Counter()
    for record in raw_records:
        for field in ("cities", "regions", "funds", "priorities", "organisations", "projects"):
            for item in record[field]:
                for m in item["mentions"]:
                    found[
                        (record["record_id"], field, m["text"], m["start"], m["end"], m["page"])
                    ] += 1
        for field in ("figures", "dates"):
            for item in record[field]:
                m = item["mention"]
                found[(record["record_id"], field, m["text"], m["start"], m["end"], m["page"])] += 1
    return found


def expected_figures(raw_records) -> Counter:
    keys = ("kind", "value", "unit", "per", "approximate", "bound", "range_part", "context", "text")
    return Counter(
        (
            record["record_id"],
            *(_blank(figure[key]) for key in keys),
            figure["mention"]["start"],
            figure["mention"]["end"],
            figure["mention"]["page"],
        )
        for record in raw_records
        for figure in record["figures"]
    )


def cases_per_fund(raw_records) -> list[tuple[str, int]]:
    counts = Counter(code for r in raw_records for code in {f["code"] for f in r["funds"]})
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


# --------------------------------------------------------------------------- tests


def test_sample_run_has_the_values_the_round_trip_needs(raw_records):
    assert len(raw_records) == 6
    assert any(r["figures"] for r in raw_records) and any(r["dates"] for r in raw_records)
    assert any(r["title"] == SWEDISH_TITLE for r in raw_records)
    assert {"Åre", "Östersund"} <= {c["name"] for r in raw_records for c in r["cities"]}


@pytest.mark.parametrize("fmt", TABULAR)
def test_row_counts_match_the_records(fmt, exported, raw_records):
    tables = read_tables(fmt, exported[fmt])
    assert len(tables["cases"]) == len(raw_records)
    assert len(tables["mentions"]) == sum(expected_mentions(raw_records).values())
    assert len(tables["figures"]) == sum(len(r["figures"]) for r in raw_records)
    assert list(tables["mentions"][0]) == list(TABLE_COLUMNS["mentions"])


@pytest.mark.parametrize("fmt", TABULAR)
def test_cases_values_equal_the_jsonl(fmt, exported, raw_records):
    cases = read_tables(fmt, exported[fmt])["cases"]
    for row, record in zip(cases, raw_records, strict=True):
        assert row["record_id"] == record["record_id"]
        assert row["case_number"] == record["case_number"]
        assert row["title"] == record["title"]
        assert (row["span_start"], row["span_end"]) == (
            record["span"]["start"],
            record["span"]["end"],
        )
        assert row["document_path"] == record["document"]["path"]
        assert _blank(row["cities"]) == _blank("; ".join(c["name"] for c in record["cities"]))
        assert _blank(row["city_codes"]) == _blank("; ".join(c["code"] for c in record["cities"]))
        assert _blank(row["funds"]) == _blank("; ".join(f["code"] for f in record["funds"]))
        assert _blank(row["projects"]) == _blank("; ".join(p["name"] for p in record["projects"]))
        assert row["n_figures"] == len(record["figures"])
        assert bool(row["reviewed"]) is record["reviewed"]
    assert SWEDISH_TITLE in {row["title"] for row in cases}


@pytest.mark.parametrize("fmt", TABULAR)
def test_mentions_and_figures_equal_the_jsonl(fmt, exported, raw_records):
    tables = read_tables(fmt, exported[fmt])
    got = Counter(
        (r["record_id"], r["field"], r["text"], r["start"], r["end"], r["page"])
        for r in tables["mentions"]
    )
    assert got == expected_mentions(raw_records)
    values = {
        (r["record_id"], r["field"], r["value"], _blank(r["code"])) for r in tables["mentions"]
    }
    for record in raw_records:
        for city in record["cities"]:
            assert (record["record_id"], "cities", city["name"], city["code"]) in values
        for fund in record["funds"]:
            assert (record["record_id"], "funds", fund["name"], fund["code"]) in values
    figures = Counter(
        (
            r["record_id"],
            *(_blank(r[key]) for key in ("kind", "value", "unit", "per")),
            bool(r["approximate"]),
            *(_blank(r[key]) for key in ("bound", "range_part", "context", "text")),
            r["start"],
            r["end"],
            r["page"],
        )
        for r in tables["figures"]
    )
    assert figures == expected_figures(raw_records)


@pytest.mark.parametrize("fmt", ["sqlite", "duckdb"])
def test_databases_answer_the_documented_query(fmt, exported, raw_records):
    docs = (ROOT / "README.md").read_text(encoding="utf-8")
    assert CASES_PER_FUND_SQL in " ".join(docs.split())
    if fmt == "sqlite":
        connection = sqlite3.connect(exported[fmt])
        indexes = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        assert {"cases_record_id", "mentions_record_id", "figures_record_id"} <= indexes
    else:
        import duckdb

        connection = duckdb.connect(str(exported[fmt]), read_only=True)
    rows = [tuple(row) for row in connection.execute(CASES_PER_FUND_SQL).fetchall()]
    connection.close()
    assert rows == cases_per_fund(raw_records)
    assert ("ERDF", 6) in rows


def test_csv_has_a_bom_for_excel(exported):
    raw = (exported["csv"] / "cases.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert SWEDISH_TITLE.encode("utf-8") in raw


def test_xlsx_sheets_frozen_headers_and_swedish_text(exported):
    from openpyxl import load_workbook

    workbook = load_workbook(exported["xlsx"])
    assert workbook.sheetnames == ["cases", "mentions", "figures"]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert [cell.value for cell in sheet[1]] == list(TABLE_COLUMNS[sheet.title])
    column = list(TABLE_COLUMNS["cases"]).index("title")
    assert SWEDISH_TITLE in [row[column] for row in workbook["cases"].iter_rows(values_only=True)]
    column = list(TABLE_COLUMNS["mentions"]).index("text")
    texts = {row[column] for row in workbook["mentions"].iter_rows(values_only=True)}
    assert {"Åre", "Fjällnära Entré"} <= texts


def test_geojson_points_at_gazetteer_coordinates(exported, raw_records):
    collection = json.loads(exported["geojson"].read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    municipalities = load_gazetteer().municipalities
    expected = [(r["record_id"], c["code"]) for r in raw_records for c in r["cities"]]
    got = [
        (f["properties"]["record_id"], f["properties"]["city_code"]) for f in collection["features"]
    ]
    assert got == expected
    for feature in collection["features"]:
        place = municipalities[feature["properties"]["city_code"]]
        assert feature["geometry"] == {"type": "Point", "coordinates": [place.lon, place.lat]}
        assert 10 < place.lon < 25 and 55 < place.lat < 70  # [lon, lat] order, inside Sweden
        assert feature["properties"]["city"] == place.name
    are = next(f for f in collection["features"] if f["properties"]["city"] == "Åre")
    assert are["properties"]["title"] == SWEDISH_TITLE
    assert are["properties"]["funds"] == "ERDF"


def test_exports_leave_no_temp_files_and_overwrite_cleanly(run_dir, exported, raw_records):
    result = export_run(run_dir, "sqlite")  # a second export replaces the database
    assert result.counts["cases"] == len(raw_records)
    assert len(read_tables("sqlite", exported["sqlite"])["cases"]) == len(raw_records)
    assert not [p for p in run_dir.rglob("*") if p.name.endswith(".tmp")]


def test_export_to_chosen_path(run_dir, tmp_path):
    result = runner.invoke(
        app, ["export", str(run_dir), "--format", "parquet", "--out", str(tmp_path / "pq")]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "pq").iterdir()) == [
        "cases.parquet",
        "figures.parquet",
        "mentions.parquet",
    ]


def test_missing_run_dir_is_a_one_line_error(tmp_path):
    with pytest.raises(ExportError, match="run folder not found"):
        load_records(tmp_path / "saknas")
    result = runner.invoke(app, ["export", str(tmp_path / "saknas"), "--format", "csv"])
    assert result.exit_code == 1
    assert "run folder not found" in result.output and "Traceback" not in result.output
    empty = tmp_path / "tom"
    empty.mkdir()
    with pytest.raises(ExportError, match=r"no records\.jsonl"):
        load_records(empty)


def test_bad_records_line_names_the_line(run_dir, tmp_path):
    lines = (run_dir / "records.jsonl").read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "records.jsonl").write_text(lines[0] + "\n{inte json\n", encoding="utf-8")
    with pytest.raises(ExportError, match="line 2 is not valid JSON"):
        load_records(broken)
    record = json.loads(lines[0])
    record["cities"][0]["mentions"] = []
    (broken / "records.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(ExportError, match=r"line 1 breaks the record contract at cities\.0"):
        load_records(broken)
    result = runner.invoke(app, ["export", str(broken), "--format", "xlsx"])
    assert result.exit_code == 1 and "line 1" in result.output
    assert "\n" not in result.output.strip()


def test_unknown_format_is_a_usage_error(run_dir):
    result = runner.invoke(app, ["export", str(run_dir), "--format", "pdf"])
    assert result.exit_code == 2
    assert "unknown format 'pdf'" in result.output


def test_xlsx_keeps_formula_like_text_as_text(run_dir, tmp_path):
    from openpyxl import load_workbook

    from pipeline.export import export_records

    records = load_records(run_dir)
    records[0] = records[0].model_copy(update={"title": "=SUMMA(1;2) i Åre"})
    export_records(records, "xlsx", tmp_path / "cases.xlsx")
    sheet = load_workbook(tmp_path / "cases.xlsx")["cases"]
    cell = sheet.cell(row=2, column=list(TABLE_COLUMNS["cases"]).index("title") + 1)
    assert (cell.value, cell.data_type) == ("=SUMMA(1;2) i Åre", "s")
