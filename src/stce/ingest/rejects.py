"""Rejects: input records that could not be used, with where they were and why."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import IO, Any

import orjson
from pydantic import BaseModel

EXCERPT = 200
"""Characters of the offending record kept in the reject (enough to find it, never the whole
10 MB field)."""


class Reject(BaseModel):
    """One unusable record. `position` is the 1-based line (JSON Lines), the data row (CSV,
    header excluded) or the row index (Parquet, 1-based) of the record's first row."""

    position: int
    declaration_id: str | None = None
    field: str | None = None
    reason: str
    excerpt: str = ""
    rows: list[int] | None = None

    def public(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


def excerpt(raw: str | bytes) -> str:
    if isinstance(raw, bytes):
        raw = raw[: EXCERPT * 4].decode("utf-8", errors="replace")
    return raw[:EXCERPT]


class RejectWriter:
    """Writes rejects as JSON Lines as they occur (a crash mid-run keeps what was written)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._fh: IO[bytes] = path.open("wb")

    def write(self, reject: Reject) -> None:
        self._fh.write(orjson.dumps(reject.public()) + b"\n")
        self.count += 1

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> RejectWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
