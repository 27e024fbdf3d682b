"""The record schema version, importable without pydantic (batch manifests need it on runs
that answer from the cache without building a single record model)."""

SCHEMA_VERSION = "2"
