"""Cost of the risk engine per declaration, and of one condition in stce's compiler vs cel-python.

Run: `python bench/risk.py [N]`. Prints µs per declaration for the default pack over a mix of
declarations (mostly clean, some with hits of every check), and ns per evaluation of one
typical condition compiled by `stce.risk.expr` and by cel-python (if installed), side by side.
"""

from __future__ import annotations

import random
import sys
import time
from typing import Any

from stce.model import Declaration, Hit, Severity
from stce.risk.features import EvalContext
from stce.risk.history import InMemoryHistory
from stce.risk.pack import load_default_pack
from stce.risk.selectivity import RuleEngine

CODES = [
    ("parties", "PARTY_LISTED", 0.95),
    ("parties", "PARTY_POSSIBLE_MATCH", 0.8),
    ("goods", "GOODS_STRATEGIC", 1.0),
    ("goods", "GOODS_HS_WATCHLIST", 1.0),
    ("countries", "ROUTE_DIVERSION_HUB", 1.0),
    ("licences", "LICENCE_MISSING", 1.0),
    ("movements", "CHAIN_CONSIGNEE_CHANGED", 1.0),
]
HS = ["847989", "850440", "293149", "902781", "610910", "220421", "853710", "870323"]
COUNTRIES = ["DE", "FR", "CN", "AE", "SG", "TR", "US", "IN", "MY", "KR"]


def declaration(rng: random.Random, i: int) -> Declaration:
    n_items = rng.choice([1, 1, 1, 2, 3])
    return Declaration.model_validate(
        {
            "declaration_id": f"D{i:08d}",
            "procedure": rng.choice(["export", "export", "import", "transit", "reexport"]),
            "channel": rng.choice(["cargo", "cargo", "cargo", "ecommerce"]),
            "lodged_at": f"2026-11-{1 + i % 27:02d}T10:00:00",
            "country_of_dispatch": rng.choice(COUNTRIES),
            "country_of_destination": rng.choice(COUNTRIES),
            "itinerary": rng.sample(COUNTRIES, rng.choice([0, 0, 1, 2])),
            "parties": [
                {
                    "role": "consignor",
                    "name": f"Exporter {rng.randrange(500)} GmbH",
                    "country": "DE",
                },
                {
                    "role": "consignee",
                    "name": rng.choice(["Gulf Trading LLC", "Acme Industries", f"Buyer {i % 300}"]),
                    "country": rng.choice(COUNTRIES),
                },
                {"role": "declarant", "name": "Customs Broker AG", "country": "DE"},
            ],
            "payment": {"method": rng.choice(["wire", "wire", "cash", None]), "payer": None},
            "items": [
                {
                    "line": k + 1,
                    "hs_code": rng.choice(HS),
                    "description": rng.choice(
                        ["parts", "centrifuge rotor assembly", "cotton t-shirts"]
                    ),
                    "value": rng.uniform(50, 50000),
                    "net_mass_kg": rng.uniform(1, 500),
                }
                for k in range(n_items)
            ],
        }
    )


def hits_for(rng: random.Random) -> list[Hit]:
    if rng.random() < 0.8:
        return []
    out = []
    for check, code, score in rng.sample(CODES, rng.choice([1, 1, 2, 3])):
        out.append(
            Hit(
                check=check,
                code=code,
                severity=Severity.HIGH,
                message=code,
                score=score,
                evidence={},
            )
        )
    return out


def bench_engine(n: int, clean: bool = False) -> float:
    """µs per declaration; `clean`: no hits at all (the common case in production)."""
    rng = random.Random(1540)
    data = [(declaration(rng, i), [] if clean else hits_for(rng)) for i in range(n)]
    pack = load_default_pack()
    engine = RuleEngine(pack, InMemoryHistory(), learn=True)
    for d, h in data[:200]:  # warm up
        engine.assess(d, h)
    engine = RuleEngine(pack, InMemoryHistory(), learn=True)
    t0 = time.perf_counter()
    lanes: dict[str, int] = {}
    results = [engine.assess(d, h) for d, h in data]
    dt = time.perf_counter() - t0
    for a in results:
        lanes[a.lane.value] = lanes.get(a.lane.value, 0) + 1
    what = "no hits" if clean else "20 % with hits"
    print(
        f"engine ({what}): {len(pack.rules)} rules, {n} declarations, "
        f"{dt / n * 1e6:.1f} µs/declaration"
    )
    print(f"  lanes: {lanes}")
    return dt / n


def bench_condition(reps: int) -> None:
    from stce.risk.expr import Compiler
    from stce.risk.features import root_scope

    text = 'hits.any(check == "parties" and code == "PARTY_LISTED" and score >= 0.9)'
    hits = [
        Hit(check="goods", code="GOODS_STRATEGIC", severity=Severity.LOW, message="x"),
        Hit(check="parties", code="PARTY_LISTED", severity=Severity.HIGH, message="x", score=0.95),
    ]
    rng = random.Random(1)
    d = declaration(rng, 1)
    fn = Compiler(root_scope({})).condition(text).fn
    ctx = EvalContext(d, hits, InMemoryHistory(), 0, 30)
    t0 = time.perf_counter()
    for _ in range(reps):
        fn(ctx, None)
    ours = (time.perf_counter() - t0) / reps
    print(f"condition (stce.risk.expr): {ours * 1e9:.0f} ns")
    try:
        import celpy
        from celpy import celtypes
    except ImportError:
        print("condition (cel-python): not installed")
        return
    cel = text.replace("hits.any(", "hits.exists(h, ").replace("check ==", "h.check ==")
    cel = cel.replace(" and ", " && ")
    cel = cel.replace("code ==", "h.code ==").replace("score >=", "h.score >=")
    env = celpy.Environment()
    prog = env.program(env.compile(cel))
    act: dict[str, Any] = {
        "hits": celtypes.ListType(
            [
                celtypes.MapType(
                    {
                        celtypes.StringType("check"): celtypes.StringType(h.check),
                        celtypes.StringType("code"): celtypes.StringType(h.code),
                        celtypes.StringType("score"): celtypes.DoubleType(h.score),
                    }
                )
                for h in hits
            ]
        )
    }
    creps = max(1, reps // 100)
    t0 = time.perf_counter()
    for _ in range(creps):
        prog.evaluate(act)
    theirs = (time.perf_counter() - t0) / creps
    print(
        f"condition (cel-python, activation prebuilt): {theirs * 1e9:.0f} ns "
        f"({theirs / ours:.0f}x slower)"
    )


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    bench_condition(200_000)
    bench_engine(n)
    bench_engine(n, clean=True)
