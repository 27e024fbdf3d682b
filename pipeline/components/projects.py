"""Projects, initiatives and named models, found from the cues in models/projects/cues.tsv."""

from __future__ import annotations

import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..data import MODELS_DIR, load_tsv
from .common import SENTENCE_END, add_span, is_sentence_start

QUOTES = {'"': '"', "”": "”", "“": "”", "«": "»", "'": "'"}
MAX_NAME_TOKENS = 10


def _capitalised(token: Token) -> bool:
    return token.text[:1].isupper()


class ProjectRecognizer:
    def __init__(self, nlp: Language, data_dir: Path) -> None:
        cues = load_tsv(data_dir / "cues.tsv", ("word", "cue"))
        by_cue: dict[str, set[str]] = {}
        for row in cues:
            by_cue.setdefault(row["cue"], set()).add(row["word"].lower())
        self.before = by_cue.get("before", set())
        self.copula = by_cue.get("copula", set())
        self.list_intro = by_cue.get("list_intro", set())
        self.list_intro_words = by_cue.get("list_intro_word", set())
        suffixes = "|".join(sorted(by_cue.get("suffix", set()), key=len, reverse=True))
        self.model_word = re.compile(rf"^[A-ZÅÄÖ][a-zåäöé]+(?:{suffixes})$")

    def _copula_names(self, doc: Doc) -> list[Span]:
        """ "X är (ett|en) [annat] [ITI-]projekt …" and "X är namn …": X from sentence start."""
        found: list[Span] = []
        for token in doc:
            if token.lower_ != "är" or token.i + 1 >= len(doc):
                continue
            window = [t.lower_ for t in doc[token.i + 1 : token.i + 4]]
            if not any(word in self.copula for word in window):
                continue
            start = token.i
            while (
                start > 0
                and not is_sentence_start(doc[start])
                and token.i - start < MAX_NAME_TOKENS
            ):
                start -= 1
            if (
                start == token.i
                or not is_sentence_start(doc[start])
                or not _capitalised(doc[start])
            ):
                continue
            name = doc[start : token.i]
            # Pronoun subjects ("Det är ett projekt") name nothing.
            if name[0].lower_ in {"det", "detta", "den", "denna", "projektet", "här", "som"}:
                continue
            found.append(name)
        return found

    def _cued_names(self, doc: Doc) -> list[Span]:
        """ "projektet Kompetenslyftet Norr" and quoted names after a cue."""
        found: list[Span] = []
        for token in doc:
            if token.lower_ not in self.before or token.i + 1 >= len(doc):
                continue
            start = token.i + 1
            if doc[start].text in QUOTES:
                close = QUOTES[doc[start].text]
                end = start + 1
                while end < len(doc) and doc[end].text != close and end - start <= MAX_NAME_TOKENS:
                    end += 1
                if end < len(doc) and doc[end].text == close and end > start + 1:
                    found.append(doc[start + 1 : end])
                continue
            end = start
            while end < len(doc) and _capitalised(doc[end]) and end - start < MAX_NAME_TOKENS:
                end += 1
            if end > start:
                found.append(doc[start:end])
        return found

    def _listed_documents(self, doc: Doc) -> list[Span]:
        """ "styrdokument såsom Vision Älvstaden och Jämlikt Göteborg": capitalised runs."""
        found: list[Span] = []
        for token in doc:
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

    def _models(self, doc: Doc) -> list[Span]:
        return [doc[t.i : t.i + 1] for t in doc if self.model_word.match(t.text)]

    def _quoted(self, doc: Doc) -> list[Span]:
        """Quoted title-case names ("Etablera fler snabbare") anywhere."""
        found: list[Span] = []
        for token in doc:
            if token.text not in {'"', "“", "«"} or token.i + 2 >= len(doc):
                continue
            close = QUOTES[token.text]
            end = token.i + 1
            while end < len(doc) and doc[end].text != close and doc[end].text not in SENTENCE_END:
                end += 1
            length = end - token.i - 1
            closed = end < len(doc) and doc[end].text == close
            if closed and 1 <= length <= 8 and _capitalised(doc[token.i + 1]):
                found.append(doc[token.i + 1 : end])
        return found

    def __call__(self, doc: Doc) -> Doc:
        candidates = (
            self._copula_names(doc)
            + self._cued_names(doc)
            + self._listed_documents(doc)
            + self._models(doc)
            + self._quoted(doc)
        )
        taken: list[Span] = []
        for span in sorted(candidates, key=lambda s: (s.start, -len(s))):
            if any(span.start < other.end and other.start < span.end for other in taken):
                continue
            taken.append(span)
            add_span(doc, "projects", span.start_char, span.end_char, span.text)
        return doc


@Language.factory("casebook_projects_v1", default_config={"data_dir": None})
def make_project_recognizer(nlp: Language, name: str, data_dir: str | None) -> ProjectRecognizer:
    return ProjectRecognizer(nlp, Path(data_dir) if data_dir else MODELS_DIR / "projects")
