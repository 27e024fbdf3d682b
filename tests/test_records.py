"""Records: the contract's models, offset validation, determinism, JSON Schema."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from pipeline.records import SCHEMA_VERSION, CaseRecord, Mention, record_json_schema

TEXT = "Exempel 1: Stöd i Malmö\n\nMalmö stad fick 12 miljoner kronor från regionalfonden."


def minimal(**changes) -> dict:
    start = TEXT.index("Malmö stad")
    data = {
        "record_id": "0123456789ab:1",
        "document": {
            "id": "0123456789ab",
            "path": "x.txt",
            "sha256": "0123456789ab" + "0" * 52,
            "pages": 1,
        },
        "case_number": 1,
        "title": "Stöd i Malmö",
        "span": {"start": 0, "end": len(TEXT), "pages": [1]},
        "cities": [
            {
                "name": "Malmö",
                "code": "1280",
                "mentions": [{"text": "Malmö stad", "start": start, "end": start + 10, "page": 1}],
            }
        ],
    }
    data.update(changes)
    return data


def test_valid_record_round_trips_through_json():
    record = CaseRecord.model_validate(minimal(), context={"text": TEXT})
    assert record.schema_version == SCHEMA_VERSION
    again = CaseRecord.model_validate_json(record.to_json_line(), context={"text": TEXT})
    assert again == record


def test_mention_must_match_the_clean_text():
    bad = minimal()
    bad["cities"][0]["mentions"][0]["start"] += 1
    bad["cities"][0]["mentions"][0]["end"] += 1
    with pytest.raises(ValidationError, match="does not match the clean text"):
        CaseRecord.model_validate(bad, context={"text": TEXT})


def test_mention_length_must_equal_offsets():
    with pytest.raises(ValidationError, match="length"):
        Mention(text="Malmö", start=0, end=7)


def test_mentions_outside_the_case_span_are_rejected():
    data = minimal(span={"start": 0, "end": 10, "pages": [1]})
    with pytest.raises(ValidationError, match="outside the case span"):
        CaseRecord.model_validate(data, context={"text": TEXT})


@pytest.mark.parametrize(
    "change",
    [
        {"colour": "blå"},
        {"funds": [{"code": "XYZ", "name": "x", "mentions": []}]},
        {"schema_version": "1"},
        {"document": {"id": "short", "path": "x", "sha256": "0" * 64}},
    ],
)
def test_contract_violations_are_rejected(change):
    with pytest.raises(ValidationError):
        CaseRecord.model_validate(minimal(**change), context={"text": TEXT})


@pytest.mark.parametrize(
    "value", ["2017", "2017-03", "2015-05-25", "2014/2020", "2023-06-27/2023-09-14"]
)
def test_date_values_accept_iso_prefixes_and_periods(value):
    start = TEXT.index("Malmö stad")
    data = minimal(
        dates=[
            {
                "value": value,
                "text": "Malmö",
                "mention": {"text": "Malmö", "start": start, "end": start + 5, "page": 1},
            }
        ]
    )
    assert CaseRecord.model_validate(data, context={"text": TEXT}).dates[0].value == value


@pytest.mark.parametrize("value", ["17", "2017-3", "mars 2017", "2017/"])
def test_date_values_reject_other_forms(value):
    start = TEXT.index("Malmö stad")
    data = minimal(
        dates=[
            {
                "value": value,
                "text": "Malmö",
                "mention": {"text": "Malmö", "start": start, "end": start + 5, "page": 1},
            }
        ]
    )
    with pytest.raises(ValidationError):
        CaseRecord.model_validate(data, context={"text": TEXT})


def test_json_schema_forbids_extra_fields_and_names_every_contract_field():
    schema = record_json_schema()
    assert schema["additionalProperties"] is False
    for field in (
        "schema_version",
        "record_id",
        "document",
        "case_number",
        "title",
        "span",
        "cities",
        "regions",
        "funds",
        "priorities",
        "figures",
        "dates",
        "organisations",
        "projects",
        "warnings",
    ):
        assert field in schema["properties"]
    json.dumps(schema)


def test_records_are_deterministic(sample_records):
    from pipeline import extract_file
    from tests.conftest import SAMPLE

    again = extract_file(SAMPLE)
    assert [r.to_json_line() for r in again] == [r.to_json_line() for r in sample_records]


def test_every_mention_in_sample_points_at_its_evidence(sample_records):
    from pipeline.ingest import ingest_file
    from tests.conftest import SAMPLE

    text = ingest_file(SAMPLE).text
    for record in sample_records:
        for mention in record.iter_mentions():
            assert text[mention.start : mention.end] == mention.text
            assert mention.page == 1
        starts = [group.mentions[0].start for group in record.cities]
        assert starts == sorted(starts)


def _python_json(record: CaseRecord) -> str:
    return json.dumps(record.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))


# Every character but the surrogates: the JSON line must escape them as json.dumps does.
EVERY_CHARACTER = "".join(chr(c) for c in range(0x11000) if not 0xD800 <= c < 0xE000) + "\U0010ffff"


def figure(value: float) -> dict:
    start = TEXT.index("12 miljoner kronor")
    return {
        "kind": "money",
        "value": value,
        "unit": "SEK",
        "text": "12 miljoner kronor",
        "mention": {"text": "12 miljoner kronor", "start": start, "end": start + 18, "page": 1},
    }


@pytest.mark.parametrize(
    "value", [12_000_000.0, 0.1, 1e-4, 2.5e-5, 1e-9, 0.0, 1e16, 7.3e21, 123456789.123]
)
def test_json_line_is_written_as_json_dumps_writes_it(value: float) -> None:
    """to_json_line takes pydantic's serializer when it gives the same bytes (the cache and
    records.jsonl stay identical whichever way a line was written)."""
    record = CaseRecord.model_validate(minimal(figures=[figure(value)]), context={"text": TEXT})
    record = record.model_copy(update={"title": EVERY_CHARACTER, "warnings": [EVERY_CHARACTER]})
    assert record.to_json_line() == _python_json(record)


def test_sample_records_are_written_as_json_dumps_writes_them(sample_records) -> None:
    assert [r.to_json_line() for r in sample_records] == [_python_json(r) for r in sample_records]
