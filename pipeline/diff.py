"""What changed between two runs: records matched by id, values by their canonical key."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from .corrections import FIELDS, item_mentions, value_key, value_label
from .records import CaseRecord

ChangeKind = Literal["added", "removed", "changed"]
# Attributes that say where a value was found, not what it is.
_EVIDENCE_ATTRS = frozenset({"mentions", "mention", "confirmed"})


@dataclass(frozen=True)
class Change:
    record_id: str
    field: str  # a record field, or "record" for a whole record added / removed
    change: ChangeKind
    key: str
    before: str | None = None
    after: str | None = None


@dataclass
class RunDiff:
    run_a: str
    run_b: str
    changes: list[Change] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        records = [c for c in self.changes if c.field == "record"]
        values = [c for c in self.changes if c.field != "record"]
        changed_records = {c.record_id for c in values} - {c.record_id for c in records}
        return {
            "records_added": sum(c.change == "added" for c in records),
            "records_removed": sum(c.change == "removed" for c in records),
            "records_changed": len(changed_records),
            "values_added": sum(c.change == "added" for c in values),
            "values_removed": sum(c.change == "removed" for c in values),
            "values_changed": sum(c.change == "changed" for c in values),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_a": self.run_a,
            "run_b": self.run_b,
            "summary": self.summary(),
            "changes": [asdict(change) for change in self.changes],
        }


def _attributes(item: Any) -> dict[str, Any]:
    data = item.model_dump(mode="json", exclude=set(_EVIDENCE_ATTRS) & set(type(item).model_fields))
    return data


def _describe(name: str, item: Any) -> str:
    mentions = item_mentions(name, item)
    evidence = mentions[0].text if mentions else ""
    label = value_label(name, item)
    return label if evidence in {"", label} else f"{label} «{evidence}»"


def _value_changes(record_id: str, name: str, before: list[Any], after: list[Any]) -> list[Change]:
    """Pair values by key (in order, so repeated figures pair one by one); report the rest."""
    changes: list[Change] = []
    groups_a: dict[str, list[Any]] = {}
    groups_b: dict[str, list[Any]] = {}
    for item in before:
        groups_a.setdefault(value_key(name, item), []).append(item)
    for item in after:
        groups_b.setdefault(value_key(name, item), []).append(item)
    for key in list(dict.fromkeys([*groups_b, *groups_a])):
        olds, news = groups_a.get(key, []), groups_b.get(key, [])
        for old, new in zip(olds, news, strict=False):
            a, b = _attributes(old), _attributes(new)
            diffs = [k for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)]
            if name not in {"figures", "dates"}:
                count_a, count_b = len(item_mentions(name, old)), len(item_mentions(name, new))
                if count_a != count_b:
                    a["mentions"], b["mentions"] = count_a, count_b
                    diffs.append("mentions")
            if diffs:
                changes.append(
                    Change(
                        record_id,
                        name,
                        "changed",
                        key,
                        "; ".join(f"{k}: {_short(a.get(k))}" for k in diffs),
                        "; ".join(f"{k}: {_short(b.get(k))}" for k in diffs),
                    )
                )
        for new in news[len(olds) :]:
            changes.append(Change(record_id, name, "added", key, None, _describe(name, new)))
        for old in olds[len(news) :]:
            changes.append(Change(record_id, name, "removed", key, _describe(name, old), None))
    return changes


def _short(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def diff_records(before: Sequence[CaseRecord], after: Sequence[CaseRecord]) -> list[Change]:
    """Per record and field: values added, removed or changed from `before` to `after`."""
    old = {record.record_id: record for record in before}
    new = {record.record_id: record for record in after}
    changes: list[Change] = []
    for record_id in dict.fromkeys([*new, *old]):
        a, b = old.get(record_id), new.get(record_id)
        if a is None and b is not None:
            changes.append(Change(record_id, "record", "added", record_id, None, b.title or ""))
            continue
        if b is None and a is not None:
            changes.append(Change(record_id, "record", "removed", record_id, a.title or "", None))
            continue
        assert a is not None and b is not None
        for name in ("case_number", "title"):
            if getattr(a, name) != getattr(b, name):
                changes.append(
                    Change(
                        record_id,
                        name,
                        "changed",
                        name,
                        _short(getattr(a, name)),
                        _short(getattr(b, name)),
                    )
                )
        for name in FIELDS:
            changes.extend(_value_changes(record_id, name, getattr(a, name), getattr(b, name)))
        for warning in b.warnings:
            if warning not in a.warnings:
                changes.append(Change(record_id, "warnings", "added", warning, None, warning))
        for warning in a.warnings:
            if warning not in b.warnings:
                changes.append(Change(record_id, "warnings", "removed", warning, warning, None))
    return changes


def diff_runs(run_a: str | Path, run_b: str | Path) -> RunDiff:
    from .review import RECORDS_FILE, load_records

    before = load_records(_records_path(run_a, RECORDS_FILE))
    after = load_records(_records_path(run_b, RECORDS_FILE))
    return RunDiff(str(run_a), str(run_b), diff_records(before, after))


def _records_path(run: str | Path, name: str) -> Path:
    """A run folder, or a records.jsonl file given directly."""
    path = Path(run)
    return path / name if path.is_dir() else path
