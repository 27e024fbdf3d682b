"""Kill -9 in the middle of a batch: the previous outputs survive, the next run resumes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pipeline.batch import iter_results
from tests.batchgen import write_text_corpus

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = 40


def _cache_files(out: Path) -> list[Path]:
    return sorted((out / "cache").glob("*.jsonl"))


def _extract(corpus: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline.cli",
            "extract",
            str(corpus),
            "--out",
            str(out),
            "--workers",
            "1",
            "--quiet",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def test_sigkill_mid_run_keeps_previous_outputs_and_the_rerun_resumes(tmp_path: Path) -> None:
    corpus = tmp_path / "rapporter"
    paths = write_text_corpus(corpus, DOCUMENTS, seed=500, paragraphs=2)
    out = tmp_path / "ut"

    # An earlier complete run over the first few reports.
    list(iter_results(paths[:5], out_dir=out))
    before = {name: (out / name).read_bytes() for name in ("records.jsonl", "manifest.json")}
    assert len(_cache_files(out)) == 5

    # The full batch, killed (the whole process group, as a power cut would) once it has
    # finished a few more documents.
    process = _extract(corpus, out)
    deadline = time.monotonic() + 240
    while len(_cache_files(out)) < 7 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "the batch finished before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done_at_kill = len(_cache_files(out))
    assert 7 <= done_at_kill < DOCUMENTS

    # The previous outputs are untouched, and every file the killed run left is complete.
    for name, data in before.items():
        assert (out / name).read_bytes() == data, name
    for path in _cache_files(out):
        header, *records = path.read_text(encoding="utf-8").splitlines()
        assert json.loads(header)["records"] == len(records) >= 1
        assert all(json.loads(line)["document"]["sha256"] == path.stem for line in records)
    leftovers = {p.name for p in out.iterdir()} - {"records.jsonl", "manifest.json", "cache"}
    assert leftovers <= {".casebook.lock"} | {p.name for p in out.glob(".*.tmp")}

    # The rerun reuses what the killed run finished and ends with the records of an
    # uninterrupted run, byte for byte.
    resumed = _extract(corpus, out)
    _, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr.decode()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["ok"] == DOCUMENTS
    assert sum(entry["cached"] for entry in manifest["inputs"]) >= done_at_kill
    reference = tmp_path / "referens"
    list(iter_results(corpus, out_dir=reference))
    assert (out / "records.jsonl").read_bytes() == (reference / "records.jsonl").read_bytes()
    assert not list(out.rglob("*.tmp"))
