"""Municipalities and regions: every Swedish form of the gazetteer names, with evidence rules.

Surface forms are generated from the gazetteers (name, genitive, "X kommun", residents,
compounds such as "Stockholmsregionen", hyphen and space variants) and matched
case-insensitively with a PhraseMatcher; which matches count as the place is decided from
the tokens around them:

- a name inside an organisation's or a project's name is not the place ("Göteborgs
  universitet", "Smakfullt Halland"), except inside the county's own bodies ("Region Skåne",
  "Länsstyrelsen i Skåne län"), which name the county;
- a name that is also a common word or a person's name (the gazetteer's `ambiguous` column)
  needs evidence: "Vara kommun", "i Vara", a list of places, a list introduced by
  "kommunerna", for common words a capital letter mid-sentence, or an accepted mention of
  the same municipality elsewhere in the text (one sense per discourse);
- capitalisation is evidence only outside upper-case headings ("SATSNINGAR I UMEÅ");
- a city's surroundings ("Göteborgsregionen", "Göteborgsområdet") are one more mention of
  a city named in the same text, not the municipality on their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans
from spacy.vocab import Vocab

from ..data import MODELS_DIR, load_tsv
from ..gazetteer import GAZETTEER_DIR, Gazetteer, load_gazetteer
from .common import (
    add_span,
    doc_text,
    is_sentence_start,
    payload_of,
    spans_of,
    token_index_at,
)

RESIDENT_ENDINGS = ("bo", "bon", "bons", "bor", "borna", "bornas")
LIST_JOINERS = frozenset({",", "och", "samt", "eller", "/", "&", "–", "—"})
DASHES = re.compile(r"[–—-]")
STOCKHOLM_AREA = "SE11"


@dataclass(frozen=True)
class Target:
    kind: str  # city | county | area | project
    code: str
    role: str  # name | genitive | resident | alias | area | org | informal | programme


@dataclass
class Candidate:
    """One gazetteer match and what the evidence rules decided about it."""

    span: Span  # the mention (extended over "kommun" / "stad")
    target: Target
    status: str = "pending"  # pending | accepted | rejected
    evidence: bool = False


def _is_caps(token: Token) -> bool:
    """An upper-case word ("UMEÅ") in an upper-case heading, where case says nothing."""
    return token.is_upper and sum(ch.isalpha() for ch in token.text) > 1


def _is_capitalised(token: Token) -> bool:
    return token.text[:1].isupper()


def _variants(form: str) -> set[str]:
    """The form as written, and with its spaces and hyphens swapped ("Upplands-Väsby")."""
    forms = {form}
    if " " in form:
        forms.add(form.replace(" ", "-"))
    if "-" in form:
        forms.add(form.replace("-", " "))
    return forms


def private_splitter(tokenizer: Tokenizer) -> Tokenizer:
    """A copy of `tokenizer` (same rules) on an empty vocabulary, to split pattern forms.

    Splitting 15,000 gazetteer forms with the pipeline's own tokenizer created a lexeme with
    all of Swedish's lexical attributes for each of their words in the pipeline's vocabulary:
    a second of every worker's start, for words whose lexemes never serve a match
    (PhraseMatcher compares ids only).
    """
    return Tokenizer(
        Vocab(strings=[]),
        rules=tokenizer.rules,
        prefix_search=tokenizer.prefix_search,
        suffix_search=tokenizer.suffix_search,
        infix_finditer=tokenizer.infix_finditer,
        token_match=tokenizer.token_match,
        url_match=tokenizer.url_match,
        faster_heuristics=tokenizer.faster_heuristics,
    )


def lower_keys(splitter: Tokenizer, forms: list[str]) -> list[list[int]]:
    """Each form as the LOWER ids of its tokens: PhraseMatcher takes such id lists.

    A form of letters only is one token unless it is a tokenizer special case (prefix,
    suffix and infix rules all need a non-letter), so most forms skip the tokenizer.
    """
    keys: list[list[int] | None] = [
        [get_string_id(form.lower())] if form.isalpha() and form not in splitter.rules else None
        for form in forms
    ]
    rest = [form for form, key in zip(forms, keys, strict=True) if key is None]
    split = iter(splitter.pipe(rest))
    return [
        key if key is not None else [get_string_id(t.text.lower()) for t in next(split)]
        for key in keys
    ]


class PlaceRecognizer:
    def __init__(self, nlp: Language, gazetteer_dir: Path, places_dir: Path) -> None:
        self.gazetteer: Gazetteer = load_gazetteer(gazetteer_dir)
        cues = load_tsv(places_dir / "cues.tsv", ("word", "cue"))
        by_cue: dict[str, set[str]] = {}
        for row in cues:
            by_cue.setdefault(row["cue"], set()).add(row["word"].lower())
        self.prepositions = by_cue.get("preposition", set())
        self.list_intro = by_cue.get("list_intro", set())
        self.municipal = by_cue.get("municipal", set())
        self.org_heads = by_cue.get("org_head", set())
        self.person_titles = by_cue.get("person_title", set())
        self.programme_context = by_cue.get("programme_context", set())
        self.given_names = {
            row["name"].lower() for row in load_tsv(places_dir / "given_names.tsv", ("name",))
        }
        suffixes = load_tsv(places_dir / "compound_suffixes.tsv", ("suffix", "role"))
        self.targets: dict[str, Target] = {}
        self._build_forms(suffixes)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        keys: dict[Target, list[str]] = {}
        for form, target in self.targets.items():
            keys.setdefault(target, []).append(form)
        self.key_targets: dict[str, Target] = {}
        splitter = private_splitter(nlp.tokenizer)
        capitals = sorted({form[:1].upper() for form in self.targets if form[:1].isalpha()})
        self.pair_dash = re.compile(r"(?<=[^\W\d_])[–—-](?=[" + re.escape("".join(capitals)) + "])")
        for target, forms in keys.items():
            key = f"{target.kind}|{target.code}|{target.role}"
            self.key_targets[key] = target
            self.matcher.add(key, lower_keys(splitter, forms))
        stockholm = {
            m.code for m in self.gazetteer.municipalities.values() if m.name == "Stockholm"
        }
        self.stockholm_code = next(iter(stockholm), "")

    # -- forms ---------------------------------------------------------------------------

    def _add(self, form: str, target: Target) -> None:
        # First registration wins: counties and areas are added before municipalities, so
        # "Gotland" is the county and "Stockholmsregionen" the county's area.
        for variant in _variants(form):
            self.targets.setdefault(variant.lower(), target)

    def _build_forms(self, suffixes: list[dict[str, str]]) -> None:
        gaz = self.gazetteer
        city_names = {m.name.lower() for m in gaz.municipalities.values()}
        for county in gaz.counties.values():
            for form in (county.name, county.region_org):
                role = "name" if form == county.name else "org"
                self._add(form, Target("county", county.code, role))
                self._add(gaz.genitive(form), Target("county", county.code, role))
        for form, code in gaz.informal_areas.items():
            self._add(form, Target("county", code, "informal"))
            self._add(gaz.genitive(form), Target("county", code, "informal"))
        for area in gaz.programme_areas.values():
            # "Stockholm" as a programme area needs explicit context; the city wins alone.
            if area.name.lower() in city_names:
                continue
            for form in (area.name, *area.aliases):
                self._add(form, Target("area", area.nuts2, "programme"))
                self._add(gaz.genitive(form), Target("area", area.nuts2, "programme"))
        for form, code in gaz.metro_areas.items():
            self._add(form, Target("city", code, "area"))
        for form, (code, kind) in gaz.forms.items():
            self._add(form, Target("city", code, kind))
        for municipality in gaz.municipalities.values():
            name, code = municipality.name, municipality.code
            self._add(name, Target("city", code, "name"))
            self._add(gaz.genitive(name), Target("city", code, "genitive"))
            if " " in name or "-" in name:
                continue
            stem = name.lower()
            for ending in RESIDENT_ENDINGS:
                self._add(stem + ending, Target("city", code, "resident"))
            for row in suffixes:
                kind, role = (
                    ("project", "project") if row["role"] == "project" else ("city", "area")
                )
                for joined in {stem, gaz.genitive(stem)}:
                    for glue in ("", "-"):
                        self._add(joined + glue + row["suffix"], Target(kind, code, role))

    # -- context tests --------------------------------------------------------------------

    def _capitalised(self, token: Token) -> bool:
        return _is_capitalised(token) or _is_caps(token)

    def _previous(self, span: Span) -> Token | None:
        return span.doc[span.start - 1] if span.start > 0 else None

    def _following(self, span: Span) -> Token | None:
        return span.doc[span.end] if span.end < len(span.doc) else None

    def _part_of_other_name(self, span: Span) -> bool:
        """ "Borås Energi", "Sala Sparbank": a capitalised non-place word follows directly."""
        following = self._following(span)
        if following is None or following.lower_ in self.targets:
            return False
        if following.lower_ in self.org_heads:
            return True
        if _is_caps(span[-1]) and _is_caps(following):
            return False  # an upper-case heading: every word is capitalised
        return (
            _is_capitalised(following)
            and doc_text(span.doc)[span.end_char : following.idx] == " "
            and not is_sentence_start(following)
        )

    def _person_name(self, span: Span) -> bool:
        """ "Karin Lund", "professor Lund": the name is a surname."""
        previous = self._previous(span)
        if previous is None:
            return False
        if previous.lower_ in self.person_titles or previous.lower_ in self.given_names:
            return True
        if _is_caps(previous) and _is_caps(span[0]):
            return False
        return (
            _is_capitalised(previous)
            and previous.is_alpha
            and not is_sentence_start(previous)
            and previous.lower_ not in self.targets
            and previous.lower_ not in self.prepositions
            and previous.lower_ not in self.list_intro
        )

    def _direct_evidence(self, candidate: Candidate) -> bool:
        """Evidence from the words right around one mention."""
        span, target = candidate.span, candidate.target
        if target.role in {"resident", "alias", "area", "municipal"}:
            return True
        previous = self._previous(span)
        if previous is not None and (
            previous.lower_ in self.prepositions or previous.lower_ in self.list_intro
        ):
            return True
        municipality = self.gazetteer.municipalities[target.code]
        # A common word ("Vara", "Mark") capitalised mid-sentence is a name.
        return (
            municipality.ambiguity == "word"
            and _is_capitalised(span[0])
            and not _is_caps(span[0])
            and not is_sentence_start(span[0])
        )

    # -- the component ----------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        organisations = spans_of(doc, "organisations")
        projects = spans_of(doc, "projects")
        # The county's own bodies name the county; every other name claims its words.
        county_bodies = [s for s in organisations if (payload_of(s) or {}).get("county_body")]
        claimed = [s for s in organisations if s not in county_bodies] + projects
        claimed_tokens = {i for span in claimed for i in range(span.start, span.end)}
        matches = [
            Span(doc, start, end, label=self.matcher.vocab.strings[match_id])
            for match_id, start, end in self.matcher(doc)
        ]
        cities: list[Candidate] = []
        for span in filter_spans(matches):
            target = self.key_targets[span.label_]
            if target.kind == "project" or not claimed_tokens.isdisjoint(
                range(span.start, span.end)
            ):
                continue
            if not self._capitalised(span[0]) and target.role != "resident":
                continue
            if target.kind in {"county", "area"}:
                if target.role != "org" and self._part_of_other_name(span):
                    continue
                self._emit_region(doc, span, target)
                continue
            candidate = self._city_candidate(span, target)
            if candidate is not None:
                cities.append(candidate)
        matched = {i for span in matches for i in range(span.start, span.end)}
        self._dash_pairs(doc, matched, claimed_tokens)
        self._decide(cities)
        for candidate in cities:
            if candidate.status == "accepted":
                self._emit_city(doc, candidate.span, candidate.target)
        return doc

    def _city_candidate(self, span: Span, target: Target) -> Candidate | None:
        doc = span.doc
        following = self._following(span)
        if (
            following is not None
            and following.lower_ in self.municipal
            and target.role in {"name", "genitive"}
        ):
            return Candidate(
                doc[span.start : span.end + 1], Target("city", target.code, "municipal")
            )
        if target.role in {"resident", "alias", "municipal"}:
            return Candidate(span, target)
        previous = self._previous(span)
        if (
            target.code == self.stockholm_code
            and previous is not None
            and previous.lower_ in self.programme_context
        ):
            self._emit_region(doc, span, Target("area", STOCKHOLM_AREA, "programme"))
            return None
        if self._part_of_other_name(span) or self._person_name(span):
            return None
        return Candidate(span, target)

    def _dash_pairs(self, doc: Doc, matched: set[int], claimed: set[int]) -> None:
        """ "stråket Malmö–Lund", "Göteborg-Borås": two places joined in one token.

        A pair is a list of places: each part that is a municipality or county name counts
        when at least one part is a name that needs no evidence.
        """
        # Only a token with a dash between a letter and the capital a place name starts with
        # can be a pair (every part is capitalised, two are places): found in the text at C
        # speed, not token by token.
        text = doc_text(doc)
        indices = sorted(
            {token_index_at(doc, match.start()) for match in self.pair_dash.finditer(text)}
        )
        for token in (doc[index] for index in indices):
            parts = DASHES.split(token.text)
            if (
                token.i in matched
                or len(parts) < 2
                or token.i in claimed
                or not all(part[:1].isupper() and part.isalpha() for part in parts)
            ):
                continue
            targets = [self.targets.get(part.lower()) for part in parts]
            places = [
                (part, target)
                for part, target in zip(parts, targets, strict=True)
                if target is not None
                and target.role in {"name", "genitive", "alias", "informal", "programme"}
            ]
            if len(places) < 2 or not any(
                t.kind != "city" or not self.gazetteer.municipalities[t.code].ambiguous
                for _, t in places
            ):
                continue
            offset = token.idx
            for part, target in places:
                start = token.text.index(part)
                end_char = offset + start + len(part)
                if target.kind == "city":
                    municipality = self.gazetteer.municipalities[target.code]
                    add_span(
                        doc,
                        "cities",
                        offset + start,
                        end_char,
                        municipality.name,
                        municipality.code,
                        role="pair",
                    )
                else:
                    name = (
                        self.gazetteer.counties[target.code].name
                        if target.kind == "county"
                        else self.gazetteer.programme_areas[target.code].name
                    )
                    add_span(
                        doc, "regions", offset + start, end_char, name, target.code, role="pair"
                    )

    def _decide(self, cities: list[Candidate]) -> None:
        """Accept unambiguous names; ambiguous ones need evidence (direct, list, discourse)."""
        for candidate in cities:
            municipality = self.gazetteer.municipalities[candidate.target.code]
            candidate.evidence = self._direct_evidence(candidate)
            if not municipality.ambiguous or candidate.evidence:
                candidate.status = "accepted"
        # A list of place names ("Kil, Sala och Eda", "Vara kommun och Mark") is evidence for
        # each of them when one has evidence or the list has three names or more.
        for chain in _chains(cities):
            if len(chain) >= 3 or any(c.status == "accepted" for c in chain):
                for candidate in chain:
                    candidate.status = "accepted"
        # One sense per discourse: an accepted municipality makes its other mentions count.
        accepted_codes = {c.target.code for c in cities if c.status == "accepted"}
        for candidate in cities:
            if candidate.status == "pending" and candidate.target.code in accepted_codes:
                candidate.status = "accepted"
        # A city's surroundings ("Göteborgsregionen", "Umeåregionen": several municipalities)
        # are a further mention of a city named in the text, never the city on their own.
        named = {
            c.target.code for c in cities if c.status == "accepted" and c.target.role != "area"
        }
        for candidate in cities:
            if candidate.target.role == "area" and candidate.target.code not in named:
                candidate.status = "rejected"

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


def _chains(candidates: list[Candidate]) -> list[list[Candidate]]:
    """Runs of city mentions separated only by list joiners (", ", " och ", " samt ")."""
    chains: list[list[Candidate]] = []
    ordered = sorted(candidates, key=lambda c: c.span.start)
    for candidate in ordered:
        if chains:
            last = chains[-1][-1].span
            between = candidate.span.doc[last.end : candidate.span.start]
            if 0 < len(between) <= 2 and all(t.lower_ in LIST_JOINERS for t in between):
                chains[-1].append(candidate)
                continue
        chains.append([candidate])
    return [chain for chain in chains if len(chain) > 1]


@Language.factory("casebook_places_v2", default_config={"gazetteer_dir": None, "places_dir": None})
def make_place_recognizer(
    nlp: Language, name: str, gazetteer_dir: str | None, places_dir: str | None
) -> PlaceRecognizer:
    return PlaceRecognizer(
        nlp,
        Path(gazetteer_dir) if gazetteer_dir else GAZETTEER_DIR,
        Path(places_dir) if places_dir else MODELS_DIR / "places",
    )
