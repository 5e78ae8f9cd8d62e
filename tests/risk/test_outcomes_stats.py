"""Inspection outcomes files and the statistics computed from them."""

from __future__ import annotations

from pathlib import Path

from stce.risk.outcomes import Result, read_outcomes
from stce.risk.stats import compute_stats


def test_read_csv_with_rejects(tmp_path: Path) -> None:
    f = tmp_path / "outcomes.csv"
    f.write_text(
        "declaration_id,inspected_at,result,notes\n"
        "EX-1,2026-11-12,Seizure,detonators found\n"
        "EX-2,2026-11-12T10:30:00Z,nothing found,\n"
        "EX-3,yesterday,irregularity,\n"
        "EX-4,2026-11-13,lost,\n"
        ",2026-11-13,seizure,\n",
        encoding="utf-8",
    )
    good, bad = read_outcomes(f)
    assert [(o.declaration_id, o.result) for o in good] == [
        ("EX-1", Result.SEIZURE),
        ("EX-2", Result.NOTHING_FOUND),
    ]
    assert good[0].notes == "detonators found" and good[1].notes is None
    assert [(r.line, r.field) for r in bad] == [
        (4, "inspected_at"),
        (5, "result"),
        (6, "declaration_id"),
    ]
    assert "nothing found, irregularity or seizure" in str(bad[1])


def test_read_jsonl(tmp_path: Path) -> None:
    f = tmp_path / "outcomes.jsonl"
    f.write_text(
        '{"declaration_id": "EX-1", "inspected_at": "2026-11-12", "result": "irregularity"}\n'
        "not json\n"
        '{"declaration_id": "EX-2", "inspected_at": "2026-11-12", "result": "seized", "x": 1}\n',
        encoding="utf-8",
    )
    good, bad = read_outcomes(f)
    assert [o.result for o in good] == [Result.IRREGULARITY]
    assert [(r.line, r.field) for r in bad] == [(2, "-"), (3, "x")]


def _rule(code: str, shadow: bool = False) -> dict[str, object]:
    ev: dict[str, object] = {"rule": code}
    if shadow:
        ev["shadow"] = True
    return {"check": "rules", "code": code, "evidence": ev}


def test_stats_hit_rate_and_lane_precision() -> None:
    records = [
        ("D1", "red", [_rule("A"), _rule("B")]),
        ("D2", "yellow", [_rule("A")]),
        ("D3", "yellow", [_rule("A"), _rule("S", shadow=True)]),
        ("D4", "green", []),
        ("D5", "yellow", [{"check": "selection", "code": "RANDOM_SELECTION"}]),
    ]
    outcomes = {
        "D1": Result.SEIZURE,
        "D2": Result.NOTHING_FOUND,
        "D3": Result.IRREGULARITY,
        "D5": Result.NOTHING_FOUND,
    }
    r = compute_stats(records, outcomes)
    assert r.declarations == 5
    a = r.rules["A"]
    assert (a.hits, a.inspected, a.findings, a.seizures) == (3, 3, 2, 1)
    assert abs((a.rate or 0) - 2 / 3) < 1e-9
    assert r.rules["B"].rate == 1.0
    assert r.shadow["S"].findings == 1 and "S" not in r.rules
    assert r.lanes["yellow"].inspected == 2 and r.lanes["yellow"].rate == 0.5
    assert r.lanes["random"].hits == 1 and r.lanes["random"].rate == 0.0
    assert r.lanes["green"].rate is None
