"""The licence registry snapshot a screening run works from.

The licence check never reads the store: the pipeline loads the licences referenced by a batch
(or all valid ones) with `stce.store.licences.load_registry` and hands this object over.
"""

from __future__ import annotations

from collections.abc import Iterable

from stce.licences.model import LicenceState, WriteOff
from stce.licences.rules import normalise_number


class LicenceRegistry:
    """Licences by normalised number, with balances and recorded write-offs."""

    def __init__(self, states: Iterable[LicenceState] = (), version: str = "") -> None:
        self._by_number: dict[str, LicenceState] = {}
        for st in states:
            self._by_number[normalise_number(st.licence.number)] = st
        self.version = version

    def get(self, number: str) -> LicenceState | None:
        return self._by_number.get(normalise_number(number))

    def __len__(self) -> int:
        return len(self._by_number)

    def __contains__(self, number: object) -> bool:
        return isinstance(number, str) and normalise_number(number) in self._by_number

    def previous_writeoffs(self, number: str, declaration_id: str) -> list[WriteOff]:
        """Write-offs this declaration already made on the licence (re-screening must not count
        them against itself)."""
        st = self.get(number)
        if st is None:
            return []
        return [w for w in st.writeoffs if w.declaration_id == declaration_id]
