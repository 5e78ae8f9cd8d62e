"""Errors raised when a list file cannot be trusted.

Why: a broken or hostile official file must never replace a good snapshot, and the operator must
be told which file, record and field made the import stop.
"""

from __future__ import annotations


class ListFormatError(ValueError):
    """A list file is malformed, truncated, hostile or not in the format its loader expects."""

    def __init__(
        self,
        path: str,
        message: str,
        *,
        record: str | None = None,
        field: str | None = None,
    ) -> None:
        self.path = path
        self.record = record
        self.field = field
        where = path
        if record:
            where += f", record {record}"
        if field:
            where += f", field {field}"
        super().__init__(f"{where}: {message}")


class SnapshotError(RuntimeError):
    """A snapshot could not be written, read or swapped in."""
