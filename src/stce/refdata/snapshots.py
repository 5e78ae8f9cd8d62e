"""Versioned snapshots of list sources in the data directory, swapped in atomically.

Layout under `settings.snapshots_dir`:

    index.json                          every snapshot's metadata (the authority on status)
    <slot>/<snapshot dir>/entries.jsonl.gz   the entries, one JSON object per line
    <slot>/<snapshot dir>/meta.json          a copy of the snapshot's metadata

A snapshot is written completely to a temporary directory, renamed into place, and only then
marked current in `index.json` (itself replaced atomically with `os.replace`). A parse error, an
empty list or a shrink beyond the allowed share therefore never replaces a good snapshot: the
first two fail the import, the last leaves the new snapshot `held` until confirmed.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import orjson
from pydantic import BaseModel, Field

from stce.config import Settings
from stce.model.list_entry import EntryKind, ListEntry
from stce.refdata.errors import ListFormatError, SnapshotError, collecting_rejects
from stce.refdata.loaders import ListSource, recognise, slot_of

INDEX = "index.json"
ENTRIES = "entries.jsonl.gz"
DEFAULT_MAX_SHRINK = 0.2
"""Share of entries a new snapshot may lose against the current one before it is held."""


class SnapshotStatus(StrEnum):
    CURRENT = "current"
    HELD = "held"
    SUPERSEDED = "superseded"


class SnapshotMeta(BaseModel):
    """What is known about one imported version of one list source."""

    id: str
    slot: str = Field(description="Which list this is a version of, e.g. 'un-sc', 'ofac-sdn'")
    title: str
    published: date | None = None
    published_from: str = Field(default="file", description="file | file name | import time")
    checksum: str = Field(description="SHA-256 of the input file(s), as downloaded")
    content_checksum: str = Field(description="SHA-256 of the normalised entries")
    files: list[str] = Field(default_factory=list)
    imported_at: datetime
    status: SnapshotStatus
    status_reason: str | None = None
    entries: int = 0
    by_kind: dict[str, int] = Field(default_factory=dict)
    names: int = 0
    wallets: int = 0
    identifiers: int = 0
    rejected: list[str] = Field(
        default_factory=list, description="Records of the file that could not be used, and why"
    )
    directory: str = Field(description="Path relative to the snapshots directory")


class SnapshotIndex(BaseModel):
    snapshots: list[SnapshotMeta] = Field(default_factory=list)

    def current(self, slot: str) -> SnapshotMeta | None:
        for meta in self.snapshots:
            if meta.slot == slot and meta.status is SnapshotStatus.CURRENT:
                return meta
        return None

    def currents(self) -> list[SnapshotMeta]:
        return [m for m in self.snapshots if m.status is SnapshotStatus.CURRENT]

    def get(self, snapshot_id: str) -> SnapshotMeta:
        for meta in self.snapshots:
            if meta.id == snapshot_id:
                return meta
        raise SnapshotError(f"no snapshot with id {snapshot_id!r}")


class ImportResult(StrEnum):
    CURRENT = "current"
    HELD = "held"
    UNCHANGED = "unchanged"
    FAILED = "failed"


class ImportOutcome(BaseModel):
    """What happened to one file offered for import."""

    path: str
    slot: str | None = None
    result: ImportResult
    message: str = ""
    snapshot: SnapshotMeta | None = None
    previous_id: str | None = None
    seconds: float = 0.0


# -- index -------------------------------------------------------------------------------------


def _index_path(settings: Settings) -> Path:
    return settings.snapshots_dir / INDEX


def read_index(settings: Settings) -> SnapshotIndex:
    """The snapshot index (empty when nothing was imported yet)."""
    path = _index_path(settings)
    if not path.exists():
        return SnapshotIndex()
    try:
        return SnapshotIndex.model_validate_json(path.read_bytes())
    except ValueError as exc:
        raise SnapshotError(f"snapshot index {path} is unreadable: {exc}") from exc


def _write_index(settings: Settings, index: SnapshotIndex) -> None:
    path = _index_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".index-", dir=path.parent)
    with os.fdopen(fd, "wb") as fh:
        fh.write(index.model_dump_json(indent=1).encode())
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


@contextmanager
def _locked(settings: Settings) -> Iterator[None]:
    """One importer at a time per data directory."""
    settings.snapshots_dir.mkdir(parents=True, exist_ok=True)
    with (settings.snapshots_dir / ".lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# -- reading entries ----------------------------------------------------------------------------


def _entry_bytes(entry: ListEntry) -> bytes:
    return orjson.dumps(entry.model_dump(mode="json", exclude_defaults=True))


@lru_cache(maxsize=32)
def _load_entries(path: str, content_checksum: str) -> tuple[ListEntry, ...]:
    with gzip.open(path, "rb") as fh:
        data = fh.read()
    out = []
    for line in data.splitlines():
        if line:
            out.append(ListEntry.model_validate_json(line))
    return tuple(out)


def snapshot_entries(settings: Settings, meta: SnapshotMeta) -> list[ListEntry]:
    """The entries of one snapshot (cached per process by content checksum)."""
    path = settings.snapshots_dir / meta.directory / ENTRIES
    if not path.exists():
        raise SnapshotError(f"snapshot {meta.id}: entries file missing at {path}")
    return list(_load_entries(str(path), meta.content_checksum))


def _wallet_keys(entry: ListEntry) -> set[str]:
    from stce.refdata.wallets import wallet_key

    return {wallet_key(w.chain, w.address) for w in entry.wallets}


def current_entries(settings: Settings, slots: Iterable[str] | None = None) -> list[ListEntry]:
    """Entries of every current snapshot (or of the given slots), ready for screening.

    Where two current snapshots carry the same entry id (OFAC's SDN list as Advanced XML and as
    legacy CSV), the entry of the more recently published snapshot wins. Wallet-only entries (the
    OFAC per-chain address files) are dropped when a listed party already carries the address.
    """
    index = read_index(settings)
    wanted = set(slots) if slots is not None else None
    metas = [m for m in index.currents() if wanted is None or m.slot in wanted]
    metas.sort(key=lambda m: (m.published or date.min, m.imported_at), reverse=True)
    chosen: dict[str, ListEntry] = {}
    for meta in metas:
        for entry in snapshot_entries(settings, meta):
            chosen.setdefault(entry.id, entry)
    party_wallets: set[str] = set()
    for entry in chosen.values():
        if entry.kind is not EntryKind.WALLET:
            party_wallets |= _wallet_keys(entry)
    return [
        e
        for e in chosen.values()
        if not (e.kind is EntryKind.WALLET and _wallet_keys(e) <= party_wallets)
    ]


def current_versions(settings: Settings) -> dict[str, str]:
    """Slot -> id of its current snapshot; copied into every screening result."""
    return {m.slot: m.id for m in read_index(settings).currents()}


# -- writing ------------------------------------------------------------------------------------


def file_checksum(paths: Iterable[Path]) -> str:
    """SHA-256 over the bytes of the given files, in order (a set of files is one version)."""
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _counts(entries: list[ListEntry]) -> dict[str, object]:
    return {
        "entries": len(entries),
        "by_kind": dict(Counter(e.kind.value for e in entries)),
        "names": sum(len(e.names) for e in entries),
        "wallets": sum(len(e.wallets) for e in entries),
        "identifiers": sum(len(e.identifiers) for e in entries),
    }


MAX_REJECT_SHARE = 0.01
"""Share of unusable records above which the whole file is refused (at least 10 are allowed)."""


def collect_entries(src: ListSource, path: Path) -> tuple[list[ListEntry], list[str]]:
    """Parse a whole file. Unusable records (no name, no key…) are set aside and returned as
    messages; when there are too many the file is refused. A duplicate entry id is an error."""
    seen: set[str] = set()
    out: list[ListEntry] = []
    with collecting_rejects() as rejects:
        for entry in src.read(path):
            if entry.id in seen:
                raise ListFormatError(str(path), "duplicate entry id", record=entry.id)
            seen.add(entry.id)
            out.append(entry)
    if len(rejects) > max(10, MAX_REJECT_SHARE * (len(out) + len(rejects))):
        raise ListFormatError(
            str(path), f"{len(rejects)} unusable records (first: {rejects[0]}); file refused"
        )
    return out, [str(r) for r in rejects]


def write_snapshot(
    settings: Settings,
    src: ListSource,
    path: Path,
    entries: list[ListEntry],
    *,
    checksum: str,
    published: date | None,
    published_from: str,
    files: list[Path] | None = None,
    rejected: list[str] | None = None,
    confirm: bool = False,
    max_shrink: float = DEFAULT_MAX_SHRINK,
) -> ImportOutcome:
    """Store `entries` as a new snapshot of `src`'s slot and make it current if it is sane."""
    slot = slot_of(src, path)
    if not entries:
        return ImportOutcome(
            path=str(path),
            slot=slot,
            result=ImportResult.FAILED,
            message="no entries parsed; the current snapshot is kept",
        )
    payload = b"\n".join(_entry_bytes(e) for e in entries) + b"\n"
    content_checksum = hashlib.sha256(payload).hexdigest()
    now = datetime.now(UTC)
    stamp = (published or now.date()).isoformat()
    snapshot_id = f"{slot}:{stamp}:{content_checksum[:12]}"
    with _locked(settings):
        index = read_index(settings)
        current = index.current(slot)
        if current is not None and current.content_checksum == content_checksum:
            return ImportOutcome(
                path=str(path),
                slot=slot,
                result=ImportResult.UNCHANGED,
                message=f"same content as current snapshot {current.id}",
                snapshot=current,
                previous_id=current.id,
            )
        status = SnapshotStatus.CURRENT
        reason = None
        if current is not None and not confirm:
            if current.entries and len(entries) < current.entries * (1 - max_shrink):
                status = SnapshotStatus.HELD
                share = 1 - len(entries) / current.entries
                reason = (
                    f"shrank by {share:.0%} ({current.entries} -> {len(entries)} entries), "
                    f"more than the allowed {max_shrink:.0%}; confirm to accept"
                )
            elif current.published and published and published < current.published:
                status = SnapshotStatus.HELD
                reason = (
                    f"published {published} is older than the current {current.published}; "
                    "confirm to accept"
                )
        rel = Path(slot.replace(":", "_").replace("/", "_")) / (
            f"{stamp}_{content_checksum[:12]}_{now.strftime('%Y%m%dT%H%M%S%f')}"
        )
        final = settings.snapshots_dir / rel
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=final.parent))
        try:
            with gzip.open(tmp / ENTRIES, "wb", compresslevel=6) as fh:
                fh.write(payload)
            counts = _counts(entries)
            meta = SnapshotMeta(
                id=snapshot_id,
                slot=slot,
                title=src.title,
                published=published,
                published_from=published_from,
                checksum=checksum,
                content_checksum=content_checksum,
                files=[str(f) for f in (files or [path])],
                imported_at=now,
                status=status,
                status_reason=reason,
                rejected=rejected or [],
                directory=str(rel),
                **counts,
            )
            (tmp / "meta.json").write_bytes(meta.model_dump_json(indent=1).encode())
            os.replace(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        # the same content may have been imported before (e.g. held, then re-offered)
        index.snapshots = [m for m in index.snapshots if m.id != snapshot_id]
        if status is SnapshotStatus.CURRENT:
            for other in index.snapshots:
                if other.slot == slot and other.status is SnapshotStatus.CURRENT:
                    other.status = SnapshotStatus.SUPERSEDED
        index.snapshots.append(meta)
        _write_index(settings, index)
    return ImportOutcome(
        path=str(path),
        slot=slot,
        result=ImportResult.CURRENT if status is SnapshotStatus.CURRENT else ImportResult.HELD,
        message=reason
        or f"{len(entries)} entries"
        + (f"; {len(meta.rejected)} unusable records set aside" if meta.rejected else ""),
        snapshot=meta,
        previous_id=current.id if current else None,
    )


def confirm_snapshot(settings: Settings, snapshot_id: str) -> SnapshotMeta:
    """Make a held (or superseded) snapshot current, superseding the slot's current one."""
    with _locked(settings):
        index = read_index(settings)
        meta = index.get(snapshot_id)
        for other in index.snapshots:
            if other.slot == meta.slot and other.status is SnapshotStatus.CURRENT:
                other.status = SnapshotStatus.SUPERSEDED
        meta.status = SnapshotStatus.CURRENT
        meta.status_reason = "confirmed"
        _write_index(settings, index)
        return meta


def import_file(
    settings: Settings,
    path: Path,
    *,
    confirm: bool = False,
    max_shrink: float = DEFAULT_MAX_SHRINK,
    src: ListSource | None = None,
) -> ImportOutcome:
    """Parse one list file completely and store it as a snapshot (see module doc for the rules).

    Never raises for a bad file: the outcome says FAILED with the loader's message.
    """
    import time

    started = time.perf_counter()
    src = src or recognise(path)
    if src is None:
        return ImportOutcome(
            path=str(path),
            result=ImportResult.FAILED,
            message=f"{path}: not a recognised list; the current snapshot is kept",
        )
    try:
        files = [path, *src.companion_files(path)]
        checksum = file_checksum(files)
        published, published_from = src.publication(path)
        current = read_index(settings).current(slot_of(src, path))
        if current is not None and current.checksum == checksum:
            return ImportOutcome(
                path=str(path),
                slot=current.slot,
                result=ImportResult.UNCHANGED,
                message=f"same file as current snapshot {current.id}",
                snapshot=current,
                previous_id=current.id,
                seconds=time.perf_counter() - started,
            )
        entries, rejected = collect_entries(src, path)
    except (ListFormatError, OSError, EOFError, UnicodeError, ValueError) as exc:
        return ImportOutcome(
            path=str(path),
            slot=slot_of(src, path),
            result=ImportResult.FAILED,
            message=f"{exc}; the current snapshot is kept",
            seconds=time.perf_counter() - started,
        )
    outcome = write_snapshot(
        settings,
        src,
        path,
        entries,
        checksum=checksum,
        published=published,
        published_from=published_from,
        files=files,
        rejected=rejected,
        confirm=confirm,
        max_shrink=max_shrink,
    )
    outcome.seconds = time.perf_counter() - started
    return outcome


def current_checksum(settings: Settings, slots: Iterable[str] | None = None) -> str:
    """One SHA-256 naming the set of current snapshots (of `slots`, or all), without loading
    entries: a cache keyed on it (e.g. a name index) is valid exactly as long as it is."""
    wanted = set(slots) if slots is not None else None
    digest = hashlib.sha256()
    for meta in sorted(read_index(settings).currents(), key=lambda m: m.slot):
        if wanted is None or meta.slot in wanted:
            digest.update(f"{meta.slot}\0{meta.id}\0{meta.content_checksum}\n".encode())
    return digest.hexdigest()


class CurrentLists(BaseModel):
    """Everything a screening run needs from the lists, read once."""

    entries: list[ListEntry]
    versions: dict[str, str]
    checksum: str


def current_lists(settings: Settings, slots: Iterable[str] | None = None) -> CurrentLists:
    """Entries, versions (slot -> snapshot id) and checksum of the current snapshots."""
    chosen = list(slots) if slots is not None else None
    versions = current_versions(settings)
    if chosen is not None:
        versions = {k: v for k, v in versions.items() if k in chosen}
    return CurrentLists(
        entries=current_entries(settings, chosen),
        versions=versions,
        checksum=current_checksum(settings, chosen),
    )
