"""What the engine knows about the past: traders, parties, unit values, pairs and offences.

Some red flags need history (a new trader, a value far from the usual unit value for the HS
code, many small consignments between the same parties, earlier offences). The engine reads
them through the `History` protocol. `InMemoryHistory` is filled from the store by
`stce.store.risk.load_history` and from the batch itself as it streams (`observe`), so the
engine also works with an empty history: features that lack data are `null` or zero, and the
default pack only uses them once enough history exists (`history.declarations`).
"""

from __future__ import annotations

import math
import re
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Protocol

from stce.model import Declaration, GoodsItem

_PUNCT = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"})
_NON_WORD = re.compile(r"[^\w\s]|_", re.UNICODE)


@lru_cache(maxsize=1 << 16)
def party_key(name: str) -> str:
    """A party's key in the history: case-folded words of its name, punctuation removed."""
    folded = name.casefold().translate(_PUNCT)
    if not folded.isascii():
        folded = _NON_WORD.sub(" ", folded)
    return " ".join(folded.split())


def unit_value_basis(item: GoodsItem) -> tuple[str, float] | None:
    """The basis ('kg' or the declared unit) and the unit value of `item`, or None."""
    if item.value is None or item.value <= 0:
        return None
    if item.net_mass_kg:
        return "kg", item.value / item.net_mass_kg
    if item.quantity:
        return (item.unit or "u").lower(), item.value / item.quantity
    return None


def as_datetime(value: datetime | date | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value.replace(tzinfo=None) if value is not None else None
    return datetime(value.year, value.month, value.day)


class History(Protocol):
    """Read access to the past, plus `observe` to learn from the batch being screened."""

    def declarations(self) -> int:
        """How many declarations the history has seen (its coverage)."""
        ...

    def party_declarations(self, key: str) -> int:
        """Earlier declarations naming the party with this `party_key`."""
        ...

    def party_offences(self, key: str) -> int:
        """Earlier inspections of this party's declarations that found something."""
        ...

    def offenders(self) -> int:
        """How many parties have earlier findings (0: no need to look parties up)."""
        ...

    def usual_unit_value(self, hs6: str, basis: str) -> float | None:
        """The usual (geometric-mean) unit value for an HS subheading, or None if too few seen."""
        ...

    def pair_recent(
        self, consignor: str, consignee: str, at: datetime | date | None, window_days: int
    ) -> tuple[int, float]:
        """Earlier consignments between the two parties within the window: count and value."""
        ...

    def observe(self, declaration: Declaration) -> None:
        """Learn from a declaration after it has been assessed."""
        ...


@dataclass
class _Running:
    """Running count and mean of the logarithm of unit values (a geometric mean)."""

    n: int = 0
    mean_log: float = 0.0

    def add(self, value: float) -> None:
        self.n += 1
        self.mean_log += (math.log(value) - self.mean_log) / self.n


@dataclass
class InMemoryHistory:
    """A `History` held in dictionaries; cheap to query, fed by the store and the stream."""

    min_unit_values: int = 20
    """Unit values needed for an HS subheading before its usual unit value is trusted."""
    pair_window_cap: int = 200
    """Most recent consignments kept per party pair."""
    seen: int = 0
    parties: dict[str, int] = field(default_factory=dict)
    offences: dict[str, int] = field(default_factory=dict)
    unit_values: dict[tuple[str, str], _Running] = field(default_factory=dict)
    pairs: dict[tuple[str, str], deque[tuple[datetime | None, float]]] = field(default_factory=dict)

    def declarations(self) -> int:
        return self.seen

    def party_declarations(self, key: str) -> int:
        return self.parties.get(key, 0)

    def party_offences(self, key: str) -> int:
        return self.offences.get(key, 0)

    def offenders(self) -> int:
        return len(self.offences)

    def usual_unit_value(self, hs6: str, basis: str) -> float | None:
        r = self.unit_values.get((hs6, basis))
        if r is None or r.n < self.min_unit_values:
            return None
        return math.exp(r.mean_log)

    def pair_recent(
        self, consignor: str, consignee: str, at: datetime | date | None, window_days: int
    ) -> tuple[int, float]:
        past = self.pairs.get((consignor, consignee))
        if not past:
            return 0, 0.0
        at = as_datetime(at)
        if at is None:
            return len(past), sum(v for _, v in past)
        start = at - timedelta(days=window_days)
        n = 0
        total = 0.0
        for when, value in past:
            if when is None or start <= when <= at:
                n += 1
                total += value
        return n, total

    # -- learning --------------------------------------------------------------------

    def add_party(self, key: str, count: int = 1) -> None:
        self.parties[key] = self.parties.get(key, 0) + count

    def add_offence(self, key: str, count: int = 1) -> None:
        self.offences[key] = self.offences.get(key, 0) + count

    def add_unit_value(self, hs6: str, basis: str, value: float) -> None:
        if value > 0:
            r = self.unit_values.get((hs6, basis))
            if r is None:
                r = self.unit_values[(hs6, basis)] = _Running()
            r.add(value)

    def add_pair(self, consignor: str, consignee: str, at: datetime | None, value: float) -> None:
        q = self.pairs.get((consignor, consignee))
        if q is None:
            q = self.pairs[(consignor, consignee)] = deque(maxlen=self.pair_window_cap)
        q.append((at, value))

    def observe(self, declaration: Declaration) -> None:
        self.seen += 1
        parties = self.parties
        keys = {party_key(p.name) for p in declaration.parties}
        for k in keys:
            parties[k] = parties.get(k, 0) + 1
        total = 0.0
        for item in declaration.items:
            if item.value:
                total += item.value
                uv = unit_value_basis(item)
                if uv is not None:
                    self.add_unit_value(item.hs_code[:6], uv[0], uv[1])
        pair = consignment_pair(declaration)
        if pair is not None:
            self.add_pair(pair[0], pair[1], as_datetime(declaration.lodged_at), total)


def consignment_pair(declaration: Declaration) -> tuple[str, str] | None:
    """The (consignor, consignee) party keys of a declaration, if it names both."""
    consignor = consignee = None
    for p in declaration.parties:
        if consignor is None and p.role == "consignor":
            consignor = party_key(p.name)
        elif consignee is None and p.role == "consignee":
            consignee = party_key(p.name)
    if consignor is None or consignee is None:
        return None
    return consignor, consignee
