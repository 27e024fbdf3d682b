"""Evaluation against gold files (format in DESIGN.md): per-field micro P/R/F1."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CasebookError, UsageError
from .records import RECORD_FIELDS, CaseRecord

FIELDS = RECORD_FIELDS
_TRAILING_PUNCT = re.compile(r"[\s.:;,!?–—-]+$")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class Difference:
    document: str
    section: int | None
    field: str
    kind: str  # miss | extra
    value: str


@dataclass
class EvaluationReport:
    fields: dict[str, Score] = field(default_factory=lambda: {name: Score() for name in FIELDS})
    sections: Score = field(default_factory=Score)
    titles: Score = field(default_factory=Score)
    differences: list[Difference] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    documents: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "fields": {name: score.as_dict() for name, score in self.fields.items()},
            "sections": self.sections.as_dict(),
            "titles": self.titles.as_dict(),
            "errors": self.errors,
        }


def normalise_name(value: str) -> str:
    return " ".join(value.split()).casefold()


def normalise_title(value: str | None) -> str:
    return _TRAILING_PUNCT.sub("", " ".join((value or "").split()))


def unit_class(unit: str) -> str:
    """percent, a currency code, or quantity for every counted noun (DESIGN.md)."""
    if unit in {"percent", "SEK", "EUR", "quantity"}:
        return unit
    if unit in {"percentage_points", "per_mille"}:
        return unit
    return "quantity"


def figure_key(value: float, unit: str) -> str:
    return f"{unit_class(unit)}:{round(float(value), 2):g}"


def record_values(record: CaseRecord, name: str) -> set[str]:
    """The canonical values of one field of a record, as strings compared with gold."""
    if name in {"cities", "regions"}:
        return {normalise_name(item.name) for item in getattr(record, name)}
    if name == "funds":
        return {item.code for item in record.funds}
    if name == "figures":
        return {figure_key(f.value, f.unit) for f in record.figures}
    if name == "dates":
        return {d.value for d in record.dates}
    if name == "priorities":
        # Gold names ESF programme areas "programområde N" and ESF goals "mål N.N"; other
        # schemes by their code ("1b", "PO4"). Themes are not coded priorities.
        spelled = {"esf_programme_area": "programområde {}", "esf_goal": "mål {}"}
        return {
            normalise_name(spelled.get(item.scheme, "{}").format(item.code))
            for item in record.priorities
            if item.scheme != "theme"
        }
    return {normalise_name(item.name) for item in getattr(record, name)}


def gold_values(section: dict[str, Any], name: str) -> set[str] | None:
    if name not in section:
        return None
    values = section[name]
    if name == "figures":
        return {figure_key(v["value"], v["unit"]) for v in values}
    if name in {"funds", "dates"}:
        return {str(v) for v in values}
    return {normalise_name(str(v)) for v in values}


def load_gold(path: Path) -> dict[str, Any]:
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError("gold file not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"cannot read gold file: {exc}", path=str(path)) from None
    if not isinstance(gold, dict) or "file" not in gold or "sections" not in gold:
        raise UsageError("not a gold file (needs 'file' and 'sections')", path=str(path))
    return gold


def evaluate(gold_paths: list[Path], *, pdf_backend: str | None = None) -> EvaluationReport:
    from . import extract_file

    report = EvaluationReport()
    for gold_path in gold_paths:
        gold = load_gold(gold_path)
        document = gold_path.parent / gold["file"]
        report.documents += 1
        try:
            records = extract_file(document, pdf_backend=pdf_backend)
        except CasebookError as exc:
            report.errors.append(str(exc))
            records = []
        score_document(report, str(document), gold, records)
    return report


def score_document(
    report: EvaluationReport, name: str, gold: dict[str, Any], records: list[CaseRecord]
) -> None:
    predicted = {record.case_number: record for record in records}
    gold_sections = {section.get("number"): section for section in gold["sections"]}
    for number in predicted.keys() - gold_sections.keys():
        report.sections.fp += 1
        report.differences.append(Difference(name, number, "section", "extra", str(number)))
    for number, section in gold_sections.items():
        record = predicted.get(number)
        if record is None:
            report.sections.fn += 1
            report.differences.append(Difference(name, number, "section", "miss", str(number)))
        else:
            report.sections.tp += 1
        if "title" in section:
            expected = normalise_title(section["title"])
            got = normalise_title(record.title) if record else None
            if got == expected:
                report.titles.tp += 1
            else:
                report.titles.fn += 1
                report.differences.append(Difference(name, number, "title", "miss", expected))
                if got:
                    report.titles.fp += 1
                    report.differences.append(Difference(name, number, "title", "extra", got))
        for field_name in FIELDS:
            expected_values = gold_values(section, field_name)
            if expected_values is None:
                continue
            got_values = record_values(record, field_name) if record else set()
            score = report.fields[field_name]
            score.tp += len(expected_values & got_values)
            score.fp += len(got_values - expected_values)
            score.fn += len(expected_values - got_values)
            for value in sorted(expected_values - got_values):
                report.differences.append(Difference(name, number, field_name, "miss", value))
            for value in sorted(got_values - expected_values):
                report.differences.append(Difference(name, number, field_name, "extra", value))


def parse_thresholds(items: list[str]) -> dict[str, float]:
    thresholds: dict[str, float] = {}
    valid = {*FIELDS, "sections", "titles"}
    for item in items:
        name, _, value = item.partition("=")
        if name not in valid:
            raise UsageError(
                f"--min {item!r}: unknown field {name!r} (one of {', '.join(sorted(valid))})"
            )
        try:
            thresholds[name] = float(value)
        except ValueError:
            raise UsageError(f"--min {item!r}: {value!r} is not a number") from None
    return thresholds


def failed_thresholds(report: EvaluationReport, thresholds: dict[str, float]) -> list[str]:
    scores = {**report.fields, "sections": report.sections, "titles": report.titles}
    return [
        f"{name} F1 {scores[name].f1:.3f} < {minimum}"
        for name, minimum in thresholds.items()
        if scores[name].f1 < minimum
    ]
