"""Outcomes in the store, rule statistics and the history built from stored screenings."""

from __future__ import annotations

from datetime import UTC, datetime

from stce.risk.outcomes import Outcome, Result
from stce.store import ScreenedParty, ScreeningRecord, ScreeningRun, session_factory
from stce.store.risk import import_outcomes, latest_outcomes, load_history, rule_stats


def _rule(code: str) -> dict[str, object]:
    return {"check": "rules", "code": code, "evidence": {"rule": code}}


def test_outcomes_stats_and_history(database_url: str) -> None:
    Session = session_factory(database_url)
    when = datetime(2026, 11, 5, tzinfo=UTC)
    with Session() as s, s.begin():
        run = ScreeningRun(
            batch_id=f"b-{id(s)}",
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
                    declaration_id=f"D{i}",
                    lodged_at=when,
                    lane=lane,
                    score=0.5,
                    hits=hits,
                )
            )
            for role, name in (("consignor", "Gulf Textiles LLC"), ("consignee", f"Buyer {i % 2}")):
                s.add(
                    ScreenedParty(
                        run_id=run.id,
                        declaration_id=f"D{i}",
                        lodged_at=when,
                        role=role,
                        name=name,
                        country="AE",
                    )
                )
    outcomes = [
        Outcome(declaration_id="D0", inspected_at=when, result=Result.SEIZURE),
        Outcome(declaration_id="D1", inspected_at=when, result=Result.NOTHING_FOUND),
    ]
    with Session() as s, s.begin():
        assert import_outcomes(s, outcomes, "o.csv") == (2, 0)
    with Session() as s, s.begin():
        again = [Outcome(declaration_id="D1", inspected_at=when, result=Result.IRREGULARITY)]
        assert import_outcomes(s, again, "o2.csv") == (0, 1)
    with Session() as s:
        assert latest_outcomes(s) == {"D0": Result.SEIZURE, "D1": Result.IRREGULARITY}
        report = rule_stats(s)
        assert report.declarations == 3
        assert report.rules["A"].inspected == 2 and report.rules["A"].findings == 2
        assert report.lanes["green"].inspected == 0
        assert rule_stats(s, datetime(2026, 12, 1)).declarations == 0
        history = load_history(s)
    assert history.declarations() == 3
    assert history.party_declarations("gulf textiles llc") == 3
    assert history.party_offences("buyer 0") == 1  # D0 seizure
    assert history.party_offences("buyer 1") == 1  # D1 irregularity
    assert history.party_offences("gulf textiles llc") == 2
    assert history.pair_recent("gulf textiles llc", "buyer 0", datetime(2026, 11, 6), 30)[0] == 2
