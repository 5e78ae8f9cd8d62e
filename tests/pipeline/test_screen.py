"""End-to-end screening of generated batches: outputs, versions, store record."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import func, select

from stce.config import get_settings
from stce.pipeline import load_context, screen_file
from stce.store import ScreenedParty, ScreeningRecord, ScreeningRun, get_engine


def test_outputs_agree_and_carry_versions(sample_jsonl: tuple[Path, Path], tmp_path: Path) -> None:
    path, _ = sample_jsonl
    summary = screen_file(path, tmp_path / "out", record=False)
    assert summary.accepted == 2000 and summary.rejected == 0
    rows = [json.loads(x) for x in (tmp_path / "out" / "results.jsonl").read_text().splitlines()]
    table = pq.read_table(tmp_path / "out" / "results.parquet")
    assert table.num_rows == len(rows) == 2000
    assert table.column("declaration_id").to_pylist() == [r["declaration_id"] for r in rows]
    assert table.column("lane").to_pylist() == [r["lane"] for r in rows]
    assert sum(summary.lanes.values()) == 2000
    for r in rows:
        assert r["lane"] in {"green", "yellow", "blue", "red"}
        assert 0.0 <= r["score"] <= 1.0
        assert r["versions"]["stce"]
        assert r["versions"]["checks"]["countries"].startswith("countries:")
        for h in r["hits"]:
            assert set(h) >= {"check", "code", "severity", "message", "evidence"}
        if r["lane"] != "green":
            assert r["hits"] and r["explanation"]
    parquet_hits = table.column("hits").to_pylist()
    first_hit = next(h for hs in parquet_hits for h in hs)
    assert json.loads(first_hit["evidence"])


def test_planted_embargoed_destinations_are_not_released(
    sample_jsonl: tuple[Path, Path], tmp_path: Path
) -> None:
    path, truth_path = sample_jsonl
    screen_file(path, tmp_path / "out", record=False, report=False)
    lanes = {}
    for x in (tmp_path / "out" / "results.jsonl").read_text().splitlines():
        r = json.loads(x)
        lanes[r["declaration_id"]] = r["lane"]
    embargoed = [
        t["declaration_id"]
        for t in map(json.loads, truth_path.read_text().splitlines())
        if any(s["type"] == "embargoed_destination" for s in t["scenarios"])
    ]
    assert embargoed
    assert all(lanes[i] in {"yellow", "red"} for i in embargoed)


def test_run_is_recorded_once(
    sample_jsonl: tuple[Path, Path],
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STCE_DATABASE_URL", database_url)
    path, _ = sample_jsonl
    context = load_context(get_settings())
    first = screen_file(path, tmp_path / "a", context=context, report=False)
    again = screen_file(path, tmp_path / "b", context=load_context(get_settings()), report=False)
    assert first.batch_id == again.batch_id
    assert again.replaced
    engine = get_engine(database_url)
    with engine.connect() as conn:
        runs = conn.execute(
            select(ScreeningRun).where(ScreeningRun.batch_id == first.batch_id)
        ).all()
        assert len(runs) == 1
        run = runs[0]
        assert run.counts["accepted"] == 2000
        assert run.versions["stce"]
        n_results = conn.scalar(
            select(func.count())
            .select_from(ScreeningRecord)
            .where(ScreeningRecord.run_id == run.id)
        )
        assert n_results == 2000
        n_parties = conn.scalar(
            select(func.count()).select_from(ScreenedParty).where(ScreenedParty.run_id == run.id)
        )
        assert n_parties and n_parties >= 4000
