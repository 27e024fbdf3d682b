"""Batch: many inputs → records + manifest. A bad document never stops the batch.

The parent process discovers the inputs, hashes each one, reuses the records of unchanged
inputs from the output folder's cache and sends the rest to an executor (this process, a
local worker pool or a Dask cluster). Each finished document's records are cached at once,
atomically, so a killed run resumes where it stopped; records.jsonl and manifest.json are
replaced only at the very end, in input order, so they are identical for any worker count.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import re
import stat
import tempfile
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Literal

from .errors import CasebookError, IngestError, UsageError
from .ingest import PDF_SUFFIXES, SUPPORTED_SUFFIXES, decode_text, read_bytes, sha256_of
from .outputs import write_atomic, write_json_atomic, write_text_blocks_atomic
from .versions import SCHEMA_VERSION

if TYPE_CHECKING:
    from .executors import Executor, Outcome
    from .ingest import SourceDocument
    from .records import CaseRecord

CACHE_DIR = "cache"
LOCK_FILE = ".casebook.lock"
RECORDS_FILE = "records.jsonl"
MANIFEST_FILE = "manifest.json"
_GLOB_MAGIC = re.compile(r"[*?[]")
# Imported once in the local pool's fork server so each worker only has to build the pipeline.
_WORKER_PRELOAD = ("spacy", "pipeline.nlp", "pipeline.assemble", "pipeline.components")


@dataclass(frozen=True)
class ExtractOptions:
    """Per-document options: everything that can change a document's records."""

    pdf_backend: str | None = None
    max_pages: int | None = None
    ocr: bool = True


@dataclass
class InputItem:
    """One input found by discovery; `status` is set when it is known to need no processing."""

    index: int
    path: str
    status: Literal["skipped", "error"] | None = None
    message: str | None = None


@dataclass
class Job:
    """One document to extract. Local workers read `path`; remote ones get `data`."""

    index: int
    path: str
    sha256: str
    options: ExtractOptions
    data: bytes | None = None
    # Local workers write the document's cache file themselves, the moment it is done: the
    # writes (with their fsync) run in parallel, not one after another in the main process.
    cache: ResultCache | None = None
    # Read ahead by a helper while the pipeline loaded (see read_ahead_job): the document and
    # the seconds that took.
    document: SourceDocument | None = None
    read_seconds: float = 0.0


@dataclass
class DocumentResult:
    """What happened to one input: its records (as JSONL lines) or its error."""

    index: int
    path: str
    status: Literal["ok", "error", "skipped"]
    sha256: str | None = None
    error: str | None = None
    lines: list[str] = field(default_factory=list)
    cases: int = 0
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)
    cached: bool = False
    seconds: float = 0.0
    version: str | None = None  # pipeline version of the process that extracted it
    stored: bool = False  # its cache file was written by the worker

    def records(self) -> list[CaseRecord]:
        from .records import CaseRecord

        return [CaseRecord.model_validate_json(line) for line in self.lines]

    def manifest_entry(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "status": self.status,
            "error": self.error,
            "cases": self.cases,
            "pages": self.pages,
            "cached": self.cached,
            "seconds": round(self.seconds, 3),
            "warnings": self.warnings,
        }


# -- discovery ------------------------------------------------------------------------------


def parse_path_list(text: str) -> list[str]:
    """Paths of a --from-list file: one per line; blank lines and # comments ignored."""
    paths = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            paths.append(line)
    return paths


