"""Cost of the risk engine per declaration, and of one condition in stce's compiler vs cel-python.

Run: `python bench/risk.py [N]`. Prints µs per declaration for the default pack over a mix of
declarations (mostly clean, some with hits of every check), and ns per evaluation of one
typical condition compiled by `stce.risk.expr` and by cel-python (if installed), side by side.
Times are CPU time of this process (`time.process_time`), best of three, with the garbage
collector set as the pipeline runner sets it: the machine is shared, wall time is not stable.
"""

from __future__ import annotations

import gc
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


def bench_engine(label: str, data: list[tuple[Declaration, list[Hit]]]) -> None:
    """CPU µs per declaration for assess (with learning), best of three runs."""
    pack = load_default_pack()
    best = float("inf")
    results = []
    for _ in range(3):
        engine = RuleEngine(pack, InMemoryHistory(), learn=True)
        t0 = time.process_time()
        results = [engine.assess(d, h) for d, h in data]
        best = min(best, time.process_time() - t0)
    lanes: dict[str, int] = {}
    for a in results:
        lanes[a.lane.value] = lanes.get(a.lane.value, 0) + 1
    print(
        f"engine, {label}: {len(pack.rules)} rules, {len(data)} declarations, "
        f"{best / len(data) * 1e6:.1f} µs/declaration; lanes {lanes}"
    )


def sample_data(n: int) -> list[tuple[Declaration, list[Hit]]]:
    """A `stce sample` stream (seed 1540) with the hits of the countries check.

    Also prints, as a yardstick measured side by side, the CPU cost of parsing the same
    declarations from JSON into the model (work every pipeline run does anyway)."""
    import orjson

    from stce.risk.country_check import CountryCheck
    from stce.sample import generate

    raw = [orjson.dumps(d) for d, _ in generate(n, 1540)]
    best = float("inf")
    decls: list[Declaration] = []
    for _ in range(3):
        t0 = time.process_time()
        decls = [Declaration.model_validate_json(r) for r in raw]
        best = min(best, time.process_time() - t0)
    print(f"yardstick, JSON -> Declaration: {best / n * 1e6:.1f} µs/declaration")
    return list(zip(decls, CountryCheck().check(decls), strict=True))


def heavy_data(n: int) -> list[tuple[Declaration, list[Hit]]]:
    """Worst case: random declarations where most rules fire (hits on 20 %)."""
    rng = random.Random(1540)
    return [(declaration(rng, i), hits_for(rng)) for i in range(n)]


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
    t0 = time.process_time()
    for _ in range(reps):
        fn(ctx, None)
    ours = (time.process_time() - t0) / reps
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
    t0 = time.process_time()
    for _ in range(creps):
        prog.evaluate(act)
    theirs = (time.process_time() - t0) / creps
    print(
        f"condition (cel-python, activation prebuilt): {theirs * 1e9:.0f} ns "
        f"({theirs / ours:.0f}x slower)"
    )


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    bench_condition(200_000)
    bench_engine("stce sample traffic", sample_data(n))
    bench_engine("worst case, most rules firing", heavy_data(n))
