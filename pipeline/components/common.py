"""What every casebook spaCy component shares: span groups, payloads, sentence cues."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy
from spacy.attrs import FLAG19, IDX, ORTH
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

# One span group per record field; assemble reads these and nothing else from the Doc.
SPAN_KEYS = {
    "cities": "cb_cities",
    "regions": "cb_regions",
    "funds": "cb_funds",
    "priorities": "cb_priorities",
    "figures": "cb_figures",
    "dates": "cb_dates",
    "organisations": "cb_organisations",
    "projects": "cb_projects",
    "negated": "cb_negated",
}


def _payload_key(span: Span) -> tuple[str, int, int, str, str]:
    return ("casebook", span.start_char, span.end_char, span.label_, span.kb_id_)


def payload_of(span: Span) -> dict[str, Any] | None:
    """The payload of a casebook span (`span._.cb`, read without an Underscore object)."""
    return span.doc.user_data.get(_payload_key(span))


def _set_payload(span: Span, value: dict[str, Any] | None) -> None:
    span.doc.user_data[_payload_key(span)] = value


if not Span.has_extension("cb"):
    # Payload of a casebook span: canonical value, code, exact char offsets, extra fields.
    # Keyed by offsets, label and kb_id: spaCy's own span extension storage is keyed by the
    # offsets only, so a fund and a theme over the same word would share one payload.
    Span.set_extension("cb", getter=payload_of, setter=_set_payload)

# -- per-Doc views shared by the components ---------------------------------------------------
# Computed once per Doc and kept in doc.user_data: `doc.text` rebuilds the whole string on
# every access, and a Token object is created on every `doc[i]` or iteration step, which is
# what made per-token Python loops cost more than the tokenizer itself.


def _cached(doc: Doc, name: str, compute: Any) -> Any:
    key = ("casebook-view", name)
    value = doc.user_data.get(key)
    if value is None:
        value = doc.user_data[key] = compute()
    return value


def doc_text(doc: Doc) -> str:
    """The Doc's text (built once, or given by `make_doc`)."""
    return _cached(doc, "text", lambda: doc.text)


def make_doc(nlp: Any, text: str) -> Doc:
    """nlp.make_doc, remembering the text: spaCy rebuilds `doc.text` token by token."""
    doc = nlp.make_doc(text)
    doc.user_data[("casebook-view", "text")] = text
    return doc


def token_texts(doc: Doc) -> list[str]:
    strings = doc.vocab.strings
    return _cached(doc, "texts", lambda: [strings[orth] for orth in doc.to_array(ORTH).tolist()])


def token_lowers(doc: Doc) -> list[str]:
    return _cached(doc, "lowers", lambda: [text.lower() for text in token_texts(doc)])


def token_starts(doc: Doc) -> list[int]:
    """Character offset of each token (token.idx)."""
    return _cached(doc, "starts", lambda: doc.to_array(IDX).tolist())


def token_lemmas(doc: Doc) -> list[str]:
    """Lower-cased lookup lemmas; valid once the lemmatizer has run (it runs first)."""
    return _cached(doc, "lemmas", lambda: [token.lemma_.lower() for token in doc])


def token_index_at(doc: Doc, char: int) -> int:
    """Index of the token containing (or, in whitespace, following) character `char`."""
    return max(bisect_right(token_starts(doc), char) - 1, 0)


_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")
SENTENCE_END = frozenset({".", "!", "?", ";"})
NEGATIONS = frozenset({"inte", "ej", "icke", "aldrig", "ingen", "inget", "inga"})
# "inte bara", "inte minst": no negation of what follows.
NOT_NEGATING_NEXT = frozenset({"bara", "enbart", "endast", "minst", "blott"})
# A negation does not reach past a contrast: "inget stöd från X, men från Landsbygdsfonden".
CLAUSE_BREAKS = frozenset({"men", "utan", "däremot", "dock", "medan", ";", ":"})


def add_span(
    doc: Doc,
    field: str,
    start_char: int,
    end_char: int,
    label: str,
    kb_id: str = "",
    **payload: Any,
) -> Span | None:
    """Add a span to the field's group; keep the exact character offsets in the payload.

    Spans must align to tokens; figures found by the number grammar may start inside a
    token, so the span expands to whole tokens while the payload keeps the exact offsets.
    """
    span = doc.char_span(start_char, end_char, label=label, kb_id=kb_id, alignment_mode="expand")
    if span is None:
        return None
    # What `span._.cb = …` stores, without building an Underscore object per span.
    key = ("casebook", span.start_char, span.end_char, label, kb_id)
    doc.user_data[key] = {"start": start_char, "end": end_char, **payload}
    group = doc.spans.get(SPAN_KEYS[field])
    if group is None:
        group = doc.spans.setdefault(SPAN_KEYS[field], [])
    group.append(span)
    _cached(doc, f"payload-keys:{field}", list).append(key)
    return span


