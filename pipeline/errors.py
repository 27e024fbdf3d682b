"""One error root for everything casebook raises on purpose."""

from __future__ import annotations


class CasebookError(Exception):
    """Root of casebook's own errors: the CLI prints these as one line, never a traceback."""

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class IngestError(CasebookError):
    """A file could not be read or turned into clean text."""


class SegmentError(CasebookError):
    """The clean text could not be split into sections."""


class PatternError(CasebookError):
    """A pattern or gazetteer data file under models/ is malformed."""


class RecordError(CasebookError):
    """An assembled record violates the record contract."""


class UsageError(CasebookError):
    """The user asked for something that cannot be done (bad option, missing run dir)."""
