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
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
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


@dataclass(frozen=True)
class Phrase:
    code: str
    words: tuple[tuple[str, bool], ...]  # (word, is_prefix)


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

    # -- codes -------------------------------------------------------------------------------

    def _goal_scheme(self, doc: Doc) -> str:
        """ "mål 2.3": the ESF programme's goal when only the Social Fund is named."""
        funds = {span.kb_id_ for span in spans_of(doc, "funds")}
        if funds & {"ESF", "ESF+"} and not funds & {"ERDF", "CF", "JTF"}:
            return "esf_goal"
        return "so_2021_2027"

    def _scheme(self, kind: str, code: str, goal_scheme: str) -> tuple[str, str] | None:
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
            scheme = goal_scheme
            if (scheme, code) not in self.codes:
                scheme = "so_2021_2027" if scheme == "esf_goal" else "esf_goal"
        else:
            scheme = kind
        if (scheme, code) not in self.codes:
            return None
        return scheme, code.upper() if scheme == "po_2021_2027" else code

    def _coded(self, doc: Doc) -> list[tuple[Span, str, str]]:
        found: list[tuple[Span, str, str]] = []
        goal_scheme = self._goal_scheme(doc)
        index = 0
        while index < len(doc):
            hit = self._cue_at(doc, index)
            if hit is None:
                own = OWN_CODE.match(doc[index].text)
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
                index += 1
                continue
            kind, end = hit
            first = True
            cue_start = index
            count = 0
            while end < len(doc) and count < MAX_CODES:
                match = CODE.match(doc[end].text)
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
                    end + 1 < len(doc)
                    and doc[end].lower_ in LIST_JOINERS
                    and CODE.match(doc[end + 1].text)
                ):
                    end += 1
                    continue
                break
            index = max(end, index + 1)
        return found

    def _cue_at(self, doc: Doc, index: int) -> tuple[str, int] | None:
        """The cue kind starting at token `index` and the index of the first code after it."""
        if not self.first_cue.match(doc[index].lower_):
            return None
        for parts, kind in self.cues:
            if index + len(parts) > len(doc):
                continue
            tokens = doc[index : index + len(parts)]
            if all(p.match(t.lower_) for p, t in zip(parts, tokens, strict=True)):
                return kind, index + len(parts)
        return None

    def _instruments(self, doc: Doc) -> list[tuple[Span, str]]:
        found: list[tuple[Span, str]] = []
        for token in doc:
            text = token.text
            if ITI.match(text):
                found.append((doc[token.i : token.i + 1], "ITI"))
            elif CLLD.match(text):
                found.append((doc[token.i : token.i + 1], "CLLD"))
            elif INTERREG.match(text):
                found.append((doc[token.i : token.i + 1], "INTERREG"))
        phrases = (
            ("ITI", (("integrerad", True), ("territoriell", True), ("investering", True))),
            ("CLLD", (("lokalt", False), ("ledd", True), ("utveckling", True))),
            ("INTERREG", (("europeiskt", False), ("territoriellt", False), ("samarbete", True))),
        )
        lowers = [t.lower_ for t in doc]
        for code, words in phrases:
            first = words[0][0]
            for start in range(len(doc) - len(words) + 1):
                if lowers[start].startswith(first) and all(
                    lowers[start + i].startswith(w) if prefix else lowers[start + i] == w
                    for i, (w, prefix) in enumerate(words)
                ):
                    found.append((doc[start : start + len(words)], code))
        return found

    # -- themes --------------------------------------------------------------------------------

    def _themes(self, doc: Doc) -> list[tuple[Span, str]]:
        lowers = [t.lower_ for t in doc]
        lemmas = [t.lemma_.lower() for t in doc]

        def matches(index: int, word: str, prefix: bool) -> bool:
            if prefix:
                return lowers[index].startswith(word)
            return lowers[index] == word or lemmas[index] == word

        found = []
        for start, (lower, lemma) in enumerate(zip(lowers, lemmas, strict=True)):
            candidates = self.by_word.get(lower, []) + (
                self.by_word.get(lemma, []) if lemma != lower else []
            )
            candidates += [
                phrase
                for prefix, phrases in self.by_prefix.get(lower[:2], ())
                if lower.startswith(prefix)
                for phrase in phrases
            ]
            for phrase in candidates:
                end = start + len(phrase.words)
                if end <= len(doc) and all(
                    matches(start + i, word, prefix)
                    for i, (word, prefix) in enumerate(phrase.words[1:], start=1)
                ):
                    found.append((doc[start:end], phrase.code))
        return found

    def __call__(self, doc: Doc) -> Doc:
        seen: set[tuple[int, int, str]] = set()
        for span, scheme, code in self._coded(doc):
            self._emit(doc, span, scheme, code, self.codes[(scheme, code.lower())], seen)
        for span, code in self._instruments(doc):
            self._emit(
                doc, span, "instrument", code, self.codes[("instrument", code.lower())], seen
            )
        # Themes may overlap codes and each other: each theme keeps its own evidence.
        for span, code in self._themes(doc):
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
