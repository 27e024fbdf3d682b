"""spaCy's lookup lemmatizer (tables from spacy-lookups-data), applied per Doc in one pass.

The same lemmas as spaCy's own `lemmatizer` in lookup mode (tests/test_lemmatizer.py holds
them equal), but the lookup is cached per word form and written with `Doc.from_array`:
spaCy's loop creates a Token object and hashes its text for every token, which cost a fifth
of the tokenizer's time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy
from spacy.attrs import LEMMA, ORTH
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc
from spacy.training import Example


class CachedLookupLemmatizer(Lemmatizer):
    """A lookup-mode Lemmatizer whose lemma of each word form is looked up once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.mode != "lookup":
            raise ValueError(f"casebook_lemmatizer_v1 supports mode 'lookup' only: {self.mode!r}")
        self._lemma_ids: dict[int, int] = {}  # ORTH id -> LEMMA id

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        lookups: Lookups | None = None,
    ) -> None:
        super().initialize(get_examples, nlp=nlp, lookups=lookups)
        self._lemma_ids.clear()  # new tables, new lemmas

    def _lemma_id(self, orth: int) -> int:
        strings = self.vocab.strings
        # Table keys are string hashes, the same ids as ORTH (spaCy's lookup_lemmatize).
        result = self.lookups.get_table("lemma_lookup", {}).get(orth, None)
        if result is None:
            return orth
        lemma = result if isinstance(result, str) else result[0]
        return strings.add(lemma)

    def __call__(self, doc: Doc) -> Doc:
        if not self._validated:
            self._validate_tables()
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
    "casebook_lemmatizer_v1",
    assigns=["token.lemma"],
    default_config={"model": None, "mode": "lookup", "overwrite": False, "scorer": None},
)
def make_cached_lookup_lemmatizer(
    nlp: Language, model: Any, name: str, mode: str, overwrite: bool, scorer: Any
) -> CachedLookupLemmatizer:
    return CachedLookupLemmatizer(
        nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer
    )
