"""Shared fixtures: repository paths and the sample document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"
SAMPLE = CORPORA / "exempel_storstadsregioner.txt"
SAMPLE_GOLD = CORPORA / "exempel_storstadsregioner.gold.json"
REALWORLD = ROOT.parent / "shared" / "realworld"


@pytest.fixture(scope="session")
def sample_gold() -> dict:
    return json.loads(SAMPLE_GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sample_records():
    from pipeline import extract_file

    return extract_file(SAMPLE)
