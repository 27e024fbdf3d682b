"""Where the time of one document goes: each pipeline stage against the bare tokenizer.

    .venv/bin/python bench/profile_stages.py [--texts 200]

Generates the benchmark's text corpus and times, over all of it in this process: ingest,
segmentation, the tokenizer, each spaCy component on its own, entity collection, assembly
(pydantic validation) and JSON serialisation. Each line is printed as a multiple of the bare
`spacy.blank("sv")` tokenizer on the same texts, the yardstick of bench_pipeline.py. Each
stage is the best of --repeat rounds. Components are timed one after the other over all
documents, so the date component's share of the grammar's tokens (read once per Doc for
figures and dates inside the pipeline) is not seen there; extract_entities is the true sum.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.batchgen import write_text_corpus  # noqa: E402


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def one_round(nlp: Any, blank: Any, texts: list[str], paths: list[Path]) -> dict[str, float]:
    """Seconds per stage over the whole corpus, and of the bare tokenizer on the same texts."""
    from pipeline.assemble import _chunks, assemble, extract_entities, unwrap_lines
    from pipeline.ingest import ingest_file
    from pipeline.segment import segment

    result: dict[str, float] = {}

    def keep(name: str, seconds: float) -> None:
        result[name] = seconds

    seconds, _ = timed(lambda: list(blank.pipe(texts)))
    keep("bare", seconds)
    seconds, documents = timed(lambda: [ingest_file(path) for path in paths])
    keep("ingest (read, decode, clean)", seconds)
    seconds, segmented = timed(lambda: [segment(document) for document in documents])
    keep("segment", seconds)
    pieces = [
        unwrap_lines(document.text)[a:b]
        for document, (sections, _) in zip(documents, segmented, strict=True)
        for section in sections
        for a, b in _chunks(document.text, section.start, section.end)
    ]
    seconds, docs = timed(lambda: [nlp.make_doc(piece) for piece in pieces])
    keep("tokenizer (casebook nlp)", seconds)
    for name, component in nlp.pipeline:
        seconds, docs = timed(lambda c=component, d=docs: [c(doc) for doc in d])
        keep(f"  {name}", seconds)
    seconds, entities = timed(
        lambda: [
            extract_entities(document.text, sections)
            for document, (sections, _) in zip(documents, segmented, strict=True)
        ]
    )
    keep("extract_entities (all of nlp.pipe + collection)", seconds)
    seconds, records = timed(
        lambda: [
            assemble(document, sections, found, warnings)
            for document, (sections, warnings), found in zip(
                documents, segmented, entities, strict=True
            )
        ]
    )
    keep("assemble (pydantic)", seconds)
    seconds, _ = timed(lambda: [r.to_json_line() for rs in records for r in rs])
    keep("to_json_line", seconds)

    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs per stage")
    args = parser.parse_args()

    import spacy

    from pipeline.assemble import extract_entities
    from pipeline.ingest import ingest_file
    from pipeline.nlp import load_nlp
    from pipeline.segment import segment

    with tempfile.TemporaryDirectory(prefix="casebook-profile-") as temp:
        paths = write_text_corpus(Path(temp), args.texts, seed=0)
        nlp = load_nlp()
        # Warm up every stage once, as a worker would be.
        warm = ingest_file(paths[0])
        extract_entities(warm.text, segment(warm)[0])

        texts = [path.read_text(encoding="utf-8") for path in paths]
        blank = spacy.blank("sv")
        blank.max_length = max(map(len, texts)) + 1
        words = sum(len(text.split()) for text in texts)
        best: dict[str, float] = {}

        # Best of --repeat rounds per stage, the bare tokenizer timed in every round too:
        # on a shared machine the minimum is the least disturbed measurement.
        for _ in range(args.repeat):
            for name, seconds in one_round(nlp, blank, texts, paths).items():
                best[name] = min(best.get(name, seconds), seconds)

    bare_s = best.pop("bare")
    rows = list(best.items())
    stages = ("ingest", "segment", "extract_entities", "assemble", "to_json_line")
    total = sum(seconds for name, seconds in rows if name.startswith(stages))
    print(f"{args.texts} documents, {words} words; bare tokenizer {words / bare_s:,.0f} words/s")
    print(f"{'stage':50} {'seconds':>8} {'x tokenizer':>12}")
    for name, seconds in rows:
        print(f"{name:50} {seconds:8.3f} {seconds / bare_s:12.2f}")
    print(f"{'total (ingest … json)':50} {total:8.3f} {total / bare_s:12.2f}")
    print(f"ratio words/s full vs bare: {bare_s / total:.2f} (target >= 0.5)")


if __name__ == "__main__":
    main()
