"""Backtesting: how lanes and rule hits would change if a candidate pack replaced the active one.

Both packs see the same declarations, the same hits of the other checks and the same history
(fed once per declaration, in order), so every difference comes from the rules. The random
selection is off by default: it would blur the comparison with lanes drawn by lot.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from stce.ingest import Reject, UnknownFormatError
from stce.ingest import read_declarations as ingest_read
from stce.model import Declaration, Hit
from stce.risk.history import History, InMemoryHistory
from stce.risk.pack import Pack, Status
from stce.risk.selectivity import RULES_CHECK, SELECTION_CHECK, RuleEngine


class InputError(ValueError):
    """A backtest input that cannot be read; the message names the file, line and field."""


@dataclass
class BacktestReport:
    baseline: str
    candidate: str
    declarations: int = 0
    lanes_before: Counter[str] = field(default_factory=Counter)
    lanes_after: Counter[str] = field(default_factory=Counter)
    transitions: Counter[tuple[str, str]] = field(default_factory=Counter)
    hits_before: Counter[str] = field(default_factory=Counter)
    hits_after: Counter[str] = field(default_factory=Counter)
    shadow_after: Counter[str] = field(default_factory=Counter)
    changed: list[tuple[str, str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "baseline": self.baseline,
            "candidate": self.candidate,
            "declarations": self.declarations,
            "lanes_before": dict(self.lanes_before),
            "lanes_after": dict(self.lanes_after),
            "transitions": {f"{a}->{b}": n for (a, b), n in sorted(self.transitions.items())},
            "rule_hits_before": dict(self.hits_before),
            "rule_hits_after": dict(self.hits_after),
            "shadow_hits_after": dict(self.shadow_after),
            "changed": [{"declaration_id": d, "before": a, "after": b} for d, a, b in self.changed],
        }


def compare(
    baseline: Pack,
    candidate: Pack,
    rows: Iterable[tuple[Declaration, list[Hit]]],
    *,
    promote: Iterable[Status] = (),
    history: History | None = None,
    with_random: bool = False,
    keep_changed: int = 50,
) -> BacktestReport:
    """Assess `rows` with both packs and count lanes, transitions and rule hits."""
    hist = history if history is not None else InMemoryHistory()
    rate = None if with_random else 0.0
    before = RuleEngine(baseline, hist, learn=False, random_rate=rate)
    after = RuleEngine(candidate, hist, learn=False, random_rate=rate, promote=promote)
    report = BacktestReport(baseline.label, candidate.label)
    for decl, hits in rows:
        a = before.assess(decl, hits)
        b = after.assess(decl, hits)
        hist.observe(decl)
        report.declarations += 1
        report.lanes_before[a.lane.value] += 1
        report.lanes_after[b.lane.value] += 1
        report.transitions[(a.lane.value, b.lane.value)] += 1
        report.hits_before.update(a.fired)
        report.hits_after.update(b.fired)
        report.shadow_after.update(b.shadow)
        if a.lane != b.lane and len(report.changed) < keep_changed:
            report.changed.append((decl.declaration_id, a.lane.value, b.lane.value))
    return report


def _jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open("rb") as fh:
        for i, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise InputError(f"{path}:{i}: not valid JSON: {exc}") from None
            if not isinstance(row, dict):
                raise InputError(f"{path}:{i}: expected a JSON object")
            yield i, row


def is_results_file(path: Path) -> bool:
    """True for a results file of `stce screen` (JSON Lines rows with `hits`, no `items`)."""
    if path.suffix.lower() not in (".jsonl", ".ndjson", ".json"):
        return False
    for _, row in _jsonl(path):
        return "items" not in row and "hits" in row
    return False


def read_result_hits(path: Path) -> dict[str, list[Hit]]:
    """Hits of the checks (not of the rules or the random selection) per declaration id."""
    out: dict[str, list[Hit]] = {}
    for i, row in _jsonl(path):
        decl_id = row.get("declaration_id")
        if not isinstance(decl_id, str):
            raise InputError(f"{path}:{i}: declaration_id: missing")
        hits: list[Hit] = []
        for j, h in enumerate(row.get("hits") or []):
            if not isinstance(h, dict) or h.get("check") in (RULES_CHECK, SELECTION_CHECK):
                continue
            try:
                hits.append(Hit.model_validate(h))
            except ValueError as exc:
                raise InputError(f"{path}:{i}: hits[{j}]: {exc}") from None
        out[decl_id] = hits
    return out


def read_declarations(path: Path, rejects: list[Reject] | None = None) -> Iterator[Declaration]:
    """Declarations from a JSON Lines, CSV or Parquet file (the formats `stce screen` reads).

    Records that do not parse are appended to `rejects` (with position, id, field and reason)
    and skipped; without a `rejects` list the first one stops the backtest."""
    try:
        records = ingest_read(path)
        for rec in records:
            if isinstance(rec, Reject):
                if rejects is None:
                    raise InputError(
                        f"{path}: record {rec.position} ({rec.declaration_id or '?'}): "
                        f"{rec.field}: {rec.reason}"
                    )
                rejects.append(rec)
                continue
            yield rec.declaration
    except UnknownFormatError as exc:
        raise InputError(str(exc)) from None


def backtest_rows(
    against: Path, declarations: Path | None = None, rejects: list[Reject] | None = None
) -> Iterator[tuple[Declaration, list[Hit]]]:
    """(declaration, hits) pairs from a declarations file, or a results file plus declarations."""
    if is_results_file(against):
        if declarations is None:
            raise InputError(
                f"{against} is a results file: pass the screened declarations with --declarations"
            )
        hits = read_result_hits(against)
        for d in read_declarations(declarations, rejects):
            yield d, hits.get(d.declaration_id, [])
        return
    for d in read_declarations(against, rejects):
        yield d, []
