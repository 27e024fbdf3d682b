"""Coded EU priorities (models/priorities/codes.tsv), instruments, and themes (themes.tsv).

Codes are read after their cue words, lists included ("investeringsprioritet 1b",
"tematiska mål 1, 3 och 4", "politiskt mål 4 (PO4)", "specifikt mål 2.6", "RSO2.6",
"programområde 2", "mål 2.3"). Which scheme a bare "mål 2.3" or "specifikt mål 1.1" belongs
to depends on the fund the text names: the ESF programme's goals when only the Social Fund
is named, else the 2021–2027 ERDF specific objectives. Instruments (ITI, CLLD / lokalt ledd
utveckling / Leader, Interreg) have scheme "instrument". Themes come from Swedish phrases
matched on the word or its lookup lemma, so inflected forms count ("hållbara
stadsutvecklingen"). A code named only in a negated statement becomes a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from spacy.attrs import LEMMA, ORTH
from spacy.language import Language
from spacy.lexeme import Lexeme
from spacy.tokens import Doc, Span

from ..data import MODELS_DIR, load_tsv
from .common import add_span, is_negated, spans_of

# A cue (one or two words, lower case, regex) and the scheme of the codes that follow it.
CUES: tuple[tuple[tuple[str, ...], str], ...] = (
    ((r"investeringsprioritet(en|er|erna)?|investeringsprioritering(en|ar|arna)?",), "ip"),
    ((r"tematisk(a|t)?", r"mål(et|en)?"), "to"),
    ((r"politisk(a|t)?", r"mål(et|en)?"), "po"),
    ((r"specifik(a|t)?", r"mål(et|en)?"), "goal"),
    ((r"programområde(t|n|na)?",), "esf_programme_area"),
    ((r"po",), "po"),
    ((r"mål(et|en)?",), "goal"),
)
LIST_JOINERS = frozenset({",", "och", "samt", "eller", "respektive"})
CODE = re.compile(r"^(?:PO\s?)?(\d{1,2}(?:\.\d{1,2}|[a-g])?)$", re.IGNORECASE)
OWN_CODE = re.compile(r"^(?:(PO)\s?([1-5])|(RSO|JSO)(\d\.\d{1,2}))$")
ITI = re.compile(r"^ITI(-[\wåäö]+)?$")
CLLD = re.compile(r"^(CLLD|Leader)(-?[\wåäö]+)?$")
INTERREG = re.compile(r"^interreg(-?[\wåäö]+)?$", re.IGNORECASE)
MAX_CODES = 8
INSTRUMENT_PHRASES: tuple[tuple[str, tuple[tuple[str, bool], ...]], ...] = (
    ("ITI", (("integrerad", True), ("territoriell", True), ("investering", True))),
    ("CLLD", (("lokalt", False), ("ledd", True), ("utveckling", True))),
    ("INTERREG", (("europeiskt", False), ("territoriellt", False), ("samarbete", True))),
)
# What a token can be the start of (bits), decided once per distinct token text.
CODED, INSTRUMENT, INSTRUMENT_PHRASE, THEME = 1, 2, 4, 8
# Distinct token texts and lemmas whose bits are kept (cleared when full: bounded memory).
MAX_CACHED_TOKENS = 200_000


@dataclass(frozen=True)
class Phrase:
    code: str
    words: tuple[tuple[str, bool], ...]  # (word, is_prefix)


class _View:
    """A Doc's token ids (ORTH, LOWER, LEMMA) and its candidate tokens per part.

    A token's strings are looked up only where a rule looks at it: creating a Token (`doc[i]`,
    iterating) and reading `token.lower_` for every token cost more than the tokenizer itself.
    """

    def __init__(self, doc: Doc, lowers: dict[int, str], lemmas: dict[int, str]) -> None:
        self.strings = doc.vocab.strings
        self.orths: list[int] = doc.to_array(ORTH).tolist()
        self.lemmas: list[int] = doc.to_array(LEMMA).tolist()
        self.size = len(doc)
        # Lower-cased texts by ORTH id and lemmas by LEMMA id (filled by PriorityRecognizer).
        self.lower_of = lowers
        self.lemma_of = lemmas
        self.coded: list[int] = []
        self.instruments: list[int] = []
        self.phrases: list[int] = []
        self.themes: list[int] = []

    def text(self, index: int) -> str:
        return self.strings[self.orths[index]]

    def lower(self, index: int) -> str:
        """The token's LOWER attribute, as `token.lower_`."""
        return self.lower_of[self.orths[index]]

    def lemma(self, index: int) -> str:
        """The lower-cased lookup lemma, as `token.lemma_.lower()`."""
        return self.lemma_of[self.lemmas[index]]


