"""Evaluation: scoring rules from DESIGN.md and the CLI's thresholds."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import UsageError
from pipeline.evaluate import Score, figure_key, normalise_title, parse_thresholds
from tests.conftest import SAMPLE, SAMPLE_GOLD


def test_score_arithmetic():
    score = Score(tp=8, fp=2, fn=2)
    assert score.precision == pytest.approx(0.8)
    assert score.recall == pytest.approx(0.8)
    assert score.f1 == pytest.approx(0.8)
    assert Score().f1 == 1.0  # nothing expected, nothing found


@pytest.mark.parametrize(
    ("a", "b"),
    [(("Kort titel.", "Kort titel")), ("Titel över\nflera rader:", "Titel över flera rader")],
)
def test_title_normalisation(a, b):
    assert normalise_title(a) == normalise_title(b)


def test_figure_keys_use_unit_classes():
    assert figure_key(4000, "ton") == figure_key(4000.0, "quantity")
    assert figure_key(5, "percent") != figure_key(5, "quantity")
    assert figure_key(12e6, "SEK") == "SEK:1.2e+07"


def test_thresholds_parse_and_reject_unknown_fields():
    assert parse_thresholds(["cities=0.97", "funds=1"]) == {"cities": 0.97, "funds": 1.0}
    with pytest.raises(UsageError):
        parse_thresholds(["colour=0.5"])
    with pytest.raises(UsageError):
        parse_thresholds(["cities=hög"])


def test_cli_evaluate_sample_meets_its_gold():
    result = CliRunner().invoke(
        app,
        [
            "evaluate",
            str(SAMPLE_GOLD),
            "--json",
            "--min",
            "cities=1",
            "--min",
            "funds=1",
            "--min",
            "titles=1",
            "--min",
            "dates=1",
            "--min",
            "figures=1",
        ],
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["sections"]["f1"] == 1.0


def test_cli_evaluate_reports_misses_and_fails_threshold(tmp_path):
    gold = json.loads(SAMPLE_GOLD.read_text(encoding="utf-8"))
    gold["file"] = str(SAMPLE)
    gold["sections"][0]["cities"] = ["Stockholm", "Kiruna"]
    path = tmp_path / "wrong.gold.json"
    path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", str(path), "--verbose", "--min", "cities=1"])
    assert result.exit_code == 1
    assert "miss" in result.stdout and "kiruna" in result.stdout
    assert "below threshold" in result.stderr


def test_cli_evaluate_bad_gold_is_a_usage_error(tmp_path):
    path = tmp_path / "trasig.gold.json"
    path.write_text("{inte json", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", str(path)])
    assert result.exit_code == 2
    assert "trasig.gold.json" in result.stderr
    assert "Traceback" not in result.stderr
