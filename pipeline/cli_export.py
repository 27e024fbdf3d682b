"""CLI commands that feed other tools (export formats). Registered on pipeline.cli.app."""

from __future__ import annotations