class _Discovery:
    def __init__(self, exclude: Iterable[str | Path]) -> None:
        self.items: list[InputItem] = []
        self._listed: set[str] = set()
        self._folders: dict[str, str] = {}  # real path → how it was first reached
        self._exclude = {os.path.realpath(path) for path in exclude}

    def add_input(self, raw: str) -> None:
        if os.path.lexists(raw):
            self._visit(raw)
        elif _GLOB_MAGIC.search(raw):
            # Expanded here so quoted patterns work and "**" recurses in every shell.
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                self._list(raw, "error", f"{raw}: no files match this pattern")
            for match in matches:
                self._visit(match)
        else:
            self._list(raw, "error", f"{raw}: file not found")

    def _list(self, path: str, status: Any = None, message: str | None = None) -> None:
        if path not in self._listed:
            self._listed.add(path)
            self.items.append(InputItem(len(self.items), path, status, message))

    def _visit(self, path: str) -> None:
        try:
            info = os.stat(path)
        except OSError as exc:
            if os.path.islink(path):
                self._list(path, "error", f"{path}: broken symbolic link (target missing)")
            else:
                self._list(path, "error", f"{path}: cannot read: {exc.strerror or exc}")
            return
        if stat.S_ISDIR(info.st_mode):
            self._walk(path)
        elif not stat.S_ISREG(info.st_mode):
            self._list(path, "skipped", f"{path}: not a regular file (pipe, socket or device)")
        elif Path(path).suffix.lower() not in SUPPORTED_SUFFIXES:
            suffix = Path(path).suffix or "(none)"
            self._list(path, "skipped", f"{path}: unsupported file type {suffix!r}")
        else:
            self._list(path)

    def _walk(self, folder: str) -> None:
        real = os.path.realpath(folder)
        if real in self._exclude:
            return
        if real in self._folders:
            # A symlink back to a folder being searched would otherwise recurse forever.
            first = self._folders[real]
            self._list(folder, "skipped", f"{folder}: folder already searched as {first}")
            return
        self._folders[real] = folder
        try:
            with os.scandir(folder) as scan:
                names = sorted(entry.name for entry in scan)
        except OSError as exc:
            self._list(folder, "error", f"{folder}: cannot list folder: {exc.strerror or exc}")
            return
        for name in names:
            if not name.startswith("."):  # hidden files and folders (.git, .cache) are not inputs
                self._visit(os.path.join(folder, name))


def discover(
    inputs: Iterable[str | Path], *, exclude: Iterable[str | Path] = ()
) -> list[InputItem]:
    """Files from files, folders (recursive), glob patterns; skips and errors in input order."""
    discovery = _Discovery(exclude)
    for item in inputs:
        discovery.add_input(str(item))
    return discovery.items


# -- per-document work (runs in workers) ----------------------------------------------------


def _ingest_shipped(path: str, data: bytes, options: ExtractOptions) -> Any:
    """A SourceDocument from bytes shipped to a remote worker (mirrors ingest.ingest_file)."""
    from .ingest import ingest_pdf, ingest_text

    suffix = PurePath(path).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(f"unsupported file type {suffix or '(none)'!r}", path=path)
    if not data.strip():
        raise IngestError("empty file", path=path)
    if suffix in PDF_SUFFIXES:
        # The PDF readers want a file: write the bytes to a private temporary one.
        with tempfile.TemporaryDirectory(prefix="casebook-") as folder:
            local = Path(folder) / (PurePath(path).name or "document.pdf")
            local.write_bytes(data)
            try:
                document = ingest_pdf(
                    local,
                    data,
                    backend=options.pdf_backend,
                    max_pages=options.max_pages,
                    ocr=options.ocr,
                )
            except IngestError as exc:
                raise IngestError(str(exc).replace(str(local), path)) from None
        document.path = path
        document.warnings = [w.replace(str(local), path) for w in document.warnings]
        return document
    text, warnings = decode_text(data, path)
    document = ingest_text(text, path, sha256_of(data))
    document.warnings[:0] = warnings
    return document


@lru_cache(maxsize=1)
def worker_version() -> str:
    from .nlp import pipeline_version

    return pipeline_version()


def _ingest_job(job: Job) -> SourceDocument:
    from .ingest import ingest_file

    if job.document is not None:
        return job.document
    if job.data is not None:
        return _ingest_shipped(job.path, job.data, job.options)
    options = job.options
    return ingest_file(
        job.path, pdf_backend=options.pdf_backend, max_pages=options.max_pages, ocr=options.ocr
    )


def read_ahead_job(job: Job) -> Job:
    """The job with its document read (the part that needs no spaCy), for a worker to finish.

    Any failure is raised: the job then goes to a worker as it was, which reads it again and
    reports the failure exactly as without read-ahead.
    """
    started = time.perf_counter()
    document = _ingest_job(job)
    return replace(job, document=document, read_seconds=time.perf_counter() - started)


def read_ahead_priority(job: Job) -> int:
    """PDFs only: reading one is half its cost and ships back small. A text document's lines
    cost the main process nearly as much to pass on as they cost to read, and with a helper
    and the loading zygote already on two cores, that time is taken from the load."""
    if job.document is not None or job.data is not None:
        return 0
    return 1 if PurePath(job.path).suffix.lower() in PDF_SUFFIXES else 0


