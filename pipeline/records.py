"""The record contract (DESIGN.md) as pydantic v2 models.

Validate with `CaseRecord.model_validate(data, context={"text": clean_text})` to check every
mention's offsets against the document's clean text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, model_validator

from .errors import CasebookError, RecordError
from .versions import SCHEMA_VERSION

# The value fields of a record, in record order (every other module takes them from here).
RECORD_FIELDS: tuple[str, ...] = (
    "cities",
    "regions",
    "funds",
    "priorities",
    "figures",
    "dates",
    "organisations",
    "projects",
)

FundCode = Literal["ERDF", "ESF", "ESF+", "CF", "EAFRD", "EMFF", "EMFAF", "JTF"]
FigureKind = Literal["percent", "money", "quantity"]
Bound = Literal["at_least", "at_most", "more_than", "less_than"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Mention(_Strict):
    """Evidence: `clean_text[start:end] == text`, on `page` (1-based), optional box in points."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    page: int | None = Field(default=None, ge=1)
    bbox: tuple[float, float, float, float] | None = Field(
        default=None, description="x0, top, x1, bottom in PDF points (top-left origin); PDFs only"
    )

    @model_validator(mode="after")
    def _offsets_match_text(self, info: ValidationInfo) -> Mention:
        if self.end < self.start:
            raise ValueError(f"mention end {self.end} before start {self.start}")
        if self.end - self.start != len(self.text):
            raise ValueError(
                f"mention {self.text!r} has length {len(self.text)}, span {self.start}:{self.end}"
            )
        source = (info.context or {}).get("text") if info else None
        if source is not None and source[self.start : self.end] != self.text:
            raise ValueError(
                f"mention {self.text!r} does not match the clean text at {self.start}:{self.end}"
                f" ({source[self.start : self.end]!r})"
            )
        return self


class DocumentRef(_Strict):
    id: str = Field(pattern=r"^[0-9a-f]{12}$")
    path: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    pages: int | None = Field(default=None, ge=0)


class CaseSpan(_Strict):
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    pages: list[int]


class Place(_Strict):
    name: str
    code: str
    mentions: list[Mention] = Field(min_length=1)


class Fund(_Strict):
    code: FundCode
    name: str
    mentions: list[Mention] = Field(min_length=1)


class Priority(_Strict):
    scheme: str = Field(
        description="erdf_2014_2020_to | erdf_2014_2020_ip | po_2021_2027 | "
        "so_2021_2027 | esf_programme_area | esf_goal | instrument | theme"
    )
    code: str
    name: str
    mentions: list[Mention] = Field(min_length=1)


class Figure(_Strict):
    kind: FigureKind
    value: float
    unit: str
    per: str | None = None
    approximate: bool = False
    bound: Bound | None = None
    range_part: Literal["low", "high"] | None = None
    context: str | None = Field(default=None, description="what the figure is of, for a reviewer")
    text: str
    mention: Mention


class DateValue(_Strict):
    value: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$")
    kind: Literal["date", "period", "season", "quarter"] = "date"
    text: str
    mention: Mention


class NamedEntity(_Strict):
    name: str = Field(description="as written, in nominative")
    kind: str | None = Field(default=None, description="authority, university, region, …")
    canonical: str | None = Field(
        default=None, description="the listed full name this mention links to, when known"
    )
    mentions: list[Mention] = Field(min_length=1)


class CaseRecord(_Strict):
    schema_version: Literal["2"] = SCHEMA_VERSION
    record_id: str
    document: DocumentRef
    case_number: int | None
    title: str | None
    span: CaseSpan
    cities: list[Place] = Field(default_factory=list)
    regions: list[Place] = Field(default_factory=list)
    funds: list[Fund] = Field(default_factory=list)
    priorities: list[Priority] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    dates: list[DateValue] = Field(default_factory=list)
    organisations: list[NamedEntity] = Field(default_factory=list)
    projects: list[NamedEntity] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    reviewed: bool = Field(default=False, description="a reviewer's corrections were applied")

    @model_validator(mode="after")
    def _mentions_inside_span(self) -> CaseRecord:
        if self.span.end < self.span.start:
            raise ValueError("span end before start")
        for mention in self.iter_mentions():
            if not self.span.start <= mention.start <= mention.end <= self.span.end:
                raise ValueError(f"mention {mention.text!r} lies outside the case span")
        return self

    def iter_mentions(self) -> list[Mention]:
        found: list[Mention] = []
        for group in (
            self.cities,
            self.regions,
            self.funds,
            self.priorities,
            self.organisations,
            self.projects,
        ):
            for item in group:
                found.extend(item.mentions)
        found.extend(figure.mention for figure in self.figures)
        found.extend(date.mention for date in self.dates)
        return found

    def to_json_line(self) -> str:
        """One deterministic JSONL line (key order as declared, UTF-8 text kept as is)."""
        if self._floats_print_as_python_does():
            return self.model_dump_json()  # the same bytes, three times faster
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))

    def _floats_print_as_python_does(self) -> bool:
        """pydantic writes text and numbers as json.dumps does (tests/test_records.py), except
        floats below 1e-4, which Python writes "1e-05" and pydantic "1e-5"."""
        numbers = [figure.value for figure in self.figures]
        numbers += [x for mention in self.iter_mentions() if mention.bbox for x in mention.bbox]
        return not any(0 < abs(number) < 1e-4 for number in numbers)


def record_json_schema() -> dict[str, Any]:
    schema = CaseRecord.model_json_schema()
    schema["title"] = "CaseRecord"
    return schema


def record_schema_text() -> str:
    """The JSON Schema as committed under schema/: sorted keys, 2-space indent, newline."""
    return json.dumps(record_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def read_records(path: Path, error: type[CasebookError] = RecordError) -> list[CaseRecord]:
    """The records of a records.jsonl file; problems raise `error` naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error("no records.jsonl here (not a casebook run folder?)", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"cannot read records: {exc}", path=str(path)) from None
    records: list[CaseRecord] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(CaseRecord.model_validate_json(line))
        except ValidationError as exc:
            first = exc.errors()[0]
            if first["type"] == "json_invalid":
                message = f"line {number} is not valid JSON"
            else:
                where = ".".join(str(part) for part in first["loc"]) or "record"
                message = f"line {number} breaks the record contract at {where}: {first['msg']}"
            raise error(message, path=str(path)) from None
    return records
