"""The compiled screening kernel (`_kernel.pyx`), when the install could build it.

Why a switch: the kernel is an accelerator, not a second implementation of the rules. The
pure-Python `NameIndex.candidates` and `scorer.score_name` define what a match is; the kernel
repeats their arithmetic over flat arrays and is checked against them in the tests. Set
`STCE_PURE_PYTHON=1` to screen without it (to compare, or to rule it out when debugging).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stce.parties._kernel import Kernel
    from stce.parties.index import NameIndex

try:
    from stce.parties import _kernel
except ImportError:  # not built: no C compiler at install time, or run from a bare checkout
    _kernel = None  # type: ignore[assignment]


def compiled() -> bool:
    """Whether the compiled kernel is importable."""
    return _kernel is not None


def make_kernel(index: NameIndex) -> Kernel | None:
    """A kernel over `index`'s arrays, or None for the pure-Python path."""
    if _kernel is None or os.environ.get("STCE_PURE_PYTHON", "") not in ("", "0"):
        return None
    from stce.parties import index as ix
    from stce.parties import scorer

    return _kernel.Kernel(
        index,
        {
            "class_factor": dict(ix.CLASS_FACTOR),
            "walk_limit": ix.WALK_LIMIT,
            "names_per_entry": ix.NAMES_PER_ENTRY,
            "missing": scorer.MISSING_FACTOR,
            "extra": scorer.EXTRA_FACTOR,
            "contradiction": scorer.CONTRADICTION_FACTOR,
            "min_evidence": scorer.MIN_EVIDENCE,
            "single_part_cap": scorer.SINGLE_PART_CAP,
            "initial": scorer.INITIAL_SIMILARITY,
        },
    )
