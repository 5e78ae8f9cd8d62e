"""Outcomes in the store, rule statistics and the history built from stored screenings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from stce.risk.outcomes import Outcome, Result
from stce.store import ScreenedParty, ScreeningRecord, ScreeningRun, session_factory
from stce.store.risk import (
    history_from_store,
    import_outcomes,
    latest_outcomes,
    load_history,
    rule_stats,
)

ROLE_A, ROLE_B = "consignor", "consignee"


def _rule(code: str) -> dict[str, object]:
    return {"check": "rules", "code": code, "evidence": {"rule": code}}


def test_outcomes_stats_and_history(database_url: str) -> None:
    # A shared PostgreSQL database may hold other tests' rows: use our own ids, names and dates.
    Session = session_factory(database_url)
    tag = uuid.uuid4().hex[:10]
    when = datetime(2090, 1, 1, tzinfo=UTC) + timedelta(days=int(tag, 16) % 3000)
    with Session() as s, s.begin():
        run = ScreeningRun(
            batch_id=f"b-{tag}",
            input_name="x.jsonl",
            input_sha256="0" * 64,
            started_at=when,
            counts={},
            versions={},
        )
        s.add(run)
        s.flush()
        for i, (lane, hits) in enumerate(
            [("red", [_rule("A")]), ("yellow", [_rule("A"), _rule("B")]), ("green", [])]
        ):
            s.add(
                ScreeningRecord(
                    run_id=run.id,
                    declaration_id=f"{tag}-D{i}",
                    lodged_at=when,
                    lane=lane,
                    score=0.5,
                    hits=hits,
                )
            )
            for role, name in ((ROLE_A, f"Gulf {tag}"), (ROLE_B, f"Buyer {tag} {i % 2}")):
                s.add(
                    ScreenedParty(
                        run_id=run.id,
                        declaration_id=f"{tag}-D{i}",
                        lodged_at=when,
                        role=role,
                        name=name,
                        country="AE",
                    )
                )
    outcomes = [
        Outcome(declaration_id=f"{tag}-D0", inspected_at=when, result=Result.SEIZURE),
        Outcome(declaration_id=f"{tag}-D1", inspected_at=when, result=Result.NOTHING_FOUND),
    ]
    with Session() as s, s.begin():
        assert import_outcomes(s, outcomes, "o.csv") == (2, 0)
    with Session() as s, s.begin():
        again = [Outcome(declaration_id=f"{tag}-D1", inspected_at=when, result=Result.IRREGULARITY)]
        assert import_outcomes(s, again, "o2.csv") == (0, 1)
    with Session() as s:
        mine = {k: v for k, v in latest_outcomes(s).items() if k.startswith(tag)}
        assert mine == {f"{tag}-D0": Result.SEIZURE, f"{tag}-D1": Result.IRREGULARITY}
        day = when.replace(tzinfo=None)
        report = rule_stats(s, day, day + timedelta(days=1))
        assert report.declarations == 3
        assert report.rules["A"].inspected == 2 and report.rules["A"].findings == 2
        assert report.lanes["green"].inspected == 0
        assert rule_stats(s, day + timedelta(days=1), day + timedelta(days=2)).declarations == 0
        history = load_history(s, day)
    assert history.declarations() >= 3
    assert history.party_declarations(f"gulf {tag}") == 3
    assert history.party_offences(f"buyer {tag} 0") == 1  # D0 seizure
    assert history.party_offences(f"buyer {tag} 1") == 1  # D1 irregularity
    assert history.party_offences(f"gulf {tag}") == 2
    recent = history.pair_recent(f"gulf {tag}", f"buyer {tag} 0", day + timedelta(hours=1), 30)
    assert recent[0] == 2


def test_history_from_an_empty_store(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/empty.db"
    h = history_from_store(url)
    assert h.declarations() == 0 and h.offenders() == 0