def init_reader() -> None:
    """Once per read-ahead helper: quiet library chatter, load the PDF readers."""
    import logging
    import warnings

    from . import ingest, pdf  # noqa: F401  (imported now, not inside the first document)

    warnings.simplefilter("ignore")
    for name in ("pdfminer", "pypdfium2", "PIL"):
        logging.getLogger(name).setLevel(logging.ERROR)


def extract_job(job: Job) -> DocumentResult:
    """Extract one document; every failure becomes an error result with a one-line message."""
    from .assemble import extract_document

    started = time.perf_counter()
    result = DocumentResult(job.index, job.path, "ok", sha256=job.sha256)
    try:
        document = _ingest_job(job)
        result.sha256 = document.sha256
        result.pages = document.page_count
        records = extract_document(document)
        result.lines = [record.to_json_line() for record in records]
        result.cases = len(result.lines)
        result.warnings = list(
            dict.fromkeys([*document.warnings, *(w for r in records for w in r.warnings)])
        )
    except CasebookError as exc:
        result.status, result.error = "error", str(exc)
    except MemoryError:
        result.status, result.error = "error", f"{job.path}: out of memory while extracting"
    except Exception as exc:  # a bug must not stop the batch; keep its origin for a report
        origin = traceback.extract_tb(exc.__traceback__)[-1]
        result.status = "error"
        result.error = (
            f"{job.path}: internal error {type(exc).__name__}: {exc} "
            f"(at {Path(origin.filename).name}:{origin.lineno})"
        )
    if result.status == "error":
        result.lines, result.cases = [], 0
    result.seconds = time.perf_counter() - started + job.read_seconds
    result.version = worker_version()
    if job.cache is not None and result.status == "ok":
        # A failed write is left to the main process, which retries and reports it.
        with contextlib.suppress(OSError):
            job.cache.store(result)
            result.stored = True
    return result


_WORKER_READY = False


def init_worker() -> None:
    """Once per worker process: quiet library chatter, load the spaCy pipeline."""
    global _WORKER_READY
    if _WORKER_READY:
        return
    import logging
    import warnings

    from .nlp import load_nlp

    # Warnings from PDF libraries would be printed once per worker over the progress bar;
    # what matters about a document reaches the manifest through the ingest warnings.
    warnings.simplefilter("ignore")
    for name in ("pdfminer", "pypdfium2", "PIL"):
        logging.getLogger(name).setLevel(logging.ERROR)
    load_nlp()
    worker_version()
    _WORKER_READY = True


def extract_shipped(job: Job) -> DocumentResult:
    """The task a Dask worker runs: set the process up once, then extract from bytes."""
    init_worker()
    return extract_job(job)


def _load_nlp_here() -> None:
    from .nlp import load_nlp

    load_nlp()


# -- the cache of per-document records ------------------------------------------------------


def _with_path(line: str, path: str) -> str:
    """A cached record line with `document.path` set to where the content is now."""
    data = json.loads(line)
    data["document"]["path"] = path
    # Same separators and ensure_ascii as CaseRecord.to_json_line, so bytes are identical.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class ResultCache:
    """`cache/<sha256>.jsonl`: a header line, then the document's records as written.

    A file is valid only for the pipeline version and extraction options that wrote it.
    """

    def __init__(self, folder: Path, version: str, options: ExtractOptions) -> None:
        self.folder = folder
        self.version = version
        self.options = asdict(options)
        folder.mkdir(parents=True, exist_ok=True)

    def path_of(self, sha256: str) -> Path:
        return self.folder / f"{sha256}.jsonl"

    def read(self, sha256: str) -> tuple[dict[str, Any], bytes] | None:
        """The header and the records (whole UTF-8 lines) of a valid cache file, else None."""
        try:
            data = self.path_of(sha256).read_bytes()
            header_line, _, body = data.partition(b"\n")
            header = json.loads(header_line)
        except (OSError, ValueError):
            return None
        if body and not body.endswith(b"\n"):
            return None  # cut short
        # Counting "\n", not splitlines(): records may hold U+2028 or U+0085 unescaped.
        if (
            not isinstance(header, dict)
            or header.get("sha256") != sha256
            or header.get("pipeline_version") != self.version
            or header.get("options") != self.options
            or header.get("records") != body.count(b"\n")
        ):
            return None
        return header, body

    def load(self, sha256: str, path: str) -> DocumentResult | None:
        found = self.read(sha256)
        if found is None:
            return None
        header, body = found
        try:
            lines = body.decode("utf-8").split("\n")[:-1]
        except UnicodeDecodeError:
            return None
        if header.get("path") != path:
            lines = [_with_path(line, path) for line in lines]
        return DocumentResult(
            -1,
            path,
            "ok",
            sha256=sha256,
            lines=lines,
            cases=len(lines),
            pages=header.get("pages"),
            warnings=header.get("warnings", []),
            cached=True,
            version=self.version,
        )

    def records_bytes(self, sha256: str, path: str) -> bytes | None:
        """The cached records as JSONL (whole lines, UTF-8) with `path` as document.path."""
        found = self.read(sha256)
        if found is None:
            return None
        header, body = found
        if header.get("path") == path:
            return body  # as written (and decoded once already, by load): copied as bytes
        lines = body.decode("utf-8").split("\n")[:-1]
        return "".join(_with_path(line, path) + "\n" for line in lines).encode("utf-8")

    def store(self, result: DocumentResult) -> None:
        header = {
            "sha256": result.sha256,
            "pipeline_version": self.version,
            "options": self.options,
            "path": result.path,
            "pages": result.pages,
            "warnings": result.warnings,
            "records": len(result.lines),
        }
        text = "".join(
            line + "\n" for line in [json.dumps(header, ensure_ascii=False), *result.lines]
        )
        write_atomic(self.path_of(result.sha256 or ""), text.encode("utf-8"))

    def prune(self, keep: set[str]) -> None:
        """Drop the cached records of inputs that are no longer part of the run."""
        for path in self.folder.glob("*.jsonl"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)


