"""casebook_lemmatizer_v1 gives exactly the lemmas of spaCy's lookup lemmatizer."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import PatternError
from pipeline.nlp import load_nlp

CORPORA = Path(__file__).resolve().parents[1] / "corpora"


@pytest.fixture(scope="module")
def reference() -> spacy.language.Language:
    nlp = spacy.blank("sv")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


@pytest.fixture(scope="module")
def ours() -> spacy.language.Language:
    nlp = spacy.blank("sv")
    nlp.add_pipe("casebook_lemmatizer_v1")
    nlp.initialize()
    return nlp


def lemmas(nlp: spacy.language.Language, text: str) -> list[str]:
    return [token.lemma_ for token in nlp(text)]


def test_casebook_pipeline_uses_the_cached_lemmatizer() -> None:
    assert type(load_nlp().get_pipe("lemmatizer")).__name__ == "CachedLookupLemmatizer"


@pytest.mark.parametrize(
    "text",
    [
        "Kommunerna beviljades stödet för att utveckla de nya företagens verksamheter.",
        "Göteborgs Stad och Region Skåne fick 4 000 kr; ESF-rådet sade nej!\n\nSlut.",
        "en ett för man år åren  dubbla  mellanslag\toch\ttabbar",
        "",
        "   ",
        "XYZZY qwertyuiop ÅÄÖ åäö",
    ],
)
def test_same_lemmas_as_spacy_lookup_lemmatizer(reference, ours, text: str) -> None:
    assert lemmas(ours, text) == lemmas(reference, text)


def test_same_lemmas_on_every_corpus_document(reference, ours) -> None:
    paths = sorted(CORPORA.glob("*.txt"))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert lemmas(ours, text) == lemmas(reference, text), path.name


def test_repeated_calls_reuse_the_cache_without_changing_lemmas(reference, ours) -> None:
    text = "Projekten drevs av kommunerna. Projekten drevs vidare."
    first = lemmas(ours, text)
    assert lemmas(ours, text) == first == lemmas(reference, text)


def test_existing_lemmas_are_kept_unless_overwrite(ours) -> None:
    doc = ours.make_doc("kommunerna")
    doc[0].lemma_ = "egen"
    assert ours.get_pipe("casebook_lemmatizer_v1")(doc)[0].lemma_ == "egen"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcåäöABCÅÄÖ éèü-.,:;0123456789\n\t")), max_size=80))
def test_same_lemmas_on_random_text(reference, ours, text: str) -> None:
    assert lemmas(ours, text) == lemmas(reference, text)


def test_overwrite_replaces_existing_lemmas(reference) -> None:
    nlp = spacy.blank("sv")
    nlp.add_pipe("casebook_lemmatizer_v1", config={"overwrite": True})
    nlp.initialize()
    doc = nlp.make_doc("kommunerna")
    doc[0].lemma_ = "egen"
    assert (
        nlp.get_pipe("casebook_lemmatizer_v1")(doc)[0].lemma_ == lemmas(reference, "kommunerna")[0]
    )


def test_an_uninitialised_lemmatizer_says_so() -> None:
    nlp = spacy.blank("sv")
    nlp.add_pipe("casebook_lemmatizer_v1")
    with pytest.raises(PatternError, match="not loaded"):
        nlp("kommunerna")
