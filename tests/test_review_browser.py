"""The review page in headless Chromium: evidence highlighting, decisions, export, apply.

Driven through Playwright's Python package with the system browser (Debian `chromium`);
skipped where that browser is not installed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.ingest import ingest_file
from pipeline.review import load_records
from tests.conftest import ROOT, SAMPLE

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api")

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT = ROOT / "outputs" / "review-screenshot.png"

HOSTILE = """Exempel 1: Stöd till </script><script>alert(2)</script> i Göteborg

Göteborgs Stad beskrev verktyget <script>alert(1)</script> i sin ansökan till regionalfonden.
Bilden <img src=x onerror=alert(1)> visades på en konferens i Malmö hösten 2018.
"""

# Selects the first occurrence of a word in a case text and returns its centre on screen.
WORD_CENTRE = """([index, word]) => {
  const box = document.querySelectorAll("article.case .text")[index];
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.data.indexOf(word);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    range.startContainer.parentElement.scrollIntoView({block: "center"});
    const rect = range.getBoundingClientRect();
    return {x: rect.left + rect.width / 2, y: rect.top + rect.height / 2};
  }
  return null;
}"""

# Whether the first highlighted mark is visible inside its scrolling text box and the window.
HIGHLIGHT_VISIBLE = """() => {
  const mark = document.querySelector("mark.hl");
  if (!mark) return false;
  const r = mark.getBoundingClientRect();
  const box = mark.closest(".text").getBoundingClientRect();
  return r.top >= box.top - 1 && r.bottom <= box.bottom + 1 && r.top >= 0
    && r.bottom <= window.innerHeight;
}"""

# A value whose evidence starts out hidden below the fold of its case's text box.
HIDDEN_VALUE = """() => {
  for (const article of document.querySelectorAll("article.case")) {
    const box = article.querySelector(".text").getBoundingClientRect();
    for (const link of article.querySelectorAll("a.val")) {
      const id = link.dataset.m.split(" ")[0];
      const mark = article.querySelector('mark[data-m~="' + id + '"]');
      if (mark && mark.getBoundingClientRect().top > box.bottom) return link.closest("li").id;
    }
  }
  return null;
}"""


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


def _extract(paths: list[Path], out: Path) -> None:
    args = ["extract", *map(str, paths), "--out", str(out), "--workers", "0", "--quiet"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output


def _review(run: Path) -> Path:
    result = CliRunner().invoke(app, ["review", str(run)])
    assert result.exit_code == 0, result.output
    return run / "review.html"


def test_review_decisions_round_trip_through_the_cli(browser, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the page shows the run folder as given: outputs/sample
    run = Path("outputs/sample")
    _extract([SAMPLE], run)
    page_file = _review(run)
    context = browser.new_context(viewport={"width": 1280, "height": 1500}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(page_file.resolve().as_uri())
    data = json.loads(page.locator("#casebook-data").text_content())
    first_case = page.locator("article.case").first
    first_case.locator('tr[data-field="regions"] a.val').first.click()
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))  # the README picture (artifact of the test run)
    assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # Clicking a value scrolls its hidden evidence into view and highlights it.
    hidden = page.evaluate(HIDDEN_VALUE)
    assert hidden is not None, "some case should have evidence below the fold"
    value = data["values"][hidden]
    page.locator(f"#{hidden} a.val").click()
    marks = page.locator("mark.hl")
    assert marks.count() >= 1
    first_id = page.locator(f"#{hidden} a.val").get_attribute("data-m").split()[0]
    assert first_id in marks.first.get_attribute("data-m").split()
    assert value["evidence"]["text"].startswith(marks.first.text_content())
    assert page.evaluate(HIGHLIGHT_VISIBLE)

    # Reject a value.
    region = first_case.locator('tr[data-field="regions"] li.value').first
    rejected = data["values"][region.get_attribute("id")]
    region.locator('button[data-act="reject"]').click()
    assert "d-reject" in region.get_attribute("class")

    # Add a missing organisation by selecting its word in the case text.
    centre = page.evaluate(WORD_CENTRE, [0, "strukturfondspartnerskapet"])
    page.mouse.dblclick(centre["x"], centre["y"])
    panel = first_case.locator("form.add-panel")
    panel.wait_for(state="visible")
    assert panel.locator(".sel").text_content() == "strukturfondspartnerskapet"
    panel.locator("select").select_option("organisations")
    panel.locator('input[name="value"]').fill("Strukturfondspartnerskapet i Stockholm")
    panel.locator("button.add-ok").click()
    assert first_case.locator("ul.added li").count() == 1

    # Edit a value: the date "mars 2017" read as the year only.
    date = first_case.locator('tr[data-field="dates"] li.value').first
    edited = data["values"][date.get_attribute("id")]
    date.locator('button[data-act="edit"]').click()
    date.locator("form.edit-form input").fill("2017")
    date.locator("form.edit-form input").press("Enter")
    assert date.locator(".new-value").text_content() == "→ 2017"
    assert page.locator("#decision-count").text_content() == "3 decisions"

    # Decisions survive a reload (kept in localStorage under this run).
    page.reload()
    assert page.locator("#decision-count").text_content() == "3 decisions"

    with page.expect_download() as info:
        page.locator("#export").click()
    exported = Path("corrections.jsonl")
    info.value.save_as(exported)
    lines = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    assert [(d["action"], d["field"]) for d in lines] == [
        ("reject", "regions"),
        ("add", "organisations"),
        ("edit", "dates"),
    ]
    assert (lines[2]["value"], lines[2]["new_value"]) == (edited["value"], "2017")
    assert lines[0]["record_id"] == rejected["record_id"]
    assert lines[0]["value"] == rejected["value"]
    assert lines[0]["document_path"] == str(SAMPLE)
    evidence = lines[1]["evidence"]
    clean = ingest_file(SAMPLE).text
    assert clean[evidence["start"] : evidence["end"]] == evidence["text"]
    assert evidence["text"] == "strukturfondspartnerskapet"
    assert errors == []
    context.close()

    before = {r.record_id: r for r in load_records(run / "records.jsonl")}
    result = CliRunner().invoke(app, ["apply-corrections", str(run), str(exported)])
    assert result.exit_code == 0, result.output
    after = {r.record_id: r for r in load_records(run / "records.jsonl")}
    record = after[rejected["record_id"]]
    assert rejected["value"] in [r.code for r in before[record.record_id].regions]
    assert rejected["value"] not in [r.code for r in record.regions]
    assert "Strukturfondspartnerskapet i Stockholm" in [o.name for o in record.organisations]
    assert edited["value"] != "2017"
    assert [d.value for d in record.dates] == ["2017"]
    assert record.reviewed
    assert [r.reviewed for r in after.values()].count(True) == 1


def test_markup_in_a_document_renders_as_text(browser, tmp_path):
    source = tmp_path / "fientlig.txt"
    source.write_text(HOSTILE, encoding="utf-8")
    run = tmp_path / "run"
    _extract([source], run)
    # Give the record a value whose name and evidence are markup, as a reviewer could.
    record = load_records(run / "records.jsonl")[0]
    img = "<img src=x onerror=alert(1)>"
    start = ingest_file(source).text.index(img)
    decision = {
        "record_id": record.record_id,
        "field": "organisations",
        "value": img,
        "action": "add",
        "evidence": {"start": start, "end": start + len(img), "text": img},
    }
    corrections = tmp_path / "c.jsonl"
    corrections.write_text(json.dumps(decision) + "\n", encoding="utf-8")
    applied = CliRunner().invoke(app, ["apply-corrections", str(run), str(corrections)])
    assert applied.exit_code == 0, applied.output
    page_file = _review(run)

    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(page_file.resolve().as_uri())
    text = page.locator("article.case .text").first.inner_text()
    assert "<script>alert(1)</script>" in text
    assert img in text
    assert "</script><script>alert(2)</script>" in page.locator("article.case h2").inner_text()
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 2  # the data and the page's own code
    org = page.locator('tr[data-field="organisations"] a.val').filter(has_text="onerror")
    assert org.text_content() == img
    org.click()
    assert page.locator("mark.hl").first.text_content() == img
    page.wait_for_timeout(200)  # let any (unexpected) script run before checking
    assert dialogs == []
    page.close()
