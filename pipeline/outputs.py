"""Atomic file writes: a temp file in the target folder, fsync, then rename."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# Read once: os.umask can only be read by setting it, which is not thread-safe per call.
_FILE_MODE = 0o666 & ~_umask()


@contextmanager
def atomic_stream(path: Path) -> Iterator[BinaryIO]:
    """A binary stream that replaces `path` on success: readers see the old or the new file.

    Temp files are named .<name>.<random>.tmp next to the target, so a run killed midway
    leaves nothing that looks like output (and batch clean-up can find them).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp creates 0600; outputs are meant to be shared like any other file.
        os.chmod(temp_name, _FILE_MODE)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically."""
    with atomic_stream(path) as stream:
        stream.write(data)


def write_json_atomic(path: Path, value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    write_atomic(path, text.encode("utf-8"))


def write_lines_atomic(path: Path, lines: Iterable[str]) -> None:
    write_atomic(path, "".join(line + "\n" for line in lines).encode("utf-8"))


def write_text_blocks_atomic(path: Path, blocks: Iterable[bytes]) -> tuple[int, str]:
    """Atomically write UTF-8 text block by block (each whole lines), never holding the whole
    file in memory.

    Returns the number of lines and the file's sha256 (a national archive's records.jsonl
    should not have to fit in memory).
    """
    digest = hashlib.sha256()
    count = 0
    with atomic_stream(path) as stream:
        for block in blocks:
            digest.update(block)
            stream.write(block)
            count += block.count(b"\n")
    return count, digest.hexdigest()
