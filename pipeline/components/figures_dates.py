"""Figures and dates: spaCy components over the Swedish number grammar (pipeline.figures/dates).

The grammar works on characters because Swedish numbers span tokens ("4 000" is two tokens,
"5,3 MSEK"); the components turn its hits into span-group entries with the exact offsets.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ..dates import DateHit, find_dates
from ..figures import FigureHit, find_figures
from .common import add_span, doc_text


def _payload(hit: FigureHit | DateHit) -> dict[str, Any]:
    """A hit's fields but its offsets (all plain values: no deep copy as asdict makes).

    Read from the instance dict, which holds exactly the dataclass fields in field order
    (the hits are plain frozen dataclasses), instead of walking `fields()` per hit."""
    payload = dict(hit.__dict__)
    del payload["start"], payload["end"]
    return payload


class FigureRecognizer:
    def __call__(self, doc: Doc) -> Doc:
        for hit in find_figures(doc_text(doc)):
            payload = _payload(hit)
            # The two figures of a range share their span; the kb_id keeps their payloads apart.
            add_span(doc, "figures", hit.start, hit.end, hit.kind, hit.range_part or "", **payload)
        return doc


class DateRecognizer:
    def __call__(self, doc: Doc) -> Doc:
        for hit in find_dates(doc_text(doc)):
            payload = _payload(hit)
            add_span(doc, "dates", hit.start, hit.end, hit.value, **payload)
        return doc


@Language.factory("casebook_figures_v1")
def make_figure_recognizer(nlp: Language, name: str) -> FigureRecognizer:
    return FigureRecognizer()


@Language.factory("casebook_dates_v1")
def make_date_recognizer(nlp: Language, name: str) -> DateRecognizer:
    return DateRecognizer()
