"""Projects, initiatives and named models, found from the cues in models/projects/cues.tsv.

Where names come from:
- a cue word before the name ("projektet Kompetenslyftet Norr", "ESF-projektet Växtkraft
  Nordost", "har fått namnet Hav och land"), the name in quotes or in sentence case;
- a cue word in a fronted adverbial ("I projektet Året runt i skärgården har …"): Swedish
  puts the finite verb second, so the name runs up to that verb, function words included;
- a copula after the name at a sentence start, with a project noun as its complement ("One
  Stop Future Shop är ett annat ITI-projekt", "Lärande småföretag var ett
  socialfondsprojekt", "Etablera fler snabbare är namn …"); "Målet är att …" has none, and
  a single ordinary word ("Resultatet är ett projekt …") is no name;
- quoted title-case names, "<Place>modellen" compounds, and local strategy documents listed
  after "styrdokument såsom".

A sentence-case name ("Nästa steg", "Unga i rörelse") ends before the first word that cannot
continue a name: punctuation, a function word (models/projects/boundaries.tsv) or a verb form
(recognised from the lookup lemmatizer's lemma: "samlar" ← "samla", "drivs" ← "driva").

Mentions of one project are linked: a shorter or longer variant in a capitalised run ("One
Stop", "One Stop Shop Future Shop") gets the first name found ("One Stop Future Shop"), and a
lower-case word of a name that is no known word is reconciled with a spelling attested
elsewhere in the same text within one edit ("testarrena" → "testarena", attested in
"testarena-projektet"); the mention text stays as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from ..data import MODELS_DIR, load_tsv
from ..gazetteer import GAZETTEER_DIR, load_gazetteer
from .common import Lexicon, WordTest, add_span, is_sentence_start, lexicon, spans_of, word_flag

OPENING_QUOTES = {'"': '"', "”": "”", "“": "”", "«": "»", "„": "”"}
MAX_NAME_TOKENS = 10
MAX_LOWER_WORDS = 3
# Words that may sit inside a sentence-case name ("Unga i rörelse", "Hav och land") when a
# content word follows them and one word precedes them.
INNER_WORDS = frozenset({"i", "för", "och", "på", "till", "av", "som", "utan"})


# What follows the stem of an -a lemma in a verb form ("samla": "samlar", "samlas", "samlade").
VERB_ENDINGS = frozenset(
    {"ar", "as", "ade", "ades", "at", "er", "s", "es", "de", "te", "t", "it", "ts"}
)


def _capitalised(token: Token) -> bool:
    return token.text[:1].isupper()


@dataclass(frozen=True)
class CapitalisedWord:
    """Lexeme flag test: a capitalised alphabetic word (_capitalised and is_alpha)."""

    def __call__(self, text: str) -> bool:
        return text[:1].isupper() and text.isalpha()


def is_verb_form(token: Token) -> bool:
    """A finite, passive or participle verb form, judged from the word and its lookup lemma.

    The lookup lemmatizer is noisy ("samlar" → "samlare"), so the test is on the shape of the
    relation between form and lemma, not on the lemma alone.
    """
    text, lemma = token.lower_, token.lemma_.lower()
    if lemma == text:
        return text.endswith(("ade", "ades", "erade"))
    if lemma.endswith("a"):
        # The forms of the lemma: stem + "ar", "as", "ade", "ades", "at", "er", "s" …
        stem = lemma[:-1]
        return text.startswith(stem) and text[len(stem) :] in VERB_ENDINGS
    if lemma == text + "e" and text.endswith("ar"):
        return True  # "samlar", "arbetar": the table gives the agent noun
    return lemma.endswith("d") and text == lemma[:-1] + "t"  # "utvecklat" ← "utvecklad"


def edit_distance_one(a: str, b: str) -> bool:
    """True when a and b differ by exactly one insertion, deletion or substitution."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


