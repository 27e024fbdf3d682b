"""One batch over everything a real folder of reports can contain, through the real CLI.

Good documents must all come out with their records; every bad input must be in the manifest
with a message naming the file; nothing may print a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import extract_file
from pipeline.batch import Batch, discover
from tests.batchgen import (
    hard_wrapped,
    swedish_report,
    write_image_only_pdf,
    write_pdf,
    write_whitespace_pdf,
    write_zero_page_pdf,
)

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 12  # seconds per document: the huge inputs may hit it, the good ones never should


def _unreadable(path: Path) -> bool:
    """Make `path` a file that cannot be read; False if this machine cannot provide one.

    chmod 000 does not stop root, but a write-only sysctl refuses even root.
    """
    if os.geteuid() != 0:
        path.write_text("Exempel 1: hemligt")
        path.chmod(0)
        return True
    target = Path("/proc/sys/vm/drop_caches")
    try:
        target.read_bytes()
    except PermissionError:
        path.symlink_to(target)
        return True
    except OSError:
        return False
    return False


@pytest.fixture(scope="module")
def battery(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("battery")
    folder = base / "inkorg"
    folder.mkdir()
    report = hard_wrapped(swedish_report(1, cases=2, paragraphs=2))
    good = {
        "bra_rapport.txt": report,
        "bra_anteckningar.md": hard_wrapped(swedish_report(2, cases=1, paragraphs=2)),
        "Årsrapport_Göteborg_åäö.txt": hard_wrapped(swedish_report(3, cases=2, paragraphs=1)),
        "rapport_" + "å" * 100 + ".txt": hard_wrapped(swedish_report(4, cases=1, paragraphs=1)),
        "VERSALER.TXT": hard_wrapped(swedish_report(5, cases=1, paragraphs=1)),
    }
    for name, text in good.items():
        (folder / name).write_text(text, encoding="utf-8")
    write_pdf(folder / "bra_rapport.pdf", swedish_report(6, cases=2, paragraphs=2))
    (folder / "mapp.pdf").mkdir()  # a folder with a document's name is searched, not read
    (folder / "mapp.pdf" / "inne.txt").write_text(hard_wrapped(swedish_report(7, cases=1)))
    gothenburg = "Exempel 1: Stöd i Göteborg\n\nGöteborgs Stad fick stöd från regionalfonden 2019."
    (folder / "utf16.txt").write_bytes(gothenburg.encode("utf-16"))
    (folder / "cp1252.txt").write_bytes(gothenburg.replace("Stöd", "Insatser").encode("cp1252"))
    (folder / "nul_spridda.txt").write_bytes(report.encode() + b"\x00\x00" + b"slut.\n")
    (folder / "blandat_sprak.txt").write_text(
        "Exempel 1: Cooperation across borders i Haparanda och Torneå\n\n"
        "The project was funded by the ERDF. Hankkeen rahoitti Euroopan aluekehitysrahasto. "
        "Projektet i Haparanda fick 4 miljoner kronor 2018. 项目 مشروع проект.\n",
        encoding="utf-8",
    )
    (folder / "crlf_bom.txt").write_bytes(("\ufeff" + report.replace("\n", "\r\n")).encode("utf-8"))

    bad: dict[str, tuple[str, str]] = {}  # name -> (status, phrase in the message)
    (folder / "tom.txt").write_bytes(b"")
    bad["tom.txt"] = ("error", "empty file")
    (folder / "bara_blanksteg.txt").write_text("   \n\t\n   \n")
    bad["bara_blanksteg.txt"] = ("error", "empty")
    (folder / "skrap.pdf").write_bytes(os.urandom(4096))
    bad["skrap.pdf"] = ("error", "not a PDF")
    whole = write_pdf(base / "hel.pdf", swedish_report(8)).read_bytes()
    (folder / "avkortad.pdf").write_bytes(whole[: len(whole) // 2])
    bad["avkortad.pdf"] = ("error", "truncated")
    write_pdf(folder / "krypterad.pdf", swedish_report(9), encrypt="hemligt")
    bad["krypterad.pdf"] = ("error", "encrypted")
    write_zero_page_pdf(folder / "noll_sidor.pdf")
    # "no pages" when read alone; see test_pdf_errors_do_not_leak_between_documents.
    bad["noll_sidor.pdf"] = ("error", "PDF")
    write_whitespace_pdf(folder / "blanksteg.pdf")
    bad["blanksteg.pdf"] = ("error", "no extractable text")
    (folder / "nul_binar.txt").write_bytes(b"Exempel 1\x00" * 50 + bytes(range(256)) * 20)
    bad["nul_binar.txt"] = ("error", "binary")
    (folder / "anteckning.docx").write_bytes(b"PK\x03\x04" + os.urandom(200))
    bad["anteckning.docx"] = ("skipped", "unsupported file type '.docx'")
    (folder / "diagram.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    bad["diagram.png"] = ("skipped", "unsupported file type '.png'")
    (folder / "trasig_lank.txt").symlink_to(folder / "finns_inte.txt")
    bad["trasig_lank.txt"] = ("error", "broken symbolic link")
    (folder / "undermapp").mkdir()
    (folder / "undermapp" / "loop").symlink_to("..")
    bad["loop"] = ("skipped", "already searched")
    os.mkfifo(folder / "ror.txt")  # reading a pipe would block the batch forever
    bad["ror.txt"] = ("skipped", "not a regular file")
    if _unreadable(folder / "olasbar.txt"):
        bad["olasbar.txt"] = ("error", "permission denied")
    deleted = base / "borttagen.txt"
    deleted.write_text(report)
    missing = base / "aldrig_funnits.txt"
    listing = base / "lista.txt"
    listing.write_text(f"# från arkivet\n{deleted}\n\n{missing}\n", encoding="utf-8")
    deleted.unlink()  # listed, then gone before the batch reached it
    bad["borttagen.txt"] = ("error", "file not found")
    bad["aldrig_funnits.txt"] = ("error", "file not found")

    # Big inputs: processed, or stopped by --timeout with a clear message; never a crash.
    sentences = " ".join(swedish_report(seed).replace("\n", " ") for seed in range(10, 40))
    (folder / "en_enda_rad.txt").write_text(
        (sentences + " ") * (3_000_000 // len(sentences) + 1), encoding="utf-8"
    )
    big = "\n\n".join(hard_wrapped(swedish_report(seed)) for seed in range(100, 140))
    (folder / "tio_mb.txt").write_text(big * (10_000_000 // len(big) + 1), encoding="utf-8")
    write_image_only_pdf(folder / "skannad.pdf", swedish_report(11, cases=1, paragraphs=1))
    heavy = ["en_enda_rad.txt", "tio_mb.txt", "skannad.pdf"]

    out = base / "ut"
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline.cli",
            "extract",
            str(folder),
            "--from-list",
            str(listing),
            "--out",
            str(out),
            "--workers",
            "2",
            "--timeout",
            str(TIMEOUT),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    records = [json.loads(line) for line in (out / "records.jsonl").open(encoding="utf-8")]
    return {
        "process": process,
        "manifest": manifest,
        "records": records,
        "folder": folder,
        "good": [
            *good,
            "bra_rapport.pdf",
            "inne.txt",
            "utf16.txt",
            "cp1252.txt",
            "nul_spridda.txt",
            "blandat_sprak.txt",
            "crlf_bom.txt",
        ],
        "bad": bad,
        "heavy": heavy,
        # Unusual inputs that are still good documents: names, encodings, layouts.
        "odd": [
            *list(good)[2:],
            "mapp.pdf",
            "utf16.txt",
            "cp1252.txt",
            "nul_spridda.txt",
            "blandat_sprak.txt",
            "crlf_bom.txt",
        ],
    }


def _entries(battery: dict) -> dict[str, dict]:
    return {Path(entry["path"]).name: entry for entry in battery["manifest"]["inputs"]}


def test_at_least_twenty_kinds_of_bad_input_in_one_batch(battery: dict) -> None:
    assert len(battery["bad"]) + len(battery["heavy"]) + len(battery["odd"]) >= 20
    assert battery["process"].returncode == 1  # some inputs failed


def test_no_traceback_and_errors_named_on_stderr(battery: dict) -> None:
    process = battery["process"]
    assert "Traceback" not in process.stderr and "Traceback" not in process.stdout
    for name, (status, _) in battery["bad"].items():
        if status == "error":
            assert name in process.stderr


def test_every_good_document_has_its_records(battery: dict) -> None:
    entries = _entries(battery)
    by_path: dict[str, int] = {}
    for record in battery["records"]:
        by_path[record["document"]["path"]] = by_path.get(record["document"]["path"], 0) + 1
    for name in battery["good"]:
        entry = entries[name]
        assert entry["status"] == "ok", entry
        assert entry["cases"] >= 1 and by_path[entry["path"]] == entry["cases"]
    assert sum(by_path.values()) == len(battery["records"])
    # Records are those of the same files extracted one by one, in input order.
    folder = battery["folder"]
    text_record = next(
        r for r in battery["records"] if r["document"]["path"].endswith("bra_rapport.txt")
    )
    expected = extract_file(folder / "bra_rapport.txt")[0]
    assert text_record == json.loads(expected.to_json_line())


def test_encodings_are_decoded_not_garbled(battery: dict) -> None:
    records = {Path(r["document"]["path"]).name: r for r in battery["records"]}
    for name in ("utf16.txt", "cp1252.txt"):
        assert [c["name"] for c in records[name]["cities"]] == ["Göteborg"], name
        assert "Göteborg" in records[name]["title"]
    warnings = _entries(battery)
    assert any("UTF-16" in w for w in warnings["utf16.txt"]["warnings"])
    assert any("cp1252" in w for w in warnings["cp1252.txt"]["warnings"])
    assert any("NUL" in w for w in warnings["nul_spridda.txt"]["warnings"])


def test_every_bad_input_is_in_the_manifest_with_a_clear_message(battery: dict) -> None:
    entries = _entries(battery)
    for name, (status, phrase) in battery["bad"].items():
        entry = entries[name]
        assert entry["status"] == status, entry
        assert name in entry["error"] and phrase in entry["error"], entry
        assert "\n" not in entry["error"] and "Traceback" not in entry["error"]
        assert entry["cases"] == 0


def test_heavy_inputs_are_extracted_or_stopped_cleanly(battery: dict) -> None:
    entries = _entries(battery)
    for name in battery["heavy"]:
        entry = entries[name]
        if entry["status"] == "error":
            # A time limit or a clear reason (no OCR engine, no text on the scan).
            assert name in entry["error"] and "internal error" not in entry["error"], entry
        else:
            assert entry["status"] == "ok" and entry["cases"] >= 1, entry
    big = entries["tio_mb.txt"]
    assert big["status"] == "ok" or big["error"].endswith(f"timed out after {TIMEOUT} s")


def test_the_manifest_accounts_for_every_input(battery: dict) -> None:
    manifest = battery["manifest"]
    names = [Path(entry["path"]).name for entry in manifest["inputs"]]
    assert len(names) == len(set(names)) == manifest["documents"]
    assert set(names) == set(battery["good"]) | set(battery["bad"]) | set(battery["heavy"])
    assert manifest["ok"] + manifest["errors"] + manifest["skipped"] == manifest["documents"]
    assert manifest["records"] == len(battery["records"])


def test_a_file_deleted_after_discovery_becomes_an_error(tmp_path: Path) -> None:
    for number in range(3):
        (tmp_path / f"r{number}.txt").write_text(swedish_report(number, cases=1, paragraphs=1))
    items = discover([tmp_path])
    (tmp_path / "r1.txt").unlink()
    with Batch(items=items) as batch:
        results = sorted(batch.results(), key=lambda r: r.index)
    assert [r.status for r in results] == ["ok", "error", "ok"]
    assert results[1].error == f"{tmp_path / 'r1.txt'}: file not found"


def test_pdf_errors_do_not_leak_between_documents(tmp_path: Path) -> None:
    """A worker reads many PDFs: one document's failure must not colour the next one's."""
    from pipeline.errors import IngestError
    from pipeline.ingest import ingest_file

    encrypted = write_pdf(tmp_path / "krypterad.pdf", swedish_report(9), encrypt="hemligt")
    empty = write_zero_page_pdf(tmp_path / "noll_sidor.pdf")
    messages = []
    for path in (empty, encrypted, empty):
        with pytest.raises(IngestError) as caught:
            ingest_file(path)
        messages.append(str(caught.value).rsplit(": ", 1)[1])
    assert messages[0] == messages[2] == "PDF has no pages"
