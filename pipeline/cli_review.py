"""CLI commands for reviewing runs (review page, corrections, diff, show)."""

from __future__ import annotations
