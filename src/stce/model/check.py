"""The interface every screening check implements.

A check sees a batch of validated declarations and returns hits. It never imports the API,
the CLI or the store: what it needs (list snapshots, control lists, licences) is handed to it
when it is built, so the same check runs in the local pipeline and on a Dask worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from stce.model.declaration import Declaration
from stce.model.hit import Hit


@runtime_checkable
class Check(Protocol):
    """`name` appears in every hit; `version` is recorded with every result."""

    name: str
    version: str

    def check(self, batch: Sequence[Declaration]) -> list[list[Hit]]:
        """Hits for each declaration of `batch`, in the same order (empty list: nothing found)."""
        ...
