"""The movement store on PostgreSQL: legs persist between batches, operator records upsert."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

from stce.licences.scenarios import scenario_determiner
from stce.model import Declaration
from stce.movements.check import MovementCheck
from stce.movements.ledger import OperatorRecord, parse_period, reconcile
from stce.movements.rules import MovementRules
from stce.movements.scenarios import FTZ_CODES, generate_movement_scenarios
from stce.store.engine import upgrade
from stce.store.movements import import_operator_records, ledger_inputs, load_chain_index, save_legs

pytestmark = pytest.mark.postgres


def test_chains_and_ledger_on_postgres(pg_url: str) -> None:
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS mov_pg CASCADE"))
        conn.execute(text("CREATE SCHEMA mov_pg"))
    engine = create_engine(pg_url, connect_args={"options": "-csearch_path=mov_pg"})
    upgrade(engine)
    factory = sessionmaker(engine, expire_on_commit=False)
    sc = generate_movement_scenarios(random.Random(31), clean=2)
    rules = MovementRules(home_country=sc.home)
    decls = sorted(
        (Declaration.model_validate(d) for d in sc.declarations), key=lambda d: str(d.lodged_at)
    )
    flagged: set[str] = set()
    half = len(decls) // 2
    for batch in (decls[:half], decls[half:]):
        with factory() as s, s.begin():
            check = MovementCheck(load_chain_index(s, rules), scenario_determiner(), rules)
            for d, hits in zip(batch, check.check(batch), strict=True):
                if hits:
                    flagged.add(d.declaration_id)
            save_legs(s, check.index.pending())
    records = [OperatorRecord.model_validate(r) for r in sc.operator_records]
    for _ in range(2):  # re-import replaces
        with factory() as s, s.begin():
            import_operator_records(s, records, source="test")
    with factory() as s:
        legs, recs, earlier = ledger_inputs(s, sc.zone_id, parse_period(sc.period).end)
        n = s.execute(text("SELECT count(*) FROM mov_pg.ftz_operator_records")).scalar_one()
    assert n == len(records) and len(recs) == len(records)
    rec = reconcile(sc.zone_id, parse_period(sc.period), legs, recs, rules, earlier)
    assert {f.kind.value for f in rec.findings} == set(FTZ_CODES)
    # Batches in time order link onward legs to arrival legs stored by an earlier run.
    assert flagged
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA mov_pg CASCADE"))
    engine.dispose()
