"""Executors: where per-document work runs — in this process, a local worker pool, or Dask.

All three share one small interface so the batch loop does not care where a document is
processed: `submit(job)` while fewer than `slots` jobs are in flight, then `wait()` for at least
one `Outcome`. A job that crashes or hangs its worker comes back as an `Outcome` with a
`failure` message instead of a result; the executor replaces the worker and goes on.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

from .errors import CasebookError, UsageError

Task = Callable[[Any], Any]

# A worker that dies this many times in a row before it is ready is a broken setup, not a
# bad document: stop instead of respawning forever.
_MAX_STARTUP_DEATHS = 3
# How long a closing pool waits for an idle worker to exit before killing it.
_JOIN_SECONDS = 5.0
# How long to keep trying to reach a Dask scheduler before giving up.
DASK_CONNECT_TIMEOUT = "20s"


@dataclass
class Outcome:
    """A finished job: its task's return value, or why the worker could not produce one."""

    job: Any
    result: Any = None
    failure: str | None = None
    seconds: float = 0.0  # from hand-over to the worker until the outcome was known


class Executor(Protocol):
    slots: int

    def submit(self, job: Any) -> None: ...

    def wait(self) -> list[Outcome]: ...

    def close(self) -> None: ...


def describe_exception(exc: BaseException) -> str:
    if isinstance(exc, MemoryError):
        return "out of memory (MemoryError)"
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def exit_reason(exitcode: int | None) -> str:
    """ "exit code -11 (SIGSEGV)" for a signal, "exit code 3" for an exit status."""
    if exitcode is not None and exitcode < 0:
        try:
            return f"exit code {exitcode} ({signal.Signals(-exitcode).name})"
        except ValueError:
            pass
    return f"exit code {exitcode}"


class SequentialExecutor:
    """Runs each job in this process when `wait` is called: no isolation, no time limit."""

    slots = 1

    def __init__(self, task: Task, initializer: Callable[[], None] | None = None) -> None:
        self._task = task
        self._initializer = initializer
        self._queue: deque[Any] = deque()
        self._ready = False

    def submit(self, job: Any) -> None:
        self._queue.append(job)

    def wait(self) -> list[Outcome]:
        if not self._queue:
            return []
        if not self._ready and self._initializer is not None:
            self._initializer()
        self._ready = True
        job = self._queue.popleft()
        try:
            return [Outcome(job, result=self._task(job))]
        except Exception as exc:  # the task should catch its own errors; keep the batch going
            return [Outcome(job, failure=describe_exception(exc))]

    def close(self) -> None:
        self._queue.clear()


def _start_child(conn: Connection, initializer: Callable[[], None] | None) -> bool:
    """Set up a child process and run the initializer; tell the parent "ready" or why not."""
    # Ctrl-C goes to the whole process group; the parent decides, children just get killed.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Anything a library prints must not end up in a JSONL stream on the parent's stdout.
    with contextlib.suppress(OSError):
        os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        if initializer is not None:
            initializer()
        conn.send(("ready", None))
    except BaseException as exc:
        with contextlib.suppress(OSError, ValueError):
            conn.send(("init_error", describe_exception(exc)))
        return False
    return True


def _pool_worker_main(conn: Connection, task: Task, initializer: Callable[[], None] | None) -> None:
    """A spawned or forkserver worker process: run jobs, then exit without heap teardown."""
    if _start_child(conn, initializer):
        _worker_main(conn, task)
        _exit_now()


def _worker_main(conn: Connection, task: Task) -> None:
    """Body of one pool worker, once initialised: run jobs until told to stop."""
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if job is None:
            return
        try:
            message: tuple[str, Any] = ("done", task(job))
        except BaseException as exc:  # MemoryError and friends: report, keep the worker
            message = ("failed", describe_exception(exc))
        try:
            conn.send(message)
        except (EOFError, OSError):
            return
        except Exception as exc:  # e.g. a result that cannot be pickled
            try:
                conn.send(("failed", f"result could not be sent back: {describe_exception(exc)}"))
            except (EOFError, OSError):
                return


class _ProcessWorker:
    """A worker started by multiprocessing (spawn or forkserver): initialises itself."""

    def __init__(self, context: Any, task: Task, initializer: Callable[[], None] | None) -> None:
        self.conn, child = context.Pipe(duplex=True)
        self.process = context.Process(
            target=_pool_worker_main, args=(child, task, initializer), daemon=True
        )
        self.process.start()
        child.close()
        self.ready = False
        self.job: Any = None
        self.deadline: float | None = None
        self.started = 0.0

    def handles(self) -> list[Any]:
        return [self.conn, self.process.sentinel]

    def alive(self) -> bool:
        return self.process.is_alive()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()

    def exit_code(self, wait: float) -> int | None:
        self.process.join(wait)
        return self.process.exitcode


