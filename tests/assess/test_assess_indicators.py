from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from stce.assess.indicators import IndicatorStatus, indicator_providers, measure_all
from stce.store import ScreeningRecord, ScreeningRun, get_engine

DAY = date(2026, 11, 27)


def _seed(url: str) -> None:
    engine = get_engine(url)
    with Session(engine) as s:
        run = ScreeningRun(
            batch_id="b1",
            input_name="d.jsonl",
            input_sha256="0" * 64,
            started_at=datetime(2026, 11, 20, tzinfo=UTC),
            counts={"read": 5, "accepted": 3, "rejected": 2},
            versions={"lists": {"un": {"date": "2026-11-01"}, "ofac": {"as_of": "2026-10-28"}}},
        )
        old = ScreeningRun(
            batch_id="b0",
            input_name="old.jsonl",
            input_sha256="1" * 64,
            started_at=datetime(2026, 1, 1, tzinfo=UTC),
            counts={"declarations": 100},
        )
        s.add_all([run, old])
        s.flush()
        hits = [
            [{"code": "PARTY_LISTED"}],
            [{"code": "GOODS_STRATEGIC"}, {"code": "PARTY_LISTED"}],
            [],
        ]
        lanes = ["red", "yellow", "green"]
        for i, (lane, h) in enumerate(zip(lanes, hits, strict=True)):
            s.add(
                ScreeningRecord(run_id=run.id, declaration_id=f"d{i}", lane=lane, score=0.5, hits=h)
            )
        s.add(ScreeningRecord(run_id=old.id, declaration_id="x", lane="red", score=1, hits=[]))
        s.commit()


def test_indicators_computed_from_screening_runs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'i.db'}"
    _seed(url)
    values = {v.id: v for v in measure_all(get_engine(url), DAY)}
    cov = values["screening_coverage"]
    assert cov.status is IndicatorStatus.AVAILABLE
    assert cov.value == 60.0 and cov.details == {"screened": 3, "lodged": 5, "runs": 1}
    rates = values["rule_hit_rates"]
    assert rates.details["code:PARTY_LISTED"] == 66.67
    assert rates.details["lane:green"] == 33.33 and rates.value == 66.67
    age = values["list_age_days"]
    assert age.value == 30.0  # 2026-10-28 to 2026-11-27
    assert age.source.startswith("screening_runs")


def test_missing_data_is_unavailable_not_zero(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    values = {v.id: v for v in measure_all(get_engine(url), DAY)}
    assert set(values) == set(indicator_providers())
    for key in (
        "screening_coverage",
        "rule_hit_rates",
        "list_age_days",
        "referral_turnaround_days",
        "ftz_reconciliation_coverage",
    ):
        assert values[key].status is IndicatorStatus.UNAVAILABLE
        assert values[key].value is None and values[key].reason


def test_list_age_prefers_current_snapshots(monkeypatch: pytest.MonkeyPatch) -> None:
    from stce.refdata import snapshots
    from stce.refdata.snapshots import SnapshotIndex, SnapshotMeta, SnapshotStatus

    metas = [
        SnapshotMeta(
            id=f"s{i}",
            slot=slot,
            title=slot,
            published=pub,
            checksum="x",
            content_checksum="y",
            imported_at=datetime(2026, 11, 26, tzinfo=UTC),
            status=SnapshotStatus.CURRENT,
            directory=f"s{i}",
        )
        for i, (slot, pub) in enumerate([("un-sc", date(2026, 11, 20)), ("ofac-sdn", None)])
    ]
    monkeypatch.setattr(snapshots, "read_index", lambda _s: SnapshotIndex(snapshots=metas))
    values = {v.id: v for v in measure_all(None, DAY)}
    age = values["list_age_days"]
    assert age.status is IndicatorStatus.AVAILABLE and age.value == 7.0
    assert age.details == {"ofac-sdn": 1.0, "un-sc": 7.0}
    assert age.source.startswith("current list snapshots")