NO_THEME_STARTS: tuple[list[Phrase], list[Phrase]] = ([], [])


def _phrase(code: str, text: str) -> Phrase:
    words = tuple((w[:-1], True) if w.endswith("*") else (w, False) for w in text.split())
    return Phrase(code, words)


class PriorityRecognizer:
    def __init__(self, nlp: Language, data_dir: Path) -> None:
        self.codes: dict[tuple[str, str], str] = {
            (row["scheme"], row["code"].lower()): row["name"]
            for row in load_tsv(data_dir / "codes.tsv", ("scheme", "code", "name"))
        }
        self.cues = [
            (tuple(re.compile(f"^(?:{part})$") for part in parts), kind) for parts, kind in CUES
        ]
        self.first_cue = re.compile("^(?:" + "|".join(parts[0] for parts, _ in CUES) + ")$")
        self.cues_from: dict[str, list[tuple[tuple[re.Pattern[str], ...], str]]] = {}
        self.themes: dict[str, str] = {}
        self.phrases: list[Phrase] = []
        for row in load_tsv(data_dir / "themes.tsv", ("code", "name", "phrases")):
            self.themes[row["code"]] = row["name"]
            self.phrases += [
                _phrase(row["code"], p) for p in row["phrases"].split("|") if p.strip()
            ]
        # Phrases indexed by their first word (exact) or its first two letters (prefix), so
        # each token is compared with a handful of phrases only.
        self.by_word: dict[str, list[Phrase]] = {}
        prefixes: dict[str, list[Phrase]] = {}
        for phrase in self.phrases:
            word, prefix = phrase.words[0]
            (prefixes if prefix else self.by_word).setdefault(word, []).append(phrase)
        self.by_prefix: dict[str, list[tuple[str, list[Phrase]]]] = {}
        for word, phrases in prefixes.items():
            self.by_prefix.setdefault(word[:2], []).append((word, phrases))
        # Bits of each distinct token text (ORTH id) and lemma id seen so far, and the ids with
        # any bit set (see _view).
        self.kinds: dict[int, int] = {}
        self.lowers: dict[int, str] = {}
        # The phrases a token's lower-case text starts (by_word, by_prefix), by ORTH id.
        self.theme_starts: dict[int, tuple[list[Phrase], list[Phrase]]] = {}
        self.lemmas: dict[int, str] = {}
        self.themed_lemmas: dict[int, bool] = {}
        self.candidate_orths: set[int] = set()
        self.candidate_lemmas: set[int] = set()

    # -- codes -------------------------------------------------------------------------------

    def _goal_scheme(self, doc: Doc) -> str:
        """ "mål 2.3": the ESF programme's goal when only the Social Fund is named."""
        funds = {span.kb_id_ for span in spans_of(doc, "funds")}
        if funds & {"ESF", "ESF+"} and not funds & {"ERDF", "CF", "JTF"}:
            return "esf_goal"
        return "so_2021_2027"

    def _scheme(
        self, kind: str, code: str, goal_scheme: Callable[[], str]
    ) -> tuple[str, str] | None:
        """(scheme, code) for a code read after a cue of this kind, or None if unknown."""
        code = code.lower().replace(" ", "")
        if kind == "po":
            scheme, code = "po_2021_2027", "po" + code.removeprefix("po")
        elif kind in {"ip", "to"}:
            # "tematiskt mål 4b" names the investment priority 4b of thematic objective 4.
            scheme = (
                "erdf_2014_2020_ip" if kind == "ip" or code[-1].isalpha() else "erdf_2014_2020_to"
            )
        elif kind == "goal":
            if "." not in code:
                return None
            scheme = goal_scheme()
            if (scheme, code) not in self.codes:
                scheme = "so_2021_2027" if scheme == "esf_goal" else "esf_goal"
        else:
            scheme = kind
        if (scheme, code) not in self.codes:
            return None
        return scheme, code.upper() if scheme == "po_2021_2027" else code

    def _coded(self, doc: Doc, view: _View) -> list[tuple[Span, str, str]]:
        found: list[tuple[Span, str, str]] = []
        if not view.coded:
            return found
        known: list[str] = []

        def goal_scheme() -> str:
            # Looked up once, and only for a goal code: it reads the doc's fund spans.
            if not known:
                known.append(self._goal_scheme(doc))
            return known[0]

        size = view.size
        # Only candidate tokens can start a cue or be a code of their own; every other token
        # just moves the scan on by one, so the scan jumps from candidate to candidate.
        next_free = 0
        for index in view.coded:
            if index < next_free:
                continue
            hit = self._cue_at(view, index)
            if hit is None:
                own = OWN_CODE.match(view.text(index))
                if own:
                    code = own.group(2) if own.group(1) else own.group(4)
                    kind = "po" if own.group(1) else "goal"
                    if own.group(3) == "JSO" or own.group(3) == "RSO":
                        resolved = (
                            ("so_2021_2027", code) if ("so_2021_2027", code) in self.codes else None
                        )
                    else:
                        resolved = self._scheme(kind, code, goal_scheme)
                    if resolved:
                        found.append((doc[index : index + 1], *resolved))
                next_free = index + 1
                continue
            kind, end = hit
            first = True
            cue_start = index
            count = 0
            while end < size and count < MAX_CODES:
                match = CODE.match(view.text(end))
                if not match:
                    break
                resolved = self._scheme(kind, match.group(1), goal_scheme)
                if resolved:
                    span = doc[cue_start if first else end : end + 1]
                    found.append((span, *resolved))
                first = False
                count += 1
                end += 1
                # "1, 3 och 4": continue over list joiners.
                if (
                    end + 1 < size
                    and view.lower(end) in LIST_JOINERS
                    and CODE.match(view.text(end + 1))
                ):
                    end += 1
                    continue
                break
            next_free = max(end, index + 1)
        return found

    def _cue_at(self, view: _View, index: int) -> tuple[str, int] | None:
        """The cue kind starting at token `index` and the index of the first code after it."""
        first = view.lower(index)
        cues = self.cues_from.get(first)
        if cues is None:
            # The cues whose first word this is, in order (kept per word).
            matching = self.first_cue.match(first)
            cues = [(p, kind) for p, kind in self.cues if matching and p[0].match(first)]
            if len(self.cues_from) >= MAX_CACHED_TOKENS:
                self.cues_from.clear()
            self.cues_from[first] = cues
        for parts, kind in cues:
            if index + len(parts) > view.size:
                continue
            if all(p.match(view.lower(index + i)) for i, p in enumerate(parts[1:], start=1)):
                return kind, index + len(parts)
        return None

    def _instruments(self, doc: Doc, view: _View) -> list[tuple[Span, str]]:
        found: list[tuple[Span, str]] = []
        for index in view.instruments:
            text = view.text(index)
            if ITI.match(text):
                found.append((doc[index : index + 1], "ITI"))
            elif CLLD.match(text):
                found.append((doc[index : index + 1], "CLLD"))
            elif INTERREG.match(text):
                found.append((doc[index : index + 1], "INTERREG"))
        size = view.size
        for code, words in INSTRUMENT_PHRASES:
            first = words[0][0]
            for start in view.phrases:
                if start > size - len(words):
                    break
                if view.lower(start).startswith(first) and all(
                    view.lower(start + i).startswith(w) if prefix else view.lower(start + i) == w
                    for i, (w, prefix) in enumerate(words)
                ):
                    found.append((doc[start : start + len(words)], code))
        return found

    # -- themes --------------------------------------------------------------------------------

    def _themes(self, doc: Doc, view: _View) -> list[tuple[Span, str]]:
        size = view.size

        def matches(index: int, word: str, prefix: bool) -> bool:
            if prefix:
                return view.lower(index).startswith(word)
            return view.lower(index) == word or view.lemma(index) == word

        found = []
        for start in view.themes:
            lower, lemma = view.lower(start), view.lemma(start)
            exact, prefixed = self.theme_starts.get(view.orths[start], NO_THEME_STARTS)
            # The lower-case word's phrases, its lemma's, then those of prefixes it starts with.
            candidates = exact + (self.by_word.get(lemma, []) if lemma != lower else []) + prefixed
            for phrase in candidates:
                end = start + len(phrase.words)
                if end <= size and all(
                    matches(start + i, word, prefix)
                    for i, (word, prefix) in enumerate(phrase.words[1:], start=1)
                ):
                    found.append((doc[start:end], phrase.code))
        return found

    # -- candidate tokens ----------------------------------------------------------------------

    def _learn(self, orth: int, lexeme: Lexeme) -> int:
        """What a token with this text can be: the tests each part applies to a token first."""
        text, lower = lexeme.orth_, lexeme.lower_
        self.lowers[orth] = lower
        kinds = 0
        if self.first_cue.match(lower) or OWN_CODE.match(text):
            kinds |= CODED
        if ITI.match(text) or CLLD.match(text) or INTERREG.match(text):
            kinds |= INSTRUMENT
        if any(lower.startswith(words[0][0]) for _, words in INSTRUMENT_PHRASES):
            kinds |= INSTRUMENT_PHRASE
        exact = self.by_word.get(lower, [])
        prefixed = [
            phrase
            for prefix, phrases in self.by_prefix.get(lower[:2], ())
            if lower.startswith(prefix)
            for phrase in phrases
        ]
        if exact or prefixed:
            kinds |= THEME
            self.theme_starts[orth] = (exact, prefixed)
        self.kinds[orth] = kinds
        return kinds

    def _view(self, doc: Doc) -> _View:
        """The doc's token ids and its candidate tokens per part, in token order.

        Whether a token can start a cue, instrument or theme depends only on its text and its
        lemma: that is decided once per distinct ORTH and LEMMA id and kept, and set
        operations (C speed) tell whether the doc has any candidate token at all.
        """
        if len(self.kinds) + len(self.themed_lemmas) > MAX_CACHED_TOKENS:
            for cache in (self.kinds, self.lowers, self.theme_starts, self.lemmas):
                cache.clear()
            self.themed_lemmas.clear()
            self.candidate_orths.clear()
            self.candidate_lemmas.clear()
        view = _View(doc, self.lowers, self.lemmas)
        orths, lemmas = view.orths, view.lemmas
        vocab = doc.vocab
        distinct = set(orths)
        for orth in distinct.difference(self.kinds):
            if self._learn(orth, vocab[orth]):
                self.candidate_orths.add(orth)
        found_orths = distinct.intersection(self.candidate_orths)
        distinct = set(lemmas)
        for lemma in distinct.difference(self.themed_lemmas):
            lowered = self.lemmas[lemma] = vocab.strings[lemma].lower()
            themed = self.themed_lemmas[lemma] = lowered in self.by_word
            if themed:
                self.candidate_lemmas.add(lemma)
        found_lemmas = distinct.intersection(self.candidate_lemmas)
        if not found_orths and not found_lemmas:
            return view
        indices = [i for i, orth in enumerate(orths) if orth in found_orths]
        if found_lemmas:
            by_lemma = [i for i, lemma in enumerate(lemmas) if lemma in found_lemmas]
            indices = sorted(set(indices).union(by_lemma))
        for index in indices:
            bits = self.kinds[orths[index]] | (THEME if self.themed_lemmas[lemmas[index]] else 0)
            if bits & CODED:
                view.coded.append(index)
            if bits & INSTRUMENT:
                view.instruments.append(index)
            if bits & INSTRUMENT_PHRASE:
                view.phrases.append(index)
            if bits & THEME:
                view.themes.append(index)
        return view

    def __call__(self, doc: Doc) -> Doc:
        view = self._view(doc)
        seen: set[tuple[int, int, str]] = set()
        for span, scheme, code in self._coded(doc, view):
            self._emit(doc, span, scheme, code, self.codes[(scheme, code.lower())], seen)
        for span, code in self._instruments(doc, view):
            self._emit(
                doc, span, "instrument", code, self.codes[("instrument", code.lower())], seen
            )
        # Themes may overlap codes and each other: each theme keeps its own evidence.
        for span, code in self._themes(doc, view):
            key = (span.start_char, span.end_char, code)
            if key not in seen:
                seen.add(key)
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

    def _emit(self, doc: Doc, span: Span, scheme: str, code: str, name: str, seen: set) -> None:
        key = (span.start_char, span.end_char, scheme)
        if key in seen:
            return
        seen.add(key)
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


@Language.factory("casebook_priorities_v2", default_config={"data_dir": None})
def make_priority_recognizer(nlp: Language, name: str, data_dir: str | None) -> PriorityRecognizer:
    return PriorityRecognizer(nlp, Path(data_dir) if data_dir else MODELS_DIR / "priorities")
