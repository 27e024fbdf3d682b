"""Organisations: a named list (models/organisations/organisations.tsv) plus structural cues.

Names are kept as written, in nominative (a genitive -s is dropped); `canonical` links a
listed alias ("ESF-rådet") to its full name ("Svenska ESF-rådet").
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..data import MODELS_DIR, load_tsv
from ..gazetteer import GAZETTEER_DIR, load_gazetteer
from .common import add_span

CAPITALISED = {"TEXT": {"REGEX": r"^[A-ZÅÄÖÉÜ][\w\-&]*$"}}


def nominative(name: str) -> str:
    """Drop a genitive -s from the last word ("Tillväxtverkets" → "Tillväxtverket")."""
    head, _, last = name.rpartition(" ")
    if last.endswith("s") and len(last) > 3 and not last.endswith(("ss", "us", "ös", "ås", "is")):
        last = last[:-1]
    return f"{head} {last}".strip() if head else last


class OrganisationRecognizer:
    def __init__(self, nlp: Language, data_dir: Path, gazetteer_dir: Path) -> None:
        rows = load_tsv(data_dir / "organisations.tsv", ("name", "kind"))
        self.canonical: dict[str, tuple[str, str]] = {}
        self.nominatives: set[str] = set()
        for row in rows:
            for form in (row["name"], *[a for a in row.get("aliases", "").split("|") if a]):
                self.canonical[form] = (row["name"], row["kind"])
                self.nominatives.add(form)
                genitive = form if form[-1] in "sxz" else form + "s"
                self.canonical.setdefault(genitive, (row["name"], row["kind"]))
        gazetteer = load_gazetteer(gazetteer_dir)
        for county in gazetteer.counties.values():
            self.canonical[county.region_org] = (county.region_org, "region")
            self.nominatives.add(county.region_org)
            self.canonical.setdefault(county.region_org + "s", (county.region_org, "region"))
        self.phrases = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.phrases.add("LISTED", list(nlp.tokenizer.pipe(sorted(self.canonical))))

        cues = load_tsv(data_dir / "cues.tsv", ("word", "cue"))
        self.kinds: dict[str, str] = {}
        self.structural = Matcher(nlp.vocab)
        for row in cues:
            word, cue = row["word"], row["cue"]
            words = [{"ORTH": part} for part in word.split()]
            if cue == "prefix":
                pattern = [
                    *words,
                    {"LOWER": "i", "OP": "?"},
                    {**CAPITALISED, "OP": "+"},
                    {"LOWER": {"IN": ["län", "läns"]}, "OP": "?"},
                ]
                self.kinds[cue] = "authority"
            elif cue == "suffix_head":
                pattern = [{**CAPITALISED, "OP": "+"}, *words]
                self.kinds[cue] = "university"
            else:
                pattern = [{**CAPITALISED, "OP": "+"}, *words]
                self.kinds[cue] = "company"
            self.structural.add(cue, [pattern], greedy="LONGEST")

    def __call__(self, doc: Doc) -> Doc:
        candidates = [Span(doc, s, e, label="LISTED") for _, s, e in self.phrases(doc)]
        for match_id, start, end in self.structural(doc):
            cue = doc.vocab.strings[match_id]
            candidates.append(Span(doc, start, end, label=cue))
        for span in filter_spans(candidates):
            text = span.text
            if span.label_ == "LISTED":
                canonical, kind = self.canonical[text]
            else:
                canonical, kind = None, self.kinds[span.label_]
            name = text if text in self.nominatives else nominative(text)
            add_span(
                doc,
                "organisations",
                span.start_char,
                span.end_char,
                name,
                kind=kind,
                canonical=canonical,
            )
        return doc


@Language.factory(
    "casebook_organisations_v1", default_config={"data_dir": None, "gazetteer_dir": None}
)
def make_organisation_recognizer(
    nlp: Language, name: str, data_dir: str | None, gazetteer_dir: str | None
) -> OrganisationRecognizer:
    return OrganisationRecognizer(
        nlp,
        Path(data_dir) if data_dir else MODELS_DIR / "organisations",
        Path(gazetteer_dir) if gazetteer_dir else GAZETTEER_DIR,
    )
