"""Where list entries come from: a thin adapter over `stce.refdata`.

Why an adapter: the parties package only needs "the entries of the current lists, a checksum
naming them and their versions". The current snapshots imported with `stce refdata` come first;
without any, the mirror's list files are read directly (development and tests), and the checksum
is the SHA-256 of those files' bytes. Either way the on-disk index cache is keyed on exactly what
was indexed, and entries are only parsed when the cache misses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from stce.config import Settings
from stce.model import ListEntry

MIRROR_LISTS: tuple[str, ...] = (
    "sanctions/un/consolidated.xml",
    "sanctions/ofac/sdn_advanced/sdn_advanced.xml.bz2",
    "sanctions/ofac/consolidated_non_sdn_2025-12-19/cons_prim.csv",
    "sanctions/us_bis/dpl.txt",
)
"""List files read from the mirror, relative to it (those `stce.refdata` can load; the UK
summary file is left out: its loader rejects a record without a name)."""


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
    from stce.refdata import iter_entries

    for p in paths:
        yield from iter_entries(p)


@dataclass(frozen=True)
class ListsSource:
    """The current lists as the parties index needs them (entries loaded lazily)."""

    checksum: str
    versions: dict[str, str]
    load: Callable[[], Iterable[ListEntry]]


def current_source(settings: Settings) -> ListsSource | None:
    """Current snapshots if any were imported, else the mirror's list files, else None."""
    from stce.refdata import current_checksum, current_entries, current_versions, read_index

    if read_index(settings).currents():
        return ListsSource(
            checksum=current_checksum(settings),
            versions=current_versions(settings),
            load=lambda: current_entries(settings),
        )
    files = mirror_list_files(settings)
    if not files:
        return None
    checksum = files_checksum(files)
    return ListsSource(
        checksum=checksum,
        versions={f.name: f"sha256:{checksum[:16]}" for f in files},
        load=lambda: iter_list_files(files),
    )
