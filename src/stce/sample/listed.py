"""Listed names and wallets to plant in synthetic declarations, read from the mirror.

Planted names come from the real lists so that the matcher is exercised on what it will meet;
without a mirror, the sample simply plants no listed parties (and says so in its truth file).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stce.model import EntryKind
from stce.refdata import iter_entries

UN_FILE = Path("sanctions") / "un" / "consolidated.xml"
CRYPTO_DIR = Path("sanctions") / "ofac" / "crypto_addresses"


@dataclass(frozen=True)
class ListedName:
    entry_id: str
    name: str
    is_person: bool
    country: str | None


@dataclass(frozen=True)
class ListedWallet:
    chain: str
    address: str


def _root(mirror: Path, rel: Path) -> Path | None:
    for base in (mirror, mirror.parent):
        if (base / rel).exists():
            return base / rel
    return None


def listed_names(mirror: Path | None) -> list[ListedName]:
    """Primary names of UN Security Council listed individuals and entities."""
    if mirror is None:
        return []
    path = _root(mirror, UN_FILE)
    if path is None:
        return []
    out: list[ListedName] = []
    for entry in iter_entries(path):
        if entry.kind not in (EntryKind.PERSON, EntryKind.ORGANISATION):
            continue
        codes = entry.nationalities or entry.countries
        country = codes[0] if codes else None
        out.append(
            ListedName(entry.id, entry.primary_name, entry.kind is EntryKind.PERSON, country)
        )
    return out


def listed_wallets(mirror: Path | None) -> list[ListedWallet]:
    """OFAC-listed digital currency addresses (one file per chain)."""
    if mirror is None:
        return []
    folder = _root(mirror, CRYPTO_DIR)
    if folder is None:
        return []
    out: list[ListedWallet] = []
    for f in sorted(folder.glob("sanctioned_addresses_*.txt")):
        chain = f.stem.removeprefix("sanctioned_addresses_")
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(ListedWallet(chain, line.strip()))
    return out
