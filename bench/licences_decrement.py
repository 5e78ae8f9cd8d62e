"""Write-off (decrement) throughput: declarations cleared per second against the store.

    python bench/licences_decrement.py [N] [DATABASE_URL] [THREADS] [BATCH]

Default: 2 000 declarations on a temporary SQLite file, 1 thread. With a PostgreSQL URL and
several threads, all threads write off the same few licences (the contended case the row locks
serialise). Prints declarations per second and checks that no write-off was lost.
"""

from __future__ import annotations

import random
import sys
import tempfile
import threading
import time
from pathlib import Path

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


def main(n: int, url: str | None, threads: int, batch: int = 1) -> None:
    tmp = tempfile.TemporaryDirectory()
    if url is None:
        url = f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    schema = None
    if url.startswith("postgresql"):
        schema = "bench_decrement"
        with create_engine(url).begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        engine = create_engine(
            url, pool_size=threads + 2, connect_args={"options": f"-csearch_path={schema}"}
        )
    else:
        engine = create_engine(url)
    upgrade(engine)
    factory = sessionmaker(engine, expire_on_commit=False)
    sc = generate_licence_scenarios(random.Random(1), clean=4, repeats=0)
    licences = []
    for raw in sc.licences:
        item = {**raw["items"][0], "quantity": 1e9, "value": None, "currency": None}
        licences.append(Licence.model_validate({**raw, "items": [item]}))
    with factory() as s, s.begin():
        import_licences(s, licences)
    bases = [Declaration.model_validate(d) for d in sc.declarations]
    decls = [bases[i % len(bases)].model_copy(update={"declaration_id": f"B{i}"}) for i in range(n)]
    rules, det = load_rules(), scenario_determiner()

    def work(chunk: list[Declaration]) -> None:
        if batch > 1:
            for i in range(0, len(chunk), batch):
                with factory() as s, s.begin():
                    apply_declarations(s, chunk[i : i + batch], rules, det)
            return
        for d in chunk:
            with factory() as s, s.begin():
                apply_declaration(s, d, rules, det)

    t = time.perf_counter()
    ts = [threading.Thread(target=work, args=(decls[i::threads],)) for i in range(threads)]
    for th in ts:
        th.start()
    for th in ts:
        th.join()
    dt = time.perf_counter() - t
    with factory() as s:
        reg = load_registry(s)
    written = sum(len(st.writeoffs) for lic in licences if (st := reg.get(lic.number)))
    print(
        f"decrement: {n} declarations, {threads} thread(s), batch {batch}, {engine.dialect.name}: "
        f"{n / dt:,.0f} decl/s; write-offs recorded {written} (expected {n})"
    )
    if schema:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()
    tmp.cleanup()


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 2000,
        sys.argv[2] if len(sys.argv) > 2 else None,
        int(sys.argv[3]) if len(sys.argv) > 3 else 1,
        int(sys.argv[4]) if len(sys.argv) > 4 else 1,
    )
