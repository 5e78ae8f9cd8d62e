"""Listed vessels by IMO number: an exact lookup, like wallets.

Why exact: an IMO ship identification number is assigned once per hull and never reused or
changed (SOLAS XI-1/3), whatever the vessel is renamed or reflagged to, which is exactly how
listed tankers evade name screening. A declaration's `transport.means_id` naming that number is
the vessel, so it needs no fuzzy matching; what it needs is validation, because a number failing
the check digit is a typo or a forgery and must never be taken for another hull.

Check digit (IMO Resolution A.1078(28), the IMO ship identification number scheme): the first
six digits weighted 7, 6, 5, 4, 3, 2 from the left; the weighted sum's last digit is the seventh.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from stce.model import EntryKind, ListEntry

_IMO = re.compile(r"^\s*(?:imo)?[\s.:#-]*(?:no\.?|number)?[\s.:#-]*(\d{7})\s*$", re.IGNORECASE)
_WEIGHTS = (7, 6, 5, 4, 3, 2)

IMO_IDENTIFIER_TYPES = frozenset({"imo", "imo number", "vessel registration identification"})
"""`ListIdentifier.type` values that carry a ship's IMO number (loaders normalise to `imo`)."""


def imo_check_digit_ok(digits: str) -> bool:
    """True when seven digits carry a valid IMO check digit."""
    if len(digits) != 7 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=False))
    return total % 10 == int(digits[6])


def parse_imo(text: str | None) -> str | None:
    """The seven IMO digits of "IMO 9187629", "IMO: 9187629", "9187629"; None when `text` is
    not an IMO number or its check digit fails."""
    if not text:
        return None
    m = _IMO.match(text)
    if m is None:
        return None
    digits = m.group(1)
    return digits if imo_check_digit_ok(digits) else None


_IMO_INSIDE = re.compile(
    r"(?:\bimo[\s.:#-]*(?:no\.?|number)?[\s.:#-]*|(?<![\w-]))(\d{7})(?![\w-])", re.IGNORECASE
)


def looks_like_imo(text: str) -> bool:
    """Text carrying an IMO-shaped number (seven digits, optionally prefixed "IMO"), valid or
    not ("IMO 9187629", "MV ARTAVIL IMO 9187629"): such a `means_id` is identified by the
    number, never screened as a vessel name."""
    return _IMO_INSIDE.search(text) is not None


def find_imo(text: str | None) -> str | None:
    """The valid IMO number inside `text` ("MV ARTAVIL (IMO 9187629)" → "9187629"), or None."""
    if not text:
        return None
    for m in _IMO_INSIDE.finditer(text):
        if imo_check_digit_ok(m.group(1)):
            return m.group(1)
    return None


@dataclass(frozen=True, slots=True)
class VesselHit:
    entry: ListEntry
    imo: str
    vessel_name: str


class VesselIndex:
    """Valid IMO numbers of listed vessels → the entries listing them.

    Only entries of kind vessel are indexed: organisations on the lists also carry seven-digit
    IMO *company* numbers (ship owners, managers), which name no hull.
    """

    def __init__(self, entries: Iterable[ListEntry]) -> None:
        self._by_imo: dict[str, list[ListEntry]] = {}
        self.rejected: list[tuple[str, str]] = []
        """(entry id, value) of listed IMO numbers failing the check digit: kept for reports."""
        for entry in entries:
            if entry.kind != EntryKind.VESSEL:
                continue
            seen: set[str] = set()
            for ident in entry.identifiers:
                if ident.type.strip().lower() not in IMO_IDENTIFIER_TYPES:
                    continue
                imo = parse_imo(ident.value)
                if imo is None:
                    self.rejected.append((entry.id, ident.value))
                elif imo not in seen:
                    seen.add(imo)
                    self._by_imo.setdefault(imo, []).append(entry)

    def __len__(self) -> int:
        return len(self._by_imo)

    def match(self, means_id: str | None) -> list[VesselHit]:
        """Listed vessels with exactly this IMO number (none for an invalid number)."""
        imo = find_imo(means_id)
        if imo is None:
            return []
        return [VesselHit(e, imo, e.primary_name) for e in self._by_imo.get(imo, [])]