class ProjectRecognizer:
    def __init__(self, nlp: Language, data_dir: Path, places_dir: Path) -> None:
        self.nlp = nlp
        cues = load_tsv(data_dir / "cues.tsv", ("word", "cue"))
        by_cue: dict[str, set[str]] = {}
        for row in cues:
            by_cue.setdefault(row["cue"], set()).add(row["word"].lower())
        self.before = by_cue.get("before", set())
        self.before_suffixes = tuple(sorted(by_cue.get("before_suffix", set())))
        self.copula = by_cue.get("copula", set())
        self.copula_nouns = tuple(sorted(self.copula))
        self.copula_verbs = by_cue.get("copula_verb", set())
        self.fronting = by_cue.get("fronting", set())
        self.finite = by_cue.get("finite", set())
        self.not_subject = by_cue.get("not_subject", set())
        self.list_intro = by_cue.get("list_intro", set())
        self.list_intro_words = by_cue.get("list_intro_word", set())
        model_suffixes = by_cue.get("suffix", set())
        suffixes = "|".join(sorted(model_suffixes, key=len, reverse=True))
        self.model_word = re.compile(rf"^[A-ZÅÄÖ][a-zåäöé]+(?:{suffixes})$")
        self.boundaries = {
            row["word"].lower() for row in load_tsv(data_dir / "boundaries.tsv", ("word",))
        }
        # Words of place names: "Norra Mellansverige", "Östra Göinge" are no project names.
        gazetteer = load_gazetteer(GAZETTEER_DIR)
        names = [m.name for m in gazetteer.municipalities.values()]
        names += [c.name for c in gazetteer.counties.values()]
        names += [a.name for a in gazetteer.programme_areas.values()]
        names += [alias for a in gazetteer.programme_areas.values() for alias in a.aliases]
        names += list(gazetteer.informal_areas) + list(gazetteer.metro_areas)
        self.place_words = {
            word for name in names for word in re.split(r"[\s\-–]+", name.lower()) if word
        }
        self.place_words |= {gazetteer.genitive(word) for word in self.place_words}
        # People are no projects: "Karin Lund" (the places component's list of given names).
        self.given_names = {
            row["name"].lower() for row in load_tsv(places_dir / "given_names.tsv", ("name",))
        }
        # Lexeme flags, computed once per distinct word rather than tested on every token:
        # the words a finder starts from (cues, copula verbs, list intros, model words,
        # quotes), the words a copula's project noun can be, and capitalised words (the runs
        # of _title_case and _variants). Each finder re-tests its candidates exactly.
        self.start_flag = word_flag(
            nlp.vocab,
            WordTest(
                frozenset({*self.before, *self.copula_verbs, *self.list_intro, *OPENING_QUOTES}),
                tuple(sorted({*self.before_suffixes, *model_suffixes})),
                tuple(sorted(self.list_intro)),
            ),
        )
        self.noun_flag = word_flag(nlp.vocab, WordTest(suffixes=self.copula_nouns))
        self.capitalised_flag = word_flag(nlp.vocab, CapitalisedWord())

    # -- name extent --------------------------------------------------------------------------

    def _ends_name(self, token: Token) -> bool:
        return (
            token.is_punct
            or token.is_space
            or token.like_num
            or token.lower_ in self.boundaries
            or is_verb_form(token)
        )

    def _name_from(self, doc: Doc, start: int) -> Span | None:
        """A name starting at `start`: quoted, or capitalised and continued in sentence case."""
        if start >= len(doc):
            return None
        first = doc[start]
        if first.text in OPENING_QUOTES:
            return self._quoted_at(doc, start)
        if not _capitalised(first) or not first.is_alpha or first.lower_ in self.not_subject:
            return None
        end = start + 1
        lower_words = 0
        while end < len(doc) and end - start < MAX_NAME_TOKENS:
            token = doc[end]
            if _capitalised(token) and token.is_alpha and not is_sentence_start(token):
                end += 1
                continue
            if self._ends_name(token) or not token.is_alpha:
                break
            if token.lower_ in INNER_WORDS:
                # Only right after a one-word head ("Unga i rörelse", "Hav och land"); later
                # a preposition starts a phrase about the project ("Vägen in för nyanlända").
                following = doc[end + 1] if end + 1 < len(doc) else None
                if (
                    end - start > 1
                    or following is None
                    or _capitalised(following)
                    or self._ends_name(following)
                    or following.lower_ in INNER_WORDS
                ):
                    break
                end += 2
                lower_words += 1
            else:
                end += 1
                lower_words += 1
            if lower_words >= MAX_LOWER_WORDS:
                break
        return doc[start:end]

    def _is_finite(self, token: Token) -> bool:
        """A finite verb: listed (har, är, kan …) or a verb form ending like a present, past or
        passive ("samlar", "startade", "drivs"), not a participle or supine ("runt", "drivit")."""
        lower = token.lower_
        if lower in self.finite:
            return True
        return lower.endswith(("r", "s", "de", "te")) and is_verb_form(token)

    def _fronted(self, doc: Doc, cue: Token) -> bool:
        """The cue sits in a fronted adverbial: "I projektet …", "Inom det nya projektet …"."""
        index = cue.i - 1
        while index >= 0 and cue.i - index <= 4:
            token = doc[index]
            if token.is_punct or token.is_space or self._is_finite(token):
                return False
            if is_sentence_start(token):
                return token.lower_ in self.fronting
            index -= 1
        return False

    def _v2_name(self, doc: Doc, start: int) -> Span | None:
        """The name between a fronted cue and the clause's finite verb ("I projektet Fjäll
        året om har …" -> "Fjäll året om"), or None when no verb closes it in reach."""
        if start >= len(doc) or not _capitalised(doc[start]) or not doc[start].is_alpha:
            return None
        if doc[start].lower_ in self.not_subject:
            return None
        end = start + 1
        while end < len(doc) and end - start <= MAX_NAME_TOKENS:
            token = doc[end]
            if self._is_finite(token):
                return doc[start:end]
            if not token.is_alpha or self._is_cue(token):
                return None
            end += 1
        return None

    def _quoted_at(self, doc: Doc, start: int) -> Span | None:
        close = OPENING_QUOTES[doc[start].text]
        end = start + 1
        while end < len(doc) and doc[end].text != close and end - start <= MAX_NAME_TOKENS:
            if doc[end].text in {".", "!", "?", ";"}:
                return None
            end += 1
        if end < len(doc) and doc[end].text == close and end > start + 1:
            name = doc[start + 1 : end]
            return name if _capitalised(name[0]) else None
        return None

    # -- candidate finders ----------------------------------------------------------------------

    def _is_cue(self, token: Token) -> bool:
        lower = token.lower_
        return lower in self.before or (
            (token.is_alpha or "-" in lower) and lower.endswith(self.before_suffixes)
        )

    def _cued_names(self, doc: Doc, starts: list[Token]) -> list[Span]:
        """ "projektet Kompetenslyftet Norr", "ESF-projektet Växtkraft Nordost", quoted names."""
        found: list[Span] = []
        for token in starts:
            if not self._is_cue(token):
                continue
            start = token.i + 1
            # "ett omställningsprojekt, ”Jobbsprånget Nord”, som …"
            if (
                start + 1 < len(doc)
                and doc[start].text == ","
                and doc[start + 1].text in OPENING_QUOTES
            ):
                start += 1
            name = self._v2_name(doc, start) if self._fronted(doc, token) else None
            if name is None:
                name = self._name_from(doc, start)
            if name is not None:
                found.append(name)
        return found

    def _project_noun(self, token: Token) -> bool:
        """ "projekt", "ITI-projekt", "socialfondsprojekt", "namn": a copula's project noun."""
        lower = token.lower_
        if lower in self.copula:
            return True
        return any(
            lower.endswith(noun) and (lower[-len(noun) - 1] == "-" or len(lower) >= len(noun) + 3)
            for noun in self.copula_nouns
            if len(lower) > len(noun)
        )

    def _copula_complement(self, doc: Doc, verb: Token) -> bool:
        """After the copula: [ett|en] [up to two adjectives] project noun ("är ett annat
        ITI-projekt", "var ett socialfondsprojekt", "är namn"); "är att …" is none."""
        index = verb.i + 1
        if index < len(doc) and doc[index].lower_ in ("ett", "en"):
            index += 1
        for _ in range(3):
            if index >= len(doc):
                return False
            token = doc[index]
            if self._project_noun(token):
                return True
            if not (token.is_alpha and token.is_lower) or token.lower_ in self.boundaries:
                return False
            index += 1
        return False

    def _copula_names(self, doc: Doc, starts: list[Token], nouns: set[int]) -> list[Span]:
        """ "X är (ett|en) [annat] [ITI-]projekt …", "X var ett socialfondsprojekt" and "X är
        namn …": X from the sentence start."""
        found: list[Span] = []
        words = lexicon(self.nlp)
        for token in starts:
            if token.lower_ not in self.copula_verbs or token.i + 1 >= len(doc):
                continue
            # The complement's project noun is one of the next four words.
            if not any(index in nouns for index in range(token.i + 1, token.i + 5)):
                continue
            if not self._copula_complement(doc, token):
                continue
            start = token.i
            while (
                start > 0
                and not is_sentence_start(doc[start])
                and token.i - start < MAX_NAME_TOKENS
            ):
                start -= 1
            if start == token.i or not is_sentence_start(doc[start]):
                continue
            name = doc[start : token.i]
            if not _capitalised(name[0]) or name[0].lower_ in self.not_subject:
                continue
            if any(t.is_punct for t in name):
                continue
            if len(name) == 1 and words.known(name[0].lower_):
                continue  # "Resultatet är ett projekt …": an ordinary noun, no name
            found.append(name)
        return found

    def _listed_documents(self, doc: Doc, starts: list[Token]) -> list[Span]:
        """ "styrdokument såsom Vision Älvstaden och Jämlikt Göteborg": capitalised runs."""
        found: list[Span] = []
        for token in starts:
            if (
                token.lower_.rstrip("n") not in self.list_intro
                and token.lower_ not in self.list_intro
            ):
                continue
            index = token.i + 1
            if index < len(doc) and doc[index].lower_ in self.list_intro_words:
                index += 1
            else:
                continue
            while index < len(doc):
                start = index
                while index < len(doc) and _capitalised(doc[index]):
                    index += 1
                if index - start >= 2:
                    found.append(doc[start:index])
                if index < len(doc) and doc[index].lower_ in {"och", ","}:
                    index += 1
                    continue
                break
        return found

    def _title_case(self, doc: Doc, words: Lexicon, runs: list[tuple[int, int]]) -> list[Span]:
        """Title-case runs mid-sentence made of words that are not Swedish ("Scale Up
        Stockholm", "One Stop Future Shop"): at least two words unknown to the lexicon, no
        person (a listed given name first), no organisation (claimed before).

        `runs` are the maximal runs of capitalised words; a run starts at its first word that
        starts no sentence.
        """
        if not words.lemmas:
            return []
        found: list[Span] = []
        for index, end in runs:
            while end - index >= 2 and is_sentence_start(doc[index]):
                index += 1
            if end - index < 2:
                continue  # a single word is no title-case name
            run = doc[index:end]
            if run[0].is_upper or run[0].lower_ in self.given_names:
                continue
            unknown = 0
            for t in run:
                if not t.is_upper and t.lower_ not in self.place_words:
                    unknown += not words.compound(t.text)
                    if unknown == 2:
                        found.append(run)
                        break
        return found

    def _models(self, doc: Doc, starts: list[Token]) -> list[Span]:
        return [doc[t.i : t.i + 1] for t in starts if self.model_word.match(t.text)]

    def _quoted(self, doc: Doc, starts: list[Token]) -> list[Span]:
        """Quoted title-case names ("Etablera fler snabbare") anywhere."""
        found = []
        for token in starts:
            if token.text in OPENING_QUOTES:
                name = self._quoted_at(doc, token.i)
                if name is not None and len(name) <= 8:
                    found.append(name)
        return found

    # -- linking mentions -----------------------------------------------------------------------

    def _variants(
        self,
        doc: Doc,
        names: dict[str, Span],
        taken: list[Span],
        runs: list[tuple[int, int]],
        lower_ids: list[int],
    ) -> list[tuple[Span, str]]:
        """Capitalised runs (`runs`: the maximal ones) that repeat a found name or its first
        two words ("One Stop"); `lower_ids` are the tokens' LOWER hashes."""
        keys: dict[tuple[str, ...], str] = {}
        for label, span in names.items():
            words = tuple(t.lower_ for t in span)
            keys.setdefault(words[:2], label)
        firsts = {key[0] for key in keys if key}
        first_ids = {get_string_id(first) for first in firsts}
        found = []
        for index, end in runs:
            if lower_ids[index] not in first_ids or doc[index].lower_ not in firsts:
                continue  # no name starts with this word
            run = doc[index:end]
            words = tuple(t.lower_ for t in run)
            label = keys.get(words[:2])
            if label is None and len(run) == 1:
                label = keys.get(words)
            if label is not None and not any(
                run.start < o.end and o.start < run.end for o in taken
            ):
                found.append((run, label))
        return found

    def _repeats(
        self, doc: Doc, names: dict[str, Span], taken: list[Span], lower_ids: numpy.ndarray
    ) -> list[tuple[Span, str]]:
        """Word-for-word repeats of a sentence-case name ("Året runt i skärgården" in a heading
        and in the text): capitalised runs miss them, as most of their words are lower case."""
        by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for label, span in names.items():
            words = tuple(t.lower_ for t in span)
            if len(words) >= 2 and any(t.is_lower for t in span[1:]):
                by_first.setdefault(words[0], []).append((words, label))
        found: list[tuple[Span, str]] = []
        if not by_first:
            return found
        first_ids = numpy.array([get_string_id(first) for first in by_first], dtype=numpy.uint64)
        for index in numpy.flatnonzero(numpy.isin(lower_ids, first_ids)).tolist():
            token = doc[index]
            candidates = by_first.get(token.lower_)
            if candidates is None or not _capitalised(token):
                continue
            for words, label in candidates:
                end = token.i + len(words)
                if end > len(doc) or tuple(t.lower_ for t in doc[token.i : end]) != words:
                    continue
                span = doc[token.i : end]
                if not any(span.start < o.end and o.start < span.end for o in taken):
                    found.append((span, label))
                    taken.append(span)
                break
        return found

    def _reconciled(self, name: Span, words: Lexicon) -> str:
        """The name with misspelt lower-case words replaced by a spelling attested in the text."""
        if not words.lemmas:
            return name.text

        def suspect(text: str) -> bool:
            return text.islower() and text.isalpha() and len(text) >= 5 and not words.compound(text)

        # Most names have no unknown word: skip the scan of the whole document for them.
        if not any(suspect(token.text) for token in name):
            return name.text
        attested = {
            part.lower()
            for token in name.doc
            if not (name.start <= token.i < name.end)
            for part in token.text.split("-")
            if part.isalpha() and len(part) >= 5
        }
        parts = []
        for token in name:
            text = token.text
            if suspect(text):
                better = sorted(
                    w for w in attested if edit_distance_one(w, text) and words.compound(w)
                )
                if better:
                    text = better[0]
            parts.append(text + token.whitespace_)
        return "".join(parts).strip()

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        words = lexicon(self.nlp)
        organisations = spans_of(doc, "organisations")
        flags = doc.to_array([self.start_flag, self.capitalised_flag, self.noun_flag, LOWER])
        starts = [doc[i] for i in numpy.flatnonzero(flags[:, 0]).tolist()]
        nouns = set(numpy.flatnonzero(flags[:, 2]).tolist())
        edges = numpy.diff(flags[:, 1].astype(numpy.int8), prepend=0, append=0)
        runs = list(
            zip(
                numpy.flatnonzero(edges == 1).tolist(),
                numpy.flatnonzero(edges == -1).tolist(),
                strict=True,
            )
        )
        candidates = (
            self._copula_names(doc, starts, nouns)
            + self._cued_names(doc, starts)
            + self._listed_documents(doc, starts)
            + self._models(doc, starts)
            + self._quoted(doc, starts)
            + self._title_case(doc, words, runs)
        )
        taken: list[Span] = []
        for span in sorted(candidates, key=lambda s: (s.start, -len(s))):
            if any(span.start < o.end and o.start < span.end for o in taken + organisations):
                continue
            taken.append(span)
        names: dict[str, Span] = {}
        labelled: list[tuple[Span, str]] = []
        for span in sorted(taken, key=lambda s: s.start):
            label = self._reconciled(span, words)
            canonical = next((k for k in names if k.casefold() == label.casefold()), label)
            names.setdefault(canonical, span)
            labelled.append((span, canonical))
        claimed = taken + organisations
        labelled += self._repeats(doc, names, claimed, flags[:, 3])
        labelled += self._variants(doc, names, claimed, runs, flags[:, 3].tolist())
        for span, label in sorted(labelled, key=lambda item: item[0].start):
            add_span(doc, "projects", span.start_char, span.end_char, label, canonical=label)
        return doc


@Language.factory("casebook_projects_v2", default_config={"data_dir": None, "places_dir": None})
def make_project_recognizer(
    nlp: Language, name: str, data_dir: str | None, places_dir: str | None
) -> ProjectRecognizer:
    return ProjectRecognizer(
        nlp,
        Path(data_dir) if data_dir else MODELS_DIR / "projects",
        Path(places_dir) if places_dir else MODELS_DIR / "places",
    )
