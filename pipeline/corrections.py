"""Reviewer corrections: decisions on record values that keep applying on later runs.

A correction names a record, a field, a value (its canonical key, see `value_key`) and an
action: accept, reject, add or edit. Each carries the evidence it was made on (offsets and
text in the document's clean text). A decision applies as long as that evidence still holds:
the same text at the same offsets, or, when the text moved, found exactly once in the case.
Decisions that no longer hold are reported with the reason, never dropped in silence.

    records, report = apply_corrections(records, load_corrections(path))
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import CasebookError
from .records import RECORD_FIELDS, CaseRecord, DateValue

if TYPE_CHECKING:
    from .ingest import SourceDocument

FIELDS: tuple[str, ...] = RECORD_FIELDS
# Fields whose values each tie to one mention (the others group mentions under one value).
SINGLE_MENTION_FIELDS = frozenset({"figures", "dates"})
FieldName = Literal[
    "cities", "regions", "funds", "priorities", "figures", "dates", "organisations", "projects"
]
Action = Literal["accept", "reject", "add", "edit"]
Status = Literal["applied", "already", "stale", "invalid"]


class CorrectionError(CasebookError):
    """A corrections file or a single decision in it cannot be read or resolved."""


class Evidence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str = Field(min_length=1)

    @model_validator(mode="after")
    def _length_matches(self) -> Evidence:
        if self.end - self.start != len(self.text):
            raise ValueError(
                f"evidence {self.text!r} has length {len(self.text)}, span {self.start}:{self.end}"
            )
        return self


class Correction(BaseModel):
    """One reviewer decision (one line of a corrections JSONL file)."""

    model_config = ConfigDict(extra="forbid")

    record_id: str = Field(min_length=1)
    field: FieldName
    value: str = Field(min_length=1, description="canonical key of the value, or text to add")
    action: Action
    evidence: Evidence | None = None
    note: str | None = None
    new_value: str | None = Field(default=None, description="edit only: the corrected value")
    case_start: int | None = Field(
        default=None, description="the case's span start when decided: follows moved text"
    )
    document_path: str | None = Field(
        default=None,
        description="the record's document path when decided: finds the case again when a"
        " revised document (new sha256, so new record ids) is extracted from the same path",
    )

    @model_validator(mode="after")
    def _action_needs(self) -> Correction:
        if self.action == "add" and self.evidence is None:
            raise ValueError("an add needs evidence (start, end, text)")
        if self.action == "edit" and not (self.new_value or "").strip():
            raise ValueError("an edit needs new_value")
        return self

    def identity(self) -> tuple[str, ...]:
        """Decisions with the same identity replace each other (the later one wins)."""
        if self.action == "add":
            ev = self.evidence
            where = f"{ev.start}:{ev.end}" if ev else ""
            return (self.record_id, self.field, "add", _fold(self.value), where)
        # accept / reject / edit of one value exclude each other; a figure or date is one
        # mention, so its evidence position is part of what the decision is about.
        where = ""
        if self.field in SINGLE_MENTION_FIELDS and self.evidence is not None:
            where = str(self.evidence.start)
        return (self.record_id, self.field, "value", self.value, where)

    def to_json_line(self) -> str:
        data = self.model_dump(mode="json", exclude_none=True)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------------------------------
# Reading, merging and writing corrections files


def parse_corrections(lines: Iterable[str], source: str = "<corrections>") -> list[Correction]:
    corrections: list[Correction] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorrectionError(f"line {number}: invalid JSON ({exc.msg})", path=source) from None
        try:
            corrections.append(Correction.model_validate(data))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "line"
            raise CorrectionError(f"line {number}: {where}: {first['msg']}", path=source) from None
    return corrections


def load_corrections(path: str | Path) -> list[Correction]:
    """Read a corrections JSONL file (as exported by the review page)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CorrectionError("corrections file not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CorrectionError(f"cannot read corrections file: {exc}", path=str(path)) from None
    return parse_corrections(text.splitlines(), str(path))


def merge_corrections(
    earlier: Sequence[Correction], later: Sequence[Correction]
) -> list[Correction]:
    """One list of decisions: a later decision replaces an earlier one on the same value."""
    merged: dict[tuple[str, ...], Correction] = {}
    for correction in [*earlier, *later]:
        merged.pop(correction.identity(), None)  # re-insert so the order follows decisions
        merged[correction.identity()] = correction
    return list(merged.values())


def corrections_lines(corrections: Iterable[Correction]) -> list[str]:
    return [correction.to_json_line() for correction in corrections]


# ---------------------------------------------------------------------------------------
# Canonical keys and labels of values


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def number_key(value: float) -> str:
    """A stable text form of a figure value: 5.0 → "5", 5.3 → "5.3", 12e6 → "12000000"."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.15g}"


def value_key(field_name: str, item: Any) -> str:
    """The canonical key of a value: what decisions and diffs match values by."""
    get = _getter(item)
    if field_name in {"cities", "regions", "funds"}:
        return str(get("code"))
    if field_name == "priorities":
        return f"{get('scheme')}:{get('code')}"
    if field_name == "figures":
        return f"{number_key(get('value'))} {get('unit')}"
    if field_name == "dates":
        return str(get("value"))
    return _fold(str(get("name")))


def _grouped_number(value: float) -> str:
    text = number_key(abs(value))
    whole, _, decimals = text.partition(".")
    groups = []
    while len(whole) > 3:
        whole, tail = whole[:-3], whole[-3:]
        groups.insert(0, tail)
    groups.insert(0, whole)
    result = "\u00a0".join(groups) + ("," + decimals if decimals else "")
    return ("−" if value < 0 else "") + result


def value_label(field_name: str, item: Any) -> str:
    """How a reviewer reads a value: "Göteborg", "12 000 000 SEK", "ca 5 %", "2017"."""
    get = _getter(item)
    if field_name == "figures":
        unit = get("unit")
        number = _grouped_number(get("value"))
        text = f"{number} %" if unit == "percent" else f"{number} {unit}"
        if get("per"):
            text += f"/{get('per')}"
        prefix = {
            "at_least": "minst ",
            "at_most": "högst ",
            "more_than": "över ",
            "less_than": "under ",
        }.get(get("bound") or "", "")
        return ("ca " if get("approximate") else "") + prefix + text
    if field_name == "dates":
        return str(get("value"))
    if field_name == "funds":
        return str(get("code"))
    return str(get("name"))


def item_mentions(field_name: str, item: Any) -> list[Any]:
    get = _getter(item)
    if field_name in SINGLE_MENTION_FIELDS:
        return [get("mention")]
    return list(get("mentions"))


def _getter(item: Any) -> Any:
    if isinstance(item, Mapping):
        return item.get
    return lambda name: getattr(item, name, None)


# ---------------------------------------------------------------------------------------
# Resolving a reviewer's text ("Göteborgs Stad", "ERUF", "12 miljoner kronor") to a value


@lru_cache(maxsize=1)
def _place_index() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """Lower-case forms → (name, code) for municipalities and for regions."""
    from .gazetteer import load_gazetteer

    gaz = load_gazetteer()
    cities: dict[str, tuple[str, str]] = {}
    for code, town in gaz.municipalities.items():
        value = (town.name, code)
        cities[code] = value
        for form in (town.name, gaz.genitive(town.name)):
            for suffix in ("", " kommun", " stad", " kommuns", " stads"):
                cities.setdefault(_fold(form + suffix), value)
    for form, (code, _kind) in gaz.forms.items():
        town = gaz.municipalities.get(code)
        if town is not None:
            cities.setdefault(_fold(form), (town.name, code))
    regions: dict[str, tuple[str, str]] = {}
    for code, county in gaz.counties.items():
        value = (county.name, code)
        for form in (code, county.name, county.region_org):
            regions.setdefault(_fold(form), value)
    for nuts2, area in gaz.programme_areas.items():
        value = (area.name, nuts2)
        for form in (nuts2, area.name, *area.aliases):
            regions.setdefault(_fold(form), value)
    for code, county in gaz.counties.items():
        regions.setdefault(_fold(county.short), (county.name, code))
    for form, code in gaz.informal_areas.items():
        county = gaz.counties.get(code)
        if county is not None:
            regions.setdefault(_fold(form), (county.name, code))
    return cities, regions


@lru_cache(maxsize=1)
def _fund_index() -> tuple[dict[str, tuple[str, str]], list[tuple[re.Pattern[str], bool, str]]]:
    """Fund forms → (code, name) and single-word fund patterns from models/funds/."""
    from .data import MODELS_DIR, load_jsonl, load_tsv

    names: dict[str, tuple[str, str]] = {}
    rows = load_tsv(MODELS_DIR / "funds" / "funds.tsv", ("code", "name"))
    for row in rows:
        value = (row["code"], row["name"])
        for form in (row["code"], row["name"], row.get("name_en", "")):
            if form:
                names.setdefault(_fold(form), value)
    by_code = {row["code"]: row["name"] for row in rows}
    patterns: list[tuple[re.Pattern[str], bool, str]] = []
    for row in load_jsonl(MODELS_DIR / "funds" / "patterns.jsonl"):
        tokens = row.get("pattern", [])
        if len(tokens) != 1 or row.get("label") not in by_code:
            continue
        for attr, lower in (("LOWER", True), ("ORTH", False)):
            spec = tokens[0].get(attr)
            if isinstance(spec, dict) and "REGEX" in spec:
                patterns.append((re.compile(spec["REGEX"]), lower, row["label"]))
    return names, patterns


@lru_cache(maxsize=1)
def _priority_index() -> tuple[dict[str, tuple[str, str, str]], list[tuple[str, str, str]]]:
    """Priority forms → (scheme, code, name), and the theme phrases (phrase, code, name)."""
    from .data import MODELS_DIR, load_tsv

    forms: dict[str, tuple[str, str, str]] = {}
    codes_seen: dict[str, list[tuple[str, str, str]]] = {}
    for row in load_tsv(MODELS_DIR / "priorities" / "codes.tsv", ("scheme", "code", "name")):
        value = (row["scheme"], row["code"], row["name"])
        forms[_fold(f"{row['scheme']}:{row['code']}")] = value
        forms.setdefault(_fold(row["name"]), value)
        codes_seen.setdefault(_fold(row["code"]), []).append(value)
    phrases: list[tuple[str, str, str]] = []
    for row in load_tsv(MODELS_DIR / "priorities" / "themes.tsv", ("code", "name", "phrases")):
        value = ("theme", row["code"], row["name"])
        for form in (f"theme:{row['code']}", row["code"], row["name"]):
            forms.setdefault(_fold(form), value)
        phrases.extend(
            (phrase.strip(), row["code"], row["name"])
            for phrase in row["phrases"].split("|")
            if phrase.strip()
        )
    for code, values in codes_seen.items():
        if len(values) == 1:  # a bare code ("1b") only where it names one priority
            forms.setdefault(code, values[0])
    return forms, phrases


_FIGURE = re.compile(
    r"^\s*(?P<approx>ca\.?|cirka|~)?\s*(?P<number>[-−]?\d[\d\s\u00a0\u202f.,]*)\s*"
    r"(?P<unit>%|[^\d\s].*?)?\s*$",
    re.IGNORECASE,
)
_UNITS = {
    "%": ("percent", "percent"),
    "procent": ("percent", "percent"),
    "percent": ("percent", "percent"),
    "sek": ("money", "SEK"),
    "kr": ("money", "SEK"),
    "kronor": ("money", "SEK"),
    "eur": ("money", "EUR"),
    "euro": ("money", "EUR"),
}


def _parse_figure(text: str) -> dict[str, Any] | None:
    """ "12000000 SEK", "5 %", "4 000 deltagare", "5,3" → kind/value/unit (unit may be None)."""
    match = _FIGURE.match(text)
    if not match:
        return None
    raw = re.sub(r"[\s\u00a0\u202f]", "", match.group("number")).replace("−", "-")
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif raw.count(".") > 1 or re.search(r"\.\d{3}$", raw):
        raw = raw.replace(".", "")  # thousands dots
    try:
        value = float(raw)
    except ValueError:
        return None
    unit_text = (match.group("unit") or "").strip()
    result: dict[str, Any] = {"value": value, "approximate": bool(match.group("approx"))}
    if unit_text:
        kind, unit = _UNITS.get(unit_text.casefold(), ("quantity", unit_text.casefold()))
        result.update(kind=kind, unit=unit)
    return result


def _figure_from_grammar(text: str) -> dict[str, Any] | None:
    """The pipeline's own number grammar on a whole phrase ("12 miljoner kronor")."""
    try:
        from .figures import find_figures
    except ImportError:  # the grammar module is optional here
        return None
    try:
        found = list(find_figures(text))
    except Exception:  # a reviewer's odd selection must not break applying the rest
        return None
    if len(found) != 1 or found[0].text != text:
        return None
    hit = found[0]
    return {
        "kind": hit.kind,
        "value": float(hit.value),
        "unit": hit.unit,
        "per": hit.per,
        "approximate": bool(hit.approximate),
        "bound": hit.bound,
    }


def _date_from_grammar(text: str) -> dict[str, Any] | None:
    try:
        from .dates import find_dates
    except ImportError:
        return None
    try:
        found = list(find_dates(text))
    except Exception:  # see _figure_from_grammar
        return None
    if len(found) != 1 or found[0].text != text:
        return None
    return {"value": found[0].value, "kind": found[0].kind}


_DATE_PATTERN = re.compile(DateValue.model_fields["value"].metadata[0].pattern)


def resolve_value(
    field_name: str, text: str, current: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The attributes a reviewer's text stands for in a field; raise CorrectionError if none.

    `current` is the value being edited: a figure edit may give only the number.
    """
    raw = text.strip()
    folded = _fold(raw)
    if not raw:
        raise CorrectionError(f"{field_name}: empty value")
    if field_name in {"cities", "regions"}:
        cities, regions = _place_index()
        index = cities if field_name == "cities" else regions
        found = index.get(folded) or index.get(raw)
        if found is None and field_name == "regions":
            city = cities.get(folded)
            if city is not None:
                from .gazetteer import load_gazetteer

                gaz = load_gazetteer()
                county = gaz.counties[gaz.municipalities[city[1]].county_code]
                found = (county.name, county.code)
        if found is None:
            kind = "municipality" if field_name == "cities" else "county or programme area"
            raise CorrectionError(f"{field_name}: {raw!r} is no known {kind}")
        return {"name": found[0], "code": found[1]}
    if field_name == "funds":
        names, patterns = _fund_index()
        fund = names.get(folded)
        if fund is None:
            for pattern, lower, code in patterns:
                if pattern.fullmatch(raw.lower() if lower else raw):
                    fund = next(v for v in names.values() if v[0] == code)
                    break
        if fund is None:
            raise CorrectionError(f"funds: {raw!r} names no known fund")
        return {"code": fund[0], "name": fund[1]}
    if field_name == "priorities":
        forms, phrases = _priority_index()
        priority = forms.get(folded)
        if priority is None:
            hits = {
                (code, name)
                for phrase, code, name in phrases
                if (phrase.endswith("*") and folded.startswith(phrase[:-1])) or folded == phrase
            }
            if len(hits) == 1:
                code, name = hits.pop()
                priority = ("theme", code, name)
            elif hits:
                options = ", ".join(sorted(f"theme:{code}" for code, _ in hits))
                raise CorrectionError(f"priorities: {raw!r} fits several themes ({options})")
        if priority is None:
            raise CorrectionError(f"priorities: {raw!r} is no known priority or theme")
        return {"scheme": priority[0], "code": priority[1], "name": priority[2]}
    if field_name == "figures":
        parsed = _figure_from_grammar(raw) or _parse_figure(raw)
        if parsed is not None and "unit" not in parsed:
            if current is None:
                parsed = None
            else:  # an edit of the number alone keeps the unit
                parsed.update(kind=current["kind"], unit=current["unit"])
                parsed["approximate"] = bool(current.get("approximate"))
        if parsed is None:
            raise CorrectionError(
                f"figures: cannot read {raw!r} as a figure (write e.g. '5 %', '12000000 SEK',"
                " '40 deltagare')"
            )
        return parsed
    if field_name == "dates":
        if _DATE_PATTERN.fullmatch(raw):
            kind = "period" if "/" in raw else "date"
            if current is not None and current.get("kind") not in {None, "period"}:
                kind = "period" if "/" in raw else current["kind"]  # keep season / quarter
            return {"value": raw, "kind": kind}
        parsed = _date_from_grammar(raw)
        if parsed is None:
            raise CorrectionError(
                f"dates: {raw!r} is no ISO date (write e.g. '2017', '2017-03', '2014/2020')"
            )
        return parsed
    return {"name": " ".join(raw.split())}


def _key_of(field_name: str, attrs: Mapping[str, Any]) -> str:
    return value_key(field_name, attrs)


# ---------------------------------------------------------------------------------------
# Applying decisions


@dataclass
class Outcome:
    """What one decision did: applied, already in effect, stale (evidence gone) or invalid."""

    correction: Correction
    status: Status
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "message": self.message,
            "correction": self.correction.model_dump(mode="json", exclude_none=True),
        }


@dataclass
class CorrectionReport:
    outcomes: list[Outcome] = field(default_factory=list)

    def by_status(self, status: Status) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == status]

    @property
    def applied(self) -> list[Outcome]:
        return self.by_status("applied")

    @property
    def already(self) -> list[Outcome]:
        return self.by_status("already")

    @property
    def not_applied(self) -> list[Outcome]:
        """Stale and invalid decisions: the ones a reviewer has to look at again."""
        return [o for o in self.outcomes if o.status in {"stale", "invalid"}]

    def counts(self) -> dict[str, int]:
        return {
            status: len(self.by_status(status))
            for status in ("applied", "already", "stale", "invalid")
        }

    def as_dict(self) -> dict[str, Any]:
        return {"counts": self.counts(), "outcomes": [o.as_dict() for o in self.outcomes]}


class _Skip(Exception):
    """A decision that cannot be applied; carries its status and reason."""

    def __init__(self, status: Status, message: str) -> None:
        super().__init__(message)
        self.status: Status = status
        self.message = message


@dataclass
class _Source:
    """What is known about a document's clean text (possibly nothing)."""

    text: str | None
    document: SourceDocument | None = None

    def page_at(self, offset: int, record: dict[str, Any]) -> int | None:
        if self.document is not None:
            return self.document.page_at(offset)
        # Without the page table, the page of the nearest mention before the offset.
        best: tuple[int, int | None] = (-1, None)
        for mention in _record_mentions(record):
            if best[0] < mention["start"] <= offset:
                best = (mention["start"], mention.get("page"))
        if best[1] is not None:
            return best[1]
        pages = record["span"].get("pages") or []
        return pages[0] if len(pages) == 1 else None


def _record_mentions(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    mentions: list[dict[str, Any]] = []
    for name in FIELDS:
        for item in record.get(name, []):
            mentions.extend(item_mentions(name, item))
    return mentions


def _locate(correction: Correction, record: dict[str, Any], source: _Source) -> tuple[int, int]:
    """Where the decision's evidence is in this run's text, or raise _Skip(stale)."""
    evidence = correction.evidence
    assert evidence is not None
    span_start, span_end = record["span"]["start"], record["span"]["end"]
    length = len(evidence.text)
    candidates = [evidence.start]
    if correction.case_start is not None:  # text above the case moved it as a whole
        candidates.append(evidence.start + span_start - correction.case_start)
    if source.text is not None:
        text = source.text
        for start in candidates:
            inside = span_start <= start and start + length <= span_end
            if inside and text[start : start + length] == evidence.text:
                return start, start + length
        found = _occurrences(text, evidence.text, span_start, span_end)
        if len(found) == 1:
            return found[0], found[0] + length
        if not found:
            raise _Skip("stale", f"evidence {evidence.text!r} is no longer in the case text")
        raise _Skip(
            "stale",
            f"evidence {evidence.text!r} moved and occurs {len(found)} times in the case text",
        )
    # No clean text at hand: a mention of this run at the same place proves the text is there.
    mentions = [m for m in _record_mentions(record) if m["text"] == evidence.text]
    for start in candidates:
        if any(m["start"] == start for m in mentions):
            return start, start + length
    starts = sorted({m["start"] for m in mentions})
    if len(starts) == 1:
        return starts[0], starts[0] + length
    raise _Skip(
        "stale",
        f"cannot check evidence {evidence.text!r}: the document's text is unavailable"
        " and no mention of this run matches it",
    )


def _occurrences(text: str, needle: str, start: int, end: int) -> list[int]:
    found: list[int] = []
    position = text.find(needle, start, end)
    while position != -1:
        found.append(position)
        position = text.find(needle, position + 1, end)
    return found


def _matches(
    field_name: str, item: Mapping[str, Any], keys: set[str], where: tuple[int, int] | None
) -> bool:
    if value_key(field_name, item) not in keys:
        return False
    if field_name in SINGLE_MENTION_FIELDS and where is not None:
        # A figure or date is one mention: the decision is about the one at the evidence.
        mention = item["mention"]
        return mention["start"] < where[1] and where[0] < mention["end"]
    return True


def _keys_for(field_name: str, value: str) -> set[str]:
    """The keys a decision's value may stand for: itself, and what it resolves to."""
    keys = {value, _fold(value)} if field_name in {"organisations", "projects"} else {value}
    with contextlib.suppress(CorrectionError):
        keys.add(_key_of(field_name, resolve_value(field_name, value)))
    return keys


def _first_start(field_name: str, item: Mapping[str, Any]) -> int:
    return min(m["start"] for m in item_mentions(field_name, item))


def _insert_sorted(field_name: str, items: list[dict[str, Any]], item: dict[str, Any]) -> None:
    """Insert keeping the list ordered by first mention, without reordering the others."""
    starts = [_first_start(field_name, other) for other in items]
    items.insert(bisect_right(starts, _first_start(field_name, item)), item)


def _confirm(field_name: str, item: dict[str, Any]) -> None:
    """Mark a value confirmed where the record contract has a place for it."""
    from .records import DateValue, Figure, Fund, NamedEntity, Place, Priority

    model = {
        "cities": Place,
        "regions": Place,
        "funds": Fund,
        "priorities": Priority,
        "figures": Figure,
        "dates": DateValue,
        "organisations": NamedEntity,
        "projects": NamedEntity,
    }[field_name]
    if "confirmed" in model.model_fields:
        item["confirmed"] = True


def _apply_one(correction: Correction, record: dict[str, Any], source: _Source) -> str:
    """Apply one decision to a record dict in place; return what happened, or raise _Skip."""
    name = correction.field
    items: list[dict[str, Any]] = record[name]
    where = _locate(correction, record, source) if correction.evidence is not None else None
    keys = _keys_for(name, correction.value)
    targets = [item for item in items if _matches(name, item, keys, where)]

    if correction.action == "reject":
        if not targets:
            return "already:value not in the record (nothing to reject)"
        record[name] = [item for item in items if not any(item is t for t in targets)]
        return f"applied:removed {', '.join(value_label(name, t) for t in targets)}"

    if correction.action == "accept":
        if not targets:
            raise _Skip("stale", "accepted value is no longer in the record")
        for target in targets:
            _confirm(name, target)
        return "applied:confirmed"

    if correction.action == "edit":
        assert correction.new_value is not None
        try:
            new = resolve_value(name, correction.new_value, targets[0] if targets else None)
        except CorrectionError as exc:
            raise _Skip("invalid", str(exc)) from None
        new_key = _key_of(name, {**(targets[0] if targets else {}), **new})
        if not targets:
            if any(_matches(name, item, {new_key}, where) for item in items):
                return "already:the record already has the corrected value"
            raise _Skip("stale", "edited value is no longer in the record")
        if all({**target, **new} == target for target in targets):
            return "already:the value already reads so"
        for target in targets:
            target.update(new)
            _confirm(name, target)
            if name in SINGLE_MENTION_FIELDS:
                continue
            # The corrected value may already be in the record: one value, all mentions.
            twin = next(
                (i for i in record[name] if i is not target and value_key(name, i) == new_key),
                None,
            )
            if twin is not None:
                merged = {(m["start"], m["end"]): m for m in twin["mentions"] + target["mentions"]}
                twin["mentions"] = [merged[k] for k in sorted(merged)]
                record[name] = [i for i in record[name] if i is not target]
        return f"applied:changed to {new_key}"

    # add
    assert correction.evidence is not None and where is not None
    if source.text is None:
        raise _Skip("stale", "cannot add: the document's text is unavailable")
    try:
        attrs = resolve_value(name, correction.value)
    except CorrectionError as exc:
        if name not in SINGLE_MENTION_FIELDS:
            raise _Skip("invalid", str(exc)) from None
        try:  # a figure or date may be given as the phrase itself ("12 miljoner kronor")
            attrs = resolve_value(name, correction.evidence.text)
        except CorrectionError:
            raise _Skip("invalid", str(exc)) from None
    start, end = where
    mention: dict[str, Any] = {
        "text": source.text[start:end],
        "start": start,
        "end": end,
        "page": source.page_at(start, record),
    }
    if source.document is not None:
        bbox = source.document.bbox_of(start, end)
        if bbox is not None:
            mention["bbox"] = list(bbox)
    key = _key_of(name, attrs)
    if name in SINGLE_MENTION_FIELDS:
        if any(value_key(name, i) == key and i["mention"]["start"] == start for i in items):
            return "already:value is already in the record at this evidence"
        if name == "figures":
            item = {
                "kind": attrs["kind"],
                "value": attrs["value"],
                "unit": attrs["unit"],
                "per": attrs.get("per"),
                "approximate": attrs.get("approximate", False),
                "bound": attrs.get("bound"),
                "text": mention["text"],
                "mention": mention,
            }
        else:
            item = {**attrs, "text": mention["text"], "mention": mention}
        _confirm(name, item)
        _insert_sorted(name, items, item)
        return f"applied:added {key}"
    existing = next((i for i in items if value_key(name, i) == key), None)
    if existing is not None:
        if any(m["start"] == start and m["end"] == end for m in existing["mentions"]):
            return "already:value is already in the record with this evidence"
        existing["mentions"] = sorted([*existing["mentions"], mention], key=lambda m: m["start"])
        _confirm(name, existing)
        items.sort(key=lambda i: _first_start(name, i))
        return f"applied:added evidence to {key}"
    item = {**attrs, "mentions": [mention]}
    _confirm(name, item)
    _insert_sorted(name, items, item)
    return f"applied:added {key}"


def records_concerned(
    records: Sequence[CaseRecord], corrections: Sequence[Correction]
) -> list[CaseRecord]:
    """The records some decision may apply to (by id, or by document path)."""
    ids = {c.record_id for c in corrections}
    paths = {c.document_path for c in corrections if c.document_path}
    return [r for r in records if r.record_id in ids or r.document.path in paths]


def _sources(
    records: Sequence[CaseRecord],
    corrections: Sequence[Correction],
    texts: Mapping[str, str | SourceDocument] | None,
    ingest: Mapping[str, Any] | None,
) -> dict[str, _Source]:
    from .ingest import SourceDocument

    sources: dict[str, _Source] = {}
    for record in records_concerned(records, corrections):
        doc_id = record.document.id
        if doc_id in sources:
            continue
        given = texts.get(doc_id) if texts is not None else None
        if given is None and texts is None:
            from .review import load_document  # re-ingest only when the caller gave no texts

            loaded = load_document(record.document, options=ingest)
            given = loaded.document
        if isinstance(given, SourceDocument):
            sources[doc_id] = _Source(given.text, given)
        else:
            sources[doc_id] = _Source(given)
    return sources


def _find_record(
    records: Sequence[CaseRecord], by_id: Mapping[str, int], correction: Correction
) -> tuple[int | None, str | None]:
    """The decision's record: by id, else the same case number of the same document path.

    A revised document has a new sha256 and so new record ids; its cases are still the same
    "Exempel N" of the file at the same path.
    """
    index = by_id.get(correction.record_id)
    if index is not None or correction.document_path is None:
        return index, None
    case = correction.record_id.partition(":")[2]
    same = [
        i
        for i, record in enumerate(records)
        if record.document.path == correction.document_path
        and record.record_id.partition(":")[2] == case
    ]
    if len(same) != 1:
        return None, None
    return same[0], records[same[0]].record_id


def apply_corrections(
    records: Sequence[CaseRecord],
    corrections: Sequence[Correction],
    texts: Mapping[str, str | SourceDocument] | None = None,
    *,
    ingest: Mapping[str, Any] | None = None,
) -> tuple[list[CaseRecord], CorrectionReport]:
    """Apply reviewer decisions to records; return the new records and what each decision did.

    `texts` maps a document id to its clean text (or SourceDocument, which also gives pages
    and boxes for added mentions). Left out, each corrected document is re-read from its path
    with the `ingest` options of the run (pdf_backend, max_pages, ocr), and used only if its
    sha256 still matches; without a text, decisions are checked against this run's own
    mentions and adds are reported as stale.
    Records are returned in their order; corrected ones are marked `reviewed`.
    """
    sources = _sources(records, corrections, texts, ingest)
    by_id = {record.record_id: index for index, record in enumerate(records)}
    data: dict[int, dict[str, Any]] = {}
    report = CorrectionReport()
    touched: set[int] = set()
    for correction in corrections:
        index, found_as = _find_record(records, by_id, correction)
        if index is None:
            report.outcomes.append(
                Outcome(correction, "stale", f"record {correction.record_id} is not in this run")
            )
            continue
        record = records[index]
        current = data.setdefault(index, record.model_dump(mode="json"))
        source = sources.get(record.document.id, _Source(None))
        attempt = copy.deepcopy(current)
        try:
            status, _, message = _apply_one(correction, attempt, source).partition(":")
            context = {"text": source.text} if source.text is not None else None
            CaseRecord.model_validate(attempt, context=context)
        except _Skip as skip:
            report.outcomes.append(Outcome(correction, skip.status, skip.message))
            continue
        except ValidationError as exc:
            reason = exc.errors()[0]["msg"]
            report.outcomes.append(Outcome(correction, "invalid", f"breaks the record: {reason}"))
            continue
        data[index] = attempt
        touched.add(index)
        if found_as:
            message += f" (case found as {found_as})"
        report.outcomes.append(Outcome(correction, status, message))  # type: ignore[arg-type]
    result = list(records)
    for index in touched:
        data[index]["reviewed"] = True
        result[index] = CaseRecord.model_validate(data[index])
    return result, report


class CorrectionSession:
    """One set of decisions applied to a run document by document, as a batch writes it.

    `apply_lines` takes one document's JSONL record lines and returns them corrected
    (unchanged lines when no decision concerns them); `report()` then covers every decision,
    including those whose record never came by ("not in this run").
    """

    def __init__(
        self,
        corrections: Sequence[Correction],
        texts: Mapping[str, str | SourceDocument] | None = None,
        *,
        ingest: Mapping[str, Any] | None = None,
    ) -> None:
        self.corrections = list(corrections)
        self.texts = texts
        self.ingest = ingest
        self._outcomes: dict[int, Outcome] = {}

    def _concerned(self, records: Sequence[CaseRecord]) -> list[int]:
        by_id = {record.record_id: index for index, record in enumerate(records)}
        return [
            number
            for number, correction in enumerate(self.corrections)
            if number not in self._outcomes
            and _find_record(records, by_id, correction)[0] is not None
        ]

    def apply(self, records: Sequence[CaseRecord]) -> list[CaseRecord]:
        concerned = self._concerned(records)
        if not concerned:
            return list(records)
        chosen = [self.corrections[number] for number in concerned]
        result, report = apply_corrections(records, chosen, self.texts, ingest=self.ingest)
        for number, outcome in zip(concerned, report.outcomes, strict=True):
            self._outcomes[number] = outcome
        return result

    def apply_lines(self, lines: Sequence[str]) -> list[str]:
        records = [CaseRecord.model_validate_json(line) for line in lines]
        if not self._concerned(records):
            return list(lines)
        return [record.to_json_line() for record in self.apply(records)]

    def report(self) -> CorrectionReport:
        return CorrectionReport(
            [
                self._outcomes.get(number)
                or Outcome(correction, "stale", f"record {correction.record_id} is not in this run")
                for number, correction in enumerate(self.corrections)
            ]
        )