def _remove_stale_temp_files(folder: Path) -> None:
    """Temp files left by a killed run (outputs.write_atomic names them .<name>.<rand>.tmp)."""
    for path in folder.glob(".*.tmp"):
        path.unlink(missing_ok=True)


class _OutputLock:
    """An exclusive lock on the output folder: two runs must not prune each other's cache."""

    def __init__(self, folder: Path) -> None:
        self._handle: Any = None
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; run one batch per folder there
            return
        self._handle = (folder / LOCK_FILE).open("a")
        try:
            fcntl.flock(self._handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._handle.close()
            raise UsageError(f"another casebook run is writing to {folder}") from None

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing the file releases the lock
            self._handle = None


# -- the batch ------------------------------------------------------------------------------


class Batch:
    """One batch run: `results()` yields each input's result as it finishes, `write()` the end.

    Use it as a context manager. `results()` yields in completion order (for progress);
    `in_input_order` turns that into input order.
    """

    def __init__(
        self,
        inputs: Iterable[str | Path] = (),
        *,
        items: list[InputItem] | None = None,
        options: ExtractOptions | None = None,
        workers: int = 0,
        timeout: float | None = None,
        executor: Literal["local", "dask"] = "local",
        scheduler: str | None = None,
        client: Any = None,
        out_dir: Path | None = None,
        force: bool = False,
    ) -> None:
        from .nlp import pipeline_version

        if workers < 0:
            raise UsageError(f"--workers must be 0 or more, not {workers}")
        if timeout is not None and timeout <= 0:
            raise UsageError(f"--timeout must be a positive number of seconds, not {timeout:g}")
        if executor not in ("local", "dask"):
            raise UsageError(f"unknown executor {executor!r} (use local or dask)")
        self.options = options or ExtractOptions()
        if self.options.max_pages is not None and self.options.max_pages < 1:
            raise UsageError(f"--max-pages must be at least 1, not {self.options.max_pages}")
        if self.options.pdf_backend is not None:
            from .pdf import BACKENDS  # only then: the PDF libraries are slow to import

            if self.options.pdf_backend not in BACKENDS:
                raise UsageError(
                    f"unknown PDF backend {self.options.pdf_backend!r}"
                    f" (use {' or '.join(BACKENDS)})"
                )
        self.workers = workers
        self.timeout = timeout
        self.executor_kind = executor
        self.scheduler = scheduler
        self.client = client
        self.force = force
        self.started = time.perf_counter()
        self.version = pipeline_version()
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self._lock: _OutputLock | None = None
        self.cache: ResultCache | None = None
        if self.out_dir is not None:
            try:
                self.out_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UsageError(
                    f"{self.out_dir}: cannot create output folder: {exc.strerror or exc}"
                ) from None
            self._lock = _OutputLock(self.out_dir)
            self.cache = ResultCache(self.out_dir / CACHE_DIR, self.version, self.options)
            _remove_stale_temp_files(self.out_dir)
            _remove_stale_temp_files(self.cache.folder)
        exclude = [self.out_dir] if self.out_dir is not None else []
        self.items = items if items is not None else discover(inputs, exclude=exclude)
        self.done: dict[int, DocumentResult] = {}

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    # -- running --------------------------------------------------------------------------
    def _make_executor(self) -> Executor:
        # Imported only now: a run answered from the cache needs no processes (nor their
        # modules, a few percent of such a run).
        from .executors import DaskExecutor, ReadAhead, SequentialExecutor, WorkerPool

        if self.executor_kind == "dask":
            return DaskExecutor(
                extract_shipped,
                scheduler=self.scheduler,
                workers=max(self.workers, 1),
                timeout=self.timeout,
                client=self.client,
            )
        if self.workers == 0:
            return SequentialExecutor(extract_job, initializer=_load_nlp_here)
        return WorkerPool(
            extract_job,
            workers=self.workers,
            initializer=init_worker,
            timeout=self.timeout,
            preload=_WORKER_PRELOAD,
            read_ahead=ReadAhead(read_ahead_job, read_ahead_priority, init_reader),
        )

    def _prepare(self, item: InputItem, seen: dict[str, str]) -> DocumentResult | Job:
        """Hash an input; answer it from the cache if possible, else make it a job."""
        if item.status is not None:
            return DocumentResult(item.index, item.path, item.status, error=item.message)
        try:
            data = read_bytes(Path(item.path))
        except CasebookError as exc:
            return DocumentResult(item.index, item.path, "error", error=str(exc))
        sha256 = sha256_of(data)
        if sha256 in seen:
            # Same content, same record ids: listing it twice would duplicate records.
            message = f"{item.path}: same content as {seen[sha256]} (its records are listed once)"
            return DocumentResult(item.index, item.path, "skipped", sha256=sha256, error=message)
        seen[sha256] = item.path
        if self.cache is not None and not self.force:
            cached = self.cache.load(sha256, item.path)
            if cached is not None:
                cached.index = item.index
                return cached
        if self.executor_kind == "dask":  # remote workers cannot write here
            return Job(item.index, item.path, sha256, self.options, data)
        return Job(item.index, item.path, sha256, self.options, cache=self.cache)

    def _from_outcome(self, outcome: Outcome) -> DocumentResult:
        job: Job = outcome.job
        if outcome.failure is not None:
            return DocumentResult(
                job.index,
                job.path,
                "error",
                sha256=job.sha256,
                error=f"{job.path}: {outcome.failure}",
                seconds=outcome.seconds,
            )
        result: DocumentResult = outcome.result
        # A cluster's workers may run another casebook install than this machine; say so.
        remote = self.executor_kind == "dask"
        if remote and result.version is not None and result.version != self.version:
            result.warnings.append(
                f"extracted by pipeline version {result.version}, not the local {self.version}"
            )
        return result

    def _finish(self, result: DocumentResult) -> DocumentResult:
        if (
            self.cache is not None
            and result.status == "ok"
            and not (result.cached or result.stored)
        ):
            # Cached the moment it is done, so a killed run loses at most the running ones.
            try:
                self.cache.store(result)
            except OSError as exc:
                raise CasebookError(
                    f"{self.cache.folder}: cannot write the cache: {exc.strerror or exc}"
                ) from None
        self.done[result.index] = replace(result, lines=[])
        return result

    def results(self) -> Iterator[DocumentResult]:
        """Each input's result as soon as it is known (completion order)."""
        pending = deque(item for item in self.items if item.index not in self.done)
        seen: dict[str, str] = {}
        executor: Executor | None = None
        in_flight = 0
        try:
            while pending or in_flight:
                while pending and (executor is None or in_flight < executor.slots):
                    prepared = self._prepare(pending.popleft(), seen)
                    if isinstance(prepared, DocumentResult):
                        yield self._finish(prepared)
                        continue
                    if executor is None:
                        executor = self._make_executor()
                    executor.submit(prepared)
                    in_flight += 1
                if in_flight and executor is not None:
                    for outcome in executor.wait():
                        in_flight -= 1
                        yield self._finish(self._from_outcome(outcome))
        finally:
            if executor is not None:
                executor.close()

    # -- writing --------------------------------------------------------------------------
    def summary(self) -> dict[str, int]:
        results = self.done.values()
        return {
            "documents": len(self.items),
            "ok": sum(r.status == "ok" for r in results),
            "errors": sum(r.status == "error" for r in results),
            "skipped": sum(r.status == "skipped" for r in results),
            "cached": sum(r.cached for r in results),
            "records": sum(r.cases for r in results),
        }

    def write(self, corrections: Any = None) -> dict[str, Any]:
        """Replace records.jsonl and manifest.json (atomically, in input order); prune cache.

        `corrections` (a pipeline.corrections.CorrectionSession) applies reviewers' decisions
        to the records as they are written; the cache keeps the uncorrected records.
        """
        if self.out_dir is None or self.cache is None:
            raise UsageError("this batch has no output folder to write to")
        missing = [item.path for item in self.items if item.index not in self.done]
        if missing:
            raise CasebookError(f"cannot write an unfinished batch ({len(missing)} inputs left)")
        ordered = [self.done[item.index] for item in self.items]
        cache = self.cache

        def record_blocks() -> Iterator[bytes]:
            for result in ordered:
                if result.status != "ok":
                    continue
                try:
                    block = cache.records_bytes(result.sha256 or "", result.path)
                except UnicodeDecodeError:
                    block = None
                if block is None or block.count(b"\n") != result.cases:
                    raise CasebookError(
                        f"{cache.path_of(result.sha256 or '')}: cached records vanished"
                    )
                if corrections:
                    lines = corrections.apply_lines(block.decode("utf-8").split("\n")[:-1])
                    block = "".join(line + "\n" for line in lines).encode("utf-8")
                yield block

        try:
            count, digest = write_text_blocks_atomic(self.out_dir / RECORDS_FILE, record_blocks())
        except OSError as exc:
            raise CasebookError(
                f"{self.out_dir / RECORDS_FILE}: cannot write: {exc.strerror or exc}"
            ) from None
        manifest = {
            "schema_version": SCHEMA_VERSION,
            "pipeline_version": self.version,
            "options": asdict(self.options),
            **self.summary(),
            "records": count,
            "records_sha256": digest,
            "seconds": round(time.perf_counter() - self.started, 3),
            "inputs": [result.manifest_entry() for result in ordered],
        }
        # The manifest goes last: it names the records file's hash, so a reader can tell a
        # matching pair even if a run died between the two renames.
        try:
            write_json_atomic(self.out_dir / MANIFEST_FILE, manifest)
        except OSError as exc:
            raise CasebookError(
                f"{self.out_dir / MANIFEST_FILE}: cannot write: {exc.strerror or exc}"
            ) from None
        cache.prune({r.sha256 for r in ordered if r.status == "ok" and r.sha256})
        return manifest


def in_input_order(results: Iterable[DocumentResult]) -> Iterator[DocumentResult]:
    """Reorder completion-order results into input order, releasing each as soon as it can."""
    waiting: dict[int, DocumentResult] = {}
    next_index = 0
    for result in results:
        waiting[result.index] = result
        while next_index in waiting:
            yield waiting.pop(next_index)
            next_index += 1


def iter_results(
    paths: str | Path | Iterable[str | Path], **options: Any
) -> Iterator[DocumentResult]:
    """One DocumentResult per input, in input order (skipped and failed inputs included).

    Options: pdf_backend, max_pages, ocr (per document); workers (0 = this process), timeout,
    executor ("local" | "dask"), scheduler, client, out_dir (cache + records.jsonl +
    manifest.json written at the end), force.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    extract = ExtractOptions(
        **{key: options.pop(key) for key in ("pdf_backend", "max_pages", "ocr") if key in options}
    )
    with Batch(paths, options=extract, **options) as batch:
        yield from in_input_order(batch.results())
        if batch.out_dir is not None:
            batch.write()


def extract_paths(
    paths: str | Path | Iterable[str | Path],
    *,
    errors: Literal["raise", "ignore"] = "raise",
    **options: Any,
) -> Iterator[CaseRecord]:
    """CaseRecords of many files, folders and globs, in input order (see iter_results).

    With errors="raise" (the default), after the last record a CasebookError lists the
    inputs that failed; with "ignore" failed inputs are passed over silently.
    """
    failed: list[str] = []
    for result in iter_results(paths, **options):
        if result.status == "error":
            failed.append(result.error or result.path)
        yield from result.records()
    if failed and errors == "raise":
        raise CasebookError(f"{len(failed)} input(s) failed: " + "; ".join(failed))
