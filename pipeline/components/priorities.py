"""Coded EU priorities (models/priorities/codes.tsv) and themes (themes.tsv)."""

from __future__ import annotations

import re
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..data import MODELS_DIR, load_tsv
from .common import add_span, is_negated

# Cue words (lower case, regex) that introduce a code, per scheme.
CODE_CUES: dict[str, str] = {
    "erdf_2014_2020_ip": r"^investeringsprioritet(en|er|erna)?$",
    "erdf_2014_2020_to": r"^tematisk(a|t)$",
    "po_2021_2027": r"^politisk(a|t)$",
    "esf_programme_area": r"^programområde(t|na|n)?$",
}
CODE_VALUE = re.compile(r"^(\d{1,2}[a-g]?|PO\s?[1-5])$", re.IGNORECASE)


def _phrase_pattern(phrase: str) -> list[dict]:
    pattern: list[dict] = []
    for word in phrase.split():
        if word.endswith("*"):
            pattern.append({"LOWER": {"REGEX": "^" + re.escape(word[:-1])}})
        else:
            pattern.append({"LOWER": word})
    return pattern


class PriorityRecognizer:
    def __init__(self, nlp: Language, data_dir: Path) -> None:
        self.codes: dict[tuple[str, str], str] = {
            (row["scheme"], row["code"].lower()): row["name"]
            for row in load_tsv(data_dir / "codes.tsv", ("scheme", "code", "name"))
        }
        self.matcher = Matcher(nlp.vocab)
        for scheme, cue in CODE_CUES.items():
            value = {"TEXT": {"REGEX": r"^\d{1,2}[a-g]?$"}}
            if scheme in {"erdf_2014_2020_to", "po_2021_2027"}:
                patterns = [[{"LOWER": {"REGEX": cue}}, {"LOWER": {"REGEX": "^mål(et)?$"}}, value]]
            else:
                patterns = [[{"LOWER": {"REGEX": cue}}, value]]
            self.matcher.add(f"code:{scheme}", patterns)
        self.matcher.add("code:po_2021_2027", [[{"TEXT": {"REGEX": r"^PO[1-5]$"}}]])
        self.matcher.add(
            "instrument:ITI",
            [
                [{"TEXT": {"REGEX": r"^ITI(-[\wåäö]+)?$"}}],
                _phrase_pattern("integrerade territoriella investeringar"),
            ],
        )
        self.matcher.add(
            "instrument:CLLD",
            [
                [{"TEXT": {"REGEX": r"^CLLD(-[\wåäö]+)?$"}}],
                _phrase_pattern("lokalt ledd utveckling"),
            ],
        )
        self.matcher.add("instrument:INTERREG", [[{"LOWER": {"REGEX": r"^interreg"}}]])
        self.themes: dict[str, str] = {}
        for row in load_tsv(data_dir / "themes.tsv", ("code", "name", "phrases")):
            self.themes[row["code"]] = row["name"]
            patterns = [_phrase_pattern(p) for p in row["phrases"].split("|") if p.strip()]
            self.matcher.add(f"theme:{row['code']}", patterns)

    def __call__(self, doc: Doc) -> Doc:
        matches = [Span(doc, s, e, label=doc.vocab.strings[m]) for m, s, e in self.matcher(doc)]
        codes = [span for span in matches if not span.label_.startswith("theme:")]
        themes = [span for span in matches if span.label_.startswith("theme:")]
        for span in filter_spans(codes):
            kind, _, scheme = span.label_.partition(":")
            if kind == "instrument":
                code = scheme
                scheme = "instrument"
            else:
                code = span[-1].text.upper() if scheme == "po_2021_2027" else span[-1].text.lower()
                if scheme == "po_2021_2027" and not code.startswith("PO"):
                    code = f"PO{code}"
            name = self.codes.get((scheme, code.lower()))
            if name is None:
                continue
            field = "negated" if is_negated(span) else "priorities"
            add_span(
                doc,
                field,
                span.start_char,
                span.end_char,
                name,
                code,
                scheme=scheme,
                target_field="priorities",
            )
        # Themes may overlap codes and each other: each theme keeps its own evidence.
        for span in themes:
            code = span.label_.split(":", 1)[1]
            add_span(
                doc,
                "priorities",
                span.start_char,
                span.end_char,
                self.themes[code],
                code,
                scheme="theme",
            )
        return doc


@Language.factory("casebook_priorities_v1", default_config={"data_dir": None})
def make_priority_recognizer(nlp: Language, name: str, data_dir: str | None) -> PriorityRecognizer:
    return PriorityRecognizer(nlp, Path(data_dir) if data_dir else MODELS_DIR / "priorities")
