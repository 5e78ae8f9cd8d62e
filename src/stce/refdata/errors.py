"""Errors raised when a list file cannot be trusted.

Why: a broken or hostile official file must never replace a good snapshot, and the operator must
be told which file, record and field made the import stop.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar


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


_rejects: ContextVar[list[ListFormatError] | None] = ContextVar("refdata_rejects", default=None)


def reject(error: ListFormatError) -> None:
    """Report one unusable record. During an import the record is set aside and reported in the
    import outcome (the official file is still used); anywhere else the error is raised."""
    collector = _rejects.get()
    if collector is None:
        raise error
    collector.append(error)


@contextmanager
def collecting_rejects() -> Iterator[list[ListFormatError]]:
    """Collect rejected records instead of raising, for the duration of an import."""
    collector: list[ListFormatError] = []
    token = _rejects.set(collector)
    try:
        yield collector
    finally:
        _rejects.reset(token)
