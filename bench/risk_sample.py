"""Catch rate of the default rule pack on a `stce sample` batch with its truth file.

Run:
    stce sample --n 20000 --seed 1540 --out /tmp/s.jsonl --truth /tmp/t.jsonl
    python bench/risk_sample.py /tmp/s.jsonl /tmp/t.jsonl

Runs the checks the pipeline registry builds (whatever is wired in), then the rule engine of
the default pack, and prints: the share of planted declarations landing red or yellow (overall
and per scenario), the share of clean declarations selected (red or yellow, random selection
excluded), lane counts, the rules firing on clean declarations, and the engine's cost.
"""

from __future__ import annotations

import gc
import sys
import time
from collections import Counter
from pathlib import Path

import orjson

from stce.model import Declaration, Hit
from stce.pipeline.registry import build_checks
from stce.pipeline.runner import load_context
from stce.risk.factory import build_engine

SELECTED = {"red", "yellow"}


def main(sample: Path, truth_path: Path, batch_size: int = 2000) -> None:
    truth: dict[str, list[str]] = {}
    for line in truth_path.read_bytes().splitlines():
        if line.strip():
            row = orjson.loads(line)
            truth[row["declaration_id"]] = [s["type"] for s in row["scenarios"]]
    context = load_context()
    checks = build_checks(context)
    engine = build_engine(context)
    print("checks:", context.versions.get("checks"), "| rules:", context.versions.get("rules"))
    decls = [Declaration.model_validate_json(x) for x in sample.read_bytes().splitlines() if x]
    per: list[list[Hit]] = [[] for _ in decls]
    for i in range(0, len(decls), batch_size):
        chunk = decls[i : i + batch_size]
        for check in checks:
            for acc, hits in zip(per[i : i + batch_size], check.check(chunk), strict=True):
                acc.extend(hits)
    gc.freeze()  # as the pipeline runner does
    gc.set_threshold(50_000, 20, 100)
    t0 = time.process_time()
    results = [engine.assess(d, h) for d, h in zip(decls, per, strict=True)]
    dt = time.process_time() - t0

    lanes: Counter[str] = Counter()
    planted = caught = clean = clean_selected = randomly = 0
    by_scenario: Counter[str] = Counter()
    caught_by_scenario: Counter[str] = Counter()
    clean_rules: Counter[str] = Counter()
    missed: list[tuple[str, list[str], str]] = []
    for d, a in zip(decls, results, strict=True):
        lanes[a.lane.value] += 1
        scen = truth.get(d.declaration_id)
        if scen is None:
            clean += 1
            if a.random_selected:
                randomly += 1
            elif a.lane.value in SELECTED:
                clean_selected += 1
                clean_rules.update(a.fired)
            continue
        planted += 1
        hit = a.lane.value in SELECTED and not a.random_selected
        caught += hit
        for s in set(scen):
            by_scenario[s] += 1
            caught_by_scenario[s] += hit
        if not hit and len(missed) < 15:
            missed.append((d.declaration_id, scen, a.lane.value))
    print(
        f"declarations: {len(decls)}  engine: {dt / len(decls) * 1e6:.1f} µs/declaration "
        "(CPU time, learning history as it streams)"
    )
    print(f"lanes: {dict(lanes)}  (random selections: {randomly})")
    print(f"planted caught (red or yellow): {caught}/{planted} = {caught / max(planted, 1):.1%}")
    print(
        f"clean selected (red or yellow, random excluded): {clean_selected}/{clean} "
        f"= {clean_selected / max(clean, 1):.2%}"
    )
    for s, n in by_scenario.most_common():
        print(f"  {s:24s} {caught_by_scenario[s]:4d}/{n:<4d} {caught_by_scenario[s] / n:.0%}")
    if clean_rules:
        print("rules firing on selected clean declarations:", dict(clean_rules.most_common(10)))
    for m in missed:
        print("  missed:", *m)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
