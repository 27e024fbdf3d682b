"""Batch runs: discovery, the worker pool, incremental runs, determinism, the CLI options."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import extract_file, extract_paths
from pipeline.batch import (
    Batch,
    ExtractOptions,
    ResultCache,
    discover,
    init_worker,
    iter_results,
    parse_path_list,
)
from pipeline.cli import app
from pipeline.errors import CasebookError, UsageError
from pipeline.executors import Outcome, ReadAhead, WorkerPool
from tests import batchgen
from tests.batchgen import hard_wrapped, swedish_report

runner = CliRunner()
TIMING = {"seconds"}


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _without_timing(manifest: dict) -> dict:
    manifest = {k: v for k, v in manifest.items() if k not in TIMING}
    manifest["inputs"] = [
        {k: v for k, v in entry.items() if k not in TIMING} for entry in manifest["inputs"]
    ]
    return manifest


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Five small reports in nested folders."""
    folder = tmp_path / "rapporter"
    for number, relative in enumerate(
        ["a/norr.txt", "a/syd.md", "b/c/vast.txt", "b/ost.txt", "mitt.txt"]
    ):
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(hard_wrapped(swedish_report(100 + number, cases=2, paragraphs=1)))
    return folder


# -- discovery ------------------------------------------------------------------------------


def test_discover_walks_folders_in_sorted_order_and_lists_skips(corpus: Path) -> None:
    (corpus / "b" / "bild.png").write_bytes(b"\x89PNG\r\n")
    (corpus / ".git").mkdir()
    (corpus / ".git" / "gömd.txt").write_text("Exempel 1: dold")
    (corpus / "a" / ".utkast.txt").write_text("Exempel 1: dold")
    items = discover([corpus])
    paths = [Path(item.path).relative_to(corpus).as_posix() for item in items]
    assert paths == [
        "a/norr.txt",
        "a/syd.md",
        "b/bild.png",
        "b/c/vast.txt",
        "b/ost.txt",
        "mitt.txt",
    ]
    png = items[2]
    assert png.status == "skipped" and "unsupported file type '.png'" in png.message
    assert all(item.status is None for item in items if item is not png)
    assert [item.index for item in items] == list(range(6))


def test_discover_expands_globs_and_reports_missing_paths(corpus: Path) -> None:
    items = discover(
        [f"{corpus}/**/*.txt", corpus / "mitt.txt", f"{corpus}/*.pdf", corpus / "saknas.txt"]
    )
    names = [Path(item.path).name for item in items]
    # "**" recurses; mitt.txt, already listed by the pattern, is not listed twice.
    assert names == ["norr.txt", "vast.txt", "ost.txt", "mitt.txt", "*.pdf", "saknas.txt"]
    assert items[4].status == "error" and "no files match" in items[4].message
    assert items[5].status == "error" and items[5].message.endswith("saknas.txt: file not found")


def test_discover_survives_symlink_loops_broken_links_and_pipes(corpus: Path) -> None:
    (corpus / "b" / "c" / "tillbaka").symlink_to("../..")  # a loop back to the top
    (corpus / "borta.txt").symlink_to(corpus / "finns-inte.txt")
    os.mkfifo(corpus / "ror.txt")
    items = {Path(item.path).name: item for item in discover([corpus])}
    assert items["tillbaka"].status == "skipped"
    assert "already searched" in items["tillbaka"].message
    assert items["borta.txt"].status == "error"
    assert "broken symbolic link" in items["borta.txt"].message
    assert items["ror.txt"].status == "skipped" and "not a regular file" in items["ror.txt"].message
    assert sum(name == "vast.txt" for name in items) == 1


def test_discover_leaves_out_the_output_folder(corpus: Path) -> None:
    out = corpus / "utdata"
    (out / "cache").mkdir(parents=True)
    (out / "cache" / "gammal.txt").write_text("Exempel 1: gammal")
    assert not [i for i in discover([corpus], exclude=[out]) if "utdata" in i.path]


