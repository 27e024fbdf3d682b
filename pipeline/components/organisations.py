"""Organisations: a named list (models/organisations/organisations.tsv) plus structural cues.

Evidence, strongest first:
- the list (authorities, universities and colleges, associations, NGOs, companies, EU
  institutions) and the 21 region bodies from the county gazetteer ("Region Skåne"); a
  listed association or company continues over an area name ("Coompanion Dalarna",
  "Hushållningssällskapet Skaraborg": cues.tsv `area`, the counties and informal areas);
- structure: "Länsstyrelsen i X", "Högskolan i X", "<Name> AB";
- a capitalised name before a word ending in an organisation head ("Umeå universitet",
  "Ljusnarsbergs hembygdsförening", "Hälsinglands Museum": cues.tsv `suffix_head`);
- a compound ending in a definite organisation head, located with "i <Place>"
  ("Energikontoret i Mälardalen", "Samordningsförbundet i Kalmar län": `located_head`);
- a lower-case type noun before a name ("teknikföretaget ABB", "skogsägarföreningen Södra");
- a single compound word ending in an organisation noun ("Riksidrottsförbundet",
  "Waxholmsbolaget"); at a sentence start only when it is no ordinary compound
  ("Bostadsbolaget har …" is a common noun);
- the agent of a project ("ägs av Innovatum").

Names are kept as written, in nominative (a genitive -s or ":s" is dropped); `canonical` links
a listed alias ("ESF-rådet") to its full name ("Svenska ESF-rådet"). A municipality as an
organisation ("Uppsala kommun", "Malmö stad") is a city (places component), never listed here;
generic bodies ("Kommunstyrelsen", "regeringen") are never names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from ..data import MODELS_DIR, load_tsv
from ..gazetteer import GAZETTEER_DIR, load_gazetteer
from .common import Lexicon, WordTest, add_span, flagged, is_sentence_start, lexicon, word_flag

CAPITALISED = {"TEXT": {"REGEX": r"^[A-ZÅÄÖÉÜ][\w\-&]*$"}}
# The same test in Python, as the Matcher applies a REGEX (re.search on the token text).
_CAPITALISED_TEXT = re.compile(CAPITALISED["TEXT"]["REGEX"])
NAME_JOINERS = frozenset({"och", "&"})
MAX_NAME_TOKENS = 6
MUNICIPAL = frozenset({"kommun", "kommuns", "stad", "stads"})
# Compounds of these name a municipality's or region's own bodies ("Stadsbyggnadskontoret").
MUNICIPAL_PREFIXES = ("kommun", "region", "läns", "stads", "förvaltnings")
# Span label of a structural name whose head word gives its kind ("kind:university").
KIND_LABEL = "kind:"


@dataclass(frozen=True)
class Listed:
    name: str  # the nominative of the form as written in the list
    canonical: str
    kind: str


def nominative(name: str) -> str:
    """Drop a genitive from the last word ("Tillväxtverkets" → "Tillväxtverket", "LKAB:s")."""
    if name.endswith(":s"):
        return name[:-2]
    head, _, last = name.rpartition(" ")
    if last.endswith("s") and len(last) > 3 and not last.endswith(("ss", "us", "ös", "ås", "is")):
        last = last[:-1]
    return f"{head} {last}".strip() if head else last


def _genitive(form: str) -> str:
    if form.isupper():
        return form + ":s"
    return form if form[-1] in "sxz" else form + "s"


def _capitalised(token: Token) -> bool:
    return token.text[:1].isupper()


def _next_word(doc: Doc, index: int) -> int:
    """The index of the first non-space token from `index` ("förbundet\ni Kalmar län")."""
    while index < len(doc) and doc[index].is_space:
        index += 1
    return index


def _ends_with_head(lower: str, heads: tuple[str, ...]) -> str | None:
    """The head a word ends in, itself or as a compound with a modifier of three letters or
    more ("hembygdsförening" -> "förening"; "förening" itself; not "xförening")."""
    for head in heads:
        if lower == head or (lower.endswith(head) and len(lower) >= len(head) + 3):
            return head
    return None


class OrganisationRecognizer:
    def __init__(self, nlp: Language, data_dir: Path, gazetteer_dir: Path) -> None:
        self.nlp = nlp
        self.listed: dict[str, Listed] = {}  # exact form → entry
        self.listed_lower: dict[str, Listed] = {}  # lower-case multiword form → entry
        rows = load_tsv(data_dir / "organisations.tsv", ("name", "kind"))
        gazetteer = load_gazetteer(gazetteer_dir)
        entries = [(row["name"], row["kind"], row.get("aliases", "")) for row in rows]
        entries += [(county.region_org, "region", "") for county in gazetteer.counties.values()]
        for canonical, kind, aliases in entries:
            for form in (canonical, *[a.strip() for a in aliases.split("|") if a.strip()]):
                entry = Listed(form, canonical, kind)
                for written in (form, _genitive(form)):
                    self.listed.setdefault(written, entry)
                    if " " in written:
                        self.listed_lower.setdefault(written.lower(), entry)
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.exact.add("LISTED", list(nlp.tokenizer.pipe(sorted(self.listed))))
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.lower.add("LISTED", list(nlp.tokenizer.pipe(sorted(self.listed_lower))))

        # Place names: a run that is only a place (or "<place> kommun") is no organisation.
        self.places: set[str] = set()
        for municipality in gazetteer.municipalities.values():
            self.places |= {
                municipality.name.lower(),
                gazetteer.genitive(municipality.name).lower(),
            }
        for county in gazetteer.counties.values():
            self.places |= {county.name.lower(), county.short.lower()}
        self.places |= set(gazetteer.informal_areas)

        cues = load_tsv(data_dir / "cues.tsv", ("word", "cue"))
        by_cue: dict[str, list[str]] = {}
        for row in cues:
            by_cue.setdefault(row["cue"], []).append(row["word"])
        self.type_nouns = tuple(w.lower() for w in by_cue.get("type_noun", []))
        self.name_suffixes = tuple(w.lower() for w in by_cue.get("name_suffix", []))
        self.common_suffixes = tuple(w.lower() for w in by_cue.get("common_suffix", []))
        # Longest first, so "universitet" is tried before a shorter head it ends in.
        self.heads = tuple(
            sorted({w.lower() for w in by_cue.get("suffix_head", [])}, key=len, reverse=True)
        )
        self.heads_or_genitives = self.heads + tuple(head + "s" for head in self.heads)
        # The kind a head gives its name ("universitet" -> university); cues.tsv `kind`.
        self.head_kinds = {
            row["word"].lower(): row["kind"]
            for row in cues
            if row["cue"] in ("suffix_head", "located_head") and row.get("kind")
        }
        self.located_heads = tuple(
            sorted({w.lower() for w in by_cue.get("located_head", [])}, key=len, reverse=True)
        )
        # Area names that continue a listed association's or company's name.
        self.areas = {w.lower() for w in by_cue.get("area", [])}
        self.areas |= {county.short.lower() for county in gazetteer.counties.values()}
        self.areas |= set(gazetteer.informal_areas)
        self.area_starts = self.areas | {area.split(" ", 1)[0] for area in self.areas}
        self.agents = {w.lower() for w in by_cue.get("agent", [])}
        self.generic = {w.lower() for w in by_cue.get("generic", [])}
        self.suffixes = self.name_suffixes + self.common_suffixes
        self.kinds: dict[str, str] = {}
        self.structural = Matcher(nlp.vocab)
        # Every structural match starts at a prefix word or ends in a legal form; the Matcher
        # runs only on windows around these (its REGEX/"+" patterns are slow on every token).
        self.prefix_forms: set[str] = set()
        self.legal_forms: dict[str, list[tuple[str, ...]]] = {}  # first word → whole forms
        for cue, kind in (
            ("prefix", "authority"),
            ("legal_form", "company"),
        ):
            patterns = []
            for word in by_cue.get(cue, []):
                words = [{"ORTH": part} for part in word.split()]
                if cue == "prefix":
                    self.prefix_forms |= {word, word + "s"}
                else:
                    parts = tuple(word.split())
                    self.legal_forms.setdefault(parts[0], []).append(parts)
                if cue == "prefix":
                    genitive = [{"ORTH": {"IN": [word, word + "s"]}}]
                    patterns.append(
                        [
                            *genitive,
                            {"LOWER": "i", "OP": "?"},
                            {**CAPITALISED, "OP": "+"},
                            {"LOWER": {"IN": ["län", "läns"]}, "OP": "?"},
                        ]
                    )
                else:
                    patterns.append([{**CAPITALISED, "OP": "+"}, *words])
            if patterns:
                self.structural.add(cue, patterns, greedy="LONGEST")
                self.kinds[cue] = kind
        # The words a finder can start from, as one lexeme flag: the suffixes of _typed,
        # _headed, _located and _suffixed, the agents and the structural triggers. Each
        # finder re-tests its candidates exactly as before; most tokens are no candidate.
        self.cue_flag = word_flag(
            nlp.vocab,
            WordTest(
                frozenset(
                    {
                        *self.agents,
                        *(form.lower() for form in self.prefix_forms),
                        *(first.lower() for first in self.legal_forms),
                    }
                ),
                tuple(
                    sorted(
                        {
                            *self.type_nouns,
                            *self.heads_or_genitives,
                            *self.located_heads,
                            *self.suffixes,
                        }
                    )
                ),
            ),
        )

    # -- candidate finders ------------------------------------------------------------------

    def _listed(self, doc: Doc) -> list[Span]:
        spans = [Span(doc, s, e, label="LISTED") for _, s, e in self.exact(doc)]
        for _, start, end in self.lower(doc):
            if _capitalised(doc[start]):
                spans.append(Span(doc, start, end, label="LISTED"))
        extended = []
        for span in spans:
            entry = self._entry(span)
            end = span.end
            if entry is not None and entry.kind in ("association", "ngo", "company"):
                end = self._area_after(doc, end)
            # "Volvo Bussar", "Scania Sverige": a company name continues with capitalised words.
            while (
                entry is not None
                and entry.kind == "company"
                and end < len(doc)
                and end - span.start < MAX_NAME_TOKENS
                and _capitalised(doc[end])
                and not is_sentence_start(doc[end])
                and doc[end].lower_ not in self.places
                and doc[end].text not in self.listed
            ):
                end += 1
            extended.append(Span(doc, span.start, end, label="LISTED"))
        return extended

    def _area_after(self, doc: Doc, end: int) -> int:
        """The end of a listed name continued by an area ("Coompanion Dalarna", "Almi
        Västra Götaland"): one or two capitalised words that together name an area."""
        if end >= len(doc) or doc[end].lower_ not in self.area_starts:
            return end  # no area starts here (an area's words are alphabetic: no spaces)
        for length in (2, 1):
            words = doc[end : end + length]
            if (
                len(words) == length
                and all(_capitalised(t) and t.is_alpha for t in words)
                and not is_sentence_start(words[0])
                and " ".join(t.lower_ for t in words) in self.areas
            ):
                return end + length
        return end

    def _name_run(self, doc: Doc, start: int) -> Span | None:
        """Capitalised words from `start`, joined by "och"/"&" before another capital."""
        if start >= len(doc) or not _capitalised(doc[start]) or not doc[start].is_alpha:
            return None
        end = start + 1
        while end < len(doc) and end - start < MAX_NAME_TOKENS:
            token = doc[end]
            if _capitalised(token) and token.is_alpha and not is_sentence_start(token):
                end += 1
            elif (
                token.lower_ in NAME_JOINERS
                and end + 1 < len(doc)
                and _capitalised(doc[end + 1])
                and doc[end + 1].lower_ not in self.places
            ):
                end += 2
            else:
                break
        return doc[start:end]

    def _typed(self, doc: Doc, cues: list[Token]) -> list[Span]:
        """ "teknikföretaget ABB", "myndigheten FPA", "bolaget Borås Energi och Miljö"."""
        found = []
        for token in cues:
            if not token.is_alpha or not token.lower_.endswith(self.type_nouns):
                continue
            run = self._name_run(doc, token.i + 1)
            if run is not None and not self._is_place(run):
                found.append(Span(doc, run.start, run.end, label="type_noun"))
        return found

    def _headed(self, doc: Doc, words: Lexicon, cues: list[Token]) -> list[Span]:
        """A capitalised name before an organisation head: "Umeå universitet", "Ljusnarsbergs
        hembygdsförening", "Hälsinglands Museum", "Sveriges lantbruksuniversitet".

        The name is one to four capitalised words right before the head word; a single word
        at a sentence start must be no ordinary word ("Vår förening", "Kommunens museum")
        unless it names a place ("Dalarnas museum").
        """
        found = []
        for token in cues:
            lower = token.lower_
            if not lower.endswith(self.heads_or_genitives) or not token.is_alpha or token.i == 0:
                continue
            if lower.endswith("s") and not lower.endswith(self.heads):
                lower = lower[:-1]  # "universitets", "hembygdsförenings"
            head = _ends_with_head(lower, self.heads)
            if head is None or is_sentence_start(token):
                continue
            start = token.i
            while (
                start > 0
                and token.i - start < 4
                and _capitalised(doc[start - 1])
                and doc[start - 1].is_alpha
                and not doc[start - 1].is_upper
            ):
                start -= 1
                if is_sentence_start(doc[start]):
                    break
            if start == token.i:
                continue
            first = doc[start].lower_
            place = first in self.places or first.removesuffix("s") in self.places
            if (
                start == token.i - 1
                and is_sentence_start(doc[start])
                and words.known(first)
                and not place
            ):
                continue
            kind = self.head_kinds.get(head, "association")
            found.append(Span(doc, start, token.i + 1, label=f"{KIND_LABEL}{kind}"))
        return found

    def _located(self, doc: Doc, words: Lexicon, cues: list[Token]) -> list[Span]:
        """A compound ending in a definite organisation head, placed with "i <Place>":
        "Energikontoret i Mälardalen", "Samordningsförbundet i Kalmar län".

        Listed names keep their own extent ("Arbetsförmedlingen i Borås" is the authority's
        local office); at a sentence start an ordinary compound is no name.
        """
        found = []
        for token in cues:
            lower = token.lower_
            if not lower.endswith(self.located_heads) or not _capitalised(token):
                continue
            if not token.is_alpha or token.is_upper:
                continue
            head = _ends_with_head(lower, self.located_heads)
            if head is None or lower == head or token.text in self.listed:
                continue
            if lower.startswith(MUNICIPAL_PREFIXES):
                continue
            if is_sentence_start(token) and words.compound(lower):
                continue
            index = _next_word(doc, token.i + 1)
            if index >= len(doc) or doc[index].lower_ != "i":
                continue
            start = end = _next_word(doc, index + 1)
            while (
                end < len(doc)
                and end - start < 3
                and _capitalised(doc[end])
                and doc[end].is_alpha
                and not is_sentence_start(doc[end])
            ):
                end += 1
            if end == start:
                continue
            if end < len(doc) and doc[end].lower_ in ("län", "läns"):
                end += 1
            kind = self.head_kinds.get(head, "organisation")
            found.append(Span(doc, token.i, end, label=f"{KIND_LABEL}{kind}"))
        return found

    def _suffixed(
        self, doc: Doc, words: Lexicon, introducers: set[int], cues: list[Token]
    ) -> list[Span]:
        """One compound word ending in an organisation noun: "Riksidrottsförbundet",
        "Waxholmsbolaget".

        An ordinary word capitalised at a sentence start ("Nätverket") is no name; after a
        common head (`common_suffix`: "Bostadsbolaget har …", "Hembygdsföreningen har …")
        neither is an ordinary compound (a known stem + a known word). A word that introduces
        a name ("Skogsägarföreningen Södra") is its type, not a name of its own.
        """
        found = []
        suffixes = self.suffixes
        for token in cues:
            lower = token.lower_
            if not (
                _capitalised(token)
                and token.is_alpha
                and not token.is_upper
                and lower.endswith(suffixes)
                and len(lower) > max(len(s) for s in suffixes if lower.endswith(s)) + 2
                and lower not in self.generic
                and not lower.startswith(MUNICIPAL_PREFIXES)
            ):
                continue
            if token.i in introducers:
                continue
            if is_sentence_start(token) and (
                words.known(lower)
                or (lower.endswith(self.common_suffixes) and words.compound(lower))
            ):
                continue
            head = next((h for h in self.located_heads if lower.endswith(h)), None)
            kind = self.head_kinds.get(head or "")
            label = f"{KIND_LABEL}{kind}" if kind else "name_suffix"
            found.append(Span(doc, token.i, token.i + 1, label=label))
        return found

    def _agents(self, doc: Doc, cues: list[Token]) -> list[Span]:
        """ "ägs av Innovatum", "drivs av Fryshuset": one capitalised word after the agent."""
        found = []
        for token in cues:
            if token.lower_ not in self.agents or token.i + 2 >= len(doc):
                continue
            if doc[token.i + 1].lower_ != "av":
                continue
            name = doc[token.i + 2]
            following = doc[name.i + 1] if name.i + 1 < len(doc) else None
            if (
                _capitalised(name)
                and name.is_alpha
                and name.lower_ not in self.places
                and name.lower_ not in self.generic
                and (following is None or not _capitalised(following))
            ):
                found.append(Span(doc, name.i, name.i + 1, label="agent"))
        return found

    def _structural(self, doc: Doc, cues: list[Token]) -> list[tuple[int, int, int]]:
        """The structural Matcher's matches ("Länsstyrelsen i Skåne län", "Sandvik AB") as
        (match_id, start, end), in the order the Matcher gives them for the whole Doc.

        A match starts at a prefix word and runs over "i", capitalised words and "län", or
        ends in a legal form after capitalised words: the Matcher runs on those windows only.
        """
        windows: list[tuple[int, int]] = []
        for token in cues:
            text = token.text
            if text in self.prefix_forms:
                end = token.i + 1
                while end < len(doc) and (
                    doc[end].lower_ in ("i", "län", "läns")
                    or _CAPITALISED_TEXT.search(doc[end].text)
                ):
                    end += 1
                windows.append((token.i, end))
            for form in self.legal_forms.get(text, ()):
                end = token.i + len(form)
                if tuple(t.text for t in doc[token.i : end]) != form:
                    continue
                start = token.i
                while start > 0 and _CAPITALISED_TEXT.search(doc[start - 1].text):
                    start -= 1
                windows.append((start, end))
        merged: list[list[int]] = []
        for start, end in sorted(windows):
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        # The Matcher lists each label's matches together (labels in the order of their first
        # match), longest first; its greedy filter never relates disjoint windows.
        by_key: dict[int, list[tuple[int, int, int]]] = {}
        for start, end in merged:
            for match_id, a, b in self.structural(doc[start:end]):
                by_key.setdefault(match_id, []).append((match_id, start + a, start + b))
        return [
            match
            for matches in by_key.values()
            for match in sorted(matches, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)
        ]

    # -- decisions ---------------------------------------------------------------------------

    def _entry(self, span: Span) -> Listed | None:
        return self._entry_for(span.text)

    def _entry_for(self, text: str) -> Listed | None:
        return self.listed.get(text) or self.listed_lower.get(text.lower())

    def _is_place(self, span: Span) -> bool:
        """ "Malmö", "Uppsala kommun", "Skåne": a place, or the municipality itself."""
        words = [t.lower_ for t in span]
        if words and words[-1] in MUNICIPAL:
            words = words[:-1]
        return bool(words) and " ".join(words) in self.places

    def __call__(self, doc: Doc) -> Doc:
        cues = [doc[i] for i in flagged(doc, self.cue_flag)]
        candidates = self._listed(doc)
        for match_id, start, end in self._structural(doc, cues):
            candidates.append(Span(doc, start, end, label=doc.vocab.strings[match_id]))
        words = lexicon(self.nlp)
        typed = self._typed(doc, cues)
        introducers = {span.start - 1 for span in typed}
        candidates += (
            self._headed(doc, words, cues)
            + self._located(doc, words, cues)
            + typed
            + self._suffixed(doc, words, introducers, cues)
            + self._agents(doc, cues)
        )
        for span in filter_spans(candidates):
            text = span.text  # built from the tokens on every access
            lower = text.lower()
            if lower in self.generic or self._is_place(span):
                continue
            entry = self._entry_for(text)
            if entry is not None:
                name, canonical, kind = entry.name, entry.canonical, entry.kind
            else:
                # A listed name continued ("Volvo Bussar") or a structural name.
                head = self._entry(span[:1]) if span.label_ == "LISTED" else None
                # One line: a name may break across lines ("Samordningsförbundet\ni Kalmar län").
                name = nominative(" ".join(text.split()))
                canonical = None
                kind = head.kind if head else self.kinds.get(span.label_, "organisation")
                if span.label_.startswith(KIND_LABEL):
                    kind = span.label_.removeprefix(KIND_LABEL)
            add_span(
                doc,
                "organisations",
                span.start_char,
                span.end_char,
                name,
                kind=kind,
                canonical=canonical,
                # The county's own bodies name the county (places gives the region).
                county_body=kind == "region" or lower.startswith("länsstyrelsen"),
            )
        return doc


@Language.factory(
    "casebook_organisations_v2", default_config={"data_dir": None, "gazetteer_dir": None}
)
def make_organisation_recognizer(
    nlp: Language, name: str, data_dir: str | None, gazetteer_dir: str | None
) -> OrganisationRecognizer:
    return OrganisationRecognizer(
        nlp,
        Path(data_dir) if data_dir else MODELS_DIR / "organisations",
        Path(gazetteer_dir) if gazetteer_dir else GAZETTEER_DIR,
    )
