"""Which goods items of a declaration are strategic: the interface the licence check plugs into.

The goods check (`stce.goods`) identifies strategic items from control-list knowledge, HS
correlation, CAS numbers and descriptions. The licence and movement checks only need its answer,
so they receive any object that satisfies `StrategicDeterminer`; `HsSubheadingDeterminer` is a
small real one (HS subheading lists, e.g. the CHPL or the CWC subheadings of HS 2022) used until
and alongside the goods identifier.
"""

from __future__ import annotations

import csv
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from stce.model import Declaration, GoodsItem


@dataclass(frozen=True)
class StrategicItem:
    """One goods line found strategic, with the control entries and regimes behind it."""

    line: int
    control_entries: tuple[str, ...] = ()
    regimes: tuple[str, ...] = ()
    reason: str = ""


@runtime_checkable
class StrategicDeterminer(Protocol):
    version: str

    def strategic_items(self, declaration: Declaration) -> list[StrategicItem]:
        """The strategic lines of `declaration` (empty when none)."""
        ...


@dataclass(frozen=True)
class HsRule:
    control_entries: tuple[str, ...] = ()
    regimes: tuple[str, ...] = ()
    reason: str = ""


class HsSubheadingDeterminer:
    """Strategic when the declared HS code starts with a listed prefix (4 to 10 digits).

    Longest prefix wins, so a list can name a whole heading and refine one subheading.
    """

    def __init__(self, rules: Mapping[str, HsRule], version: str = "hs-list") -> None:
        self._rules = {k.replace(".", "").strip(): v for k, v in rules.items()}
        self._lengths = sorted({len(k) for k in self._rules}, reverse=True)
        self.version = version

    def rule_for(self, hs_code: str) -> HsRule | None:
        for n in self._lengths:
            rule = self._rules.get(hs_code[:n])
            if rule is not None:
                return rule
        return None

    def item(self, goods: GoodsItem) -> StrategicItem | None:
        rule = self.rule_for(goods.hs_code)
        if rule is None:
            return None
        return StrategicItem(goods.line, rule.control_entries, rule.regimes, rule.reason)

    def strategic_items(self, declaration: Declaration) -> list[StrategicItem]:
        out: list[StrategicItem] = []
        for goods in declaration.items:
            found = self.item(goods)
            if found is not None:
                out.append(found)
        return out

    @classmethod
    def from_codes(
        cls, codes: Iterable[str], regime: str, control_entry: str | None = None
    ) -> HsSubheadingDeterminer:
        entries = (control_entry,) if control_entry else ()
        rule = HsRule(entries, (regime,), f"HS subheading on the {regime} list")
        return cls({c: rule for c in codes}, version=f"hs-list:{regime}")

    @classmethod
    def from_csv(
        cls,
        path: Path,
        regime: str,
        code_column: str = "hs6",
        reason_column: str | None = None,
    ) -> HsSubheadingDeterminer:
        """Read a list of HS codes (e.g. `controls/chpl_hs6_tiers.csv` of the mirror)."""
        rules: dict[str, HsRule] = {}
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for n, row in enumerate(csv.DictReader(fh), start=2):
                code = (row.get(code_column) or "").strip()
                if not code.isdigit():
                    raise ValueError(
                        f"{path}:{n}: column {code_column!r} is not an HS code: {code!r}"
                    )
                reason = (row.get(reason_column) or "").strip() if reason_column else ""
                rules[code] = HsRule((), (regime,), reason or f"HS {code} on the {regime} list")
        return cls(rules, version=f"hs-list:{regime}:{path.name}")


class _Candidate(Protocol):
    @property
    def entry(self) -> str: ...
    @property
    def regimes(self) -> Sequence[str]: ...
    @property
    def watch_only(self) -> bool: ...


class _Assessment(Protocol):
    @property
    def strategic(self) -> bool: ...
    @property
    def candidates(self) -> Sequence[_Candidate]: ...


class GoodsIdentifierLike(Protocol):
    """What `stce.goods.identify.GoodsIdentifier` offers: batch identification of goods lines."""

    @property
    def version(self) -> str: ...

    def identify_many(self, items: Iterable[GoodsItem]) -> Sequence[_Assessment]: ...


class IdentifierDeterminer:
    """Adapts the goods identifier to `StrategicDeterminer`.

    A line needs a licence when the identifier finds it strategic through at least one control
    entry that is not watch-only (a watch-list HS code alone starts commodity identification; it
    is not a control decision).
    """

    def __init__(self, identifier: GoodsIdentifierLike, include_watch_only: bool = False) -> None:
        self.identifier = identifier
        self.include_watch_only = include_watch_only
        self.version = f"goods:{identifier.version}"

    def strategic_items(self, declaration: Declaration) -> list[StrategicItem]:
        out: list[StrategicItem] = []
        found = self.identifier.identify_many(declaration.items)
        for goods, assessment in zip(declaration.items, found, strict=True):
            if not assessment.strategic:
                continue
            cands = [
                c for c in assessment.candidates if self.include_watch_only or not c.watch_only
            ]
            if not cands:
                continue
            regimes = tuple(sorted({r for c in cands for r in c.regimes}))
            entries = tuple(dict.fromkeys(c.entry for c in cands))
            out.append(
                StrategicItem(goods.line, entries, regimes, f"identified as {', '.join(entries)}")
            )
        return out


class CachingDeterminer:
    """Remembers the answer per declaration so the licence and movement checks of one run ask
    the (costly) goods identification once. Bounded; keyed by declaration id and object."""

    def __init__(self, inner: StrategicDeterminer, size: int = 65536) -> None:
        self.inner = inner
        self.version = inner.version
        self.size = size
        self._memo: OrderedDict[str, tuple[Declaration, list[StrategicItem]]] = OrderedDict()

    def strategic_items(self, declaration: Declaration) -> list[StrategicItem]:
        got = self._memo.get(declaration.declaration_id)
        if got is not None and got[0] is declaration:
            return got[1]
        items = self.inner.strategic_items(declaration)
        self._memo[declaration.declaration_id] = (declaration, items)
        if len(self._memo) > self.size:
            self._memo.popitem(last=False)
        return items
