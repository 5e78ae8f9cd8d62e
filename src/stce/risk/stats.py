"""Per-rule and per-lane performance from stored results and inspection outcomes.

Definitions (shown by `stce rules stats`):

- *hits*: declarations on which the rule fired (active or shadow);
- *inspected*: of those, declarations with an inspection outcome;
- *findings*: inspected declarations where the inspection found an irregularity or a seizure;
- *hit rate*: findings / inspected (the share of the rule's inspected hits that found something);
- *lane precision*: findings / inspected among declarations given that lane. Random selections
  are counted apart: their finding rate estimates the rate among unselected declarations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from stce.risk.outcomes import Result

RANDOM_BUCKET = "random"


@dataclass
class Tally:
    hits: int = 0
    inspected: int = 0
    findings: int = 0
    seizures: int = 0

    def add(self, outcome: Result | None) -> None:
        self.hits += 1
        if outcome is None:
            return
        self.inspected += 1
        if outcome.is_finding:
            self.findings += 1
        if outcome is Result.SEIZURE:
            self.seizures += 1

    @property
    def rate(self) -> float | None:
        return self.findings / self.inspected if self.inspected else None


@dataclass
class StatsReport:
    declarations: int = 0
    rules: dict[str, Tally] = field(default_factory=dict)
    shadow: dict[str, Tally] = field(default_factory=dict)
    lanes: dict[str, Tally] = field(default_factory=dict)


def compute_stats(
    records: Iterable[tuple[str, str, list[dict[str, Any]]]],
    outcomes: Mapping[str, Result],
) -> StatsReport:
    """`records`: (declaration id, lane, public hits) of one result per declaration."""
    report = StatsReport()
    for decl_id, lane, hits in records:
        report.declarations += 1
        outcome = outcomes.get(decl_id)
        randomly = any(h.get("code") == "RANDOM_SELECTION" for h in hits)
        report.lanes.setdefault(RANDOM_BUCKET if randomly else lane, Tally()).add(outcome)
        seen: set[str] = set()
        for h in hits:
            if h.get("check") != "rules":
                continue
            code = str(h.get("code"))
            if code in seen:
                continue
            seen.add(code)
            ev = h.get("evidence") or {}
            bucket = report.shadow if ev.get("shadow") else report.rules
            bucket.setdefault(code, Tally()).add(outcome)
    return report