def payloads_in_order(doc: Doc, field: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(label, kb_id, payload) of the field's spans in group order, as `span._.cb` reads them
    (a later span with the same offsets, label and kb_id shares the latest payload)."""
    user_data = doc.user_data
    return [
        (key[3], key[4], user_data[key])
        for key in user_data.get(("casebook-view", f"payload-keys:{field}"), ())
    ]


def spans_of(doc: Doc, field: str) -> list[Span]:
    key = SPAN_KEYS[field]
    return list(doc.spans[key]) if key in doc.spans else []


def is_sentence_start(token: Token) -> bool:
    """True at the start of the doc, of a paragraph, or after sentence punctuation.

    The blank pipeline has no parser, so sentence starts come from punctuation and layout.
    """
    if token.i == 0:
        return True
    previous = token.doc[token.i - 1]
    if previous.text in SENTENCE_END or previous.text in {":", "•", "-", "–", "—", "(", '"', "”"}:
        return True
    # The text between the two tokens is the previous token's trailing whitespace (O(1);
    # doc.text would rebuild the whole text on every call).
    between = previous.whitespace_
    if previous.is_space:
        between = previous.text + between
    return bool(_PARAGRAPH_BREAK.search(between))


def sentence_bounds(token: Token) -> tuple[int, int]:
    """Token index range of the sentence around a token (punctuation-delimited)."""
    texts = token_texts(token.doc)
    start = token.i
    while start > 0 and texts[start - 1] not in SENTENCE_END:
        start -= 1
    end = token.i
    while end < len(texts) and texts[end] not in SENTENCE_END:
        end += 1
    return start, end


def is_negated(span: Span, window: int = 8) -> bool:
    """A negation cue shortly before the span in its clause ("får inte stöd från X")."""
    texts, lowers = token_texts(span.doc), token_lowers(span.doc)
    # Only the window matters: the sentence start is searched no farther back than it.
    first = span.start
    while first > max(span.start - window, 0) and texts[first - 1] not in SENTENCE_END:
        first -= 1
    for index in range(span.start - 1, first - 1, -1):
        lower = lowers[index]
        if lower in CLAUSE_BREAKS:
            return False
        if lower in NEGATIONS:
            following = lowers[index + 1] if index + 1 < len(lowers) else None
            return following is None or following not in NOT_NEGATING_NEXT
    return False


def overlaps(span: Span, others: list[Span]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in others)


class Lexicon:
    """Swedish words known to the lookup lemmatizer's table (inflected forms and lemmas).

    Used as evidence that a word is an ordinary word ("Nätverket") rather than a name, and to
    tell a misspelt word from a well-formed compound ("testarrena" vs "testarena").
    """

    def __init__(self, table: Any = None) -> None:
        self.table = table
        self.lemmas: frozenset[str] = (
            frozenset(table.values()) if table is not None else frozenset()
        )

    def known(self, word: str) -> bool:
        word = word.lower()
        return word in self.lemmas or (self.table is not None and word in self.table)

    def compound(self, word: str) -> bool:
        """A known word, or a stem (lemma, optionally with a linking -s) + a known word."""
        word = word.lower()
        if self.known(word):
            return True
        for cut in range(3, len(word) - 2):
            head, tail = word[:cut], word[cut:]
            stem_ok = head in self.lemmas or (head.endswith("s") and head[:-1] in self.lemmas)
            if stem_ok and self.known(tail):
                return True
        return False


_LEXICONS: dict[int, Lexicon] = {}


def lexicon(nlp: Any) -> Lexicon:
    """The lexicon of the pipeline's lookup lemmatizer (empty if there is none yet)."""
    try:
        table = nlp.get_pipe("lemmatizer").table
    except (KeyError, AttributeError):
        return Lexicon()
    key = id(table)
    if key not in _LEXICONS:
        _LEXICONS[key] = Lexicon(table)
    return _LEXICONS[key]


# -- lexeme flags: a word test computed once per distinct word ----------------------------


@dataclass(frozen=True)
class WordTest:
    """A test of a word's lower-case form: one of `words`, or ending in one of `suffixes`,
    or starting with one of `prefixes`.

    Registered as a lexeme flag (word_flag), it runs once per distinct word in the vocab,
    not once per token; a frozen dataclass, so it pickles with the vocab and equal tests
    share one flag.
    """

    words: frozenset[str] = frozenset()
    suffixes: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()

    def __call__(self, text: str) -> bool:
        lower = text.lower()  # as spaCy's LOWER attribute
        return (
            lower in self.words or lower.endswith(self.suffixes) or lower.startswith(self.prefixes)
        )


def word_flag(vocab: Vocab, test: Callable[[str], bool]) -> int:
    """The lexeme flag bit holding `test` (an equal test already registered is reused)."""
    for bit, getter in vocab.lex_attr_getters.items():
        if bit < 64 and getter == test:
            return bit
    # FLAG19 … FLAG63 are spaCy's free bits; lower ones belong to (deprecated) built-ins.
    free = [bit for bit in range(FLAG19, 64) if bit not in vocab.lex_attr_getters]
    return vocab.add_flag(test, free[0] if free else -1)


def flagged(doc: Doc, flag: int) -> list[int]:
    """Indices of the tokens whose word has the flag (a C loop over the Doc)."""
    if len(doc) == 0:
        return []
    return numpy.flatnonzero(doc.to_array(flag)).tolist()
