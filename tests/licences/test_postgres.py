"""Concurrent decrement on PostgreSQL: no lost update, no double write-off."""

from __future__ import annotations

import random
import threading

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

from stce.licences.model import Licence
from stce.licences.rules import load_rules
from stce.licences.scenarios import generate_licence_scenarios, scenario_determiner
from stce.model import Declaration
from stce.store.engine import upgrade
from stce.store.licences import (
    apply_declaration,
    apply_declarations,
    import_licences,
    load_registry,
)

pytestmark = pytest.mark.postgres


def test_concurrent_write_offs_lose_nothing(pg_url: str) -> None:
    engine = create_engine(pg_url, pool_size=12, max_overflow=4)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS lic_conc CASCADE"))
        conn.execute(text("CREATE SCHEMA lic_conc"))
    engine = create_engine(
        pg_url, pool_size=12, max_overflow=4, connect_args={"options": "-csearch_path=lic_conc"}
    )
    upgrade(engine)
    factory = sessionmaker(engine, expire_on_commit=False)
    sc = generate_licence_scenarios(random.Random(21), clean=1, repeats=0)
    raw = dict(sc.licences[0])
    item = dict(raw["items"][0])  # type: ignore[index]
    item.update(quantity=10_000.0, value=None, currency=None)
    raw["items"] = [item]
    lic = Licence.model_validate(raw)
    base = Declaration.model_validate(sc.declarations[0])
    with factory() as s, s.begin():
        import_licences(s, [lic])
    rules, det = load_rules(), scenario_determiner()
    decls = [
        base.model_copy(
            update={
                "declaration_id": f"D{n}",
                "items": [base.items[0].model_copy(update={"quantity": float(n % 7 + 1)})],
            }
        )
        for n in range(40)
    ]
    # Every declaration is submitted twice, by different workers at the same time.
    work = decls + decls
    random.Random(3).shuffle(work)
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def worker(chunk: list[Declaration], batched: bool) -> None:
        try:
            barrier.wait()
            if batched:  # a batch per transaction, as a pipeline would
                for i in range(0, len(chunk), 4):
                    with factory() as s, s.begin():
                        apply_declarations(s, chunk[i : i + 4], rules, det)
                return
            for d in chunk:
                with factory() as s, s.begin():
                    apply_declaration(s, d, rules, det)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(work[i::8], i % 2 == 1)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    expected = 10_000.0 - sum(float(n % 7 + 1) for n in range(40))
    with factory() as s:
        st = load_registry(s, [lic.number]).get(lic.number)
        assert st is not None
        assert st.balance(1).quantity == pytest.approx(expected)
        assert len(st.writeoffs) == 40
        n = s.execute(text("SELECT count(*) FROM lic_conc.licence_writeoffs")).scalar_one()
        assert n == 40
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA lic_conc CASCADE"))
    engine.dispose()
