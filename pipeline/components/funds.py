"""EU funds: token patterns from models/funds/patterns.jsonl, names from funds.tsv."""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..data import MODELS_DIR, load_jsonl, load_tsv
from ..errors import PatternError
from .common import add_span, is_negated

# Tokens searched on each side of a trigger stem: longer than the longest pattern.
WINDOW_TOKENS = 8


class FundRecognizer:
    def __init__(self, nlp: Language, data_dir: Path) -> None:
        rows = load_tsv(data_dir / "funds.tsv", ("code", "name"))
        self.names = {row["code"]: row["name"] for row in rows}
        self.matcher = Matcher(nlp.vocab, validate=True)
        path = data_dir / "patterns.jsonl"
        for number, entry in enumerate(load_jsonl(path), start=1):
            label = entry.get("label")
            if label not in self.names:
                raise PatternError(f"line {number}: unknown fund code {label!r}", path=str(path))
            try:
                self.matcher.add(label, [entry["pattern"]])
            except (KeyError, ValueError) as exc:
                raise PatternError(f"line {number}: bad pattern ({exc})", path=str(path)) from None
        stems = [row["stem"] for row in load_tsv(data_dir / "triggers.tsv", ("stem",))]
        self.trigger = re.compile("|".join(map(re.escape, stems)), re.IGNORECASE)

    def _windows(self, doc: Doc) -> list[Span]:
        """Token windows around the trigger stems, merged where they overlap."""
        starts = [token.idx for token in doc]
        windows: list[list[int]] = []
        for found in self.trigger.finditer(doc.text):
            index = bisect_right(starts, found.start()) - 1
            low, high = max(index - WINDOW_TOKENS, 0), min(index + WINDOW_TOKENS + 1, len(doc))
            if windows and low <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], high)
            else:
                windows.append([low, high])
        return [doc[low:high] for low, high in windows]

    def __call__(self, doc: Doc) -> Doc:
        candidates: list[Span] = []
        matches = [
            (match_id, window.start + start, window.start + end)
            for window in self._windows(doc)
            for match_id, start, end in self.matcher(window)
        ]
        for match_id, start, end in matches:
            code = doc.vocab.strings[match_id]
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
