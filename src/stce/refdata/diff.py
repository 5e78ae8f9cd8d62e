"""What changed between two snapshots of a list: entries added, removed and changed.

Why: analysts need to see what a new list version brings, and retro-screening needs only the
added and changed entries (the delta), not the whole list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson

from stce.config import Settings
from stce.model.list_entry import ListEntry
from stce.refdata.errors import SnapshotError
from stce.refdata.snapshots import SnapshotMeta, SnapshotStatus, read_index, snapshot_entries


@dataclass
class SnapshotDiff:
    old: SnapshotMeta | None
    new: SnapshotMeta
    added: list[ListEntry] = field(default_factory=list)
    removed: list[ListEntry] = field(default_factory=list)
    changed: list[tuple[ListEntry, ListEntry]] = field(default_factory=list)
    """(old, new) pairs of entries whose content differs."""

    @property
    def delta(self) -> list[ListEntry]:
        """Added and changed entries as they are now: what retro-screening must look at."""
        return self.added + [new for _old, new in self.changed]


def _fingerprint(entry: ListEntry) -> bytes:
    return orjson.dumps(entry.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)


def diff_entries(
    old: list[ListEntry], new: list[ListEntry]
) -> tuple[list[ListEntry], list[ListEntry], list[tuple[ListEntry, ListEntry]]]:
    """(added, removed, changed) between two lists of entries, keyed by entry id."""
    before = {e.id: e for e in old}
    after = {e.id: e for e in new}
    added = [e for k, e in after.items() if k not in before]
    removed = [e for k, e in before.items() if k not in after]
    changed = [
        (before[k], e)
        for k, e in after.items()
        if k in before and _fingerprint(before[k]) != _fingerprint(e)
    ]
    return added, removed, changed


def previous_snapshot(settings: Settings, meta: SnapshotMeta) -> SnapshotMeta | None:
    """The snapshot of the same slot imported just before `meta` that was ever current
    (current or superseded), if any."""
    index = read_index(settings)
    earlier = [
        m
        for m in index.snapshots
        if m.slot == meta.slot
        and m.id != meta.id
        and m.imported_at < meta.imported_at
        and m.status in (SnapshotStatus.CURRENT, SnapshotStatus.SUPERSEDED)
    ]
    return max(earlier, key=lambda m: m.imported_at) if earlier else None


def diff_snapshots(
    settings: Settings,
    new_id: str | None = None,
    old_id: str | None = None,
    slot: str | None = None,
) -> SnapshotDiff:
    """Diff two snapshots. Defaults: `new` = the current snapshot of `slot`, `old` = the one
    before it. With no old snapshot every entry counts as added."""
    index = read_index(settings)
    if new_id:
        new = index.get(new_id)
    elif slot:
        found = index.current(slot)
        if found is None:
            raise SnapshotError(f"no current snapshot for {slot!r}")
        new = found
    else:
        raise SnapshotError("name a snapshot id or a slot to diff")
    old = index.get(old_id) if old_id else previous_snapshot(settings, new)
    if old is not None and old.slot != new.slot:
        raise SnapshotError(f"{old.id} and {new.id} are versions of different lists")
    old_entries = snapshot_entries(settings, old) if old else []
    added, removed, changed = diff_entries(old_entries, snapshot_entries(settings, new))
    return SnapshotDiff(old=old, new=new, added=added, removed=removed, changed=changed)