def _zygote_main(conn: Connection, task: Task, initializer: Callable[[], None] | None) -> None:
    """Initialise once, then fork ready-to-run workers on request and report their exits.

    Each worker starts with the pipeline already loaded (and shares its memory until written
    to), so N workers cost one load and a crashed worker is replaced in milliseconds.
    """
    from multiprocessing.reduction import recv_handle

    # Forked children must not inherit half a BLAS thread pool; nothing here needs one.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    if not _start_child(conn, initializer):
        return
    children: set[int] = set()
    try:
        while True:
            if wait([conn], 0.2):
                try:
                    request = conn.recv()
                except (EOFError, OSError):
                    break  # the parent is gone
                if request is None:
                    break
                fd = recv_handle(conn)
                pid = os.fork()
                if pid == 0:  # the new worker
                    code = 0
                    try:
                        _own_process_group(0)
                        conn.close()
                        worker_conn = Connection(fd)
                        if _start_child(worker_conn, None):
                            _worker_main(worker_conn, task)
                    except BaseException:
                        code = 1
                    finally:
                        os._exit(code)
                _own_process_group(pid)  # here too: whichever runs first, no race
                os.close(fd)
                children.add(pid)
                conn.send(("forked", pid))
            while children:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    break
                children.discard(pid)
                conn.send(("exited", (pid, os.waitstatus_to_exitcode(status))))
    except (EOFError, OSError):
        pass
    finally:
        for pid in children:  # no parent, no work: take the workers down too
            _kill_group(pid)
        for pid in children:
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
    _exit_now()


def _own_process_group(pid: int) -> None:
    """Make a forked worker lead its own process group (0 = this process)."""
    with contextlib.suppress(OSError):
        os.setpgid(pid, 0)


def _kill_group(pid: int) -> None:
    """Kill a worker and whatever it started (Tesseract, OCRing a page): a worker killed for
    its time limit must not leave a program running on the batch's cores."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:  # not (yet) a group leader
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _exit_now() -> None:
    """End a child process without tearing down its heap: freeing a loaded pipeline object by
    object takes ~0.4 s, and nothing in it needs a goodbye."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


# Helper processes (the zygote, read-ahead helpers) run this with their end of a socket pair
# as argv[1] and the entry function's name as argv[2]. Started like this rather than by
# multiprocessing's spawn, which would first re-import the parent's __main__ module (for the
# CLI: typer and rich, ~0.15 s of every run's start) only to throw it away.
_BOOT = f"""
import sys
from multiprocessing.connection import Connection
conn = Connection(int(sys.argv[1]))
sys.path[:] = conn.recv()
import {__name__} as executors
getattr(executors, sys.argv[2])(conn)
"""


def _start_bare(
    entry: str, *payload: Any, own_group: bool = False
) -> tuple[subprocess.Popen[bytes], Connection]:
    """A fresh interpreter running `entry(conn)`, which receives `payload` first; with
    `own_group`, in a session (process group) of its own, so that killing the group takes
    down what it started too (Tesseract, OCRing a page)."""
    ours, theirs = socket.socketpair()
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", _BOOT, str(theirs.fileno()), entry],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            start_new_session=own_group,
        )
    except OSError as exc:
        ours.close()
        raise CasebookError(f"cannot start a worker process: {describe_exception(exc)}") from None
    finally:
        theirs.close()
    conn = Connection(ours.detach())
    conn.send(sys.path)
    conn.send(payload)
    return process, conn


def _zygote_entry(conn: Connection) -> None:
    task, initializer = conn.recv()
    _zygote_main(conn, task, initializer)


def _helper_entry(conn: Connection) -> None:
    task, initializer = conn.recv()
    if _start_child(conn, initializer):
        _worker_main(conn, task)
    _exit_now()


