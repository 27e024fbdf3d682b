"""The Dask executor against a LocalCluster: same records as a local run, errors reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.batch import iter_results
from pipeline.cli import app
from pipeline.executors import DaskExecutor
from tests import batchgen
from tests.batchgen import hard_wrapped, swedish_report, write_pdf

distributed = pytest.importorskip("dask.distributed")


def _cluster(workers: int, processes: bool):  # type: ignore[no-untyped-def]
    return distributed.LocalCluster(
        n_workers=workers, processes=processes, threads_per_worker=1, dashboard_address=None
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dask") / "rapporter"
    folder.mkdir()
    for number in range(3):
        (folder / f"rapport_{number}.txt").write_text(
            hard_wrapped(swedish_report(300 + number, cases=2, paragraphs=1))
        )
    write_pdf(folder / "rapport_3.pdf", swedish_report(303, cases=2, paragraphs=1))
    (folder / "tom.txt").write_bytes(b"")
    (folder / "bild.png").write_bytes(b"\x89PNG")
    return folder


@pytest.fixture(scope="module")
def local_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lokal")
    list(iter_results(corpus, out_dir=out))
    return out


def _entries(folder: Path) -> list[dict]:
    """Manifest entries without timing; the version-mismatch note only appears when the code
    changed on disk during the test (workers hash the files later than this process)."""
    entries = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    for entry in entries:
        del entry["seconds"]
        entry["warnings"] = [w for w in entry["warnings"] if "pipeline version" not in w]
    return entries


def _same_outputs(out: Path, reference: Path) -> None:
    assert (out / "records.jsonl").read_bytes() == (reference / "records.jsonl").read_bytes()
    assert _entries(out) == _entries(reference)


def test_in_process_cluster_gives_the_records_of_a_local_run(
    corpus: Path, local_run: Path, tmp_path: Path
) -> None:
    with _cluster(1, processes=False) as cluster:
        results = list(
            iter_results(
                corpus, executor="dask", scheduler=cluster.scheduler_address, out_dir=tmp_path
            )
        )
    assert [r.status for r in results] == ["skipped", "ok", "ok", "ok", "ok", "error"]
    assert results[4].path.endswith("rapport_3.pdf") and results[4].pages == 1
    assert results[5].error == f"{corpus / 'tom.txt'}: empty file"
    _same_outputs(tmp_path, local_run)


def test_cli_on_a_two_process_cluster(corpus: Path, local_run: Path, tmp_path: Path) -> None:
    with _cluster(2, processes=True) as cluster:
        result = CliRunner().invoke(
            app,
            [
                "extract",
                str(corpus),
                "--out",
                str(tmp_path),
                "--scheduler",
                cluster.scheduler_address,
            ],
        )
    assert result.exit_code == 1  # tom.txt
    assert "Traceback" not in result.output
    _same_outputs(tmp_path, local_run)


def test_dask_executor_reports_task_errors_and_time_limits() -> None:
    jobs = ["ett", "raise", "två", "hang"]
    with _cluster(2, processes=True) as cluster, distributed.Client(cluster) as client:
        executor = DaskExecutor(batchgen.misbehaving_task, client=client, timeout=5)
        outcomes = []
        for job in jobs:
            while len(executor._futures) >= executor.slots:
                outcomes.extend(executor.wait())
            executor.submit(job)
        while len(outcomes) < len(jobs):
            outcomes.extend(executor.wait())
        executor.close()
    by_job = {o.job: o for o in outcomes}
    assert by_job["ett"].result == "ETT" and by_job["två"].result == "TVÅ"
    assert by_job["raise"].failure == "ValueError: ett fel i uppgiften"
    assert by_job["hang"].failure == "timed out after 5 s"


def test_unreachable_scheduler_is_a_usage_error(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pipeline.executors.DASK_CONNECT_TIMEOUT", "2s")
    result = CliRunner().invoke(
        app,
        ["extract", str(corpus), "--out", str(tmp_path), "--scheduler", "tcp://127.0.0.1:9"],
    )
    assert result.exit_code == 2
    assert "cannot connect to the Dask scheduler tcp://127.0.0.1:9" in result.stderr
