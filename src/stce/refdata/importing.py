"""Import every recognised list file under a folder (an offline mirror of official files).

Why a folder: air-gapped customs networks receive the lists on media, not from the internet.
Files that are not lists (HS tables, control lists, anything else) are reported as skipped; when
several files of the folder are versions of the same list, only the newest is imported and the
others are reported, so an old copy never shadows a newer one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from stce.config import Settings
from stce.refdata.loaders import ListSource, recognise, slot_of
from stce.refdata.snapshots import DEFAULT_MAX_SHRINK, ImportOutcome, import_file

SKIP_DIRS = {".git", "__pycache__"}


@dataclass
class DirectoryImport:
    outcomes: list[ImportOutcome] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(path, reason) of files not imported."""


@dataclass
class _Candidate:
    path: Path
    src: ListSource
    slot: str
    published: date | None
    preference: int


def _walk(root: Path) -> list[Path]:
    out: list[Path] = []
    for path in sorted(root.rglob("*")):
        if any(part in SKIP_DIRS or part.startswith(".") for part in path.relative_to(root).parts):
            continue
        if path.is_file():
            out.append(path)
    return out


def plan_directory(root: Path) -> tuple[list[_Candidate], list[tuple[str, str]]]:
    """Which files of `root` to import (newest per slot) and which to skip, with reasons."""
    skipped: list[tuple[str, str]] = []
    by_slot: dict[str, list[_Candidate]] = {}
    companions: set[Path] = set()
    recognised: list[tuple[Path, ListSource]] = []
    for path in _walk(root):
        src = recognise(path)
        if src is None:
            continue
        recognised.append((path, src))
        companions.update(src.companion_files(path))
    for path in _walk(root):
        if path in companions:
            continue
        if not any(path == p for p, _ in recognised):
            skipped.append((str(path), "not a recognised list"))
    for path, src in recognised:
        if path in companions:
            continue
        published, _how = src.publication(path)
        slot = slot_of(src, path)
        by_slot.setdefault(slot, []).append(
            _Candidate(path, src, slot, published, src.preference(path))
        )
    chosen: list[_Candidate] = []
    for slot, cands in sorted(by_slot.items()):
        cands.sort(key=lambda c: (c.published or date.min, c.preference), reverse=True)
        chosen.append(cands[0])
        for other in cands[1:]:
            skipped.append(
                (
                    str(other.path),
                    f"older or duplicate version of {slot}; imported {cands[0].path.name} "
                    f"({cands[0].published or 'undated'}) instead",
                )
            )
    return chosen, skipped


def import_directory(
    settings: Settings,
    root: Path,
    *,
    confirm: bool = False,
    max_shrink: float = DEFAULT_MAX_SHRINK,
) -> DirectoryImport:
    """Import the newest version of every list found under `root` (or `root` itself if a file)."""
    result = DirectoryImport()
    if root.is_file():
        result.outcomes.append(import_file(settings, root, confirm=confirm, max_shrink=max_shrink))
        return result
    chosen, skipped = plan_directory(root)
    result.skipped = skipped
    for cand in chosen:
        result.outcomes.append(
            import_file(settings, cand.path, confirm=confirm, max_shrink=max_shrink, src=cand.src)
        )
    return result