def test_parse_path_list_ignores_blank_lines_and_comments() -> None:
    text = "# rapporter 2024\n\nin/a.pdf\n  in/b.txt  \n#in/c.txt\n"
    assert parse_path_list(text) == ["in/a.pdf", "in/b.txt"]


# -- the worker pool ------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["zygote", "forkserver"])
def test_pool_charges_crashes_hangs_and_errors_to_their_job_and_goes_on(method: str) -> None:
    jobs = ["ett", "segfault", "två", "exit", "hang", "memory", "raise", "tre", "fyra"]
    pool = WorkerPool(batchgen.misbehaving_task, workers=2, timeout=2, start_method=method)
    by_job = {o.job: o for o in _outcomes(pool, jobs)}
    assert sorted(by_job) == sorted(jobs)
    for good in ("ett", "två", "tre", "fyra"):
        assert by_job[good].result == good.upper() and by_job[good].failure is None
    assert by_job["segfault"].failure == "worker crashed (exit code -11 (SIGSEGV))"
    assert by_job["exit"].failure == "worker crashed (exit code 3)"
    assert by_job["hang"].failure == "timed out after 2 s"
    assert by_job["memory"].failure == "out of memory (MemoryError)"
    assert by_job["raise"].failure == "ValueError: ett fel i uppgiften"


def _priority(job: str) -> int:
    return {"pdf": 2, "text": 1}.get(job.split("-")[0], 0)


def _slowly_loading_pool(kind: type[WorkerPool] = WorkerPool) -> WorkerPool:
    """Two workers whose "pipeline" takes 3 s to load, with reading_task as read-ahead."""
    return kind(
        batchgen.misbehaving_task,
        workers=2,
        initializer=batchgen.slow_initializer,
        read_ahead=ReadAhead(batchgen.reading_task, _priority),
    )


def _outcomes(pool: WorkerPool, jobs: list[str], slots_after: int = 0) -> list[Outcome]:
    """Submit every job, wait for all their outcomes, close the pool."""
    with pool:
        for job in jobs:
            pool.submit(job)
        outcomes: list[Outcome] = []
        while len(outcomes) < len(jobs):
            outcomes.extend(pool.wait())
        assert pool.wait() == []
        if slots_after:  # once loaded: one running and one queued per worker
            assert pool.slots == slots_after
    return outcomes


def _run_pool(pool: WorkerPool, jobs: list[str], slots_after: int = 0) -> dict[str, object]:
    """Every job's result by the job's name (before any read-ahead suffix)."""
    outcomes = _outcomes(pool, jobs, slots_after)
    names = [str(o.job).removesuffix("+läst") for o in outcomes]
    assert sorted(names) == sorted(jobs)  # each exactly once
    return {name: o.result for name, o in zip(names, outcomes, strict=True)}


def test_pool_reads_jobs_ahead_while_the_pipeline_loads() -> None:
    jobs = [f"text-{n}" for n in range(4)] + [f"pdf-{n}" for n in range(4)] + ["bild-1"]
    pool = _slowly_loading_pool()
    assert pool.slots > 4  # room to queue work to read ahead while loading
    results = _run_pool(pool, jobs, slots_after=4)
    # Three seconds of loading are plenty for a helper to read eight tiny jobs; priority 0
    # is never read ahead.
    assert all(results[f"pdf-{n}"] == f"PDF-{n}+LÄST" for n in range(4))
    assert all(results[f"text-{n}"] == f"TEXT-{n}+LÄST" for n in range(4))
    assert results["bild-1"] == "BILD-1"


def test_read_ahead_takes_the_highest_priority_first() -> None:
    read = []

    class Recording(WorkerPool):
        def _receive_from_helper(self, helper) -> None:  # type: ignore[no-untyped-def]
            if helper.job is not None:
                read.append(helper.job)
            super()._receive_from_helper(helper)

    jobs = ["text-1", "pdf-1", "text-2", "pdf-2"]
    pool = _slowly_loading_pool(Recording)
    _run_pool(pool, jobs)
    assert read == ["pdf-1", "pdf-2", "text-1", "text-2"]


