"""The committed JSON Schema (schema/case-record.schema.json) is the pydantic contract.

Schema drift fails here: change pipeline/records.py, then regenerate the file with
`python -m pipeline.export --write-schema` (and bump schema_version + the change log in
README.md when the contract changes).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from pipeline.export import SCHEMA_PATH, schema_text, write_schema
from pipeline.records import SCHEMA_VERSION, CaseRecord
from tests.conftest import ROOT

REGENERATE = "python -m pipeline.export --write-schema"


def test_committed_schema_matches_the_models():
    committed = SCHEMA_PATH.read_text(encoding="utf-8")
    assert committed == schema_text(), (
        f"{SCHEMA_PATH.relative_to(ROOT)} is out of date with pipeline/records.py; "
        f"regenerate it with `{REGENERATE}` and describe the change in README.md's"
        " schema_version change log"
    )


def test_schema_file_form_is_stable():
    text = SCHEMA_PATH.read_text(encoding="utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    parsed = json.loads(text)
    assert json.dumps(parsed, ensure_ascii=False, indent=2, sort_keys=True) + "\n" == text
    assert parsed["title"] == "CaseRecord"
    assert parsed["properties"]["schema_version"]["const"] == SCHEMA_VERSION


def test_write_schema_writes_the_same_bytes(tmp_path):
    target = write_schema(tmp_path / "schema" / "case-record.schema.json")
    assert target.read_bytes() == SCHEMA_PATH.read_bytes()


def test_every_model_field_is_in_the_schema():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert set(schema["properties"]) == set(CaseRecord.model_fields)
    required = {name for name, info in CaseRecord.model_fields.items() if info.is_required()}
    assert set(schema["required"]) == required
    figure = schema["$defs"]["Figure"]["properties"]
    assert {"per", "bound", "range_part", "context"} <= set(figure)
    assert "bbox" in schema["$defs"]["Mention"]["properties"]


# A small validator for the keywords pydantic emits, so real records are checked against
# the committed file without another dependency.
def _errors(value: Any, node: dict[str, Any], root: dict[str, Any], where: str) -> list[str]:
    if "$ref" in node:
        return _errors(value, root["$defs"][node["$ref"].rsplit("/", 1)[-1]], root, where)
    if "anyOf" in node:
        options = [_errors(value, option, root, where) for option in node["anyOf"]]
        return [] if any(not found for found in options) else [f"{where}: matches no anyOf"]
    problems: list[str] = []
    kind = node.get("type")
    checks = {
        "object": isinstance(value, dict),
        "array": isinstance(value, list),
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "null": value is None,
    }
    if kind and not checks[kind]:
        return [f"{where}: expected {kind}, got {value!r}"]
    if "const" in node and value != node["const"]:
        problems.append(f"{where}: expected {node['const']!r}")
    if "enum" in node and value not in node["enum"]:
        problems.append(f"{where}: {value!r} not in {node['enum']}")
    if "pattern" in node and not re.search(node["pattern"], value):
        problems.append(f"{where}: {value!r} does not match {node['pattern']}")
    if "minimum" in node and value < node["minimum"]:
        problems.append(f"{where}: {value} below {node['minimum']}")
    if kind == "object":
        properties = node.get("properties", {})
        problems += [
            f"{where}.{key}: missing" for key in node.get("required", []) if key not in value
        ]
        for key, item in value.items():
            if key in properties:
                problems += _errors(item, properties[key], root, f"{where}.{key}")
            elif node.get("additionalProperties") is False:
                problems.append(f"{where}.{key}: not allowed")
    if kind == "array":
        if len(value) < node.get("minItems", 0) or len(value) > node.get("maxItems", len(value)):
            problems.append(f"{where}: {len(value)} items out of bounds")
        prefix = node.get("prefixItems", [])
        for index, item in enumerate(value):
            sub = prefix[index] if index < len(prefix) else node.get("items", {})
            problems += _errors(item, sub, root, f"{where}[{index}]")
    return problems


def test_sample_records_validate_against_the_committed_schema(sample_records):
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    for record in sample_records:
        data = json.loads(record.to_json_line())
        assert _errors(data, schema, schema, "record") == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(colour="blå"), "record.colour: not allowed"),
        (lambda d: d.update(schema_version="1"), "record.schema_version: expected '2'"),
        (lambda d: d["span"].pop("pages"), "record.span.pages: missing"),
        (lambda d: d["document"].update(id="XYZ"), "does not match"),
    ],
)
def test_the_validator_catches_contract_breaks(sample_records, change, expected):
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    data = json.loads(sample_records[0].to_json_line())
    change(data)
    assert any(expected in problem for problem in _errors(data, schema, schema, "record"))
