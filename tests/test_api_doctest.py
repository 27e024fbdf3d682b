"""The documented Python API: every `>>>` example in README.md runs."""

from __future__ import annotations

import doctest
import os
import re

import pytest

from tests.conftest import ROOT

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


def test_readme_python_examples_run(at_repo_root):
    text = README.read_text(encoding="utf-8")
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    blocks = 0
    # Each "## " section runs as one doctest, like a reader typing along from its start.
    for number, section in enumerate(re.split(r"^## ", text, flags=re.MULTILINE)):
        examples = [block for block in _PYTHON_BLOCK.findall(section) if ">>>" in block]
        if not examples:
            continue
        blocks += len(examples)
        name = f"README.md section {number}: {section.splitlines()[0]}"
        runner.run(parser.get_doctest("\n".join(examples), {}, name, str(README), 0))
    result = runner.summarize(verbose=False)
    assert blocks >= 5, "README.md lost its Python examples"
    assert result.attempted >= 30, "README.md lost its >>> examples"
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