def test_a_failing_or_dying_read_ahead_leaves_the_job_to_a_worker() -> None:
    jobs = ["pdf-krasch", "pdf-fel", "pdf-hänger", "bild-1"]
    pool = _slowly_loading_pool()
    results = _run_pool(pool, jobs)
    # Each done in full by a worker, as if there were no read-ahead.
    assert results == {
        "pdf-krasch": "PDF-KRASCH",
        "pdf-fel": "PDF-FEL",
        "pdf-hänger": "PDF-HÄNGER",
        "bild-1": "BILD-1",
    }


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status is left to collect


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
def test_a_stopped_helper_takes_the_programs_it_started_down_too(tmp_path: Path) -> None:
    pid_file = tmp_path / "barn.pid"
    job = f"pdf-barn:{pid_file}"
    pool = _slowly_loading_pool()
    assert _run_pool(pool, [job]) == {job: job.upper()}  # done in full by a worker
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(child)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
def test_a_worker_killed_for_its_time_limit_takes_its_programs_down_too(tmp_path: Path) -> None:
    pid_file = tmp_path / "barn.pid"
    job = f"barn:{pid_file}"
    with WorkerPool(batchgen.misbehaving_task, workers=1, timeout=2) as pool:
        pool.submit(job)
        (outcome,) = pool.wait()
        assert outcome.failure == "timed out after 2 s"
        pool.submit("efter")  # the pool goes on with a new worker
        assert [o.result for o in pool.wait()] == ["EFTER"]
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(child)


def test_a_pipeline_that_cannot_load_is_reported_while_reading_ahead() -> None:
    pool = WorkerPool(
        batchgen.echo_task,
        workers=2,
        initializer=batchgen.failing_initializer,
        read_ahead=ReadAhead(batchgen.reading_task, _priority),
    )
    with pytest.raises(CasebookError, match="worker could not start: RuntimeError: modellen"):
        pool.submit("pdf-1")
        pool.wait()
    pool.close()


def test_one_worker_reads_nothing_ahead() -> None:
    """With one worker no core idles while the pipeline loads: the option has no effect."""
    read_ahead = ReadAhead(batchgen.reading_task, _priority)
    pool = WorkerPool(batchgen.misbehaving_task, workers=1, read_ahead=read_ahead)
    assert pool.slots == 2
    assert _run_pool(pool, ["pdf-1", "pdf-2"]) == {"pdf-1": "PDF-1", "pdf-2": "PDF-2"}


def test_pool_reports_a_worker_that_cannot_start() -> None:
    for method in ("zygote", "spawn"):
        pool = WorkerPool(
            batchgen.echo_task,
            workers=1,
            initializer=batchgen.failing_initializer,
            start_method=method,
        )
        with pytest.raises(CasebookError, match="worker could not start: RuntimeError: modellen"):
            pool.submit("x")
            pool.wait()
        pool.close()


