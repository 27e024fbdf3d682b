"""Municipalities and regions: every Swedish form of the gazetteer names, with evidence rules.

Surface forms are generated from the gazetteers (name, genitive, residents, compounds such as
"Stockholmsregionen") and matched case-insensitively with a PhraseMatcher; which matches
count as the place is decided from the tokens around them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from ..data import MODELS_DIR, load_tsv
from ..gazetteer import GAZETTEER_DIR, Gazetteer, load_gazetteer
from .common import add_span, is_sentence_start, overlaps, spans_of

RESIDENT_ENDINGS = ("bo", "bor", "borna", "bon", "bons", "bornas")
LIST_JOINERS = frozenset({",", "och", "samt", "eller", "/"})


@dataclass(frozen=True)
class Target:
    kind: str  # city | county | area | project
    code: str
    role: str  # name | genitive | resident | alias | area | org | informal | programme


def _is_capitalised(token: Token) -> bool:
    return token.text[:1].isupper()


class PlaceRecognizer:
    def __init__(self, nlp: Language, gazetteer_dir: Path, places_dir: Path) -> None:
        self.gazetteer: Gazetteer = load_gazetteer(gazetteer_dir)
        cues = load_tsv(places_dir / "cues.tsv", ("word", "cue"))
        self.prepositions = {row["word"] for row in cues if row["cue"] == "preposition"}
        self.municipal = {row["word"] for row in cues if row["cue"] == "municipal"}
        self.org_heads = {row["word"] for row in cues if row["cue"] == "org_head"}
        suffixes = load_tsv(places_dir / "compound_suffixes.tsv", ("suffix", "role"))
        self.targets: dict[str, Target] = {}
        self._build_forms(suffixes)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        keys: dict[Target, list[str]] = {}
        for form, target in self.targets.items():
            keys.setdefault(target, []).append(form)
        self.key_targets: dict[str, Target] = {}
        for target, forms in keys.items():
            key = f"{target.kind}|{target.code}|{target.role}"
            self.key_targets[key] = target
            self.matcher.add(key, list(nlp.tokenizer.pipe(forms)))

    def _add(self, form: str, target: Target) -> None:
        # First registration wins: counties and areas are added before municipalities.
        self.targets.setdefault(form.lower(), target)

    def _build_forms(self, suffixes: list[dict[str, str]]) -> None:
        gaz = self.gazetteer
        for county in gaz.counties.values():
            self._add(county.name, Target("county", county.code, "name"))
            self._add(gaz.genitive(county.name), Target("county", county.code, "name"))
            self._add(county.region_org, Target("county", county.code, "org"))
        for form, code in gaz.informal_areas.items():
            self._add(form, Target("county", code, "informal"))
        for area in gaz.programme_areas.values():
            # "Stockholm" as a programme area needs explicit context; the city wins alone.
            if area.name.lower() in {m.name.lower() for m in gaz.municipalities.values()}:
                continue
            for form in (area.name, *area.aliases):
                self._add(form, Target("area", area.nuts2, "programme"))
        for form, code in gaz.metro_areas.items():
            self._add(form, Target("city", code, "area"))
        for form, (code, kind) in gaz.forms.items():
            if kind in {"resident", "alias"}:
                self._add(form, Target("city", code, kind))
        for municipality in gaz.municipalities.values():
            name, code = municipality.name, municipality.code
            self._add(name, Target("city", code, "name"))
            self._add(gaz.genitive(name), Target("city", code, "genitive"))
            if " " in name:
                continue
            stem = name.lower()
            for ending in RESIDENT_ENDINGS:
                self._add(stem + ending, Target("city", code, "resident"))
            for row in suffixes:
                role = "area" if row["role"] == "area" else "project"
                for joined in (stem, gaz.genitive(stem)):
                    self._add(
                        joined + row["suffix"],
                        Target("project" if role == "project" else "city", code, role),
                    )

    def _has_evidence(self, span: Span, accepted: list[Span]) -> bool:
        """Evidence that an ambiguous name (Vara, Mark, Lund) is the place."""
        doc = span.doc
        previous = doc[span.start - 1] if span.start > 0 else None
        following = doc[span.end] if span.end < len(doc) else None
        if following is not None and following.lower_ in self.municipal:
            return True
        if previous is not None and previous.lower_ in self.prepositions:
            return True
        # In a list with places already accepted: "Lund, Malmö och Helsingborg".
        neighbours = []
        if previous is not None and previous.text in LIST_JOINERS and span.start >= 2:
            neighbours.append(span.start - 2)
        if following is not None and following.text in LIST_JOINERS and span.end + 1 < len(doc):
            neighbours.append(span.end + 1)
        return any(other.start <= index < other.end for index in neighbours for other in accepted)

    def _city_span(self, span: Span, target: Target, claimed: list[Span]) -> Span | None:
        """The mention span if this match counts as the municipality, else None."""
        doc = span.doc
        if target.role == "resident":
            return span
        if target.role in {"name", "genitive", "alias", "area"} and not _is_capitalised(span[0]):
            return None
        if overlaps(span, claimed):
            return None
        following = doc[span.end] if span.end < len(doc) else None
        if following is not None and following.lower_ in self.municipal:
            return doc[span.start : span.end + 1]
        if target.role == "area":
            return span
        if following is not None and following.lower_ in self.org_heads:
            return None
        if (
            following is not None
            and _is_capitalised(following)
            and doc.text[span.end_char : following.idx] == " "
            and following.lower_ not in self.targets
            and not is_sentence_start(following)
        ):
            # "Borås Energi", "Malmö Redhawks": the name is part of another proper name.
            return None
        return span

    def __call__(self, doc: Doc) -> Doc:
        claimed = spans_of(doc, "organisations") + spans_of(doc, "projects")
        candidates = [
            Span(doc, start, end, label=self.matcher.vocab.strings[match_id])
            for match_id, start, end in self.matcher(doc)
        ]
        pending: list[tuple[Span, Target]] = []
        accepted: list[Span] = []
        for span in filter_spans(candidates):
            target = self.key_targets[span.label_]
            if target.kind == "project":
                continue
            if target.kind in {"county", "area"}:
                if _is_capitalised(span[0]):
                    self._emit_region(doc, span, target)
                continue
            mention = self._city_span(span, target, claimed)
            if mention is None:
                continue
            municipality = self.gazetteer.municipalities[target.code]
            if (
                municipality.ambiguous
                and target.role in {"name", "genitive"}
                and not (mention.end > span.end)
            ):
                pending.append((mention, target))
                continue
            accepted.append(mention)
            self._emit_city(doc, mention, target)
        # Ambiguous names are decided last, so list neighbours can serve as evidence.
        for mention, target in pending:
            previous = doc[mention.start - 1] if mention.start else None
            surname = (
                previous is not None
                and _is_capitalised(previous)
                and not is_sentence_start(previous)
                and previous.lower_ not in self.targets
            )
            if not surname and self._has_evidence(mention, accepted):
                accepted.append(mention)
                self._emit_city(doc, mention, target)
        return doc

    def _emit_city(self, doc: Doc, mention: Span, target: Target) -> None:
        municipality = self.gazetteer.municipalities[target.code]
        add_span(
            doc,
            "cities",
            mention.start_char,
            mention.end_char,
            municipality.name,
            municipality.code,
            role=target.role,
        )

    def _emit_region(self, doc: Doc, span: Span, target: Target) -> None:
        if target.kind == "county":
            name = self.gazetteer.counties[target.code].name
        else:
            name = self.gazetteer.programme_areas[target.code].name
        add_span(
            doc, "regions", span.start_char, span.end_char, name, target.code, role=target.role
        )


@Language.factory("casebook_places_v1", default_config={"gazetteer_dir": None, "places_dir": None})
def make_place_recognizer(
    nlp: Language, name: str, gazetteer_dir: str | None, places_dir: str | None
) -> PlaceRecognizer:
    return PlaceRecognizer(
        nlp,
        Path(gazetteer_dir) if gazetteer_dir else GAZETTEER_DIR,
        Path(places_dir) if places_dir else MODELS_DIR / "places",
    )
