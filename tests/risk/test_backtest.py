"""Backtesting a candidate pack against declarations and results."""

from __future__ import annotations

import csv
from pathlib import Path

import orjson
import pytest

from stce.ingest import Reject
from stce.risk.backtest import InputError, backtest_rows, compare
from stce.risk.pack import Status, load_default_pack, loads_pack
from tests.risk.builders import decl, hit, item

CANDIDATE = """
pack: {id: cand, version: "2", title: Candidate}
lanes:
  default: {red: 0.7, yellow: 0.4, blue: 0.2}
rules:
  - id: CASH_RED
    title: cash is red
    rationale: test
    source: test source
    condition: payment_method == "cash"
    lane: red
  - id: LISTED_DRAFT
    title: listed party, draft
    rationale: test
    source: test source
    condition: hits.any(code == "PARTY_LISTED")
    weight: 0.5
    status: draft
"""


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path


def test_compare_counts_lanes_transitions_and_hits() -> None:
    rows = [
        (decl(declaration_id="D1"), []),
        (decl(declaration_id="D2", payment={"method": "cash"}), []),
        (decl(declaration_id="D3"), [hit("parties", "PARTY_LISTED", 0.97)]),
    ]
    base = load_default_pack()
    cand = loads_pack(CANDIDATE)
    r = compare(base, cand, rows)
    assert r.declarations == 3
    assert r.lanes_before == {"green": 1, "blue": 1, "red": 1}
    assert r.lanes_after == {"green": 2, "red": 1}
    assert r.transitions[("blue", "red")] == 1 and r.transitions[("red", "green")] == 1
    assert r.hits_before["CASH_PAYMENT"] == 1 and r.hits_after["CASH_RED"] == 1
    assert ("D3", "red", "green") in r.changed
    promoted = compare(base, cand, rows, promote=(Status.DRAFT,))
    assert promoted.hits_after["LISTED_DRAFT"] == 1
    assert promoted.as_dict()["transitions"]["red->yellow"] == 1


def test_rows_from_results_and_declarations(tmp_path: Path) -> None:
    decls = write_jsonl(
        tmp_path / "d.jsonl",
        [decl(declaration_id=i, items=[item("610910")]).model_dump(mode="json") for i in "AB"],
    )
    listed = hit("parties", "PARTY_LISTED", 0.95).public()
    results = write_jsonl(
        tmp_path / "r.jsonl",
        [
            {
                "declaration_id": "A",
                "lane": "red",
                "hits": [listed, {"check": "rules", "code": "X"}],
            },
            {"declaration_id": "B", "lane": "green", "hits": []},
        ],
    )
    rows = list(backtest_rows(results, decls))
    assert [d.declaration_id for d, _ in rows] == ["A", "B"]
    assert [h.code for h in rows[0][1]] == ["PARTY_LISTED"]
    assert all(hits == [] for _, hits in backtest_rows(decls))
    with pytest.raises(InputError, match="--declarations"):
        list(backtest_rows(results))


def test_bad_records_are_rejected_with_position_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    good = decl(declaration_id="G").model_dump_json()
    bad.write_text(good + '\n{"declaration_id": "A", "procedure": "export", "items": []}\n')
    with pytest.raises(InputError, match=r"bad.jsonl: record 2 \(A\): items"):
        list(backtest_rows(bad))
    rejects: list[Reject] = []
    rows = list(backtest_rows(bad, rejects=rejects))
    assert [d.declaration_id for d, _ in rows] == ["G"]
    assert [(r.position, r.declaration_id, r.field) for r in rejects] == [(2, "A", "items")]


def test_csv_declarations(tmp_path: Path) -> None:
    from stce.sample.writer import to_rows

    path = tmp_path / "d.csv"
    rows = to_rows(decl(declaration_id="C1").model_dump(mode="json", exclude_none=True))
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    assert [d.declaration_id for d, _ in backtest_rows(path)] == ["C1"]
