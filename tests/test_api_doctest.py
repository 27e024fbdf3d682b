"""The documented Python API: the `>>>` examples of docs/readme/api.md and README.md run."""

from __future__ import annotations

import doctest
import os
import re

import pytest

from tests.conftest import ROOT

API_DOC = ROOT / "docs" / "readme" / "api.md"
README = ROOT / "README.md"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
_PYTHON_BLOCK = re.compile(r"^```(?:python|py|pycon)[ \t]*\n(.*?)^```", re.DOTALL | re.MULTILINE)


@pytest.fixture
def at_repo_root():
    """The examples use paths relative to the repository root, as a user would."""
    previous = os.getcwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(previous)


def test_api_doc_examples_run(at_repo_root):
    result = doctest.testfile(str(API_DOC), module_relative=False, optionflags=FLAGS, verbose=False)
    assert result.attempted >= 20, "docs/readme/api.md lost its examples"
    assert result.failed == 0, f"{result.failed} doctest failures in docs/readme/api.md (see above)"


def test_readme_python_examples_run(at_repo_root):
    text = README.read_text(encoding="utf-8")
    blocks = [block for block in _PYTHON_BLOCK.findall(text) if ">>>" in block]
    if not blocks:
        pytest.skip("README.md has no >>> examples in Python blocks (yet)")
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    globs: dict = {}
    for index, block in enumerate(blocks, start=1):
        # One namespace for the whole README, like a reader typing along.
        test = parser.get_doctest(block, globs, f"README.md block {index}", str(README), 0)
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} doctest failures in README.md (see above)"


def test_api_doc_examples_are_checked_when_wrong(tmp_path, at_repo_root):
    """The harness really compares output: a wrong expectation fails."""
    broken = tmp_path / "broken.md"
    broken.write_text(
        "```python\n>>> from pipeline import extract_text\n"
        '>>> [c.name for c in extract_text("Exempel 1: Stöd\\n\\nMalmö stad.")[0].cities]\n'
        "['Lund']\n```\n",
        encoding="utf-8",
    )
    result = doctest.testfile(
        str(broken), module_relative=False, optionflags=FLAGS, report=False, verbose=False
    )
    assert (result.attempted, result.failed) == (2, 1)
