"""The compiled screening kernel (`_kernel.pyx`), when the install could build it.

Why a switch: the kernel is an accelerator, not a second implementation of the rules. The
pure-Python `NameIndex.candidates` and `scorer.score_name` define what a match is; the kernel
repeats their arithmetic over flat arrays and is checked against them in the tests. Set
`STCE_PURE_PYTHON=1` to screen without it (to compare, or to rule it out when debugging).
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterable
from typing import TYPE_CHECKING

from stce.model import EntryKind

if TYPE_CHECKING:
    from stce.parties._kernel import Kernel
    from stce.parties.index import NameIndex

try:
    from stce.parties import _kernel
except ImportError:  # not built: no C compiler at install time, or run from a bare checkout
    _kernel = None  # type: ignore[assignment]


KIND_CODES: dict[EntryKind, int] = {kind: code for code, kind in enumerate(EntryKind)}
"""Entry kinds as the kernel's small integers (bit positions of `kind_mask`)."""
ANY_KIND = (1 << len(KIND_CODES)) - 1


def kind_mask(kinds: Iterable[EntryKind] | None) -> int:
    """The kernel's bit mask of allowed entry kinds (None: any kind)."""
    if kinds is None:
        return ANY_KIND
    mask = 0
    for kind in kinds:
        mask |= 1 << KIND_CODES[kind]
    return mask


def compiled() -> bool:
    """Whether the compiled kernel is importable."""
    return _kernel is not None


def make_kernel(index: NameIndex) -> Kernel | None:
    """A kernel over `index`'s arrays, or None for the pure-Python path."""
    if _kernel is None or os.environ.get("STCE_PURE_PYTHON", "") not in ("", "0"):
        return None
    from stce.parties import index as ix
    from stce.parties import scorer, screener

    # per list name, what the screener's candidate loop reads: its entry's kind, whether the
    # list calls it a weak alias (the entry itself is `index.name_entry`)
    kinds = index.entries.kinds
    name_kind = array("b", [KIND_CODES[kinds[nm.entry]] for nm in index.names])
    name_weak = array("B", [nm.weak for nm in index.names])
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
            "name_kind": name_kind,
            "name_weak": name_weak,
            "person_kind": KIND_CODES[EntryKind.PERSON],
            "weak_factor": screener.WEAK_ALIAS_FACTOR,
        },
    )
