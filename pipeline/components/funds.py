"""EU funds: token patterns from models/funds/patterns.jsonl, names from funds.tsv."""

from __future__ import annotations

import re
from itertools import product
from pathlib import Path
from typing import Any

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.strings import StringStore
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..data import MODELS_DIR, load_jsonl, load_tsv
from ..errors import PatternError
from .common import add_span, doc_text, is_negated

# Tokens searched on each side of a trigger stem: longer than the longest pattern.
WINDOW_TOKENS = 8
# Optional tokens in one pattern up to which it is expanded into fixed-length variants.
MAX_OPTIONAL = 6
# Distinct tokens whose test results are kept (cleared when full: bounded memory).
MAX_CACHED_TOKENS = 50_000

# One test of a token: (attribute, operator, value), as in a spaCy Matcher token spec.
Test = tuple[str, str, Any]


def _token_test(spec: Any) -> tuple[Test, bool] | None:
    """The test and optionality of a Matcher token spec, or None if the fast path lacks it.

    Only what patterns.jsonl uses: LOWER or ORTH compared with a string, {"REGEX": ...} or
    {"IN": [...]}, and "OP": "?". Anything else makes the component use spaCy's Matcher.
    """
    if not isinstance(spec, dict) or spec.get("OP", "?") != "?":
        return None
    attrs = [key for key in spec if key != "OP"]
    if len(attrs) != 1 or attrs[0] not in ("LOWER", "ORTH"):
        return None
    attr, value = attrs[0], spec[attrs[0]]
    if isinstance(value, str):
        test: Test = (attr, "==", value)
    elif isinstance(value, dict) and len(value) == 1 and isinstance(value.get("REGEX"), str):
        test = (attr, "REGEX", re.compile(value["REGEX"]))
    elif (
        isinstance(value, dict)
        and len(value) == 1
        and isinstance(value.get("IN"), list)
        and all(isinstance(item, str) for item in value["IN"])
    ):
        test = (attr, "IN", frozenset(value["IN"]))
    else:
        return None
    return test, "OP" in spec


class _TokenPatterns:
    """The patterns evaluated on token texts with the Matcher's semantics, without the Matcher.

    spaCy's Matcher creates a Token and calls each REGEX predicate from Python for every token
    of every window, which cost more than the tokenizer. Here each pattern is expanded into
    its fixed-length variants (optional tokens in or out), each distinct token (by its ORTH id)
    is tested once (a bit per test, cached), and a variant is tried only where its first test
    holds. The match set is the Matcher's: every (label, start, end), deduplicated.
    """

    def __init__(self, variants: list[tuple[str, tuple[int, ...]]], tests: list[Test]) -> None:
        self.variants = variants
        self.tests = tests
        self.first_bits = 0
        for _, bits in variants:
            self.first_bits |= bits[0]
        self.masks: dict[int, int] = {}
        # The variants whose first test a token passes, by that token's bits.
        self.starting: dict[int, list[tuple[str, tuple[int, ...]]]] = {}

    @classmethod
    def build(cls, entries: list[tuple[str, list[Any]]]) -> _TokenPatterns | None:
        tests: list[Test] = []
        index: dict[tuple[str, str, Any], int] = {}
        variants: list[tuple[str, tuple[int, ...]]] = []
        for label, pattern in entries:
            parsed = [_token_test(spec) for spec in pattern]
            if not parsed or any(item is None for item in parsed):
                return None
            optional = sum(1 for item in parsed if item and item[1])
            if optional > MAX_OPTIONAL:
                return None
            bits: list[int] = []
            for item in parsed:
                assert item is not None
                test = item[0]
                key = (test[0], test[1], test[2].pattern if test[1] == "REGEX" else test[2])
                if key not in index:
                    index[key] = len(tests)
                    tests.append(test)
                bits.append(1 << index[key])
            seen: set[tuple[int, ...]] = set()
            for keep in product((True, False), repeat=optional):
                choices = iter(keep)
                variant = tuple(
                    bit
                    for bit, item in zip(bits, parsed, strict=True)
                    if item is not None and (not item[1] or next(choices))
                )
                if variant and variant not in seen:
                    seen.add(variant)
                    variants.append((label, variant))
        return cls(variants, tests)

    def _mask(self, orth: int, strings: StringStore) -> int:
        """Bit i set when the token passes test i (LOWER is text.lower(), as in spaCy)."""
        text = strings[orth]
        lower = text.lower()
        found = 0
        for bit, (attr, operator, value) in enumerate(self.tests):
            string = lower if attr == "LOWER" else text
            if operator == "==":
                ok = string == value
            elif operator == "IN":
                ok = string in value
            else:
                # The Matcher's REGEX predicate uses search, not match.
                ok = value.search(string) is not None
            if ok:
                found |= 1 << bit
        if len(self.masks) >= MAX_CACHED_TOKENS:
            self.masks.clear()
        self.masks[orth] = found
        return found

    def matches(
        self, orths: list[int], strings: StringStore, low: int, high: int
    ) -> list[tuple[str, int, int]]:
        """(label, start, end) of each match within tokens low..high: Matcher(doc[low:high])."""
        known = self.masks.get
        masks = [known(orth) for orth in orths[low:high]]
        if None in masks:
            masks = [
                self._mask(orth, strings) if mask is None else mask
                for mask, orth in zip(masks, orths[low:high], strict=True)
            ]
        found: list[tuple[str, int, int]] = []
        seen: set[tuple[str, int, int]] = set()
        size = len(masks)
        for offset, first in enumerate(masks):
            if not first & self.first_bits:
                continue
            variants = self.starting.get(first)
            if variants is None:
                variants = self.starting[first] = [v for v in self.variants if v[1][0] & first]
            for label, bits in variants:
                end = offset + len(bits)
                if end > size or not all(masks[offset + i] & bits[i] for i in range(1, len(bits))):
                    continue
                match = (label, low + offset, low + end)
                if match not in seen:
                    seen.add(match)
                    found.append(match)
        return found


