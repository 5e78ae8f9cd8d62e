"""The cyclic garbage collector paused during screening and run between batches.

Why: screening keeps large, long-lived reference data in memory (the party index, goods
knowledge, HS tables) and makes many short-lived containers per declaration or party name. Left
alone, the collector rescans the live batch again and again and, on every full collection, the
whole reference data (measured: half the parsing time of a batch; a fifth of party screening).
Screening makes no reference cycles of its own, so the collector is paused while a batch is
screened and run once (`collect_between_batches`) when the batch has just been freed;
reference data loaded before is frozen out of its sight.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_collector() -> Iterator[None]:
    """Freeze what is loaded now and pause the collector until the block ends."""
    was_enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.unfreeze()


def collect_between_batches() -> None:
    gc.collect(1)
