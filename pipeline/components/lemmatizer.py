"""The lookup lemmatizer: spacy-lookups-data's Swedish `lemma_lookup` table, fast.

The same lemmas as spaCy's own `lemmatizer` in lookup mode (tests/test_lemmatizer.py holds
them equal), two costs removed:
- loading: spaCy copies the table's 660,000 entries into a `Table` keyed by string hashes,
  one Python call per entry (~3 s); here the table stays the plain dict read from the file
  (~0.4 s), so every batch worker starts sooner;
- lemmatizing: spaCy creates a Token object and hashes its text for every token; here the
  lemma of each word form is looked up once and all lemmas are written with
  `Doc.from_array`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy
from spacy.attrs import LEMMA, ORTH
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import load_language_data, registry
from spacy.vocab import Vocab

from ..errors import PatternError

TABLE = "lemma_lookup"


def load_lemma_table(lang: str) -> dict[str, str]:
    """spacy-lookups-data's lookup table for `lang` as a dict (form → lemma)."""
    if lang not in registry.lookups:
        raise PatternError(f"spacy-lookups-data has no tables for {lang!r} (is it installed?)")
    files = registry.lookups.get(lang)
    if TABLE not in files:
        raise PatternError(f"spacy-lookups-data has no {TABLE} table for {lang!r}")
    table = load_language_data(files[TABLE])
    if set(map(type, table.values())) == {str}:  # Swedish: every entry (a C-speed check)
        return table
    # spaCy takes the first of a list of lemmas, and so do we.
    return {form: lemma if isinstance(lemma, str) else lemma[0] for form, lemma in table.items()}


class CachedLookupLemmatizer:
    def __init__(self, vocab: Vocab, name: str, overwrite: bool) -> None:
        self.vocab = vocab
        self.name = name
        self.overwrite = overwrite
        self.table: dict[str, str] = {}
        self._lemma_ids: dict[int, int] = {}  # ORTH id -> LEMMA id

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        self.table = load_lemma_table(self.vocab.lang)
        self._lemma_ids.clear()  # a new table, new lemmas

    def _lemma_id(self, orth: int) -> int:
        form = self.vocab.strings[orth]
        lemma = self.table.get(form)
        return orth if lemma is None else self.vocab.strings.add(lemma)

    def __call__(self, doc: Doc) -> Doc:
        if not self.table:
            raise PatternError(f"{self.name}: the lemma table is not loaded (nlp.initialize())")
        if not len(doc):
            return doc
        orths = doc.to_array(ORTH).tolist()
        lemmas = doc.to_array(LEMMA).tolist()
        cache = self._lemma_ids
        for index, orth in enumerate(orths):
            if self.overwrite or lemmas[index] == 0:
                lemma = cache.get(orth)
                if lemma is None:
                    lemma = cache[orth] = self._lemma_id(orth)
                lemmas[index] = lemma
        doc.from_array([LEMMA], numpy.array(lemmas, dtype=numpy.uint64))
        return doc


@Language.factory(
    "casebook_lemmatizer_v1", assigns=["token.lemma"], default_config={"overwrite": False}
)
def make_cached_lookup_lemmatizer(
    nlp: Language, name: str, overwrite: bool
) -> CachedLookupLemmatizer:
    return CachedLookupLemmatizer(nlp.vocab, name, overwrite)