class _Zygote:
    """The parent's handle on the zygote process."""

    def __init__(self, task: Task, initializer: Callable[[], None] | None) -> None:
        self.process, self.conn = _start_bare("_zygote_entry", task, initializer)
        self.ready = False
        self.exit_codes: dict[int, int] = {}

    def _handle(self, kind: str, payload: Any) -> Any:
        if kind == "init_error":
            raise CasebookError(f"worker could not start: {payload}")
        if kind == "exited":
            pid, code = payload
            self.exit_codes[pid] = code
        elif kind == "ready":
            self.ready = True
        return payload

    def pump(self) -> None:
        """Take in the zygote's news (exits of workers); raise if it died."""
        try:
            while self.conn.poll():
                self._handle(*self.conn.recv())
        except (EOFError, OSError):
            raise CasebookError(
                f"the worker server died ({exit_reason(self.exit_code())})"
            ) from None

    def fork(self) -> _ZygoteWorker:
        from multiprocessing.reduction import send_handle

        ours, theirs = multiprocessing.Pipe(duplex=True)
        try:
            self.conn.send(("fork", None))
            send_handle(self.conn, theirs.fileno(), self.process.pid)
            theirs.close()
            while True:  # blocks while the zygote is still loading the pipeline
                kind, payload = self.conn.recv()
                if kind == "forked":
                    return _ZygoteWorker(self, payload, ours)
                self._handle(kind, payload)
        except (EOFError, OSError):
            ours.close()
            raise CasebookError(
                f"the worker server died ({exit_reason(self.exit_code())})"
            ) from None

    def exit_code(self) -> int | None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(1)
        return self.process.returncode

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        try:
            self.process.wait(_JOIN_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(1)
        self.conn.close()


class _ZygoteWorker:
    """A worker forked by the zygote: already initialised; its exit code comes via the zygote."""

    def __init__(self, zygote: _Zygote, pid: int, conn: Connection) -> None:
        self.zygote = zygote
        self.pid = pid
        self.conn = conn
        self.ready = False
        self.job: Any = None
        self.deadline: float | None = None
        self.started = 0.0

    def handles(self) -> list[Any]:
        return [self.conn]

    def alive(self) -> bool:
        with contextlib.suppress(CasebookError):
            self.zygote.pump()
        return self.pid not in self.zygote.exit_codes

    def kill(self) -> None:
        if self.alive():
            _kill_group(self.pid)

    def exit_code(self, wait: float) -> int | None:
        limit = time.monotonic() + wait
        while self.pid not in self.zygote.exit_codes and time.monotonic() < limit:
            try:
                if self.zygote.conn.poll(0.05):
                    self.zygote._handle(*self.zygote.conn.recv())
            except (EOFError, OSError):
                break
        return self.zygote.exit_codes.get(self.pid)


@dataclass(frozen=True)
class ReadAhead:
    """Work a job can have done before the pipeline is loaded, on cores that would idle.

    While the zygote loads (seconds: importing spaCy, building the matchers), up to
    workers - 1 helper processes run `task` on queued jobs (reading a PDF needs no spaCy),
    highest `priority` first and never a job of priority 0; the job it returns replaces the
    queued one. If the task raises or its helper dies, the job stays as it was and a worker
    does all of it, so outcomes never depend on the read-ahead. Helpers are stopped as soon
    as the pipeline is loaded.
    """

    task: Task
    priority: Callable[[Any], int]
    initializer: Callable[[], None] | None = None
    window: int = 128  # extra jobs per helper the caller may queue while the pipeline loads


# A helper that dies this many times is not worth restarting: its jobs go to the workers.
_MAX_HELPER_DEATHS = 2


class _Helper:
    """A read-ahead helper process."""

    def __init__(self, read_ahead: ReadAhead) -> None:
        self.process, self.conn = _start_bare(
            "_helper_entry", read_ahead.task, read_ahead.initializer, own_group=True
        )
        self.ready = False
        self.job: Any = None

    def stop(self) -> None:
        """Kill it and what it started: whatever it holds is handed back by the caller."""
        with contextlib.suppress(OSError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(1)
        self.conn.close()


def default_start_method() -> str:
    """zygote on Linux; elsewhere forkserver or spawn (fork is unsafe in a threaded parent)."""
    if sys.platform.startswith("linux"):
        return "zygote"
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


class WorkerPool:
    """N worker processes, one job each at a time; hung workers are killed, dead ones replaced.

    Unlike concurrent.futures.ProcessPoolExecutor, the parent always knows which job a worker
    holds, so a crash or a timeout is charged to exactly that job and the pool lives on.

    Start methods: "zygote" (Linux default) initialises one process and forks the workers
    from it; "forkserver" and "spawn" start each worker fresh and initialise it there.
    """

    def __init__(
        self,
        task: Task,
        *,
        workers: int,
        initializer: Callable[[], None] | None = None,
        timeout: float | None = None,
        start_method: str | None = None,
        preload: tuple[str, ...] = (),
        read_ahead: ReadAhead | None = None,
    ) -> None:
        if workers < 1:
            raise UsageError(f"a worker pool needs at least one worker, not {workers}")
        self._size = workers
        self._task = task
        self._initializer = initializer
        self._timeout = timeout
        self._method = start_method or default_start_method()
        self._zygote: _Zygote | None = None
        self._context: Any = None
        if self._method != "zygote":
            self._context = multiprocessing.get_context(self._method)
            if preload and self._method == "forkserver":
                # Imported once in the fork server, so each new worker starts with them loaded.
                self._context.set_forkserver_preload(list(preload))
        self._workers: list[_ProcessWorker | _ZygoteWorker] = []
        self._queue: deque[Any] = deque()
        self._startup_deaths = 0
        # Read-ahead needs cores that idle while one process loads: the zygote, 2+ workers.
        self._read_ahead = read_ahead if self._method == "zygote" and workers > 1 else None
        self._helpers: list[_Helper] = []
        self._helper_deaths = 0
        self._read_ahead_tried: set[int] = set()  # ids of queued jobs not to offer again

    @property
    def slots(self) -> int:
        """Jobs the caller may have in flight: one running and one queued per worker keeps
        them busy; while the pipeline loads, more, so that helpers have work to read ahead."""
        if self._reading_ahead():
            assert self._read_ahead is not None
            return self._size * 2 + self._read_ahead.window * (self._size - 1)
        return self._size * 2

    # -- interface ---------------------------------------------------------------------------
    def submit(self, job: Any) -> None:
        self._queue.append(job)
        self._dispatch()

    def wait(self) -> list[Outcome]:
        while True:
            self._dispatch()
            busy = [w for w in self._workers if w.job is not None]
            reading = [h for h in self._helpers if h.job is not None]
            if not busy and not reading and not self._queue:
                return []
            outcomes = self._collect()
            if outcomes:
                # Hand the freed workers their next job before the caller spends time on these
                # results (cache writes, progress): a worker never waits for the bookkeeping.
                self._dispatch()
                return outcomes

    def close(self) -> None:
        self._stop_helpers()
        for worker in self._workers:
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
        limit = time.monotonic() + _JOIN_SECONDS
        for worker in self._workers:
            # The zygote takes its workers down with it when it closes: waiting for news of
            # each exit, which it sends at its polling pace, would only add time.
            if self._zygote is None:
                if worker.job is not None:
                    worker.kill()
                if worker.exit_code(max(limit - time.monotonic(), 0.1)) is None:
                    worker.kill()
            worker.conn.close()
        self._workers.clear()
        self._queue.clear()
        if self._zygote is not None:
            self._zygote.close()
            self._zygote = None

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- internals ---------------------------------------------------------------------------
    def _start_worker(self) -> _ProcessWorker | _ZygoteWorker:
        if self._method != "zygote":
            return _ProcessWorker(self._context, self._task, self._initializer)
        if self._zygote is None:
            self._zygote = _Zygote(self._task, self._initializer)
        try:
            return self._zygote.fork()
        except CasebookError:
            if self._zygote.ready:  # it worked before: start a fresh one once
                self._zygote.close()
                self._zygote = _Zygote(self._task, self._initializer)
                return self._zygote.fork()
            raise

    # -- read-ahead while the pipeline loads -----------------------------------------------
    def _reading_ahead(self) -> bool:
        """Only while the first zygote loads (a replacement is waited for, as without)."""
        return self._read_ahead is not None

    def _dispatch_read_ahead(self) -> None:
        """Start the zygote without waiting for it; give helpers jobs to read ahead."""
        assert self._read_ahead is not None
        if self._zygote is None:
            self._zygote = _Zygote(self._task, self._initializer)
        ranked = sorted(
            ((self._priority_of(job), -position, job) for position, job in enumerate(self._queue)),
            key=lambda entry: entry[:2],
            reverse=True,
        )  # highest priority first, then queue order
        wanted = [job for priority, _, job in ranked if priority > 0]
        while (
            len(self._helpers) < min(self._size - 1, len(wanted))
            and self._helper_deaths < _MAX_HELPER_DEATHS
        ):
            self._helpers.append(_Helper(self._read_ahead))
        for helper in self._helpers:
            if not wanted:
                return
            if helper.ready and helper.job is None:
                job = wanted.pop(0)
                del self._queue[next(i for i, queued in enumerate(self._queue) if queued is job)]
                self._read_ahead_tried.add(id(job))
                try:
                    helper.conn.send(job)
                except (OSError, ValueError):
                    self._queue.appendleft(job)
                    continue
                helper.job = job

    def _priority_of(self, job: Any) -> int:
        """The job's read-ahead priority; 0 once it has been read ahead or tried."""
        assert self._read_ahead is not None
        return 0 if id(job) in self._read_ahead_tried else self._read_ahead.priority(job)

    def _receive_from_helper(self, helper: _Helper) -> None:
        try:
            while helper.conn.poll():
                kind, payload = helper.conn.recv()
                if kind == "ready":
                    helper.ready = True
                elif kind == "done":
                    # The job with its read-ahead done goes first: it holds the most memory.
                    helper.job = None
                    self._read_ahead_tried.add(id(payload))
                    self._queue.appendleft(payload)
                elif kind == "failed" and helper.job is not None:
                    self._queue.appendleft(helper.job)  # a worker will do all of it
                    helper.job = None
                else:  # init_error: it cannot help
                    raise EOFError
        except (EOFError, OSError):
            if helper.job is not None:
                self._queue.appendleft(helper.job)
                helper.job = None
            self._helper_deaths += 1
            helper.stop()
            self._helpers.remove(helper)

    def _stop_helpers(self) -> None:
        for helper in self._helpers:
            if helper.job is not None:  # cut short: a worker will do all of it
                self._queue.appendleft(helper.job)
                helper.job = None
            helper.stop()
        self._helpers.clear()
        self._read_ahead_tried.clear()

    def _zygote_news(self) -> None:
        """Take in the loading zygote's news; once it is ready, the helpers are done."""
        assert self._zygote is not None
        try:
            self._zygote.pump()
        except CasebookError:
            self.close()
            raise
        if self._zygote.ready:
            self._stop_helpers()
            self._read_ahead = None  # for good: the start-up is over

    # -- workers ---------------------------------------------------------------------------
    def _dispatch(self) -> None:
        """Start workers as long as there is work for them; hand jobs to idle ready ones."""
        if self._reading_ahead():
            if self._queue or self._helpers:
                try:
                    self._dispatch_read_ahead()
                except CasebookError:
                    self.close()
                    raise
            return  # forking a worker would block until the pipeline is loaded
        wanted = min(self._size, len(self._queue) + sum(w.job is not None for w in self._workers))
        while len(self._workers) < wanted:
            try:
                self._workers.append(self._start_worker())
            except CasebookError:
                self.close()
                raise
        for worker in self._workers:
            if not self._queue:
                return
            if worker.ready and worker.job is None:
                job = self._queue.popleft()
                worker.conn.send(job)
                worker.job = job
                worker.started = time.monotonic()
                worker.deadline = (
                    time.monotonic() + self._timeout if self._timeout is not None else None
                )

    def _collect(self) -> list[Outcome]:
        if self._reading_ahead():
            assert self._zygote is not None
            handles = [self._zygote.conn, *(helper.conn for helper in self._helpers)]
            ready = set(wait(handles))
            for helper in list(self._helpers):
                if helper.conn in ready:
                    self._receive_from_helper(helper)
            if self._zygote.conn in ready:
                self._zygote_news()
            return []
        deadlines = [w.deadline for w in self._workers if w.deadline is not None]
        timeout = max(min(deadlines) - time.monotonic(), 0) if deadlines else None
        handles = [handle for worker in self._workers for handle in worker.handles()]
        ready = set(wait(handles, timeout))
        outcomes: list[Outcome] = []
        for worker in list(self._workers):
            if ready.intersection(worker.handles()):
                outcomes.extend(self._receive(worker))
        # Hand out the next queued jobs before the caller spends time on these results.
        self._dispatch()
        now = time.monotonic()
        for worker in list(self._workers):
            if worker.deadline is not None and now >= worker.deadline:
                outcomes.append(
                    Outcome(
                        worker.job,
                        failure=f"timed out after {self._timeout:g} s",
                        seconds=now - worker.started,
                    )
                )
                worker.job = None
                self._retire(worker)
        return outcomes

    def _receive(self, worker: _ProcessWorker | _ZygoteWorker) -> list[Outcome]:
        try:
            while worker.conn.poll():
                kind, payload = worker.conn.recv()
                if kind == "ready":
                    worker.ready = True
                    self._startup_deaths = 0
                elif kind == "init_error":
                    self.close()
                    raise CasebookError(f"worker could not start: {payload}")
                else:
                    job, worker.job, worker.deadline = worker.job, None, None
                    seconds = time.monotonic() - worker.started
                    if kind == "done":
                        return [Outcome(job, result=payload, seconds=seconds)]
                    return [Outcome(job, failure=payload, seconds=seconds)]
        except (EOFError, OSError):
            pass  # the pipe closed: the worker died
        else:
            if worker.alive():
                return []
        reason = exit_reason(worker.exit_code(_JOIN_SECONDS))
        job, worker.job = worker.job, None
        self._retire(worker)
        if job is not None:
            seconds = time.monotonic() - worker.started
            return [Outcome(job, failure=f"worker crashed ({reason})", seconds=seconds)]
        if not worker.ready:
            self._startup_deaths += 1
            if self._startup_deaths >= _MAX_STARTUP_DEATHS:
                self.close()
                raise CasebookError(f"worker processes die while starting ({reason})")
        return []

    def _retire(self, worker: _ProcessWorker | _ZygoteWorker) -> None:
        worker.kill()
        worker.exit_code(1)
        worker.conn.close()
        self._workers.remove(worker)


class DaskExecutor:
    """Runs jobs on a Dask distributed cluster; the same task function, shipped by reference.

    Time limits are enforced from here: a job that is not back within `timeout` seconds is
    reported and cancelled, but a Python thread cannot be killed, so a truly hung document
    keeps its Dask worker thread busy until it ends (restart that worker to reclaim it).
    """

    def __init__(
        self,
        task: Task,
        *,
        scheduler: str | None = None,
        workers: int = 1,
        timeout: float | None = None,
        client: Any = None,
    ) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise UsageError(
                "the dask executor needs dask.distributed: pip install 'casebook[cluster]'"
            ) from None
        self._task = task
        self._timeout = timeout
        self._cluster = None
        self._own_client = client is None
        try:
            if client is not None:
                self._client = client
            elif scheduler:
                self._client = Client(scheduler, timeout=DASK_CONNECT_TIMEOUT)
            else:
                self._cluster = LocalCluster(
                    n_workers=max(workers, 1), threads_per_worker=1, processes=True
                )
                self._client = Client(self._cluster)
        except (OSError, TimeoutError) as exc:
            raise UsageError(
                f"cannot connect to the Dask scheduler {scheduler}: {describe_exception(exc)}"
            ) from None
        threads = sum(self._client.nthreads().values())
        # In flight = threads in the cluster, so a job starts (about) when it is submitted and
        # its clock means something; at least one, so a cluster still scaling up gets work.
        self.slots = max(threads, 1)
        self._futures: dict[Any, tuple[Any, float, float | None]] = {}

    def submit(self, job: Any) -> None:
        future = self._client.submit(self._task, job, pure=False)
        now = time.monotonic()
        deadline = now + self._timeout if self._timeout is not None else None
        self._futures[future] = (job, now, deadline)

    def wait(self) -> list[Outcome]:
        from dask.distributed import wait as dask_wait

        if not self._futures:
            return []
        while True:
            deadlines = [d for _, _, d in self._futures.values() if d is not None]
            timeout = max(min(deadlines) - time.monotonic(), 0.01) if deadlines else None
            try:
                done, _ = dask_wait(
                    list(self._futures), timeout=timeout, return_when="FIRST_COMPLETED"
                )
            except TimeoutError:
                done = set()
            outcomes = [self._outcome(future) for future in done]
            now = time.monotonic()
            for future, (job, started, deadline) in list(self._futures.items()):
                if deadline is not None and now >= deadline and future not in done:
                    future.cancel()
                    del self._futures[future]
                    failure = f"timed out after {self._timeout:g} s"
                    outcomes.append(Outcome(job, failure=failure, seconds=now - started))
            if outcomes:
                return outcomes

    def _outcome(self, future: Any) -> Outcome:
        job, started, _ = self._futures.pop(future)
        seconds = time.monotonic() - started
        if future.status == "finished":
            return Outcome(job, result=future.result(), seconds=seconds)
        if future.status == "cancelled":
            failure = "cancelled on the Dask cluster"
        elif type(exc := future.exception()).__name__ == "KilledWorker":
            failure = "worker crashed (Dask workers died running it)"
        else:
            failure = describe_exception(exc)
        return Outcome(job, failure=failure, seconds=seconds)

    def close(self) -> None:
        for future in self._futures:
            future.cancel()
        self._futures.clear()
        if self._own_client:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
