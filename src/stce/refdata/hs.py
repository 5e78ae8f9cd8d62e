"""The Harmonized System nomenclature (HS 2022, with HS 2017 and their official correlation).

Loaded from an offline mirror laid out as the official UN Comtrade / UNSD files
(`hs/hs2022/harmonized-system.csv`, `hs/hs2017/harmonized-system.csv`,
`hs/correlation/hs2022_hs2017_correlations.csv`). Used to validate declared codes and to read
legacy HS 2017 declarations.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

HS2022_FILE = Path("hs") / "hs2022" / "harmonized-system.csv"
HS2017_FILE = Path("hs") / "hs2017" / "harmonized-system.csv"
CORRELATION_FILE = Path("hs") / "correlation" / "hs2022_hs2017_correlations.csv"


class HsStatus(StrEnum):
    HS2022 = "hs2022"
    HS2017_ONLY = "hs2017_only"
    UNKNOWN = "unknown"


@dataclass
class HsNomenclature:
    """Six-digit subheadings of HS 2022 and HS 2017 with their descriptions."""

    hs2022: dict[str, str]
    hs2017: dict[str, str]
    headings2022: dict[str, str] = field(default_factory=dict)
    hs2017_to_2022: dict[str, list[str]] = field(default_factory=dict)
    version: str = ""

    def status(self, code: str) -> HsStatus:
        """Whether the first six digits of `code` are an HS 2022 subheading, HS 2017 only, or
        neither."""
        six = code[:6]
        if six in self.hs2022:
            return HsStatus.HS2022
        if six in self.hs2017:
            return HsStatus.HS2017_ONLY
        return HsStatus.UNKNOWN

    def describe(self, code: str) -> str | None:
        six = code[:6]
        return self.hs2022.get(six) or self.hs2017.get(six)

    def successors(self, hs2017_code: str) -> list[str]:
        """HS 2022 subheadings that an HS 2017 subheading was split into or merged with."""
        return self.hs2017_to_2022.get(hs2017_code[:6], [])


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield from csv.DictReader(fh)


def _subheadings(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    subs: dict[str, str] = {}
    headings: dict[str, str] = {}
    for row in _rows(path):
        code = (row.get("hscode") or "").strip()
        level = (row.get("level") or "").strip()
        if code.startswith(("98", "99")):
            continue  # reserved for national use; Comtrade's 999999 is not an HS subheading
        if level == "6" and len(code) == 6 and code.isdigit():
            subs[code] = (row.get("description") or "").strip()
        elif level == "4" and len(code) == 4 and code.isdigit():
            headings[code] = (row.get("description") or "").strip()
    return subs, headings


def load_hs(mirror: Path) -> HsNomenclature:
    """Read the nomenclature from `mirror` (the folder that holds `hs/`).

    Raises FileNotFoundError naming the missing file when the mirror lacks HS 2022.
    """
    root = mirror if (mirror / HS2022_FILE).exists() else mirror.parent
    path22 = root / HS2022_FILE
    if not path22.exists():
        raise FileNotFoundError(f"HS 2022 nomenclature not found: {mirror / HS2022_FILE}")
    hs2022, headings = _subheadings(path22)
    hs2017: dict[str, str] = {}
    if (root / HS2017_FILE).exists():
        hs2017, _ = _subheadings(root / HS2017_FILE)
    corr: dict[str, list[str]] = {}
    corr_path = root / CORRELATION_FILE
    if corr_path.exists():
        with corr_path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            for row in reader:
                if len(row) < 2:
                    continue
                new, old = row[0].strip(), row[1].strip()
                if len(new) == 6 and new.isdigit() and len(old) == 6 and old.isdigit():
                    corr.setdefault(old, []).append(new)
    digest = hashlib.sha256(path22.read_bytes()).hexdigest()[:12]
    return HsNomenclature(
        hs2022=hs2022,
        hs2017=hs2017,
        headings2022=headings,
        hs2017_to_2022=corr,
        version=f"hs2022:{digest}",
    )
