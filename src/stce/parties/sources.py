"""Where list entries come from: a thin adapter over `stce.refdata`.

Why an adapter: the parties package only needs "the entries of the current list snapshots and a
checksum naming them". Until `stce.refdata` offers a snapshot accessor, the mirror's list files
are read with `stce.refdata.iter_entries`, and the checksum is the SHA-256 of those files' bytes
(so the on-disk index cache is keyed on exactly what was indexed).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from stce.config import Settings
from stce.model import ListEntry

MIRROR_LISTS: tuple[str, ...] = (
    "sanctions/un/consolidated.xml",
    "sanctions/ofac/sdn_advanced/sdn_advanced.xml.bz2",
)
"""List files read from the mirror, relative to it (those `stce.refdata` can load)."""


def mirror_list_files(settings: Settings) -> list[Path]:
    """The mirror's list files that exist (empty when there is no mirror)."""
    if settings.mirror is None:
        return []
    return [settings.mirror / rel for rel in MIRROR_LISTS if (settings.mirror / rel).is_file()]


def files_checksum(paths: Sequence[Path]) -> str:
    """SHA-256 over the names and bytes of `paths`, in order."""
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        with p.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def iter_list_files(paths: Sequence[Path]) -> Iterator[ListEntry]:
    """Entries of every file, through the refdata loaders (format recognised per file)."""
    from stce.refdata import iter_entries  # type: ignore[attr-defined,unused-ignore]

    for p in paths:
        yield from iter_entries(p)
