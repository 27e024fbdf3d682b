"""Phrase → expected tables (tests/data/*_cases.tsv) shared by the grammar tests."""

from __future__ import annotations

import re
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def unescape(phrase: str) -> str:
    """Table cells write a line break as \\n and other characters as \\uXXXX."""
    phrase = phrase.replace("\\n", "\n")
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), phrase)


def load_cases(name: str) -> list[tuple[str, str]]:
    """(phrase, expected) rows of tests/data/<name>; '#' lines and the header are skipped."""
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line == "phrase\texpected":
            continue
        phrase, expected = line.split("\t")
        rows.append((unescape(phrase), expected))
    return rows