def test_a_script_without_a_main_guard_can_use_the_pool(tmp_path: Path) -> None:
    """The zygote does not re-import the caller's __main__ (multiprocessing's spawn does, and
    a script calling extract_paths at top level would then start the batch again in there)."""
    import subprocess
    import sys

    report = tmp_path / "rapport.txt"
    report.write_text(hard_wrapped(swedish_report(7, cases=2)), encoding="utf-8")
    script = tmp_path / "skript.py"
    script.write_text(
        "from pipeline import extract_paths\n"
        f"records = list(extract_paths([{str(report)!r}], workers=1))\n"
        "print(len(records), records[0].document.path)\n",
        encoding="utf-8",
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2", str(report)]
    assert "Traceback" not in done.stderr


class _CrashingBatch(Batch):
    def _make_executor(self):  # type: ignore[no-untyped-def]
        return WorkerPool(
            batchgen.crashing_extract_job, workers=2, initializer=init_worker, timeout=5
        )


def test_a_crashing_or_hanging_document_becomes_an_error_and_the_batch_goes_on(
    corpus: Path, tmp_path: Path
) -> None:
    for seed, name in enumerate(("krasch.txt", "fastnar.txt")):
        (corpus / name).write_text(swedish_report(7 + seed))
    out = tmp_path / "ut"
    with _CrashingBatch([corpus], out_dir=out, timeout=5) as batch:
        results = list(batch.results())
        manifest = batch.write()
    by_name = {Path(e["path"]).name: e for e in manifest["inputs"]}
    assert by_name["krasch.txt"]["error"].endswith(
        "krasch.txt: worker crashed (exit code -11 (SIGSEGV))"
    )
    assert by_name["fastnar.txt"]["error"].endswith("fastnar.txt: timed out after 5 s")
    assert by_name["fastnar.txt"]["seconds"] >= 5  # the time it was given, not 0
    good = [e for e in manifest["inputs"] if e["status"] == "ok"]
    assert len(good) == 5 and len(results) == 7
    expected = [r.to_json_line() for e in good for r in extract_file(e["path"])]
    assert (out / "records.jsonl").read_text(encoding="utf-8").splitlines() == expected


# -- Python API -----------------------------------------------------------------------------


def test_extract_paths_yields_records_in_input_order(corpus: Path) -> None:
    files = [corpus / "mitt.txt", corpus / "a"]
    records = list(extract_paths(files))
    expected = [
        *extract_file(corpus / "mitt.txt"),
        *extract_file(corpus / "a" / "norr.txt"),
        *extract_file(corpus / "a" / "syd.md"),
    ]
    assert [r.to_json_line() for r in records] == [r.to_json_line() for r in expected]


def test_extract_paths_raises_after_the_good_records_when_an_input_failed(corpus: Path) -> None:
    (corpus / "tom.txt").write_bytes(b"")
    got = []
    with pytest.raises(CasebookError, match=r"1 input\(s\) failed: .*tom.txt: empty file"):
        for record in extract_paths([corpus]):
            got.append(record)
    assert len(got) == 10
    assert len(list(extract_paths([corpus], errors="ignore"))) == 10


def test_iter_results_reports_every_input_with_its_status(corpus: Path) -> None:
    (corpus / "b" / "anteckning.docx").write_bytes(b"PK\x03\x04")
    results = list(iter_results([corpus, corpus / "saknas.pdf"]))
    assert [r.status for r in results] == ["ok", "ok", "skipped", "ok", "ok", "ok", "error"]
    assert [r.index for r in results] == list(range(7))
    assert results[0].cases == 2 and results[0].records()[0].case_number == 1


# -- incremental runs -----------------------------------------------------------------------


def _cli(*args: str) -> object:
    return runner.invoke(app, ["extract", *args])


def test_rerun_reuses_unchanged_inputs_and_redoes_changed_and_forced(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ut"
    assert _cli(str(corpus), "--out", str(out), "-j", "0").exit_code == 0
    first = (out / "records.jsonl").read_bytes()
    assert len(list((out / "cache").glob("*.jsonl"))) == 5

    result = _cli(str(corpus), "--out", str(out), "-j", "0")
    assert result.exit_code == 0 and "5 unchanged" in result.stderr
    assert (out / "records.jsonl").read_bytes() == first
    assert all(e["cached"] for e in _manifest(out)["inputs"])

    (corpus / "b" / "ost.txt").write_text(hard_wrapped(swedish_report(999, cases=3)))
    assert _cli(str(corpus), "--out", str(out), "-j", "0").exit_code == 0
    entries = {Path(e["path"]).name: e for e in _manifest(out)["inputs"]}
    assert not entries["ost.txt"]["cached"] and entries["ost.txt"]["cases"] == 3
    assert all(e["cached"] for name, e in entries.items() if name != "ost.txt")
    lines = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    expected = [r.to_json_line() for p in discover([corpus]) for r in extract_file(p.path)]
    assert lines == expected

    forced = _cli(str(corpus), "--out", str(out), "-j", "0", "--force")
    assert forced.exit_code == 0, forced.output
    assert not any(e["cached"] for e in _manifest(out)["inputs"])
    assert (out / "records.jsonl").read_text(encoding="utf-8").splitlines() == expected


def test_removed_inputs_leave_the_records_and_the_cache(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    assert _cli(str(corpus), "--out", str(out), "-j", "0").exit_code == 0
    removed = corpus / "b" / "c" / "vast.txt"
    record_id = extract_file(removed)[0].record_id
    assert record_id in (out / "records.jsonl").read_text(encoding="utf-8")
    removed.unlink()
    assert _cli(str(corpus), "--out", str(out), "-j", "0").exit_code == 0
    assert record_id not in (out / "records.jsonl").read_text(encoding="utf-8")
    assert len(_manifest(out)["inputs"]) == 4
    assert len(list((out / "cache").glob("*.jsonl"))) == 4


def test_a_moved_file_reuses_its_records_under_the_new_path(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    assert _cli(str(corpus), "--out", str(out), "-j", "0").exit_code == 0
    shutil.move(corpus / "mitt.txt", corpus / "a" / "flyttad.txt")
    assert _cli(str(corpus), "--out", str(out), "-j", "0").exit_code == 0
    entries = {Path(e["path"]).name: e for e in _manifest(out)["inputs"]}
    assert entries["flyttad.txt"]["cached"]
    fresh = [r.to_json_line() for r in extract_file(corpus / "a" / "flyttad.txt")]
    lines = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert all(line in lines for line in fresh)  # byte-identical, path included


def test_cache_is_only_valid_for_its_pipeline_version_and_options(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ut"
    assert _cli(str(corpus), "--out", str(out), "-j", "0").exit_code == 0
    sha = _manifest(out)["inputs"][0]["sha256"]
    path = _manifest(out)["inputs"][0]["path"]
    version = _manifest(out)["pipeline_version"]
    assert ResultCache(out / "cache", version, ExtractOptions()).load(sha, path) is not None
    assert ResultCache(out / "cache", "0" * 16, ExtractOptions()).load(sha, path) is None
    assert ResultCache(out / "cache", version, ExtractOptions(max_pages=2)).load(sha, path) is None
    result = _cli(str(corpus), "--out", str(out), "-j", "0", "--max-pages", "2")
    assert result.exit_code == 0 and "0 unchanged" in result.stderr


def test_a_cut_short_cache_file_is_extracted_again(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    assert _cli(str(corpus), "--out", str(out), "-j", "0").exit_code == 0
    before = (out / "records.jsonl").read_bytes()
    entry = next(e for e in _manifest(out)["inputs"] if e["status"] == "ok" and e["cases"])
    cache_file = out / "cache" / f"{entry['sha256']}.jsonl"
    cache_file.write_bytes(cache_file.read_bytes()[:-10])  # the last record loses its end
    assert _cli(str(corpus), "--out", str(out), "-j", "0").exit_code == 0
    entries = {e["path"]: e for e in _manifest(out)["inputs"]}
    assert not entries[entry["path"]]["cached"]
    ok = [e for e in entries.values() if e["status"] == "ok"]
    assert sum(e["cached"] for e in ok) == len(ok) - 1
    assert (out / "records.jsonl").read_bytes() == before


def test_same_content_twice_is_extracted_once(corpus: Path, tmp_path: Path) -> None:
    shutil.copy(corpus / "mitt.txt", corpus / "kopia.txt")
    out = tmp_path / "ut"
    assert _cli(str(corpus), "--out", str(out), "-j", "0").exit_code == 0
    entries = {Path(e["path"]).name: e for e in _manifest(out)["inputs"]}
    # kopia.txt comes first in input order, so mitt.txt is the duplicate
    assert entries["kopia.txt"]["status"] == "ok" and entries["mitt.txt"]["status"] == "skipped"
    assert entries["mitt.txt"]["error"].endswith(
        f"mitt.txt: same content as {corpus / 'kopia.txt'} (its records are listed once)"
    )
    ids = [json.loads(line)["record_id"] for line in (out / "records.jsonl").open()]
    assert len(ids) == len(set(ids)) == 10


def test_one_run_at_a_time_per_output_folder(corpus: Path, tmp_path: Path) -> None:
    with Batch([corpus], out_dir=tmp_path / "ut"), pytest.raises(UsageError, match="another"):
        Batch([corpus], out_dir=tmp_path / "ut")


# -- determinism and the CLI ----------------------------------------------------------------


def test_records_and_manifest_identical_for_any_worker_count(corpus: Path, tmp_path: Path) -> None:
    (corpus / "tom.txt").write_bytes(b"")
    (corpus / "bild.png").write_bytes(b"\x89PNG")
    # PDFs are read ahead by a helper while a 2-worker pool loads the pipeline.
    batchgen.write_pdf(corpus / "a" / "rapport.pdf", swedish_report(7, cases=2))
    batchgen.write_pdf(corpus / "b" / "rapport.pdf", swedish_report(8, cases=3))
    (corpus / "trasig.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<")
    runs = {}
    for workers in ("0", "2"):
        out = tmp_path / f"ut{workers}"
        result = _cli(str(corpus), "--out", str(out), "--workers", workers)
        assert result.exit_code == 1, result.output  # tom.txt failed
        runs[workers] = ((out / "records.jsonl").read_bytes(), _without_timing(_manifest(out)))
    assert runs["0"] == runs["2"]
    stream = _cli(str(corpus), "--out", "-", "-j", "2")
    assert stream.stdout.encode("utf-8") == runs["0"][0]


def test_from_list_reads_stdin_and_files_and_plain_log_lines(corpus: Path, tmp_path: Path) -> None:
    listing = f"# veckans rapporter\n{corpus / 'mitt.txt'}\n\n{corpus / 'a'}\n"
    result = runner.invoke(
        app, ["extract", "--from-list", "-", "--out", "-", "-j", "0"], input=listing
    )
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 6
    assert f"ok: {corpus / 'a' / 'syd.md'} (2 cases" in result.stderr
    list_file = tmp_path / "lista.txt"
    list_file.write_text(listing)
    quiet = _cli(str(corpus / "b"), "--from-list", str(list_file), "--out", "-", "-q", "-j", "0")
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert len(quiet.stdout.splitlines()) == 10


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--from-list", "/finns/inte.txt"],
        ["{corpus}", "--workers", "-1"],
        ["{corpus}", "--timeout", "0"],
        ["{corpus}", "--max-pages", "0"],
        ["{corpus}", "--executor", "moln"],
    ],
)
def test_usage_errors_exit_2_without_traceback(corpus: Path, args: list[str]) -> None:
    result = _cli(*[a.replace("{corpus}", str(corpus)) for a in args])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "error:" in result.stderr


def test_cached_records_may_contain_unicode_line_separators(tmp_path: Path) -> None:
    # U+2029 stays unescaped in JSON with ensure_ascii=False (here in a file name, so in
    # document.path); a record is still one line of records.jsonl and of its cache file.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "rad\u2029brytning.txt").write_text(
        "Exempel 1: Stöd i Malmö\n\nMalmö stad fick stöd från regionalfonden 2019.",
        encoding="utf-8",
    )
    out = tmp_path / "ut"
    first = list(iter_results(tmp_path / "in", out_dir=out))
    assert first[0].status == "ok" and "\u2029" in first[0].lines[0]
    data = (out / "records.jsonl").read_bytes()
    again = list(iter_results(tmp_path / "in", out_dir=out))
    assert again[0].cached and (out / "records.jsonl").read_bytes() == data
    assert len(data.decode("utf-8").split("\n")) == 2