class FundRecognizer:
    def __init__(self, nlp: Language, data_dir: Path) -> None:
        rows = load_tsv(data_dir / "funds.tsv", ("code", "name"))
        self.names = {row["code"]: row["name"] for row in rows}
        self.matcher = Matcher(nlp.vocab, validate=True)
        path = data_dir / "patterns.jsonl"
        entries: list[tuple[str, list[Any]]] = []
        for number, entry in enumerate(load_jsonl(path), start=1):
            label = entry.get("label")
            if label not in self.names:
                raise PatternError(f"line {number}: unknown fund code {label!r}", path=str(path))
            try:
                self.matcher.add(label, [entry["pattern"]])
            except (KeyError, ValueError) as exc:
                raise PatternError(f"line {number}: bad pattern ({exc})", path=str(path)) from None
            entries.append((label, entry["pattern"]))
        # The Matcher validates the patterns and stays the fallback for specs the fast path
        # does not evaluate.
        self.patterns = _TokenPatterns.build(entries)
        stems = [row["stem"] for row in load_tsv(data_dir / "triggers.tsv", ("stem",))]
        self.trigger = re.compile("|".join(map(re.escape, stems)), re.IGNORECASE)
        self.folded_trigger = re.compile("|".join(re.escape(stem.lower()) for stem in stems))

    def _trigger_starts(self, text: str) -> list[int]:
        """Where self.trigger.finditer(text) finds the stems, found in the lower-cased text.

        A case-insensitive regex scans several times slower than a case-sensitive one. Every
        character that matches a stem letter case-insensitively lower-cases to that letter ("ſ"
        aside; tests/test_funds.py checks this), so where lower-casing keeps the length the
        case-sensitive matches of the lower-cased stems are the same; each is confirmed.
        """
        folded = text.lower()
        if len(folded) == len(text):
            starts: list[int] = []
            for found in self.folded_trigger.finditer(folded.replace("ſ", "s")):
                if not self.trigger.match(text, found.start()):
                    break
                starts.append(found.start())
            else:
                return starts
        return [found.start() for found in self.trigger.finditer(text)]

    def _windows(self, doc: Doc) -> list[tuple[int, int]]:
        """Token windows (start, end) around the trigger stems, merged where they overlap."""
        windows: list[list[int]] = []
        for start in self._trigger_starts(doc_text(doc)):
            # The token holding the stem's first letter (a stem is letters, never whitespace).
            index = doc.char_span(start, start + 1, alignment_mode="expand").start
            low, high = max(index - WINDOW_TOKENS, 0), min(index + WINDOW_TOKENS + 1, len(doc))
            if windows and low <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], high)
            else:
                windows.append([low, high])
        return [(low, high) for low, high in windows]

    def _matches(self, doc: Doc) -> list[tuple[str, int, int]]:
        windows = self._windows(doc)
        if not windows:
            return []
        if self.patterns is None:
            return [
                (doc.vocab.strings[match_id], low + start, low + end)
                for low, high in windows
                for match_id, start, end in self.matcher(doc[low:high])
            ]
        # ORTH ids straight from the token array: no Token objects, no strings per token.
        orths = doc.to_array(ORTH).tolist()
        strings = doc.vocab.strings
        return [
            match
            for low, high in windows
            for match in self.patterns.matches(orths, strings, low, high)
        ]

    def __call__(self, doc: Doc) -> Doc:
        matches = self._matches(doc)
        if not matches:
            return doc
        candidates: list[Span] = []
        for code, start, end in matches:
            # "ESF +" written with a space still names ESF+.
            if code == "ESF" and end < len(doc) and doc[end].text == "+":
                code, end = "ESF+", end + 1
            candidates.append(Span(doc, start, end, label=code))
        for span in filter_spans(candidates):
            code = span.label_
            # A fund named only in a negated statement is no value of the case.
            field = "negated" if is_negated(span) else "funds"
            add_span(
                doc,
                field,
                span.start_char,
                span.end_char,
                self.names[code],
                code,
                target_field="funds",
            )
        return doc


@Language.factory("casebook_funds_v1", default_config={"data_dir": None})
def make_fund_recognizer(nlp: Language, name: str, data_dir: str | None) -> FundRecognizer:
    return FundRecognizer(nlp, Path(data_dir) if data_dir else MODELS_DIR / "funds")
